"""The Dash side of the app: the pages registered on one router, the layout (the page the
browser is on rendered into it), the shell's callbacks, and which paths are pages.

``create_app`` (``app.py``) builds one ``DashPages`` and calls ``install``; the pages' own
modules (``mappage``, ``routepage``, ``adviserpage``) build their content and callbacks.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import dash
from dash import ALL, ClientsideFunction, Input, Output, State, html
from flask import Flask, has_request_context, redirect, request

from ..core import RouteMap
from . import components as C
from .adviserpage import AdviserPages
from .mappage import MapPage, selection, title_for
from .pages import NOT_FOUND, Page, Router, normalise
from .routepage import RoutePages, known_question_path


class DashPages:
    """Every Dash page of one app, on one router."""

    def __init__(self, rm: RouteMap):
        self.rm = rm
        self.router = router = Router(
            service_name=rm.info.title, facts_checked=rm.info.facts_checked
        )
        self.map_page = map_page = MapPage(rm)
        router.register(
            Page(
                key="map",
                title="Map",
                render=map_page.render,
                exact=("/",),
                prefixes=("/station/", "/line/"),
                nav="Map",
            )
        )
        text = html.Div(C.text_view(rm), className="rm-readable")
        router.register(
            Page(
                key="text",
                title="Step-by-step list",
                render=lambda _p: text,
                exact=("/text",),
                nav="Step-by-step list",
            )
        )
        # the personalised route (routepage.py) and the adviser view (adviserpage.py)
        self.route_pages = route_pages = RoutePages(rm, map_page.elements)
        route_pages.register(router)
        self.adviser_pages = adviser_pages = AdviserPages(rm, map_page.elements)
        adviser_pages.register(router)
        about = html.Div(C.about_view(rm), className="rm-readable")
        router.register(
            Page(
                key="about",
                title="About and sources",
                render=lambda _p: about,
                exact=("/about",),
                nav="About",
            )
        )

    def install_hooks(self, server: Flask) -> None:
        """Statuses and caching of the responses Dash makes."""
        rm, router = self.rm, self.router

        @server.before_request
        def _retired_station():
            # a station id the data has retired: saved links lead on to its successor
            kind, ident = selection(normalise(request.path))
            if kind == "station" and ident in rm.retired:
                query = request.query_string.decode()
                return redirect(
                    f"/station/{rm.retired[ident]}" + (f"?{query}" if query else ""), 301
                )
            return None

        @server.after_request
        def _layout_varies_by_page(response):
            if request.path.endswith("_dash-layout"):
                response.headers["Cache-Control"] = "no-store"
                response.vary.add("Referer")
            return response

        @server.after_request
        def _not_found_status(response):
            # Dash answers every path with the page; give unknown pages and ids a 404 status.
            rule = request.url_rule.rule if request.url_rule else ""
            if (
                request.method == "GET"
                and response.status_code == 200
                and (rule in ("/", "/<path:path>"))
            ):
                if not known_path(rm, router, request.path):
                    response.status_code = 404
            return response

    def install(self, app: dash.Dash) -> None:
        """The layout, the callbacks every id is checked against, and every page's callbacks."""
        rm, router = self.rm, self.router
        map_page, route_pages, adviser_pages = self.map_page, self.route_pages, self.adviser_pages

        def layout():
            # The page the browser is on is in the Referer of its layout request: render that page
            # into the layout and save a round trip. Without one, the router callback renders it.
            path = referer_path()
            page = router.match(path) if path else None
            if page is None:
                return router.shell()
            title = title_for(rm, path) if page.key == "map" else page.title
            return router.shell(page.render(path), page.key, C.page_title(rm, title))

        app.layout = layout
        # Every id a callback uses (the map page without its elements: the layout is sent to the
        # browser in the page's config, so keep it small).
        app.validation_layout = html.Div(
            [
                router.shell(),
                html.Div(map_page.render("/", light=True)),
                *route_pages.validation(),
                *adviser_pages.validation(),
            ]
        )
        register_shell_callbacks(app, router, rm)
        map_page.register_callbacks(app)
        route_pages.register_callbacks(app)
        adviser_pages.register_callbacks(app)


def referer_path() -> str | None:
    if not has_request_context() or not request.path.endswith("_dash-layout"):
        return None
    referer = request.headers.get("Referer", "")
    parts = urlsplit(referer)
    if not referer or parts.netloc != request.host:
        return None
    return normalise(parts.path)


def known_path(rm: RouteMap, router: Router, path: str) -> bool:
    page = router.match(path)
    if page is None:
        return False
    kind, ident = selection(normalise(path))
    if kind == "station":
        return ident in rm.stations
    if kind == "line":
        return ident in rm.lines
    if page.key == "questions":
        return known_question_path(rm, path)
    return True


def register_shell_callbacks(app: dash.Dash, router: Router, rm: RouteMap) -> None:
    app.clientside_callback(
        ClientsideFunction("routemap", "pageKey"),
        Output("page-key", "data"),
        Input("url", "pathname"),
        State("page-routes", "data"),
        State("page-key", "data"),
    )
    app.clientside_callback(
        ClientsideFunction("routemap", "setTitle"),
        Output("doc-title-sink", "data"),
        Input("doc-title", "data"),
    )
    app.clientside_callback(
        ClientsideFunction("routemap", "navState"),
        Output({"type": "nav-link", "page": ALL}, "className"),
        Output({"type": "nav-link", "page": ALL}, "aria-current"),
        Input("page-key", "data"),
        State({"type": "nav-link", "page": ALL}, "id"),
    )
    app.clientside_callback(
        ClientsideFunction("routemap", "afterPage"),
        Output("page-sink", "data"),
        Input("page", "children"),
        State("page-key", "data"),
    )

    @app.callback(
        Output("page", "children"),
        Output("doc-title", "data"),
        Input("page-key", "data"),
        State("url", "pathname"),
        prevent_initial_call=True,
    )
    def render_page(key, pathname):
        page = next((p for p in router.pages if p.key == key), None)
        if page is None or key == NOT_FOUND:
            return C.page_not_found(), C.page_title(rm, "Page not found")
        title = page.title
        if page.key == "map":
            title = title_for(rm, pathname)
        return page.render(pathname), C.page_title(rm, title)
