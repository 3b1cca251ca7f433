"""The layout quality report: hard rules checked, soft scores watched.

Hard: every segment octilinear; no label within 2 units of a label, a marker or a stroke; every
station labelled; no stroke through the marker of a station its line does not serve; no
crossing between lines away from a station they share. Soft: bends per line, spread of station
spacing (std/mean), canvas aspect ratio.
"""

from __future__ import annotations

import math
import statistics
from dataclasses import dataclass, field

from .geometry import Box, Geometry
from .paper import LEGIBLE_PT, label_points, page_fill
from .spatial import Grid, segment_hits_box, segments_cross

ANGLE_TOLERANCE = 0.5  # degrees
CLEARANCE = 2.0  # units a label keeps from other labels, markers and strokes: a near miss fails
# readability targets for a map of many lines, such as the real one (a target, not a hard rule)
MAX_CROSSINGS = 40  # stroke crossings away from shared stations
MAX_BENDS_PER_LINE = 20  # on average


@dataclass
class Report:
    stations: int
    lines: int
    segments: int
    octilinear: int
    crossings_same_corridor: int
    crossings_elsewhere: int
    label_label: int
    label_marker: int
    label_stroke: int
    unlabelled: int
    through_markers: int
    bends_per_line: dict[str, int]
    spacing_spread: float
    width: float
    height: float
    seconds: float = 0.0
    problems: list[str] = field(default_factory=list)
    named_lines: int = 0
    print_points: dict[str, float] = field(default_factory=dict)  # paper -> smallest label
    page_fill: dict[str, tuple[float, float]] = field(default_factory=dict)  # width, height
    # the widest strip across the whole map (a band of rows) and down it (a band of columns)
    # that no stroke, marker or label touches, and the width of a corridor carrying every line
    empty_across: float = 0.0
    empty_down: float = 0.0
    corridor: float = 0.0

    @property
    def octilinear_share(self) -> float:
        return self.octilinear / self.segments if self.segments else 1.0

    @property
    def label_overlaps(self) -> int:
        return self.label_label + self.label_marker + self.label_stroke

    @property
    def aspect(self) -> float:
        return max(self.width, self.height) / min(self.width, self.height)

    @property
    def mean_bends(self) -> float:
        """Bends per line, on average over the lines."""
        return statistics.mean(self.bends_per_line.values()) if self.bends_per_line else 0.0

    @property
    def broken_rules(self) -> list[str]:
        out = list(self.problems)
        if self.octilinear < self.segments:
            out.append(f"{self.segments - self.octilinear} segments are not octilinear")
        if self.label_overlaps:
            out.append(f"{self.label_overlaps} label overlaps")
        if self.unlabelled:
            out.append(f"{self.unlabelled} stations without a label")
        if self.through_markers:
            out.append(f"{self.through_markers} strokes pass through a station they do not serve")
        return out

    @property
    def targets(self) -> list[tuple[str, str, bool]]:
        """The readability targets (issue 17's, for a map like the real one): what each is, the
        figure against it, and whether it is met. Crossings are a target, not a hard rule: a
        map of many lines may need a few."""
        a3 = self.print_points.get("A3")
        widest = max(self.empty_across, self.empty_down)
        out = [
            (
                "crossings away from shared stations",
                f"{self.crossings_elsewhere} (at most {MAX_CROSSINGS})",
                self.crossings_elsewhere <= MAX_CROSSINGS,
            ),
            (
                "bends per line",
                f"{self.mean_bends:.1f} on average (at most {MAX_BENDS_PER_LINE})",
                self.mean_bends <= MAX_BENDS_PER_LINE,
            ),
            (
                "lines named on the map",
                f"{self.named_lines} of {self.lines} (all)",
                self.named_lines == self.lines,
            ),
            (
                "widest empty band",
                f"{widest:.0f} units (at most a corridor, {self.corridor:.0f})",
                widest <= self.corridor,
            ),
        ]
        if a3 is not None:
            out.append(
                ("smallest label on A3", f"{a3:.1f} pt (at least {LEGIBLE_PT:g})", a3 >= LEGIBLE_PT)
            )
        return out

    def as_dict(self) -> dict:
        bends = list(self.bends_per_line.values()) or [0]
        return {
            "stations": self.stations,
            "lines": self.lines,
            "segments": self.segments,
            "octilinear_share": round(self.octilinear_share, 4),
            "crossings": {
                "same_corridor": self.crossings_same_corridor,
                "elsewhere": self.crossings_elsewhere,
            },
            "label_overlaps": {
                "label_label": self.label_label,
                "label_marker": self.label_marker,
                "label_stroke": self.label_stroke,
            },
            "unlabelled_stations": self.unlabelled,
            "named_lines": self.named_lines,
            "strokes_through_other_markers": self.through_markers,
            "bends_per_line": {
                "mean": round(self.mean_bends, 2),
                "max": max(bends),
                "by_line": self.bends_per_line,
            },
            "spacing_spread": round(self.spacing_spread, 3),
            "canvas": {
                "width": round(self.width, 1),
                "height": round(self.height, 1),
                "aspect": round(self.aspect, 2),
            },
            "print": {
                paper: {
                    "smallest_label_pt": round(pt, 2),
                    "page_fill": [round(f, 3) for f in self.page_fill[paper]],
                }
                for paper, pt in self.print_points.items()
            },
            "seconds": round(self.seconds, 4),
            "broken_rules": self.broken_rules,
            "empty_band": {
                "across": round(self.empty_across, 1),
                "down": round(self.empty_down, 1),
                "corridor": round(self.corridor, 1),
            },
            "targets": [{"target": n, "figure": f, "met": ok} for n, f, ok in self.targets],
        }

    def text(self) -> str:
        d = self.as_dict()
        lines = [
            f"stations {self.stations}, lines {self.lines}, segments {self.segments}",
            f"octilinear segments: {d['octilinear_share'] * 100:.1f}%",
            f"stroke crossings: same corridor {self.crossings_same_corridor}, "
            f"elsewhere {self.crossings_elsewhere}",
            f"labels closer than {CLEARANCE:g} units to: a label {self.label_label}, "
            f"a marker {self.label_marker}, "
            f"a stroke {self.label_stroke}; unlabelled stations {self.unlabelled}",
            f"lines named on the map: {self.named_lines} of {self.lines}",
            f"strokes through markers of stations they do not serve: {self.through_markers}",
            f"bends per line: mean {d['bends_per_line']['mean']}, max {d['bends_per_line']['max']}",
            f"station spacing spread (std/mean): {d['spacing_spread']}",
            f"canvas: {d['canvas']['width']} x {d['canvas']['height']} "
            f"(aspect {d['canvas']['aspect']}:1)",
            "smallest label in print (points; page filled across x down): "
            + ", ".join(
                f"{paper} {pt:.1f} pt ({self.page_fill[paper][0]:.0%} x "
                f"{self.page_fill[paper][1]:.0%})"
                for paper, pt in self.print_points.items()
            )
            + f"; {LEGIBLE_PT:g} pt or more on: "
            + (", ".join(p for p, pt in self.print_points.items() if pt >= LEGIBLE_PT) or "none"),
            f"time: {self.seconds:.3f} s",
            "targets: "
            + "; ".join(
                f"{name} {figure} {'met' if ok else 'MISSED'}" for name, figure, ok in self.targets
            ),
            "broken rules: " + ("; ".join(self.broken_rules) or "none"),
        ]
        return "\n".join(lines)


