"""Retired station ids: a station taken off the map, or given a new id, names its successor.

Saved route links, answers files and progress lists name stations by id; when the map drops
or renames one, ``stations.yaml``'s ``retired`` list maps the old id to the station that
takes its place (``now``), so those keep working: each front door reads an old id as its
successor and says so where a reader would otherwise be confused. Validation refuses a
station the layout lock still has but the data dropped without a successor (layout/lock.py).
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # validate calls in with its report: no import back
    from .core import RouteMap
    from .models import RetiredStation
    from .validate import Report

FILE = "stations.yaml"


def successors(retired: Iterable[RetiredStation]) -> dict[str, str]:
    """Old id -> the station on the map now, following a chain of renames (a -> b -> c);
    an id whose chain goes round in a circle or ends off the map is left out."""
    now = {r.id: r.now for r in retired}
    out: dict[str, str] = {}
    for old in now:
        seen, sid = {old}, now[old]
        while sid in now and sid not in seen:
            seen.add(sid)
            sid = now[sid]
        if sid not in now:
            out[old] = sid
    return out


def check_retired(report: Report, retired: list[tuple[int, RetiredStation]], stations) -> None:
    """Each retired id is one the map no longer has, and leads to a station it has."""
    stations = set(stations)
    now = {r.id: r.now for _, r in retired}
    resolved = successors(r for _, r in retired)
    for i, r in retired:
        base = ("retired", i)
        if r.id in stations:
            report.add(
                FILE,
                (*base, "id"),
                f"'{r.id}' is a station on the map: a retired id is one it no longer has",
            )
        elif r.now not in stations and r.now not in now:
            close = difflib.get_close_matches(r.now, list(stations), n=1)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            report.add(FILE, (*base, "now"), f"unknown station '{r.now}'{hint}")
        elif r.id not in resolved:
            report.add(
                FILE,
                (*base, "now"),
                f"'{r.id}' leads round in a circle of retired ids: 'now' must lead to a "
                "station on the map",
            )


def notice(rm: RouteMap, old: str) -> str:
    """What a reader is told where an old id they saved was read as its successor."""
    was = next((r.name for r in rm.data.retired if r.id == old), old)
    return f"“{was}” is no longer on the map: read as “{rm.stations[rm.retired[old]].name}”"
