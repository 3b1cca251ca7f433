"""The adviser view (``/adviser?…``) and its print view (``/adviser/print?…``).

An adviser pastes or opens an applicant's link (the same parameters as ``/route``, plus
``done``, ``in_progress``, ``skipped`` and ``note_<station>``) and sees the route with
progress on the map and as a list, the "what next" panel (``what_next``: can start now with
what each needs, blocked and by what, answers still not sure that would change the route, the
weakest areas with support offers, deadlines) and edits progress. Every change of progress is
a change of the link, so the adviser and the applicant can pass one link back and forth, and a
reload shows the same state.

Nothing the adviser typed is lost on an error: the paste box is outside what the page
re-renders and keeps its text; a link with problems is shown as it is, every problem named
with the allowed values and a way to fix or remove it.

The print view is one A4 page, black-and-white friendly: the answers in a line, progress, the
route as a table with each station's state, and what next.
"""

from __future__ import annotations

import datetime as dt

from dash import ALL, ClientsideFunction, Dash, Input, Output, State, ctx, dcc, html, no_update
from flask import has_request_context, request

from ..core import RouteMap
from ..route.answerproblems import page_subject, page_words, problem
from ..route.nextsteps import what_next
from ..route.profile import MAX_NOTE
from ..route.results import NextResult, Progress, StepState
from . import components as C
from .answerlink import (
    FROM_KEY,
    LINK,
    PASTE_BOX,
    Link,
    answer_label,
    encode,
    parse_link,
    profile_query,
    query_of_pasted,
    shorten,
    with_progress,
    without_origin,
)
from .cyto import elements
from .pages import Page, Router, normalise
from .routepage import (
    doc_root,
    download_answers,
    error_summary,
    export_links,
    fixer,
    load_answers,
    register_file_loader,
    route_layout,
    route_stylesheet,
)
from .routeparts import (
    STATE_TEXT,
    TOPIC_TEXT,
    areas_to_work_on,
    choices_panel,
    highlight_data,
    left_off_panel,
    nearest_panel,
    not_sure_panel,
    readiness_chart,
    route_sentence,
    route_title,
    step_items,
)

PROGRESS_CHOICES = (
    ("to_do", "Not started"),
    ("in_progress", "In progress"),
    ("done", "Done"),
    ("skipped", "Skipped"),
)
KEY_QUESTIONS = ("parent_body", "service_area", "staff_count")


def full_link(path: str, search: str | None) -> str:
    """The page's full address (the Location's href is not updated when a callback changes
    the search, so it is rebuilt from the request's host, which HostGuard has checked)."""
    base = request.host_url.rstrip("/") if has_request_context() else ""
    query = search if search and search.startswith("?") else ""
    return f"{base}{path}{query}"


def progress_sentence(progress: Progress) -> str:
    return f"{progress.done} of {progress.total} steps done ({progress.percent}%)"


def progress_details(progress: Progress) -> str:
    parts = [f"{progress.in_progress} in progress"]
    parts.append(f"{progress.skipped} skipped by choice (never counted as done)")
    parts.append("steps already in place from the answers count as done")
    return "; ".join(parts) + "."


def needs_words(item) -> list[str]:
    """What a step that can start needs, in words: forms, who, and support open today."""
    out = [f"{f.code} ({f.name})" if f.code else f.name for f in item.forms]
    out.append("Who: " + "; ".join(item.who))
    out += [f"Support open today: {s.name}" for s in item.support]
    return out


def needs_items(item) -> list:
    return [
        *(html.Li(w) for w in needs_words(item)),
        html.Li(f"Duration: {item.duration}"),
        html.Li(f"Cost: {item.cost}"),
    ]


def answers_line(rm: RouteMap, link: Link) -> str:
    profile = link.profile
    if profile is None:
        return ""
    parts = []
    for qid in rm.questions:
        if qid in profile.given:
            parts.append(answer_label(rm, qid, profile.answers[qid]))
    return " · ".join(parts) if parts else "No answers given (every answer counts as not sure)"