def _angle_ok(a, b) -> bool:
    dx, dy = b[0] - a[0], b[1] - a[1]
    if dx == 0 and dy == 0:
        return False
    angle = math.degrees(math.atan2(dy, dx)) % 45
    return min(angle, 45 - angle) <= ANGLE_TOLERANCE


def _direction(a, b) -> tuple[int, int]:
    dx, dy = b[0] - a[0], b[1] - a[1]
    return (
        0 if abs(dx) < 1e-6 else (1 if dx > 0 else -1),
        0 if abs(dy) < 1e-6 else (1 if dy > 0 else -1),
    )


def _widest_gap(intervals: list[tuple[float, float]]) -> float:
    """The widest stretch of an axis no interval covers, between the first and the last."""
    if not intervals:
        return 0.0
    intervals.sort()
    widest, reach = 0.0, intervals[0][1]
    for lo, hi in intervals[1:]:
        widest = max(widest, lo - reach)
        reach = max(reach, hi)
    return widest


def empty_bands(g: Geometry) -> tuple[float, float]:
    """The widest band across the map (of y) and down it (of x) with no ink in it: a map that
    leaves a band of the page empty reads as two maps, and wastes the paper it is printed on."""
    xs: list[tuple[float, float]] = []
    ys: list[tuple[float, float]] = []
    boxes = [b for s in g.stations for b in (s.marker, s.label.box)]
    boxes += [lb.box for ln in g.lines for lb in ln.names]
    for b in boxes:
        xs.append((b.x, b.x + b.width))
        ys.append((b.y, b.y + b.height))
    for ln in g.lines:
        for st in ln.strokes:
            for p, q in zip(st.points, st.points[1:], strict=False):
                xs.append((min(p[0], q[0]), max(p[0], q[0])))
                ys.append((min(p[1], q[1]), max(p[1], q[1])))
    return _widest_gap(ys), _widest_gap(xs)


