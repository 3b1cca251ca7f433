"""The computed tube map: the one geometry every view and export draws.

Coordinates are in SVG user units, y pointing down; boxes are axis-aligned with (x, y) their
top-left corner. ``to_json()`` is the geometry exchange format (``routemap export --format json``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

Point = tuple[float, float]


def r2(v: float) -> float:
    """Round for output: stable, compact, and far below a pixel."""
    out = round(v, 2)
    return 0.0 if out == 0 else out


@dataclass(frozen=True)
class Box:
    x: float
    y: float
    width: float
    height: float

    @property
    def right(self) -> float:
        return self.x + self.width

    @property
    def bottom(self) -> float:
        return self.y + self.height

    def overlaps(self, other: Box, pad: float = 0.0) -> bool:
        return not (
            self.right + pad <= other.x
            or other.right + pad <= self.x
            or self.bottom + pad <= other.y
            or other.bottom + pad <= self.y
        )

    def shifted(self, dx: float, dy: float) -> Box:
        return Box(self.x + dx, self.y + dy, self.width, self.height)

    def as_json(self) -> dict[str, float]:
        return {
            "x": r2(self.x),
            "y": r2(self.y),
            "width": r2(self.width),
            "height": r2(self.height),
        }


@dataclass(frozen=True)
class Label:
    text: str
    lines: tuple[str, ...]
    box: Box
    anchor: str  # SVG text-anchor of every line: start | middle | end
    font_size: float
    weight: str  # regular | bold
    line_height: float
    baseline: float  # from the top of a line box to its baseline
    position: str  # which candidate was used: above, below, right...

    def as_json(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "lines": list(self.lines),
            **self.box.as_json(),
            "anchor": self.anchor,
            "font_size": self.font_size,
            "weight": self.weight,
            "position": self.position,
        }


@dataclass(frozen=True)
class StationGeom:
    id: str
    name: str
    kind: str
    historical: bool
    x: float
    y: float
    column: int
    lines: tuple[str, ...]  # top to bottom, as the strokes pass through the marker
    marker: Box
    label: Label
    interchange: bool
    terminus: bool

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "kind": self.kind,
            "historical": self.historical,
            "x": r2(self.x),
            "y": r2(self.y),
            "column": self.column,
            "lines": list(self.lines),
            "interchange": self.interchange,
            "terminus": self.terminus,
            "marker": self.marker.as_json(),
            "label": self.label.as_json(),
        }


@dataclass(frozen=True)
class Stroke:
    """One drawn piece of a line between two consecutive stations, after parallel offsets."""

    start: str
    end: str
    points: tuple[Point, ...]

    def as_json(self) -> dict[str, Any]:
        return {
            "from": self.start,
            "to": self.end,
            "points": [[r2(x), r2(y)] for x, y in self.points],
        }


@dataclass(frozen=True)
class LineGeom:
    id: str
    name: str
    colour: str
    historical: bool
    kind: str
    strokes: tuple[Stroke, ...]
    names: tuple[Label, ...] = ()  # the line's name drawn beside it (near its end, long runs)

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "colour": self.colour,
            "historical": self.historical,
            "kind": self.kind,
            "strokes": [s.as_json() for s in self.strokes],
            "names": [lb.as_json() for lb in self.names],
        }


@dataclass(frozen=True)
class LegendEntry:
    line: str
    text: str
    swatch: tuple[Point, Point]
    label: Label


@dataclass(frozen=True)
class Legend:
    box: Box
    title: Label
    entries: tuple[LegendEntry, ...]


@dataclass(frozen=True)
class Geometry:
    width: float
    height: float
    map_box: Box  # where the stations and strokes are
    title: Label
    subtitle: Label
    legend: Legend
    stations: tuple[StationGeom, ...]
    lines: tuple[LineGeom, ...]
    params: dict[str, float]
    problems: tuple[str, ...] = ()  # hard rules the layout could not meet (it still draws)
    stats: dict[str, Any] = field(default_factory=dict)
    # the grid it was drawn on, as the layout lock keeps it (layout/lock.py's LayoutLock)
    lock: Any = field(default=None, compare=False, repr=False)

    def station(self, sid: str) -> StationGeom:
        for st in self.stations:
            if st.id == sid:
                return st
        raise KeyError(sid)

    def to_json(self) -> dict[str, Any]:
        return {
            "width": r2(self.width),
            "height": r2(self.height),
            "units": "SVG user units (px), y down; boxes are top-left x, y, width, height",
            "map_box": self.map_box.as_json(),
            "title": self.title.as_json(),
            "subtitle": self.subtitle.as_json(),
            "params": self.params,
            "stations": [s.as_json() for s in self.stations],
            "lines": [ln.as_json() for ln in self.lines],
            "legend": {
                **self.legend.box.as_json(),
                "entries": [
                    {
                        "line": e.line,
                        "text": e.text,
                        "swatch": [[r2(x), r2(y)] for x, y in e.swatch],
                        "label": e.label.as_json(),
                    }
                    for e in self.legend.entries
                ],
            },
            "problems": list(self.problems),
        }
