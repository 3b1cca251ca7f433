"""The tube map as SVG, drawn from the computed geometry (the same one the app shows).

Accessible (a title and description; every line and station is a group with an id and a
``<title>``), text as real text in the shipped font, and every piece of data text escaped by
ElementTree, so hostile text in the data stays text.
"""

from __future__ import annotations

import base64
import xml.etree.ElementTree as ET
from dataclasses import replace
from functools import lru_cache

from .. import palette
from ..core import RouteMap
from ..layout.engine import TAG_SWATCH
from ..layout.fonts import FONT_DIR, FONT_FAMILY, FONT_FILES
from ..layout.geometry import Geometry, Label, r2
from ..layout.paper import FOOTER_LINE, footer_height
from .highlight import Highlight

SVG_NS = "http://www.w3.org/2000/svg"
INK, MUTED, PAPER, HIGHLIGHT = palette.INK, palette.MUTED, palette.PAPER, palette.HIGHLIGHT
HISTORICAL_DASH = palette.dash_svg()


def fmt(v: float) -> str:
    out = f"{r2(v):.2f}".rstrip("0").rstrip(".")
    return "0" if out in ("-0", "") else out


def path_d(points) -> str:
    head, *rest = points
    return f"M{fmt(head[0])} {fmt(head[1])}" + "".join(f"L{fmt(x)} {fmt(y)}" for x, y in rest)


@lru_cache(maxsize=2)
def font_face_css(embed: bool = True) -> str:
    rules = []
    for weight, file in FONT_FILES.items():
        if embed:
            data = base64.b64encode((FONT_DIR / file).read_bytes()).decode("ascii")
            src = f"url(data:font/ttf;base64,{data}) format('truetype')"
        else:
            src = f"url(fonts/{file}) format('truetype')"
        css_weight = 700 if weight == "bold" else 400
        rules.append(
            f"@font-face{{font-family:'{FONT_FAMILY}';font-weight:{css_weight};"
            f"font-style:normal;src:{src};}}"
        )
    return "".join(rules)


def _text(parent: ET.Element, label: Label, cls: str, fill: str = INK) -> ET.Element:
    box = label.box
    if label.anchor == "start":
        x = box.x
    elif label.anchor == "end":
        x = box.right
    else:
        x = box.x + box.width / 2
    el = ET.SubElement(
        parent,
        "text",
        {
            "class": cls,
            "x": fmt(x),
            "y": fmt(box.y + label.baseline),
            "font-size": fmt(label.font_size),
            "text-anchor": label.anchor,
            "fill": fill,
        },
    )
    if label.weight == "bold":
        el.set("font-weight", "700")
    first, *rest = label.lines
    el.text = first
    for line in rest:
        span = ET.SubElement(el, "tspan", {"x": fmt(x), "dy": fmt(label.line_height)})
        span.text = line
    return el


# a route's stops with progress (the page says each in words beside the map): done filled, in
# progress half filled, can start ringed in yellow, skipped double-ringed
_FILL = {"done": INK, "in_progress": "url(#half-filled)"}
MARK_CSS = ".mark-skipped .marker{stroke-width:1.5}"


def _ring(grp: ET.Element, m, mark: str) -> None:
    """The ring drawn around a marked stop, under its marker."""
    if mark == "can_start":
        pad, stroke, width = 3.5, HIGHLIGHT, "7"
    elif mark == "skipped":
        pad, stroke, width = 3.5, INK, "1.5"
    else:
        return
    ET.SubElement(
        grp,
        "rect",
        {
            "class": "ring",
            "x": fmt(m.x - pad),
            "y": fmt(m.y - pad),
            "width": fmt(m.width + 2 * pad),
            "height": fmt(m.height + 2 * pad),
            "rx": fmt(m.width / 2 + pad),
            "fill": "none",
            "stroke": stroke,
            "stroke-width": width,
        },
    )


def _retitled(g: Geometry, which: str, text: str) -> Geometry:
    """The geometry with its title or subtitle reworded (its box as wide as the new words)."""
    if not text:
        return g
    from ..layout.fonts import metrics

    label = getattr(g, which)
    width = metrics(label.weight).width(text, label.font_size)
    return replace(
        g,
        **{which: replace(label, text=text, lines=(text,), box=replace(label.box, width=width))},
    )


