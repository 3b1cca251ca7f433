"""Routes side by side (routemap/route/compare.py): every cell has its sources or says "Not
published", over every pair of open routes; "only the differences" hides a row exactly when
its cells are equal; each real spin-out's own legal form is among its default columns; the
page (JavaScript off: the test client), its CSV, the CLI and the API say the same."""

from __future__ import annotations

import csv
import io
import json
import re
from html import unescape
from itertools import combinations
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import yaml
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from routemap import RouteMap
from routemap.cli import cli
from routemap.route import parse_answers
from routemap.route import results as R
from routemap.route.compare import (
    NOT_PUBLISHED,
    ROWS,
    CompareError,
    compare,
    standing,
)
from routemap.route.comparewords import compare_csv, compare_text
from routemap.web import create_app
from routemap.web.answerlink import profile_query

from .conftest import COUNCIL_CARE_ANSWERS, DATA, NHS_ANSWERS

RM = RouteMap.load(DATA)
CASES = yaml.safe_load(
    (Path(__file__).parent / "corpus" / "spinouts.yaml").read_text(encoding="utf-8")
)["spinouts"]
COUNCIL = COUNCIL_CARE_ANSWERS
# teams the pairs are tried for: no answers, a council team, an NHS team, and real cases from
# central government, a charity and a joint venture by sale
PAIR_TEAMS = {
    "no answers": {},
    "council": COUNCIL,
    "nhs": NHS_ANSWERS,
    **{
        c["name"]: c["answers"]
        for c in CASES
        if c["name"] in ("MyCSP", "Sandwell Community Caring Trust", "3BM", "Fera Science")
    },
}
# an id of the data, as a person must never read it in a cell (a station id that is also an
# English word the data's own prose uses, such as "go-live", is not counted)
_PROSE = " ".join(f"{s.name} {s.summary}".lower() for s in RM.stations.values())
IDS = {*RM.sources, *RM.questions, *(s for s in RM.stations if s not in _PROSE)} | {
    o.id for c in RM.data.choices for o in c.options
}


def _ids_in(text: str) -> list[str]:
    return [w for w in re.findall(r"[a-z0-9]+(?:[-_][a-z0-9]+)+", text) if w in IDS]


def _check_cells(result: R.CompareResult) -> list[str]:
    bad = []
    for row in result.rows:
        assert len(row.cells) == len(result.columns)
        for col, cell in zip(result.columns, row.cells, strict=True):
            where = f"{row.name} / {col.name}"
            if not cell.lines or not all(line.strip() for line in cell.lines):
                bad.append(f"{where}: empty")
            elif not cell.sources and not cell.text.startswith(NOT_PUBLISHED):
                bad.append(f"{where}: no source, and does not say not published: {cell.text!r}")
            unknown = [s for s in cell.sources if s not in RM.sources]
            if unknown:
                bad.append(f"{where}: unknown sources {unknown}")
            if _ids_in(cell.text):
                bad.append(f"{where}: shows ids {_ids_in(cell.text)}")
    return bad


@pytest.mark.parametrize("team", sorted(PAIR_TEAMS))
def test_every_cell_has_a_source_or_says_not_published_for_every_pair_of_open_routes(team):
    profile = parse_answers(RM, PAIR_TEAMS[team])
    forms = sorted(standing(RM, profile).open)
    pairs = list(combinations(forms, 2)) or [(f,) for f in forms]
    assert pairs, f"{team}: no legal form open"
    bad = []
    for pair in pairs:
        result = compare(RM, profile, list(pair))
        assert [c.option for c in result.columns] == list(pair)
        assert [r.row for r in result.rows] == [rid for rid, _ in ROWS]
        bad += [f"{' + '.join(pair)}: {b}" for b in _check_cells(result)]
    assert not bad, "\n".join(bad[:20])


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_a_real_spin_outs_own_legal_form_is_among_its_default_columns(case):
    profile = parse_answers(RM, case["answers"])
    result = compare(RM, profile)
    shown = [c.option for c in result.columns]
    assert not _check_cells(result)
    if case.get("outcome") == "nothing_open":
        assert shown == [] and result.message
        return
    assert 1 <= len(shown) <= 3 and len(set(shown)) == len(shown)
    assert set(shown) <= {r.option for r in result.routes if r.open}
    if case.get("took"):
        assert case["took"] in shown, f"{case['name']} took {case['took']}; shown {shown}"
    want = case["expected"]["legal_form"]
    if isinstance(want, str):  # the route the model gives comes first, marked as theirs
        assert shown[0] == want and result.columns[0].own
    else:
        assert shown[: len(want["still_open"])] == sorted(
            want["still_open"], key=shown.index
        ) and not any(c.own for c in result.columns)


