"""The personalised route in the JSON API: GET /v1/questions, POST /v1/route, POST /v1/next and
GET /v1/export, through Flask's test client. The API gives what the CLI gives; bad input is a
4xx in the one error shape whose message names the key and the allowed values, never echoes
the input, and is never a 500."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from routemap.export import ExportOptions, render
from routemap.route import find_route, parse_answers
from routemap.route.answerwords import NOT_SURE
from routemap.route.kinds import kind_of
from routemap.route.nextsteps import what_next
from routemap.web import create_app

from .conftest import MINI, NHS_ANSWERS, PERSONAS, ROOT, persona_doc
from .test_api import validate

PERSONA_FILES = sorted(PERSONAS.glob("*.yaml"))
NHS = dict(NHS_ANSWERS)


def persona(name: str) -> dict:
    return persona_doc(name)["answers"]


def split(answers: dict) -> dict:
    """A persona's answers as an API body: the answers, and the progress lists beside them."""
    body: dict = {
        "answers": {k: v for k, v in answers.items() if k not in ("done", "skipped", "in_progress")}
    }
    for key in ("done", "in_progress", "skipped"):
        if key in answers:
            body[key] = answers[key]
    return body


@pytest.fixture(scope="module")
def client(real_map):
    return create_app({"ROUTEMAP": real_map}).test_client()


@pytest.fixture(scope="module")
def mini_client():
    return create_app({"DATA_DIR": MINI}).test_client()


@pytest.fixture(scope="module")
def openapi(client):
    return client.get("/api/openapi.json").json


def schema_of(openapi, path, method="post"):
    return openapi["paths"][path][method]["responses"]["200"]["content"]["application/json"][
        "schema"
    ]


def assert_error(r, status: int, *words: str) -> dict:
    assert r.status_code == status, r.data[:500]
    body = r.get_json()
    assert set(body) == {"error"}
    assert body["error"]["status"] == status
    for word in words:
        assert word in body["error"]["message"], (word, body["error"]["message"])
    return body["error"]


# ---- questions ---------------------------------------------------------------------------------
def test_questions_lists_every_question_with_its_answers(client, real_map, openapi):
    r = client.get("/api/v1/questions")
    assert r.status_code == 200
    body = r.json
    assert [q["id"] for q in body["questions"]] == list(real_map.questions)
    assert body["count"] == len(real_map.questions)
    assert body["not_sure"] == "not_sure"
    for q in body["questions"]:
        assert "not_sure" in q["allowed"]
        if q["kind"] == "choice":
            assert [o["value"] for o in q["options"]] == [
                o.value for o in real_map.questions[q["id"]].options
            ]
    assert {a["id"] for a in body["areas"]} == set(real_map.areas)
    assert set(body["progress"]) == {"done", "in_progress", "skipped", "note_<station>"}
    validate(openapi, schema_of(openapi, "/v1/questions", "get"), body)


# ---- the route -----------------------------------------------------------------------------------
@pytest.mark.parametrize("path", PERSONA_FILES, ids=lambda p: p.stem)
def test_route_is_the_models_route_for_every_persona(client, real_map, openapi, path):
    answers = yaml.safe_load(path.read_text())["answers"]
    r = client.post("/api/v1/route", json=split(answers))
    assert r.status_code == 200, r.data[:300]
    expected = find_route(real_map, parse_answers(real_map, answers)).model_dump(mode="json")
    assert r.json == expected
    validate(openapi, schema_of(openapi, "/v1/route"), r.json)


def test_route_has_the_contract_fields(client):
    r = client.post("/api/v1/route", json={"answers": NHS, "done": ["explore"]})
    body = r.json
    for key in ("outcome", "steps", "choices", "left_off", "futures", "estimate", "readiness"):
        assert key in body
    first = body["steps"][0]
    assert {"number", "station", "name", "line", "reason", "reasons", "status", "own"} <= set(first)
    explore = next(s for s in body["steps"] if s["station"] == "explore")
    assert explore["status"] == "done"
    assert body["step_count"] == len(body["steps"])
    form = next(c for c in body["choices"] if c["choice"] == "legal-form")
    assert form["option"] == "form-cic" and form["reasons"] and form["others"]
    assert all({"station", "name", "examples"} <= set(f) for f in body["futures"])
    assert body["estimate"]["journey"] and all(j["sources"] for j in body["estimate"]["journey"])
    assert all("area" in a and "answers" in a for a in body["readiness"])


