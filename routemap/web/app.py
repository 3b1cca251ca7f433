"""``create_app(config)``: Flask + Dash + the JSON API, built around one shared ``RouteMap``.

Config keys: ``ROUTEMAP`` (a ready ``RouteMap``) or ``DATA_DIR`` (load from there; default
``$ROUTEMAP_DATA`` or ``graph_data/``), and ``DEBUG`` (recorded as ``app.routemap_debug``;
Dash's dev tools are switched on only by ``app.run(debug=True)``, which ``routemap serve
--debug`` calls — no environment variable turns them on). Invalid data raises ``DataError``
listing every problem, so the app refuses to start.

What is served:

- Dash pages (one shell, pages registered on a ``Router``): the map at ``/`` with
  ``/station/<id>`` and ``/line/<id>`` selections, the step-by-step text view at ``/text``,
  ``/about``;
- the JSON API under ``/api`` (``/api/v1/...``, ``/api/openapi.json``), its own Flask app
  mounted with ``DispatcherMiddleware`` so Dash's catch-all route never answers it;
- ``/healthz``: 200 ``{"status": "ready"}`` once the data, geometry and pages are built;
- security headers on every response (``security.py``).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

import dash
from dash import ALL, ClientsideFunction, Input, Output, State, html
from flask import Flask, has_request_context, request
from werkzeug.middleware.dispatcher import DispatcherMiddleware

from ..core import REPO_ROOT, RouteMap
from ..layout.fonts import FONT_FILES
from . import components as C
from . import security
from .adviserpage import AdviserPages
from .api import build_api
from .mappage import MapPage, selection, title_for
from .pages import NOT_FOUND, Page, Router, normalise
from .routepage import RoutePages, known_question_path

DEFAULTS: dict[str, Any] = {
    "ROUTEMAP": None,
    "DATA_DIR": None,
    "DEBUG": False,
    # Host names the app answers (a port is allowed); None: $ROUTEMAP_ALLOWED_HOSTS or local
    "ALLOWED_HOSTS": None,
}
ASSETS = REPO_ROOT / "assets"

INDEX = """<!DOCTYPE html>
<html lang="en">
    <head>
        {%metas%}
        <title>{%title%}</title>
        {%favicon%}
        {%css%}
        PRELOAD
    </head>
    <body>
        {%app_entry%}
        <footer>
            {%config%}
            {%scripts%}
            {%renderer%}
        </footer>
    </body>