def render_svg(
    rm: RouteMap,
    geometry: Geometry | None = None,
    *,
    embed_font: bool = True,
    highlight: Highlight | None = None,
    footer: list[str] | None = None,
    title: str | None = None,
    interactive: bool = False,
    xml_declaration: bool = True,
) -> str:
    """The map as an SVG document (text).

    ``highlight`` fades everything but a route or a line, marks a route's stops with their
    progress, and names what is shown (its title and subtitle, unless ``title`` is given).
    ``interactive`` makes stations and legend entries focusable buttons (for the offline HTML
    page).
    """
    g = geometry or rm.geometry
    h = highlight
    g = _retitled(g, "title", title or (h.title if h else ""))
    g = _retitled(g, "subtitle", "" if title else (h.subtitle if h else ""))
    ET.register_namespace("", SVG_NS)
    extra_h = 0.0
    footer = list(footer or [])
    if footer:
        extra_h = footer_height(len(footer))
    width, height = g.width, g.height + extra_h
    svg = ET.Element(
        "svg",
        {
            "xmlns": SVG_NS,
            "version": "1.1",
            "viewBox": f"0 0 {fmt(width)} {fmt(height)}",
            "width": fmt(width),
            "height": fmt(height),
            "role": "img",
            "aria-labelledby": "map-title map-desc",
            "font-family": f"'{FONT_FAMILY}', 'Noto Sans', Arial, sans-serif",
        },
    )
    named = " – ".join(x for x in (title or (h and h.title), h and h.subtitle) if x)
    ET.SubElement(svg, "title", {"id": "map-title"}).text = (
        f"{named} ({rm.info.title})" if named else rm.info.title
    )
    desc = (
        f"{rm.info.subtitle}. A schematic map with {len(rm.lines)} lines (routes) and "
        f"{len(rm.stations)} stations (stages, decisions, forms, support offers and outcomes). "
        f"Facts last checked {rm.info.facts_checked}."
    )
    ET.SubElement(svg, "desc", {"id": "map-desc"}).text = desc
    style = ET.SubElement(svg, "style")
    # no halo behind labels: the layout keeps every label clear of every stroke
    style.text = font_face_css(embed_font) + ".faded{opacity:.18}"
    ET.SubElement(
        svg,
        "rect",
        {"x": "0", "y": "0", "width": fmt(width), "height": fmt(height), "fill": PAPER},
    )
    _text(svg, g.title, "map-title")
    _text(svg, g.subtitle, "map-subtitle", MUTED)

    lit_lines = set(h.lines) if h else None
    lit_strokes = set(h.strokes) if h else set()
    on_route_stations = set(h.stations) if h else None
    marks = h.mark if h else {}
    if marks:
        style.text += MARK_CSS
    if "in_progress" in marks.values():
        defs = ET.SubElement(svg, "defs")
        half = ET.SubElement(defs, "linearGradient", {"id": "half-filled"})
        for offset, colour in (("0", INK), ("0.5", INK), ("0.5", PAPER), ("1", PAPER)):
            ET.SubElement(half, "stop", {"offset": offset, "stop-color": colour})

    lines_g = ET.SubElement(svg, "g", {"id": "lines"})
    for ln in g.lines:
        attrs = {
            "id": f"line-{ln.id}",
            "class": "line" + (" historical" if ln.historical else ""),
            "data-line": ln.id,
        }
        grp = ET.SubElement(lines_g, "g", attrs)
        status = "historical route" if ln.historical else "route"
        ET.SubElement(grp, "title").text = f"{ln.name} ({status})"
        for stroke in ln.strokes:
            path = {
                "d": path_d(stroke.points),
                "fill": "none",
                "stroke": ln.colour,
                "stroke-width": fmt(g.params["line_width"]),
                "stroke-linejoin": "round",
                "stroke-linecap": "butt",
                "data-from": stroke.start,
                "data-to": stroke.end,
            }
            if ln.historical:
                path["stroke-dasharray"] = HISTORICAL_DASH
                path["stroke-opacity"] = "0.75"
            if (
                lit_lines is not None
                and ln.id not in lit_lines
                and ((ln.id, stroke.start, stroke.end) not in lit_strokes)
            ):
                path["class"] = "faded"
            ET.SubElement(grp, "path", path)
        # the line's name beside it; a map that highlights a route names only its own lines
        # (a faded name is unreadable by design, and fails the contrast a reader needs)
        if lit_lines is None or ln.id in lit_lines:
            for name in ln.names:
                if name.position == "line-tag":  # a tag: the line's swatch, then its name
                    mid = name.box.y + name.line_height / 2  # beside its first line
                    attrs = {
                        "class": "line-tag",
                        "x1": fmt(name.box.x),
                        "y1": fmt(mid),
                        "x2": fmt(name.box.x + TAG_SWATCH - 6),
                        "y2": fmt(mid),
                        "stroke": ln.colour,
                        "stroke-width": fmt(g.params["line_width"]),
                    }
                    if ln.historical:
                        attrs["stroke-dasharray"] = HISTORICAL_DASH
                    ET.SubElement(grp, "line", attrs)
                    text = replace(name, box=replace(name.box, x=name.box.x + TAG_SWATCH))
                    _text(grp, text, "line-name", ln.colour)
                else:
                    _text(grp, name, "line-name", ln.colour)

    stations_g = ET.SubElement(svg, "g", {"id": "stations"})
    for st in g.stations:
        cls = "station"
        if st.interchange:
            cls += " interchange"
        if st.terminus:
            cls += " terminus"
        if st.historical:
            cls += " historical"
        if on_route_stations is not None and st.id not in on_route_stations:
            cls += " faded"
        grp = ET.SubElement(
            stations_g, "g", {"id": f"station-{st.id}", "class": cls, "data-station": st.id}
        )
        kind = st.kind.replace("_", " ")
        tip = f"{st.name} — {kind}"
        if st.historical:
            tip += " (historical)"
        if st.interchange:
            tip += "; change here for " + ", ".join(rm.lines[lid].name for lid in st.lines)
        ET.SubElement(grp, "title").text = tip
        if interactive:
            grp.set("tabindex", "0")
            grp.set("role", "button")
            grp.set("aria-label", f"{st.name}: show details")
        m = st.marker
        single = not st.interchange
        colour = rm.lines[st.lines[0]].colour if single else INK
        mark = marks.get(st.id)
        if mark:
            grp.set("class", cls + " mark-" + mark.replace("_", "-"))
            _ring(grp, m, mark)
        ET.SubElement(
            grp,
            "rect",
            {
                "class": "marker",
                "x": fmt(m.x),
                "y": fmt(m.y),
                "width": fmt(m.width),
                "height": fmt(m.height),
                "rx": fmt(m.width / 2),
                "fill": _FILL.get(mark, PAPER),
                "stroke": colour if single and not st.terminus else INK,
                "stroke-width": "3.5" if st.terminus else "2.5",
                **({"stroke-dasharray": "3 2"} if st.historical else {}),
            },
        )
        _text(grp, st.label, "station-label", MUTED if st.historical else INK)

    legend_g = ET.SubElement(svg, "g", {"id": "legend"})
    ET.SubElement(legend_g, "title").text = "Legend: the lines (routes) on this map"
    _text(legend_g, g.legend.title, "legend-title")
    colours = {ln.id: ln for ln in g.lines}
    for entry in g.legend.entries:
        ln = colours[entry.line]
        item = ET.SubElement(
            legend_g,
            "g",
            {"id": f"legend-{entry.line}", "class": "legend-entry", "data-line": entry.line},
        )
        if interactive:
            item.set("tabindex", "0")
            item.set("role", "button")
            item.set("aria-label", f"{ln.name}: show this line only")
        (x1, y1), (x2, y2) = entry.swatch
        attrs = {
            "x1": fmt(x1),
            "y1": fmt(y1),
            "x2": fmt(x2),
            "y2": fmt(y2),
            "stroke": ln.colour,
            "stroke-width": fmt(g.params["line_width"] + 1),
        }
        if ln.historical:
            attrs["stroke-dasharray"] = HISTORICAL_DASH
        ET.SubElement(item, "line", attrs)
        _text(item, entry.label, "legend-label")

    if footer:
        y = g.height
        foot = ET.SubElement(svg, "g", {"id": "footer"})
        for line in footer:
            t = ET.SubElement(
                foot,
                "text",
                {
                    "x": fmt(g.params["margin"]),
                    "y": fmt(y),
                    "font-size": fmt(g.params["font_size"]),  # as legible as the labels
                    "fill": MUTED,
                },
            )
            t.text = line
            y += FOOTER_LINE
    ET.indent(svg, space=" ")
    body = ET.tostring(svg, encoding="unicode") + "\n"
    return ('<?xml version="1.0" encoding="UTF-8"?>\n' + body) if xml_declaration else body
