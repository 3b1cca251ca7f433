"""The server-rendered pages: every page as HTML that works with JavaScript off.

Two kinds (README, "The web layer"):

- **plain pages**, with no Dash bundle, so they stay light: the step-by-step list, About,
  search, the route start page, every question, check your answers, a change of answer, the
  print view and "Load answers from a file" (a form post). They are ordinary Flask views,
  registered on the server before Dash's catch-all page route can answer their paths.
- **enhanced pages**: the map (``/``, ``/station/<id>``, ``/line/<id>``), the route
  (``/route?…``) and the adviser view (``/adviser``). Dash serves them, and the page's HTML
  (the map as an inline SVG, the details, the route list) is written into Dash's
  ``react-entry-point`` (``dashfix.RoutemapDash.interpolate_index``): with JavaScript off it
  is the page; with it on, the dash-cytoscape explorer takes over on the same URL.

Pages are built from the same Dash component trees the interactive app shows, written out by
``htmlout.to_html``; what only a browser can do (the Cytoscape map, reading a file in the
page) is swapped for its server-side equal (the SVG map, a file upload form).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from dash import html
from flask import Blueprint, Flask, Response, abort, redirect, render_template, request
from markupsafe import Markup
from werkzeug.exceptions import RequestEntityTooLarge

from ...core import RouteMap
from ...route.answerproblems import page_subject, page_words
from ...route.kinds import kind_of
from ...route.profile import NOT_SURE, AnswersError
from .. import components as C
from ..answerlink import (
    order_pairs,
    parse_link,
    profile_from_text,
    profile_query,
    query_of_pasted,
    shorten,
    with_value,
)
from ..mappage import MapPage, selection, title_for
from ..pages import Router, normalise
from ..routepage import RoutePages, error_summary
from .details import Details
from .htmlout import to_html
from .mapsvg import MapSvg
from .routeviews import RouteViews

ASSETS = Path(__file__).resolve().parents[3] / "assets"
STYLESHEETS = ("routemap.css", "routemap_route.css", "routemap_server.css")
MAX_ANSWERS_FILE = 256 * 1024  # an answers file is a few hundred bytes


def inline_css(names) -> Markup:
    """The stylesheets' text for a ``<style>`` in the page: a plain page then arrives in one
    request (a stylesheet link costs a phone on 3G another round trip, or a new connection)."""
    text = "\n".join((ASSETS / name).read_text(encoding="utf-8") for name in names)
    text = re.sub(r"/\*.*?\*/", "", text, flags=re.S)  # comments
    text = re.sub(r"\s*\n\s*", "\n", text).replace("url('fonts/", "url('/assets/fonts/")
    return Markup(text.replace("</", "<\\/"))  # never ends the <style> early


def asset_href(name: str) -> str:
    """An asset's URL with its modification time (as Dash fingerprints them), so a changed
    stylesheet is fetched again."""
    path = ASSETS / name
    stamp = int(path.stat().st_mtime) if path.exists() else 0
    return f"/assets/{name}?m={stamp}"


class ServerPages:
    """Every page as server-rendered HTML, for one app."""

    def __init__(
        self,
        rm: RouteMap,
        router: Router,
        map_page: MapPage,
        route_pages: RoutePages,
        adviser_pages: Any,
        dash_index: Any,
    ):
        self.rm = rm
        self.router = router
        self.map_page = map_page
        self.route_pages = route_pages
        self.adviser_pages = adviser_pages
        self.qids = list(rm.questions)
        self.dash_index = dash_index
        self.svg = MapSvg(rm)
        self.details = Details(rm)
        self.views = RouteViews(rm, route_pages, adviser_pages, self.svg, self.in_page)
        self.css = inline_css(STYLESHEETS)
        self.text = html.Div(C.text_view(rm), className="rm-readable")
        self.about = html.Div(C.about_view(rm), className="rm-readable")

    # -- the page around the content ---------------------------------------------------------
    def title(self, title: str) -> str:
        return C.page_title(self.rm, title)

    def body(self, content, key: str | None = None) -> Markup:
        """The shell (header, navigation, footer) with ``content`` in its ``<main>``."""
        return to_html(self.router.shell(content, key), self.in_page(key))

    def in_page(self, key: str | None, then=None):
        """``replace`` for a page: its own menu link marked current (as the browser does)."""
        own = {"route": "route", "questions": "route", "adviser-print": "adviser"}.get(key, key)

        def replace(node) -> Markup | None:
            ident = getattr(node, "id", None)
            if isinstance(ident, dict) and ident.get("type") == "nav-link":
                current = ident.get("page") == own
                return Markup('<a href="{}" class="{}"{}>{}</a>').format(
                    node.href,
                    node.className + (" rm-nav__link--active" if current else ""),
                    Markup(' aria-current="page"') if current else "",
                    node.children,
                )
            return (then or self.replace)(node)

        return replace

    def document(
        self, content, title: str, key: str | None = None, status: int = 200, print_view=False
    ):
        page = render_template(
            "base.html",
            scripts=[asset_href("routemap_print.js")] if print_view else [],
            title=self.title(title),
            description=self.rm.info.subtitle,
            css=self.css,
            body=self.body(content, key),
        )
        return page, status, {"Content-Type": "text/html; charset=utf-8"}

    def replace(self, node) -> Markup | None:
        """Browser-only widgets, swapped for what works without JavaScript."""
        attrs = getattr(node, "__dict__", {})
        if attrs.get("data-load-answers"):
            target = "adviser" if attrs["data-load-answers"].startswith("ad") else "route"
            return self.answers_form(target, attrs["data-load-answers"], node.children)
        if attrs.get("data-print"):
            return Markup(
                '<button type="button" class="rm-button" data-print="true" hidden>{}</button>'
                '<span class="rm-body" data-print-hint="true">Print this page with your '
                "browser's Print command.</span>"
            ).format(node.children)
        ident = getattr(node, "id", None)
        if ident in ("rq-file-error", "rt-file-error", "ad-file-error"):
            return Markup("")
        return None

    def answers_form(self, target: str, prefix: str, label: Any) -> Markup:
        text = label if isinstance(label, str) else "Load answers from a file"
        return Markup(
            render_template("answers_file.html", target=target, prefix=prefix, label=text)
        )

    def search_form(self, field_id: str = "search", query: str = "") -> Markup:
        return Markup(render_template("search_form.html", field_id=field_id, query=query))

    # -- the map (the enhanced page's HTML) --------------------------------------------------
    def map_content(self, path: str) -> tuple[Markup, str]:
        """The map page's HTML for ``path`` and its title (Dash's entry point holds it)."""
        kind, ident = selection(path)
        svg = self.svg.render(kind, ident)
        panel = self.details.panel(kind, ident)

        def replace(node) -> Markup | None:
            ident_ = getattr(node, "id", None)
            cls = getattr(node, "className", "") or ""
            if ident_ == "map-canvas":
                return (
                    Markup('<div class="rm-map-canvas rm-map-svg" id="map-svg" tabindex="-1">')
                    + svg
                    + Markup("</div>")
                )
            if "rm-map-controls" in cls or "rm-map-keys" in cls:
                # zoom and fit need the explorer (the SVG scrolls); the SVG's stations are links
                return Markup("")
            if "rm-search" in cls.split():
                return self.search_form()
            if ident_ == "details-body":
                return Markup('<div id="details-body">') + to_html(panel) + Markup("</div>")
            return nav(node)

        nav = self.in_page("map")
        shell = self.router.shell(self.map_page.render(path, light=False), "map")
        return to_html(shell, replace), self.title(title_for(self.rm, path))

    def enhanced(self, path: str, query: str) -> tuple[Markup, str] | None:
        """The HTML written into Dash's entry point for an enhanced page, or None."""
        page = self.router.match(path)
        if page is None:  # Dash answers every other path: say it is not found (a 404)
            shell = self.router.shell(C.page_not_found(), "not-found")
            return to_html(shell, self.in_page(None)), self.title("Page not found")
        if page.key == "map":
            return self.map_content(normalise(path))
        if page.key == "route" and query:
            content, title = self.views.route(query, self.shell_for("route"))
            return content, self.title(title)
        if page.key == "adviser":
            return self.views.adviser(query, self.shell_for("adviser")), self.title("Adviser view")
        return None

    def shell_for(self, key: str):
        return lambda content: self.router.shell(content, key)

    # -- plain pages ------------------------------------------------------------------------
    def register(self, server: Flask) -> None:
        bp = Blueprint("server_pages", __name__, template_folder="templates")

        # "/text/" is the same page as "/text" (as every path was when Dash served it)
        def rule(path, endpoint, view, methods=("GET",)):
            bp.add_url_rule(path, endpoint, view, methods=list(methods), strict_slashes=False)

        rule("/text", "text", self.text_page)
        rule("/about", "about", self.about_page)
        rule("/search", "search", self.search_page)
        rule("/route/questions/<qid>", "question", self.question_page, methods=["GET", "POST"])
        rule("/route/change/<qid>", "change", self.change_page, methods=["GET", "POST"])
        rule("/route/check", "check", self.check_page)
        rule("/route", "route", self.route_page)
        rule("/adviser/print", "print", self.print_page)
        rule("/adviser/open", "open", self.open_link)
        rule("/route/answers-file", "answers_file", self.answers_file, methods=["POST"])
        rule("/_panels", "panels", self.panels)
        rule("/_panels/<kind>/<path:ident>", "panel", self.panel)
        server.register_blueprint(bp)

    # -- the details panels, for the enhanced map (assets/routemap.js places them) -----------
    def panels(self):
        """Every panel as ``<template>``s: the map fetches them once and selections are instant."""
        return self._fragment(self.details.every_template, 200)

    def panel(self, kind: str, ident: str):
        """One panel (a 404 with the "no such station" panel for an unknown id)."""
        if kind not in ("station", "line"):
            abort(404)
        known = ident in (self.rm.stations if kind == "station" else self.rm.lines)
        return self._fragment(self.details.template(kind, ident), 200 if known else 404)

    @staticmethod
    def _fragment(body: Markup, status: int) -> Response:
        # a fragment of a page, not a page: kept out of search engines
        return Response(
            str(body), status, mimetype="text/html", headers={"X-Robots-Tag": "noindex"}
        )

    def text_page(self):
        return self.document(self.text, "Step-by-step list", "text")

    def about_page(self):
        return self.document(self.about, "About and sources", "about")

    def search_page(self):
        query = (request.args.get("q") or "").strip()[:100]
        found = [(sid, self.rm.stations[sid].name) for sid in self.rm.search(query, limit=20)]
        if query and len(found) == 1:
            return redirect(f"/station/{found[0][0]}", 303)
        title = f"Find a station: {shorten(query, 40)}" if query else "Find a station"
        content = Markup(
            render_template(
                "search.html",
                doc_title=title,
                form=self.search_form("search-page", query),
                query=query,
                found=found,
            )
        )
        return self.document(content, title, "map")

    # -- the questions ----------------------------------------------------------------------
    def question_page(self, qid: str):
        return self._question(qid, change=False)

    def change_page(self, qid: str):
        return self._question(qid, change=True)

    def _question(self, qid: str, change: bool):
        rm = self.rm
        if qid not in rm.questions:
            content = self.route_pages.question_page(qid, change, None)
            return self.document(content, "Question not found", "route", 404)
        search = request.query_string.decode("utf-8", "replace")
        link = parse_link(rm, search)
        pairs = link.pairs
        q = rm.questions[qid]
        typed: str | None = None
        error: str | None = None
        if request.method == "POST":
            # the number box and the checkboxes post here; the radios are a GET form
            if q.kind == "choice":
                return "Method not allowed", 405, {"Allow": "GET", "Content-Type": "text/plain"}
            if q.kind == "several":
                ticked = [v[:40] for v in request.form.getlist(qid)][:50]
                value = kind_of(q).from_form(q, ticked)
                error = self.several_problem(qid, value)
                if error is None:
                    return redirect(
                        self.route_pages.after(qid, with_value(rm, pairs, qid, value), change),
                        303,
                    )
                typed = value or ""
            else:
                typed = (request.form.get(qid) or "").strip()[:40]
                error = self.number_problem(qid, typed)
                if error is None:
                    value = typed.replace(",", "")
                    return redirect(
                        self.route_pages.after(
                            qid, with_value(rm, pairs, qid, str(int(value))), change
                        ),
                        303,
                    )
        own = link.problem_for(qid)
        current = link.given(qid)
        if error is None and own is not None:
            error = own.message.capitalize() + (
                f" (the link says “{shorten(current)}”)." if current else "."
            )
        qids = self.route_pages.asked(pairs, qid)
        return self.document(
            self.question_html(qid, change, link, typed, error),
            f"{'Error: ' if error else ''}{q.text} ({qids.index(qid) + 1} of {len(qids)})",
            "route",
        )

    def several_problem(self, qid: str, value: str | None) -> str | None:
        """Ticked boxes, checked as every answer is; the message says what to do."""
        if not value:
            return "Tick at least one answer, or choose Not sure"
        bad = parse_link(self.rm, {qid: value}).problem_for(qid)
        if bad is None:
            return None
        if bad.code == "answer_not_alone":
            return f"“{bad.param('label')}” cannot be ticked with another answer: untick one"
        return "Tick only the answers listed"

    def number_problem(self, qid: str, typed: str) -> str | None:
        q = self.rm.questions[qid]
        text = typed.replace(",", "")
        if not text:
            return "Enter a whole number, or choose Not sure"
        if parse_link(self.rm, {qid: text}).problems:
            low = q.minimum if q.minimum is not None else 0
            high = f" to {q.maximum}" if q.maximum is not None else ""
            return f"Enter a whole number from {low}{high}, such as 40"
        return None

    def question_html(self, qid, change, link, typed, error) -> Markup:
        rm = self.rm
        rp = self.route_pages
        pairs = link.pairs
        q = rm.questions[qid]
        qids = rp.asked(pairs, qid)
        i = qids.index(qid)
        current = link.given(qid)
        others = [p for p in link.problems if p.key != qid]
        back = rp.before(qid, pairs, change)
        # the hidden fields keep the rest of the link, in the link's own order around the answer
        ordered = order_pairs(rm, [(k, v) for k, v in pairs if k != qid] + [(qid, "")])
        at = next(n for n, (k, _) in enumerate(ordered) if k == qid)
        next_href = rp.after(qid, [(k, v) for k, v in pairs if k != qid], change)
        action = next_href.partition("?")[0]
        options = [(o.value, o.label) for o in q.options if o.value != NOT_SURE]
        options.append((NOT_SURE, "Not sure"))
        summary = (
            to_html(
                error_summary(
                    self.rm,
                    "There is a problem with the link",
                    others,
                    link,
                    intro="The rest of the link is kept as it is: fix these on the check "
                    "answers page.",
                )
            )
            if others
            else ""
        )
        return Markup(
            render_template(
                "question.html",
                doc_title=q.text,
                q=q,
                number=i + 1,
                total=len(qids),
                area=rm.areas[q.area].name,
                back=back,
                others_summary=summary,
                change=change,
                error=error,
                typed=typed
                if typed is not None
                else ("" if current in (None, NOT_SURE) else current),
                current=current,
                ticked=set((typed if typed is not None else current or "").split(",")),
                options=options,
                not_sure=NOT_SURE,
                action=action,
                before=ordered[:at],
                after=ordered[at + 1 :],
                self_href=request.full_path.rstrip("?"),
                not_sure_href=rp.after(qid, with_value(rm, pairs, qid, NOT_SURE), change),
                skip=rp.after(qid, pairs, change),
            )
        )

    def route_page(self):
        """``/route``: with no answers, the start page (plain); with them, the route (Dash)."""
        if request.query_string:
            return self.dash_index()
        return self.document(self.route_pages.start_page(), "Find your route", "route")

    def print_page(self):
        query = request.query_string.decode("utf-8", "replace")
        content = self.views.print_view(query)
        title = content.__dict__.get("data-doc-title", "Print view")
        return self.document(content, title, "adviser-print", print_view=True)

    def worded(self, p) -> tuple[str, str]:
        """A problem as the page says it: what it is about, and what is wrong."""
        return page_subject(p, self.rm), page_words(p, self.rm)

    def open_link(self):
        """The adviser view's "Paste the applicant's link" without JavaScript."""
        query, problem = query_of_pasted(request.args.get("link", ""))
        if problem is None:
            link = parse_link(self.rm, query)
            if link.ok:
                return redirect("/adviser" + profile_query(self.rm, link.profile), 303)
            problems = [self.worded(p) for p in link.problems[:20]]
        else:
            problems = [("", problem)]
        content = Markup(
            render_template(
                "answers_file_error.html",
                doc_title="Error: the link",
                back="/adviser",
                heading="That link could not be opened",
                intro="There is a problem with the link",
                problems=problems,
                form=Markup(""),
            )
        )
        return self.document(content, "Error: the link could not be opened", "adviser")

    def check_page(self):
        search = request.query_string.decode("utf-8", "replace")
        content = self.route_pages.check_page(search)
        title = content.__dict__.get("data-doc-title", "Check your answers")
        return self.document(content, title, "route")

    # -- an answers file ---------------------------------------------------------------------
    def answers_file(self):
        target = "adviser" if request.form.get("target") == "adviser" else "route"
        back = "/adviser" if target == "adviser" else "/route"
        try:
            upload = request.files.get("file")
        except RequestEntityTooLarge:
            upload = None
        problems: list[tuple[str, str]] = []
        name = "the file"
        if upload is None or not upload.filename:
            problems = [("", "Choose an answers file to load")]
        else:
            name = shorten(upload.filename, 40)
            data = upload.stream.read(MAX_ANSWERS_FILE + 1)
            if len(data) > MAX_ANSWERS_FILE:
                problems = [("", f"The file is too big (at most {MAX_ANSWERS_FILE // 1024} KB)")]
            else:
                try:
                    profile = profile_from_text(self.rm, data, name)
                except AnswersError as exc:
                    problems = [self.worded(p) for p in exc.problems[:20]]
                else:
                    return redirect(back + profile_query(self.rm, profile), 303)
        content = Markup(
            render_template(
                "answers_file_error.html",
                doc_title="Error: answers file",
                back=back,
                heading="The answers file could not be loaded",
                intro=f"There is a problem with {name}",
                problems=problems,
                form=self.answers_form(target, "again", "Load answers from a file"),
            )
        )
        return self.document(content, "Error: the answers file could not be loaded", "route")
