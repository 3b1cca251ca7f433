"""The route family: the start page, the questions, check your answers, the route and its
what-ifs, and an answers file posted from any page.

Every page is its URL: the answers travel as named query parameters (``answerlink.py``), so
the back button, a reload, a bookmark or a link sent by email give the same page.

- ``/route``: the start page; with answers, the route (composed once for the request);
- ``/route/questions/<question>?…``: one question per page, GOV.UK radios submitted with GET
  to the next question (the answer joins the link; ``/route/after/<question>`` works out the
  next when the answer decides it), or a number box or checkboxes posted here and checked;
- ``/route/change/<question>?…``: the same question, coming back to check your answers;
- ``/route/check?…``: check your answers, each with a Change link, every problem named;
- ``/route/whatif?…``: what each answer changes, each with its what-ifs; with no route open,
  the nearest routes;
- ``/route/whatif?…&whatif_<question>=<answer>``: a what-if — the route with one answer
  changed, shown beside the team's own and said to be a what-if, with the way back; every link
  that keeps the answers keeps the team's own;
- ``POST /route/answers-file``: an answers file, checked and opened as its link.
"""

from __future__ import annotations

from base64 import b64encode
from typing import Any

from flask import Blueprint, abort, redirect, render_template, request
from werkzeug.exceptions import RequestEntityTooLarge

from ...render.highlight import route_highlight
from ...route import find_route
from ...route.compose import with_answer
from ...route.kinds import kind_of
from ...route.nextsteps import _open_support
from ...route.profile import NOT_SURE, AnswersError, Profile, check_answer
from ...route.rules import asked_questions
from ...route.whatif import check_change, compare
from ...route.words import answer_label, page_subject, page_words, route_title
from ..answerlink import (
    NOTE_PREFIX,
    WHATIF_PREFIX,
    Link,
    answers_json,
    encode,
    order_pairs,
    parse_link,
    problem_rows,
    profile_from_text,
    profile_pairs,
    profile_query,
    query_pairs,
    shorten,
    with_value,
    without_origin,
)
from . import pages

bp = Blueprint("route", __name__)
MAX_ANSWERS_FILE = 256 * 1024  # an answers file is a few hundred bytes
EXPORTS = [
    ("svg", "The map with your route (SVG)"),
    ("png", "The map with your route (PNG image)"),
    ("pdf", "The map with your route (PDF, A3)"),
    ("html", "The map with your route (a web page that works offline)"),
    ("md", "Your route as a checklist (Markdown)"),
    ("csv", "Your route as a checklist (CSV, for a spreadsheet)"),
]


# ---- where each question leads -----------------------------------------------------------------
def question_href(qid: str, pairs, change: bool = False) -> str:
    kind = "change" if change else "questions"
    return f"/route/{kind}/{qid}{encode(order_pairs(pages().rm, pairs))}"


def asked(pairs, qid: str | None = None) -> list[str]:
    """The questions asked, in order, with the answers in ``pairs``: a question only some
    answers call for (``asked_when``) is skipped otherwise. ``qid``: the one shown."""
    given: dict[str, str] = {}
    for k, v in pairs:
        given.setdefault(k, v)
    return asked_questions(pages().rm, given, include=qid)


def after(qid: str, pairs, change: bool) -> str:
    """Where answering ``qid`` goes: the next question asked, or check your answers."""
    qids = asked(pairs, qid)
    i = qids.index(qid)
    if change or i + 1 >= len(qids):
        return f"/route/check{encode(order_pairs(pages().rm, pairs))}"
    return question_href(qids[i + 1], pairs)


def before(qid: str, pairs, change: bool) -> str:
    """Where "Back" goes: check your answers (when changing one), the question asked before,
    or the start page."""
    qids = asked(pairs, qid)
    i = qids.index(qid)
    if change:
        return f"/route/check{encode(pairs)}"
    if i > 0:
        return question_href(qids[i - 1], pairs)
    return "/route" + encode(pairs)


def answers_href(rm, profile: Profile) -> str:
    """ "Download your answers": the answers file the CLI reads, as a data link (base64: a
    third of the size of the same file percent-encoded, and made in a microsecond)."""
    data = b64encode(answers_json(rm, profile).encode("ascii")).decode("ascii")
    return "data:application/json;base64," + data


