"""Security headers on every response: pages, assets, the explorer, the API and /healthz.

The Content-Security-Policy allows scripts only from this origin plus the hash of Dash's one
inline script (the explorer's renderer, ``Explorer.csp_hashes``): no ``unsafe-inline``, no
``unsafe-eval``. Styles need ``'unsafe-inline'``: every page carries its stylesheet inline (one
request on a slow phone), and dash-cytoscape injects ``<style>`` tags.

The hashes are computed once, on the first response.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask, Response

BASE_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=()",
}

# JSON needs no scripts, styles or anything else.
API_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"


def page_csp(script_hashes: list[str], *, debug: bool = False) -> str:
    """``debug``: Dash's development bundles (``routemap serve --debug`` only) are built with
    ``eval``, so then, and only then, ``'unsafe-eval'`` is allowed."""
    scripts = " ".join(["'self'", *script_hashes, *(["'unsafe-eval'"] if debug else [])])
    return "; ".join(
        [
            "default-src 'self'",
            f"script-src {scripts}",
            "style-src 'self' 'unsafe-inline'",
            "img-src 'self' data:",
            "font-src 'self'",
            "connect-src 'self'",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        ]
    )


def install(server: Flask, csp: Callable[[], str]) -> None:
    """Set the headers on every response of ``server``; ``csp`` is called once, lazily."""
    cache: dict[str, str] = {}

    @server.after_request
    def _headers(response: Response) -> Response:
        if "csp" not in cache:
            cache["csp"] = csp()
        for key, value in BASE_HEADERS.items():
            response.headers.setdefault(key, value)
        response.headers.setdefault("Content-Security-Policy", cache["csp"])
        if carries_answers():
            response.headers["Cache-Control"] = "no-store"
        return response


STATIC_PREFIXES = ("/_explorer/_dash-component-suites/", "/assets/")


def carries_answers() -> bool:
    """Whether the request may carry a person's answers or notes: a query string (a route
    link) or a body (a form, an upload, an API request, a page update). Its answer then says
    them back, so no cache keeps it. Dash's bundles (``?v=`` fingerprints) stay cacheable."""
    from flask import request

    if request.path.startswith(STATIC_PREFIXES):
        return False
    return bool(request.query_string) or request.method not in ("GET", "HEAD")


LOCAL_HOSTS = ("127.0.0.1", "localhost", "[::1]")


def allowed_hosts(configured: list[str] | str | None) -> tuple[str, ...]:
    """The Host names to answer: the config, else $ROUTEMAP_ALLOWED_HOSTS (comma-separated),
    else only this machine. '*' allows any host (not advised)."""
    import os

    if configured is None:
        configured = os.environ.get("ROUTEMAP_ALLOWED_HOSTS") or ",".join(LOCAL_HOSTS)
    if isinstance(configured, str):
        configured = configured.split(",")
    hosts = tuple(h.strip().lower() for h in configured if h.strip())
    return hosts or LOCAL_HOSTS


class HostGuard:
    """Refuse requests whose Host header is not one of ours (400), before any routing: a
    forged Host cannot poison links, caches or password-reset style flows."""

    def __init__(self, app, hosts: tuple[str, ...]):
        self.app = app
        self.hosts = hosts

    def _ok(self, host: str) -> bool:
        if "*" in self.hosts:
            return True
        host = host.strip().lower()
        if host.startswith("["):  # [::1]:8050
            name = host.split("]")[0] + "]"
        else:
            name = host.rsplit(":", 1)[0] if host.count(":") == 1 else host
        port = host[len(name) + 1 :]
        if port and not port.isdigit():
            return False
        return name in self.hosts

    def __call__(self, environ, start_response):
        if "HTTP_HOST" in environ:
            host = environ["HTTP_HOST"]  # present but empty is refused too
        else:  # HTTP/1.0 without a Host: the address the server is bound to
            host = environ.get("SERVER_NAME", "")
        if host and self._ok(host):
            return self.app(environ, start_response)
        body = (
            b'{"error": {"status": 400, "code": "bad_host", '
            b'"message": "this server does not answer for that host name"}}'
        )
        start_response(
            "400 Bad Request",
            [
                ("Content-Type", "application/json"),
                ("Content-Length", str(len(body))),
                *BASE_HEADERS.items(),
                ("Content-Security-Policy", API_CSP),
            ],
        )
        return [body]


# Dash registers its hot-reload endpoint whether or not dev tools are on; it is a dev tool
# (and tells a stranger which packages we run), so production answers it with 404.
DEV_ONLY_PATHS = ("/_explorer/_reload-hash",)


def block_dev_routes(server: Flask) -> None:
    from flask import abort, request

    @server.before_request
    def _no_dev_routes():
        if request.path in DEV_ONLY_PATHS or request.path.startswith("/_explorer/_alive_"):
            abort(404)


def unknown_bundles_404(server: Flask) -> None:
    """Dash raises ``DependencyException`` for a path under its component suites
    (``/_explorer/_dash-component-suites/``) that names no bundle it serves (a 500); it is an
    unknown file, so 404, as under /assets/."""
    from dash.exceptions import DependencyException
    from werkzeug.exceptions import NotFound

    @server.errorhandler(DependencyException)
    def _unknown_bundle(exc):
        return NotFound()


CALLBACK_PATH = "/_explorer/_dash-update-component"


def _bad_callback(message: str):
    from flask import jsonify

    response = jsonify({"error": {"status": 400, "code": "bad_callback", "message": message}})
    response.status_code = 400
    return response


def guard_callbacks(server: Flask, app) -> None:
    """A browser (or anyone) can send Dash's callback endpoint anything. Requests that do not
    match a callback of this page, and values a callback cannot use, get a clear 400 in the
    one error shape — never a 500 — and the server stays healthy."""
    import logging

    from flask import request

    from ..boundedparse import TooComplex, Unreadable, load_json

    log = logging.getLogger("routemap.web")

    @server.before_request
    def _check_callback_request():
        if request.path != CALLBACK_PATH or request.method != "POST":
            return None
        try:
            body = load_json(request.get_data(cache=True))
        except TooComplex as exc:
            return _bad_callback(f"the callback request is {exc.message}")
        except (Unreadable, UnicodeDecodeError):
            body = None
        if not isinstance(body, dict):
            return _bad_callback("the callback request is not a JSON object")
        output = body.get("output")
        inputs = body.get("inputs", [])
        if not isinstance(output, str) or output not in app.callback_map:
            return _bad_callback(
                "the callback request names no callback of this page; reload the page"
            )
        if not isinstance(inputs, list) or not all(isinstance(i, dict | list) for i in inputs):
            return _bad_callback("the callback inputs are not in the expected form")
        return None

    @server.errorhandler(Exception)
    def _callback_error(exc):
        from werkzeug.exceptions import HTTPException

        if isinstance(exc, HTTPException):
            return exc
        if request.path == CALLBACK_PATH:
            log.warning("refused a callback request: %s", type(exc).__name__)
            return _bad_callback("the page sent values this callback cannot use; reload the page")
        log.exception("error on %s", request.path)
        from flask import Response

        return Response(
            "Something went wrong. Please reload the page.", status=500, mimetype="text/plain"
        )
