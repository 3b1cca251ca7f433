"""Page pieces built from the map: the legend, the map's introduction, the text view, About.

(The details panel of a selected station or line is built in the browser from the JSON API,
``assets/routemap.js``, with the words defined here: ``STATION_KINDS``, ``LINE_KINDS``.)

All data text goes into Dash components as children (React escapes it), never as HTML, so a
station name with markup in it shows as text. Internal links are plain ``<a>`` elements with the
class ``js-nav``: ``assets/routemap.js`` turns a click on one into an in-app navigation (like
``dcc.Link``), and without JavaScript they still work as ordinary links. Colour never carries
meaning alone: every swatch sits next to the line's name, and historical routes say so in words.
"""

from __future__ import annotations

import dash_cytoscape as cyto
from dash import html

from ..citing import source_meta
from ..core import RouteMap
from ..models import Line, Station, end_words, span_words
from ..stationview import LINE_KINDS, STATION_KINDS, station_view  # noqa: F401 - re-exported


def page_title(rm: RouteMap, title: str) -> str:
    return f"{title} – {rm.info.title}"


def link(text, href: str, *, cls: str = "", **attrs) -> html.A:
    return html.A(text, href=href, className=("rm-link js-nav " + cls).strip(), **attrs)


def external_link(text, href: str) -> html.A:
    return html.A(text, href=href, className="rm-link", rel="noopener noreferrer")


def line_style(line: Line) -> dict:
    """The line's colour for CSS: its swatch is drawn by a ``::before`` (one component less)."""
    return {"--line-colour": line.colour}


def line_class(base: str, line: Line) -> str:
    """``base``, and ``base--historical`` for a historical line (dashed swatch)."""
    return base + (f" {base}--historical" if line.status != "open" else "")


def line_status_text(line: Line) -> str:
    if line.status == "open":
        return ""
    dates = span_words(line)
    return f"Historical route ({dates})" if dates else "Historical route"


def station_status_text(st: Station) -> str:
    if st.status == "open":
        return ""
    end = end_words(st)
    return f"Historical ({end})" if end else "Historical"


def line_name(line: Line) -> str:
    """The line's name, saying so when it is historical (colour never says it alone)."""
    return line.name + (" (historical)" if line.status != "open" else "")


def sources_list(rm: RouteMap, ids) -> html.Ul:
    items = []
    for key in ids:
        src = rm.sources[key]
        items.append(html.Li([external_link(src.title, src.url), f" ({source_meta(src)})"]))
    return html.Ul(items, className="rm-list rm-list--bullet rm-sources")


# ---- a line as numbered steps ----------------------------------------------------------
def line_stops(rm: RouteMap, lid: str) -> html.Ol:
    """The stations of a line as a numbered list, with interchange notes ("Change here for").

    Only the stations are links, so Tab goes from station to station; the other lines are
    named (the legend and each station's details link to them).
    """
    ln = rm.line(lid)
    items = []
    for sid in ln.stations:
        st = rm.stations[sid]
        others = [o for o in rm.lines_at[sid] if o != lid]
        note = STATION_KINDS[st.kind]
        if st.status != "open":
            note += f" · {station_status_text(st).lower()}"
        if others:
            note += ". Change here for " + ", ".join(rm.lines[o].name for o in others)
        body: list = [link(st.name, f"/station/{sid}", cls="rm-stop__name"), note]
        items.append(
            html.Li(
                body,
                className="rm-stop" + (" rm-stop--interchange" if others else ""),
                **{"data-station": sid},
            )
        )
    cls = "rm-stops" + (" rm-stops--historical" if ln.status != "open" else "")
    return html.Ol(items, className=cls, style={"--line-colour": ln.colour})


def station_label(rm: RouteMap, sid: str) -> str:
    """What a screen reader announces for a station on a map (the SVG map's links and the
    interactive map's keyboard links say the same): the station view's words."""
    return station_view(rm, sid).map_label


def reading_order(rm: RouteMap) -> list[str]:
    """The stations as a reader scans the map: left to right, then top to bottom."""
    return [st.id for st in sorted(rm.geometry.stations, key=lambda g: (g.marker.x, g.marker.y))]


