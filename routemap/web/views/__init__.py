"""The pages: one Flask blueprint per page family, each view ending in one ``render_template``.

- ``mapviews``: the map (``/``, ``/station/<id>``, ``/line/<id>``), the step-by-step list
  (``/text``), search, and the details panels the explorer places (``/_panels``);
- ``routeviews``: the start page, the questions, check your answers, the route and its
  what-ifs (``/route…``), and an answers file posted from any page;
- ``adviserviews``: the adviser view, its marks and its print view (``/adviser…``);
- ``aboutviews``: About, and the page every unknown address gets (404).

Every page is a Jinja template (``web/templates/``) over the typed results, its widgets the
macros in ``templates/widgets.html``; the words it says about a result come from
``route/words.py`` (the template global ``words``), as the text export and the checklists'
do. Each user action is one form. Nothing here needs JavaScript; the map page alone carries the
explorer's scripts (``web/explorer``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path

from flask import Flask, current_app
from markupsafe import Markup

from ...core import REPO_ROOT, RouteMap
from ...models import end_words, span_words
from ...route import words
from ...stationview import LINE_KINDS, STATION_KINDS
from ..answerlink import encode
from ..api import Views
from ..mapsvg import MapSvg

ASSETS = REPO_ROOT / "assets"
# every page's stylesheet, then its family's (each inlined: one request per page)
STYLESHEETS = {
    "base": "routemap.css",
    "map": "map.css",
    "route": "route.css",
    "compare": "compare.css",
}


@dataclass
class Pages:
    """What the pages of one app share: the map, its drawings, the API's views of it."""

    rm: RouteMap
    explorer: object  # web.explorer.Explorer

    @cached_property
    def svg(self) -> MapSvg:
        return MapSvg(self.rm)

    @cached_property
    def views(self) -> Views:
        return Views(self.rm)

    @cached_property
    def qids(self) -> list[str]:
        return list(self.rm.questions)

    def memo(self, key: str, make):
        """A part of a page that is the same for every request, made on first use."""
        cache = self.__dict__.setdefault("_memo", {})
        if key not in cache:
            cache[key] = make()
        return cache[key]


def pages() -> Pages:
    return current_app.extensions["routemap.pages"]


def inline_css(path: Path) -> Markup:
    """The stylesheet's text for a ``<style>`` in the page: a page then arrives in one request
    (a stylesheet link costs a phone on 3G another round trip)."""
    text = path.read_text(encoding="utf-8")
    text = re.sub(r"/\*.*?\*/", "", text, flags=re.S)  # comments
    text = re.sub(r"\s+", " ", text)
    text = re.sub(r"\s*([{};,>])\s*", r"\1", text)  # never around ":" (":first-child")
    text = re.sub(r":\s+", ":", text).replace(";}", "}")
    text = text.replace("url('fonts/", "url('/assets/fonts/")
    return Markup(text.replace("</", "<\\/"))  # never ends the <style> early


@lru_cache(maxsize=64)
def asset_url(name: str) -> str:
    """An asset's URL with its modification time, so a changed script is fetched again. Read
    once a process, as the inline stylesheets are: a changed asset comes with a restart."""
    path = ASSETS / name
    stamp = int(path.stat().st_mtime) if path.exists() else 0
    return f"/assets/{name}?m={stamp}"


def install(app: Flask, rm: RouteMap, explorer: object) -> None:
    """The page families on ``app``, and what every template may use."""
    from . import aboutviews, adviserviews, compareviews, mapviews, routeviews

    app.extensions["routemap.pages"] = Pages(rm, explorer)
    app.jinja_env.globals.update(
        words=words,
        info=rm.info,
        css={family: inline_css(ASSETS / name) for family, name in STYLESHEETS.items()},
        asset_url=asset_url,
        encode=encode,
        station_kinds=STATION_KINDS,
        line_kinds=LINE_KINDS,
        line_colours={lid: ln.colour for lid, ln in rm.lines.items()},
        # a step's state as its class (rm-step--to-do): a lookup, where a filter costs a call
        state_css={key: key.replace("_", "-") for key in words.STATES},
        question_count=len(rm.questions),
        end_words=end_words,
        span_words=span_words,
    )
    app.jinja_env.globals["compare_links"] = compareviews.station_links(rm)
    app.jinja_env.globals["compare_line_links"] = compareviews.line_links(rm)
    # a step's topic and state in words, as filters: called for every step, and a filter is
    # called directly where a template's function call goes through Jinja's Context.call
    app.jinja_env.filters.update(topic=words.topic, state=words.state)
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
    for module in (mapviews, routeviews, adviserviews, compareviews, aboutviews):
        app.register_blueprint(module.bp)