def export_links(pairs) -> list[tuple[str, str, str]]:
    """The downloads of this route (``pairs``: its link's, ``profile_pairs``): (address,
    format, words). The export takes the answers and progress (notes stay in the answers
    file)."""
    query = encode([(k, v) for k, v in pairs if not k.startswith(NOTE_PREFIX)]).lstrip("?")
    return [(f"/api/v1/export?format={fmt}&{query}", fmt, text) for fmt, text in EXPORTS]


# ---- the start page and the route --------------------------------------------------------------
def checked_link(kind: str):
    """The link of this request and its what-if pair, or the page that names its problems."""
    rm = pages().rm
    pairs = query_pairs(request.query_string.decode("utf-8", "replace"))
    whatifs = [(k, v) for k, v in pairs if k.startswith(WHATIF_PREFIX)]
    link = parse_link(rm, [(k, v) for k, v in pairs if not k.startswith(WHATIF_PREFIX)])
    if link.ok:
        return link, whatifs, None
    page = render_template(
        "route.html",
        nav="route",
        title=f"Problem with the link: {kind}",
        problems=problem_rows(rm, link, "/route"),
        check=f"/route/check{encode(link.pairs)}",
    )
    return link, whatifs, page


@bp.get("/route")
def route():
    p = pages()
    rm = p.rm
    if not request.query_string:
        return render_template(
            "route_start.html",
            nav="route",
            title="Find your route",
            first=question_href(p.qids[0], []),
            count=len(asked([])),
        )
    link, _whatifs, problem = checked_link("your route")
    if problem is not None:
        return problem
    profile = link.profile
    # the route, composed once for this page (what each answer changes, the nearest routes and
    # the what-ifs are the what-if page's: /route/whatif)
    result = find_route(rm, profile, explain=False)
    pairs = profile_pairs(rm, profile)
    own = encode(pairs)
    if result.outcome != "route":  # no route open: the nearest routes are the what-if page
        return redirect("/route/whatif" + own, 303)
    highlight = route_highlight(result)
    return render_template(
        "route.html",
        nav="route",
        title="Your route: " + route_title(result),
        result=result,
        own=own,
        svg=p.svg.route(highlight),
        support=p.memo("area-support", lambda: area_support(rm)),
        download=answers_href(rm, profile),
        exports=export_links(pairs),
    )


@bp.get("/route/whatif")
def whatif():
    """What each answer changes on the route and, for each, the route with it answered
    otherwise; with ``whatif_<question>=<answer>``, that one what-if beside the team's own
    route. With no route open: the nearest routes, one answer away."""
    rm = pages().rm
    link, whatifs, problem = checked_link("what if")
    if problem is not None:
        return problem
    result = find_route(rm, link.profile)  # with what each answer changes
    one = what_if(link, whatifs) if whatifs else None
    own = without_origin(link.pairs)
    if one and "w" in one:
        title = f"What if: “{one['w'].after_label}” to “{shorten(one['w'].text, 60)}”"
    else:
        title = "What if you answered differently?"
    return render_template(
        "whatif.html",
        nav="route",
        title=title,
        result=result,
        own=profile_query(rm, link.profile),
        answers=answer_rows(link, result),
        whatif=one,
        whatif_href=lambda q, v: "/route/whatif" + encode([*own, (WHATIF_PREFIX + q, str(v))]),
    )


def area_support(rm) -> dict[str, list]:
    """The support offers open today for each readiness area (as "what next" names them)."""
    return {a.id: _open_support(rm, a.support) for a in rm.data.areas}


def answer_rows(link: Link, result) -> list[dict[str, Any]]:
    """Each answer, what it changes on this route, a way to change it, and its what-ifs (the
    other answers, each a link to that what-if; a number, which counts the team, is changed
    rather than imagined)."""
    rm = pages().rm
    own = encode(without_origin(link.pairs))  # the team's own link, made once
    rows = []
    for a in result.answer_effects:
        q = rm.questions[a.question]
        alternatives = []
        if q.kind != "number":
            values = [o.value for o in q.options if o.value != NOT_SURE] + [NOT_SURE]
            alternatives = [
                (
                    answer_label(rm, q.id, v),
                    f"/route/whatif{own}&{encode([(WHATIF_PREFIX + q.id, v)])[1:]}",
                )
                for v in values
                if v != a.answer
            ]
        rows.append(
            {"effect": a, "change": f"/route/change/{a.question}{own}", "whatifs": alternatives}
        )
    return rows


