"""The route finder, the rules evaluator and answers parsing, on the small mini map."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from routemap.cli import cli
from routemap.route import AnswersError, find_route, parse_answers, read_answers_file
from routemap.route.rules import evaluate, holds, would_change_if

from .conftest import DATA, MINI


def route_of(rm, answers, **progress):
    return find_route(rm, parse_answers(rm, answers, progress or None))


def test_missing_answers_count_as_not_sure(mini_map):
    p = parse_answers(mini_map, {})
    assert dict(p.answers) == {"parent_body": "not_sure", "staff_count": "not_sure"}
    assert p.given == frozenset()


def test_numbers_from_urls_and_files(mini_map):
    assert parse_answers(mini_map, {"staff_count": "40"}).answers["staff_count"] == 40
    assert parse_answers(mini_map, {"staff_count": 40}).answers["staff_count"] == 40
    assert parse_answers(mini_map, {"staff_count": "not_sure"}).answers["staff_count"] == "not_sure"


@pytest.mark.parametrize(
    ("answers", "message"),
    [
        ({"parent": "nhs"}, "parent: unknown question (known: parent_body, staff_count)"),
        ({"parent_body": "trust"}, "parent_body: must be one of council, nhs, not_sure"),
        ({"parent_body": 3}, "parent_body: must be one of council, nhs, not_sure"),
        ({"staff_count": "many"}, "staff_count: must be a whole number from 1, or not_sure"),
        ({"staff_count": 0}, "staff_count: must be a whole number from 1, or not_sure"),
        ({"staff_count": True}, "staff_count: must be a whole number from 1, or not_sure"),
        ({"done": ["nowhere"]}, "done: unknown station 'nowhere'"),
        (
            {"done": "explore", "in_progress": ["explore"]},
            "done: 'explore' cannot also be in progress or skipped",
        ),
    ],
)
def test_bad_answers_name_the_key_and_the_allowed_values(mini_map, answers, message):
    with pytest.raises(AnswersError) as exc:
        parse_answers(mini_map, answers)
    assert exc.value.problems == [message]


def test_every_problem_is_reported_at_once(mini_map):
    with pytest.raises(AnswersError) as exc:
        parse_answers(mini_map, {"parent_body": "x", "staff_count": "y", "z": 1})
    assert len(exc.value.problems) == 3


def test_long_unknown_keys_are_not_echoed_whole(mini_map):
    with pytest.raises(AnswersError) as exc:
        parse_answers(mini_map, {"x" * 500: 1})
    assert len(str(exc.value)) < 200


@pytest.mark.parametrize(
    ("rule_id", "answers", "fires"),
    [
        ("nhs-no-society", {"parent_body": "nhs"}, True),
        ("nhs-no-society", {"parent_body": "council"}, False),
        ("nhs-no-society", {}, False),
        ("big-team", {"staff_count": 100}, True),
        ("big-team", {"staff_count": 250}, True),
        ("big-team", {"staff_count": 99}, False),
        ("big-team", {}, False),
    ],
)
def test_each_rule_fires_on_its_answers_and_only_then(mini_map, rule_id, answers, fires):
    assert holds(mini_map.rules[rule_id], parse_answers(mini_map, answers)) is fires


def test_would_change_if_names_the_other_answers(mini_map):
    assert would_change_if(mini_map, mini_map.rules["nhs-no-society"]) == (
        "If parent_body were council (A council)."
    )
    assert would_change_if(mini_map, mini_map.rules["big-team"]) == (
        "If staff_count were below 100."
    )


def test_shortest_open_route_is_chosen(mini_map):
    r = route_of(mini_map, {"parent_body": "council"})
    assert r.route.stations == ["start", "register-society", "go-live", "renewed"]
    assert r.route.lines == ["society"]
    assert [s.status for s in r.route.steps] == ["to_do"] * 4
    assert all(s.reason for s in r.route.steps)


def test_excluded_line_is_avoided_and_explained(mini_map):
    r = route_of(mini_map, {"parent_body": "nhs"})
    assert r.route.lines == ["cic"]
    assert r.excluded_lines == [
        {
            "line": "society",
            "reason": "Test rule.",
            "would_change_if": "If parent_body were council (A council).",
            "rules": "nhs-no-society",
        }
    ]


def test_required_station_pulls_the_route(mini_map):
    r = route_of(mini_map, {"parent_body": "council", "staff_count": 150})
    assert "register-cic" in r.route.stations
    step = next(s for s in r.route.steps if s.station == "register-cic")
    assert step.reason == "Needed for you: Test rule."
    assert r.required == [{"station": "register-cic", "reason": "Test rule.", "rules": "big-team"}]


def test_done_stations_are_free_and_marked(mini_map):
    # done stations cost nothing: with two CIC stations done, the CIC line is now quicker
    r = route_of(mini_map, {"parent_body": "council"}, done=["explore", "register-cic"])
    assert r.route.stations == ["start", "explore", "register-cic", "go-live", "renewed"]
    r = route_of(mini_map, {"parent_body": "nhs"}, done=["explore"])
    step = next(s for s in r.route.steps if s.station == "explore")
    assert step.status == "done" and step.reason.endswith("Marked done.")


def test_route_is_a_path_along_its_lines(mini_map):
    r = route_of(mini_map, {"parent_body": "nhs", "staff_count": 5})
    steps = r.route.steps
    for a, b in zip(steps, steps[1:], strict=False):
        if b.change:
            assert a.station == b.station
        else:
            assert a.line == b.line
            assert mini_map.graph.has_edge(a.station, b.station, key=a.line)


def test_alternatives_say_what_differs(mini_map):
    r = route_of(mini_map, {"parent_body": "council"})
    assert len(r.alternatives) == 1
    alt = r.alternatives[0]
    assert alt["lines_used"] == ["cic"]
    assert "Mainly on the Community interest company route" in alt["differs"]
    assert "adds Explore mutualisation, Register a CIC" in alt["differs"]
    assert "leaves out Register a society" in alt["differs"]


def test_other_lines_are_explained(mini_map):
    r = route_of(mini_map, {"parent_body": "council"})
    assert r.other_lines == [
        {
            "line": "cic",
            "reason": "Community interest company is open to you, but the route shown is quicker "
            "or needs fewer changes of line (see alternatives).",
        }
    ]


def test_no_route_when_every_line_is_closed(mini_map, tmp_path):
    from routemap import RouteMap
    from routemap.validate import load_data

    data = load_data(MINI)
    lines = tuple(
        ln.model_copy(update={"status": "historical", "closed": "2010"}) for ln in data.lines
    )
    closed = RouteMap.from_data(type(data)(**{**data.__dict__, "lines": lines}))
    r = find_route(closed, parse_answers(closed, {}))
    assert r.route is None
    assert "No open route fits these answers" in r.message
    assert {e["line"] for e in r.excluded_lines} == {"cic", "society"}
    assert all("historical route" in e["reason"] for e in r.excluded_lines)


def test_effects_required_beats_not_needed(mini_map):
    eff = evaluate(mini_map, parse_answers(mini_map, {"staff_count": 300}))
    assert list(eff.require) == ["register-cic"]
    assert eff.not_needed == {}


# ---- answers files and the CLI ---------------------------------------------------------------


def test_answers_file_json_and_yaml(tmp_path, mini_map):
    (tmp_path / "a.json").write_text(json.dumps({"parent_body": "nhs", "done": ["explore"]}))
    (tmp_path / "a.yaml").write_text("parent_body: nhs\ndone: [explore]\n")
    for name in ("a.json", "a.yaml"):
        p = parse_answers(mini_map, read_answers_file(tmp_path / name))
        assert p.answers["parent_body"] == "nhs" and p.done == {"explore"}


def test_answers_file_errors(tmp_path):
    with pytest.raises(AnswersError, match="file not found"):
        read_answers_file(tmp_path / "missing.yaml")
    (tmp_path / "bad.json").write_text("{oops")
    with pytest.raises(AnswersError, match="cannot be read as JSON or YAML at line 1"):
        read_answers_file(tmp_path / "bad.json")
    (tmp_path / "list.yaml").write_text("- a\n- b\n")
    with pytest.raises(AnswersError, match="must be a mapping"):
        read_answers_file(tmp_path / "list.yaml")


def test_cli_route_json_contract(tmp_path):
    (tmp_path / "a.yaml").write_text("parent_body: nhs\n")
    result = CliRunner().invoke(
        cli,
        ["route", "--data", str(MINI), "--answers", str(tmp_path / "a.yaml"), "--format", "json"],
    )
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert {"route", "excluded_lines", "not_needed", "alternatives", "readiness"} <= set(doc)
    assert set(doc["route"][0]) >= {"station", "line", "reason", "status"}
    assert doc["route"][0]["station"] == "start"


def test_cli_route_bad_answers_exit_non_zero_without_traceback(tmp_path):
    (tmp_path / "a.yaml").write_text("parent_body: trust\n")
    result = CliRunner().invoke(
        cli, ["route", "--data", str(MINI), "--answers", str(tmp_path / "a.yaml")]
    )
    assert result.exit_code == 2
    assert "parent_body: must be one of council, nhs, not_sure" in result.stderr
    assert "Traceback" not in result.output


def test_cli_route_text(tmp_path):
    (tmp_path / "a.yaml").write_text("parent_body: nhs\n")
    result = CliRunner().invoke(
        cli,
        ["route", "--data", str(MINI), "--answers", str(tmp_path / "a.yaml"), "--done", "explore"],
    )
    assert result.exit_code == 0, result.output
    assert "1. A reason to change [start]" in result.stdout
    assert "(done)" in result.stdout
    assert "Lines you cannot take, and why:" in result.stdout


def test_cli_route_text_lists_several_rules_reasons_one_per_bullet(tmp_path, real_map):
    answers = {
        "parent_body": "nhs",
        "service_area": "community_health",
        "commissioner_support": "yes",
        "asset_lock": "yes",
    }
    (tmp_path / "a.json").write_text(json.dumps(answers))
    result = CliRunner().invoke(
        cli, ["route", "--data", str(DATA), "--answers", str(tmp_path / "a.json")]
    )
    assert result.exit_code == 0, result.output
    first = find_route(real_map, parse_answers(real_map, answers)).route.steps[0]
    assert len(first.because) >= 2
    lines = result.stdout.splitlines()
    starts = [i for i, line in enumerate(lines) if line.startswith("      - ")]
    assert len(starts) >= len(first.because)
    for i, reason in zip(starts, first.because, strict=False):
        assert lines[i][len("      - ") :].startswith(reason[:40])
    assert "it suits your answers." in lines[starts[0] - 1]
