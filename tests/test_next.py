"""Progress and "what next?": states, the percentage, situations along persona routes."""

from __future__ import annotations

import json

import pytest
import yaml
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from routemap import RouteMap
from routemap.cli import cli
from routemap.route import AnswersError, parse_answers
from routemap.route.nextsteps import SATISFIED, _prerequisites, what_next

from .conftest import DATA, persona_doc

RM = RouteMap.load(DATA)


def persona(name: str) -> dict:
    answers = persona_doc(name)["answers"]
    return {k: v for k, v in answers.items() if k not in ("done", "in_progress")}


NHS = persona("nhs-community-nursing")
COUNCIL_LIB = persona("council-libraries-community-owned")
CRTC = persona("council-youth-no-commissioner")
CENTRAL = persona("central-government-partner")


def nxt(answers, **progress):
    return what_next(RM, parse_answers(RM, answers, progress or None))


def states(result) -> dict[str, str]:
    return {s["station"]: s["state"] for s in result.states}


def test_at_the_start_only_the_first_stages_can_start():
    r = nxt(NHS)
    assert [c["station"] for c in r.can_start] == ["explore"]
    s = states(r)
    assert s["trigger"] == "done"  # the start is where you are, not a task
    assert s["senior-sponsorship"] == "cannot_start_yet"
    assert r.progress == {
        "done": 0,
        "total": 21,
        "percent": 0,
        "in_progress": 0,
        "skipped": 0,
        "not_needed": 0,
    }


def test_what_a_station_needs_leaves_out_documents_no_longer_in_use():
    r = nxt(NHS, done=["explore"])
    check = next(c for c in r.can_start if c["station"] == "readiness-diagnostic")
    documents = RM.stations["readiness-diagnostic"].documents
    old = [d.name for d in documents if d.historical]
    assert old and all(not any(name in need for need in check["needs"]) for name in old)
    assert "Document: Starter's checklist (DCMS)" in check["needs"]
    assert [f["name"] for f in check["forms"]] == [
        d.name
        for d in documents
        if not d.historical and not d.lines  # (lines: the next test)
    ]


def test_a_document_of_another_line_is_not_what_this_route_needs():
    checker = "Contract Readiness Checker (Locality, for the Community Right to Challenge)"
    for answers, line in ((NHS, "cic"), (CRTC, "community-right-to-challenge")):
        r = nxt(answers, done=["explore"])
        check = next(c for c in r.can_start if c["station"] == "readiness-diagnostic")
        assert check["line"] == line
        listed = any(checker in need for need in check["needs"])
        assert listed == (line == "community-right-to-challenge"), line


def test_each_state_appears_with_its_detail():
    r = nxt(
        COUNCIL_LIB,
        done=["explore", "readiness-diagnostic"],
        in_progress=["senior-sponsorship"],
        skipped={"dcms-toolkit": "We have our own lawyers"},
    )
    s = states(r)
    assert s["explore"] == "done"
    assert s["senior-sponsorship"] == "in_progress"
    assert s["dcms-toolkit"] == "skipped"
    skipped = next(x for x in r.states if x["station"] == "dcms-toolkit")
    assert skipped["note"] == "We have our own lawyers"
    assert s["options-appraisal"] == "cannot_start_yet"
    blocked = next(b for b in r.blocked if b["station"] == "options-appraisal")
    assert blocked["blocked_by"] == ["senior-sponsorship"]
    assert r.in_progress == [{"station": "senior-sponsorship", "line": "registered-society"}]


def test_not_needed_names_the_rule():
    r = nxt(CRTC)
    entry = next(x for x in r.states if x["station"] == "cqc-registration")
    assert entry["state"] == "not_needed"
    assert entry["rule"] == "care-regulator-not-needed"
    assert entry["reason"]


def test_percentage_leaves_out_not_needed_and_never_counts_skipped():
    route = nxt(CRTC).route.route.stations
    tasks = [s for s in route if RM.stations[s].kind not in ("origin", "outcome")]
    assert "cqc-registration" in tasks
    r = nxt(CRTC, done=tasks[:3], skipped=tasks[3:5])
    assert r.progress["total"] == len(tasks) - 1  # cqc-registration is not needed
    assert r.progress["done"] == 3
    assert r.progress["skipped"] == 2
    assert r.progress["percent"] == round(100 * 3 / (len(tasks) - 1))


def test_everything_done_is_100_percent_and_nothing_left():
    route = nxt(NHS).route.route.stations
    tasks = [s for s in route if RM.stations[s].kind not in ("origin", "outcome")]
    r = nxt(NHS, done=tasks)
    assert r.progress["percent"] == 100
    assert [c["station"] for c in r.can_start] == [route[-1]]  # only the outcome remains
    assert r.blocked == []