def test_the_route_is_drawn_along_lines_from_the_origin(client, real_map):
    body = client.post("/api/v1/route", json=split(persona("council-care-profit-share"))).json
    drawing = body["drawing"]
    assert drawing["stations"][0] == "trigger"
    assert [s["station"] for s in body["steps"]] == drawing["stations"][1:]
    for s in drawing["strokes"]:
        assert real_map.graph.has_edge(s["source"], s["target"], key=s["line"])


def test_an_empty_body_object_means_every_answer_not_sure(client, real_map):
    r = client.post("/api/v1/route", json={})
    assert r.status_code == 200
    assert r.json == find_route(real_map, parse_answers(real_map, {})).model_dump(mode="json")


# ---- what if -----------------------------------------------------------------------------------
def test_what_if_says_what_changes_and_why(client, openapi):
    body = {**split(persona("council-care-profit-share")), "change": {"commissioner_support": "no"}}
    r = client.post("/api/v1/whatif", json=body)
    assert r.status_code == 200, r.data[:300]
    out = r.json
    assert out["changed"] is True
    assert [(c["name"], c["after"]) for c in out["choices"]] == [
        ("How the work is awarded", "Community Right to Challenge")
    ]
    assert "crtc-eoi" in {s["station"] for s in out["added"]}
    assert "commissioner_support" not in out["summary"]  # words, not ids
    validate(openapi, schema_of(openapi, "/v1/whatif"), out)


def test_what_if_nothing_changes_says_why(client):
    body = {"answers": {**NHS, "staff_profit_share": "no"}, "change": {"staff_profit_share": "no"}}
    out = client.post("/api/v1/whatif", json=body).json
    assert out["changed"] is False and "nothing changes, because" in out["summary"]


@pytest.mark.parametrize(
    "change",
    [{}, {"parent_body": "trust"}, {"parent_body": "nhs", "staff_count": 5}, {"nope": "x"}],
)
def test_a_bad_change_is_a_422_naming_it(client, change):
    r = client.post("/api/v1/whatif", json={"answers": NHS, "change": change})
    err = assert_error(r, 422, "change")
    assert "trust" not in json.dumps(err)  # never echoed


# ---- bad bodies -------------------------------------------------------------------------------
@pytest.mark.parametrize("path", ["/api/v1/route", "/api/v1/next"])
def test_a_bad_answer_names_the_key_and_the_allowed_values(client, path):
    r = client.post(path, json={"answers": {"parent_body": "trust"}})
    err = assert_error(r, 422, "parent_body", "council", "nhs", "central_government", "not_sure")
    assert err["details"][0]["location"] == "body.answers.parent_body"
    assert "trust" not in r.get_data(as_text=True)


def test_a_bad_number_names_the_range(client):
    for value in (0, 100001, "600", True, 12.5):
        r = client.post("/api/v1/route", json={"answers": {"staff_count": value}})
        assert_error(r, 422, "staff_count", "whole number from 1 to 100000", "not_sure")
    assert client.post("/api/v1/route", json={"answers": {"staff_count": 600.0}}).status_code == 200


def test_an_unknown_question_is_named_with_the_known_ones(client):
    r = client.post("/api/v1/route", json={"answers": {"parent": "nhs"}})
    assert_error(r, 422, "answers.parent", "unknown question", "parent_body", "pension_advice")


def test_markup_in_a_key_is_not_echoed(client):
    key = "<script>alert('nope')</script>"
    r = client.post("/api/v1/route", json={"answers": {key: "x"}, key: 1})
    assert r.status_code == 422
    assert "<script>" not in r.get_data(as_text=True)


def test_an_unknown_station_is_named_by_position_not_echoed(client):
    r = client.post("/api/v1/next", json={"answers": NHS, "done": ["explore", "no-such-station-x"]})
    err = assert_error(r, 422, "done[1]", "not a station id")
    assert err["details"][0]["location"] == "body.done[1]"
    assert "no-such-station-x" not in r.get_data(as_text=True)


def test_unknown_top_level_keys_are_refused(client):
    r = client.post("/api/v1/route", json={"answers": NHS, "progress": []})
    assert_error(r, 422, "body.progress")


@pytest.mark.parametrize(
    ("body", "where"),
    [
        ({"done": ["explore"], "in_progress": ["explore"]}, "in_progress[0]"),
        ({"done": ["explore"], "skipped": ["explore"]}, "skipped[0]"),
        ({"in_progress": ["tupe"], "skipped": {"tupe": "why"}}, "skipped.tupe"),
    ],
)
def test_a_station_in_two_progress_lists_is_a_409(client, body, where):
    r = client.post("/api/v1/next", json={"answers": NHS, **body})
    assert_error(r, 409, where, "one state")