def what_if(link: Link, whatifs: list[tuple[str, str]]) -> dict[str, Any]:
    """One answer imagined otherwise: the comparison, and the route it would give."""
    rm = pages().rm
    (key, raw), *more = whatifs
    qid = key[len(WHATIF_PREFIX) :]
    back = "/route" + encode(without_origin(link.pairs))
    if more:
        return {"problem": "This link imagines more than one answer: one at a time.", "back": back}
    try:
        value = check_change(rm, qid, raw)
    except AnswersError as exc:
        said = "; ".join(f"{page_subject(p, rm)}: {page_words(p, rm)}" for p in exc.problems)
        return {"problem": said, "back": back}
    w = compare(rm, link.profile, qid, value)
    other = find_route(rm, with_answer(rm, link.profile, qid, value), explain=False)
    highlight = route_highlight(other) if other.steps else None
    return {
        "w": w,
        "route": other,
        "back": back,
        "use": "/route" + encode(with_value(rm, without_origin(link.pairs), qid, str(value))),
        "added": {s.station for s in w.added},
        "removed": {s.station for s in w.removed},
        "svg": pages().svg.route(highlight) if highlight else None,
    }


# ---- the questions ---------------------------------------------------------------------------
def radio_action(qid: str, rest, change: bool) -> str:
    """Where the radios' GET form goes: the next question, or, when the answer decides which
    question comes next (another's ``asked_when`` reads it), a step that works it out."""
    rm = pages().rm
    if not change and any(qid in q.asked_when for q in rm.data.questions):
        return f"/route/after/{qid}"
    return after(qid, rest, change).partition("?")[0]


@bp.get("/route/after/<qid>")
def after_answer(qid: str):
    """The question that comes after ``qid`` with the answers in the link (its answer among
    them): one only some answers call for is asked only then."""
    if qid not in pages().rm.questions:
        abort(404)
    link = parse_link(pages().rm, request.query_string.decode("utf-8", "replace"))
    return redirect(after(qid, link.pairs, False), 303)


@bp.route("/route/questions/<qid>", methods=["GET", "POST"])
def question(qid: str):
    return question_page(qid, change=False)


@bp.route("/route/change/<qid>", methods=["GET", "POST"])
def change(qid: str):
    return question_page(qid, change=True)


def several_problem(qid: str, value: str | None) -> str | None:
    """Ticked boxes, checked as every answer is; the message says what to do."""
    if not value:
        return "Tick at least one answer, or choose Not sure"
    bad = parse_link(pages().rm, {qid: value}).problem_for(qid)
    if bad is None:
        return None
    if bad.code == "answer_not_alone":
        return f"“{bad.param('label')}” cannot be ticked with another answer: untick one"
    return "Tick only the answers listed"


def number_problem(qid: str, typed: str) -> str | None:
    rm = pages().rm
    q = rm.questions[qid]
    text = typed.replace(",", "")
    if not text:
        return "Enter a whole number, or choose Not sure"
    if parse_link(rm, {qid: text}).problems:
        low = q.minimum if q.minimum is not None else 0
        high = f" to {q.maximum}" if q.maximum is not None else ""
        return f"Enter a whole number from {low}{high}, such as 40"
    return None


