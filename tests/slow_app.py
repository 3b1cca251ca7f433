"""A test-only WSGI app: the real server, plus /slow which takes two seconds (to show that
SIGTERM lets in-flight requests finish)."""

import time

from app import server as real


def server(environ, start_response):
    if environ.get("PATH_INFO") == "/slow":
        time.sleep(2)
        start_response("200 OK", [("Content-Type", "text/plain")])
        return [b"finished"]
    return real(environ, start_response)