def test_non_json_is_415_and_broken_json_is_400(client):
    r = client.post("/api/v1/route", data="parent_body=nhs", content_type="text/plain")
    assert_error(r, 415, "application/json")
    r = client.post("/api/v1/route", data='{"answers": ', content_type="application/json")
    assert_error(r, 400, "not valid JSON")
    r = client.post("/api/v1/next", data="[1, 2]", content_type="application/json")
    assert r.status_code == 422


def test_a_huge_body_is_413(client):
    r = client.post(
        "/api/v1/route", data=b"{" + b" " * 70_000 + b"}", content_type="application/json"
    )
    assert_error(r, 413)


def test_get_on_the_post_endpoints_is_405_with_allow(client):
    for path in ("/api/v1/route", "/api/v1/next"):
        r = client.get(path)
        assert r.status_code == 405 and "POST" in r.headers["Allow"]


# ---- what next ---------------------------------------------------------------------------------
def test_next_has_the_contract_fields(client, real_map, openapi):
    body = {
        "answers": NHS,
        "done": ["explore", "readiness-diagnostic", "options-appraisal"],
        "in_progress": ["dcms-toolkit"],
    }
    r = client.post("/api/v1/next", json=body)
    assert r.status_code == 200
    out = r.json
    assert {c["station"] for c in out["can_start"]} == {"staff-engagement", "business-case"}
    assert all({"station", "line", "who", "forms"} <= set(c) for c in out["can_start"])
    assert all(b["blocked_by"] and b["blocked_by_names"] for b in out["blocked"])
    assert [q["question"] for q in out["not_sure"]] == [
        "business_plan",
        "needs_capital",
        "public_grants_or_assets",
        "ownership",
        "charitable_status",
    ]  # profit share: a CIC with shares can share profits too, so the route stays
    assert out["weakest_areas"] and all("support" in w for w in out["weakest_areas"])
    assert out["progress"]["done"] == 4  # three marked done, and the sponsor in place
    assert out["progress"]["total"] == len(out["states"]) == out["route"]["step_count"]
    validate(openapi, schema_of(openapi, "/v1/next"), out)
    profile = parse_answers(real_map, {**NHS, **{k: v for k, v in body.items() if k != "answers"}})
    assert out == what_next(real_map, profile).model_dump(mode="json")


def test_marking_a_station_done_changes_what_can_start(client):
    before = client.post("/api/v1/next", json={"answers": NHS}).json
    first = before["can_start"][0]["station"]
    after = client.post("/api/v1/next", json={"answers": NHS, "done": [first]}).json
    assert first not in {c["station"] for c in after["can_start"]}
    assert after["progress"]["done"] == before["progress"]["done"] + 1


def test_skipped_is_never_done_and_keeps_the_total(client):
    base = client.post("/api/v1/next", json={"answers": NHS}).json
    skipped = client.post(
        "/api/v1/next", json={"answers": NHS, "skipped": {"dcms-toolkit": "own templates"}}
    ).json
    assert skipped["progress"]["done"] == base["progress"]["done"]
    assert skipped["progress"]["skipped"] == 1
    assert skipped["progress"]["total"] == base["progress"]["total"]
    state = next(s for s in skipped["states"] if s["station"] == "dcms-toolkit")
    assert state == {**state, "state": "skipped", "note": "own templates"}
    assert "dcms-toolkit" not in {c["station"] for c in skipped["can_start"]}


