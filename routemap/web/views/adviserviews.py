"""The adviser family: the adviser view (``/adviser?…``), its marks (``/adviser/mark``), a
pasted link (``/adviser/open``) and the print view (``/adviser/print?…``).

An adviser opens an applicant's link (the same parameters as ``/route``, plus ``done``,
``in_progress``, ``skipped`` and ``note_<station>``) and sees the route with each step's
honest state, "what next", and marks progress. Every mark is a change of the link, so the
adviser and the applicant pass one link back and forth. The steps are one form: each "Mark
as" button submits the link with that step's new state (and the notes typed on skipped
steps) to ``/adviser/mark``, which answers with the new link at that step's place in the list
(``#step-<id>``), so the reader is returned to the step they marked, JavaScript or not.

A step already in place follows from the answers: it is said so, with the answer to change,
and offers no marks that could not take effect.
"""

from __future__ import annotations

import datetime as dt
import re

from flask import Blueprint, redirect, render_template, request

from ...render.highlight import route_highlight
from ...route.nextsteps import what_next
from ...route.profile import MAX_NOTE
from ...route.words import answer_label, route_title
from ..answerlink import (
    FROM_KEY,
    NOTE_PREFIX,
    PASTE_BOX,
    encode,
    parse_link,
    problem_rows,
    profile_pairs,
    profile_query,
    query_of_pasted,
    with_progress,
    without_origin,
)
from . import pages
from .routeviews import answers_href, export_links

bp = Blueprint("adviser", __name__)
MARKS = (
    ("to_do", "Not started"),
    ("in_progress", "In progress"),
    ("done", "Done"),
    ("skipped", "Skipped"),
)
MARK = re.compile(r"^([a-z0-9-]+):(to_do|in_progress|done|skipped)$")


def full_link(path: str, query: str) -> str:
    """The page's address in full (the host is one HostGuard has checked)."""
    return request.host_url.rstrip("/") + path + (query if query.startswith("?") else "")


@bp.get("/adviser")
def adviser():
    p = pages()
    rm = p.rm
    query = request.query_string.decode("utf-8", "replace")
    link = parse_link(rm, query)
    base = {
        "nav": "adviser",
        "paste": full_link("/adviser", "?" + query) if query else "",
        "paste_max": PASTE_BOX,
    }
    if link.empty:
        return render_template("adviser.html", title="Adviser view", **base)
    if not link.ok:
        return render_template(
            "adviser.html",
            title="Problem with the link: adviser view",
            problems=problem_rows(rm, link, "/adviser"),
            **base,
        )
    profile = link.profile
    nr = what_next(rm, profile, effects=False)
    highlight = route_highlight(nr.route, nr.states) if nr.route.steps else None
    pairs = profile_pairs(rm, profile)
    change = f"/route/check{encode([*without_origin(link.pairs), (FROM_KEY, 'adviser')])}"
    return render_template(
        "adviser.html",
        title="Adviser view: " + route_title(nr.route),
        nr=nr,
        result=nr.route,
        answers=[
            (q.text, answer_label(rm, qid, profile.answers[qid])) for qid, q in rm.questions.items()
        ],
        change=change,
        print_href="/adviser/print" + encode(pairs),
        link=full_link("/adviser", profile_query(rm, profile)),
        hidden=[(k, v) for k, v in pairs if not k.startswith(NOTE_PREFIX)],
        form={
            "marks": MARKS,
            "notes": dict(profile.skipped),
            "in_place": in_place_answers(nr.route),
            "note_max": MAX_NOTE,
            "change": change,
        },
        svg=p.svg.route(highlight) if highlight else None,
        download=answers_href(rm, profile),
        exports=export_links(pairs),
        explore="/" + profile_query(rm, profile),
        **base,
    )


