"""The personalised route in the app: the questions, check your answers, and the route page.

Pages (every one is its URL: answers travel as named query parameters, ``answerlink.py``):

- ``/route`` with no parameters: the start page (what you will be asked; load an answers file);
- ``/route/questions/<question>?…``: one question per page. Each answer is a link that adds it
  to the URL and goes on to the next question, so the back button, a reload and a shared link
  all work; the number question has a box and a Continue button. "Not sure" is always there;
- ``/route/change/<question>?…``: the same question, coming back to check your answers;
- ``/route/check?…``: check your answers, with a Change link for each (later answers are kept:
  they are all in the link), and every problem with the link named with the allowed values;
- ``/route?…``: the route on the map (the rest faded) and as a numbered list with a reason for
  every step, readiness by area as a bar chart in words, what would change the route, why not
  the other lines, and downloads (the highlighted map, the checklist, the answers file).

The route map is a second Cytoscape (``#route-cy``) built from the same elements and
stylesheet as the map page; the route is drawn by toggling classes in the browser
(``assets/routemap.js``, ``routeMap``) from the ``rt-highlight`` store, never by resending
elements. All data text goes into components as text.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any
from urllib.parse import quote

from dash import ClientsideFunction, Dash, Input, Output, State, dcc, html, no_update

from ..core import RouteMap
from ..route.answerproblems import LIST_NAMES, page_subject, page_words
from ..route.nextsteps import what_next
from ..route.profile import NOT_SURE, PROGRESS_KEYS, AnswersError, Profile, check_answer
from ..route.rules import asked_questions
from ..route.whatif import compare
from . import components as C
from .answerlink import (
    LINK,
    NOTE_PREFIX,
    Link,
    Problem,
    answer_label,
    answers_json,
    encode,
    order_pairs,
    parse_link,
    profile_from_text,
    profile_query,
    shorten,
    with_value,
    without_origin,
)
from .cyto import HIGHLIGHT, INK, elements, stylesheet
from .pages import Page, Router, normalise
from .routeparts import (
    answer_effects_panel,
    areas_to_work_on,
    choices_panel,
    estimate_panel,
    futures_panel,
    highlight_data,
    left_off_panel,
    nearest_panel,
    not_sure_panel,
    readiness_chart,
    route_sentence,
    route_title,
    step_items,
    whatif_panel,
)

QUESTION_PATH = re.compile(r"^/route/(questions|change)/([^/]+)$")
EXPORT_LABELS = [
    ("svg", "Map with your route (SVG)"),
    ("png", "Map with your route (PNG image)"),
    ("pdf", "Map with your route (PDF, A3)"),
    ("html", "Map with your route (offline web page)"),
    ("md", "Checklist (Markdown)"),
    ("csv", "Checklist (CSV, for a spreadsheet)"),
]


def known_question_path(rm: RouteMap, path: str) -> bool:
    """False for /route/questions/<id> or /route/change/<id> with no such question (a 404)."""
    m = QUESTION_PATH.match(normalise(path))
    return m is None or m.group(2) in rm.questions


# ---- the map with a route on it -------------------------------------------------------------
def route_stylesheet(rm: RouteMap) -> list[dict[str, Any]]:
    """The map's stylesheet plus the route's classes (toggled in the browser)."""
    width = rm.geometry.params["line_width"]
    return stylesheet(rm) + [
        {"selector": "node.rm-faded", "style": {"opacity": 0.2}},
        {"selector": "edge.rm-faded", "style": {"opacity": 0.1}},
        {"selector": "edge.rm-route", "style": {"z-index": 5, "opacity": 1, "width": width * 1.5}},
        # done or in place: filled; in progress: half filled; skipped:
        # a double ring. The list says each state in words.
        {"selector": "node.rm-done", "style": {"background-color": INK}},
        {
            "selector": "node.rm-in-progress",
            "style": {
                "pie-size": "100%",
                "pie-1-background-color": INK,
                "pie-1-background-size": 50,
                "pie-2-background-color": "#ffffff",
                "pie-2-background-size": 50,
            },
        },
        {"selector": "node.rm-not-needed", "style": {"border-style": "dotted", "opacity": 0.55}},
        {"selector": "node.rm-skipped", "style": {"border-style": "double", "border-width": 5}},
        {
            "selector": "node.rm-next",
            "style": {
                "underlay-color": HIGHLIGHT,
                "underlay-opacity": 1,
                "underlay-padding": 6,
                "underlay-shape": "ellipse",
            },
        },
        {
            "selector": "node.rm-focus",
            "style": {
                "underlay-color": INK,
                "underlay-opacity": 0.25,
                "underlay-padding": 9,
                "z-index": 10,
            },
        },
    ]


def route_map(rm: RouteMap, els: list, sheet: list, label: str) -> html.Div:
    graph = C.map_graph(
        "route-cy",
        els,
        sheet,
        # no fit here: the map may start hidden (no size); the browser sets the view
        layout={"fit": False},
    )
    return html.Div(
        [
            C.map_controls("data-route-action", "Show the whole route"),
            html.Div(
                graph,
                id="route-map-canvas",
                className="rm-map-canvas rm-route-canvas",
                role="img",
                **{"aria-label": label},
            ),
        ],
        className="rm-map-frame",
    )


def route_layout(
    rm: RouteMap, prefix: str, heading: str, label: str, drawing: tuple[list, list] | None
) -> html.Div:
    """The route's list beside its map (hidden until there is a route): the route page and
    the adviser view share it; ``prefix`` names their ids (``<prefix>-steps``,
    ``<prefix>-map-wrap``). ``drawing``: the map's elements and stylesheet (None for the
    empty shell Dash validates callbacks against)."""
    els, sheet = drawing or ([], [])
    return html.Div(
        [
            html.Div(id=f"{prefix}-steps", className="rm-route-list"),
            html.Div(
                [
                    html.H2(heading, className="rm-heading-m"),
                    route_map(rm, els, sheet, label),
                    map_key(rm),
                ],
                id=f"{prefix}-map-wrap",
                className="rm-route-map",
                hidden=True,
            ),
        ],
        className="rm-route-layout",
    )


def map_key(rm: RouteMap) -> html.Ul:
    """What the marks on the route map mean (in words, beside each mark)."""
    items = [
        ("rm-key--route", "Your route: the other lines are faded"),
        ("rm-key--done", "Filled: done or already in place"),
        ("rm-key--in-progress", "Half filled: in progress"),
        ("rm-key--next", "Yellow ring: can start now"),
        ("rm-key--skipped", "Double ring: skipped by choice"),
    ]
    return html.Ul(
        [html.Li(text, className=f"rm-key__item {cls}") for cls, text in items],
        className="rm-key",
        **{"aria-label": "What the marks on the map mean"},
    )


# ---- small pieces ---------------------------------------------------------------------------
def data_href(text: str, media: str = "application/json") -> str:
    return f"data:{media};charset=utf-8," + quote(text, safe="")


def doc_root(children: list, title: str, focus: str = "heading", cls: str = "") -> html.Div:
    """A page's content: ``data-doc-title`` sets the document title and ``data-focus`` says
    where focus goes after an in-app navigation (``assets/routemap.js``)."""
    return html.Div(
        children,
        className=("rm-content " + cls).strip(),
        **{"data-doc-title": title, "data-focus": focus},
    )


def problem_item(
    rm: RouteMap, problem: Problem, link: Link, fix: str | None, fix_text: str
) -> html.Li:
    given = link.given(problem.key)
    said = [" (the link says “", shorten(given), "”)"] if given not in (None, "") else []
    body: list = [
        html.Strong(page_subject(problem, rm)),
        *said,
        ": ",
        page_words(problem, rm),
    ]
    if fix:
        body += [" ", C.link(fix_text, fix)]
    return html.Li(body)


def error_summary(
    rm: RouteMap,
    title: str,
    problems: list[Problem],
    link: Link,
    fix: Callable[[Problem], tuple[str | None, str]] | None = None,
    intro: str | None = None,
) -> html.Div:
    items = []
    for p in problems:
        href, text = fix(p) if fix else (None, "")
        items.append(problem_item(rm, p, link, href, text))
    return html.Div(
        [
            html.H2(title, className="rm-error-summary__title", id="error-summary-title"),
            html.P(intro, className="rm-body") if intro else None,
            html.Ul(items, className="rm-list rm-error-summary__list"),
        ],
        className="rm-error-summary",
        role="alert",
        tabIndex=-1,
        **{"aria-labelledby": "error-summary-title", "data-error-summary": "true"},
    )


def drop_id(rm: RouteMap, pairs, key: str, sid: str) -> list[tuple[str, str]]:
    """The pairs with one station taken out of the progress list ``key``."""
    out = []
    for k, v in pairs:
        if k == key:
            ids = [s for s in re.split(r"[,\s]+", v) if s and s != sid]
            if ids:
                out.append((k, ",".join(ids)))
        elif not (key == "skipped" and k == NOTE_PREFIX + sid):
            out.append((k, v))
    return out


def fixer(rm: RouteMap, pairs, base: str) -> Callable[[Problem], tuple[str | None, str]]:
    """For each problem with a link, a link that fixes it (or the question to answer), keeping
    everything else as it was given. The fix is chosen by the problem's code and location,
    never by its words."""

    def fix(p: Problem) -> tuple[str | None, str]:
        key = p.location
        if key in rm.questions and p.code != "given_twice":
            return f"/route/change/{key}{encode(pairs)}", "Change this answer"
        if key == LINK:
            return None, ""
        if p.code == "given_twice":
            first = next((v for k, v in pairs if k == key), None)
            return base + encode(with_value(rm, pairs, key, first)), "Keep the first"
        if key in PROGRESS_KEYS and p.code in ("unknown_station", "station_in_two_lists"):
            sid = p.param("station")
            if p.code == "unknown_station":
                targets = [key]
            else:  # a station in two lists: the later state gives way to the earlier
                targets = ["in_progress", "skipped"] if key == "done" else ["skipped"]
                holding = {k for k, v in pairs if sid in re.split(r"[,\s]+", v)}
                targets = [t for t in targets if t in holding] or targets
            new = list(pairs)
            for target in targets:
                new = drop_id(rm, new, target, sid)
            st = rm.stations.get(sid)
            name = f"“{st.name}”" if st else f"“{sid}”"
            lists = " and ".join(f"the {LIST_NAMES[t]}" for t in targets)
            return base + encode(new), f"Take {name} out of {lists}"
        return base + encode(with_value(rm, pairs, key, None)), "Remove it"

    return fix


def load_answers(prefix: str, label: str = "Load answers from a file") -> html.Div:
    """A button that reads an answers file in the browser (``assets/routemap.js``) and hands
    its text to the ``<prefix>-file`` store; the server checks it."""
    return html.Div(
        [
            dcc.Store(id=f"{prefix}-file"),
            html.Button(
                label,
                type="button",
                className="rm-button rm-button--secondary",
                **{"data-load-answers": f"{prefix}-file"},
            ),
            html.Div(id=f"{prefix}-file-error", role="status"),
        ],
        className="rm-load",
    )


def download_answers(rm: RouteMap, profile: Profile, text: str = "Download your answers") -> html.A:
    return html.A(
        text,
        href=data_href(answers_json(rm, profile)),
        download="routemap-answers.json",
        className="rm-button rm-button--secondary",
        id="download-answers",
    )


def export_links(rm: RouteMap, profile: Profile) -> html.Div:
    query = profile_query(rm, profile)
    query = query.replace("?", "&", 1) if query else ""
    # notes on skipped stations stay in the answers file: the export takes answers and lists
    query = "&".join(p for p in query.split("&") if not p.startswith("note_"))
    items = [
        html.Li(
            html.A(
                text,
                href=f"/api/v1/export?format={fmt}{query}",
                download=f"routemap-{'checklist' if fmt in ('md', 'csv') else 'route'}.{fmt}",
                className="rm-link",
            )
        )
        for fmt, text in EXPORT_LABELS
    ]
    return html.Div(
        [
            html.H2("Download", className="rm-heading-m", id="downloads"),
            html.P(
                "The same files as the command line's export, for a case file or a meeting.",
                className="rm-body",
            ),
            html.Ul(items, className="rm-list rm-list--bullet"),
            html.P(download_answers(rm, profile, "Download your answers (JSON)")),
            html.H3("The whole map, without your route", className="rm-heading-s"),
            C.map_downloads(),
        ],
        className="rm-downloads",
    )


def what_ifs(rm: RouteMap, profile: Profile) -> list:
    """Each given answer changed to each other answer, one at a time (numbers: the values
    where a rule changes)."""
    from ..route.compose import probes

    out = []
    for qid in sorted(profile.given, key=list(rm.questions).index):
        for value in probes(rm, qid):
            if value != profile.value(qid) and value != NOT_SURE:
                out.append(compare(rm, profile, qid, value))
    return out


# ---- the pages ----------------------------------------------------------------------------------
class RoutePages:
    """The questionnaire, check your answers and the route page."""

    def __init__(self, rm: RouteMap, map_elements: list | None = None):
        self.rm = rm
        self.qids = list(rm.questions)
        self.elements = map_elements if map_elements is not None else elements(rm)
        self.sheet = route_stylesheet(rm)
        self.edge_ids = {e["data"]["id"] for e in self.elements if e["group"] == "edges"}

    # -- registration ------------------------------------------------------------------------
    def register(self, router: Router) -> None:
        router.register(
            Page(
                key="questions",
                title="Questions",
                render=lambda _p: self.questions_shell(),
                exact=("/route/check",),
                prefixes=("/route/questions/", "/route/change/"),
            )
        )
        router.register(
            Page(
                key="route",
                title="Your route",
                render=lambda _p: self.route_shell(),
                exact=("/route",),
                nav="Your route",
            )
        )

    def questions_shell(self, light: bool = False) -> html.Div:
        return html.Div(html.Div(id="rq-content"), className="rm-readable rm-questions")

    def route_shell(self, light: bool = False) -> html.Div:
        label = (
            "Map of your route: the stations of your route are highlighted and every other "
            "line is faded. The same route is listed step by step."
        )
        return html.Div(
            [
                dcc.Store(id="rt-highlight"),
                dcc.Store(id="rt-sink"),
                html.Div(id="rt-top"),
                route_layout(
                    self.rm,
                    "rt",
                    "Your route on the map",
                    label,
                    None if light else (self.elements, self.sheet),
                ),
                html.Div(id="rt-more"),
            ],
            className="rm-route-page",
        )

    def validation(self) -> list:
        """Every id a callback here uses, for Dash's callback validation."""
        return [
            self.questions_shell(light=True),
            self.route_shell(light=True),
            dcc.Input(id="rq-number"),
            html.Button(id="rq-number-continue"),
            html.Span(id="rq-number-error"),
            html.Div(id="rq-number-group"),
            load_answers("rq"),
            load_answers("rt"),
        ]

    # -- the questionnaire -------------------------------------------------------------------
    def question_href(self, qid: str, pairs, change: bool = False) -> str:
        kind = "change" if change else "questions"
        return f"/route/{kind}/{qid}{encode(order_pairs(self.rm, pairs))}"

    def asked(self, pairs, qid: str | None = None) -> list[str]:
        """The questions asked, in order, with the answers in ``pairs``: a question that only
        some answers call for (``asked_when``) is skipped otherwise. ``qid``: the one shown."""
        given: dict[str, str] = {}
        for k, v in pairs:
            given.setdefault(k, v)
        return asked_questions(self.rm, given, include=qid)

    def after(self, qid: str, pairs, change: bool) -> str:
        """Where answering ``qid`` goes: the next question asked, or check your answers."""
        qids = self.asked(pairs, qid)
        i = qids.index(qid)
        if change or i + 1 >= len(qids):
            return f"/route/check{encode(order_pairs(self.rm, pairs))}"
        return self.question_href(qids[i + 1], pairs)

    def before(self, qid: str, pairs, change: bool) -> str:
        """Where "Back" goes from ``qid``: check your answers when changing one, else the
        question asked before it, else the route's start page."""
        qids = self.asked(pairs, qid)
        i = qids.index(qid)
        if change:
            return f"/route/check{encode(pairs)}"
        if i > 0:
            return self.question_href(qids[i - 1], pairs)
        return "/route" + encode(pairs)

    def question_page(self, qid: str, change: bool, search: str | None) -> html.Div:
        rm = self.rm
        if qid not in rm.questions:
            return doc_root(
                [
                    html.H1("Question not found", className="rm-heading-xl"),
                    html.P(
                        "There is no question at this address. Start from the first question.",
                        className="rm-body",
                    ),
                    html.P(
                        C.link("Go to the first question", self.question_href(self.qids[0], []))
                    ),
                ],
                "Question not found",
            )
        link = parse_link(rm, search)
        pairs = link.pairs
        q = rm.questions[qid]
        qids = self.asked(pairs, qid)
        i = qids.index(qid)
        current = link.given(qid)
        own = link.problem_for(qid)
        others = [p for p in link.problems if p.key != qid]
        back = self.before(qid, pairs, change)
        area = rm.areas[q.area].name
        out: list = [
            C.link("Back", back, cls="rm-back-link"),
            error_summary(
                self.rm,
                "There is a problem with the link",
                others,
                link,
                intro="The rest of the link is kept as it is: fix these on the check answers page.",
            )
            if others
            else None,
            html.P(f"Question {i + 1} of {len(qids)} · {area}", className="rm-caption"),
            html.H1(q.text, className="rm-heading-l", id="question-heading", tabIndex=-1),
            html.P(q.hint, className="rm-hint", id="question-hint"),
        ]
        if own:
            out.append(
                html.P(
                    [
                        "Error: ",
                        own.message.capitalize() if own else "",
                        f" (the link says “{shorten(current)}”)." if current else ".",
                    ],
                    className="rm-error-message",
                    id="question-error",
                )
            )
        if q.kind == "number":
            out.append(self.number_form(q, current, own, pairs, change))
        elif q.kind == "several":
            out.append(self.several_form(q, current, pairs, change))
        else:
            out.append(self.choices(q, current, pairs, change))
        skip = self.after(qid, pairs, change)
        if change:
            onward: list = [C.link("Back to your answers", skip)]
        elif current is not None and not own:
            onward = [C.link("Continue with this answer", skip)]
        else:
            onward = [
                C.link("Skip this question", skip),
                html.Span(" (a question you skip counts as not sure)", className="rm-muted"),
            ]
        out.append(html.P(onward, className="rm-body rm-skip"))
        return doc_root(out, f"{q.text} ({i + 1} of {len(qids)})")

    def several_form(self, q, current: str | None, pairs, change: bool) -> html.Div:
        """Several answers are ticked on the question's plain page (its form posts the boxes
        and is checked there): this view lists them, with the answers given, and links to it."""
        ticked = set((current or "").split(","))
        kind = "change" if change else "questions"
        return html.Div(
            [
                html.Ul(
                    [
                        html.Li([o.label, " (your answer)" if o.value in ticked else ""])
                        for o in q.options
                    ],
                    className="rm-list rm-list--bullet",
                ),
                C.link(
                    "Tick the answers that apply",
                    f"/route/{kind}/{q.id}{encode(order_pairs(self.rm, pairs))}",
                ),
            ]
        )

    def choices(self, q, current: str | None, pairs, change: bool) -> html.Div:
        rm = self.rm
        options = [(o.value, o.label) for o in q.options if o.value != NOT_SURE]
        items = []
        for value, label in options + [(NOT_SURE, "Not sure")]:
            chosen = current == value
            href = self.after(q.id, with_value(rm, pairs, q.id, value), change)
            if value == NOT_SURE:
                items.append(html.Li("or", className="rm-choices__or", **{"aria-hidden": "true"}))
            items.append(
                html.Li(
                    html.A(
                        [
                            html.Span(className="rm-choice__mark", **{"aria-hidden": "true"}),
                            html.Span(label, className="rm-choice__label"),
                            html.Span(" (your answer)", className="rm-choice__current")
                            if chosen
                            else None,
                        ],
                        href=href,
                        className="rm-choice js-nav" + (" rm-choice--chosen" if chosen else ""),
                        **({"aria-current": "true"} if chosen else {}),
                        **{"data-value": value},
                    )
                )
            )
        return html.Div(
            [
                html.P("Choose one:", className="rm-body rm-vh", id="choices-label"),
                html.Ul(
                    items,
                    className="rm-choices",
                    **{"aria-labelledby": "question-heading", "aria-describedby": "question-hint"},
                ),
            ]
        )

    def number_form(self, q, current: str | None, own: Problem | None, pairs, change) -> html.Div:
        rm = self.rm
        value = "" if current in (None, NOT_SURE) else current
        return html.Div(
            [
                html.Div(
                    [
                        # dcc.Input takes no aria-describedby: the error is in the label
                        html.Label(
                            [
                                "Number of staff" if "staff" in q.id else "A whole number",
                                html.Span(
                                    "Error: " + own.message.capitalize() if own else None,
                                    id="rq-number-error",
                                    className="rm-error-message",
                                    role="status",
                                ),
                            ],
                            htmlFor="rq-number",
                            className="rm-label",
                        ),
                        dcc.Input(
                            id="rq-number",
                            type="text",
                            inputMode="numeric",
                            autoComplete="off",
                            value=value,
                            maxLength=12,
                            spellCheck=False,
                            className="rm-input rm-input--number",
                        ),
                    ],
                    id="rq-number-group",
                    className="rm-form-group" + (" rm-form-group--error" if own else ""),
                ),
                html.Button(
                    "Continue",
                    id="rq-number-continue",
                    n_clicks=0,
                    className="rm-button",
                    type="button",
                ),
                html.P("or", className="rm-choices__or"),
                html.P(
                    html.A(
                        "Not sure",
                        href=self.after(q.id, with_value(rm, pairs, q.id, NOT_SURE), change),
                        className="rm-choice js-nav rm-choice--single",
                        id="rq-number-not-sure",
                        **{"data-value": NOT_SURE},
                    )
                ),
            ],
            className="rm-number-form",
        )

    def check_page(self, search: str | None) -> html.Div:
        rm = self.rm
        link = parse_link(rm, search)
        pairs = link.pairs

        fix = fixer(rm, pairs, "/route/check")
        adviser = link.origin == "adviser"
        title = "Check the applicant's answers" if adviser else "Check your answers"

        rows = []
        asked = set(self.asked(pairs))
        for qid, q in rm.questions.items():
            given = link.given(qid)
            if qid not in asked and given is None:
                continue  # a question these answers do not call for
            problem = link.problem_for(qid)
            if problem:
                value: Any = html.Span(
                    ["“", shorten(given or ""), "” is not an answer: ", page_words(problem, rm)],
                    className="rm-error-message",
                )
            elif given is None:
                value = html.Span("Not answered (counts as not sure)", className="rm-muted")
            else:
                value = answer_label(rm, qid, check_answer(rm, qid, given)[0] or given)
            rows.append(
                html.Div(
                    [
                        html.Dt(q.text, className="rm-check__key"),
                        html.Dd(value, className="rm-check__value"),
                        html.Dd(
                            C.link(
                                [
                                    "Change",
                                    html.Span(f" your answer to: {q.text}", className="rm-vh"),
                                ],
                                self.question_href(qid, pairs, change=True),
                            ),
                            className="rm-check__action",
                        ),
                    ],
                    className="rm-check__row",
                )
            )
        out: list = [
            C.link("Back", self.question_href(self.asked(pairs)[-1], pairs), cls="rm-back-link"),
            html.H1(title, className="rm-heading-xl", id="check-heading", tabIndex=-1),
        ]
        if link.problems:
            out.append(
                error_summary(
                    self.rm,
                    "There is a problem with the link",
                    link.problems,
                    link,
                    fix,
                    intro="Everything else in the link is kept. Fix or remove each of these "
                    "to see your route.",
                )
            )
        out.append(html.Dl(rows, className="rm-check"))
        profile = link.profile
        if (
            not adviser
            and profile is not None
            and (profile.done or profile.in_progress or profile.skipped)
        ):
            out.append(
                html.P(
                    [
                        f"This link also holds progress: {len(profile.done)} done, "
                        f"{len(profile.in_progress)} in progress, {len(profile.skipped)} skipped. "
                        "It is kept; the ",
                        C.link("adviser view", "/adviser" + encode(pairs)),
                        " shows and changes it.",
                    ],
                    className="rm-body rm-inset",
                )
            )
        if link.ok:
            target = (
                ("Back to the adviser view", "/adviser")
                if adviser
                else ("See your route", "/route")
            )
            out.append(
                html.Div(
                    [
                        html.A(
                            target[0],
                            href=target[1] + encode(without_origin(pairs)),
                            className="rm-button js-nav",
                            id="see-route",
                        ),
                        download_answers(
                            rm,
                            profile,
                            "Download their answers" if adviser else "Download your answers",
                        ),
                    ],
                    className="rm-button-group",
                )
            )
        else:
            out.append(
                html.P(
                    "Fix the problems above to go back to the adviser view."
                    if adviser
                    else "Fix the problems above to see your route.",
                    className="rm-body",
                )
            )
        out.append(load_answers("rq"))
        out.append(
            html.P(
                C.link("Start again with no answers", self.question_href(self.qids[0], [])),
                className="rm-body",
            )
        )
        return doc_root(out, title, "error" if link.problems else "heading")

    # -- the route page ----------------------------------------------------------------------
    def start_page(self) -> list:
        n = len(self.asked([]))
        return [
            doc_root(
                [
                    html.H1(
                        "Find your route to becoming a mutual",
                        className="rm-heading-xl",
                        tabIndex=-1,
                    ),
                    html.P(
                        f"Answer {n} short questions about your service and your team. You get "
                        "your route on the map, a reason for every step, what would change it, "
                        "and how ready you are in each area.",
                        className="rm-body rm-lead",
                    ),
                    html.Ul(
                        [
                            html.Li("‘Not sure’ is always an answer; you can change any answer."),
                            html.Li("It takes about 5 minutes."),
                            html.Li(
                                "Nothing is stored on the server: your answers are in the page's "
                                "address. Bookmark it or send it to an adviser."
                            ),
                        ],
                        className="rm-list rm-list--bullet",
                    ),
                    html.A(
                        "Start now",
                        href=self.question_href(self.qids[0], []),
                        className="rm-button rm-button--start js-nav",
                        id="start-now",
                        role="button",
                    ),
                    html.H2("Already answered?", className="rm-heading-m"),
                    html.P(
                        "Load the answers file you downloaded before (JSON or YAML, the same "
                        "file the command line reads).",
                        className="rm-body",
                    ),
                    load_answers("rt"),
                ],
                "Find your route",
            )
        ]

    def route_content(self, search: str | None):
        """(top, steps, more, map hidden, highlight) for /route?…"""
        rm = self.rm
        link = parse_link(rm, search)
        if link.empty:
            return self.start_page(), [], [], True, None
        pairs = link.pairs
        if not link.ok:
            fix = fixer(rm, pairs, "/route")

            top = doc_root(
                [
                    html.H1("Your route", className="rm-heading-xl"),
                    error_summary(
                        self.rm,
                        "There is a problem with the link",
                        link.problems,
                        link,
                        fix,
                        intro="The link is kept as it is. Change or remove each of these, or "
                        "check all your answers.",
                    ),
                    html.P(
                        C.link("Check your answers", f"/route/check{encode(pairs)}"),
                        className="rm-body",
                    ),
                ],
                "Problem with the link: your route",
                "error",
            )
            return [top], [], [], True, None
        profile = link.profile
        nr = what_next(rm, profile)
        result = nr.route
        title = route_title(result)
        top_children: list = [
            html.P("Your route", className="rm-caption"),
            html.H1(title, className="rm-heading-xl", id="route-heading", tabIndex=-1),
            html.P(route_sentence(result), className="rm-body rm-lead", id="route-summary"),
            html.Div(nearest_panel(rm, result, pairs), className="rm-readable"),
            html.Div(
                [
                    C.link(
                        "Change your answers",
                        f"/route/check{encode(pairs)}",
                        cls="rm-button rm-button--secondary",
                    ),
                    C.link(
                        "Open in the adviser view",
                        "/adviser" + encode(pairs),
                        cls="rm-button rm-button--secondary",
                    ),
                    download_answers(rm, profile),
                ],
                className="rm-button-group",
            ),
            html.P(
                "This page's address holds your answers: bookmark it, or send it to an "
                "adviser, and the same route opens.",
                className="rm-body rm-muted",
            ),
            html.Div(choices_panel(result), className="rm-readable"),
        ]
        top = doc_root(top_children, "Your route: " + title)
        steps = []
        if result.steps:
            steps = [
                html.H2("Your route, step by step", className="rm-heading-m", id="steps-heading"),
                html.P(
                    "Every step says why it is on your route. Select a step for its forms, "
                    "costs and sources.",
                    className="rm-body",
                ),
                html.Ol(
                    step_items(rm, nr, details=False),
                    className="rm-steps",
                    id="route-steps",
                    **{"aria-labelledby": "steps-heading"},
                ),
            ]
        more = [
            html.Div(
                [*futures_panel(result), *estimate_panel(result), *left_off_panel(result)],
                className="rm-readable",
            ),
            html.Div(
                [
                    html.Div(readiness_chart(result.readiness), className="rm-col"),
                    html.Div(
                        [
                            areas_to_work_on(rm, nr.weakest_areas),
                            not_sure_panel(nr, pairs),
                        ],
                        className="rm-col",
                    ),
                ],
                className="rm-two-cols",
            ),
            html.Div(
                [
                    *answer_effects_panel(result, pairs),
                    *whatif_panel(rm, what_ifs(rm, profile), pairs),
                ],
                className="rm-readable",
            ),
            export_links(rm, profile),
        ]
        highlight = highlight_data(nr, self.edge_ids)
        return [top], steps, more, not result.steps, highlight

    # -- callbacks -------------------------------------------------------------------------
    def register_callbacks(self, app: Dash) -> None:
        rm = self.rm

        @app.callback(
            Output("rq-content", "children"),
            Input("url", "pathname"),
            Input("url", "search"),
        )
        def questions(pathname, search):
            path = normalise(pathname)
            if path == "/route/check":
                return self.check_page(search)
            m = QUESTION_PATH.match(path)
            if not m:
                return no_update
            return self.question_page(m.group(2), m.group(1) == "change", search)

        @app.callback(
            Output("rt-top", "children"),
            Output("rt-steps", "children"),
            Output("rt-more", "children"),
            Output("rt-map-wrap", "hidden"),
            Output("rt-highlight", "data"),
            Input("url", "pathname"),
            Input("url", "search"),
        )
        def route(pathname, search):
            if normalise(pathname) != "/route":
                return (no_update,) * 5
            return self.route_content(search)

        app.clientside_callback(
            ClientsideFunction("routemap", "routeHighlight"),
            Output("rt-sink", "data"),
            Input("rt-highlight", "data"),
        )

        @app.callback(
            Output("url", "pathname", allow_duplicate=True),
            Output("url", "search", allow_duplicate=True),
            Output("rq-number-error", "children"),
            Output("rq-number-group", "className"),
            Input("rq-number-continue", "n_clicks"),
            Input("rq-number", "n_submit"),
            State("rq-number", "value"),
            State("url", "pathname"),
            State("url", "search"),
            prevent_initial_call=True,
        )
        def number_answer(clicks, submits, value, pathname, search):
            if not clicks and not submits:
                return no_update, no_update, no_update, no_update
            m = QUESTION_PATH.match(normalise(pathname))
            if not m or m.group(2) not in rm.questions:
                return no_update, no_update, no_update, no_update
            qid, change = m.group(2), m.group(1) == "change"
            text = (value or "").strip().replace(",", "")
            q = rm.questions[qid]
            low = q.minimum if q.minimum is not None else 0
            problem = None
            if not text:
                problem = "Enter a whole number, or choose Not sure"
            else:
                check = parse_link(rm, {qid: text})
                if check.problems:
                    problem = (
                        f"Enter a whole number from {low}"
                        + (f" to {q.maximum}" if q.maximum is not None else "")
                        + ", such as 40"
                    )
            if problem:
                return (
                    no_update,
                    no_update,
                    "Error: " + problem,
                    "rm-form-group rm-form-group--error",
                )
            pairs = parse_link(rm, search).pairs
            href = self.after(qid, with_value(rm, pairs, qid, str(int(text))), change)
            path, _, query = href.partition("?")
            return path, ("?" + query) if query else "", None, "rm-form-group"

        register_file_loader(app, rm, "rq", "/route")
        register_file_loader(app, rm, "rt", "/route")


