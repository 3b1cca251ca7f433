"""Problems with answers are typed (a code, its parameters, a location) and worded in one place;
what acts on a problem reads its code, and the answer limits are declared once."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import get_args

import pytest

from routemap.route import answerproblems as AP
from routemap.route.answerproblems import Code, api_words, page_subject, page_words, problem, words
from routemap.route.profile import MAX_NOTE, AnswersError, parse_answers
from routemap.web.answerlink import fix_for, parse_link
from routemap.web.app import create_app

ROOT = Path(__file__).resolve().parents[1]

# (link, the problem's location, its code, the fix a page offers)
FIXES = [
    ("?parent_body=nhs&done=explore,nowhere,tupe", "done", "unknown_station",
     ("/adviser?parent_body=nhs&done=explore,tupe", "Take “nowhere” out of the steps done")),
    ("?done=explore&in_progress=explore,tupe", "done", "station_in_two_lists",
     ("/adviser?done=explore&in_progress=tupe",
      "Take “Explore becoming a mutual” out of the steps in progress")),
    ("?parent_body=nhs&parent_body=council", "parent_body", "given_twice",
     ("/adviser?parent_body=nhs", "Keep the first")),
    ("?colour=1&parent_body=nhs", "colour", "unknown_parameter",
     ("/adviser?parent_body=nhs", "Remove it")),
    ("?parent_body=trust&done=explore", "parent_body", "answer_not_allowed",
     ("/route/change/parent_body?parent_body=trust&done=explore", "Change this answer")),
]  # fmt: skip


def test_every_code_has_words():
    assert set(get_args(Code)) == set(AP._WORDS)
    for code in get_args(Code):
        assert words(problem(code, "somewhere"))
        assert api_words(problem(code, "somewhere"))


@pytest.mark.parametrize(("query", "key", "code", "fix"), FIXES)
def test_a_problem_has_a_code_and_a_location(real_map, query, key, code, fix):
    link = parse_link(real_map, query)
    assert (key, code) in [(p.location, p.code) for p in link.problems]


@pytest.mark.parametrize(("query", "key", "code", "fix"), FIXES)
def test_the_fix_is_chosen_by_code_not_by_words(real_map, monkeypatch, query, key, code, fix):
    # reword every problem: quotes, "more than once", "unknown station" all gone
    for name in AP._WORDS:
        monkeypatch.setitem(AP._WORDS, name, lambda p: "something is not right here")
    link = parse_link(real_map, query)
    p = next(p for p in link.problems if p.location == key and p.code == code)
    assert p.message == "something is not right here"
    assert fix_for(real_map, link.pairs, "/adviser", p) == fix


def test_the_words_are_the_pages_words(real_map):
    link = parse_link(real_map, "?done=explore&in_progress=explore&note_tupe=x")
    texts = [p.text() for p in link.problems]
    assert "done: 'explore' cannot also be in progress or skipped" in texts
    assert "note_tupe: a note is only kept for a skipped station: add tupe to skipped" in texts
    with pytest.raises(AnswersError) as exc:
        parse_answers(real_map, {"staff_count": "many"})
    assert str(exc.value) == "staff_count: must be a whole number from 1 to 100000, or not_sure"
    assert exc.value.problems[0].code == "not_a_number"


def test_the_api_error_details_carry_the_code(real_map):
    client = create_app({"ROUTEMAP": real_map}).test_client()
    r = client.post(
        "/api/v1/next",
        json={"answers": {"staff_count": "600"}, "done": ["explore", "nowhere"]},
    )
    assert r.status_code == 422
    details = r.get_json()["error"]["details"]
    assert [(d["location"], d["code"]) for d in details] == [
        ("body.answers.staff_count", "not_a_number"),
        ("body.done[1]", "unknown_station"),
    ]
    assert "nowhere" not in r.get_data(as_text=True)  # the API never echoes input


# ---- the note limit, declared once ----------------------------------------------------------
def test_the_parser_reads_the_note_limit(real_map):
    ok = parse_link(real_map, "?skipped=tupe&note_tupe=" + "x" * MAX_NOTE)
    assert ok.ok and ok.profile.skipped["tupe"] == "x" * MAX_NOTE
    long = parse_link(real_map, "?skipped=tupe&note_tupe=" + "x" * (MAX_NOTE + 1))
    assert [p.code for p in long.problems] == ["note_too_long"]
    assert long.problems[0].param("limit") == MAX_NOTE


def test_the_openapi_schema_and_the_forms_read_the_note_limit(real_map):
    client = create_app({"ROUTEMAP": real_map}).test_client()
    doc = json.dumps(client.get("/api/openapi.json").get_json())
    lengths = {int(n) for n in re.findall(r'"maxLength": (\d+)', doc)}
    assert MAX_NOTE in lengths
    page = client.get("/adviser?parent_body=nhs&skipped=dcms-toolkit").get_data(as_text=True)
    note_box = re.search(r'<input[^>]*name="note_dcms-toolkit"[^>]*>', page).group(0)
    assert f'maxlength="{MAX_NOTE}"' in note_box
    body = {"answers": {}, "skipped": {"tupe": "x" * (MAX_NOTE + 1)}}
    r = client.post("/api/v1/next", json=body)
    assert r.status_code == 422
    assert r.get_json()["error"]["details"][0]["code"] == "note_too_long"


def test_no_other_note_limit_is_written_in_the_code():
    written = []
    for path in (ROOT / "routemap").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        for m in re.finditer(r"maxLength=500|\[:500\]|MAX_NOTE = ", text):
            written.append(f"{path.relative_to(ROOT)}: {m.group(0)}")
    assert written == ["routemap/route/profile.py: MAX_NOTE = "]


@pytest.mark.parametrize("code", get_args(Code))
@pytest.mark.parametrize("location", ["staff_support", "done", "in_progress", "note_tupe", "link"])
def test_a_page_words_every_problem_without_an_id(real_map, code, location):
    """A page names the question, the step and the answers as its reader saw them: no question
    id, progress-list id, station id or answer value reaches the words (the CLI's do)."""
    p = problem(
        code, location, limit=50, station="tupe", allowed=("strong", "not_sure"), minimum=1,
        maximum=9, line=3, reason="denied", value="x", questions=tuple(real_map.questions),
        known=tuple(real_map.questions), also="in done", index=0,
    )  # fmt: skip
    said = f"{page_subject(p, real_map)}: {page_words(p, real_map)}"
    ids = set(real_map.questions) | set(real_map.stations) | {"not_sure", "in_progress", "note_"}
    shown = set(re.findall(r"[a-z][a-z0-9]*(?:[_-][a-z0-9]+)+|not_sure|note_", said))
    assert not shown & ids, said