</html>"""


DEV_TOOL_SWITCHES = (
    "ui",
    "props_check",
    "serve_dev_bundles",
    "hot_reload",
    "silence_routes_logging",
    "prune_errors",
    "validate_callbacks",
)


def dev_tools_flags(debug: bool) -> dict[str, bool]:
    """Every Dash dev-tools switch set explicitly, so no DASH_* environment variable can turn
    one on: they follow ``debug`` alone."""
    return {
        "dev_tools_ui": debug,
        "dev_tools_props_check": debug,
        "dev_tools_serve_dev_bundles": debug,
        "dev_tools_hot_reload": debug,
        "dev_tools_silence_routes_logging": debug,
        "dev_tools_disable_version_check": True,
        "dev_tools_prune_errors": debug,
        "dev_tools_validate_callbacks": debug,
    }


class RoutemapDash(dash.Dash):
    """Dash whose ``run`` never takes debug settings from the environment: debug is on only
    when the caller passes ``debug=True`` (``routemap serve --debug``)."""

    routemap_debug = False

    def run(self, *args, debug: bool | None = None, **kwargs):
        on = bool(debug)
        for key, value in dev_tools_flags(on).items():
            kwargs.setdefault(key, value)
        return super().run(*args, debug=on, **kwargs)

    def _setup_dev_tools(self, **kwargs):
        # Dash fills every switch left as None from DASH_* environment variables, even when
        # built for gunicorn; here a switch left as None follows ``debug`` (default off).
        debug = bool(kwargs.get("debug"))
        explicit = {
            "hot_reload_interval": 3,
            "hot_reload_watch_interval": 0.5,
            "hot_reload_max_retry": 8,
            "disable_version_check": True,
        }
        for switch in DEV_TOOL_SWITCHES:
            explicit[switch] = debug
        explicit.update({k: v for k, v in kwargs.items() if v is not None})
        explicit["debug"] = debug
        return super()._setup_dev_tools(**explicit)


def _preload_fonts() -> str:
    return "\n        ".join(
        f'<link rel="preload" href="/assets/fonts/{name}" as="font" type="font/ttf" crossorigin>'
        for name in FONT_FILES.values()
    )


def create_app(config: dict[str, Any] | None = None) -> dash.Dash:
    cfg = {**DEFAULTS, **(config or {})}
    rm: RouteMap = cfg["ROUTEMAP"] or RouteMap.load(cfg["DATA_DIR"])
    rm.geometry  # noqa: B018 - lay the map out now, not on the first request

    server = Flask(__name__)
    # FLASK_DEBUG in the environment would switch Flask's debug on: only the config may
    server.debug = bool(cfg["DEBUG"])
    server.config["ROUTEMAP"] = rm
    server.config["COMPRESS_CACHE_BACKEND"] = StaticCompressCache
    server.config["COMPRESS_CACHE_KEY"] = compress_cache_key
    server.config["ROUTEMAP_READY"] = False
    app = RoutemapDash(
        __name__,
        server=server,
        title=rm.info.title,
        assets_folder=str(ASSETS),
        compress=True,
        serve_locally=True,
        update_title=None,
        meta_tags=[
            {"name": "viewport", "content": "width=device-width, initial-scale=1"},
            {"name": "description", "content": rm.info.subtitle},
            {"name": "theme-color", "content": "#0b0c0c"},
        ],
    )
    app.index_string = INDEX.replace("PRELOAD", _preload_fonts())
    app.routemap_debug = bool(cfg["DEBUG"])

    router = Router(service_name=rm.info.title, facts_checked=rm.info.facts_checked)
    map_page = MapPage(rm)
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
    route_pages = RoutePages(rm, map_page.elements)
    route_pages.register(router)
    adviser_pages = AdviserPages(rm, map_page.elements)
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
    server.config["ROUTEMAP_ROUTER"] = router

    def layout():
        # The page the browser is on is in the Referer of its layout request: render that page
        # into the layout and save a round trip. Without one, the router callback renders it.
        path = _referer_path()
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
    _register_shell_callbacks(app, router, rm)
    map_page.register_callbacks(app)
    route_pages.register_callbacks(app)
    adviser_pages.register_callbacks(app)

    api = build_api(rm)
    api.flask.debug = bool(cfg["DEBUG"])
    server.wsgi_app = DispatcherMiddleware(server.wsgi_app, {api.mount_prefix: api.flask})
    if not cfg["DEBUG"]:
        security.block_dev_routes(server)
        security.guard_callbacks(app)
    server.wsgi_app = security.HostGuard(
        server.wsgi_app, security.allowed_hosts(cfg["ALLOWED_HOSTS"])
    )

    security.install(
        server,
        lambda: security.page_csp(
            app.csp_hashes(), debug=bool(app._dev_tools.get("serve_dev_bundles"))
        ),
    )
    security.install(api.flask, lambda: security.API_CSP)

    @server.get("/healthz")
    def healthz():
        if not server.config["ROUTEMAP_READY"]:
            return {"status": "starting"}, 503
        return {"status": "ready", "map": rm.summary_line()}

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
            if not _known_path(rm, router, request.path):
                response.status_code = 404
        return response

    server.config["ROUTEMAP_READY"] = True
    return app


def _referer_path() -> str | None:
    if not has_request_context() or not request.path.endswith("_dash-layout"):
        return None
    referer = request.headers.get("Referer", "")
    parts = urlsplit(referer)
    if not referer or parts.netloc != request.host:
        return None
    return normalise(parts.path)


class StaticCompressCache:
    """Flask-Compress keeps compressed copies of fingerprinted static files only (Dash's
    bundles, assets), so a first visit does not gzip two megabytes of JavaScript again."""

    def __init__(self):
        self.data: dict[str, bytes] = {}

    def get(self, key: str) -> bytes | None:
        return self.data.get(key) if "|static|" in key else None

    def set(self, key: str, value: bytes) -> None:
        if "|static|" in key and len(self.data) < 1000:
            self.data[key] = value


def compress_cache_key(req) -> str:
    if req.method == "GET" and req.path.startswith(("/_dash-component-suites/", "/assets/")):
        return "|static|" + req.full_path
    return "|dynamic|"


def _known_path(rm: RouteMap, router: Router, path: str) -> bool:
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


def _register_shell_callbacks(app: dash.Dash, router: Router, rm: RouteMap) -> None:
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
