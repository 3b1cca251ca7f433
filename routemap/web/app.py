"""``create_app(config)``: the Flask app — the pages, the explorer, the JSON API — built around
one shared ``RouteMap``. It only wires; each part is its own room (README, "The web layer").

Config keys: ``ROUTEMAP`` (a ready ``RouteMap``) or ``DATA_DIR`` (load from there; default
``$ROUTEMAP_DATA`` or ``graph_data/``), ``DEBUG`` (Dash's dev tools are switched on only by
``routemap serve --debug``; no environment variable turns them on) and ``ALLOWED_HOSTS``.
Invalid data raises ``DataError`` listing every problem, so the app refuses to start.

What is served:

- the pages (``views/``): Jinja templates over the typed results, one blueprint per family,
  each whole without JavaScript;
- the interactive map explorer (``explorer/``): Dash, under ``/_explorer/``, drawn into the
  map page where JavaScript runs;
- the JSON API under ``/api`` (``/api/v1/...``, ``/api/openapi.json``), its own Flask app
  mounted with ``DispatcherMiddleware``;
- ``/healthz``: 200 ``{"status": "ready"}`` once the data, geometry and pages are built;
- security headers on every response (``security.py``), compression of every text response;
  request bodies read within limits before anything else sees them (``limits.py``).
"""

from __future__ import annotations

from typing import Any

from flask import Flask
from flask_compress import Compress
from werkzeug.middleware.dispatcher import DispatcherMiddleware

from ..core import REPO_ROOT, RouteMap
from . import compress, jinjafix, limits, security, views
from .api import build_api
from .explorer import Explorer

DEFAULTS: dict[str, Any] = {
    "ROUTEMAP": None,
    "DATA_DIR": None,
    "DEBUG": False,
    # Host names the app answers (a port is allowed); None: $ROUTEMAP_ALLOWED_HOSTS or local
    "ALLOWED_HOSTS": None,
}
ASSETS = REPO_ROOT / "assets"


def create_app(config: dict[str, Any] | None = None) -> Flask:
    cfg = {**DEFAULTS, **(config or {})}
    rm: RouteMap = cfg["ROUTEMAP"] or RouteMap.load(cfg["DATA_DIR"])
    rm.geometry  # noqa: B018 - lay the map out now, not on the first request

    app = Flask(__name__, static_folder=str(ASSETS), static_url_path="/assets")
    jinjafix.install(app)  # the pages' escaping, before any template is read
    app.url_map.strict_slashes = False  # "/text/" is "/text", as every page always was
    # FLASK_DEBUG in the environment would switch Flask's debug on: only the config may
    app.debug = bool(cfg["DEBUG"])
    app.config.update(ROUTEMAP=rm, ROUTEMAP_READY=False, **compress.SETTINGS)
    Compress(app)

    explorer = Explorer(app, rm)
    app.extensions["routemap.explorer"] = explorer
    views.install(app, rm, explorer)

    api = build_api(rm)
    api.flask.debug = bool(cfg["DEBUG"])
    app.wsgi_app = DispatcherMiddleware(app.wsgi_app, {api.mount_prefix: api.flask})
    security.unknown_bundles_404(app)
    if not cfg["DEBUG"]:
        security.block_dev_routes(app)
        security.guard_callbacks(app, explorer.dash)
    app.wsgi_app = limits.BodyLimits(app.wsgi_app)  # every body bounded, read first
    app.wsgi_app = security.HostGuard(app.wsgi_app, security.allowed_hosts(cfg["ALLOWED_HOSTS"]))
    security.install(
        app,
        lambda: security.page_csp(explorer.csp_hashes(), debug=explorer.dash.dev_bundles()),
    )
    security.install(api.flask, lambda: security.API_CSP)

    @app.get("/healthz")
    def healthz():
        if not app.config["ROUTEMAP_READY"]:
            return {"status": "starting"}, 503
        return {"status": "ready", "map": rm.summary_line()}

    app.config["ROUTEMAP_READY"] = True
    return app