def test_most_real_cases_name_the_form_they_took():
    assert sum(1 for c in CASES if c.get("took")) >= 18


def test_the_rows_say_what_differs_between_forms_and_what_does_not():
    result = compare(RM, parse_answers(RM, COUNCIL), ["form-coop", "form-cic", "form-eo"])
    row = {r.row: r for r in result.rows}
    assert result.columns[0].own and result.columns[0].name == "Co-operative society"
    lock = [c.text for c in row["asset_lock"].cells]
    assert lock[0].startswith("No asset lock") and lock[1].startswith("Yes, in law")
    assert "35%" in row["profits"].cells[1].text
    regs = row["registrations"].cells
    assert "FCA" in regs[0].text and "£40" in regs[0].text and "CIC36" in regs[1].text
    assert "from 1 May 2024" in regs[1].text  # a fee with the date it applies from
    # the pension follows the parent body, not the form: said so, the same in every column
    assert row["people"].same and "not the legal form" in row["people"].cells[0].text
    assert "Local Government Pension Scheme" in row["people"].cells[0].text
    assert "Leading Lives" in row["examples"].cells[0].text  # with its date
    assert "(July 2012)" in row["examples"].cells[0].text
    assert row["for_you"].cells[0].text.startswith("Your route:")
    assert not row["for_you"].same


def test_a_form_with_nothing_published_says_so():
    result = compare(RM, parse_answers(RM, COUNCIL), ["form-eot", "form-cio"])
    money = next(r for r in result.rows if r.row == "money")
    assert all(c.text.startswith(NOT_PUBLISHED) and not c.sources for c in money.cells)


# ---- only the differences -----------------------------------------------------------------------
text = st.text(alphabet="abc ", min_size=1, max_size=4)


@given(st.lists(st.lists(text, min_size=1, max_size=2), min_size=1, max_size=3), st.booleans())
def test_only_the_differences_hides_a_row_exactly_when_its_cells_are_equal(cells, only):
    row = R.CompareRow(row="r", name="R", cells=[R.Cell(lines=c) for c in cells])
    result = R.CompareResult(
        outcome="route",
        message="",
        columns=[],
        rows=[row],
        routes=[],
        only_differences=only,
        answers={},
    )
    equal = all(c == cells[0] for c in cells)
    assert row.same == equal
    assert ("r" not in result.shown) == (only and equal)


def _answer(q):
    if q.kind == "number":
        return st.sampled_from([1, 2, 50, 600, "not_sure"])
    if q.kind == "several":
        many = [o.value for o in q.options if not o.alone]
        return st.one_of(st.lists(st.sampled_from(many), min_size=1, max_size=2, unique=True))
    return st.sampled_from([o.value for o in q.options] + ["not_sure"])


@st.composite
def teams(draw):
    answers = {}
    for q in RM.data.questions:
        if draw(st.booleans()):
            answers[q.id] = draw(_answer(q))
    return answers


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(teams(), st.data())
def test_only_the_differences_on_real_comparisons(answers, data):
    try:
        profile = parse_answers(RM, answers)
    except Exception:  # a combination the questions refuse: not a comparison
        return
    forms = sorted(standing(RM, profile).open)
    if not forms:
        return
    chosen = data.draw(st.lists(st.sampled_from(forms), min_size=1, max_size=3, unique=True))
    full = compare(RM, profile, chosen, only_differences=False, fill=False)
    diff = compare(RM, profile, chosen, only_differences=True, fill=False)
    assert full.shown == [r.row for r in full.rows]
    for row in diff.rows:
        equal = len({tuple(c.lines) for c in row.cells}) == 1
        assert (row.row not in diff.shown) == equal, row.name
    assert not _check_cells(diff)