def test_the_api_gives_what_the_cli_gives(client, tmp_path):
    answers = persona("nhs-part-way")
    path = tmp_path / "answers.yaml"
    path.write_text(yaml.safe_dump(answers), encoding="utf-8")
    cli = subprocess.run(
        [sys.executable, "-m", "routemap", "next", "--answers", str(path), "--format", "json"],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    api = client.post("/api/v1/next", json=split(answers)).json
    from_cli = json.loads(cli.stdout)
    assert {k: v for k, v in api.items() if k in from_cli} == from_cli
    assert api["route"]["steps"] and set(from_cli) | {"route"} == set(api)


# ---- exports ------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("query", "media", "name", "start"),
    [
        ("format=svg", "image/svg+xml", "routemap.svg", b"<"),
        ("format=pdf&paper=A4", "application/pdf", "routemap.pdf", b"%PDF"),
        ("format=json", "application/json", "routemap.json", b"{"),
        ("format=html&line=cic", "text/html", "routemap-line-cic.html", b"<!DOCTYPE html>"),
        ("format=svg&parent_body=nhs&done=explore", "image/svg+xml", "routemap-route.svg", b"<"),
        ("format=png&parent_body=council", "image/png", "routemap-route.png", b"\x89PNG"),
        ("format=md&parent_body=nhs", "text/markdown", "routemap-checklist.md", b"#"),
        ("format=csv&parent_body=nhs", "text/csv", "routemap-checklist.csv", b"step,"),
    ],
)
def test_exports_download_with_type_and_name(mini_client, query, media, name, start):
    r = mini_client.get("/api/v1/export?" + query)
    assert r.status_code == 200, r.data[:300]
    assert r.mimetype == media
    assert r.headers["Content-Disposition"] == f'attachment; filename="{name}"'
    assert r.data.startswith(start)
    assert r.headers["X-Content-Type-Options"] == "nosniff"


def test_a_route_export_is_the_clis_file(client, real_map):
    answers = persona("nhs-part-way")
    profile = parse_answers(real_map, answers)
    query = "&".join(f"{k}={v}" for k, v in answers.items() if k != "done")
    query += "&done=" + ",".join(answers["done"])
    for fmt in ("md", "csv", "svg"):
        r = client.get(f"/api/v1/export?format={fmt}&{query}")
        assert r.data == render(real_map, ExportOptions(fmt, answers=profile)), fmt


def test_a_checklist_without_answers_is_the_not_sure_route(mini_client, mini_map):
    r = mini_client.get("/api/v1/export?format=md")
    assert r.data == render(mini_map, ExportOptions("md", answers=parse_answers(mini_map, {})))


@pytest.mark.parametrize(
    ("query", "status", "words"),
    [
        ("format=gif", 400, ("query.format", "'svg'", "'csv'")),
        ("", 400, ("query.format",)),
        ("format=svg&parent_body=trust", 400, ("query.parent_body", "'council'", "'not_sure'")),
        ("format=png&scale=9", 400, ("query.scale",)),
        ("format=pdf&paper=A9", 400, ("query.paper", "'A4'")),
        ("format=svg&line=nowhere", 400, ("query.line",)),
        ("format=svg&colour=red", 400, ("query.colour",)),
        ("format=svg&done=nowhere", 404, ("done", "not a station")),
        ("format=svg&done=explore&in_progress=explore", 409, ("in_progress[0]",)),
        ("format=svg&format=png", 400, ("repeated",)),
    ],
)
def test_bad_export_parameters_are_4xx_naming_the_parameter(mini_client, query, status, words):
    assert_error(mini_client.get("/api/v1/export?" + query), status, *words)


def test_export_is_in_the_openapi_document_as_files(openapi):
    op = openapi["paths"]["/v1/export"]["get"]
    content = op["responses"]["200"]["content"]
    assert {"image/svg+xml", "image/png", "application/pdf", "text/html", "text/csv"} <= set(
        content
    )
    names = {p["name"] for p in op["parameters"]}
    assert {"format", "paper", "scale", "line", "parent_body", "staff_count", "done"} <= names


def test_text_exports_are_gzipped_when_the_client_accepts_it(mini_client):
    import gzip

    plain = mini_client.get("/api/v1/export?format=svg")
    packed = mini_client.get("/api/v1/export?format=svg", headers={"Accept-Encoding": "gzip"})
    assert packed.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(packed.data) == plain.data
    png = mini_client.get("/api/v1/export?format=png", headers={"Accept-Encoding": "gzip"})
    assert "Content-Encoding" not in png.headers


@given(data=st.data())
@settings(max_examples=200, deadline=None)
def test_a_several_answer_s_link_pattern_admits_exactly_what_the_link_accepts(real_map, data):
    """The export's query schema says what a checkbox answer may be in a link: the fuzzer takes
    it at its word, so a string it admits must be accepted, and one the link refuses, refused."""
    q = data.draw(st.sampled_from([q for q in real_map.questions.values() if q.kind == "several"]))
    values = [o.value for o in q.options] + [NOT_SURE]
    raw = ",".join(data.draw(st.lists(st.sampled_from(values), min_size=1, max_size=5)))
    _, problem = kind_of(q).parse(q, raw, q.id)
    assert bool(re.match(kind_of(q).link_pattern(q), raw)) == (problem is None), raw
