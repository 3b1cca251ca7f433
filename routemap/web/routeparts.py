"""The route model's results as page parts: one clear function per part, over the typed
results only (``routemap.route.results``). The route page, the adviser view and the print
view use them; a server-rendered port renders the same models the same way.

Every word comes from the models (names, reasons, labels are already words); ids are used
only for links and ``data-`` attributes.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from dash import html

from ..core import RouteMap
from ..route import results as R
from . import components as C
from .answerlink import encode, with_value

STATE_TEXT = {
    "to_do": "To do",
    "done": "Done",
    "in_place": "Already in place",
    "in_progress": "In progress",
    "skipped": "Skipped by choice",
    "can_start": "Can start now",
    "cannot_start_yet": "Cannot start yet",
}
TOPIC_TEXT = {
    "start": "Getting started",
    "people": "Staff and unions",
    "decision": "The decision",
    "legal_form": "Legal form",
    "award": "How the work is awarded",
    "pension": "Pension",
    "registration": "Registration",
    "finance": "Finance",
    "set_up": "Setting up",
    "goal": "The goal",
    "first_year": "First year's duties",
}
LEVEL_CLASS = {
    "strong": "rm-bar--strong",
    "some work to do": "rm-bar--some",
    "work on this first": "rm-bar--first",
}


def _h(heading: str):
    return (html.H2, "rm-heading-m") if heading == "h2" else (html.H3, "rm-heading-s")


def tag(text: str, kind: str) -> html.Strong:
    return html.Strong(text, className=f"rm-tag rm-tag--{kind}")


# ---- the route in a sentence ----------------------------------------------------------------
def route_title(result: R.RouteResult) -> str:
    return result.heading


def route_sentence(result: R.RouteResult) -> str:
    if result.outcome != "route":
        return result.message
    award = result.choice("award")
    # the option's name as written (a proper name such as "Provider Selection Regime" keeps
    # its capitals), after a colon rather than lower-cased into the sentence
    how = f" How the work is awarded: {award.option_name}." if award and award.option_name else ""
    return (
        f"{result.step_count} steps to the new organisation running the service "
        f"and its first year's duties.{how}"
    )


def highlight_data(nr: R.NextResult, edge_ids: set[str]) -> dict[str, Any]:
    """What the browser needs to draw the route: its strokes, stations and their states."""
    d = nr.route.drawing
    if not nr.route.steps:
        return {"edges": [], "stations": [], "states": {}, "key": "", "here": None}
    edges = [eid for s in d.strokes if (eid := f"e-{s.line}--{s.source}--{s.target}") in edge_ids]
    states = {s.station: s.state for s in nr.states}
    key = "|".join(d.stations) + "#" + "|".join(edges)
    here = next(
        (s.station for s in nr.states if s.state in ("in_progress", "can_start")),
        nr.route.steps[0].station,
    )
    return {"edges": edges, "stations": d.stations, "states": states, "key": key, "here": here}


# ---- choices --------------------------------------------------------------------------------
def choices_panel(result: R.RouteResult, heading: str = "h2") -> html.Div:
    """The choices the route is made of, each with why, and every other option and why not."""
    H, cls = _h(heading)
    items = []
    for c in result.choices:
        if c.option_name:
            head: list = [html.Strong(c.name), ": ", c.option_name]
        elif c.undecided:
            head = [
                html.Strong(c.name),
                ": still to decide" if c.still_open else ": not decided yet",
            ]
        else:
            head = [html.Strong(c.name), ": nothing open with your answers"]
        why = [html.Li(r.text) for r in c.reasons]
        if c.undecided and not c.option_name:
            why.append(html.Li(c.undecided))
        others = [
            html.Li(
                [
                    html.Strong(o.name),
                    " (open, not chosen): " if o.open else " (closed to you): ",
                    o.why,
                ]
            )
            for o in c.others
        ]
        items.append(
            html.Li(
                [
                    html.P(head, className="rm-body rm-route-choice__head"),
                    html.Ul(why, className="rm-list rm-list--bullet") if why else None,
                    html.Details(
                        [
                            html.Summary(
                                "The other options, and why not", className="rm-details-link"
                            ),
                            html.Ul(others, className="rm-list rm-list--bullet rm-small"),
                        ]
                    )
                    if others
                    else None,
                ],
                className="rm-route-choice",
                **{"data-choice": c.choice},
            )
        )
    return html.Div(
        [
            H("Your choices", className=cls, id="choices-heading"),
            html.P(
                "Your route is made of these choices, each from your answers.",
                className="rm-body",
            ),
            html.Ul(items, className="rm-list rm-list--spaced", id="route-choices"),
        ]
    )


# ---- the steps ------------------------------------------------------------------------------
def reason_block(step: R.Step) -> list:
    """A step's reasons, one under another, and what goes wrong without it."""
    items = [html.Li(r.text) for r in step.reasons]
    if step.if_skipped:
        items.append(html.Li(["Without it: ", step.if_skipped]))
    return [html.Ul(items, className="rm-list rm-list--bullet rm-step__reasons")]


