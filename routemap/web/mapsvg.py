"""The map in a page: the export's SVG (``render/svg.py``, drawn from the one geometry and the
one typed ``Highlight``) made into inline SVG where every station is a link.

Each station becomes ``<a>`` with its name, kind and lines as its accessible name, in reading
order (left to right, top to bottom), so Tab walks the map as a sighted reader would; each
legend entry links to its line's page. On the map page a station links to its own page (the
selected one is marked ``aria-current``); on a route's map a step links to its place in the
page's list of steps, and the drawing is cropped to the route's height (it runs left to right
and the frame scrolls across). Ids get a prefix, so none clashes with the page's own. The font
comes from the page's CSS (not embedded).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from functools import lru_cache

from markupsafe import Markup

from ..core import RouteMap
from ..render.highlight import Highlight
from ..render.svg import SVG_NS, fmt, render_svg
from ..stationview import station_view

PREFIX = "m-"
NS = f"{{{SVG_NS}}}"
ROUTE_SCALE = 0.8  # a route's map: its labels at 10 px
ROUTE_PAD = 40.0


def reading_order(rm: RouteMap) -> list[str]:
    """The stations as a reader scans the map: left to right, then top to bottom."""
    return [st.id for st in sorted(rm.geometry.stations, key=lambda g: (g.marker.x, g.marker.y))]


class MapSvg:
    """The inline SVG maps of one app, cached by what they show."""

    def __init__(self, rm: RouteMap):
        self.rm = rm
        self.order = {sid: i for i, sid in enumerate(reading_order(rm))}
        self._draw = lru_cache(maxsize=256)(self._draw_uncached)

    def map(self, highlight: Highlight | None = None, station: str | None = None) -> Markup:
        """The map page's map: a station marked, a line or a route brought forward."""
        return self._draw(highlight, station, False)

    def route(self, highlight: Highlight) -> Markup:
        """A route's map for its page: cropped to the route, each step linking to the list."""
        return self._draw(highlight, None, True)

    def _draw_uncached(self, h: Highlight | None, station: str | None, route: bool) -> Markup:
        text = render_svg(self.rm, embed_font=False, highlight=h, xml_declaration=False)
        ET.register_namespace("", SVG_NS)
        svg = ET.fromstring(text)
        self._prefix_ids(svg)
        # a group of links, not one image: role="img" would hide every station from readers
        svg.set("role", "group")
        svg.set("class", "rm-svg-map")
        svg.set("focusable", "false")
        self._slim(svg)
        steps = set(h.steps) if route and h is not None else set()
        self._link_stations(svg, station, steps)
        self._link_legend(svg, next(iter(h.lines)) if h and len(h.lines) == 1 else None)
        if route and h is not None:
            self._crop(svg, h)
        return Markup(ET.tostring(svg, encoding="unicode"))

    def _slim(self, svg: ET.Element) -> None:
        """The drawing as light as a page wants it (it is part of every route page): the
        fonts from the page's CSS, the strokes' shared attributes said once, no tooltips
        (each station's link names it), no indentation."""
        width = self.rm.geometry.params["line_width"]
        style = svg.find(f"{NS}style")
        if style is not None:
            style.text = style.text[style.text.index(".faded") :] + (
                f"path{{fill:none;stroke-width:{fmt(width)};stroke-linejoin:round;"
                "stroke-linecap:butt}"
            )
        shared = {
            "fill": "none",
            "stroke-width": fmt(width),
            "stroke-linejoin": "round",
            "stroke-linecap": "butt",
        }
        for el in svg.iter():
            for child in [c for c in el if c.tag == f"{NS}title" and el is not svg]:
                el.remove(child)
            if el.text is not None and not el.text.strip():
                el.text = None
            if el.tail is not None and not el.tail.strip():
                el.tail = None
        for line in svg.iterfind(f".//{NS}g[@data-line]"):
            self._one_path_per_look(line, shared)

    @staticmethod
    def _one_path_per_look(line: ET.Element, shared: dict[str, str]) -> None:
        """A line's strokes drawn alike (colour, dashes, faded or not) as one path of many
        pieces: the same drawing in a fraction of the markup."""
        looks: dict[tuple, ET.Element] = {}
        for el in [c for c in line if c.tag == f"{NS}path"]:
            for key, value in shared.items():
                if el.get(key) == value:
                    del el.attrib[key]
            el.attrib.pop("data-from", None)
            el.attrib.pop("data-to", None)
            look = tuple(sorted((k, v) for k, v in el.attrib.items() if k != "d"))
            if look in looks:
                first = looks[look]
                first.set("d", first.get("d") + el.get("d"))
                line.remove(el)
            else:
                looks[look] = el

    @staticmethod
    def _prefix_ids(svg: ET.Element) -> None:
        for el in svg.iter():
            if "id" in el.attrib:
                el.set("id", PREFIX + el.get("id"))
            fill = el.get("fill", "")
            if fill.startswith("url(#"):
                el.set("fill", fill.replace("url(#", "url(#" + PREFIX, 1))
        refs = svg.get("aria-labelledby", "").split()
        svg.set("aria-labelledby", " ".join(PREFIX + r for r in refs))

    def _link_stations(self, svg: ET.Element, selected: str | None, steps: set[str]) -> None:
        group = svg.find(f".//{NS}g[@id='{PREFIX}stations']")
        if group is None:
            return
        items = list(group)
        for item in items:
            group.remove(item)
        for item in sorted(items, key=lambda el: self.order.get(el.get("data-station", ""), -1)):
            sid = item.get("data-station")
            if not sid or sid not in self.rm.stations:
                group.append(item)
                continue
            label = station_view(self.rm, sid).map_label
            on_route = sid in steps
            link = ET.SubElement(
                group,
                "a",
                {
                    "href": f"#step-{sid}" if on_route else f"/station/{sid}",
                    "class": "rm-svg-station",
                    "aria-label": label + (" A step of this route." if on_route else ""),
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

    def _crop(self, svg: ET.Element, h: Highlight) -> None:
        """The drawing cut to the route's height, across the whole map's width."""
        g = self.rm.geometry
        ys: list[float] = []
        for st in g.stations:
            if st.id in h.stations:  # its label and its centre (a tall interchange runs on)
                ys += [st.y - 12, st.y + 12, st.label.box.y, st.label.box.bottom]
        for ln in g.lines:
            for stroke in ln.strokes:
                if (ln.id, stroke.start, stroke.end) in h.strokes:
                    ys += [y for _x, y in stroke.points]
        if not ys:
            return
        top = max(min(ys) - ROUTE_PAD, 0.0)
        bottom = min(max(ys) + ROUTE_PAD, g.height)
        width, height = g.width, bottom - top
        svg.set("viewBox", f"0 {fmt(top)} {fmt(width)} {fmt(height)}")
        svg.set("width", fmt(width * ROUTE_SCALE))
        svg.set("height", fmt(height * ROUTE_SCALE))