def map_station_links(rm: RouteMap) -> html.Ul:
    """Every station of the interactive map as a link, for the keyboard: Tab walks them in
    reading order, the focused one is shown on the map (``assets/routemap.js``), Enter opens
    it. Hidden until focused; the canvas itself is not focusable."""
    return html.Ul(
        [
            html.Li(
                html.A(
                    rm.stations[sid].name,
                    href=f"/station/{sid}",
                    className="rm-map-key js-nav",
                    **{"aria-label": station_label(rm, sid), "data-station": sid},
                )
            )
            for sid in reading_order(rm)
        ],
        className="rm-map-keys",
        **{"aria-label": "Stations on the map"},
    )


def intro_details(rm: RouteMap) -> list:
    """What the details panel says when nothing is selected (the browser shows a copy)."""
    return [
        html.H2(
            "How to read this map",
            className="rm-heading-m",
            tabIndex=-1,
            **{"data-title": "Map", "data-heading": "true"},
        ),
        html.P(
            "Each coloured line is a route a team can take. Each station is a step on it: a "
            "stage, a decision, a form, a support offer, a registration or an outcome.",
            className="rm-body",
        ),
        html.Ul(
            [
                html.Li(
                    "A white pill with a black border is an interchange: lines meet there "
                    "and you can change route."
                ),
                html.Li("A dashed line is a historical route that has closed."),
                html.Li("Select a station for its details, forms, costs and sources."),
                html.Li("Select a line in the list of lines to show it on its own."),
            ],
            className="rm-list rm-list--bullet",
        ),
        html.P(
            [
                "Every line is also written out step by step in the ",
                link("step-by-step list", "/text"),
                ".",
            ],
            className="rm-body",
        ),
        html.P(rm.info.description, className="rm-body rm-muted"),
    ]


def legend(rm: RouteMap) -> list:
    """The lines as links. Which one is isolated is marked in the browser (``aria-current``),
    so a selection never re-renders the legend."""
    return [
        html.Li(
            html.A(
                line_name(ln),
                href=f"/line/{ln.id}",
                className=line_class("rm-legend__link", ln) + " js-nav",
                style=line_style(ln),
            ),
            className="rm-legend__item",
        )
        for ln in rm.lines.values()
    ]


# ---- text view ----------------------------------------------------------------------------
def text_view(rm: RouteMap) -> list:
    toc = html.Ul(
        [
            html.Li(
                html.A(line_name(ln), href=f"#line-{ln.id}", className="rm-link"),
                className=line_class("rm-line-item", ln),
                style=line_style(ln),
            )
            for ln in rm.lines.values()
        ],
        className="rm-list rm-lines",
    )
    sections = []
    for ln in rm.lines.values():
        status = line_status_text(ln)
        sections.append(
            html.Section(
                [
                    html.H2(
                        ln.name,
                        id=f"line-{ln.id}",
                        className="rm-heading-m " + line_class("rm-line-heading", ln),
                        tabIndex=-1,
                        style=line_style(ln),
                    ),
                    html.P(
                        " · ".join([LINE_KINDS[ln.kind]] + ([status] if status else [])),
                        className="rm-caption",
                    ),
                    html.P(ln.summary, className="rm-body"),
                    html.P(f"Regulator: {ln.regulator}.", className="rm-body rm-muted"),
                    line_stops(rm, ln.id),
                    html.P(
                        link(f"Show the {ln.name} line on the map", f"/line/{ln.id}"),
                        className="rm-body",
                    ),
                ],
                className="rm-text-line",
                **{"aria-labelledby": f"line-{ln.id}"},
            )
        )
    return [
        html.H1("Step-by-step list of every route", className="rm-heading-xl"),
        html.P(
            "The same map as lists: each line is a route, written out as numbered steps. "
            "Where lines meet, the step says which routes you can change to. Select a step "
            "for its details, forms, costs and sources.",
            className="rm-body rm-lead",
        ),
        html.H2("Lines on this map", className="rm-heading-m"),
        toc,
        *sections,
    ]