def in_place_answers(result) -> dict[str, list[str]]:
    """For each step already in place, the answers that put it there, in words (the page
    offers to change those answers, not to mark the step)."""
    rm = pages().rm
    out: dict[str, list[str]] = {}
    for step in result.steps:
        if step.status == "in_place":
            asked = dict.fromkeys(
                q for r in step.reasons if r.basis == "answer" for q in r.questions
            )
            out[step.station] = [
                f"“{rm.questions[q].text}” {answer_label(rm, q, result.answers[q])}" for q in asked
            ]
    return out


@bp.get("/adviser/mark")
def mark():
    """A step marked (``mark=<station>:<state>``), or the notes saved (Enter in a note box):
    the new link, back at that step."""
    rm = pages().rm
    args = list(request.args.items(multi=True))
    marked = MARK.match(next((v for k, v in args if k == "mark"), ""))
    typed = {k[len(NOTE_PREFIX) :]: v for k, v in args if k.startswith(NOTE_PREFIX)}
    link = parse_link(
        rm, [(k, v) for k, v in args if k != "mark" and not k.startswith(NOTE_PREFIX)]
    )
    if not link.ok:  # the view names what is wrong
        return redirect("/adviser" + encode([(k, v) for k, v in args if k != "mark"]), 303)
    profile = link.profile
    changed = []
    for sid, note in typed.items():  # the notes typed on skipped steps, kept as typed
        note = " ".join(note.split())[:MAX_NOTE]
        if sid in profile.skipped and note != profile.skipped[sid]:
            profile = with_progress(profile, sid, "skipped", note)
            changed.append(sid)
    here = "adviser-steps"
    if marked is not None and marked.group(1) in rm.stations:
        sid, state = marked.groups()
        profile = with_progress(profile, sid, state)
        here = f"step-{sid}"
    elif changed:
        here = f"step-{changed[0]}"
    return redirect(f"/adviser{profile_query(rm, profile)}#{here}", 303)


@bp.get("/adviser/open")
def open_link():
    """"Paste the applicant's link": the link opened in the adviser view, or the view again
    with what was pasted still in its box and what is wrong with it."""
    rm = pages().rm
    pasted = request.args.get("link", "")
    query, problem = query_of_pasted(pasted)
    if problem is None:
        link = parse_link(rm, query)
        if link.ok:
            return redirect("/adviser" + profile_query(rm, link.profile), 303)
        problems = problem_rows(rm, link)[:20]
    else:
        problems = [{"words": problem}]
    return render_template(
        "adviser.html",
        nav="adviser",
        title="Error: the link could not be opened",
        paste=pasted[:PASTE_BOX],
        paste_max=PASTE_BOX,
        pasted_problems=problems,
    )


@bp.get("/adviser/print")
def print_view():
    rm = pages().rm
    query = request.query_string.decode("utf-8", "replace")
    link = parse_link(rm, query)
    back = "/adviser" + encode(link.pairs)
    if not link.ok:
        rows = (
            problem_rows(rm, link)
            if link.problems
            else [
                {
                    "subject": "The link",
                    "given": None,
                    "words": "has no answers in it",
                    "href": None,
                    "fix": "",
                }
            ]
        )
        return render_template(
            "print.html", nav="adviser", title="Print view", problems=rows, back=back
        )
    profile = link.profile
    nr = what_next(rm, profile, effects=False)
    answers = [
        (q.text, answer_label(rm, qid, profile.answers[qid]))
        for qid, q in rm.questions.items()
        if qid in profile.given
    ]
    lines = len(nr.states) + len(nr.can_start) + len(nr.not_sure) + len(nr.weakest_areas)
    return render_template(
        "print.html",
        nav="adviser",
        title="Print view: route and progress",
        nr=nr,
        result=nr.route,
        answers=answers,
        unanswered=len(rm.questions) - len(answers),
        back=back,
        link=full_link("/adviser/print", "?" + query),
        today=f"{dt.date.today():%d %B %Y}",
        # dense type when the table, the answers and what next would not fit one A4 page
        dense=lines + len(nr.deadlines) + len(answers) // 3 > 30,
        forms={
            s.station: ", ".join(d.code for d in rm.stations[s.station].documents if d.code)
            for s in nr.states
        },
    )
