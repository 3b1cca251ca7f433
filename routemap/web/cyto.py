"""The tube map as Cytoscape elements and a stylesheet, converted from our own geometry.

Nothing here lays anything out: every position, polyline and label box comes from
``RouteMap.geometry`` (the same geometry the SVG export draws), so the app and the export look
the same. What works with dash-cytoscape 1.0.2 (Cytoscape.js 3.28.1), see DESIGN.md §3:

- a station is a node at its marker centre, sized like its marker: a circle for a station on one
  line, a white pill (a polygon, since ``round-rectangle`` caps its radius) spanning the lines of
  an interchange;
- every drawn stroke of a line is one edge. Its end points are the stroke's first and last points,
  given as ``source-endpoint``/``target-endpoint`` offsets from the node centres through
  ``data()``; its bends are a ``segments`` edge whose weights and distances are computed here
  relative to the source→target node centres (``edge-distances: node-position``);
- labels sit where the geometry placed them: ``text-halign`` by the label's anchor, and margins
  worked out from Cytoscape's own label arithmetic (``textBaseline = 'bottom'``, the em box of
  the shipped font), with the label's own line breaks.

Highlighting never resends elements: the browser appends a few rules to this stylesheet
(``assets/routemap.js``), using the classes put on every element here (``on-<line>`` on
stations, ``line-<line>`` on edges).
"""

from __future__ import annotations

import math
from typing import Any

from ..core import RouteMap
from ..layout.fonts import FONT_FAMILY, metrics
from ..layout.geometry import Geometry, StationGeom, r2

INK = "#0b0c0c"
MUTED = "#505a5f"
# Cytoscape's font-family parser takes double quotes only
FONT_STACK = f'"{FONT_FAMILY}", "Noto Sans", Arial, sans-serif'
HISTORICAL_DASH = [9, 6]
PILL_SEGMENTS = 10  # polygon points per half circle of a pill marker


def _px(v: float) -> str:
    return f"{r2(v)}px"


def _pill_points(width: float, height: float) -> list[float]:
    """A stadium (vertical pill) as Cytoscape polygon points, normalised to [-1, 1]."""
    r = width / 2
    straight = max(height / 2 - r, 0.0)
    pts: list[float] = []
    # the top arc from left to right, then the bottom arc from right to left (y down)
    for centre_y, start in ((-straight, math.pi), (straight, 0.0)):
        for i in range(PILL_SEGMENTS + 1):
            a = start + math.pi * i / PILL_SEGMENTS
            x, y = r * math.cos(a), centre_y + r * math.sin(a)
            pts += [round(x / (width / 2), 4), round(y / (height / 2), 4)]
    return pts


def marker_class(st: StationGeom) -> str:
    return f"m-{round(st.marker.width)}x{round(st.marker.height)}"


def _label_data(st: StationGeom) -> dict[str, Any]:
    """Label text, size and margins so Cytoscape draws it inside the geometry's label box."""
    lb = st.label
    m = metrics(lb.weight)
    size = lb.font_size
    n = len(lb.lines)
    box = lb.box
    w = st.marker.width
    # Cytoscape: block height = (n-1)*line_height + size; with valign centre the first line's
    # 'bottom' baseline is at y + margin + height/2 - (n-1)*line_height; the em-box bottom is
    # descent/(ascent+descent) of the size below the alphabetic baseline.
    em_descent = size * m.descent / (m.ascent + m.descent)
    margin_y = box.y + lb.baseline + em_descent + (n - 1) * lb.line_height / 2 - size / 2 - st.y
    if lb.anchor == "start":
        halign, margin_x = "right", box.x - (st.x + w / 2)
    elif lb.anchor == "end":
        halign, margin_x = "left", box.right - (st.x - w / 2)
    else:
        halign, margin_x = "center", box.x + box.width / 2 - st.x
    return {
        "label": "\n".join(lb.lines),
        "fs": size,
        "lh": round(lb.line_height / size, 4),
        "mx": r2(margin_x),
        "my": r2(margin_y),
        "ha": halign,
    }


def _segments(points, src: tuple[float, float], tgt: tuple[float, float]):
    """Bend points as (weights, distances) relative to the source→target node centres."""
    sx, sy = src
    dx, dy = tgt[0] - sx, tgt[1] - sy
    length2 = dx * dx + dy * dy
    length = math.sqrt(length2)
    nx, ny = -dy / length, dx / length
    weights, distances = [], []
    for px, py in points:
        weights.append(round(((px - sx) * dx + (py - sy) * dy) / length2, 6))
        distances.append(round((px - sx) * nx + (py - sy) * ny, 3))
    return weights, distances


