"""How far a layout stays put under an edit: the figures ``make bench`` and the tests hold.

An edit is one station added in the middle of a line, or one station taken off (its lines
run on past it, and its id retires to the next station on its first line). The layout of the
edited data starts from the lock of the data before; what stayed put is measured on the
lock's grid: the share of stations that keep their cell (column and row), and the share of
pairs of stations that keep their left/right and their above/below order.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from itertools import combinations

from ..models import RetiredStation
from ..validate import MapData
from .lock import LayoutLock

NEW_NAME = "A new step on the line"


@dataclass(frozen=True)
class Kept:
    cells: float  # share of the stations in both that keep their cell
    across: float  # share of pairs that keep their left/right order
    down: float  # share of pairs that keep their above/below order
    stations: int


def _sign(v) -> int:
    return (v > 0) - (v < 0)


def kept(old: LayoutLock, new: LayoutLock) -> Kept:
    both = sorted(set(old.stations) & set(new.stations))
    cells = sum(1 for s in both if old.cell(s) == new.cell(s))
    pairs = across = down = 0
    for a, b in combinations(both, 2):
        (oa, ra), (ob, rb) = old.cell(a), old.cell(b)
        (na, sa), (nb, sb) = new.cell(a), new.cell(b)
        pairs += 1
        across += _sign(oa - ob) == _sign(na - nb)
        down += _sign(ra - rb) == _sign(sa - sb)
    n = len(both)
    return Kept(
        cells / n if n else 1.0, across / pairs if pairs else 1.0, down / pairs if pairs else 1.0, n
    )


def insert_station(data: MapData, line_id: str, at: int, sid: str = "new-step") -> MapData:
    """The data with a new station on one line, before its ``at``-th station."""
    template = next((s for s in data.stations if s.kind == "stage"), data.stations[0])
    new = template.model_copy(
        update={"id": sid, "name": NEW_NAME, "kind": "stage", "pin": None, "prerequisites": []}
    )
    lines = tuple(
        ln.model_copy(update={"stations": [*ln.stations[:at], sid, *ln.stations[at:]]})
        if ln.id == line_id
        else ln
        for ln in data.lines
    )
    return replace(data, stations=(*data.stations, new), lines=lines)


def removable(data: MapData) -> list[str]:
    """The stations a publisher can take off without reworking a line: none that starts or
    ends one."""
    ends = {ln.stations[0] for ln in data.lines} | {ln.stations[-1] for ln in data.lines}
    return [s.id for s in data.stations if s.id not in ends]


def remove_station(data: MapData, sid: str) -> MapData:
    """The data without station ``sid`` (its lines run on past it), its id retired to the
    station after it on its first line. Only the map's shape is edited: the layout reads no
    more, and the tests check what validation says about the files themselves."""
    first = next(ln for ln in data.lines if sid in ln.stations)
    now = first.stations[first.stations.index(sid) + 1]
    name = next(s.name for s in data.stations if s.id == sid)
    lines = tuple(
        ln.model_copy(update={"stations": [s for s in ln.stations if s != sid]})
        for ln in data.lines
    )
    return replace(
        data,
        stations=tuple(s for s in data.stations if s.id != sid),
        lines=lines,
        retired=(*data.retired, RetiredStation(id=sid, name=name, now=now)),
    )
