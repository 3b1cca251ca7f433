"""The map page: the tube map (dash-cytoscape, preset positions from our geometry), search,
legend and the details panel. ``/``, ``/station/<id>`` and ``/line/<id>`` are this one page
with a different selection; the URL is the selection, so links, reloads and the back button all
work. Highlighting is done in the browser (``assets/routemap.js``) by appending rules to the
stylesheet; the elements are sent once.
"""

from __future__ import annotations

import re

import dash_cytoscape as cyto
from dash import ALL, ClientsideFunction, Dash, Input, Output, State, dcc, html, no_update

from ..core import RouteMap, UnknownId
from . import components as C
from .cyto import elements, stylesheet

# The map page's copy of the path: callbacks of the map page listen to it rather than to the URL,
# so nothing fires for the map while another page is shown (a pattern-matching id matches
# nothing then).
MAP_PATH = {"type": "map-path", "page": "map"}
MAP_PATHS = {"type": "map-path", "page": ALL}
SELECTION_RE = re.compile(r"^/(station|line)/([^/]+)/?$")


def selection(pathname: str | None) -> tuple[str | None, str | None]:
    m = SELECTION_RE.match(pathname or "")
    if not m:
        return None, None
    return m.group(1), m.group(2)


def details_for(rm: RouteMap, pathname: str | None) -> tuple[list, list, str]:
    """Details panel children, legend children and the page title for a map path."""
    kind, ident = selection(pathname)
    try:
        if kind == "station":
            st = rm.station(ident)
            return C.station_details(rm, ident), C.legend(rm), f"{st.name}: map"
        if kind == "line":
            ln = rm.line(ident)
            return C.line_details(rm, ident), C.legend(rm, ident), f"{ln.name} line: map"
    except UnknownId as exc:
        return C.not_found_details(exc.kind, exc.ident), C.legend(rm), f"{exc.kind} not found"
    return C.intro_details(rm), C.legend(rm), "Map"


class MapPage:
    def __init__(self, rm: RouteMap):
        self.rm = rm
        self.elements = elements(rm)
        self.base_style = stylesheet(rm)
        self.names = sorted({s.name for s in rm.stations.values()})

    def search_box(self) -> html.Div:
        return html.Div(
            [
                html.Label(
                    [
                        "Find a station",
                        html.Span(
                            "By name, or by a form code such as CIC36 or IN01",
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
                html.Div(id="search-results", className="rm-search__results", role="status"),
            ],
            className="rm-search",
            role="search",
        )

    def render(self, pathname: str, *, light: bool = False) -> list:
        """The page for a map path; ``light`` leaves out the map data (for validation)."""
        rm = self.rm
        details, legend, _ = details_for(rm, pathname) if not light else ([], [], "")
        graph = cyto.Cytoscape(
            id="cy",
            elements=[] if light else self.elements,
            stylesheet=[] if light else self.base_style,
            layout={"name": "preset", "fit": True, "padding": 24},
            style={"width": "100%", "height": "100%"},
            minZoom=0.08,
            maxZoom=4,
            autoungrabify=True,
            autounselectify=True,
            boxSelectionEnabled=False,
            responsive=True,
        )
        controls = html.Div(
            [
                html.Button(
                    "Zoom in",
                    className="rm-button rm-button--secondary rm-button--small",
                    **{"data-cy-action": "zoom-in"},
                ),
                html.Button(
                    "Zoom out",
                    className="rm-button rm-button--secondary rm-button--small",
                    **{"data-cy-action": "zoom-out"},
                ),
                html.Button(
                    "Fit to screen",
                    className="rm-button rm-button--secondary rm-button--small",
                    **{"data-cy-action": "fit"},
                ),
            ],
            className="rm-map-controls",
            role="group",
            **{"aria-label": "Map view"},
        )
        return [
            html.Div(
                [
                    html.H1(rm.info.title, className="rm-heading-xl rm-map-title"),
                    html.P(rm.info.subtitle, className="rm-body rm-lead"),
                ],
                className="rm-map-intro",
            ),
            self.search_box(),
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
                            html.Ul(legend, id="legend", className="rm-legend__list"),
                        ],
                        className="rm-legend",
                        role="navigation",
                        **{"aria-labelledby": "legend-heading"},
                    ),
                    html.Div(
                        details,
                        id="details",
                        className="rm-details",
                        role="region",
                        **{"aria-label": "Details"},
                    ),
                ],
                className="rm-map-layout",
            ),
            dcc.Store(id="cy-base", data=[] if light else self.base_style),
            dcc.Store(id=MAP_PATH, data=pathname),
            dcc.Store(id="focus-sink"),
        ]

    def register_callbacks(self, app: Dash) -> None:
        rm = self.rm

        app.clientside_callback(
            ClientsideFunction("routemap", "tapNode"),
            Output("url", "pathname", allow_duplicate=True),
            Input("cy", "tapNodeData"),
            prevent_initial_call=True,
        )
        app.clientside_callback(
            ClientsideFunction("routemap", "tapEdge"),
            Output("url", "pathname", allow_duplicate=True),
            Input("cy", "tapEdgeData"),
            prevent_initial_call=True,
        )
        app.clientside_callback(
            ClientsideFunction("routemap", "mapPath"),
            Output(MAP_PATHS, "data"),
            Input("url", "pathname"),
            State(MAP_PATHS, "data"),
        )
        app.clientside_callback(
            ClientsideFunction("routemap", "stylesheet"),
            Output("cy", "stylesheet"),
            Input(MAP_PATHS, "data"),
            Input("cy-base", "data"),
        )
        app.clientside_callback(
            ClientsideFunction("routemap", "afterDetails"),
            Output("focus-sink", "data"),
            Input("details", "children"),
        )

        @app.callback(
            Output("details", "children"),
            Output("legend", "children"),
            Output("doc-title", "data", allow_duplicate=True),
            Input(MAP_PATHS, "data"),
            prevent_initial_call=True,
        )
        def show_selection(paths):
            if not paths:
                return no_update, no_update, no_update
            details, legend, title = details_for(rm, paths[0])
            return details, legend, C.page_title(rm, title)

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
