"""Every place routemap reaches into Dash's internals, in one module (``tests/test_dashfix.py``
fails when a Dash upgrade breaks one of them, and ``tests/test_structure.py`` when a private
Dash name is used anywhere else).

- ``RoutemapDash._setup_dev_tools``: Dash fills every dev-tools switch left as None from
  ``DASH_*`` environment variables, even when built for gunicorn; here debug is on only when
  the caller asks (``routemap serve --debug``).
- ``page_tags``: what Dash's own index page writes after its entry point — its config, its
  scripts and the inline script that starts its renderer — for the map page's template, which
  is ours: Dash's renderer then mounts the explorer into ``ENTRY_POINT`` inside our page.
- ``ENTRY_POINT``: the element id Dash's renderer mounts into (``dash._app_entry``).

(The browser side of the same concern — dash-cytoscape's ``_cyreg`` and Cytoscape's texture
cache — is ``assets/dashfix.js``.)
"""

from __future__ import annotations

import dash
from markupsafe import Markup

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
    when the caller passes ``debug=True``."""

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

    def dev_bundles(self) -> bool:
        """Dash's development bundles are served (built with ``eval``: the CSP must allow it)."""
        return bool(self._dev_tools.get("serve_dev_bundles"))

    def dev_tools_on(self) -> dict[str, bool]:
        return {"ui": bool(self._dev_tools.ui), "hot_reload": bool(self._dev_tools.hot_reload)}


def page_tags(app: dash.Dash) -> Markup:
    """Dash's config, its scripts and its renderer's start, as Dash's index page writes them
    after its entry point (Dash escapes the config's JSON for a ``<script>``)."""
    return Markup(
        "\n".join(
            [app._generate_config_html(), app._generate_scripts_html(), app._generate_renderer()]
        )
    )
