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
from functools import cached_property, lru_cache

from markupsafe import Markup

from ..core import RouteMap
from ..layout.geometry import Geometry
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
        # the map page's drawings: a station, a line or nothing brought forward (a hundred)
        self._draw = lru_cache(maxsize=256)(self._draw_uncached)
        self._parts: RouteParts | None = None
        # the routes drawn last (a team reloads its route, comes back to it from a what-if):
        # 32 drawings of about 160 KB in memory (80,000 characters), 5 MB
        self._route = lru_cache(maxsize=32)(self._route_uncached)
        # the map page with a team's route brought forward: as many as there are teams, so
        # kept apart, as few as a route page's, and never pushing the hundred above out
        self._route_on_map = lru_cache(maxsize=32)(self._draw_uncached)

    def map(self, highlight: Highlight | None = None, station: str | None = None) -> Markup:
        """The map page's map: a station marked, a line or a route brought forward."""
        if highlight is not None and highlight.steps:  # a team's route
            return self._route_on_map(highlight, station, False)
        return self._draw(highlight, station, False)

    def here(self, station: str) -> tuple[float, float] | None:
        """Where a station is on the map page's drawing, in CSS pixels from its top left (the
        drawing is shown at its own size): the point its page opens the map at, without
        JavaScript (``scroll-initial-target`` in ``map.html``)."""
        return self._points.get(station)

    @cached_property
    def _points(self) -> dict[str, tuple[float, float]]:
        root = ET.fromstring(str(self.map()))  # the page's drawing: every one is this size
        x0, y0, w, h = (float(v) for v in root.get("viewBox").split())
        sx, sy = float(root.get("width")) / w, float(root.get("height")) / h
        return {
            st.id: (round((st.x - x0) * sx, 1), round((st.y - y0) * sy, 1))
            for st in self.rm.geometry.stations
        }

    def route(self, highlight: Highlight) -> Markup:
        """A route's map for its page: cropped to the route, each step linking to the list.
        Put together from parts drawn once (``RouteParts``): every route a team may have is a
        new drawing, and drawing the whole map anew takes tens of milliseconds."""
        if highlight.lines:  # a line brought forward: not a route's drawing
            return self._draw(highlight, None, True)
        return self._route(highlight)

    def _route_uncached(self, highlight: Highlight) -> Markup:
        if self._parts is None:
            self._parts = RouteParts(self)
        return Markup(self._parts.draw(highlight))

    def _draw_uncached(self, h: Highlight | None, station: str | None, route: bool) -> Markup:
        return Markup(ascii_xml(self.tree(h, station, route)))

    def tree(
        self,
        h: Highlight | None,
        station: str | None,
        route: bool,
        *,
        geometry: Geometry | None = None,
        merge: bool = True,
    ) -> ET.Element:
        """The drawing as a tree. ``geometry``: another one to draw (a part of the map's);
        ``merge``: the strokes drawn alike made one path."""
        text = render_svg(self.rm, geometry, embed_font=False, highlight=h, xml_declaration=False)
        ET.register_namespace("", SVG_NS)
        svg = ET.fromstring(text)
        self._prefix_ids(svg)
        # a group of links, not one image: role="img" would hide every station from readers
        svg.set("role", "group")
        svg.set("class", "rm-svg-map")
        svg.set("focusable", "false")
        self._slim(svg, merge)
        steps = set(h.steps) if route and h is not None else set()
        self._link_stations(svg, station, steps)
        self._link_legend(svg, next(iter(h.lines)) if h and len(h.lines) == 1 else None)
        if route and h is not None:
            span = self.crop_span(h)
            self._crop(svg, span)
            self._leave_out(svg, *self.out_of_sight(h, span))
        return svg

    @staticmethod
    def _leave_out(svg: ET.Element, stations: frozenset[str], legend: bool) -> None:
        group = svg.find(f".//{NS}g[@id='{PREFIX}stations']")
        for link in [] if group is None else list(group):
            if len(link) and link[0].get("data-station") in stations:
                group.remove(link)
        parent = svg.find(f".//{NS}g[@id='{PREFIX}legend']/..") if legend else None
        if parent is not None:
            parent.remove(parent.find(f"{NS}g[@id='{PREFIX}legend']"))

    def _slim(self, svg: ET.Element, merge: bool = True) -> None:
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
            self._one_path_per_look(line, shared, merge)

    @staticmethod
    def _one_path_per_look(line: ET.Element, shared: dict[str, str], merge: bool) -> None:
        """A line's strokes drawn alike (colour, dashes, faded or not) as one path of many
        pieces: the same drawing in a fraction of the markup."""
        looks: dict[tuple, ET.Element] = {}
        for el in [c for c in line if c.tag == f"{NS}path"]:
            for key, value in shared.items():
                if el.get(key) == value:
                    del el.attrib[key]
            el.attrib.pop("data-from", None)
            el.attrib.pop("data-to", None)
            look = look_of(el)
            if not merge:
                continue
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

    def _crop(self, svg: ET.Element, span: tuple[float, float] | None) -> None:
        """The drawing cut to the route's height, across the whole map's width."""
        box = self.crop_box(span)
        if box is not None:
            for name, value in zip(("viewBox", "width", "height"), box, strict=True):
                svg.set(name, value)

    def crop_box(self, span: tuple[float, float] | None) -> tuple[str, str, str] | None:
        """A route's drawing's viewBox, width and height for its ``crop_span`` (None: nothing
        to crop to)."""
        if span is None:
            return None
        top, bottom = span
        width, height = self.rm.geometry.width, bottom - top
        return (
            f"0 {fmt(top)} {fmt(width)} {fmt(height)}",
            fmt(width * ROUTE_SCALE),
            fmt(height * ROUTE_SCALE),
        )

    def out_of_sight(
        self, h: Highlight, span: tuple[float, float] | None
    ) -> tuple[frozenset[str], bool]:
        """The stations a route's crop (its ``crop_span``) leaves wholly out of sight, and
        whether it leaves the legend out: left out of the drawing, as no keyboard should reach
        a link nobody sees."""
        if span is None:
            return frozenset(), False
        top, bottom = span
        g = self.rm.geometry

        def hidden(boxes) -> bool:
            return all(b.bottom <= top or b.y >= bottom for b in boxes)

        stations = frozenset(
            st.id
            for st in g.stations
            if st.id not in h.stations and hidden((st.marker, st.label.box))
        )
        return stations, hidden((g.legend.box,))

    def crop_span(self, h: Highlight) -> tuple[float, float] | None:
        """The top and bottom of a route's drawing (None: nothing to crop to)."""
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
            return None
        return max(min(ys) - ROUTE_PAD, 0.0), min(max(ys) + ROUTE_PAD, g.height)