def elements(rm: RouteMap, geometry: Geometry | None = None) -> list[dict[str, Any]]:
    """Every station as a node and every stroke of every line as an edge."""
    g = geometry or rm.geometry
    out: list[dict[str, Any]] = []
    pos: dict[str, tuple[float, float]] = {}
    for st in g.stations:
        pos[st.id] = (st.x, st.y)
        single = not st.interchange
        colour = rm.lines[st.lines[0]].colour if single and not st.terminus else INK
        classes = [
            "station",
            f"kind-{st.kind}",
            marker_class(st),
            "bold" if st.label.weight == "bold" else "regular",
        ]
        classes.append("single" if single else "interchange")
        if st.terminus:
            classes.append("terminus")
        if st.historical:
            classes.append("historical")
        classes += [f"on-{lid}" for lid in st.lines]
        out.append(
            {
                "group": "nodes",
                "data": {
                    "id": st.id,
                    "name": st.name,
                    "w": r2(st.marker.width),
                    "h": r2(st.marker.height),
                    "border": colour,
                    **_label_data(st),
                },
                "position": {"x": r2(st.x), "y": r2(st.y)},
                "classes": " ".join(classes),
                "grabbable": False,
                "selectable": False,
            }
        )
    for ln in g.lines:
        for stroke in ln.strokes:
            src, tgt = pos[stroke.start], pos[stroke.end]
            first, *bends, last = stroke.points
            data: dict[str, Any] = {
                "id": f"e-{ln.id}--{stroke.start}--{stroke.end}",
                "source": stroke.start,
                "target": stroke.end,
                "line": ln.id,
                "colour": ln.colour,
                "se": f"{_px(first[0] - src[0])} {_px(first[1] - src[1])}",
                "te": f"{_px(last[0] - tgt[0])} {_px(last[1] - tgt[1])}",
            }
            classes = ["line", f"line-{ln.id}"]
            if bends:
                data["sw"], data["sd"] = _segments(bends, src, tgt)
                classes.append("bent")
            else:
                classes.append("straight")
            if ln.historical:
                classes.append("historical")
            out.append(
                {
                    "group": "edges",
                    "data": data,
                    "classes": " ".join(classes),
                    "selectable": False,
                }
            )
    return out


def stylesheet(rm: RouteMap, geometry: Geometry | None = None) -> list[dict[str, Any]]:
    """The base stylesheet: tube styling as in the SVG export (``render/svg.py``)."""
    g = geometry or rm.geometry
    line_width = g.params["line_width"]
    sheet: list[dict[str, Any]] = [
        {
            "selector": "node",
            "style": {
                "width": "data(w)",
                "height": "data(h)",
                "shape": "ellipse",
                "background-color": "#ffffff",
                "border-width": 2.5,
                "border-color": "data(border)",
                "label": "data(label)",
                "font-family": FONT_STACK,
                "font-size": "data(fs)",
                "line-height": "data(lh)",
                "color": INK,
                "text-wrap": "wrap",
                "text-max-width": "2000px",
                "text-valign": "center",
                "text-halign": "center",
                "text-margin-x": "data(mx)",
                "text-margin-y": "data(my)",
                "text-outline-color": "#ffffff",
                "text-outline-width": 1.5,
                "text-events": "yes",
                "padding": 0,
                "overlay-opacity": 0,
                "transition-property": "opacity",
                "transition-duration": 0,
            },
        },
        {"selector": "node.bold", "style": {"font-weight": "bold"}},
        {"selector": "node[ha = 'left']", "style": {"text-halign": "left"}},
        {"selector": "node[ha = 'right']", "style": {"text-halign": "right"}},
        {"selector": "node.terminus", "style": {"border-width": 3.5}},
        {
            "selector": "node.historical",
            "style": {"border-style": "dashed", "color": MUTED},
        },
    ]
    sizes = sorted({(st.marker.width, st.marker.height) for st in g.stations if st.interchange})
    for w, h in sizes:
        if abs(w - h) < 0.01:
            continue
        sheet.append(
            {
                "selector": f"node.m-{round(w)}x{round(h)}",
                "style": {"shape": "polygon", "shape-polygon-points": _pill_points(w, h)},
            }
        )
    sheet += [
        {
            "selector": "edge",
            "style": {
                "width": line_width,
                "line-color": "data(colour)",
                "curve-style": "straight",
                "source-endpoint": "data(se)",
                "target-endpoint": "data(te)",
                "line-cap": "butt",
                "overlay-opacity": 0,
            },
        },
        {
            "selector": "edge.bent",
            "style": {
                "curve-style": "segments",
                "edge-distances": "node-position",
                "segment-weights": "data(sw)",
                "segment-distances": "data(sd)",
            },
        },
        {
            "selector": "edge.historical",
            "style": {
                "line-style": "dashed",
                "line-dash-pattern": HISTORICAL_DASH,
                "opacity": 0.75,
            },
        },
    ]
    return sheet
