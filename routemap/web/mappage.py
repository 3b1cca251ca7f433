"""The map page: the tube map (dash-cytoscape, preset positions from our geometry), search,
legend and the details panel. ``/``, ``/station/<id>`` and ``/line/<id>`` are this one page
with a different selection; the URL is the selection, so links, reloads and the back button all
work.

A selection is handled in the browser (``assets/routemap.js``) without a Dash round trip:
the map's highlight and view change by toggling classes (the elements and stylesheet are sent
once), and the details panel is placed from the panels the server writes
(``server/details.py``, served as ``<template>``s from ``/_panels``, all prefetched at once):
one wording of every panel, with JavaScript on or off. A Dash callback per click re-rendering
the panel took 150-300 ms; placing a prefetched panel takes a few.
"""

from __future__ import annotations

import re

from dash import Dash, Input, Output, State, dcc, html, no_update

from ..core import RouteMap, UnknownId
from . import components as C
from .cyto import elements, stylesheet

SELECTION_RE = re.compile(r"^/(station|line)/([^/]+)/?$")
MAP_PATH_RE = re.compile(r"^/(?:$|station/|line/)")


def selection(pathname: str | None) -> tuple[str | None, str | None]:
    m = SELECTION_RE.match(pathname or "")
    if not m:
        return None, None
    return m.group(1), m.group(2)


def title_for(rm: RouteMap, pathname: str | None) -> str:
    """The page title for a map path (the browser keeps it up to date as the selection moves)."""
    return selection_title(rm, *selection(pathname))


def selection_title(rm: RouteMap, kind: str | None, ident: str | None) -> str:
    """The title for a selection: also the details panel's, which the browser shows as the title."""
    try:
        if kind == "station":
            return f"{rm.station(ident).name}: map"
        if kind == "line":
            return f"{rm.line(ident).name} line: map"
    except UnknownId as exc:
        return f"{exc.kind.capitalize()} not found"
    return "Map"


class MapPage:
    def __init__(self, rm: RouteMap):
        self.rm = rm
        self.elements = elements(rm)
        self.base_style = stylesheet(rm)
        self.names = sorted({s.name for s in rm.stations.values()})
        self.legend = C.legend(rm)

    def search_box(self) -> html.Div:
        return html.Div(
            [
                html.Label(
                    [
                        "Find a station",
                        html.Span(
                            "A name, or a form code such as CIC36",
                            className="rm-hint",
                        ),
                    ],
                    htmlFor="search",
                    className="rm-label",
                ),
                html.Div(
                    [
                        dcc.Input(
                            id="search",
                            type="search",
                            debounce=True,
                            list="station-names",
                            autoComplete="off",
                            maxLength=100,
                            spellCheck=False,
                            className="rm-input",
                        ),
                        html.Button("Find", id="search-button", n_clicks=0, className="rm-button"),
                    ],
                    className="rm-search__row",
                ),
                html.Datalist([html.Option(value=n) for n in self.names], id="station-names"),
            ],
            className="rm-search",
            role="search",
        )

    def render(self, pathname: str, *, light: bool = False) -> list:
        """The page for a map path; ``light`` leaves out the map data (for validation)."""
        rm = self.rm
        graph = C.map_graph(
            "cy",
            [] if light else self.elements,
            [] if light else self.base_style,
            layout={"fit": True, "padding": 24},
        )
        controls = C.map_controls("data-cy-action", "Fit to screen")
        return [
            html.Div(
                [
                    html.Div(
                        [
                            html.H1(rm.info.title, className="rm-heading-l rm-map-title"),
                            html.P(rm.info.subtitle, className="rm-body rm-lead"),
                        ],
                        className="rm-map-intro",
                    ),
                    self.search_box(),
                ],
                className="rm-map-top",
            ),
            html.P(
                [
                    "On a small screen the ",
                    C.link("step-by-step list", "/text"),
                    " may be easier to use than the map.",
                ],
                className="rm-body rm-small-screen-only rm-inset",
            ),
            html.Div(
                [
                    html.Div(
                        [
                            controls,
                            C.map_station_links(rm),
                            html.Div(
                                graph,
                                id="map-canvas",
                                className="rm-map-canvas",
                                role="img",
                                **{
                                    "aria-label": (
                                        f"Tube map: {len(rm.lines)} routes and "
                                        f"{len(rm.stations)} stations. The same map is written "
                                        "out in the step-by-step list."
                                    )
                                },
                            ),
                        ],
                        className="rm-map-frame",
                    ),
                    html.Div(
                        [
                            html.H2("Lines", className="rm-heading-s", id="legend-heading"),
                            html.P(
                                "Select a line to show it on its own.",
                                className="rm-hint",
                            ),
                            html.Ul(
                                [] if light else self.legend,
                                id="legend",
                                className="rm-legend__list",
                            ),
                        ],
                        className="rm-legend",
                        role="navigation",
                        **{"aria-labelledby": "legend-heading"},
                    ),
                    html.Div(
                        [
                            # the search's answer, just above the details it opened
                            html.Div(
                                id="search-results", className="rm-search__results", role="status"
                            ),
                            # copied into the panel when nothing is selected
                            html.Div(
                                [] if light else C.intro_details(rm),
                                id="details-intro",
                                hidden=True,
                            ),
                            # built by assets/routemap.js: Dash never gives it children
                            html.Div(id="details-body", **{"aria-live": "off"}),
                        ],
                        id="details",
                        className="rm-details",
                        role="region",
                        **{"aria-label": "Details"},
                    ),
                ],
                className="rm-map-layout",
            ),
        ]

    def register_callbacks(self, app: Dash) -> None:
        rm = self.rm

        @app.callback(
            Output("url", "pathname", allow_duplicate=True),
            Output("search-results", "children"),
            Input("search-button", "n_clicks"),
            Input("search", "n_submit"),
            State("search", "value"),
            prevent_initial_call=True,
        )
        def search(clicks, submits, value):
            if not clicks and not submits:  # the search box was just rendered
                return no_update, no_update
            query = (value or "").strip()[:100]
            if not query:
                return no_update, html.P("Type a station name or a form code.", className="rm-hint")
            found = rm.search(query, limit=6)
            if not found:
                return no_update, html.P(
                    [
                        f"No station matches “{query}”. Try part of a name, such as ",
                        html.Q("business case"),
                        ", or a form code, such as ",
                        html.Q("CIC36"),
                        ".",
                    ],
                    className="rm-body",
                )
            first, *others = found
            out: list = [
                html.P(["Showing ", html.Strong(rm.stations[first].name), "."], className="rm-body")
            ]
            if others:
                out.append(
                    html.P(
                        ["Other matches: "]
                        + [
                            part
                            for i, sid in enumerate(others)
                            for part in (
                                (", " if i else ""),
                                C.link(rm.stations[sid].name, f"/station/{sid}"),
                            )
                        ],
                        className="rm-body",
                    )
                )
            return f"/station/{first}", out
