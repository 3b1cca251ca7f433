"""A uniform grid of buckets for boxes and segments, and the exact tests used with it.

Label placement asks "is this box free of every label, marker and stroke?" thousands of times;
a grid makes each question look only at its neighbourhood.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

from .geometry import Box, Point


def segment_hits_box(p: Point, q: Point, box: Box, inflate: float = 0.0) -> bool:
    """Does segment pq come within ``inflate`` of the box? (Liang-Barsky clipping.)"""
    x0, y0 = box.x - inflate, box.y - inflate
    x1, y1 = box.right + inflate, box.bottom + inflate
    dx, dy = q[0] - p[0], q[1] - p[1]
    t0, t1 = 0.0, 1.0
    for pk, qk in ((-dx, p[0] - x0), (dx, x1 - p[0]), (-dy, p[1] - y0), (dy, y1 - p[1])):
        if pk == 0:
            if qk < 0:
                return False
        else:
            t = qk / pk
            if pk < 0:
                if t > t1:
                    return False
                t0 = max(t0, t)
            else:
                if t < t0:
                    return False
                t1 = min(t1, t)
    return t0 < t1 or (t0 == t1 and 0 <= t0 <= 1)


def segments_cross(a: Point, b: Point, c: Point, d: Point) -> Point | None:
    """The point where segments ab and cd properly cross (not merely touch), else None."""
    r = (b[0] - a[0], b[1] - a[1])
    s = (d[0] - c[0], d[1] - c[1])
    denom = r[0] * s[1] - r[1] * s[0]
    if abs(denom) < 1e-9:
        return None  # parallel or collinear: overlapping strokes are not crossings
    qp = (c[0] - a[0], c[1] - a[1])
    t = (qp[0] * s[1] - qp[1] * s[0]) / denom
    u = (qp[0] * r[1] - qp[1] * r[0]) / denom
    eps = 1e-6
    if eps < t < 1 - eps and eps < u < 1 - eps:
        return (a[0] + t * r[0], a[1] + t * r[1])
    return None


class Grid:
    def __init__(self, cell: float = 64.0):
        self.cell = cell
        self.buckets: dict[tuple[int, int], list[int]] = defaultdict(list)
        self.items: list[tuple[str, object, Box]] = []

    def _cells(self, box: Box) -> Iterator[tuple[int, int]]:
        c = self.cell
        for i in range(int(box.x // c), int(box.right // c) + 1):
            for j in range(int(box.y // c), int(box.bottom // c) + 1):
                yield i, j

    def add_box(self, kind: str, box: Box, tag: object = None) -> None:
        idx = len(self.items)
        self.items.append((kind, (box, tag), box))
        for cell in self._cells(box):
            self.buckets[cell].append(idx)

    def add_segment(self, kind: str, p: Point, q: Point, tag: object = None) -> None:
        box = Box(min(p[0], q[0]), min(p[1], q[1]), abs(q[0] - p[0]), abs(q[1] - p[1]))
        idx = len(self.items)
        self.items.append((kind, (p, q, tag), box))
        for cell in self._cells(box):
            self.buckets[cell].append(idx)

    def near(self, box: Box) -> Iterator[tuple[str, object]]:
        seen: set[int] = set()
        for cell in self._cells(box):
            for idx in self.buckets.get(cell, ()):
                if idx not in seen:
                    seen.add(idx)
                    kind, obj, _ = self.items[idx]
                    yield kind, obj


def _point_segment_distance(p: Point, a: Point, b: Point) -> float:
    dx, dy = b[0] - a[0], b[1] - a[1]
    length2 = dx * dx + dy * dy
    if length2 == 0:
        return ((p[0] - a[0]) ** 2 + (p[1] - a[1]) ** 2) ** 0.5
    t = max(0.0, min(1.0, ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / length2))
    cx, cy = a[0] + t * dx, a[1] + t * dy
    return ((p[0] - cx) ** 2 + (p[1] - cy) ** 2) ** 0.5


def segment_distance(a: Point, b: Point, c: Point, d: Point) -> float:
    """Shortest distance between segments ab and cd (0 where they cross)."""
    if segments_cross(a, b, c, d) is not None:
        return 0.0
    return min(
        _point_segment_distance(a, c, d),
        _point_segment_distance(b, c, d),
        _point_segment_distance(c, a, b),
        _point_segment_distance(d, a, b),
    )


class Occupancy:
    """Cells of the picture that something comes within reach of (``reach`` of a stroke,
    ``pad`` of a box): a quick first test before the exact one, for searches over thousands
    of boxes."""

    def __init__(self, grid: Grid, reach: float, pad: float, cell: float = 8.0):
        self.cell, self.cells = cell, set()
        for kind, obj, _ in grid.items:
            if kind == "stroke":
                (x0, y0), (x1, y1), _ = obj
                if abs(x1 - x0) < 1e-9 or abs(y1 - y0) < 1e-9:  # level or upright: a box
                    lo_x, lo_y = min(x0, x1) - reach, min(y0, y1) - reach
                    w, h = abs(x1 - x0) + 2 * reach, abs(y1 - y0) + 2 * reach
                    self.mark(Box(lo_x, lo_y, w, h))
                    continue
                n = max(1, int(max(abs(x1 - x0), abs(y1 - y0)) // (cell / 2)) + 1)
                for i in range(n + 1):
                    t = i / n
                    x, y = x0 + (x1 - x0) * t, y0 + (y1 - y0) * t
                    self.mark(Box(x - reach, y - reach, 2 * reach, 2 * reach))
            else:
                box = obj[0]
                self.mark(Box(box.x - pad, box.y - pad, box.width + 2 * pad, box.height + 2 * pad))

    def _span(self, box: Box, shrink: float = 0.0):
        c = self.cell
        return (
            range(int((box.x + shrink) // c), int((box.right - shrink) // c) + 1),
            range(int((box.y + shrink) // c), int((box.bottom - shrink) // c) + 1),
        )

    def mark(self, box: Box) -> None:
        xs, ys = self._span(box)
        self.cells.update((i, j) for i in xs for j in ys)

    def maybe_free(self, box: Box) -> bool:
        """False where the box certainly meets something (a cell wholly inside it is
        covered); True where only the exact test can tell."""
        xs, ys = self._span(box, self.cell)
        cells = self.cells
        return not any((i, j) in cells for i in xs for j in ys)