# ---- choosing the columns ---------------------------------------------------------------------
def test_a_route_unknown_closed_or_asked_twice_is_refused_by_name():
    profile = parse_answers(RM, COUNCIL)
    with pytest.raises(CompareError) as exc:
        compare(RM, profile, ["form-jv", "nope", "form-cic", "form-cic"])
    codes = [p.code for p in exc.value.problems]
    assert codes == ["too_many", "closed", "unknown", "twice"]
    words = [p.words() for p in exc.value.problems]
    assert "“Mutual joint venture” is not open with your answers" in words[1]
    assert not any(_ids_in(w) for w in words)
    assert "'nope'" in exc.value.problems[2].id_words(exc.value.known)
    said = [p for p in exc.value.problems if p.code == "unknown"][0]
    odd = type(said)("unknown", "<b>x</b>")
    assert "<b>" not in odd.id_words([])  # never echoed raw


def test_one_route_asked_for_is_followed_by_the_best_others_unless_exactly_one_is_wanted():
    profile = parse_answers(RM, COUNCIL)
    default = [c.option for c in compare(RM, profile).columns]
    assert default[0] == "form-coop" and len(default) == 3
    filled = [c.option for c in compare(RM, profile, ["form-cbs"]).columns]
    assert filled[0] == "form-cbs" and len(filled) == 3 and "form-coop" in filled
    assert [c.option for c in compare(RM, profile, ["form-cbs"], fill=False).columns] == [
        "form-cbs"
    ]


# ---- the page, its CSV, the CLI and the API ---------------------------------------------------
@pytest.fixture(scope="module")
def client():
    return create_app({"ROUTEMAP": RM}).test_client()


def _query(answers) -> str:
    return profile_query(RM, parse_answers(RM, answers))


def test_the_page_without_javascript_is_the_table_and_its_sources(client):
    q = _query(COUNCIL)
    html = client.get("/compare" + q).get_data(as_text=True)
    assert "<script" not in html
    heads = re.findall(r'<span class="rm-sbs__name">([^<]*)', html)
    assert heads == [
        "Co-operative society",
        "Community interest company (CIC)",
        "Employee-owned company",
    ]
    rows = re.findall(r'<th scope="row" class="rm-sbs__rowhead">([^<]*)', html)
    assert rows == [name for _, name in ROWS]
    # every numbered source a cell cites is in the list of sources, by title
    cited = {int(n) for n in re.findall(r'href="#note-(\d+)"', html)}
    listed = {int(n) for n in re.findall(r'<li id="note-(\d+)"', html)}
    assert cited == listed and cited
    assert not any(f">{sid}<" in html for sid in RM.sources)
    # the form to swap columns carries the answers and a select per column
    assert html.count('name="route"') == 3 and 'name="parent_body" value="council"' in html
    # no ranking colour: every column is drawn alike
    assert "rm-sbs__col" in html and "rm-sbs__col--" not in html


def test_only_the_differences_on_the_page(client):
    q = _query(COUNCIL)
    full = client.get("/compare" + q).get_data(as_text=True)
    diff = client.get("/compare" + q + "&only_differences=yes").get_data(as_text=True)
    result = compare(RM, parse_answers(RM, COUNCIL), only_differences=True)
    hidden = [r.name for r in result.rows if r.same]
    assert hidden, "this team's routes share some rows"
    rows = re.findall(r'<th scope="row" class="rm-sbs__rowhead">([^<]*)', diff)
    assert rows == [r.name for r in result.rows if not r.same]
    assert f"{len(hidden)} row" in diff and "Show every row" in diff
    assert "Show only the differences" in full


