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

Highlighting never resends elements or the stylesheet: the browser toggles the classes
``rm-selected``, ``rm-faded`` and ``rm-isolated`` (``assets/routemap.js``), finding a line's
elements by the classes put on every element here (``on-<line>`` on stations, ``line-<line>``
on edges), and a route from the page's one typed highlight (``highlight_data``).
"""

from __future__ import annotations

import math
from dataclasses import replace
from typing import Any

import dash_cytoscape as cyto

from ... import palette
from ...core import RouteMap
from ...layout.engine import TAG_SWATCH
from ...layout.fonts import FONT_FAMILY, metrics
from ...layout.geometry import Geometry, StationGeom, r2
from ...render.highlight import Highlight

# Cytoscape's font-family parser takes double quotes only
FONT_STACK = f'"{FONT_FAMILY}", "Noto Sans", Arial, sans-serif'
HISTORICAL_DASH = list(palette.HISTORICAL_DASH)
INK, MUTED, HIGHLIGHT = palette.INK, palette.MUTED, palette.HIGHLIGHT
# Polygon sides per half circle of a pill marker. Odd, so no corner sits straight above or below
# the centre: Cytoscape 3.28's point-in-polygon test (a vertical ray) miscounts a click level
# with a corner, and a click at a marker's centre would otherwise miss the station.
PILL_SEGMENTS = 9


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


def font_class(st: StationGeom) -> str:
    return f"fs-{round(st.label.font_size * 100)}"


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
    """Every station as a node, every stroke of every line as an edge, and the lines' names
    written beside them as label-only nodes (class ``line-name``)."""
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
        if single and not st.terminus:
            classes.append(f"bc-{st.lines[0]}")  # bordered in its line's colour
        label = _label_data(st)
        if label["ha"] != "center":
            classes.append(f"ha-{label['ha']}")
        classes.append(font_class(st))
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
                    **label,
                },
                "position": {"x": r2(st.x), "y": r2(st.y)},
                "classes": " ".join(classes),
                "grabbable": False,
                "selectable": False,
            }
        )
    for ln in g.lines:  # the lines' names beside them: label-only nodes
        for i, name in enumerate(ln.names):
            box = name.box
            if name.position == "line-tag":  # the text of a tag starts after its swatch
                box = replace(box, x=box.x + TAG_SWATCH, width=box.width - TAG_SWATCH)
            out.append(
                {
                    "group": "nodes",
                    "data": {
                        "id": f"name-{ln.id}-{i}",
                        "label": "\n".join(name.lines),
                        "name": name.text,
                        "line": ln.id,
                    },
                    "position": {"x": r2(box.x + box.width / 2), "y": r2(box.y + box.height / 2)},
                    "classes": f"line-name name-of-{ln.id} lc-{ln.id}",
                    "grabbable": False,
                    "selectable": False,
                }
            )
    for ln in g.lines:
        for stroke in ln.strokes:
            src, tgt = pos[stroke.start], pos[stroke.end]
            first, *bends, last = stroke.points
            data: dict[str, Any] = {
                "id": edge_id(ln.id, stroke.start, stroke.end),
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
    # Styles come from classes wherever the value is shared (marker size, line colour, font),
    # and from data() only where each element differs (label text and margins, stroke ends and
    # bends): Cytoscape parses a data() mapping for every element, and on a page load that was
    # most of the cost of drawing the map.
    sheet: list[dict[str, Any]] = [
        {
            "selector": "node",
            "style": {
                "shape": "ellipse",
                "background-color": palette.PAPER,
                "border-width": 2.5,
                "border-color": INK,
                "label": "data(label)",
                "font-family": FONT_STACK,
                "color": INK,
                "text-wrap": "wrap",
                "text-max-width": "2000px",
                "text-valign": "center",
                "text-halign": "center",
                "text-margin-x": "data(mx)",
                "text-margin-y": "data(my)",
                "text-events": "yes",
                "padding": 0,
                "overlay-opacity": 0,
            },
        },
        {"selector": "node.bold", "style": {"font-weight": "bold"}},
        {"selector": "node.ha-left", "style": {"text-halign": "left"}},
        {"selector": "node.ha-right", "style": {"text-halign": "right"}},
    ]
    for st in {font_class(st): st for st in g.stations}.values():
        size = st.label.font_size
        sheet.append(
            {
                "selector": f"node.{font_class(st)}",
                "style": {"font-size": size, "line-height": round(st.label.line_height / size, 4)},
            }
        )
    for w, h in sorted({(st.marker.width, st.marker.height) for st in g.stations}):
        style: dict[str, Any] = {"width": r2(w), "height": r2(h)}
        if abs(w - h) >= 0.01:
            style.update({"shape": "polygon", "shape-polygon-points": _pill_points(w, h)})
        sheet.append({"selector": f"node.m-{round(w)}x{round(h)}", "style": style})
    for ln in g.lines:
        sheet.append({"selector": f"node.bc-{ln.id}", "style": {"border-color": ln.colour}})
    names = [lb for ln in g.lines for lb in ln.names]
    if names:
        sheet.append(
            {
                "selector": "node.line-name",
                "style": {
                    "width": 1,
                    "height": 1,
                    "background-opacity": 0,
                    "border-width": 0,
                    "font-weight": "bold",
                    "font-size": names[0].font_size,
                    "text-margin-x": 0,
                    "text-margin-y": 0,
                    "text-wrap": "wrap",
                    "text-max-width": "2000px",
                    "line-height": round(names[0].line_height / names[0].font_size, 4),
                },
            }
        )
        for ln in g.lines:
            if ln.names:
                sheet.append({"selector": f"node.lc-{ln.id}", "style": {"color": ln.colour}})
    sheet += [
        {"selector": "node.terminus", "style": {"border-width": 3.5}},
        {
            "selector": "node.historical",
            "style": {"border-style": "dashed", "color": MUTED},
        },
        {
            "selector": "edge",
            "style": {
                "width": line_width,
                "curve-style": "straight",
                "source-endpoint": "data(se)",
                "target-endpoint": "data(te)",
                "line-cap": "butt",
                "overlay-opacity": 0,
            },
        },
    ]
    for ln in g.lines:
        sheet.append({"selector": f"edge.line-{ln.id}", "style": {"line-color": ln.colour}})
    sheet += [
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
        # selection, toggled as classes in the browser (assets/routemap.js)
        {
            "selector": "node.rm-selected",
            "style": {
                "underlay-color": HIGHLIGHT,
                "underlay-opacity": 1,
                "underlay-padding": 7,
                "underlay-shape": "round-rectangle",
                "border-color": INK,
                "border-width": 4,
                "z-index": 10,
            },
        },
        # the station whose keyboard link has focus (assets/routemap.js)
        {
            "selector": "node.rm-kb-focus",
            "style": {
                "underlay-color": HIGHLIGHT,
                "underlay-opacity": 1,
                "underlay-padding": 9,
                "underlay-shape": "round-rectangle",
                "border-color": INK,
                "border-width": 5,
                "z-index": 11,
            },
        },
        {"selector": "node.rm-faded", "style": {"opacity": 0.25}},
        {"selector": "edge.rm-faded", "style": {"opacity": 0.12}},
        {
            "selector": "edge.rm-isolated",
            "style": {"z-index": 5, "opacity": 1, "width": line_width * 1.5},
        },
    ]
    return sheet


# ---- a route on the explorer --------------------------------------------------------------
def edge_id(line: str, source: str, target: str) -> str:
    return f"e-{line}--{source}--{target}"


def highlight_data(h: Highlight) -> dict[str, Any]:
    """A route's highlight as the browser draws it on the explorer: its edges and stations,
    and each stop's progress mark (``assets/routemap.js`` toggles classes from it)."""
    return {
        "edges": sorted(edge_id(*s) for s in h.strokes),
        "stations": sorted(h.stations),
        "marks": dict(h.marks),
    }


