"""The route on the map: which line each stretch of a composed route is drawn on.

A route is composed of choices, not confined to a line; the map's lines show the common
combinations. Between two consecutive stops the route rides one open line that passes both in
that order (passing through its other stations without stopping), changing line freely at a
stop. Among the lines that fit, it prefers few changes, few stations passed through, and lines
that draw the options chosen. Where no line joins two stops, the stretch is left undrawn.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..core import RouteMap
from . import results as R

CHANGE_COST = 4.0
OFF_THEME_COST = 1.0  # a line that draws none of the chosen options


class _Index:
    def __init__(self, rm: RouteMap):
        # comparison and closed lines never carry a route to a mutual
        self.lines = [ln for ln in rm.data.lines if ln.status == "open" and ln.kind != "contrast"]
        self.pos = {ln.id: {sid: i for i, sid in enumerate(ln.stations)} for ln in self.lines}
        self.choices = {ln.id: set(ln.choices) for ln in self.lines}
        self.stations = {ln.id: ln.stations for ln in self.lines}


def _index(rm: RouteMap) -> _Index:
    return rm.cached("route-drawing", lambda: _Index(rm))


@dataclass
class Drawn:
    drawing: R.Drawing
    step_line: dict[str, str]


def draw(rm: RouteMap, stops: list[str], chosen: set[str]) -> Drawn:
    """Lines for a route's stops (in flow order), from the map's origin."""
    ix = _index(rm)
    seq = [rm.origins[0]] if rm.origins and (not stops or stops[0] != rm.origins[0]) else []
    seq += stops
    pairs = list(zip(seq, seq[1:], strict=False))
    inf = float("inf")
    # best[k][line]: cost of the first k+1 stretches, the last on that line
    best: list[dict[str | None, float]] = []
    back: list[dict[str | None, str | None]] = []
    for k, (a, b) in enumerate(pairs):
        fits = {}
        for lid, pos in ix.pos.items():
            pa, pb = pos.get(a), pos.get(b)
            if pa is not None and pb is not None and pa < pb:
                fits[lid] = (pb - pa - 1) + (0.0 if ix.choices[lid] & chosen else OFF_THEME_COST)
        if not fits:
            fits = {None: 0.0}
        row: dict[str | None, float] = {}
        brow: dict[str | None, str | None] = {}
        for lid, cost in fits.items():
            if k == 0:
                row[lid], brow[lid] = cost, None
                continue
            prev_best, prev_line = inf, None
            for plid, pc in best[k - 1].items():
                c = pc + (0.0 if plid == lid or plid is None or lid is None else CHANGE_COST)
                if c < prev_best:
                    prev_best, prev_line = c, plid
            row[lid], brow[lid] = prev_best + cost, prev_line
        best.append(row)
        back.append(brow)
    chosen_lines: list[str | None] = []
    if pairs:
        lid = min(best[-1], key=lambda x: (best[-1][x], x or ""))
        for k in range(len(pairs) - 1, -1, -1):
            chosen_lines.append(lid)
            lid = back[k][lid]
        chosen_lines.reverse()
    strokes: list[R.Stroke] = []
    step_line: dict[str, str] = {}
    used: list[str] = []
    fallback = next(iter(rm.lines), "")
    for (a, b), lid in zip(pairs, chosen_lines, strict=True):
        if lid is None:
            step_line[b] = step_line.get(a) or (rm.lines_at[b][0] if rm.lines_at[b] else fallback)
            continue
        if lid not in used:
            used.append(lid)
        line = ix.stations[lid]
        pa, pb = ix.pos[lid][a], ix.pos[lid][b]
        for u, v in zip(line[pa:pb], line[pa + 1 : pb + 1], strict=True):
            strokes.append(R.Stroke(line=lid, source=u, target=v))
        step_line[b] = lid
        step_line.setdefault(a, lid)
    for sid in seq:
        step_line.setdefault(sid, rm.lines_at[sid][0] if rm.lines_at[sid] else fallback)
    return Drawn(R.Drawing(stations=seq, strokes=strokes, lines=used), step_line)