def test_a_swapped_column_and_no_third_column_are_the_link(client):
    q = _query(COUNCIL)
    html = client.get(f"/compare{q}&route=form-cbs&route=form-cic&route=").get_data(as_text=True)
    heads = re.findall(r'<span class="rm-sbs__name">([^<]*)', html)
    assert heads == ["Community benefit society", "Community interest company (CIC)"]


@pytest.mark.parametrize(
    "tail, said",
    [
        ("&route=form-jv", "“Mutual joint venture” is not open with your answers"),
        ("&route=nope", "a legal form the map does not have"),
        ("&route=form-cic&route=form-cic", "is asked for twice"),
        ("&only_differences=maybe", "must be “yes” or left out"),
    ],
)
def test_a_bad_link_names_its_problem_and_offers_the_default(client, tail, said):
    r = client.get("/compare" + _query(COUNCIL) + tail)
    html = unescape(r.get_data(as_text=True))  # pages write “ as &#8220;
    assert r.status_code == 400 and said in html
    assert "Compare your route with the two best alternatives" in html
    assert "Traceback" not in html and "form-jv" not in re.sub(r'href="[^"]*"', "", html)


def test_a_bad_answer_is_named_as_on_every_route_page(client):
    r = client.get("/compare?parent_body=trust")
    assert r.status_code == 400 and "the link says “trust”" in unescape(r.get_data(as_text=True))


def test_the_csv_is_the_table_with_its_sources(client):
    q = _query(COUNCIL)
    r = client.get("/compare.csv" + q + "&only_differences=yes")
    assert r.status_code == 200 and r.mimetype == "text/csv"
    assert "attachment" in r.headers["Content-Disposition"]
    assert r.headers.get("Cache-Control", "").startswith("no-store")
    text = r.get_data(as_text=True)
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    result = compare(RM, parse_answers(RM, COUNCIL), only_differences=True)
    assert rows[0][0] == "Row" and rows[0][1] == "Co-operative society (your route)"
    assert [r[0] for r in rows[1:]] == [r.name for r in result.rows if not r.same]
    assert "https://" in rows[1][2]  # each cell's sources, by title and address
    assert compare_csv(RM, result) == text.lstrip("\ufeff")


def test_the_route_page_the_legal_forms_and_the_options_appraisal_link_to_it(client):
    q = _query(NHS_ANSWERS)
    route = client.get("/route" + q).get_data(as_text=True)
    assert f'href="/compare{q.replace("&", "&amp;")}"' in route
    for sid, want in [
        ("register-cic", "/compare?route=form-cic"),
        ("register-society", "/compare?route=form-cbs&amp;route=form-coop"),
        ("register-cio", "/compare?route=form-cio"),
        ("register-jv-company", "/compare?route=form-jv"),
        ("options-appraisal", "/compare"),
    ]:
        html = client.get(f"/station/{sid}").get_data(as_text=True)
        assert f'href="{want}" data-compare="true"' in html, sid
        assert client.get(want.replace("&amp;", "&")).status_code == 200
    assert "data-compare" not in client.get("/station/tupe").get_data(as_text=True)


def test_each_legal_form_line_links_to_its_forms_compared(client):
    """A legal form's line compares the forms registered where it runs (a society's line its
    two societies); a line that is not a legal form has no such link."""
    for line in RM.lines.values():
        html = client.get(f"/line/{line.id}").get_data(as_text=True)
        found = re.findall(r'href="(/compare[^"]*)" data-compare="true"', html)
        if line.kind != "legal_form":
            assert not found, line.id
            continue
        assert len(found) == 1, line.id
        page = client.get(found[0].replace("&amp;", "&"))
        assert page.status_code == 200
        columns = parse_qs(urlsplit(found[0].replace("&amp;", "&")).query)["route"]
        for form in columns:  # each form the link asks for has its registration on the line
            option = next(o for c in RM.data.choices for o in c.options if o.id == form)
            assert set(option.stations) & set(line.stations), (line.id, form)
    html = client.get("/line/registered-society").get_data(as_text=True)
    assert 'href="/compare?route=form-cbs&amp;route=form-coop" data-compare="true"' in html


