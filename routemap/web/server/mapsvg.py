"""The map without JavaScript: the export's SVG (``render/svg.py``, the same geometry as the
interactive map) made into a page's inline SVG, where every station is a link to its page.

Each station becomes ``<a href="/station/<id>">`` with its name, kind and lines as its
accessible name, in reading order (left to right, top to bottom), so Tab walks the map as a
sighted reader would; each legend entry links to its line's page. A selected station is
marked (``aria-current``), a selected line is drawn with every other line faded. Ids get a
prefix, so none clashes with the page's own. The font comes from the page's CSS (not embedded).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from functools import lru_cache

from markupsafe import Markup

from ...core import RouteMap
from ...render.highlight import Highlight
from ...render.svg import SVG_NS, render_svg
from ..components import reading_order, station_label

PREFIX = "m-"
NS = f"{{{SVG_NS}}}"


class MapSvg:
    """The inline SVG map for one app, per selection (cached: a few dozen small variants)."""

    def __init__(self, rm: RouteMap):
        self.rm = rm
        self._draw = lru_cache(maxsize=256)(self._draw_uncached)

    def render(self, kind: str | None = None, ident: str | None = None) -> Markup:
        """The map for a selection: a station marked, or a line with the rest faded."""
        if kind == "line" and ident in self.rm.lines:
            return self._draw(frozenset({ident}), None, None, ident)
        return self._draw(None, None, ident if kind == "station" else None, None)

    def highlighted(self, highlight: dict | None) -> Markup:
        """The map with a route drawn (``{"strokes", "stations"}``) and the rest faded."""
        if highlight is None:
            return self._draw(None, None, None, None)
        return self._draw(
            frozenset(highlight.get("lines", ())),
            (frozenset(highlight.get("strokes", ())), frozenset(highlight.get("stations", ()))),
            None,
            None,
        )

    def _draw_uncached(self, lines, route, station: str | None, line: str | None) -> Markup:
        rm = self.rm
        highlight = None
        if lines is not None or route is not None:
            strokes, stations = route or (frozenset(), frozenset())
            if line is not None:
                stations = frozenset(rm.lines[line].stations)
            highlight = Highlight(
                lines=frozenset(lines or ()), strokes=strokes, stations=frozenset(stations)
            )
        text = render_svg(rm, embed_font=False, highlight=highlight, xml_declaration=False)
        ET.register_namespace("", SVG_NS)
        svg = ET.fromstring(text)
        self._prefix_ids(svg)
        # a group of links, not one image: role="img" would hide every station from readers
        svg.set("role", "group")
        svg.set("class", "rm-svg-map")
        svg.set("focusable", "false")
        style = svg.find(f"{NS}style")
        if style is not None:
            style.text = ".faded{opacity:.18}"  # the fonts come from the page's CSS
        self._link_stations(svg, selected=station)
        self._link_legend(svg, selected=line)
        return Markup(ET.tostring(svg, encoding="unicode"))

    @staticmethod
    def _prefix_ids(svg: ET.Element) -> None:
        for el in svg.iter():
            if "id" in el.attrib:
                el.set("id", PREFIX + el.get("id"))
        refs = svg.get("aria-labelledby", "").split()
        svg.set("aria-labelledby", " ".join(PREFIX + r for r in refs))

    def _link_stations(self, svg: ET.Element, selected: str | None) -> None:
        group = svg.find(f".//{NS}g[@id='{PREFIX}stations']")
        if group is None:
            return
        order = {sid: i for i, sid in enumerate(reading_order(self.rm))}
        items = list(group)
        for item in items:
            group.remove(item)
        for item in sorted(items, key=lambda el: order.get(el.get("data-station", ""), -1)):
            sid = item.get("data-station")
            if not sid or sid not in self.rm.stations:
                group.append(item)
                continue
            link = ET.SubElement(
                group,
                "a",
                {
                    "href": f"/station/{sid}",
                    "class": "rm-svg-station",
                    "aria-label": station_label(self.rm, sid),
                },
            )
            if sid == selected:
                link.set("aria-current", "page")
                item.set("class", item.get("class", "") + " selected")
            link.append(item)

    def _link_legend(self, svg: ET.Element, selected: str | None) -> None:
        legend = svg.find(f".//{NS}g[@id='{PREFIX}legend']")
        if legend is None:
            return
        for i, item in enumerate(list(legend)):
            lid = item.get("data-line")
            if item.tag != f"{NS}g" or lid not in self.rm.lines:
                continue
            legend.remove(item)
            ln = self.rm.lines[lid]
            name = ln.name + (" (historical)" if ln.status != "open" else "")
            link = ET.Element(
                "a",
                {"href": f"/line/{lid}", "class": "rm-svg-legend", "aria-label": f"{name} line"},
            )
            if lid == selected:
                link.set("aria-current", "page")
            link.append(item)
            legend.insert(i, link)
