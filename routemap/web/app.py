"""``create_app(config)``: Flask + Dash + the JSON API, built around one shared ``RouteMap``.

Config keys: ``ROUTEMAP`` (a ready ``RouteMap``) or ``DATA_DIR`` (load from there; default
``$ROUTEMAP_DATA`` or ``graph_data/``), and ``DEBUG`` (recorded as ``app.routemap_debug``;
Dash's dev tools are switched on only by ``app.run(debug=True)``, which ``routemap serve
--debug`` calls — no environment variable turns them on). Invalid data raises ``DataError``
listing every problem, so the app refuses to start.

It only wires; each part is its own room (README, "The web layer"). What is served:

- the pages, each as server-rendered HTML that works without JavaScript (``server/``): plain
  Flask pages for the lists, About, the questions and the print view; the map, the route and
  the adviser view through Dash (``dashpages.py``), whose explorer takes over where
  JavaScript runs;
- the JSON API under ``/api`` (``/api/v1/...``, ``/api/openapi.json``), its own Flask app
  mounted with ``DispatcherMiddleware`` so Dash's catch-all route never answers it;
- ``/healthz``: 200 ``{"status": "ready"}`` once the data, geometry and pages are built;
- security headers on every response (``security.py``); request bodies read within limits
  before anything else sees them (``limits.py``).
"""

from __future__ import annotations

from typing import Any

import dash
from flask import Flask
from werkzeug.middleware.dispatcher import DispatcherMiddleware

from ..core import REPO_ROOT, RouteMap
from ..layout.fonts import FONT_FILES
from . import compress, limits, security
from .api import build_api
from .dashfix import RoutemapDash, dev_tools_flags  # noqa: F401 - dev_tools_flags: re-exported
from .dashpages import DashPages
from .server.site import ServerPages

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
        {%config%}
        {%scripts%}
        {%renderer%}
    </body>
</html>"""


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
    server.config["COMPRESS_CACHE_BACKEND"] = compress.StaticCompressCache
    server.config["COMPRESS_CACHE_KEY"] = compress.compress_cache_key
    server.config["ROUTEMAP_READY"] = False
    app = RoutemapDash(
        __name__,
        server=server,
        title=rm.info.title,
        assets_folder=str(ASSETS),
        # the print view's script belongs to that plain page only (server/site.py)
        assets_ignore=r"routemap_print\.js",
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

    # the Dash pages on one router (dashpages.py)
    dash_pages = DashPages(rm)
    router = dash_pages.router
    server.config["ROUTEMAP_ROUTER"] = router
    # every page as HTML that works with JavaScript off (server/site.py)
    server_pages = ServerPages(
        rm,
        router,
        dash_pages.map_page,
        dash_pages.route_pages,
        dash_pages.adviser_pages,
        app.index,
    )
    server_pages.register(server)
    app.server_render = server_pages.enhanced

    dash_pages.install(app)

    api = build_api(rm)
    api.flask.debug = bool(cfg["DEBUG"])
    server.wsgi_app = DispatcherMiddleware(server.wsgi_app, {api.mount_prefix: api.flask})
    security.unknown_bundles_404(server)
    if not cfg["DEBUG"]:
        security.block_dev_routes(server)
        security.guard_callbacks(app)
    server.wsgi_app = limits.BodyLimits(server.wsgi_app)  # every body bounded, read first
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

    dash_pages.install_hooks(server)

    server.config["ROUTEMAP_READY"] = True
    return app