def evaluate(g: Geometry, seconds: float = 0.0) -> Report:
    stations = {s.id: s for s in g.stations}
    line_width = g.params["line_width"]
    segs = []  # (line, start station, end station, p, q)
    octi = 0
    bends: dict[str, int] = {}
    for ln in g.lines:
        n_bends = 0
        last_dir = None
        for st in ln.strokes:
            for p, q in zip(st.points, st.points[1:], strict=False):
                segs.append((ln.id, st.start, st.end, p, q))
                octi += _angle_ok(p, q)
                d = _direction(p, q)
                if last_dir is not None and d != last_dir:
                    n_bends += 1
                last_dir = d
        bends[ln.id] = n_bends

    grid = Grid(96.0)
    for i, (_, _, _, p, q) in enumerate(segs):
        grid.add_segment("seg", p, q, i)

    # crossings: proper intersections of strokes of different lines
    same, elsewhere = 0, 0
    counted: set[tuple[int, int]] = set()
    line_stations = {
        ln.id: {s.start for s in ln.strokes} | {s.end for s in ln.strokes} for ln in g.lines
    }
    for i, (la, sa, ea, p, q) in enumerate(segs):
        box = Box(min(p[0], q[0]), min(p[1], q[1]), abs(q[0] - p[0]), abs(q[1] - p[1]))
        for _, obj in grid.near(box):
            c, d, j = obj
            if j <= i or (i, j) in counted:
                continue
            lb, sb, eb = segs[j][0], segs[j][1], segs[j][2]
            if lb == la:
                continue
            point = segments_cross(p, q, c, d)
            if point is None:
                continue
            counted.add((i, j))
            shared = line_stations[la] & line_stations[lb]
            at_station = any(
                segment_hits_box(point, point, stations[s].marker, 1.0) for s in shared
            )
            if at_station or (sa, ea) == (sb, eb):
                same += 1
            else:
                elsewhere += 1

    # labels
    label_label = label_marker = label_stroke = 0
    lgrid = Grid(96.0)
    for s in g.stations:
        lgrid.add_box("marker", s.marker, s.id)
    labels = [(s.id, s.label.box) for s in g.stations]
    labels += [(f"legend:{e.line}", e.label.box) for e in g.legend.entries]
    labels += [(f"name:{ln.id}", lb.box) for ln in g.lines for lb in ln.names]
    labels += [("title", g.title.box), ("subtitle", g.subtitle.box)]  # tucked into a corner
    for i, (_, box) in enumerate(labels):
        lgrid.add_box("label", box, i)
    reach = CLEARANCE + line_width
    for i, (_, box) in enumerate(labels):
        around = Box(box.x - reach, box.y - reach, box.width + 2 * reach, box.height + 2 * reach)
        for kind, obj in lgrid.near(around):
            other, tag = obj
            if kind == "label" and tag > i and box.overlaps(other, CLEARANCE):
                label_label += 1
            elif kind == "marker" and box.overlaps(other, CLEARANCE):
                label_marker += 1
        for _, obj in grid.near(around):
            p, q, _ = obj
            if segment_hits_box(p, q, box, line_width / 2 + CLEARANCE):
                label_stroke += 1
    unlabelled = sum(1 for s in g.stations if not s.label.text.strip())

    # strokes through markers of stations the line does not serve
    through = 0
    for s in g.stations:
        served = set(s.lines)
        for _, obj in grid.near(s.marker):
            p, q, i = obj
            if segs[i][0] not in served and segment_hits_box(p, q, s.marker, -1.0):
                through += 1

    # spacing: distance between consecutive stations along each line
    gaps = []
    for ln in g.lines:
        for st in ln.strokes:
            a, b = stations[st.start], stations[st.end]
            gaps.append(math.hypot(b.x - a.x, b.y - a.y))
    spread = statistics.pstdev(gaps) / statistics.mean(gaps) if len(gaps) > 1 else 0.0
    problems = list(g.problems)
    if g.legend.box.overlaps(g.map_box):
        problems.append("the legend overlaps the map")
    points = label_points(g)
    across, down = empty_bands(g)
    return Report(
        empty_across=across,
        empty_down=down,
        corridor=g.params["line_gap"] * len(g.lines),
        stations=len(g.stations),
        lines=len(g.lines),
        segments=len(segs),
        octilinear=octi,
        crossings_same_corridor=same,
        crossings_elsewhere=elsewhere,
        label_label=label_label,
        label_marker=label_marker,
        label_stroke=label_stroke,
        unlabelled=unlabelled,
        through_markers=through,
        bends_per_line=bends,
        spacing_spread=spread,
        width=g.width,
        height=g.height,
        seconds=seconds,
        problems=problems,
        named_lines=sum(1 for ln in g.lines if ln.names),
        print_points=points,
        page_fill={paper: page_fill(g, paper) for paper in points},
    )
