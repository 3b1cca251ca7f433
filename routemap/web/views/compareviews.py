"""The compare family: routes side by side for an options appraisal (``/compare``), and the
same table as CSV for a board paper (``/compare.csv``).

The state is the link: the team's answers (as every route page's link), then ``route`` once
per column (a legal form's option id, in column order; none: the team's route and the two
best alternatives) and ``only_differences=yes``. Swapping a column is one GET form whose
fields are that link, so it works with JavaScript off.
"""

from __future__ import annotations

from flask import Blueprint, Response, render_template, request

from ...core import RouteMap
from ...route.compare import FORM_CHOICE, MAX_COLUMNS, CompareError, compare
from ...route.comparewords import NOTHING, column_title, compare_csv, notes, shown_rows
from ..answerlink import encode, parse_link, problem_rows, profile_pairs, query_pairs
from . import pages

bp = Blueprint("compare", __name__)
ROUTE_KEY = "route"
DIFF_KEY = "only_differences"
DIFF_VALUES = ("yes", "")


def _registered(rm: RouteMap) -> dict[str, list[str]]:
    """Each legal form -> its registration stations, in its route's order."""
    return {
        opt.id: [sid for sid in opt.stations if rm.stations[sid].kind == "registration"]
        for choice in rm.data.choices
        if choice.id == FORM_CHOICE
        for opt in choice.options
    }


def _link(ids: list[str]) -> tuple[str, str] | None:
    if not ids or len(ids) > MAX_COLUMNS:
        return None
    words = (
        "Compare this legal form with the others, side by side"
        if len(ids) == 1
        else "Compare these legal forms side by side"
    )
    return "/compare" + encode([(ROUTE_KEY, i) for i in ids]), words


def station_links(rm: RouteMap) -> dict[str, tuple[str, str]]:
    """Station id -> (address, words) of its "compare" link: each legal form's registration
    station compares that form (a station two forms share compares the two), and the options
    appraisal, where a route is chosen, compares the routes."""
    forms: dict[str, list[str]] = {}  # a registration station -> the forms registered there
    for form, sids in _registered(rm).items():
        for sid in sids:
            forms.setdefault(sid, []).append(form)
    out = {sid: link for sid, ids in forms.items() if (link := _link(ids))}
    if "options-appraisal" in rm.stations:
        out["options-appraisal"] = ("/compare", "Compare the routes side by side")
    return out


def line_links(rm: RouteMap) -> dict[str, tuple[str, str]]:
    """Line id -> its "compare" link, for each legal form's line: the forms whose own
    registration (the first on their route) the line runs through."""
    own = {form: sids[0] for form, sids in _registered(rm).items() if sids}
    out = {}
    for ln in rm.lines.values():
        if ln.kind == "legal_form":
            ids = [form for form, sid in own.items() if sid in ln.stations]
            if link := _link(ids):
                out[ln.id] = link
    return out


def _request():
    """(link, the routes asked for, whether to add the best others to one alone, only the
    differences, problems with our own parameters). An empty ``route`` (the form's "No column
    here") makes the columns exactly those asked for."""
    rm = pages().rm
    pairs = query_pairs(request.query_string.decode("utf-8", "replace"))
    ours = [(k, v) for k, v in pairs if k in (ROUTE_KEY, DIFF_KEY)]
    link = parse_link(rm, [(k, v) for k, v in pairs if k not in (ROUTE_KEY, DIFF_KEY)])
    routes = [v for k, v in ours if k == ROUTE_KEY and v]
    diffs = [v for k, v in ours if k == DIFF_KEY]
    problems = []
    if len(diffs) > 1:
        problems.append("“Only the differences” is given more than once in the link.")
    elif diffs and diffs[0] not in DIFF_VALUES:
        problems.append("“Only the differences” must be “yes” or left out.")
    fill = all(v for k, v in ours if k == ROUTE_KEY)
    return link, routes, fill, diffs == ["yes"], problems


def _problem_page(link, problems, status=400):
    rm = pages().rm
    rows = problem_rows(rm, link, "/compare") if not link.ok else []
    rows += [{"subject": "Routes to compare", "given": None, "words": w} for w in problems]
    return (
        render_template(
            "compare.html",
            nav="route",
            title="Problem with the link: compare routes",
            problems=rows,
            own=encode(link.pairs if link.ok else []),
            defaults=f"/compare{encode(profile_pairs(rm, link.profile, progress=False))}"
            if link.ok
            else "/compare",
        ),
        status,
    )


def _compared():
    """The comparison of this request, or the page that names its problems."""
    rm = pages().rm
    link, routes, fill, only, problems = _request()
    if not link.ok or problems:
        return None, link, _problem_page(link, problems)
    try:
        return compare(rm, link.profile, routes, only, fill), link, None
    except CompareError as exc:
        return None, link, _problem_page(link, [p.words() for p in exc.problems])


@bp.get("/compare")
def compare_page():
    rm = pages().rm
    result, link, problem = _compared()
    if problem is not None:
        return problem
    answers = profile_pairs(rm, link.profile)  # progress too: "Back to your route" keeps it
    chosen = [(ROUTE_KEY, c.option) for c in result.columns]
    diff = [(DIFF_KEY, "yes")] if result.only_differences else []
    rows = shown_rows(result)
    return render_template(
        "compare.html",
        nav="route",
        title="Compare routes side by side",
        result=result,
        rows=rows,
        notes=notes(rm, result, rows),
        titles=[column_title(c) for c in result.columns],
        answers=answers,
        slots=max(MAX_COLUMNS, len(result.columns)),
        own=encode(answers),
        csv_href="/compare.csv" + encode([*answers, *chosen, *diff]),
        all_rows_href="/compare" + encode([*answers, *chosen]),
        diff_href="/compare" + encode([*answers, *chosen, (DIFF_KEY, "yes")]),
        given=bool(answers),
        words_nothing=NOTHING,
    )


@bp.get("/compare.csv")
def compare_csv_file():
    rm = pages().rm
    result, _link, problem = _compared()
    if problem is not None:
        return problem
    return Response(
        "\ufeff" + compare_csv(rm, result),  # the mark that tells a spreadsheet it is UTF-8
        mimetype="text/csv",
        headers={"Content-Disposition": 'attachment; filename="routemap-compare.csv"'},
    )