def question_page(qid: str, change: bool):
    p = pages()
    rm = p.rm
    if qid not in rm.questions:
        return render_template(
            "question.html",
            nav="route",
            title="Question not found",
            q=None,
            first=question_href(p.qids[0], []),
        ), 404
    link = parse_link(rm, request.query_string.decode("utf-8", "replace"))
    pairs = link.pairs
    q = rm.questions[qid]
    typed: str | None = None
    error: str | None = None
    if request.method == "POST":
        # the number box and the checkboxes post here; the radios are a GET form
        if q.kind == "choice":
            abort(405)
        if q.kind == "several":
            ticked = [v[:40] for v in request.form.getlist(qid)][:50]
            value = kind_of(q).from_form(q, ticked)
            error = several_problem(qid, value)
            if error is None:
                return redirect(after(qid, with_value(rm, pairs, qid, value), change), 303)
            typed = value or ""
        else:
            typed = (request.form.get(qid) or "").strip()[:40]
            error = number_problem(qid, typed)
            if error is None:
                value = str(int(typed.replace(",", "")))
                return redirect(after(qid, with_value(rm, pairs, qid, value), change), 303)
    own = link.problem_for(qid)
    current = link.given(qid)
    if error is None and own is not None:
        said = page_words(own, rm)
        error = (
            said[:1].upper()
            + said[1:]
            + (f" (the link says “{shorten(current)}”)." if current else ".")
        )
    # the hidden fields keep the rest of the link, in the link's own order around the answer
    ordered = order_pairs(rm, [(k, v) for k, v in pairs if k != qid] + [(qid, "")])
    at = next(n for n, (k, _) in enumerate(ordered) if k == qid)
    rest = [(k, v) for k, v in pairs if k != qid]
    qids = asked(pairs, qid)
    number = qids.index(qid) + 1
    shown = typed if typed is not None else ("" if current in (None, NOT_SURE) else current)
    return render_template(
        "question.html",
        nav="route",
        title=f"{'Error: ' if error else ''}{q.text} ({number} of {len(qids)})",
        q=q,
        number=number,
        total=len(qids),
        area=rm.areas[q.area].name,
        back=before(qid, pairs, change),
        others=problem_rows(rm, link, problems=[x for x in link.problems if x.key != qid]),
        change=change,
        error=error,
        typed=shown,
        current=current,
        ticked=set((shown or "").split(",")),
        options=[(o.value, o.label) for o in q.options if o.value != NOT_SURE],
        action=radio_action(qid, rest, change),
        before=ordered[:at],
        after=ordered[at + 1 :],
        self_href=request.full_path.rstrip("?"),
        not_sure_href=after(qid, with_value(rm, pairs, qid, NOT_SURE), change),
        skip=after(qid, pairs, change),
    ), (422 if request.method == "POST" else 200)  # a posted answer that is refused


@bp.get("/route/check")
def check():
    p = pages()
    rm = p.rm
    link = parse_link(rm, request.query_string.decode("utf-8", "replace"))
    pairs = link.pairs
    adviser = link.origin == "adviser"
    rows = []
    shown = set(asked(pairs))
    for qid, q in rm.questions.items():
        given = link.given(qid)
        if qid not in shown and given is None:
            continue  # a question these answers do not call for
        problem = link.problem_for(qid)
        rows.append(
            {
                "q": q,
                "given": shorten(given or ""),
                "problem": page_words(problem, rm) if problem else None,
                "answered": given is not None,
                "label": answer_label(rm, qid, check_answer(rm, qid, given)[0] or given)
                if given is not None and not problem
                else "",
                "change": question_href(qid, pairs, change=True),
            }
        )
    profile = link.profile
    return render_template(
        "check.html",
        nav="adviser" if adviser else "route",
        title=("Check the applicant's answers" if adviser else "Check your answers")
        + (" (problem with the link)" if link.problems else ""),
        adviser=adviser,
        rows=rows,
        problems=problem_rows(rm, link, "/route/check"),
        back=question_href(asked(pairs)[-1], pairs),
        profile=profile if link.ok else None,
        progress_href="/adviser" + encode(pairs),
        onward=("/adviser" if adviser else "/route") + encode(without_origin(pairs)),
        download=answers_href(rm, profile) if link.ok else None,
        again=question_href(p.qids[0], []),
    )


# ---- an answers file ---------------------------------------------------------------------------
@bp.post("/route/answers-file")
def answers_file():
    rm = pages().rm
    target = "adviser" if request.form.get("target") == "adviser" else "route"
    back = f"/{target}"
    name = "the file"
    try:
        upload = request.files.get("file")
        chosen = upload is not None and bool(upload.filename)
        if chosen:
            name = shorten(upload.filename, 40)
        data = upload.stream.read(MAX_ANSWERS_FILE + 1) if chosen else b""
    except RequestEntityTooLarge:  # refused by the form parser before it was read here
        chosen, data = True, None
    status = 422
    if not chosen:
        problems = [{"words": "Choose an answers file to load"}]
    elif data is None or len(data) > MAX_ANSWERS_FILE:
        problems = [{"words": f"The file is too big (at most {MAX_ANSWERS_FILE // 1024} KB)"}]
        status = 413
    else:
        try:
            profile = profile_from_text(rm, data, name)
        except AnswersError as exc:
            problems = [
                {"subject": page_subject(p, rm), "words": page_words(p, rm)}
                for p in exc.problems[:20]
            ]
        else:
            return redirect(back + profile_query(rm, profile), 303)
    return render_template(
        "problem.html",
        nav=target,
        title="Error: the answers file could not be loaded",
        back=back,
        heading="The answers file could not be loaded",
        intro=f"There is a problem with {name}",
        problems=problems,
        target=target,
    ), status
