"""From a ``RouteMap`` to a ``Geometry``: grid positions, parallel strokes, markers, labels.

The steps, each deterministic:
1. columns and rows on a grid (``layering``);
2. y: row gaps sized for the bundles of parallel lines; x: each node's own, the leftmost
   that keeps nodes of consecutive columns a gap apart within each band (the rows a corridor
   or a node spans) and the room labels asked for;
3. the order of lines through every station (so shared track stays parallel and lines cross
   as little as possible), and each line's offset in its bundle;
4. strokes: between columns a line keeps its track or changes row by 45-degree diagonals (or a
   square turn where the change is tall), inside its corridor's window; lines sharing a
   corridor are offset copies of one centreline, so they stay parallel round corners;
5. labels placed greedily from measured candidate boxes in three shapes; where none is free
   the label asks the nodes beside it for room and the picture is recomputed (labels are
   never dropped); line names beside their strokes, else a tag near the line's end.
"""

from __future__ import annotations

import bisect
import gc
import math
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from ..models import year_span
from .fonts import metrics, text_box, wrap
from .geometry import (
    Box,
    Geometry,
    Label,
    Legend,
    LegendEntry,
    LineGeom,
    Point,
    StationGeom,
    Stroke,
)
from .layering import Layered, assign_columns, build_layered
from .lock import MAX_SPREAD, lock_of
from .spatial import Grid, Occupancy, segment_distance, segment_hits_box

if TYPE_CHECKING:  # the map is only a type here: core imports layout, not back
    from ..core import RouteMap

# times the room between two nodes may grow: a push that did not clear a label the first
# three times will not the fourth (it would run away), and the label falls back
GROW = 3
PATIENCE = 8  # rounds a label keeps asking for room beside it before its rows grow
WORD_GAP = 8.0  # labels side by side keep about a word's space apart


def _probe(box: Box, pad: float, half_w: float) -> Box:
    """Where to look for what a label at ``box`` must keep clear of: ``pad`` from strokes
    (half a stroke's width more) above and below, and a word's space at least to each side."""
    side = max(pad + half_w, WORD_GAP)
    return Box(
        box.x - side, box.y - pad - half_w, box.width + 2 * side, box.height + 2 * (pad + half_w)
    )


def _up(units: float) -> float:
    """Room asked for, rounded up to an eighth of a unit: as much room or a hair more, and a
    number the layout lock writes short and reads back exactly."""
    return math.ceil(units * 8 - 1e-9) / 8


TAG_SWATCH = 22.0  # a line's end tag: the swatch of the line before its name
TAN22 = math.tan(math.radians(22.5))


@dataclass(frozen=True)
class LayoutParams:
    font_size: float = 12.5
    label_width: float = 68.0  # labels wrap to this width (measured), up to 3 lines
    line_width: float = 4.0
    line_gap: float = 6.0  # centre to centre of parallel strokes
    marker_pad: float = 3.5
    col_gap: float = 54.0
    label_band: float = 54.0  # vertical room between rows for one label
    corner: float = 0.0  # a tall row change: 0 turns square (two bends); else 45-degree corners
    margin: float = 20.0
    max_rounds: int = 40
    max_spread: float = 250.0  # how tall a station's marker may grow to keep its lines level
    max_drift: float = 8.0  # line gaps a bundle may sit off its row, to keep lines straight
    line_name_size: float = 12.5  # the lines' names written along them
    line_name_run: float = 600.0  # a straight run this long gets a second name

    def as_dict(self) -> dict[str, float]:
        return {k: getattr(self, k) for k in self.__dataclass_fields__}


@dataclass
class _Placed:
    x: dict[str, float]
    y: dict[str, float]
    offsets: dict[str, dict[str, float]]  # node -> line -> offset on its left side
    order: dict[str, list[str]]  # node -> lines top to bottom on its left side
    offsets_out: dict[str, dict[str, float]]  # ... and on its right side (lines may change
    order_out: dict[str, list[str]]  # places inside a station's marker)


@dataclass(frozen=True)
class _Corridor:
    """A bundle of lines from node a to node b in the next column, drawn as offsets of one
    centreline; ``left`` and ``right`` are the nodes of a's and b's columns in its band (the
    rows it spans), which its change of row must stay clear of."""

    a: str
    b: str
    lines: tuple[str, ...]
    ya: float
    yb: float
    left: tuple[str, ...]
    right: tuple[str, ...]


# ---------------------------------------------------------------------------------------------
# geometry helpers


def _level_and_near(box: Box, other: Box) -> bool:
    """Two labels level with each other (their lines overlap in height) less than a word's
    space apart side by side: a reader would take them for one."""
    level = box.y < other.bottom and other.y < box.bottom
    apart = max(other.x - box.right, box.x - other.right)
    return level and apart < WORD_GAP


def _offset_polyline(points: list[Point], d: float) -> list[Point]:
    """Offset an octilinear polyline by ``d`` to its right (y down), with mitred corners."""
    if abs(d) < 1e-9:
        return list(points)
    normals = []
    for (x0, y0), (x1, y1) in zip(points, points[1:], strict=False):
        length = math.hypot(x1 - x0, y1 - y0)
        dx, dy = (x1 - x0) / length, (y1 - y0) / length
        normals.append((-dy, dx))
    out = [(points[0][0] + normals[0][0] * d, points[0][1] + normals[0][1] * d)]
    for i in range(1, len(points) - 1):
        n1, n2 = normals[i - 1], normals[i]
        dot = n1[0] * n2[0] + n1[1] * n2[1]
        k = d / (1 + dot)
        out.append((points[i][0] + (n1[0] + n2[0]) * k, points[i][1] + (n1[1] + n2[1]) * k))
    out.append((points[-1][0] + normals[-1][0] * d, points[-1][1] + normals[-1][1] * d))
    return out


def _connector(
    a: Point,
    b: Point,
    window: tuple[float, float],
    corner: float,
    shift: float = 0.0,
    diagonal_max: float = 100.0,
) -> list[Point]:
    """Octilinear centreline from a to b (b to the right): horizontal, 45 degrees (and a
    vertical where the change of row is too tall for the gap), horizontal. The change of row
    lies in ``window`` (the x range clear of every node in its band); ``shift`` moves it left
    or right from the window's middle."""
    ya, yb = a[1], b[1]
    dy = yb - ya
    if abs(dy) < 1e-6:
        return [a, b]
    s = 1 if dy > 0 else -1
    free = window[1] - window[0]
    xm = (window[0] + window[1]) / 2 + shift
    if abs(dy) <= min(free, diagonal_max):
        h = abs(dy) / 2
        return [a, (xm - h, ya), (xm + h, yb), b]
    if corner <= 0:  # square corners: two bends, and no width at all
        return [a, (xm, ya), (xm, yb), b]
    c = max(2.0, min(corner, free / 2, abs(dy) / 2))
    return [a, (xm - c, ya), (xm, ya + s * c), (xm, yb - s * c), (xm + c, yb), b]