class AdviserPages:
    def __init__(self, rm: RouteMap, map_elements: list | None = None):
        self.rm = rm
        self.elements = map_elements if map_elements is not None else elements(rm)
        self.sheet = route_stylesheet(rm)
        self.edge_ids = {e["data"]["id"] for e in self.elements if e["group"] == "edges"}

    # -- registration ------------------------------------------------------------------------
    def register(self, router: Router) -> None:
        router.register(
            Page(
                key="adviser",
                title="Adviser view",
                render=lambda _p: self.shell(),
                exact=("/adviser",),
                nav="Adviser view",
            )
        )
        router.register(
            Page(
                key="adviser-print",
                title="Print view",
                render=lambda _p: self.print_shell(),
                exact=("/adviser/print",),
            )
        )

    def shell(self, light: bool = False) -> html.Div:
        label = (
            "Map of the applicant's route with progress: done stations are filled, stations "
            "in progress half filled, those that can start now ringed. The list gives each "
            "station's state in words."
        )
        return html.Div(
            [
                dcc.Store(id="ad-highlight"),
                dcc.Store(id="ad-sink"),
                html.H1(
                    "Adviser view", className="rm-heading-xl", id="adviser-heading", tabIndex=-1
                ),
                html.P(
                    "Open an applicant's link to see their route with progress, what can "
                    "start next, and to mark steps done. Every change is kept in the link: "
                    "send it back to the applicant, or bookmark it.",
                    className="rm-body rm-lead",
                ),
                html.Div(
                    [
                        html.Label(
                            [
                                "Paste the applicant's link",
                                html.Span(
                                    "A link to their route page (/route?…) or to this view "
                                    "(/adviser?…)",
                                    className="rm-hint",
                                ),
                            ],
                            htmlFor="ad-paste",
                            className="rm-label",
                        ),
                        html.Div(
                            [
                                dcc.Input(
                                    id="ad-paste",
                                    type="text",
                                    autoComplete="off",
                                    spellCheck=False,
                                    maxLength=PASTE_BOX,
                                    className="rm-input",
                                ),
                                html.Button(
                                    "Open",
                                    id="ad-open",
                                    n_clicks=0,
                                    className="rm-button",
                                    type="button",
                                ),
                            ],
                            className="rm-search__row",
                        ),
                        html.Div(id="ad-paste-error", role="status"),
                        load_answers("ad", "Or load their answers file"),
                    ],
                    className="rm-paste",
                ),
                html.Div(id="ad-top"),
                html.Div(id="ad-summary"),
                html.Div(id="ad-next"),
                route_layout(
                    self.rm,
                    "ad",
                    "The route on the map",
                    label,
                    None if light else (self.elements, self.sheet),
                ),
                html.Div(id="ad-more"),
            ],
            className="rm-route-page rm-adviser-page",
        )

    def print_shell(self, light: bool = False) -> html.Div:
        return html.Div(html.Div(id="pr-content"), className="rm-print-page")

    def validation(self) -> list:
        return [self.shell(light=True), self.print_shell(light=True)]

    # -- pieces ---------------------------------------------------------------------------
    def controls(self, entry: StepState) -> html.Div | None:
        sid = entry.station
        st = self.rm.stations[sid]
        state = entry.state
        current = state if state in ("done", "in_progress", "skipped") else "to_do"
        buttons = [
            html.Button(
                label,
                id={"type": "ad-progress", "station": sid, "state": value},
                n_clicks=0,
                type="button",
                className="rm-toggle" + (" rm-toggle--on" if value == current else ""),
                **{"aria-pressed": "true" if value == current else "false"},
            )
            for value, label in PROGRESS_CHOICES
        ]
        parts: list = [
            html.Div(
                [
                    html.Span(
                        "Mark as:", className="rm-progress__label", **{"aria-hidden": "true"}
                    ),
                    *buttons,
                ],
                className="rm-progress",
                role="group",
                **{"aria-label": f"Progress of {st.name}"},
            )
        ]
        if current == "skipped":
            parts.append(
                html.Div(
                    [
                        html.Label(
                            [
                                "Why it was skipped (optional)",
                                dcc.Input(
                                    id={"type": "ad-note", "station": sid},
                                    type="text",
                                    value=entry.note or "",
                                    maxLength=MAX_NOTE,
                                    className="rm-input",
                                ),
                            ],
                            className="rm-label rm-note__label",
                        ),
                        html.Button(
                            "Save note",
                            id={"type": "ad-note-save", "station": sid},
                            n_clicks=0,
                            type="button",
                            className="rm-button rm-button--secondary rm-button--small",
                        ),
                    ],
                    className="rm-note",
                )
            )
        return html.Div(parts, className="rm-step__controls")

    def summary(self, link: Link, nr: NextResult, href: str) -> list:
        rm = self.rm
        profile = link.profile
        rows = []
        for qid in KEY_QUESTIONS:
            if qid in rm.questions:
                rows.append(html.Dt(rm.questions[qid].text, className="rm-summary__key"))
                rows.append(
                    html.Dd(
                        answer_label(rm, qid, profile.answers[qid]), className="rm-summary__value"
                    )
                )
        others = [
            html.Li(
                [rm.questions[q].text, " ", html.Strong(answer_label(rm, q, profile.answers[q]))]
            )
            for q in rm.questions
            if q not in KEY_QUESTIONS
        ]
        p = nr.progress
        return [
            html.Div(
                [
                    html.Div(
                        [
                            html.H2("The applicant's route", className="rm-heading-m"),
                            html.P(
                                [
                                    html.Strong(route_title(nr.route)),
                                    ". ",
                                    route_sentence(nr.route),
                                ],
                                className="rm-body",
                            ),
                            html.Dl(rows, className="rm-summary"),
                            html.Details(
                                [
                                    html.Summary("All their answers", className="rm-details-link"),
                                    html.Ul(others, className="rm-list rm-list--bullet rm-small"),
                                ]
                            ),
                            html.P(
                                C.link(
                                    "Change their answers",
                                    "/route/check"
                                    + encode([*without_origin(link.pairs), (FROM_KEY, "adviser")]),
                                ),
                                className="rm-body",
                            ),
                        ],
                        className="rm-col",
                    ),
                    html.Div(
                        [
                            html.H2("Progress", className="rm-heading-m"),
                            html.P(
                                progress_sentence(p),
                                className="rm-progress-figure",
                                id="progress-figure",
                            ),
                            html.Div(
                                html.Div(
                                    className="rm-bar__fill", style={"width": f"{p.percent}%"}
                                ),
                                className="rm-bar__track rm-bar__track--big",
                                **{"aria-hidden": "true"},
                            ),
                            html.P(progress_details(p), className="rm-body rm-small"),
                            html.Div(
                                [
                                    html.A(
                                        "Print view",
                                        href="/adviser/print" + encode(link.pairs),
                                        className="rm-button rm-button--secondary js-nav",
                                        id="print-view",
                                    ),
                                    download_answers(rm, profile, "Download answers"),
                                ],
                                className="rm-button-group",
                            ),
                            html.Label(
                                [
                                    "This page's link (send it back to the applicant)",
                                    dcc.Input(
                                        id="ad-this-link",
                                        type="text",
                                        value=href,
                                        readOnly=True,
                                        className="rm-input rm-input--link",
                                    ),
                                ],
                                className="rm-label",
                            ),
                        ],
                        className="rm-col",
                    ),
                ],
                className="rm-two-cols rm-adviser-summary",
            )
        ]

    def what_next_panel(self, link: Link, nr: NextResult) -> list:
        rm = self.rm
        can = []
        for item in nr.can_start:
            can.append(
                html.Li(
                    [
                        C.link(item.name, f"/station/{item.station}", cls="rm-next__name"),
                        html.Ul(needs_items(item), className="rm-list rm-list--bullet rm-small"),
                    ],
                    **{"data-station": item.station},
                )
            )
        blocked = [
            html.Li(
                [
                    html.Strong(b.name),
                    ": waiting for ",
                    ", ".join(b.blocked_by_names),
                ],
                **{"data-station": b.station},
            )
            for b in nr.blocked
        ]
        deadlines = [html.Li([html.Strong(d.name), ": ", d.deadline]) for d in nr.deadlines]
        in_progress = [html.Li(x.name) for x in nr.in_progress]
        col1: list = [
            html.H3("Can start now", className="rm-heading-s"),
            html.Ul(can, className="rm-list rm-list--spaced", id="next-can-start")
            if can
            else html.P(
                "Nothing can start until the steps in progress are done.",
                className="rm-body",
                id="next-can-start",
            ),
        ]
        if in_progress:
            col1 += [
                html.H3("In progress", className="rm-heading-s"),
                html.Ul(in_progress, className="rm-list rm-list--bullet"),
            ]
        if deadlines:
            col1 += [
                html.H3("Deadlines that matter", className="rm-heading-s"),
                html.Ul(deadlines, className="rm-list rm-list--bullet"),
            ]
        col2: list = [
            areas_to_work_on(rm, nr.weakest_areas, heading="h3"),
            not_sure_panel(nr, link.pairs, heading="h3"),
            html.Details(
                [
                    html.Summary(f"Cannot start yet ({len(blocked)})", className="rm-details-link"),
                    html.Ul(
                        blocked, className="rm-list rm-list--bullet rm-small", id="next-blocked"
                    ),
                ],
                className="rm-blocked",
            )
            if blocked
            else None,
        ]
        notes = [html.P(n, className="rm-body rm-inset") for n in nr.notes]
        return [
            html.Section(
                [
                    html.H2("What next", className="rm-heading-m", id="what-next"),
                    *notes,
                    html.Div(
                        [html.Div(col1, className="rm-col"), html.Div(col2, className="rm-col")],
                        className="rm-two-cols",
                    ),
                ],
                className="rm-what-next",
                **{"aria-labelledby": "what-next"},
            )
        ]

    def content(self, search: str | None, href: str | None):
        """(top, summary, next, steps, more, map hidden, highlight, paste value)."""
        rm = self.rm
        nothing = ([], [], [], [], True, None)
        link = parse_link(rm, search)
        if link.empty:
            intro = doc_root(
                [
                    html.P(
                        [
                            "No link is open. An applicant's link comes from their route page (",
                            C.link("Your route", "/route"),
                            "); its address holds their answers.",
                        ],
                        className="rm-body rm-inset",
                    )
                ],
                "Adviser view",
                "none",
            )
            return ([intro], *nothing, no_update)
        pairs = link.pairs
        if not link.ok:
            fix = fixer(rm, pairs, "/adviser")

            top = doc_root(
                [
                    error_summary(
                        self.rm,
                        "There is a problem with this link",
                        link.problems,
                        link,
                        fix,
                        intro="The link is kept as it is, and is in the box above to edit. "
                        "Fix or remove each of these:",
                    )
                ],
                "Problem with the link: adviser view",
                "error",
            )
            return ([top], *nothing, href or no_update)
        nr = what_next(rm, link.profile)
        top = doc_root([], "Adviser view: " + progress_sentence(nr.progress), "none")
        steps = [
            html.H2(
                "Route and progress, step by step", className="rm-heading-m", id="progress-heading"
            ),
            html.P(
                "Mark each step as it moves on. Steps ‘already in place’ follow from the "
                "answers; change the answers to change them.",
                className="rm-body",
            ),
            html.Ol(
                step_items(rm, nr, controls=self.controls, fold_reasons=True),
                className="rm-steps rm-steps--adviser",
                id="adviser-steps",
                **{"aria-labelledby": "progress-heading"},
            ),
        ]
        more = [
            html.Div(choices_panel(nr.route), className="rm-readable"),
            html.Div(readiness_chart(nr.route.readiness), className="rm-readable"),
            html.Div(
                [*left_off_panel(nr.route), *nearest_panel(rm, nr.route, link.pairs)],
                className="rm-readable",
            ),
            export_links(rm, link.profile),
        ]
        return (
            [top],
            self.summary(link, nr, href or ""),
            self.what_next_panel(link, nr),
            steps,
            more,
            not nr.route.steps,
            highlight_data(nr, self.edge_ids),
            no_update,
        )

    # -- the print view -----------------------------------------------------------------------
    def print_content(self, search: str | None, href: str | None) -> html.Div:
        rm = self.rm
        link = parse_link(rm, search)
        back = "/adviser" + encode(link.pairs)
        actions = html.P(
            [
                html.Button(
                    "Print this page",
                    type="button",
                    className="rm-button",
                    **{"data-print": "true"},
                ),
                " ",
                C.link("Back to the adviser view", back, cls="rm-button rm-button--secondary"),
            ],
            className="rm-print__actions",
        )
        if not link.ok:
            problems = link.problems or [problem("no_answers", LINK)]
            return doc_root(
                [
                    actions,
                    html.H1("Route and progress", className="rm-heading-l"),
                    error_summary(self.rm, "There is a problem with this link", problems, link),
                ],
                "Print view",
                "error",
            )
        nr = what_next(rm, link.profile)
        rows = []
        steps = {s.station: s for s in nr.route.steps}
        for entry in nr.states:
            st = rm.stations[entry.station]
            state = entry.state
            text = STATE_TEXT[state]
            if state == "cannot_start_yet":
                text += " (after " + ", ".join(entry.blocked_by_names) + ")"
            elif state == "skipped" and entry.note:
                text += f": {shorten(entry.note, 80)}"
            forms = ", ".join(d.code for d in st.documents if d.code)
            rows.append(
                html.Tr(
                    [
                        html.Td(str(entry.number)),
                        html.Td(
                            [
                                st.name,
                                html.Span(f" ({forms})", className="rm-muted") if forms else None,
                            ]
                        ),
                        html.Td(TOPIC_TEXT[steps[entry.station].topic]),
                        html.Td(text, className=f"rm-print__state rm-print__state--{state}"),
                    ]
                )
            )
        can = [
            html.Li([html.Strong(c.name), ": ", "; ".join(needs_words(c))]) for c in nr.can_start
        ]
        weak = [
            html.Li(
                [
                    html.Strong(w.name),
                    f" ({w.percent}%, {w.level})",
                    (": support: " + ", ".join(s.name for s in w.support)) if w.support else "",
                ]
            )
            for w in nr.weakest_areas
        ]
        not_sure = [
            html.Li([x.text, " (", " or ".join(x.labels), " would change the route)"])
            for x in nr.not_sure
        ]
        deadlines = [html.Li([html.Strong(d.name), ": ", d.deadline]) for d in nr.deadlines]
        nexts: list = [html.H2("What next", className="rm-print__h2")]
        if can:
            nexts += [html.H3("Can start now", className="rm-print__h3"), html.Ul(can)]
        if deadlines:
            nexts += [html.H3("Deadlines", className="rm-print__h3"), html.Ul(deadlines)]
        if not_sure:
            nexts += [
                html.H3("Still ‘not sure’, and would change the route", className="rm-print__h3"),
                html.Ul(not_sure),
            ]
        if weak:
            nexts += [html.H3("Weakest readiness areas", className="rm-print__h3"), html.Ul(weak)]
        for note in nr.notes:
            nexts.append(html.P(note, className="rm-print__note"))
        p = nr.progress
        return doc_root(
            [
                actions,
                html.Div(
                    [
                        html.H1(
                            [
                                "Route and progress: ",
                                route_title(nr.route),
                            ],
                            className="rm-print__title",
                        ),
                        html.P(answers_line(rm, link), className="rm-print__answers"),
                        html.P(
                            [html.Strong(progress_sentence(p)), ". ", progress_details(p)],
                            className="rm-print__progress",
                        ),
                        html.Table(
                            [
                                html.Thead(
                                    html.Tr(
                                        [
                                            html.Th("#"),
                                            html.Th("Step (form codes)"),
                                            html.Th("What it is about"),
                                            html.Th("Progress"),
                                        ]
                                    )
                                ),
                                html.Tbody(rows),
                            ],
                            className="rm-print__table",
                        ),
                        html.Div(nexts, className="rm-print__next"),
                        html.P(
                            [
                                f"Printed {dt.date.today():%d %B %Y}. Facts last checked "
                                f"{rm.info.facts_checked}. This map signposts routes and sources; "
                                "it is not legal advice. Link: ",
                                html.Span(href or back, className="rm-print__link"),
                            ],
                            className="rm-print__footer",
                        ),
                    ],
                    # dense type when the table and what next would not fit one A4 page
                    className="rm-print"
                    + (
                        " rm-print--dense"
                        if len(rows) + len(can) + len(not_sure) + len(weak) + len(deadlines) > 30
                        else ""
                    ),
                    id="print-sheet",
                ),
            ],
            "Print view: route and progress",
            "none",
        )

    # -- callbacks -------------------------------------------------------------------------
    def register_callbacks(self, app: Dash) -> None:
        rm = self.rm

        @app.callback(
            Output("ad-top", "children"),
            Output("ad-summary", "children"),
            Output("ad-next", "children"),
            Output("ad-steps", "children"),
            Output("ad-more", "children"),
            Output("ad-map-wrap", "hidden"),
            Output("ad-highlight", "data"),
            Output("ad-paste", "value"),
            Input("url", "pathname"),
            Input("url", "search"),
            State("url", "href"),
        )
        def adviser(pathname, search, _href):
            if normalise(pathname) != "/adviser":
                return (no_update,) * 8
            return self.content(search, full_link("/adviser", search))

        app.clientside_callback(
            ClientsideFunction("routemap", "routeHighlight"),
            Output("ad-sink", "data"),
            Input("ad-highlight", "data"),
        )

        @app.callback(
            Output("pr-content", "children"),
            Input("url", "pathname"),
            Input("url", "search"),
            State("url", "href"),
        )
        def print_view(pathname, search, _href):
            if normalise(pathname) != "/adviser/print":
                return no_update
            return self.print_content(search, full_link("/adviser/print", search))

        @app.callback(
            Output("url", "search", allow_duplicate=True),
            Output("ad-paste-error", "children"),
            Input("ad-open", "n_clicks"),
            Input("ad-paste", "n_submit"),
            State("ad-paste", "value"),
            prevent_initial_call=True,
        )
        def open_link(clicks, submits, value):
            if not clicks and not submits:
                return no_update, no_update
            query, problem = query_of_pasted(value or "")
            if problem:
                return no_update, html.P(["Error: ", problem], className="rm-error-message")
            link = parse_link(rm, query)
            if not link.ok:
                return no_update, html.Div(
                    [
                        html.P(
                            "Error: that link has problems (the box keeps it to edit):",
                            className="rm-error-message",
                        ),
                        html.Ul(
                            [
                                html.Li([html.Strong(page_subject(p, rm)), ": ", page_words(p, rm)])
                                for p in link.problems[:20]
                            ],
                            className="rm-list rm-list--bullet",
                        ),
                    ]
                )
            return profile_query(rm, link.profile), html.P("Link opened.", className="rm-body")

        @app.callback(
            Output("url", "search", allow_duplicate=True),
            Input({"type": "ad-progress", "station": ALL, "state": ALL}, "n_clicks"),
            State("url", "search"),
            prevent_initial_call=True,
        )
        def set_progress(clicks, search):
            trigger = ctx.triggered_id
            if not trigger or not ctx.triggered or not ctx.triggered[0].get("value"):
                return no_update
            link = parse_link(rm, search)
            if not link.ok or trigger["station"] not in rm.stations:
                return no_update
            profile = with_progress(link.profile, trigger["station"], trigger["state"])
            return profile_query(rm, profile)

        @app.callback(
            Output("url", "search", allow_duplicate=True),
            Input({"type": "ad-note-save", "station": ALL}, "n_clicks"),
            Input({"type": "ad-note", "station": ALL}, "n_submit"),
            State({"type": "ad-note", "station": ALL}, "value"),
            State({"type": "ad-note", "station": ALL}, "id"),
            State("url", "search"),
            prevent_initial_call=True,
        )
        def save_note(clicks, submits, values, ids, search):
            trigger = ctx.triggered_id
            if not trigger or not ctx.triggered or not ctx.triggered[0].get("value"):
                return no_update
            sid = trigger["station"]
            notes = {i["station"]: v for i, v in zip(ids, values, strict=False)}
            link = parse_link(rm, search)
            if not link.ok or sid not in notes:
                return no_update
            note = " ".join(str(notes[sid] or "").split())[:MAX_NOTE]
            profile = with_progress(link.profile, sid, "skipped", note)
            return profile_query(rm, profile)

        register_file_loader(app, rm, "ad", "/adviser")
