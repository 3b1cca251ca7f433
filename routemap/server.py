"""Serving the app: gunicorn (``make run``, ``routemap serve``); Werkzeug only with --debug.

The production settings live here, not only in ``gunicorn.conf.py``, so an installed package
serves the same way as the repository (``gunicorn.conf.py`` reads them from here). The map is
built once before the workers fork, so bad data stops the server at once with every problem
listed, and the workers share the built map.
"""

from __future__ import annotations

import os
from typing import Any


def settings(environ: dict[str, str] | None = None) -> dict[str, Any]:
    """gunicorn's settings, from the environment (ROUTEMAP_BIND, WEB_CONCURRENCY)."""
    env = os.environ if environ is None else environ
    return {
        "bind": env.get("ROUTEMAP_BIND", "127.0.0.1:8050"),
        "workers": int(env.get("WEB_CONCURRENCY", "2")),
        "worker_class": "sync",
        # Load, validate and lay out the map once in the master before forking.
        "preload_app": True,
        "timeout": 30,
        # On SIGTERM, workers finish the requests they are serving (up to this many seconds).
        "graceful_timeout": 20,
        "keepalive": 5,
        # gunicorn 27 would otherwise open a control socket under the home folder.
        "control_socket_disable": True,
        "accesslog": "-",
        "errorlog": "-",
        # Headers and request lines beyond these are refused before they reach the app.
        "limit_request_line": 8190,
        "limit_request_fields": 100,
        "limit_request_field_size": 8190,
    }


def serve_production(wsgi_app, bind: str, workers: int | None = None) -> None:
    """Run ``wsgi_app`` under gunicorn with the settings above, bound to ``bind``."""
    from gunicorn.app.base import BaseApplication

    options = settings()
    options["bind"] = bind
    if workers is not None:
        options["workers"] = workers

    class _Server(BaseApplication):
        def load_config(self) -> None:
            for key, value in options.items():
                self.cfg.set(key, value)

        def load(self):
            return wsgi_app

    _Server().run()


def serve_debug(app, host: str, port: int) -> None:
    """Werkzeug's development server, through the explorer's Dash, with its dev tools and hot
    reload (``routemap serve --debug``)."""
    from werkzeug.serving import WSGIRequestHandler

    class _Handler(WSGIRequestHandler):
        # Werkzeug names itself and Python with their versions in every response's Server header.
        def version_string(self) -> str:
            return "routemap"

    explorer = app.extensions["routemap.explorer"].dash
    explorer.run(host=host, port=port, debug=True, request_handler=_Handler)
