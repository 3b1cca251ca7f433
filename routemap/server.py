"""Serving the app: gunicorn (``make run``, ``routemap serve``); Werkzeug only with --debug.

The production settings live here, not only in ``gunicorn.conf.py``, so an installed package
serves the same way as the repository (``gunicorn.conf.py`` reads them from here). The map is
built once before the workers fork, so bad data stops the server at once with every problem
listed, and the workers share the built map. Workers are gevent's (``Worker``): a slow
client holds a greenlet, not a worker.
"""

from __future__ import annotations

import os
from typing import Any

from gunicorn.glogging import Logger
from gunicorn.workers.ggevent import GeventWorker

ACCESS_LOG_FORMAT = '%(h)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(B)s %(M)sms'


def header_timeout(environ=None) -> float:
    return float((environ or os.environ).get("ROUTEMAP_HEADER_TIMEOUT", "10"))


class Worker(GeventWorker):
    """gunicorn's gevent worker: each connection is a greenlet, so a slow client holds a few
    kilobytes, not a worker. A request's line and headers must arrive within
    ``ROUTEMAP_HEADER_TIMEOUT`` seconds (default 10) of the connection opening or of the last
    answer on it, or the connection is closed; its body within ``ROUTEMAP_BODY_TIMEOUT``
    (``routemap.web.limits``)."""

    def timeout_ctx(self):
        import gevent

        return gevent.Timeout(header_timeout(), False)

    def load_wsgi(self):
        super().load_wsgi()
        app = self.wsgi

        def wsgi(environ, start_response):
            body = app(environ, start_response)
            return _Closing(body, environ) if environ.get(CLOSE_CONNECTION) else body

        self.wsgi = wsgi


# Set in the environ by routemap.web.limits when it refused a body without reading it: gunicorn
# would otherwise read (and drop) the rest of the body to keep the connection alive.
CLOSE_CONNECTION = "routemap.close_connection"


class _Closing:
    """An answer after which the connection ends: once gunicorn has written and logged it, it
    calls ``close``, which shuts the socket (draining at most 64 KB for 2 s, so the client
    can read the answer) and raises StopIteration, gunicorn's signal to stop the connection."""

    def __init__(self, body, environ):
        self.body = body
        self.sock = environ.get("gunicorn.socket")

    def __iter__(self):
        return iter(self.body)

    def close(self):
        from gunicorn import util

        if hasattr(self.body, "close"):
            self.body.close()
        if self.sock is not None:
            util.close_graceful(self.sock)
        raise StopIteration


class PrivateLogger(Logger):
    """gunicorn's logger whose access-log fields never hold a query string or a Referer,
    whatever ``access_log_format`` says: ``%(U)s`` and ``%(r)s`` carry the path the client
    asked for, without its query."""

    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        path = (environ.get("RAW_URI") or atoms.get("U") or "-").split("?", 1)[0]
        line = f"{atoms.get('m')} {path} {atoms.get('H')}"
        atoms.update({"U": path, "q": "", "f": "-", "r": line})
        for key in ("{raw_uri}e", "{request_uri}e"):
            atoms[key] = path
        for key in ("{query_string}e", "{http_referer}e", "{referer}i"):
            atoms[key] = "-"
        return atoms


# a worker's collector: the map built before the fork is frozen out of its collections, and
# the youngest generation collected every 10,000 allocations rather than 700 (a route page
# allocates thousands of objects, nearly all freed as soon as it is sent)
GC_THRESHOLD = (10_000, 10, 10)


def freeze_before_fork(server=None, worker=None) -> None:
    """gunicorn's ``pre_fork``: what the master built (the map, its layout, the pages' parts)
    lives as long as the workers, so their collector never walks it (``gc.freeze``); the pages
    it shares stay shared, untouched by the collector's bookkeeping."""
    import gc

    gc.freeze()


def collect_less_often(server=None, worker=None) -> None:
    """gunicorn's ``post_fork``: the worker's collector thresholds (``GC_THRESHOLD``)."""
    import gc

    gc.set_threshold(*GC_THRESHOLD)


def settings(environ: dict[str, str] | None = None) -> dict[str, Any]:
    """gunicorn's settings, from the environment (ROUTEMAP_BIND, WEB_CONCURRENCY)."""
    env = os.environ if environ is None else environ
    return {
        "bind": env.get("ROUTEMAP_BIND", "127.0.0.1:8050"),
        "workers": int(env.get("WEB_CONCURRENCY", "2")),
        # gevent: a slow client costs a greenlet, not a worker (README, "Running in
        # production", has the measurements behind the choice)
        "worker_class": "routemap.server.Worker",
        "worker_connections": int(env.get("ROUTEMAP_WORKER_CONNECTIONS", "1000")),
        # Load, validate and lay out the map once in the master before forking.
        "preload_app": True,
        # ... and keep the workers' garbage collector off it (measured in one process over
        # 480 new teams' route pages: 0.6 ms a page collecting before, 0.1 ms after)
        "pre_fork": freeze_before_fork,
        "post_fork": collect_less_often,
        "timeout": 30,
        # On SIGTERM, workers finish the requests they are serving (up to this many seconds).
        "graceful_timeout": 20,
        "keepalive": 5,
        # gunicorn 27 would otherwise open a control socket under the home folder.
        "control_socket_disable": True,
        "accesslog": "-",
        # the path only: a query string holds a person's answers and notes (so does a
        # Referer), and neither belongs in a log
        "access_log_format": ACCESS_LOG_FORMAT,
        "logger_class": "routemap.server.PrivateLogger",
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
