"""Request bodies within limits: every body is read here, whole, before the app sees it.

A body over its path's limit is refused with 413 as soon as that is known (from
``Content-Length``, or while a chunked body arrives), so a 256 MB POST is never read whole;
a body that does not arrive within ``ROUTEMAP_BODY_TIMEOUT`` seconds (default 20) gets 408.
The app then reads the body from memory, as it would behind a buffering proxy. The timeout
is kept where gunicorn runs gevent workers (``routemap.server``): there a slow body holds a
greenlet, not a worker.

Limits, by path (the first that matches; ``LIMITS``): ``/api/`` 64 KB, Dash's page updates
256 KB, the answers-file upload 1 MB (more than the page's own limit for the file, so that page
can say "too big" in its own words), any other form 64 KB.
"""

from __future__ import annotations

import io
import json
import os
from contextlib import nullcontext
from html import escape

from .apikit import MAX_BODY
from .security import API_CSP, BASE_HEADERS, CALLBACK_PATH

KB = 1024
LIMITS: tuple[tuple[str, int, str], ...] = (
    ("/api/", MAX_BODY, "an API request"),
    (CALLBACK_PATH, 256 * KB, "a page update"),
    # more than the answers-file page's own limit, so it can say "too big" in its own words
    ("/route/answers-file", 1024 * KB, "an uploaded file"),
    ("/", 64 * KB, "a form"),
)
CHUNK = 64 * KB


def body_timeout() -> float:
    return float(os.environ.get("ROUTEMAP_BODY_TIMEOUT", "20"))


class BodyTimeout(Exception):
    pass


def _deadline(seconds: float):
    """A deadline for blocking reads: gevent's where gevent runs the sockets, else none (the
    development server and the test client read from memory or trusted local clients)."""
    try:
        from gevent import Timeout
        from gevent.monkey import is_module_patched
    except ImportError:  # pragma: no cover - gevent is a dependency
        return nullcontext()
    if not is_module_patched("socket"):
        return nullcontext()
    return Timeout(seconds, BodyTimeout)


def _size(n: int) -> str:
    return f"{n // KB} KB" if n >= KB else f"{n} bytes"


class BodyLimits:
    """WSGI middleware: each request's body read within its limit and time, or refused."""

    def __init__(self, app, limits=LIMITS):
        self.app = app
        self.limits = limits

    def limit_for(self, path: str) -> tuple[int, str]:
        for prefix, limit, what in self.limits:
            if path == prefix or path.startswith(prefix):
                return limit, what
        return self.limits[-1][1], self.limits[-1][2]

    def __call__(self, environ, start_response):
        chunked = "chunked" in environ.get("HTTP_TRANSFER_ENCODING", "").lower()
        raw_length = environ.get("CONTENT_LENGTH") or ""
        if not chunked and raw_length in ("", "0"):
            return self.app(environ, start_response)
        path = environ.get("PATH_INFO", "")
        limit, what = self.limit_for(path)
        try:
            length = None if chunked else int(raw_length)
        except ValueError:
            message = "the Content-Length is not a number"
            return _refuse(environ, start_response, 400, "bad_length", message)
        if length is not None and (length < 0 or length > limit):
            return self._too_large(environ, start_response, limit, what)
        try:
            with _deadline(body_timeout()):
                body = _read(environ["wsgi.input"], length, limit)
        except BodyTimeout:
            return _refuse(
                environ,
                start_response,
                408,
                "too_slow",
                f"the request body did not arrive within {body_timeout():g} seconds; "
                "try again on a steadier connection",
            )
        if body is None:
            return self._too_large(environ, start_response, limit, what)
        environ["wsgi.input"] = io.BytesIO(body)
        environ["CONTENT_LENGTH"] = str(len(body))
        environ.pop("HTTP_TRANSFER_ENCODING", None)
        environ["wsgi.input_terminated"] = True
        return self.app(environ, start_response)

    def _too_large(self, environ, start_response, limit, what):
        return _refuse(
            environ,
            start_response,
            413,
            "too_large",
            f"the request body is too large for {what} (at most {_size(limit)})",
        )


def _read(stream, length: int | None, limit: int) -> bytes | None:
    """``length`` bytes, or a chunked body (``length`` None) to its end; None once more than
    ``limit`` come."""
    parts, total = [], 0
    while length is None or total < length:
        # never ask past the declared length: a raw socket would wait for bytes that never come
        wanted = (length if length is not None else limit + 1) - total
        part = stream.read(min(CHUNK, wanted))
        if not part:
            break
        parts.append(part)
        total += len(part)
        if total > limit:
            return None
    return b"".join(parts)


def _refuse(environ, start_response, status: int, code: str, message: str):
    """The refusal, in the API's one error shape for JSON clients, else as a short page. The
    connection is closed: the rest of a refused body is never read."""
    environ["routemap.close_connection"] = True  # routemap.server.Worker then closes it
    path = environ.get("PATH_INFO", "")
    reason = {400: "Bad Request", 408: "Request Timeout", 413: "Content Too Large"}[status]
    if path.startswith("/api/") or path == CALLBACK_PATH:
        body = json.dumps(
            {"error": {"status": status, "code": code, "message": message}}
        ).encode()
        kind = "application/json"
    else:
        body = (
            '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
            f"<title>{reason}</title></head><body><h1>{reason}</h1>"
            f"<p>{escape(message[0].upper() + message[1:])}.</p>"
            "<p>Go back in your browser and try again, or "
            '<a href="/">start again</a>.</p></body></html>\n'
        ).encode()
        kind = "text/html; charset=utf-8"
    start_response(
        f"{status} {reason}",
        [
            ("Content-Type", kind),
            ("Content-Length", str(len(body))),
            ("Cache-Control", "no-store"),
            *BASE_HEADERS.items(),
            ("Content-Security-Policy", API_CSP),
        ],
    )
    return [body]