def look_of(path: ET.Element) -> tuple:
    """How a stroke is drawn (all but where): strokes drawn alike are one path."""
    return tuple(sorted((k, v) for k, v in path.attrib.items() if k != "d"))


# where a part's contents go: words no data holds, written as they are (ASCII, nothing to escape)
HOLE = "@rm-hole@"
HOLES = ("@rm-hole-1@", "@rm-hole-2@", "@rm-hole-3@")


def ascii_xml(el: ET.Element) -> str:
    """``el`` as XML text in ASCII, any other character a character reference (the page
    it goes into is then ASCII throughout: joined and encoded as bytes, not character by
    character)."""
    return ET.tostring(el, encoding="us-ascii").decode("ascii")


def written(el: ET.Element) -> str:
    """``el`` as ElementTree writes it inside the drawing (whose root declares the namespace)."""
    root = ET.Element(f"{NS}svg")
    root.append(el)
    text = ascii_xml(root)
    head, tail = f'<svg xmlns="{SVG_NS}">', "</svg>"
    if not (text.startswith(head) and text.endswith(tail)):
        raise ValueError(f"unexpected serialisation of {el.tag}")
    return text[len(head) : -len(tail)]


def around(el: ET.Element, **attrib: str) -> tuple[str, str]:
    """An element's opening and closing tags as written (``attrib`` set), its children left out."""
    shell = ET.Element(el.tag, {**el.attrib, **attrib})
    shell.text = HOLE
    before, after = written(shell).split(HOLE)
    return before, after