def about_view(rm: RouteMap) -> list:
    info = rm.info
    return [
        html.H1("About this map", className="rm-heading-xl"),
        html.P(info.subtitle, className="rm-body rm-lead"),
        html.P(info.description, className="rm-body"),
        html.P(
            f"The facts were last checked in {info.facts_checked}, each against its source.",
            className="rm-body",
        ),
        html.H2("How a correction reaches the map", className="rm-heading-m", id="corrections"),
        html.P(info.corrections.tell, className="rm-body"),
        html.Ol(
            [html.Li(step) for step in info.corrections.steps],
            className="rm-list rm-list--number",
        ),
        html.H2("Data and API", className="rm-heading-m"),
        html.P(
            [
                "The map is open data, served as JSON: ",
                html.A("the whole map", href="/api/v1/map", className="rm-link"),
                ", ",
                html.A("stations", href="/api/v1/stations", className="rm-link"),
                ", ",
                html.A("lines", href="/api/v1/lines", className="rm-link"),
                ". The ",
                html.A("OpenAPI document", href="/api/openapi.json", className="rm-link"),
                " describes every endpoint.",
            ],
            className="rm-body",
        ),
        html.H2("Download the map", className="rm-heading-m", id="download-map"),
        map_downloads(),
        html.H2("Sources", className="rm-heading-m"),
        sources_list(rm, rm.sources),
    ]


MAP_DOWNLOADS = (
    ("svg", "The map as SVG (scalable, accessible)"),
    ("png", "The map as a PNG image"),
    ("pdf", "The map as a PDF (A3)"),
    ("html", "The map as one offline web page (works without a connection)"),
    ("json", "The drawn map as JSON (positions and strokes)"),
)


def map_downloads(query: str = "") -> html.Ul:
    """Links that download the map in every format (``GET /api/v1/export``), the same files as
    ``routemap export``; ``query`` adds parameters (``&line=cic``)."""
    return html.Ul(
        [
            html.Li(
                html.A(
                    text,
                    href=f"/api/v1/export?format={fmt}{query}",
                    download=f"routemap.{fmt}",
                    className="rm-link",
                )
            )
            for fmt, text in MAP_DOWNLOADS
        ],
        className="rm-list rm-list--bullet",
    )


def map_graph(ident: str, els: list, sheet: list, *, layout: dict):
    """A Cytoscape map drawn at our geometry's positions (``preset``), with the zoom limits
    and the locked-down interaction that the map and the route map share.

    Never dash-cytoscape's ``responsive``: on every resize of the container (a scrollbar
    appearing, fonts arriving, the details panel growing) it re-applies the zoom it recorded
    at the previous resize, undoing whatever the reader (or our own view code) did since, and
    it divides by zero for a map that starts hidden. Cytoscape itself already follows the
    container's size (``cy.resize()`` on a ResizeObserver) and keeps the view as it was."""
    return cyto.Cytoscape(
        id=ident,
        elements=els,
        stylesheet=sheet,
        layout={"name": "preset", **layout},
        style={"width": "100%", "height": "100%"},
        minZoom=0.08,
        maxZoom=4,
        autoungrabify=True,
        autounselectify=True,
        boxSelectionEnabled=False,
        responsive=False,
    )


def map_controls(action: str, fit_label: str) -> html.Div:
    """Zoom in, zoom out and fit buttons; ``action``: the data attribute the browser code
    reads (``data-cy-action`` on the map, ``data-route-action`` on the route map)."""
    button = "rm-button rm-button--secondary rm-button--small"
    return html.Div(
        [
            html.Button("Zoom in", className=button, **{action: "zoom-in"}),
            html.Button("Zoom out", className=button, **{action: "zoom-out"}),
            html.Button(fit_label, className=button, **{action: "fit"}),
        ],
        className="rm-map-controls",
        role="group",
        **{"aria-label": "Map view"},
    )


def page_not_found() -> list:
    return [
        html.H1("Page not found", className="rm-heading-xl"),
        html.P("If you typed the web address, check it is correct.", className="rm-body"),
        html.P(
            ["Go to the ", link("map", "/"), " or the ", link("step-by-step list", "/text"), "."],
            className="rm-body",
        ),
    ]