def route_stylesheet(rm: RouteMap) -> list[dict[str, Any]]:
    """The map's stylesheet plus a route's classes, drawn as the SVG draws them: the rest
    faded, done stops filled, in progress half filled, can start ringed in yellow, skipped
    double-ringed (the page says each in words)."""
    width = rm.geometry.params["line_width"]
    return stylesheet(rm) + [
        {"selector": "node.rm-off-route", "style": {"opacity": 0.2}},
        {"selector": "edge.rm-off-route", "style": {"opacity": 0.1}},
        {"selector": "edge.rm-route", "style": {"z-index": 5, "opacity": 1, "width": width * 1.5}},
        {"selector": "node.rm-done", "style": {"background-color": INK}},
        {
            "selector": "node.rm-in-progress",
            "style": {
                "pie-size": "100%",
                "pie-1-background-color": INK,
                "pie-1-background-size": 50,
                "pie-2-background-color": "#ffffff",
                "pie-2-background-size": 50,
            },
        },
        {"selector": "node.rm-skipped", "style": {"border-style": "double", "border-width": 5}},
        {
            "selector": "node.rm-can-start",
            "style": {
                "underlay-color": HIGHLIGHT,
                "underlay-opacity": 1,
                "underlay-padding": 6,
                "underlay-shape": "ellipse",
            },
        },
    ]


def map_graph(rm: RouteMap) -> cyto.Cytoscape:
    """The explorer's map, drawn at our geometry's positions (``preset``) with the zoom
    limits and locked-down interaction it needs.

    Never dash-cytoscape's ``responsive``: on every resize of the container (a scrollbar
    appearing, fonts arriving, the details panel growing) it re-applies the zoom it recorded
    at the previous resize, undoing whatever the reader (or our own view code) did since.
    Cytoscape itself already follows the container's size and keeps the view as it was."""
    return cyto.Cytoscape(
        id="cy",
        elements=elements(rm),
        stylesheet=route_stylesheet(rm),
        layout={"name": "preset", "fit": True, "padding": 24},
        style={"width": "100%", "height": "100%"},
        minZoom=0.08,
        maxZoom=4,
        autoungrabify=True,
        autounselectify=True,
        boxSelectionEnabled=False,
        responsive=False,
    )
