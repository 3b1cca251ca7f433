"""The interactive map explorer: Dash and dash-cytoscape, and nothing else of the app.

The map page (``/``, ``/station/<id>``, ``/line/<id>``) is our own template, whole and
readable without JavaScript: the map is the export's SVG, every station a link. Where
JavaScript runs, Dash's renderer mounts this explorer — one Cytoscape map, drawn from the same
geometry — into an element of that page that lies over the SVG, and ``assets/routemap.js``
swaps the two once the map is drawn. Nothing else of the page is replaced: what the reader typed
in the search box and where they had scrolled stay as they were.

Dash lives under ``/_explorer/`` (its layout, its bundles, its callback endpoint), so none of
its routes can answer a page's address. It has no callbacks: a selection is the URL, handled
in the browser with the server's own details panels (``/_panels``).
"""

from __future__ import annotations

from flask import Flask, abort, request
from markupsafe import Markup

from ...core import REPO_ROOT, RouteMap
from ...render.highlight import Highlight
from .cyto import highlight_data, map_graph
from .dashfix import ENTRY_POINT, RoutemapDash, page_tags

PREFIX = "/_explorer/"
# an empty folder: our pages link their own stylesheets and scripts
NO_ASSETS = REPO_ROOT / "routemap" / "web" / "explorer" / "no-assets"


class Explorer:
    """The Dash app serving the explorer, on the app's Flask server."""

    entry_point = ENTRY_POINT

    def __init__(self, server: Flask, rm: RouteMap):
        self.rm = rm
        self.dash = RoutemapDash(
            __name__,
            server=server,
            url_base_pathname=PREFIX,
            assets_folder=str(NO_ASSETS),
            include_assets_files=False,
            serve_locally=True,
            update_title=None,
            compress=False,  # the app compresses every response (app.py)
        )
        label = (
            f"Tube map: {len(rm.lines)} routes and {len(rm.stations)} stations. The same map is "
            "written out in the step-by-step list."
        )
        from dash import html

        self.dash.layout = html.Div(
            map_graph(rm),
            id="map-canvas",
            className="rm-map-canvas",
            role="img",
            **{"aria-label": label},
        )

        @server.before_request
        def _no_dash_index():
            # Dash's own index page and its catch-all are not pages: the map page is ours
            rule = request.url_rule.rule if request.url_rule else ""
            if rule in (PREFIX, PREFIX + "<path:path>"):
                abort(404)

    def tags(self) -> Markup:
        """What the map page writes at its end so the explorer starts."""
        return page_tags(self.dash)

    def csp_hashes(self) -> list[str]:
        return list(self.dash.csp_hashes())

    @staticmethod
    def route(h: Highlight | None) -> dict | None:
        """A route for the explorer to draw, from the page's highlight."""
        return highlight_data(h) if h is not None and h.strokes else None