def _transition_width(dy: float, free: float, corner: float, diagonal_max: float) -> float:
    if abs(dy) < 1e-6:
        return 0.0
    if abs(dy) <= min(free, diagonal_max):
        return abs(dy)
    if corner <= 0:
        return 0.0
    return 2 * max(2.0, min(corner, free / 2, abs(dy) / 2))


def _search_steps(extent: float, step: float = 4.0) -> list[float]:
    """0, +4, +8, ... then -4, -8, ...: later corridors move right of earlier ones first."""
    n = int(extent // step) + 1
    return [i * step for i in range(n)] + [-i * step for i in range(1, n)]


def _simplify(points: list[Point]) -> list[Point]:
    """Drop repeated and collinear points."""
    out: list[Point] = []
    for p in points:
        if out and abs(out[-1][0] - p[0]) < 1e-6 and abs(out[-1][1] - p[1]) < 1e-6:
            continue
        out.append(p)
    i = 1
    while i < len(out) - 1:
        (x0, y0), (x1, y1), (x2, y2) = out[i - 1], out[i], out[i + 1]
        if abs((x1 - x0) * (y2 - y1) - (y1 - y0) * (x2 - x1)) < 1e-6:
            out.pop(i)
        else:
            i += 1
    return out


def _monotone(known: dict[str, float], order: list[str]) -> bool:
    """Do the offsets keep the order, a line gap (or nearly) apart?"""
    vals = [known[lid] for lid in order if lid in known]
    return all(b - a >= 1.0 for a, b in zip(vals, vals[1:], strict=False))


def _spread(order: list[str], known: dict[str, float], gap: float) -> dict[str, float]:
    """Offsets for a side of a spread station: the known ones, and each line without a
    neighbour on this side one gap from the line next to it in the order."""
    out = dict(known)
    first = next(i for i, lid in enumerate(order) if lid in known)
    for i in range(first - 1, -1, -1):
        out[order[i]] = out[order[i + 1]] - gap
    for i in range(first + 1, len(order)):
        if order[i] not in known:
            out[order[i]] = out[order[i - 1]] + gap
    return out


# ---------------------------------------------------------------------------------------------
# the layout


class _Engine:
    def __init__(
        self,
        rm: RouteMap,
        params: LayoutParams,
        lay: Layered | None = None,
        flat: float | None = None,
        room: tuple[dict, list, list] | None = None,
    ):
        self.rm = rm
        self.p = params
        self.flat = flat  # give up at once on a drawing this flat before room is made
        # the grid (columns, rows, orders) does not depend on the spacing: it may be shared
        self.lay: Layered = lay or build_layered(rm, assign_columns(rm))
        self.n_cols = len(self.lay.layers)
        self.n_rows = max(n.row for n in self.lay.nodes.values()) + 1
        self.col_extra = [0.0] * (self.n_cols + 1)
        # a change of row taller than this is drawn with a vertical, not one long diagonal
        self.diagonal_max = params.col_gap - 2 * (params.line_width / 2 + params.marker_pad + 6)
        self.row_extra = [0.0] * (self.n_rows + 1)
        self.push: dict[tuple[str, str], float] = {}  # (left node, right node) -> x apart
        if room is not None:  # the room the lock kept: start with it (nothing shifts)
            self.push, self.row_extra, self.col_extra = dict(room[0]), room[1], room[2]
        self._stub = params.line_width / 2 + params.marker_pad + 6
        self._slots()
        self.label_size: dict[str, tuple[float, float]] = {}
        # each label's shapes: wrapped at the usual width, then wider on two lines and
        # narrower on four, tried where the usual shape finds no free place
        self.label_shapes: dict[str, list[tuple[tuple[str, ...], float, float]]] = {}
        for sid, st in rm.stations.items():
            weight = self._weight(sid)
            lines = wrap(st.name, params.font_size, params.label_width, weight)
            self.label_size[sid] = text_box(lines, params.font_size, weight)
            shapes: list[tuple[tuple[str, ...], float, float]] = []
            for width, most in ((1.0, 3), (1.6, 2), (0.7, 4)):
                text = tuple(
                    wrap(st.name, params.font_size, params.label_width * width, weight, most)
                )
                if all(text != other for other, _, _ in shapes):
                    shapes.append((text, *text_box(list(text), params.font_size, weight)))
            self.label_shapes[sid] = shapes

    def _weight(self, sid: str) -> str:
        return "bold" if self.rm.stations[sid].kind in ("origin", "outcome") else "regular"

    def _extent(self, nid: str) -> tuple[float, float]:
        """How far a node's bundle (and marker) reaches above and below its row."""
        pad = self.p.marker_pad if self.lay.nodes[nid].real else 1.0
        offs = [*self.offsets[nid].values(), *self.offsets_out[nid].values()]
        reach = self.p.line_width / 2 + pad
        return reach - min(offs), max(offs) + reach

    # -- pixel positions ----------------------------------------------------------------------
    def _rows_y(self) -> dict[str, float]:
        """Each node's y: row gaps sized for the bundles and a label between them."""
        p = self.p
        need = [0.0] * (self.n_rows + 1)  # need[r]: gap between row r-1 and row r
        for layer in self.lay.layers:
            for a, b in zip(layer, layer[1:], strict=False):
                ra, rb = self.lay.nodes[a].row, self.lay.nodes[b].row
                below_a, above_b = self._extent(a)[1], self._extent(b)[0]
                need[ra + 1] = max(need[ra + 1], below_a + p.label_band)
                need[rb] = max(need[rb], above_b + p.label_band)
                if rb == ra + 1:
                    need[rb] = max(need[rb], below_a + above_b + p.label_band)
        ys = [0.0]
        for r in range(1, self.n_rows):
            ys.append(ys[-1] + max(need[r], p.label_band + 2 * p.line_width) + self.row_extra[r])
        return {nid: ys[n.row] for nid, n in self.lay.nodes.items()}

    # -- x: room made locally -----------------------------------------------------------------
    def _bands(self, pl: _Placed) -> tuple[dict[int, list[_Corridor]], dict[tuple, float]]:
        """The corridors of each gap, and the separations their bands ask for (the labels'
        pushes are added by the caller). A band is the
        rows a corridor (or a node) spans; in it the nodes of consecutive columns keep a
        column gap apart. Outside its band a node is free, so a label that needs room pushes
        only what lies beside it, not a whole column."""
        lay, p = self.lay, self.p
        lw = p.line_width / 2
        ext: dict[str, tuple[float, float]] = {}
        for nid, node in lay.nodes.items():
            offs = [*pl.offsets[nid].values(), *pl.offsets_out[nid].values()]
            pad = lw + (p.marker_pad + 1 if node.real else 1.0)
            ext[nid] = (pl.y[nid] + min(offs) - pad, pl.y[nid] + max(offs) + pad)
        index = [([ext[n][0] for n in layer], [ext[n][1] for n in layer]) for layer in lay.layers]
        gaps = [p.col_gap + self.col_extra[c + 1] for c in range(self.n_cols)]
        need: dict[tuple[str, str], float] = {}
        seen: dict[tuple[int, int], dict[int, list[str]]] = {}  # band -> its members

        def members(top: float, bottom: float) -> dict[int, list[str]]:
            out = {}
            for c, (tops, bottoms) in enumerate(index):
                i0 = bisect.bisect_left(bottoms, top)
                i1 = bisect.bisect_right(tops, bottom)
                if i0 < i1:
                    out[c] = lay.layers[c][i0:i1]
            return out

        def chain(top: float, bottom: float) -> dict[int, list[str]]:
            key = (round(top * 4), round(bottom * 4))
            if key in seen:
                return seen[key]
            m = seen[key] = members(top, bottom)
            cols = sorted(m)
            for c1, c2 in zip(cols, cols[1:], strict=False):
                for u in m[c1]:
                    for v in m[c2]:
                        if need.get((u, v), -1.0) < gaps[c1]:
                            need[(u, v)] = gaps[c1]
            return m

        clear = p.line_gap
        for nid in lay.nodes:
            chain(ext[nid][0] - clear, ext[nid][1] + clear)
        corridors: dict[int, list[_Corridor]] = {}
        for a, nbrs in lay.succ.items():
            ca = lay.nodes[a].col
            for b in nbrs:
                for lines in self._bundles(pl, a, b):
                    ya = pl.y[a] + sum(pl.offsets_out[a][m] for m in lines) / len(lines)
                    yb = pl.y[b] + sum(pl.offsets[b][m] for m in lines) / len(lines)
                    half = (len(lines) - 1) / 2 * p.line_gap + lw + clear
                    m = chain(min(ya, yb) - half, max(ya, yb) + half)
                    left = tuple(dict.fromkeys([a, *m.get(ca, ())]))
                    right = tuple(dict.fromkeys([b, *m.get(ca + 1, ())]))
                    corridors.setdefault(ca, []).append(_Corridor(a, b, lines, ya, yb, left, right))
        return corridors, need

    def _xs(self, need: dict[tuple[str, str], float]) -> dict[str, float]:
        """The leftmost x for every node that keeps every separation asked for (a longest
        path, column by column); each column starts at least a gap right of the previous
        column's leftmost node."""
        p, lay = self.p, self.lay
        into: dict[str, list[tuple[str, float]]] = {}
        for (u, v), sep in need.items():
            into.setdefault(v, []).append((u, sep))
        x: dict[str, float] = {}
        floor = 0.0
        for c, layer in enumerate(lay.layers):
            for nid in layer:
                x[nid] = max([floor] + [x[u] + sep for u, sep in into.get(nid, ())])
            floor = min(x[nid] for nid in layer) + p.col_gap + self.col_extra[c + 1]
        return x

    # -- the order of lines through each node -------------------------------------------------
    def _slots(self) -> None:
        """Each line's offset from its node's row, on the node's left and right side."""
        lay, gap = self.lay, self.p.line_gap
        prev: dict[tuple[str, str], str] = {}
        for lid, path in lay.paths.items():
            for a, b in zip(path, path[1:], strict=False):
                prev[(b, lid)] = a
        self.offsets: dict[str, dict[str, float]] = {}
        self.offsets_out: dict[str, dict[str, float]] = {}
        for layer in lay.layers:
            for nid in layer:
                ids = lay.order[nid]
                base = self._base(nid, ids, prev)
                self.offsets[nid] = {lid: base + i * gap for i, lid in enumerate(ids)}
                out = lay.order_out[nid]
                self.offsets_out[nid] = {lid: base + i * gap for i, lid in enumerate(out)}

    def _placed(self, x: dict[str, float], y: dict[str, float]) -> _Placed:
        """Pixel positions with the offsets. A station may spread its lines to meet its
        neighbours level (a taller marker, like a terminus bar), so no line bends there:
        always when it is alone in its column, and elsewhere when the spread stays within
        ``max_spread`` and a label band clear of the stations above and below it."""
        lay, p = self.lay, self.p
        offsets, offsets_out = dict(self.offsets), dict(self.offsets_out)

        def reach(nid: str, use_out: bool = True) -> tuple[float, float]:
            offs = [*offsets[nid].values(), *(offsets_out[nid].values() if use_out else ())]
            pad = p.line_width / 2 + (p.marker_pad if lay.nodes[nid].real else 1.0)
            return y[nid] + min(offs) - pad, y[nid] + max(offs) + pad

        for layer in lay.layers:
            for i, nid in enumerate(layer):
                if not lay.nodes[nid].real:
                    continue
                ins = {
                    lid: y[m] + offsets_out[m][lid] - y[nid]
                    for m, ls in lay.pred[nid].items()
                    for lid in ls
                }
                outs = {
                    lid: y[m] + self.offsets[m][lid] - y[nid]
                    for m, ls in lay.succ[nid].items()
                    for lid in ls
                }
                if not ins or not outs:  # a terminus: both sides as the one with neighbours
                    ins = ins or {lid: outs[lid] for lid in lay.order[nid]}
                    outs = outs or {lid: ins[lid] for lid in lay.order_out[nid]}
                gap = p.line_gap
                a, b = _spread(lay.order[nid], ins, gap), _spread(lay.order_out[nid], outs, gap)
                if not (_monotone(a, lay.order[nid]) and _monotone(b, lay.order_out[nid])):
                    continue
                pad = p.line_width / 2 + p.marker_pad
                top = y[nid] + min(*a.values(), *b.values()) - pad
                bottom = y[nid] + max(*a.values(), *b.values()) + pad
                if len(layer) > 1:
                    if bottom - top > p.max_spread:
                        continue
                    if i > 0 and top - reach(layer[i - 1])[1] < p.label_band:
                        continue
                    if i + 1 < len(layer) and reach(layer[i + 1], False)[0] - bottom < p.label_band:
                        continue
                offsets[nid], offsets_out[nid] = a, b
        return _Placed(x, y, offsets, lay.order, offsets_out, lay.order_out)

    def _base(self, nid, ids, prev) -> float:
        """Offset of the top line. Lines running straight in from the left keep their track
        (no jog when a line joins or leaves a bundle); otherwise the bundle is centred. The
        rows make room for wherever the bundle ends up (``_extent``)."""
        gap = self.p.line_gap
        k = len(ids)
        centred = -(k - 1) / 2 * gap
        row = self.lay.nodes[nid].row
        wants = []
        for i, lid in enumerate(ids):
            pa = prev.get((nid, lid))
            if pa is not None and self.lay.nodes[pa].row == row:
                wants.append(self.offsets_out[pa][lid] - i * gap)
        if not wants:
            return centred
        wants.sort()
        base = wants[(len(wants) - 1) // 2]
        base = round(base / (gap / 2)) * (gap / 2)
        drift = self.p.max_drift * gap
        return min(max(base, centred - drift), centred + drift)

    # -- strokes ------------------------------------------------------------------------------
    def _corridor_paths(
        self,
        pl: _Placed,
        a: str,
        b: str,
        corridor: tuple[str, ...],
        shift: float,
        stub: float,
        window: tuple[float, float],
    ) -> tuple[dict[str, list[Point]], int]:
        ca = sum(pl.offsets_out[a][m] for m in corridor) / len(corridor)
        cb = sum(pl.offsets[b][m] for m in corridor) / len(corridor)
        centre = _connector(
            (pl.x[a], pl.y[a] + ca),
            (pl.x[b], pl.y[b] + cb),
            window,
            self.p.corner,
            shift,
            self.diagonal_max,
        )
        out, jogs = {}, 0
        for lid in corridor:
            rel = pl.offsets_out[a][lid] - ca
            pts = _offset_polyline(centre, rel)
            delta = (pl.offsets[b][lid] - cb) - rel
            if abs(delta) > 1e-6:
                jogs += 1
                pts = self._jog(pts, delta, stub)
            out[lid] = pts
        return out, jogs

    @staticmethod
    def _segments(paths: dict[str, list[Point]]) -> list[tuple]:
        """Segments with their bounding boxes and their line's (start y, end y) in the gap:
        two lines whose order flips across the gap must cross."""
        out = []
        for pts in paths.values():
            ends = (pts[0][1], pts[-1][1])
            for p, q in zip(pts, pts[1:], strict=False):
                out.append(
                    (
                        p,
                        q,
                        (min(p[0], q[0]), min(p[1], q[1]), max(p[0], q[0]), max(p[1], q[1])),
                        ends,
                    )
                )
        return out

    def _clash(self, mine: list, placed: list) -> bool:
        """Do these strokes come closer than the line gap to strokes already placed?
        Lines whose order flips across the gap must cross; that is not a clash."""
        limit = self.p.line_gap - 0.6
        for p, q, (x0, y0, x1, y1), (ya, yb) in mine:
            for r, t, (u0, v0, u1, v1), (oa, ob) in placed:
                if x0 - limit > u1 or u0 - limit > x1 or y0 - limit > v1 or v0 - limit > y1:
                    continue
                if (ya - oa) * (yb - ob) <= 0:
                    continue
                if segment_distance(p, q, r, t) < limit:
                    return True
        return False

    def _fit_group(
        self, pl: _Placed, group: list, placed: list, stub: float, start_left: bool
    ) -> list | None:
        """Shift each corridor of a same-direction group, in nesting order, until it clears
        everything placed so far; None if one cannot be fitted."""
        p = self.p
        placed = list(placed)
        out = []
        prefer = None
        for a, b, lines, ya, yb, window in group:
            k = len(lines)
            span = window[1] - window[0]
            width = _transition_width(yb - ya, span, p.corner, self.diagonal_max) + k * p.line_gap
            room = max(0.0, (span - width) / 2)
            if prefer is None:
                prefer = -room if start_left else 0.0
            steps = [
                s
                for s in (prefer + d for d in _search_steps(2 * room + 1))
                if -room - 1e-6 <= s <= room + 1e-6
            ] or [0.0]
            for shift in steps:
                paths, j = self._corridor_paths(pl, a, b, lines, shift, stub, window)
                segs = self._segments(paths)
                if not self._clash(segs, placed):
                    break
            else:
                return None
            prefer = shift
            placed += segs
            out.append((a, b, paths, j))
        return out

    def _bundles(self, pl: _Placed, a: str, b: str) -> list[tuple[str, ...]]:
        """Split the lines of an edge into bundles that sit side by side, in the same order,
        at both ends: each bundle is drawn as offsets of one centreline; lines that must
        swap places get their own path and cross cleanly in the middle of the gap."""
        gap = self.p.line_gap
        lines = sorted(self.lay.succ[a][b], key=lambda m: pl.offsets_out[a][m])
        groups = [[lines[0]]]
        for prev, cur in zip(lines, lines[1:], strict=False):
            if (
                abs(pl.offsets_out[a][cur] - pl.offsets_out[a][prev] - gap) < 1e-6
                and abs(pl.offsets[b][cur] - pl.offsets[b][prev] - gap) < 1e-6
            ):
                groups[-1].append(cur)
            else:
                groups.append([cur])
        return [tuple(g) for g in groups]

    def _strokes(
        self, pl: _Placed, corridors: dict[int, list[_Corridor]]
    ) -> tuple[dict[str, list[Stroke]], int, set[int], dict[tuple[str, str, str], list[Point]]]:
        """Strokes for every line. Within each gap between two columns the changes of row are
        coordinated: corridors heading the same way turn in nested order (the one starting
        lowest turns first when heading down), each shifted until it clears the others, inside
        its window (the x range clear of every node in its band)."""
        lay = self.lay
        stub = self._stub
        jogs = 0
        cramped: set[int] = set()
        segment_cache: dict[tuple[str, str, str], list[Point]] = {}
        for col in sorted(corridors):
            info = []
            for cor in corridors[col]:
                lo = max(pl.x[m] for m in cor.left) + stub
                hi = min(pl.x[m] for m in cor.right) - stub
                info.append((cor.a, cor.b, cor.lines, cor.ya, cor.yb, (lo, hi)))
            straight = [e for e in info if abs(e[4] - e[3]) < 1e-6]
            down = sorted((e for e in info if e[4] - e[3] >= 1e-6), key=lambda e: (-e[3], -e[4]))
            up = sorted((e for e in info if e[3] - e[4] >= 1e-6), key=lambda e: (e[3], e[4]))
            placed: list = []
            for a, b, lines, _, _, window in straight:
                paths, j = self._corridor_paths(pl, a, b, lines, 0.0, stub, window)
                jogs += j
                placed += self._segments(paths)
                for lid, pts in paths.items():
                    segment_cache[(a, b, lid)] = pts
            for group in (down, up):
                fitted = None
                for start_left in (False, True):
                    fitted = self._fit_group(pl, group, placed, stub, start_left)
                    if fitted is not None:
                        break
                if fitted is None:
                    cramped.add(col)
                    fitted = [
                        (a, b, *self._corridor_paths(pl, a, b, lines, 0.0, stub, window))
                        for a, b, lines, _, _, window in group
                    ]
                for a, b, paths, j in fitted:
                    jogs += j
                    placed += self._segments(paths)
                    for lid, pts in paths.items():
                        segment_cache[(a, b, lid)] = pts
        strokes: dict[str, list[Stroke]] = {}
        for ln in self.rm.data.lines:
            path = lay.paths[ln.id]
            out: list[Stroke] = []
            pts: list[Point] = []
            start = path[0]
            for a, b in zip(path, path[1:], strict=False):
                seg = segment_cache[(a, b, ln.id)]
                pts += seg if not pts else seg[1:]
                if lay.nodes[b].real:
                    out.append(Stroke(start, b, tuple(_simplify(pts))))
                    pts, start = [], b
            strokes[ln.id] = out
        return strokes, jogs, cramped, segment_cache

    @staticmethod
    def _jog(pts: list[Point], delta: float, stub: float) -> list[Point]:
        """Move the end of a stroke by ``delta`` vertically with a 45-degree jog before it."""
        (xk, yk), (xe, _) = pts[-2], pts[-1]
        x2 = xe - stub + 2
        x1 = x2 - abs(delta)
        if x1 < xk:  # no room before the end: jog straight after the start instead
            xs, ys = pts[0]
            x1 = xs + stub - 2
            x2 = x1 + abs(delta)
            moved = [(px, py + delta) for px, py in pts[1:]]
            return [pts[0], (x1, ys), (x2, ys + delta), *moved]
        return [*pts[:-1], (x1, yk), (x2, yk + delta), (xe, yk + delta)]

    # -- markers and labels -------------------------------------------------------------------
    def _marker(self, sid: str, pl: _Placed) -> Box:
        p = self.p
        offs = [*pl.offsets[sid].values(), *pl.offsets_out[sid].values()]
        w = p.line_width + 2 * p.marker_pad + 2
        pad = p.line_width / 2 + p.marker_pad + 1
        top, bottom = min(offs) - pad, max(offs) + pad
        return Box(pl.x[sid] - w / 2, pl.y[sid] + top, w, bottom - top)

    def _candidates(self, sid: str, m: Box, pl: _Placed) -> list[tuple[str, Box, str, tuple]]:
        """Every shape's candidate boxes, the usual shape's first."""
        out = []
        for lines, w, h in self.label_shapes[sid]:
            out += [(*c, lines) for c in self._shape_candidates(sid, m, pl, w, h)]
        return out

    def _shape_candidates(
        self, sid: str, m: Box, pl: _Placed, w: float, h: float
    ) -> list[tuple[str, Box, str]]:
        x, y = pl.x[sid], m.y + m.height / 2
        gap = 3.0
        above, below = m.y - gap - h, m.bottom + gap
        far_above, far_below = above - 0.55 * h, below + 0.55 * h
        cands = [
            ("above", Box(x - w / 2, above, w, h), "middle"),
            ("below", Box(x - w / 2, below, w, h), "middle"),
            ("above-right", Box(m.x, above, w, h), "start"),
            ("below-right", Box(m.x, below, w, h), "start"),
            ("above-left", Box(m.right - w, above, w, h), "end"),
            ("below-left", Box(m.right - w, below, w, h), "end"),
            ("right", Box(m.right + gap + 1, y - h / 2, w, h), "start"),
            ("left", Box(m.x - gap - 1 - w, y - h / 2, w, h), "end"),
            ("far-above", Box(x - w / 2, far_above, w, h), "middle"),
            ("far-below", Box(x - w / 2, far_below, w, h), "middle"),
        ]
        # a little to either side, still over the station
        for name, top in (("above", above), ("below", below)):
            for k, side in ((0.25, "left"), (0.75, "right")):
                box = Box(x - k * w, top, w, h)
                cands.append((f"{name}-{side}-of-centre", box, "middle"))
        kind = self.rm.stations[sid].kind
        if self.lay.nodes[sid].col % 2:  # neighbours in the flow label on opposite sides
            cands.sort(key=lambda c: not c[0].startswith("below"))
        if kind == "origin":
            cands.sort(key=lambda c: c[0] != "left")
        elif kind == "outcome":
            cands.sort(key=lambda c: c[0] != "right")
        return cands

    def _label(self, sid: str, name: str, box: Box, anchor: str, lines: tuple) -> Label:
        weight = self._weight(sid)
        fm = metrics(weight)
        return Label(
            text=self.rm.stations[sid].name,
            lines=lines,
            box=box,
            anchor=anchor,
            font_size=self.p.font_size,
            weight=weight,
            line_height=fm.line_height(self.p.font_size),
            baseline=fm.baseline(self.p.font_size),
            position=name,
        )

    def _place_labels(
        self,
        pl: _Placed,
        segs: dict[tuple[str, str, str], list[Point]],
        corridor_of: dict[tuple[str, str, str], _Corridor],
        markers: dict[str, Box],
    ) -> tuple[dict[str, Label], list[str], dict[tuple[str, str], float]]:
        """Labels greedily, in column order, on the first free candidate. Where none is free
        the label takes the candidate that asks least room of its neighbours, and says what
        room (node pairs and how far apart), so the next round makes it only there."""
        grid = Grid(64.0)
        half_w = self.p.line_width / 2
        for key, pts in segs.items():
            cor = corridor_of[key]
            for a, b in zip(pts, pts[1:], strict=False):
                grid.add_segment("stroke", a, b, cor)
        for sid, box in markers.items():
            grid.add_box("marker", box, sid)
        labels: dict[str, Label] = {}
        failed: list[str] = []
        asks: dict[tuple[str, str], float] = {}
        todo = sorted(markers, key=lambda s: (self.lay.nodes[s].col, self.lay.nodes[s].row))
        for sid in todo:
            cands = self._candidates(sid, markers[sid], pl)
            chosen = None
            for cand in cands:
                if self._free(grid, cand[1], half_w):
                    chosen = cand
                    break
            if chosen is None:
                failed.append(sid)
                best = None
                for rank, cand in enumerate(cands):
                    most = best[0][0] if best is not None else None
                    room = self._room(sid, cand[1], grid, pl, half_w, most)
                    if room is None:  # more obstacles no move clears than the best so far
                        continue
                    bad, want = room
                    cost = (bad, sum(want.values()) + 2.0 * rank)
                    if best is None or cost < best[0]:
                        best = (cost, cand, want)
                _, chosen, want = best
                if best[0][0] == 0:
                    for (u, v), more in want.items():
                        sep = _up(pl.x[v] - pl.x[u] + more)
                        if asks.get((u, v), -1.0) < sep:
                            asks[(u, v)] = sep
            name, box, anchor, lines = chosen
            labels[sid] = self._label(sid, name, box, anchor, lines)
            grid.add_box("label", box, sid)
        self._grid = grid
        return labels, failed, asks

    def _room(
        self, sid: str, box: Box, grid: Grid, pl: _Placed, half_w: float, most: int | None = None
    ) -> tuple[int, dict[tuple[str, str], float]] | None:
        """What it takes to clear a label's box by moving nodes apart: (node pairs -> how
        much further apart), and how many obstacles no move of x can clear (a stroke along
        the label's own row, a station in its own column); None once those are more than
        ``most``."""
        lay, pad = self.lay, 2.0
        cs = lay.nodes[sid].col
        bad = 0
        want: dict[tuple[str, str], float] = {}

        def ask(u: str, v: str, d: float) -> None:
            if want.get((u, v), 0.0) < d:
                want[(u, v)] = d

        for kind, obj in grid.near(_probe(box, pad, half_w)):
            if kind == "stroke":
                a, b, cor = obj
                if not segment_hits_box(a, b, box, pad + half_w):
                    continue
                g = lay.nodes[cor.a].col
                left, right = min(a[0], b[0]), max(a[0], b[0])
                level = abs(a[1] - b[1]) < 1e-6
                if g > cs:  # the corridor lies right of the label's column: move it right
                    d = box.right + pad + half_w - left + 0.5
                    for m in (*cor.left, *cor.right):
                        ask(sid, m, d)
                elif g + 1 < cs:  # ... left of it: move the station right
                    d = right + pad + half_w - box.x + 0.5
                    for m in cor.right:
                        ask(m, sid, d)
                elif g == cs:  # leaves the label's column
                    if level and left <= pl.x[cor.a] + 1e-6:
                        bad += 1  # the stroke out of a station of this column, level
                        if most is not None and bad > most:
                            return None
                    else:
                        d = box.right + pad + half_w - left + 0.5
                        for m in cor.right:
                            ask(sid, m, 2 * d)
                else:  # enters the label's column
                    if level and right >= pl.x[cor.b] - 1e-6:
                        bad += 1
                        if most is not None and bad > most:
                            return None
                    else:
                        d = right + pad + half_w - box.x + 0.5
                        for m in cor.left:
                            ask(m, sid, 2 * d)
            else:
                other, tag = obj
                level = kind == "label" and _level_and_near(box, other)
                if not (box.overlaps(other, pad) or level):
                    continue
                gap = WORD_GAP if level else pad
                ct = lay.nodes[tag].col if tag in lay.nodes else cs
                if ct > cs:
                    ask(sid, tag, box.right + gap - other.x + 0.5)
                elif ct < cs:
                    ask(tag, sid, other.right + gap - box.x + 0.5)
                else:
                    bad += 1
                    if most is not None and bad > most:
                        return None
        return bad, want

    def _line_names(self, strokes: dict[str, list[Stroke]]) -> dict[str, list[Label]]:
        """Each line's name beside its own stroke: on the last straight run long enough
        (near its end), and again along a long run elsewhere; only where the box is clear of
        every other label, marker and stroke (lines run in bundles, so a name can only sit
        beside a line on a bundle's edge, where it reads as that line's)."""
        p, grid = self.p, self._grid
        fm = metrics("bold")
        size = p.line_name_size
        half_w = p.line_width / 2
        h = fm.line_height(size)
        out: dict[str, list[Label]] = {}
        for ln in self.rm.data.lines:
            runs = self._level_runs(strokes[ln.id])
            placed: list[Label] = []
            one = (ln.name,)
            two = tuple(wrap(ln.name, size, fm.width(ln.name, size) / 2 + size, "bold", 2))
            for lines in (one, two) if len(two) > 1 else (one,):
                w = max(fm.width(t, size) for t in lines)
                hh = h * len(lines)
                fit = [r for r in runs if r[1][0] - r[0][0] >= w + 16]
                picks = list(reversed(fit))  # nearest the end first
                picks += sorted(fit, key=lambda r: -(r[1][0] - r[0][0]))
                for a, b in picks:
                    if len(placed) == 2 or (placed and b[0] - a[0] < p.line_name_run):
                        break
                    far = p.line_name_run  # a second name only well away from the first
                    if any(lb.box.x - far <= b[0] and a[0] <= lb.box.right + far for lb in placed):
                        continue
                    box = self._name_box(grid, a, b, w, hh, half_w)
                    if box is None:
                        continue
                    label = Label(
                        ln.name,
                        lines,
                        box,
                        "start",
                        size,
                        "bold",
                        h,
                        fm.baseline(size),
                        "line-name",
                    )
                    placed.append(label)
                    grid.add_box("label", box, ln.id)
                if placed:
                    break
            out[ln.id] = placed
        return out

    def _line_tags(
        self,
        names: dict[str, list[Label]],
        markers: dict[str, Box],
        strokes: dict[str, list[Stroke]],
    ) -> None:
        """A line with no room for its name beside it (one that runs inside bundles all the
        way) gets a tag: a swatch of the line and its name, as near its end as a clear place
        inside the map allows (else its start, else beside its longest level runs), so the
        tags of several lines ending together stack there."""
        p, grid = self.p, self._grid
        fm = metrics("bold")
        size = p.line_name_size
        h = fm.line_height(size)
        half_w = p.line_width / 2
        boxes = [item[2] for item in grid.items]
        left, right = min(b.x for b in boxes), max(b.right for b in boxes)
        top, bottom = min(b.y for b in boxes), max(b.bottom for b in boxes)

        pad = 2.0  # as _free
        busy = Occupancy(grid, pad + half_w, pad)
        for ln in self.rm.data.lines:
            if names[ln.id] or not strokes[ln.id]:
                continue
            one = (ln.name,)
            two = tuple(wrap(ln.name, size, fm.width(ln.name, size) / 2 + size, "bold", 2))
            found = None
            for lines in (one, two) if len(two) > 1 else (one,):
                found = self._tag_place(ln.id, lines, strokes, busy, (left, top, right, bottom))
                if found is not None:
                    break
            if found is not None:
                tag = Label(
                    ln.name, lines, found, "start", size, "bold", h, fm.baseline(size), "line-tag"
                )
                names[ln.id] = [tag]
                grid.add_box("label", found, ln.id)
                busy.mark(
                    Box(found.x - pad, found.y - pad, found.width + 2 * pad, found.height + 2 * pad)
                )

    def _tag_place(self, lid, lines, strokes, busy, bounds) -> Box | None:
        """The nearest clear box for a tag of these lines: near the line's end, its start
        and its longest level runs, then further from its ends and runs."""
        p, grid = self.p, self._grid
        fm = metrics("bold")
        size = p.line_name_size
        h = fm.line_height(size)
        w = TAG_SWATCH + max(fm.width(t, size) for t in lines)
        hh = h * len(lines)
        left, top, right, bottom = bounds
        near, far = self._rings(h)
        end, start = strokes[lid][-1].points[-1], strokes[lid][0].points[0]
        runs = sorted(self._level_runs(strokes[lid]), key=lambda r: r[0][0] - r[1][0])
        places = [(end[0] - w - 8, end[1]), (start[0] + 8, start[1])]
        places += [((a[0] + b[0] - w) / 2, a[1]) for a, b in runs]
        tries = [(near, *pl) for pl in places[:5]] + [(far, *pl) for pl in places[:5]]
        tries += [(near, *pl) for pl in places[5:]]
        for steps, x0, cy in tries:
            for dx, dy in steps:
                box = Box(x0 + dx, cy + dy * h / 2 - hh / 2, w, hh)
                inside = left <= box.x and box.right <= right
                if inside and top <= box.y and box.bottom <= bottom:
                    if busy.maybe_free(box) and self._free(grid, box, p.line_width / 2):
                        return box
        return None

    @staticmethod
    def _rings(h: float) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
        """Offsets to search, nearest first: (x in units, y in half lines)."""

        def ring(reach: int, rows: int, step: int, every: int) -> list[tuple[int, int]]:
            offsets = [
                (dx, dy)
                for dx in range(-reach, reach + 1, step)
                for dy in range(-rows, rows + 1, every)
            ]
            return sorted(offsets, key=lambda d: (d[0] ** 2 + (d[1] * h / 2) ** 2, d[1], d[0]))

        return ring(96, 6, 12, 1), ring(300, 24, 24, 2)

    @staticmethod
    def _level_runs(strokes: list[Stroke]) -> list[tuple[Point, Point]]:
        """A line's horizontal runs, joined across the stations it passes level."""
        runs: list[tuple[Point, Point]] = []
        for st in strokes:
            for a, b in zip(st.points, st.points[1:], strict=False):
                if abs(a[1] - b[1]) > 1e-6 or b[0] <= a[0]:
                    continue
                if runs and abs(runs[-1][1][0] - a[0]) < 1e-6 and abs(runs[-1][1][1] - a[1]) < 1e-6:
                    runs[-1] = (runs[-1][0], b)
                else:
                    runs.append((a, b))
        return runs

    def _name_box(self, grid: Grid, a: Point, b: Point, w: float, h: float, half_w: float):
        gap = half_w + 2.5
        span = b[0] - a[0] - w - 16
        steps = max(1, int(span // 24))
        for k in range(steps + 1):
            x = b[0] - 8 - w - k * (span / steps if steps else 0)
            for y in (a[1] - gap - h, a[1] + gap):
                box = Box(x, y, w, h)
                if self._free(grid, box, half_w):
                    return box
        return None

    @staticmethod
    def _free(grid: Grid, box: Box, half_w: float) -> bool:
        """Is the box 2 units clear of every stroke, marker and label, and a word's space
        clear of a label level with it (side by side, two labels would read as one)?"""
        pad = 2.0
        for kind, obj in grid.near(_probe(box, pad, half_w)):
            if kind == "stroke":
                a, b, _ = obj
                if segment_hits_box(a, b, box, pad + half_w):
                    return False
            else:
                other, _ = obj
                if box.overlaps(other, pad):
                    return False
                if kind == "label" and _level_and_near(box, other):
                    return False
        return True

    # -- the whole picture --------------------------------------------------------------------
    def run(self) -> Geometry:
        problems: list[str] = []
        fails: dict[str, int] = {}
        cramp_rounds: dict[int, int] = {}
        grown: dict[tuple[str, str], int] = {}
        bands: dict[tuple, tuple] = {}
        rounds = 0
        while True:
            rounds += 1
            pl = self._placed({}, self._rows_y())
            key = (tuple(self.row_extra), tuple(self.col_extra))
            if key not in bands:  # the bands change only when rows or gaps grow
                bands.clear()
                bands[key] = self._bands(pl)
            corridors, base = bands[key]
            need = dict(base)
            for pair, sep in self.push.items():  # and the room labels asked for
                if need.get(pair, -1.0) < sep:
                    need[pair] = sep
            pl.x.update(self._xs(need))
            strokes, jogs, cramped, segs = self._strokes(pl, corridors)
            corridor_of = {
                (c.a, c.b, lid): c for cs in corridors.values() for c in cs for lid in c.lines
            }
            markers = {sid: self._marker(sid, pl) for sid in self.rm.order}
            if rounds == 1 and self.flat is not None:  # already flat before any room is made
                xs, ys = list(pl.x.values()), list(pl.y.values())
                if max(xs) - min(xs) > self.flat * (max(ys) - min(ys) + 2 * self.p.label_band):
                    raise _TooFlat
            labels, failed, asks = self._place_labels(pl, segs, corridor_of, markers)
            widen = {c for c in cramped if cramp_rounds.get(c, 0) < 6}
            if (not failed and not widen) or rounds >= self.p.max_rounds:
                break
            for col in widen:  # a gap too narrow for its changes of row: widen it
                cramp_rounds[col] = cramp_rounds.get(col, 0) + 1
                self.col_extra[col + 1] += _up(max(24.0, 0.3 * self.p.col_gap))
            moved = False
            for pair, sep in asks.items():  # room beside the labels that asked for it
                if self.push.get(pair, -1.0) < sep - 1e-6 and grown.get(pair, 0) < GROW:
                    self.push[pair] = sep
                    grown[pair] = grown.get(pair, 0) + 1
                    moved = True
            for sid in failed:
                fails[sid] = fails.get(sid, 0) + 1
            # a label no move of x can clear (or still failing after several moves): the
            # rows around it grow, and at last the gaps beside it, as a last resort
            for sid in failed:
                if moved and fails[sid] < PATIENCE:
                    continue
                node = self.lay.nodes[sid]
                w, h = self.label_size[sid]
                self.row_extra[node.row] += _up(h / 2)
                if node.row + 1 < self.n_rows:
                    self.row_extra[node.row + 1] += _up(h / 2)
                if fails[sid] >= 6:
                    for gap in (node.col, node.col + 1):
                        if 0 < gap < self.n_cols:
                            self.col_extra[gap] += _up(max(16.0, w / 3))
        names = self._line_names(strokes)
        self._line_tags(names, markers, strokes)
        for sid in failed:
            problems.append(f"label of '{sid}' could not be placed clear of everything")
        for col in sorted(cramped):
            problems.append(
                f"strokes between columns {col} and {col + 1} are closer than the line gap"
            )
        return self._assemble(
            pl, strokes, markers, labels, names, problems, {"rounds": rounds, "jogs": jogs}
        )

    def room(self) -> tuple[dict, list, list]:
        """The room made so far (node pairs -> x apart, extra per row, extra per gap)."""
        return dict(self.push), list(self.row_extra), list(self.col_extra)

    def _assemble(self, pl, strokes, markers, labels, names, problems, stats) -> Geometry:
        p, rm = self.p, self.rm
        info = rm.info
        # bounds of the map itself
        xs, ys = [], []
        boxes = list(markers.values()) + [lb.box for lb in labels.values()]
        boxes += [lb.box for ls in names.values() for lb in ls]
        for box in boxes:
            xs += [box.x, box.right]
            ys += [box.y, box.bottom]
        for ln in strokes.values():
            for st in ln:
                for px, py in st.points:
                    xs.append(px - p.line_width)
                    xs.append(px + p.line_width)
                    ys.append(py - p.line_width)
                    ys.append(py + p.line_width)
        min_x, max_x, min_y, max_y = min(xs), max(xs), min(ys), max(ys)

        # title block above the map
        bold, regular = metrics("bold"), metrics("regular")
        t_size, s_size = 24.0, 14.0
        title_w = bold.width(info.title, t_size)
        sub_w = regular.width(info.subtitle, s_size)
        top = p.margin
        title = Label(
            info.title,
            (info.title,),
            Box(p.margin, top, title_w, bold.line_height(t_size)),
            "start",
            t_size,
            "bold",
            bold.line_height(t_size),
            bold.baseline(t_size),
            "title",
        )
        top += bold.line_height(t_size) + 2
        subtitle = Label(
            info.subtitle,
            (info.subtitle,),
            Box(p.margin, top, sub_w, regular.line_height(s_size)),
            "start",
            s_size,
            "regular",
            regular.line_height(s_size),
            regular.baseline(s_size),
            "subtitle",
        )
        top += regular.line_height(s_size) + 14

        dx = p.margin - min_x
        # the title block sits in the map's top-left corner: the map moves up as far as the
        # margin allows, keeping what lies under the title block (and a gap) below it
        reach = min_x + max(title_w, sub_w) + 16
        under = [box.y for box in boxes if box.x <= reach]
        for ln in strokes.values():
            for st in ln:
                for (ax, ay), (bx, by) in zip(st.points, st.points[1:], strict=False):
                    if min(ax, bx) - p.line_width <= reach:
                        under.append(min(ay, by) - p.line_width)
        dy = max(p.margin - min_y, top - min(under, default=min_y))
        map_top = min_y + dy
        map_w, map_h = max_x - min_x, max_y - min_y
        top = map_top  # the map box: from here down

        # legend below the map, in as many columns as fit the width
        legend, legend_h = self._legend(p.margin, top + map_h + 18, max(map_w, title_w, sub_w))
        width = max(map_w, title_w, sub_w, legend.box.width) + 2 * p.margin
        height = top + map_h + 18 + legend_h + p.margin

        def move(box: Box) -> Box:
            return box.shifted(dx, dy)

        stations = []
        for sid in rm.order:
            st = rm.stations[sid]
            lines_here = tuple(pl.order[sid])
            stations.append(
                StationGeom(
                    id=sid,
                    name=st.name,
                    kind=st.kind,
                    historical=st.status == "historical",
                    x=pl.x[sid] + dx,
                    y=markers[sid].y + markers[sid].height / 2 + dy,
                    column=self.lay.nodes[sid].col,
                    lines=lines_here,
                    marker=move(markers[sid]),
                    label=replace(labels[sid], box=move(labels[sid].box)),
                    interchange=len(lines_here) > 1,
                    terminus=st.kind in ("origin", "outcome"),
                )
            )
        lines = []
        for ln in rm.data.lines:
            lines.append(
                LineGeom(
                    id=ln.id,
                    name=ln.name,
                    colour=ln.colour,
                    historical=ln.status == "historical",
                    kind=ln.kind,
                    strokes=tuple(
                        Stroke(s.start, s.end, tuple((px + dx, py + dy) for px, py in s.points))
                        for s in strokes[ln.id]
                    ),
                    names=tuple(replace(lb, box=move(lb.box)) for lb in names[ln.id]),
                )
            )
        return Geometry(
            width=width,
            height=height,
            map_box=Box(p.margin, top, map_w, map_h),
            title=title,
            subtitle=subtitle,
            legend=legend,
            stations=tuple(stations),
            lines=tuple(lines),
            params=p.as_dict(),
            problems=tuple(problems),
            stats=stats,
        )

    def _legend(self, x0: float, y0: float, avail: float) -> tuple[Legend, float]:
        rm = self.rm
        fm, bold = metrics("regular"), metrics("bold")
        size = 13.0
        swatch = 40.0
        texts = []
        for ln in rm.data.lines:
            text = ln.name
            if ln.status == "historical":
                span = year_span(ln)
                text += f" (historical, {span})"
            texts.append((ln, text, fm.width(text, size)))
        entry_w = swatch + 10 + max(w for _, _, w in texts) + 20
        per_row = max(1, min(len(texts), int(avail // entry_w)))
        rows = math.ceil(len(texts) / per_row)
        lh = fm.line_height(size)
        row_h = lh + 4
        title_h = bold.line_height(14.0)
        title = Label(
            "Lines",
            ("Lines",),
            Box(x0, y0, bold.width("Lines", 14.0), title_h),
            "start",
            14.0,
            "bold",
            title_h,
            bold.baseline(14.0),
            "legend-title",
        )
        entries = []
        for i, (ln, text, w) in enumerate(texts):
            r, c = divmod(i, per_row)
            ex = x0 + c * entry_w
            ey = y0 + title_h + 8 + r * row_h
            mid = ey + lh / 2
            label = Label(
                text,
                (text,),
                Box(ex + swatch + 10, ey, w, lh),
                "start",
                size,
                "regular",
                lh,
                fm.baseline(size),
                "legend",
            )
            entries.append(LegendEntry(ln.id, text, ((ex, mid), (ex + swatch, mid)), label))
        height = title_h + 8 + rows * row_h
        box = Box(x0, y0, per_row * entry_w - 20, height)
        return Legend(box, title, tuple(entries)), height


class _TooFlat(Exception):
    """The grid is already flatter than FLAT before any room is made: lay out again."""


FLAT = 3.0  # a drawing wider than this many times its height is laid out again ...
MORE_ROOM = 1.5  # ... with this much more room between rows (at most MAX_SPREAD times)


def compute_layout(
    rm: RouteMap, params: LayoutParams | None = None, *, fresh: bool = False
) -> Geometry:
    """The geometry, drawn from the data's layout lock where it has one (what was accepted
    stays put; ``fromlock``), else from scratch (``fresh``: from scratch even so). A long
    flow laid out flat from scratch (labels pushing its columns apart) is laid out again with
    more room between its rows, where labels then sit above and below their stations instead:
    the taller drawing is narrower too. The least flat one is kept, and the lock remembers it.
    The geometry carries the lock of the grid it was drawn on (``Geometry.lock``)."""
    enabled = gc.isenabled()
    gc.disable()  # the layout makes hundreds of thousands of short-lived tuples and no
    try:  # cycles: the cyclic collector, run over the whole heap each time, cost ~10%
        lock = None if fresh else getattr(rm.data, "lock", None)
        if lock is not None:
            return _from_lock(rm, params, lock)
        return _compute_layout(rm, params)
    finally:
        if enabled:
            gc.enable()


def _names(rm: RouteMap) -> dict[str, str]:
    return {sid: st.name for sid, st in rm.stations.items()}


def _from_lock(rm: RouteMap, params: LayoutParams | None, lock) -> Geometry:
    from .fromlock import layered_from_lock, room_for

    p = params or LayoutParams()
    for _ in range(lock.spread_rows):  # as the fresh layout made it, to the last bit
        p = replace(p, label_band=p.label_band * MORE_ROOM)
    lay = layered_from_lock(rm, lock)
    engine = _Engine(rm, p, lay, room=room_for(lay, lock.room))
    g = engine.run()
    return replace(g, lock=lock_of(lay, _names(rm), lock.spread_rows, engine.room()))


def _compute_layout(rm: RouteMap, params: LayoutParams | None) -> Geometry:
    p = params or LayoutParams()
    lay, best, spread, room = None, None, 0, None
    for attempt in range(MAX_SPREAD + 1):
        engine = _Engine(rm, p, lay, FLAT if attempt < MAX_SPREAD else None)
        lay = engine.lay
        try:
            g = engine.run()
        except _TooFlat:
            g = None
        if g is not None and (best is None or g.width / g.height < best.width / best.height):
            best, spread, room = g, attempt, engine.room()
        if best is not None and best.width <= FLAT * best.height:
            break
        p = replace(p, label_band=p.label_band * MORE_ROOM)
    return replace(best, lock=lock_of(lay, _names(rm), spread, room))
