"""The about family: About and sources (``/about``), and the page any unknown address gets
(a 404 that says so and offers the way on)."""

from __future__ import annotations

from flask import Blueprint, render_template, request

from ...citing import source_meta
from . import pages

bp = Blueprint("about", __name__)
MAP_DOWNLOADS = (
    ("svg", "The map as SVG (scalable, accessible)"),
    ("png", "The map as a PNG image"),
    ("pdf", "The map as a PDF (A3)"),
    ("html", "The map as one web page that works offline"),
    ("json", "The drawn map as JSON (positions and strokes, for developers)"),
)


@bp.get("/about")
def about():
    rm = pages().rm
    sources = [(s.title, s.url, source_meta(s)) for s in rm.sources.values()]
    return render_template(
        "about.html",
        nav="about",
        title="About and sources",
        sources=sources,
        downloads=MAP_DOWNLOADS,
    )


@bp.app_errorhandler(404)
def not_found(_error):
    if request.path.startswith(("/assets/", "/_")):  # a file or a fragment: no page around it
        return "Not found", 404, {"Content-Type": "text/plain; charset=utf-8"}
    return render_template("not_found.html", title="Page not found"), 404
