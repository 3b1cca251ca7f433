"""What moved between two layout locks, and the words a publisher reads before publishing.

A station moved when its cell (column and row on the lock's grid) changed; a corridor's
line order changed when the lines it shares with the other lock run in another order at
either end or anywhere along it. The words name stations and lines by their names, never ids.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from .lock import Key, LayoutLock

if TYPE_CHECKING:  # the map is only a type here: core imports layout, not back
    from ..core import RouteMap


@dataclass(frozen=True)
class Moved:
    station: str
    name: str
    before: tuple[Key, Key]  # (column, row)
    after: tuple[Key, Key]


@dataclass(frozen=True)
class Placed:
    station: str
    name: str
    cell: tuple[Key, Key]


@dataclass(frozen=True)
class Gone:
    station: str
    name: str  # as the lock knew it
    now: str | None  # the name of the station that takes its place, if the data says


@dataclass(frozen=True)
class Reordered:
    start: str
    end: str
    before: tuple[tuple[str, ...], ...]  # the lines top to bottom, as they change along it
    after: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class LayoutDiff:
    kept: int  # stations in both locks that keep their cell
    moved: tuple[Moved, ...]
    placed: tuple[Placed, ...]
    gone: tuple[Gone, ...]
    reordered: tuple[Reordered, ...]

    @property
    def empty(self) -> bool:
        return not (self.moved or self.placed or self.gone or self.reordered)

    def as_dict(self) -> dict:
        def cell(c: tuple[Key, Key]) -> dict:
            return {"column": float(c[0]), "row": float(c[1])}

        return {
            "kept": self.kept,
            "moved": [
                {"station": m.station, "before": cell(m.before), "after": cell(m.after)}
                for m in self.moved
            ],
            "placed": [{"station": p.station, **cell(p.cell)} for p in self.placed],
            "gone": [{"station": g.station, "name": g.name} for g in self.gone],
            "reordered": [
                {
                    "from": r.start,
                    "to": r.end,
                    "before": [list(o) for o in r.before],
                    "after": [list(o) for o in r.after],
                }
                for r in self.reordered
            ],
        }


def _corridor_orders(lock: LayoutLock, a: str, b: str, lines: set[str]) -> tuple[tuple, ...]:
    """The lines of edge a -> b, top to bottom, leaving a, along its corridor, reaching b."""
    seq = [lock.stations[a].lines_out]
    cor = lock.corridors.get((a, b))
    if cor is not None:
        seq += list(cor.lines)
    seq.append(lock.stations[b].lines)
    out: list[tuple[str, ...]] = []
    for order in seq:
        mine = tuple(lid for lid in order if lid in lines)
        if not out or out[-1] != mine:
            out.append(mine)
    return tuple(out)


def diff_locks(rm: RouteMap, old: LayoutLock | None, new: LayoutLock) -> LayoutDiff:
    """What changes from ``old`` (the accepted lock) to ``new`` (the map's layout now)."""
    old_stations = old.stations if old is not None else {}
    moved, placed, kept = [], [], 0
    for sid in rm.order:
        cell = new.cell(sid)
        if sid not in old_stations:
            placed.append(Placed(sid, rm.stations[sid].name, cell))
        elif old.cell(sid) != cell:
            moved.append(Moved(sid, rm.stations[sid].name, old.cell(sid), cell))
        else:
            kept += 1
    gone = []
    for sid, c in old_stations.items():
        if sid not in new.stations:
            now = rm.retired.get(sid)
            gone.append(Gone(sid, c.name, rm.stations[now].name if now else None))
    reordered = []
    if old is not None:
        for a, b in sorted(set(rm.graph.edges()), key=lambda e: (rm.rank[e[0]], rm.rank[e[1]])):
            if a not in old_stations or b not in old_stations:
                continue
            common = {m for m in rm.graph[a][b] if m in old.stations[a].lines_out}
            common &= set(old.stations[b].lines)
            if len(common) < 2:
                continue
            before = _corridor_orders(old, a, b, common)
            after = _corridor_orders(new, a, b, common)
            if before != after:
                reordered.append(Reordered(a, b, before, after))
    return LayoutDiff(kept, tuple(moved), tuple(placed), tuple(gone), tuple(reordered))


# ---------------------------------------------------------------------------------------------
# words


def _num(k: Key) -> str:
    return str(k.numerator) if k.denominator == 1 else f"{float(k):g}"


def _where(c: tuple[Key, Key]) -> str:
    return f"column {_num(c[0])}, row {_num(c[1])}"


def _way(before: tuple[Key, Key], after: tuple[Key, Key]) -> str:
    parts = []
    if after[0] != before[0]:
        parts.append("right" if after[0] > before[0] else "left")
    if after[1] != before[1]:
        parts.append("down" if after[1] > before[1] else "up")
    return " and ".join(parts)


def _names(rm: RouteMap, order: tuple[str, ...]) -> str:
    return ", ".join(rm.lines[lid].name for lid in order)


def diff_lines(rm: RouteMap, diff: LayoutDiff) -> list[str]:
    """The diff as a publisher reads it: one line a change, by name."""
    total = diff.kept + len(diff.moved)
    out = [
        f"{diff.kept} of {total} station{'s' if total != 1 else ''} keep their place on the map"
        + (f"; {len(diff.placed)} new" if diff.placed else "")
        + (f"; {len(diff.gone)} taken off" if diff.gone else "")
        + "."
    ]
    if diff.empty:
        out.append("Nothing moves: the map is drawn as it was accepted.")
        return out
    if diff.moved:
        out.append("Stations that move:")
        out += [
            f"  {m.name}: moves {_way(m.before, m.after)} ({_where(m.before)} → {_where(m.after)})"
            for m in diff.moved
        ]
    if diff.placed:
        out.append("New stations, placed beside their neighbours:")
        out += [f"  {p.name}: {_where(p.cell)}" for p in diff.placed]
    if diff.gone:
        out.append("Stations taken off the map:")
        out += [
            f"  {g.name}" + (f" (its links now lead to {g.now})" if g.now else "")
            for g in diff.gone
        ]
    if diff.reordered:
        out.append("Lines that run in another order:")
        for r in diff.reordered:
            a, b = rm.stations[r.start].name, rm.stations[r.end].name
            now = " then ".join(_names(rm, o) for o in r.after)
            was = " then ".join(_names(rm, o) for o in r.before)
            out.append(f"  from {a} to {b}, top to bottom: {now} (was {was})")
    return out
