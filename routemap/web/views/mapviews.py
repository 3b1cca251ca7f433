"""The map family: the map (``/``, ``/station/<id>``, ``/line/<id>``), the step-by-step list
(``/text``), search (``/search``), and the details panels the explorer places in the browser
(``/_panels``, ``/_search``).

The map page is whole without JavaScript: the export's SVG with every station a link, the
details of what the URL selects, the lines, a search form. Where JavaScript runs, the explorer
(``web/explorer``) is drawn over the SVG on the same URL, and a new selection's panel is
placed from the ones served here, so the page says the same words either way. With a route's
answers in the query (``/?parent_body=…``, the route page's "open in the interactive map")
the map brings that route forward, on the SVG and in the explorer alike.
"""

from __future__ import annotations

from flask import Blueprint, Response, abort, redirect, render_template, request

from ...core import RouteMap, UnknownId
from ...render.highlight import line_highlight, route_highlight
from ...route import find_route
from ...stationview import LINE_KINDS, STATION_KINDS, station_view
from ..answerlink import parse_link, problem_rows, profile_query, shorten
from ..mapsvg import reading_order
from . import pages

bp = Blueprint("map", __name__)
SEARCH_LIMIT = 20


def selection_title(rm: RouteMap, kind: str | None, ident: str | None) -> str:
    """A selection's page title (also its panel's, which the browser shows as the title)."""
    try:
        if kind == "station":
            return f"{rm.station(ident).name}: map"
        if kind == "line":
            return f"{rm.line(ident).name} line: map"
    except UnknownId as exc:
        return f"{exc.kind.capitalize()} not found"
    return "Map"


def panel(kind: str | None, ident: str | None) -> dict:
    """What the details panel shows for a selection, for ``panels.html``."""
    p = pages()
    rm = p.rm
    title = selection_title(rm, kind, ident)
    if kind == "station" and ident in rm.stations:
        view = station_view(rm, ident)
        sources = p.views.station_detail(ident).sources
        return {"kind": "station", "view": view, "sources": sources, "title": title}
    if kind == "line" and ident in rm.lines:
        return {"kind": "line", "line": p.views.line_detail(ident), "title": title}
    if kind is not None:
        return {"kind": "missing", "what": kind, "ident": shorten(ident or "", 80), "title": title}
    return {"kind": "intro", "title": title}


@bp.get("/")
def home():
    return map_page(None, None)


@bp.get("/station/<path:ident>")
def station(ident: str):
    rm = pages().rm
    sid = ident.rstrip("/")
    if sid in rm.retired:  # a station id the data has retired: saved links go on to its successor
        query = request.query_string.decode("utf-8", "replace")
        return redirect(f"/station/{rm.retired[sid]}" + (f"?{query}" if query else ""), 301)
    return map_page("station", sid)


@bp.get("/line/<path:ident>")
def line(ident: str):
    return map_page("line", ident.rstrip("/"))


def map_page(kind: str | None, ident: str | None):
    p = pages()
    rm = p.rm
    found = kind is None or ident in (rm.stations if kind == "station" else rm.lines)
    route = problems = None
    highlight = line_highlight(rm, ident) if kind == "line" and found else None
    if request.query_string:  # a route's answers: bring that route forward
        link = parse_link(rm, request.query_string.decode("utf-8", "replace"))
        if link.ok:
            result = find_route(rm, link.profile, explain=False)
            if result.steps:
                route = {"result": result, "query": profile_query(rm, link.profile)}
                highlight = highlight or route_highlight(result)
        else:
            problems = problem_rows(rm, link)
    selected = ident if kind == "station" and found else None
    return render_template(
        "map.html",
        nav="map",
        title=selection_title(rm, kind, ident),
        panel=panel(kind, ident),
        svg=p.svg.map(highlight, selected),
        here=p.svg.here(selected) if selected else None,
        lines=list(rm.lines.values()),
        keys=p.memo("keys", lambda: keys_of(rm)),
        route=route,
        problems=problems,
        explorer_route=p.explorer.route(highlight if route else None),
        explorer=p.explorer,
    ), (200 if found else 404)


def keys_of(rm: RouteMap) -> list[tuple[str, str, str]]:
    """Every station as (id, name, spoken label), in reading order: the explorer's keyboard
    links (and the search box's suggestions, by name)."""
    order = reading_order(rm)
    return [(sid, rm.stations[sid].name, station_view(rm, sid).map_label) for sid in order]


@bp.get("/text")
def text():
    rm = pages().rm
    lines = []
    for ln in rm.lines.values():
        stops = [
            {
                "id": sid,
                "name": rm.stations[sid].name,
                "kind": STATION_KINDS[rm.stations[sid].kind],
                "historical": rm.stations[sid].status != "open",
                "others": len(rm.lines_at[sid]) - 1,
            }
            for sid in ln.stations
        ]
        lines.append({"line": ln, "kind": LINE_KINDS[ln.kind], "stops": stops})
    return render_template("text.html", nav="text", title="Step-by-step list", lines=lines)


def search_results(query: str) -> list[tuple[str, str]]:
    rm = pages().rm
    return [(sid, rm.stations[sid].name) for sid in rm.search(query, limit=SEARCH_LIMIT)]


@bp.get("/search")
def search():
    query = (request.args.get("q") or "").strip()[:100]
    found = search_results(query) if query else []
    if len(found) == 1:
        return redirect(f"/station/{found[0][0]}", 303)
    title = f"Find a station: {shorten(query, 40)}" if query else "Find a station"
    return render_template("search.html", nav="map", title=title, query=query, found=found)


# ---- fragments for the explorer (assets/routemap.js places them) ------------------------------
def _fragment(body: str, status: int = 200) -> Response:
    # a fragment of a page, not a page: kept out of search engines
    return Response(body, status, mimetype="text/html", headers={"X-Robots-Tag": "noindex"})


@bp.get("/_search")
def search_fragment():
    query = (request.args.get("q") or "").strip()[:100]
    found = search_results(query) if query else []
    return _fragment(render_template("fragments.html", search=True, query=query, found=found))


@bp.get("/_panels")
def panels():
    """Every panel as ``<template>``s: the explorer fetches them once, and selections are
    then instant."""
    p = pages()

    def every() -> str:
        panels = [panel("station", sid) for sid in p.rm.stations]
        panels += [panel("line", lid) for lid in p.rm.lines]
        return render_template("fragments.html", items=panels)

    return _fragment(p.memo("panels", every))


@bp.get("/_panels/<kind>/<path:ident>")
def one_panel(kind: str, ident: str):
    """One panel (a 404 with the "no such station" panel for an unknown id)."""
    rm = pages().rm
    if kind not in ("station", "line"):
        abort(404)
    known = ident in (rm.stations if kind == "station" else rm.lines)
    body = render_template("fragments.html", items=[panel(kind, ident)])
    return _fragment(body, 200 if known else 404)