def register_file_loader(app: Dash, rm: RouteMap, prefix: str, target: str) -> None:
    """An answers file read in the browser: its answers (and progress) become a link."""

    @app.callback(
        Output("url", "pathname", allow_duplicate=True),
        Output("url", "search", allow_duplicate=True),
        Output(f"{prefix}-file-error", "children"),
        Input(f"{prefix}-file", "data"),
        prevent_initial_call=True,
    )
    def load(data):
        if not isinstance(data, dict) or not isinstance(data.get("text"), str):
            return no_update, no_update, no_update
        name = str(data.get("name") or "the file")[:80]
        try:
            profile = profile_from_text(rm, data["text"], name)
        except AnswersError as exc:
            problems = exc.problems
            return (
                no_update,
                no_update,
                html.Div(
                    [
                        html.P(
                            f"That file could not be loaded ({shorten(name, 40)}):",
                            className="rm-error-message",
                        ),
                        html.Ul(
                            [
                                html.Li([html.Strong(page_subject(p, rm)), ": ", page_words(p, rm)])
                                for p in problems[:20]
                            ],
                            className="rm-list rm-list--bullet",
                        ),
                    ],
                    className="rm-load__error",
                ),
            )
        return target, profile_query(rm, profile), html.P("Answers loaded.", className="rm-body")
