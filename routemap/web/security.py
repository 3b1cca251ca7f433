"""Security headers on every response: Dash pages, assets, callbacks, the API and /healthz.

The Content-Security-Policy allows scripts only from this origin plus the hashes of Dash's own
inline scripts (``app.csp_hashes()``): no ``unsafe-inline``, no ``unsafe-eval``. Clientside
callbacks live in ``assets/routemap.js`` (served from 'self'), so they need no hash. Styles need
``'unsafe-inline'``: Dash and dash-cytoscape inject ``<style>`` tags.

The hashes are computed once, on the first response, so every callback registered by
``create_app`` (and by pages added later) is included.
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
        return response
