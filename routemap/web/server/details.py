"""The details panel of a selected station or line, written on the server.

The one wording of the panel: a station's words come from the one station view
(``routemap/stationview.py``), a line's from the API's ``LineDetail``. With JavaScript off this
is the panel in the page; with it on, the browser fetches these same panels as HTML
(``/_panels``) and only places them, so the two can never say different things.
"""

from __future__ import annotations

from functools import cached_property

from dash import html
from markupsafe import Markup, escape

from ...core import RouteMap
from ...models import end_words, span_words
from ...stationview import StationView, station_view
from .. import components as C
from ..api import LineDetail, Views
from ..mappage import selection_title
from .htmlout import to_html


def _heading(text: str, title: str, cls: str = "rm-heading-l", **attrs) -> html.H2:
    """The panel's heading; ``title`` is the page title the browser sets when it shows it."""
    return html.H2(
        text, id="details-heading", className=cls, tabIndex=-1, **{"data-title": title}, **attrs
    )


def _h3(text: str) -> html.H3:
    return html.H3(text, className="rm-heading-s")


def _summary_list(rows: list[tuple[str, object]]) -> html.Dl:
    items: list = []
    for key, value in rows:
        if value in (None, "", []):
            continue
        items += [
            html.Dt(key, className="rm-summary__key"),
            html.Dd(value, className="rm-summary__value"),
        ]
    return html.Dl(items, className="rm-summary")


def _sources(sources) -> html.Ul:
    items = []
    for src in sources:
        backs = f" For {' and '.join(src.backs)}." if src.backs else ""
        about = f" ({src.about})" if src.about else ""
        items.append(html.Li([C.external_link(src.title, src.url), about + backs]))
    return html.Ul(items, className="rm-list rm-list--bullet rm-sources")


def _reset() -> html.P:
    return html.P(
        C.link("Show the whole map", "/", cls="rm-button rm-button--secondary", id="reset-view"),
        className="rm-actions",
    )


def _on_lines(names: list[str]) -> str:
    if len(names) == 1:
        return f"the {names[0]} line"
    return "the " + ", ".join(names[:-1]) + f" and {names[-1]} lines"


def _examples(examples) -> list:
    if not examples:
        return []
    return [
        _h3("Seen in practice"),
        html.Ul(
            [html.Li(ex.text + (f" ({ex.date})" if ex.date else "")) for ex in examples],
            className="rm-list rm-list--bullet",
        ),
    ]


def station_panel(view: StationView, sources, title: str) -> list:
    st = view.station
    documents = (
        html.Ul([html.Li(text) for text in view.documents], className="rm-list")
        if view.documents
        else None
    )
    out: list = [
        html.P(view.caption, className="rm-caption"),
        _heading(st.name, title),
        html.P(st.summary, className="rm-body rm-lead"),
        _summary_list(
            [
                ("Who is involved", "; ".join(st.who)),
                ("Forms and documents", documents),
                ("How long it takes", st.duration.text),
                ("What it costs", st.cost.text),
                ("Who can use it", st.eligibility),
                ("Note", st.note),
            ]
        ),
        _h3("Lines through this station"),
        html.Ul(
            [
                html.Li(
                    C.link(ln.label, f"/line/{ln.id}"),
                    className="rm-line-item"
                    + (" rm-line-item--historical" if ln.historical else ""),
                    style={"--line-colour": ln.colour},
                )
                for ln in view.lines
            ],
            className="rm-list rm-lines",
        ),
    ]
    if view.change_here:
        out.append(html.P(view.change_here, className="rm-body rm-muted"))

    def steps(items, empty: str):
        if not items:
            return html.P(empty, className="rm-body rm-muted")
        return html.Ul(
            [html.Li([C.link(n.name, f"/station/{n.id}"), " on " + n.via]) for n in items],
            className="rm-list",
        )

    out += [_h3("Comes after"), steps(view.before, "Nothing: this is where a route starts.")]
    out += [_h3("Leads to"), steps(view.after, "Nothing: this is where a route ends.")]
    for title, refs in (
        ("Support on offer", view.support),
        ("This support helps with", view.supports),
    ):
        if refs:
            out += [
                _h3(title),
                html.Ul(
                    [html.Li(C.link(name, f"/station/{sid}")) for sid, name in refs],
                    className="rm-list",
                ),
            ]
    if view.examples:
        out += [
            _h3("Seen in practice"),
            html.Ul([html.Li(text) for text in view.examples], className="rm-list rm-list--bullet"),
        ]
    out += [_h3("Sources"), _sources(sources), _reset()]
    return out