def step_items(
    rm: RouteMap,
    nr: R.NextResult,
    *,
    controls: Callable[[R.StepState], Any] | None = None,
    details: bool = True,
    fold_reasons: bool = False,
) -> list[html.Li]:
    """One item per step, numbered as everywhere, with its state in words and its reasons.
    ``controls`` (adviser): a way to change each step's progress."""
    states = {s.station: s for s in nr.states}
    items: list[html.Li] = []
    for step in nr.route.steps:
        line = rm.lines[step.line] if step.line else None  # None: a stop off the chosen lines
        entry = states[step.station]
        state = entry.state
        detail = None
        if details and state == "skipped":
            detail = f"Skipped by choice ({entry.note or 'no note'})."
        elif details and state == "cannot_start_yet":
            detail = "Waiting for: " + ", ".join(entry.blocked_by_names) + "."
        body = [
            C.link(step.name, f"/station/{step.station}", cls="rm-step__name"),
            html.P(
                [f"{TOPIC_TEXT[step.topic]} · ", tag(STATE_TEXT[state], state.replace("_", "-"))],
                className="rm-step__meta",
            ),
            html.P(detail, className="rm-step__detail") if detail else None,
            html.Details(
                [html.Summary("Why this step", className="rm-details-link"), *reason_block(step)],
                className="rm-step__why",
            )
            if fold_reasons
            else None,
            *([] if fold_reasons else reason_block(step)),
        ]
        if controls is not None:
            body.append(controls(entry))
        items.append(
            html.Li(
                [
                    html.Span(f"{step.number}.", className="rm-step__number"),
                    html.Div(body, className="rm-step__body"),
                ],
                id=f"step-{step.station}",
                className=f"rm-step rm-step--{state.replace('_', '-')}",
                style=C.line_style(line) if line else {},
                tabIndex=-1,
                **{"data-station": step.station},
            )
        )
    return items


# ---- after the steps ------------------------------------------------------------------------
def named_list(heading: str, rows: list[tuple[str, str]], hid: str | None = None) -> list:
    return [
        html.H2(heading, className="rm-heading-m", **({"id": hid} if hid else {})),
        html.Ul(
            [html.Li([html.Strong(name), ": ", text]) for name, text in rows],
            className="rm-list rm-list--spaced",
        ),
    ]


def left_off_panel(result: R.RouteResult) -> list:
    if not result.left_off:
        return []
    return named_list(
        "Stages left off your route, and why", [(x.name, x.reason) for x in result.left_off]
    )


