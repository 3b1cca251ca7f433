"""The route on the map: which line each stretch of a composed route is drawn on.

A route is composed of choices, not confined to a line; the map's lines show the common
combinations, and each line stands for an option (``stands_for``: a legal form's line for its
form, an access route's line for its way of awarding the work). A route is drawn only on the
lines of the options it took: between two consecutive stops on those lines it rides them in
the flow's direction, changing line at an interchange where it must, with as few changes and as
few stations passed as it can; it reaches its goal (go-live) on the chosen legal form's line.
A stop on none of those lines is drawn as a plain stop, with no stroke to it, and its step says
so (no line); nothing is drawn along a line whose option the team did not choose.
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass

from ..core import RouteMap
from . import results as R

CHANGE_COST = 4.0  # a change of line weighs as much as passing four stations


class _Index:
    def __init__(self, rm: RouteMap):
        # comparison and closed lines never carry a route to a mutual
        lines = [ln for ln in rm.data.lines if ln.status == "open" and ln.kind != "contrast"]
        self.pos = {ln.id: {sid: i for i, sid in enumerate(ln.stations)} for ln in lines}
        self.stations = {ln.id: ln.stations for ln in lines}
        self.stands_for: dict[str, list[str]] = {}
        for ln in lines:
            for oid in ln.stands_for:
                self.stands_for.setdefault(oid, []).append(ln.id)
        self.paths: dict[tuple, tuple[str, ...] | None] = {}


def _index(rm: RouteMap) -> _Index:
    return rm.cached("route-drawing", lambda: _Index(rm))


@dataclass
class Drawn:
    drawing: R.Drawing
    step_line: dict[str, str | None]


def lines_for(rm: RouteMap, options) -> list[str]:
    """The lines that stand for these options, in the map's order."""
    ix = _index(rm)
    found = {lid for oid in options for lid in ix.stands_for.get(oid, ())}
    return [lid for lid in ix.pos if lid in found]


def _path(
    ix: _Index,
    lines: tuple[str, ...],
    a: str,
    b: str,
    last: tuple[str, ...],
    came: str | None,
    main: tuple[str, ...],
):
    """The stretches ridden from stop a to stop b, (line, from, to) each, or None: forward
    along ``lines``, changing only where two meet, arriving on one of ``last``. Staying on
    ``came`` (the line it arrived on) is free, and the ``main`` lines (the legal form's) are
    preferred on a tie. A tiny Dijkstra over (station, line); kept per map."""
    key = (lines, a, b, last, came, main)
    if key in ix.paths:
        return ix.paths[key]
    start = [
        (0.0 if came in (None, lid) else CHANGE_COST, 0, a, lid, ())
        for lid in lines
        if a in ix.pos[lid]
    ]
    heapq.heapify(start)
    heap = start
    seen: set[tuple[str, str]] = set()
    n = 0
    found = None
    while heap:
        cost, _, sid, lid, ridden = heapq.heappop(heap)
        if (sid, lid) in seen:
            continue
        seen.add((sid, lid))
        if sid == b and ridden and ridden[-1][0] in last:
            found = ridden
            break
        if sid == b:
            continue  # arrived on a line it may not arrive on: no change of line at the stop
        i = ix.pos[lid][sid]
        stations = ix.stations[lid]
        if i + 1 < len(stations):
            nxt = stations[i + 1]
            n += 1
            step = 1.0 if lid in main else 1.01
            heapq.heappush(heap, (cost + step, n, nxt, lid, (*ridden, (lid, sid, nxt))))
        for other in lines:
            if other != lid and sid in ix.pos[other] and (sid, other) not in seen:
                n += 1
                heapq.heappush(heap, (cost + CHANGE_COST, n, sid, other, ridden))
    ix.paths[key] = found
    return found


def draw(rm: RouteMap, stops: list[str], chosen: set[str], goal_options=(), goals=()) -> Drawn:
    """Lines for a route's stops (in flow order), from the map's origin. ``chosen``: the
    options taken; ``goals``: stops reached on the lines of ``goal_options`` (the legal form)."""
    ix = _index(rm)
    allowed = tuple(lines_for(rm, chosen))
    goal_lines = tuple(lines_for(rm, goal_options)) or allowed
    seq = [rm.origins[0]] if rm.origins and (not stops or stops[0] != rm.origins[0]) else []
    seq += stops
    strokes: list[R.Stroke] = []
    step_line: dict[str, str | None] = {}
    used: list[str] = []
    visited = seq[:1]  # the stops drawn on the chosen lines so far
    if visited:
        step_line[seq[0]] = next((lid for lid in allowed if seq[0] in ix.pos[lid]), None)
    for sid in seq[1:]:
        on = [lid for lid in allowed if sid in ix.pos[lid]]
        if not on:
            step_line[sid] = None  # a plain stop: off the lines of the options chosen
            continue
        last = tuple(lid for lid in on if lid in goal_lines) if sid in goals else tuple(on)
        ridden = None
        # from the stop before; where the chosen lines do not join the two, from an earlier
        # stop on them (the route forks there, as two steps taken side by side)
        for frm in reversed(visited):
            came = step_line.get(frm) if frm != seq[0] else None
            ridden = _path(ix, allowed, frm, sid, last or tuple(on), came, goal_lines)
            if ridden is not None:
                break
        if ridden is None:  # no way along the chosen lines: the stop stands alone
            step_line[sid] = (last or tuple(on))[0]
        else:
            for lid, u, v in ridden:
                strokes.append(R.built(R.Stroke, line=lid, source=u, target=v))
                if lid not in used:
                    used.append(lid)
            step_line[sid] = ridden[-1][0]
        visited.append(sid)
    return Drawn(R.built(R.Drawing, stations=seq, strokes=strokes, lines=used), step_line)