def test_the_api_gives_the_same_comparison_and_is_in_the_openapi_document(client):
    r = client.post("/api/v1/compare", json={"answers": COUNCIL, "only_differences": True})
    assert r.status_code == 200
    same = compare(RM, parse_answers(RM, COUNCIL), only_differences=True)
    assert r.get_json() == json.loads(same.model_dump_json())
    spec = client.get("/api/openapi.json").get_json()
    op = spec["paths"]["/v1/compare"]["post"]
    assert op["requestBody"] and "200" in op["responses"] and "422" in op["responses"]
    closed = client.post("/api/v1/compare", json={"answers": COUNCIL, "routes": ["form-jv"]})
    assert closed.status_code == 409 and closed.get_json()["error"]["code"] == "route_not_open"
    assert "form-jv" in closed.get_json()["error"]["message"]  # the API names ids, as typed
    for routes in (["nope"], ["form-cic", "form-cic"], ["form-jv", "nope"]):
        bad = client.post("/api/v1/compare", json={"answers": COUNCIL, "routes": routes})
        assert bad.status_code == 422 and bad.get_json()["error"]["code"] == "invalid_routes"


def test_the_cli_compares_in_text_json_and_csv(tmp_path):
    f = tmp_path / "answers.json"
    f.write_text(json.dumps({"answers": COUNCIL}), encoding="utf-8")
    run = CliRunner()
    out = run.invoke(cli, ["compare", "--answers", str(f), "--only-differences"])
    assert out.exit_code == 0, out.output
    result = compare(RM, parse_answers(RM, COUNCIL), only_differences=True)
    assert out.output.strip() == compare_text(RM, result).strip()
    assert "Co-operative society (your route)" in out.output and "SOURCES" in out.output
    assert not _ids_in(out.output.split("SOURCES")[0])
    js = run.invoke(
        cli, ["compare", "--answers", str(f), "--format", "json", "--route", "form-cic"]
    )
    assert json.loads(js.output)["columns"][0]["option"] == "form-cic"
    csv_out = run.invoke(cli, ["compare", "--answers", str(f), "--format", "csv"])
    assert csv_out.output.startswith("Row,")
    bad = run.invoke(cli, ["compare", "--answers", str(f), "--route", "nope"])
    assert bad.exit_code == 2 and "unknown route 'nope'" in bad.output
    alone = run.invoke(cli, ["compare"])  # no answers: every answer not sure
    assert alone.exit_code == 0 and "Routes side by side" in alone.output


def test_with_no_route_open_there_is_nothing_to_compare_and_the_way_on(client):
    answers = {"parent_body": "nhs", "service_area": "community_health"}
    answers["commissioner_support"] = "no"
    q = _query(answers)
    result = compare(RM, parse_answers(RM, answers))
    assert result.columns == [] and result.outcome == "nothing_open"
    html = client.get("/compare" + q).get_data(as_text=True)
    assert (
        "no routes to compare" in html and f'href="/route/whatif{q.replace("&", "&amp;")}"' in html
    )
    assert "<table" not in html
    assert "no routes to compare" in client.get("/compare.csv" + q).get_data(as_text=True)
    assert "routemap route" in compare_text(RM, result)


@pytest.mark.parametrize("value", ["yes", 1, "true", None])
def test_the_api_refuses_only_differences_that_is_not_true_or_false(client, value):
    r = client.post("/api/v1/compare", json={"answers": COUNCIL, "only_differences": value})
    assert r.status_code == 422, r.get_json()


def test_the_not_for_profit_test_is_met_in_each_forms_own_words():
    """Section 33(6)(b) in the award row: a charity's or a society's column never gives a
    community interest company's reason."""
    result = compare(RM, parse_answers(RM, COUNCIL), ["form-cic", "form-cbs", "form-cio"])
    award = next(r for r in result.rows if r.row == "award")
    said = [next(x for x in cell.lines if "33(6)(b)" in x) for cell in award.cells]
    assert len(set(said)) == 3
    assert "community interest company" in said[0]
    assert all("community interest company" not in x for x in said[1:])
    assert "community benefit society" in said[1] and "charity" in said[2]