def futures_panel(result: R.RouteResult) -> list:
    """What can happen when the first contract ends: after the goal, never instead of it."""
    if not result.futures:
        return []
    items = []
    for fu in result.futures:
        ex = [
            html.Li(f"{e.text} ({e.date})" if e.date else e.text, className="rm-small")
            for e in fu.examples
        ]
        items.append(
            html.Li(
                [
                    html.Strong(fu.name),
                    ": ",
                    fu.summary,
                    html.Ul(ex, className="rm-list rm-list--bullet") if ex else None,
                ]
            )
        )
    return [
        html.H2(
            "Possible futures when the first contract ends", className="rm-heading-m", id="futures"
        ),
        html.P(
            "Your route ends with the new organisation running the service. What happens at "
            "the end of its first contract is not decided by the route: these have happened to "
            "real mutuals.",
            className="rm-body",
        ),
        html.Ul(items, className="rm-list rm-list--spaced"),
    ]


def estimate_panel(result: R.RouteResult) -> list:
    est = result.estimate
    if not (est.journey or est.durations or est.fees):
        return []
    out: list = [
        html.H2("How long it takes and what it costs", className="rm-heading-m", id="estimate")
    ]
    if est.journey:
        out.append(
            html.Ul([html.Li(j.text) for j in est.journey], className="rm-list rm-list--bullet")
        )
    sections = (("Steps with a published duration", est.durations), ("Known fees", est.fees))
    for title, facts in sections:
        if facts:
            out += [
                html.H3(title, className="rm-heading-s"),
                html.Ul(
                    [html.Li([html.Strong(f.name), ": ", f.text]) for f in facts],
                    className="rm-list rm-list--bullet",
                ),
            ]
    if est.not_published:
        out.append(
            html.P(
                "No duration or fee is published for: " + ", ".join(est.not_published) + ".",
                className="rm-body rm-muted",
            )
        )
    out.append(
        html.P("Each figure's sources are on its station's page.", className="rm-body rm-muted")
    )
    return out


def answer_effects_panel(result: R.RouteResult, pairs) -> list:
    """What each answer changes on this route, with a way to change it."""
    items = []
    for a in result.answer_effects:
        said = a.label if a.given else "Not answered"
        effects = "; ".join(a.effects) if a.effects else "nothing on this route"
        items.append(
            html.Li(
                [
                    a.text,
                    " ",
                    html.Strong(said),
                    ": ",
                    effects[:1].upper() + effects[1:],
                    ". ",
                    C.link(
                        ["Change", html.Span(f" the answer to: {a.text}", className="rm-vh")],
                        f"/route/change/{a.question}{encode(pairs)}",
                    ),
                ]
            )
        )
    return [
        html.Details(
            [
                html.Summary("What each answer changes on your route", className="rm-details-link"),
                html.Ul(items, className="rm-list rm-list--spaced", id="answer-effects"),
            ],
            className="rm-answer-effects",
        )
    ]


def whatif_panel(rm: RouteMap, whatifs: list[R.WhatIf], pairs) -> list:
    """One answer changed at a time: what changes and why, each with a link to that route."""
    if not whatifs:
        return []
    items = []
    for w in whatifs:
        href = "/route" + encode(with_value(rm, pairs, w.question, str(w.after)))
        items.append(
            html.Li(
                [
                    w.summary,
                    " ",
                    C.link(
                        ["See that route", html.Span(f": {w.after_label}", className="rm-vh")],
                        href,
                    )
                    if w.changed
                    else None,
                ],
                **{"data-question": w.question, "data-changed": "true" if w.changed else "false"},
            )
        )
    return [
        html.Details(
            [
                html.Summary("What if you answered differently?", className="rm-details-link"),
                html.Ul(items, className="rm-list rm-list--spaced", id="what-if"),
            ],
            className="rm-what-if",
        )
    ]


def nearest_panel(rm: RouteMap, result: R.RouteResult, pairs) -> list:
    """When no route is open: said plainly, the nearest routes, and the other ways."""
    if result.outcome == "route":
        return []
    out: list = []
    if result.nearest:
        out += [
            html.H2("The nearest routes", className="rm-heading-m", id="nearest"),
            html.Ul(
                [
                    html.Li(
                        [
                            f"If you answered “{n.answer_label}” to “{n.question_text}”: ",
                            n.summary,
                            ". ",
                            C.link(
                                "See that route",
                                "/route" + encode(with_value(rm, pairs, n.question, str(n.answer))),
                            ),
                        ]
                    )
                    for n in result.nearest
                ],
                className="rm-list rm-list--spaced",
            ),
        ]
    if result.other_ways:
        out += named_list(
            "Other ways to deliver the service (not a mutual)",
            [(w.name, w.summary) for w in result.other_ways],
        )
    return out


