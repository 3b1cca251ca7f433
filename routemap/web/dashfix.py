"""Every place routemap reaches into Dash's internals, in one module (``tests/test_dashfix.py``
fails when a Dash upgrade breaks one of them).

- ``RoutemapDash._setup_dev_tools``: Dash fills every dev-tools switch left as None from
  ``DASH_*`` environment variables, even when built for gunicorn; here debug is on only when
  the caller asks (``routemap serve --debug``).
- ``RoutemapDash.interpolate_index``: Dash's index page holds only "Loading..." until its
  scripts run. Here the page's server-rendered HTML (``server/site.py``) is written into
  Dash's ``react-entry-point`` instead, so the page reads with JavaScript off; when Dash's
  renderer mounts it replaces that HTML with the interactive page.
- ``ENTRY_POINT``: the element id Dash's renderer mounts into (``dash._app_entry``).

(The browser side of the same concern — Dash's private ``_dashprivate_pushstate`` event and
dash-cytoscape's ``_cyreg`` — is in ``assets/routemap.js``.)
"""

from __future__ import annotations

from collections.abc import Callable

import dash
from flask import current_app, has_request_context, request
from markupsafe import Markup, escape

ENTRY_POINT = "react-entry-point"

DEV_TOOL_SWITCHES = (
    "ui",
    "props_check",
    "serve_dev_bundles",
    "hot_reload",
    "silence_routes_logging",
    "prune_errors",
    "validate_callbacks",
)

# path, query string -> (the page's HTML, its title), or None for Dash's own "Loading..."
ServerRender = Callable[[str, str], "tuple[Markup, str] | None"]


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


def entry_point(inner: Markup) -> str:
    """Dash's entry element holding ``inner`` (React replaces it when it mounts)."""
    return f'<div id="{ENTRY_POINT}">{inner}</div>'


class RoutemapDash(dash.Dash):
    """Dash whose ``run`` never takes debug settings from the environment (debug is on only
    when the caller passes ``debug=True``), and whose index page carries the page's HTML."""

    routemap_debug = False
    server_render: ServerRender | None = None

    def run(self, *args, debug: bool | None = None, **kwargs):
        on = bool(debug)
        for key, value in dev_tools_flags(on).items():
            kwargs.setdefault(key, value)
        return super().run(*args, debug=on, **kwargs)

    def _setup_dev_tools(self, **kwargs):
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

    def interpolate_index(self, **kwargs):
        if self.server_render is not None and has_request_context():
            query = request.query_string.decode("utf-8", "replace")
            try:
                rendered = self.server_render(request.path, query)
            except Exception:  # noqa: BLE001 - the page still works where scripts run
                current_app.logger.exception("server-rendering %s failed", request.path)
                rendered = None
            if rendered is not None:
                inner, title = rendered
                kwargs["app_entry"] = entry_point(inner)
                kwargs["title"] = str(escape(title))
        return super().interpolate_index(**kwargs)