class RouteParts:
    """A route's drawing put together from parts of the map drawn once, so a route never
    seen before costs a fraction of a millisecond rather than a whole drawing (the parts
    depend only on the frozen map; a few hundred kilobytes in all).

    The parts are cut from the drawings ``MapSvg.tree`` makes, so the result is the same text
    (``tests/test_web_mapsvg.py`` compares them): the head (titles, style, crop) drawn for each
    route from the map without its lines and stations; each line's strokes lit or faded, the
    strokes drawn alike joined into one path as ``_one_path_per_look`` joins them; each
    station as each of its looks draws it (faded or lit, a step or not, its progress mark),
    each look drawn on first use; the legend, the same on every route."""

    def __init__(self, svg: MapSvg):
        self.svg = svg
        g = svg.rm.geometry
        self.every = frozenset(st.id for st in g.stations)
        strokes = frozenset((ln.id, s.start, s.end) for ln in g.lines for s in ln.strokes)
        lit = svg.tree(Highlight(strokes=strokes, stations=self.every), None, True, merge=False)
        faded = svg.tree(Highlight(), None, True, merge=False)
        text = ascii_xml(lit)
        self.legend = text[text.index(f'<g id="{PREFIX}legend"') :]
        legend = lit.find(f".//{NS}g[@id='{PREFIX}legend']")
        self.no_legend = self.legend[len(written(legend)) :]
        self.bare = _bare(g)
        lines, faded_lines = (t.find(f"{NS}g[@id='{PREFIX}lines']") for t in (lit, faded))
        self.lines_tags = around(lines)
        # each line: its tags, then each stroke's key, path (lit, faded) and look (lit, faded)
        self.lines: list[tuple[tuple[str, str], list[tuple]]] = []
        for ln, lit_g, faded_g in zip(g.lines, lines, faded_lines, strict=True):
            paths = []
            for stroke, on, off in zip(ln.strokes, lit_g, faded_g, strict=True):
                if on.tag != f"{NS}path" or off.tag != f"{NS}path":
                    raise ValueError(f"line {ln.id}: a route's line holds only its strokes")
                paths.append(
                    (
                        (ln.id, stroke.start, stroke.end),
                        on.get("d"),
                        (around_path(on), look_of(on)),
                        (around_path(off), look_of(off)),
                    )
                )
            self.lines.append((around(lit_g), paths))
        self.stations_tags = around(lit.find(f"{NS}g[@id='{PREFIX}stations']"))
        self.looks: dict[tuple[bool, bool, str], tuple[list[str | None], dict[str, str]]] = {}
        # a head for each route's words (a title for each legal form, and the undecided)
        self._head = lru_cache(maxsize=128)(self._head_uncached)

    def station_look(self, lit: bool, step: bool, mark: str) -> tuple[list, dict[str, str]]:
        """Every station drawn one way: the stations' order, and each one's text."""
        key = (lit, step, mark)
        if key not in self.looks:
            order = sorted(self.every)
            h = Highlight(
                stations=self.every if lit else frozenset(),
                steps=tuple(order) if step else (),
                marks=tuple((sid, mark) for sid in order) if mark else (),
            )
            group = self.svg.tree(h, None, True).find(f".//{NS}g[@id='{PREFIX}stations']")
            sids = [item[0].get("data-station") if item.tag == "a" else None for item in group]
            self.looks[key] = (
                sids,
                {sid: written(item) for sid, item in zip(sids, group, strict=True) if sid},
            )
        return self.looks[key]

    def head(self, h: Highlight, span: tuple[float, float] | None) -> str:
        """The drawing's root, titles and style, cropped to the route (its ``crop_span``)."""
        cut, whole = self._head(
            h.title, h.subtitle, bool(h.marks), "in_progress" in h.mark.values()
        )
        box = self.svg.crop_box(span) or whole
        return cut[0] + "".join(value + after for value, after in zip(box, cut[1:], strict=True))

    def _head_uncached(self, title: str, subtitle: str, marked: bool, halves: bool):
        """A head's text cut around its crop (viewBox, width, height), and the uncropped
        crop."""
        # only what the head draws: the words, whether a step is marked and half filled
        marks = (("", "in_progress" if halves else "done"),) if marked else ()
        tree = self.svg.tree(
            Highlight(title=title, subtitle=subtitle, marks=marks), None, False, geometry=self.bare
        )
        whole = tuple(tree.get(k) for k in ("viewBox", "width", "height"))
        for k, hole in zip(("viewBox", "width", "height"), HOLES, strict=True):
            tree.set(k, hole)
        text = ascii_xml(tree)
        cut = [text[: text.index(f'<g id="{PREFIX}lines"')]]
        for hole in HOLES:
            cut[-1:] = cut[-1].split(hole)
        return cut, whole

    def draw(self, h: Highlight) -> str:
        span = self.svg.crop_span(h)
        out = [self.head(h, span), self.lines_tags[0]]
        for (opening, closing), paths in self.lines:
            looks: dict[tuple, tuple[tuple[str, str], list[str]]] = {}
            for key, d, on, off in paths:
                (tags, look) = on if key in h.strokes else off
                if look in looks:
                    looks[look][1].append(d)
                else:
                    looks[look] = (tags, [d])
            out.append(opening)
            out += [tags[0] + "".join(ds) + tags[1] for tags, ds in looks.values()]
            out.append(closing)
        out += [self.lines_tags[1], self.stations_tags[0]]
        steps, marks = set(h.steps), h.mark
        unseen, no_legend = self.svg.out_of_sight(h, span)
        sids, _ = self.station_look(False, False, "")
        for sid in sids:
            if sid is None:
                raise ValueError("a station's drawing without its station")
            if sid in unseen:
                continue
            look = self.station_look(sid in h.stations, sid in steps, marks.get(sid, ""))
            out.append(look[1][sid])
        out += [self.stations_tags[1], self.no_legend if no_legend else self.legend]
        return "".join(out)


def around_path(path: ET.Element) -> tuple[str, str]:
    """A stroke's path as written, around its ``d`` (the strokes drawn alike share one)."""
    shell = ET.Element(path.tag, {**path.attrib, "d": HOLE})
    before, after = written(shell).split(HOLE)
    return before, after


def _bare(g: Geometry) -> Geometry:
    """The map without its lines, stations and legend entries: a route's head, drawn alone."""
    from dataclasses import replace

    return replace(g, stations=(), lines=(), legend=replace(g.legend, entries=()))