def line_panel(ln: LineDetail, title: str) -> list:
    historical = ln.status != "open"
    caption = [C.LINE_KINDS.get(ln.kind, ln.kind)]
    if historical:
        dates = span_words(ln)
        caption.append(f"Historical route ({dates})" if dates else "Historical route")
    stops = []
    for stop in ln.stops:
        note = C.STATION_KINDS.get(stop.kind, stop.kind)
        if stop.status != "open":
            end = end_words(stop)
            note += " · " + (f"historical ({end})" if end else "historical")
        if stop.change_for:
            note += ". Change here for " + ", ".join(x.name for x in stop.change_for)
        stops.append(
            html.Li(
                [
                    C.link(stop.station.name, f"/station/{stop.station.id}", cls="rm-stop__name"),
                    note,
                ],
                className="rm-stop" + (" rm-stop--interchange" if stop.change_for else ""),
                **{"data-station": stop.station.id},
            )
        )
    return [
        html.P(" · ".join(caption), className="rm-caption"),
        _heading(
            ln.name,
            title,
            "rm-heading-l rm-line-heading" + (" rm-line-heading--historical" if historical else ""),
            style={"--line-colour": ln.colour},
        ),
        html.P(ln.summary, className="rm-body rm-lead"),
        _summary_list([("Regulator", ln.regulator), ("Stations", str(len(ln.stops)))]),
        _reset(),
        _h3("Stations on this line, in order"),
        html.Ol(
            stops,
            className="rm-stops" + (" rm-stops--historical" if historical else ""),
            style={"--line-colour": ln.colour},
        ),
        *_examples(ln.examples),
        _h3("Sources"),
        _sources(ln.sources),
    ]


def not_found_panel(kind: str, ident: str, title: str) -> list:
    return [
        _heading(f"There is no {kind} called “{ident[:80]}”", title, "rm-heading-m"),
        html.P(
            [
                "Check the address, search for a station above, or go to the ",
                C.link("step-by-step list", "/text"),
                ".",
            ],
            className="rm-body",
        ),
        _reset(),
    ]


class Details:
    """The panel for a selection (``kind`` ``station`` or ``line``, or None: the introduction)."""

    def __init__(self, rm: RouteMap, views: Views | None = None):
        self.rm = rm
        self.views = views or Views(rm)

    def panel(self, kind: str | None, ident: str | None) -> list:
        title = selection_title(self.rm, kind, ident)
        if kind == "station":
            if ident not in self.rm.stations:
                return not_found_panel(kind, ident or "", title)
            return station_panel(
                station_view(self.rm, ident), self.views.station_detail(ident).sources, title
            )
        if kind == "line":
            if ident not in self.rm.lines:
                return not_found_panel(kind, ident or "", title)
            return line_panel(self.views.line_detail(ident), title)
        return C.intro_details(self.rm)

    def template(self, kind: str, ident: str) -> Markup:
        """One panel as an HTML ``<template>`` keyed ``kind:ident``, for the browser to place."""
        key = escape(f"{kind}:{ident}")
        return (
            Markup(f'<template data-panel="{key}">')
            + to_html(self.panel(kind, ident))
            + Markup("</template>")
        )

    @cached_property
    def every_template(self) -> Markup:
        """Every station's and line's panel at once: one request makes every selection instant."""
        return Markup("").join(
            [self.template("station", sid) for sid in self.rm.stations]
            + [self.template("line", lid) for lid in self.rm.lines]
        )