@pytest.mark.parametrize(
    ("answers", "done", "can_start", "first_blocked"),
    [
        # 1. NHS team that has explored and has a sponsor: appraisal and engagement can start
        (
            NHS,
            ["explore", "readiness-diagnostic", "senior-sponsorship"],
            ["dcms-toolkit", "options-appraisal", "staff-engagement"],
            "business-case",
        ),
        # 2. the NHS team after its decision: registration, shadow body and PSR award open up
        (
            NHS,
            [
                "explore",
                "readiness-diagnostic",
                "senior-sponsorship",
                "dcms-toolkit",
                "options-appraisal",
                "staff-engagement",
                "business-case",
                "parent-decision",
            ],
            ["governance-design", "shadow-organisation", "psr-award"],
            "register-cic",
        ),
        # 3. council libraries after transfer negotiation: TUPE and the LGPS admission
        (
            COUNCIL_LIB,
            [
                "explore",
                "readiness-diagnostic",
                "senior-sponsorship",
                "dcms-toolkit",
                "options-appraisal",
                "staff-engagement",
                "business-case",
                "parent-decision",
                "governance-design",
                "register-society",
                "shadow-organisation",
                "social-investment",
                "open-tender",
                "transfer-negotiation",
            ],
            ["asset-transfer", "tupe", "lgps-admission", "vat", "operational-setup"],
            "subsidy-control",
        ),
        # 4. Community Right to Challenge: after the readiness check, ask the council
        (CRTC, ["readiness-diagnostic"], ["crtc-service-information"], "business-case"),
        # 5. CRtC after the expression of interest: the council's decision is next
        (
            CRTC,
            ["readiness-diagnostic", "crtc-service-information", "business-case", "crtc-eoi"],
            ["crtc-decision"],
            "governance-design",
        ),
        # 6. central government joint venture after partner selection
        (
            CENTRAL,
            [
                "senior-sponsorship",
                "options-appraisal",
                "staff-engagement",
                "business-case",
                "parent-decision",
                "partner-selection",
            ],
            ["governance-design"],
            "register-jv-company",
        ),
    ],
)
def test_what_next_along_persona_routes(answers, done, can_start, first_blocked):
    r = nxt(answers, done=done)
    assert [c["station"] for c in r.can_start] == can_start
    assert r.blocked[0]["station"] == first_blocked
    for c in r.can_start:
        assert c["needs"] and any(n.startswith("Who:") for n in c["needs"])


def test_deadlines_that_matter():
    r = nxt(CRTC)
    names = {d["station"] for d in r.deadlines}
    assert {"crtc-eoi", "crtc-decision", "tupe"} <= names
    tupe = next(d for d in r.deadlines if d["station"] == "tupe")
    assert "28 days" in tupe["deadline"]
    # a deadline stops mattering once its station is done
    later = nxt(CRTC, done=["tupe", "crtc-eoi"])
    # the society's annual return, due within 7 months of its year end, stays ahead
    assert {d["station"] for d in later.deadlines} == {"crtc-decision", "society-annual-return"}


def test_not_sure_answers_that_would_change_the_route():
    r = nxt({"parent_body": "council"})
    by_q = {q["question"]: q["answers_that_change_the_route"] for q in r.not_sure}
    assert "commissioner_support" in by_q and "no" in by_q["commissioner_support"]
    assert "parent_body" not in by_q  # answered
    full = nxt(NHS)
    assert "asset_lock" not in {q["question"] for q in full.not_sure}


def test_weakest_areas_come_with_open_support_only():
    r = nxt({"parent_body": "council", "staff_support": "weak", "senior_sponsor": "no"})
    assert r.weakest_areas
    assert r.weakest_areas[0]["percent"] == 0
    for area in r.weakest_areas:
        for offer in area["support"]:
            assert RM.stations[offer["station"]].status == "open"
            assert RM.stations[offer["station"]].kind == "support"


def test_progress_off_the_route_is_kept_and_noted():
    r = nxt(NHS, done=["register-society"])
    assert any("register-society" in n for n in r.notes)
    assert r.progress["done"] == 0


def test_bad_progress_names_the_station():
    with pytest.raises(AnswersError) as exc:
        parse_answers(RM, {**NHS, "done": ["not-a-station"]})
    assert exc.value.problems == ["done: unknown station 'not-a-station'"]


# ---- property: "can start now" means every prerequisite along the route is satisfied ---------

OPEN = sorted(s for s, x in RM.stations.items() if x.status == "open")


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.sampled_from([NHS, COUNCIL_LIB, CRTC, CENTRAL, {}]),
    st.lists(st.sampled_from(OPEN), max_size=15, unique=True),
    st.lists(st.sampled_from(OPEN), max_size=4, unique=True),
)
def test_can_start_has_its_prerequisites_and_no_done_station(answers, done, started):
    started = [s for s in started if s not in done]
    r = nxt(answers, done=done, in_progress=started)
    route = r.route.route.stations
    state = {s["station"]: s["state"] for s in r.states}
    for item in r.can_start:
        sid = item["station"]
        assert sid not in done and sid not in started
        k = route.index(sid)
        for pre in _prerequisites(RM, sid, route[:k]):
            assert state[pre] in SATISFIED
    for item in r.blocked:
        assert item["blocked_by"]
        assert all(state[b] not in SATISFIED for b in item["blocked_by"])
    assert 0 <= r.progress["percent"] <= 100


def test_cli_next_json_contract(tmp_path):
    (tmp_path / "a.yaml").write_text(yaml.safe_dump({**NHS, "done": ["explore"]}))
    result = CliRunner().invoke(
        cli,
        [
            "next",
            "--answers",
            str(tmp_path / "a.yaml"),
            "--in-progress",
            "readiness-diagnostic",
            "--format",
            "json",
        ],
    )
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert {"can_start", "blocked", "not_sure", "weakest_areas", "progress"} <= set(doc)
    assert doc["can_start"][0] == {
        **doc["can_start"][0],
        "station": "senior-sponsorship",
        "line": "cic",
    }
    assert {"station", "blocked_by"} <= set(doc["blocked"][0])
    assert doc["progress"]["done"] == 1
    text = CliRunner().invoke(cli, ["next", "--answers", str(tmp_path / "a.yaml")])
    assert "You can start now:" in text.stdout


def test_cli_next_bad_station(tmp_path):
    (tmp_path / "a.yaml").write_text("parent_body: nhs\n")
    result = CliRunner().invoke(
        cli, ["next", "--answers", str(tmp_path / "a.yaml"), "--done", "nowhere"]
    )
    assert result.exit_code == 2
    assert "done: unknown station 'nowhere'" in result.stderr
