"""``create_app(config)``: Flask + Dash, built around one shared ``RouteMap``."""

from __future__ import annotations

from typing import Any

import dash
from dash import html
from flask import Flask

from ..core import RouteMap

DEFAULTS: dict[str, Any] = {"ROUTEMAP": None, "DATA_DIR": None, "DEBUG": False}


def create_app(config: dict[str, Any] | None = None) -> dash.Dash:
    cfg = {**DEFAULTS, **(config or {})}
    rm: RouteMap = cfg["ROUTEMAP"] or RouteMap.load(cfg["DATA_DIR"])
    server = Flask(__name__)
    server.config["ROUTEMAP"] = rm
    app = dash.Dash(__name__, server=server, title=rm.info.title)
    app.index_string = app.index_string.replace("<html>", '<html lang="en">', 1)
    app.layout = html.Main(
        [html.H1(rm.info.title), html.P(rm.info.subtitle), html.P(rm.summary_line())]
    )

    @server.get("/healthz")
    def healthz():
        return {"status": "ready", "map": rm.summary_line()}

    return app