# ---- readiness and what next ----------------------------------------------------------------
def readiness_chart(readiness: list[R.ReadinessArea]) -> html.Div:
    """A bar per area (plain HTML), with the percent and the level in words and the answers
    behind it; never one pass/fail number."""
    items = []
    for a in readiness:
        value = (
            "Not assessed: no answer here is scored"
            if a.percent is None
            else (f"{a.percent}% · {a.level}")
        )
        answers = [
            html.Li([x.text, " ", html.Strong(x.label), f" ({x.points} of {x.of} points)"])
            for x in a.answers
        ]
        items.append(
            html.Li(
                [
                    html.Div(
                        [
                            html.Span(a.name, className="rm-bar__name"),
                            html.Span(value, className="rm-bar__value"),
                        ],
                        className="rm-bar__label",
                    ),
                    html.Div(
                        html.Div(
                            className="rm-bar__fill " + LEVEL_CLASS.get(a.level, ""),
                            style={"width": f"{a.percent or 0}%"},
                        ),
                        className="rm-bar__track",
                        **{"aria-hidden": "true"},
                    ),
                    html.Details(
                        [
                            html.Summary("The answers behind this", className="rm-details-link"),
                            html.Ul(answers, className="rm-list rm-list--bullet rm-small"),
                        ]
                    )
                    if answers
                    else None,
                ],
                className="rm-bar",
                **{"data-area": a.area},
            )
        )
    return html.Div(
        [
            html.H2("Readiness by area", className="rm-heading-m", id="readiness"),
            html.P(
                "A score per area from your answers, weakest first; never one pass or fail.",
                className="rm-body",
            ),
            html.Ul(items, className="rm-bars"),
        ]
    )


def areas_to_work_on(rm: RouteMap, weakest: list[R.WeakArea], heading: str = "h2") -> html.Div:
    H, cls = _h(heading)
    if not weakest:
        return html.Div(
            [
                H("Areas you might work on", className=cls),
                html.P("No area stands out as weak from your answers.", className="rm-body"),
            ]
        )
    items = []
    for w in weakest:
        offer: list = []
        if w.support:
            offer = [
                html.P(
                    ["Support on offer: "]
                    + [
                        part
                        for i, s in enumerate(w.support)
                        for part in ((", " if i else ""), C.link(s.name, f"/station/{s.station}"))
                    ],
                    className="rm-body rm-small",
                )
            ]
        items.append(
            html.Li(
                [
                    html.Strong(w.name),
                    f" ({w.percent}%, {w.level}). " if w.percent is not None else ". ",
                    rm.areas[w.area].summary,
                    *offer,
                ]
            )
        )
    return html.Div(
        [
            H("Areas you might work on", className=cls),
            html.Ul(items, className="rm-list rm-list--bullet rm-work-on"),
        ]
    )


def not_sure_panel(nr: R.NextResult, pairs, heading: str = "h2") -> html.Div | None:
    if not nr.not_sure:
        return None
    H, cls = _h(heading)
    items = [
        html.Li(
            [
                q.text,
                " ",
                html.Span(
                    f"An answer of {' or '.join(q.labels)} would change the route.",
                    className="rm-muted",
                ),
                " ",
                C.link(
                    ["Answer this", html.Span(f" question: {q.text}", className="rm-vh")],
                    f"/route/change/{q.question}{encode(pairs)}",
                ),
            ]
        )
        for q in nr.not_sure
    ]
    return html.Div(
        [
            H("Answers still ‘not sure’ that would change the route", className=cls),
            html.Ul(items, className="rm-list rm-list--bullet"),
        ]
    )
