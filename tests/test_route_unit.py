"""The route finder, the rules evaluator and answers parsing, on the small mini map."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from routemap.cli import cli
from routemap.route import AnswersError, find_route, parse_answers, read_answers_file
from routemap.route.rules import applies, meets
from routemap.route.whatif import compare

from .conftest import MINI


@pytest.fixture(scope="module")
def mini_map():
    """The mini map, each line standing for its legal form (so a route is drawn on it)."""
    from routemap import RouteMap
    from routemap.validate import load_data

    data = load_data(MINI)
    lines = tuple(
        ln.model_copy(update={"choices": [f"form-{ln.id}"], "stands_for": [f"form-{ln.id}"]})
        for ln in data.lines
    )
    return RouteMap.from_data(type(data)(**{**data.__dict__, "lines": lines}))


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
    assert [str(p) for p in exc.value.problems] == [message]


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
    assert applies(mini_map.rules[rule_id], parse_answers(mini_map, answers)) is fires


def test_not_sure_meets_a_condition_only_where_it_is_named():
    from routemap.models import NumberRange

    assert meets(["yes", "not_sure"], "not_sure")
    assert not meets(["yes"], "not_sure")
    assert not meets(NumberRange(at_least=1), "not_sure")
    assert meets(NumberRange(at_most=1), 1) and not meets(NumberRange(at_most=1), 2)


def test_a_tie_is_undecided_and_says_what_would_decide_it_never_the_file_order(mini_map):
    r = route_of(mini_map, {"parent_body": "council"})
    assert r.outcome == "route"
    form = r.choice("legal-form")
    assert form.option is None and form.still_open == ["form-cic", "form-society"]
    assert [(d.kind, d.question) for d in form.decide_by] == [("question", "staff_count")]
    assert "Not decided yet: still open are Community interest company or Registered society"
    assert form.undecided.startswith(
        "Not decided yet: still open are Community interest company or Registered society."
    )
    assert "Answer “How many staff?”" in form.undecided
    assert all(o.open for o in form.others)
    assert r.heading == "Your route: the legal form is still to decide"
    # only what every open option shares is on the route, and nothing is drawn on a line
    # whose option was not chosen
    assert [s.station for s in r.steps] == ["explore", "go-live"]
    assert r.drawing.strokes == [] and all(s.line is None for s in r.steps)


def test_a_tie_the_answers_cannot_break_is_left_to_the_team(mini_map):
    from routemap import RouteMap

    data = mini_map.data
    only_nhs = RouteMap.from_data(type(data)(**{**data.__dict__, "rules": data.rules[:1]}))
    r = route_of(only_nhs, {"parent_body": "council", "staff_count": 5})
    form = r.choice("legal-form")
    assert form.option is None
    assert [d.kind for d in form.decide_by] == ["choose"]
    assert "choose with your adviser" in form.undecided


def test_a_favour_weighs_the_choice_and_says_why(mini_map):
    r = route_of(mini_map, {"parent_body": "council", "staff_count": 150})
    assert r.option_of("legal-form") == "form-society"
    assert [x.text for x in r.choice("legal-form").reasons] == ["Test rule."]
    register = next(s for s in r.steps if s.station == "register-society")
    # the step names the answers that chose its option
    assert register.reasons[0].basis == "answer"
    assert register.reasons[0].questions == ["staff_count"]
    assert "from your answers (“How many staff?” 150)" in register.reasons[0].text


def test_a_rule_out_is_named_with_its_reason(mini_map):
    r = route_of(mini_map, {"parent_body": "nhs", "staff_count": 150})
    # big-team favours the society, but the NHS rule rules it out
    assert r.option_of("legal-form") == "form-cic"
    society = r.choice("legal-form").others[0]
    assert not society.open and society.why == "Test rule."


def test_done_steps_are_marked(mini_map):
    r = route_of(mini_map, {"parent_body": "nhs"}, done=["explore"])
    assert [s.status for s in r.steps] == ["done", "to_do", "to_do"]


def test_route_is_drawn_along_its_lines_from_the_origin(mini_map):
    r = route_of(mini_map, {"parent_body": "nhs"})
    d = r.drawing
    assert d.stations == ["start", "explore", "register-cic", "go-live"]
    for s in d.strokes:
        assert mini_map.graph.has_edge(s.source, s.target, key=s.line)
    assert [(s.source, s.target) for s in d.strokes] == [
        ("start", "explore"),
        ("explore", "register-cic"),
        ("register-cic", "go-live"),
    ]


def test_the_goal_is_go_live_and_outcomes_are_futures(mini_map):
    r = route_of(mini_map, {"parent_body": "council", "staff_count": 150})
    assert r.steps[-1].station == "go-live"
    assert r.steps[-1].line == "society"  # reached on the chosen form's line
    assert [f.station for f in r.futures] == ["renewed"]


def test_nothing_open_is_said_plainly_with_the_nearest_route(mini_map, tmp_path):
    from routemap import RouteMap

    data = mini_map.data
    rules = (
        *data.rules,
        data.rules[0].model_copy(update={"id": "nhs-no-cic", "rule_out": ["form-cic"]}),
    )
    shut = RouteMap.from_data(type(data)(**{**data.__dict__, "rules": rules}))
    r = find_route(shut, parse_answers(shut, {"parent_body": "nhs"}))
    assert r.outcome == "conflict" and r.steps == []
    assert "No option for “Legal form” is open" in r.message
    assert [(n.question, n.answer) for n in r.nearest] == [("parent_body", "council")]
    assert r.nearest[0].answer_label == "A council"


def test_what_if_says_what_changes_and_why(mini_map):
    p = parse_answers(mini_map, {"parent_body": "nhs", "staff_count": 150})
    w = compare(mini_map, p, "parent_body", "council")
    assert w.changed
    assert [(c.before, c.after) for c in w.choices] == [
        ("Community interest company", "Registered society")
    ]
    assert [s.station for s in w.added] == ["register-society"]
    assert [s.station for s in w.removed] == ["register-cic"]
    assert "legal form changes from Community interest company to Registered society" in w.summary
    # the true cause: the option it came with gave way
    assert w.removed[0].why == (
        "It came with community interest company, and the legal form is now registered "
        "society (see above)."
    )


def test_what_if_a_tie_says_undecided(mini_map):
    p = parse_answers(mini_map, {"parent_body": "nhs"})
    w = compare(mini_map, p, "parent_body", "council")
    assert [(c.before, c.after) for c in w.choices] == [("Community interest company", None)]
    assert "legal form changes from Community interest company to not decided yet" in w.summary
    assert w.choices[0].why.startswith("Not decided yet")


def test_what_if_nothing_changes_says_why(mini_map):
    p = parse_answers(mini_map, {"parent_body": "council", "staff_count": 150})
    w = compare(mini_map, p, "parent_body", "not_sure")
    assert not w.changed
    assert "nothing changes, because the legal form stays Registered society" in w.summary


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
    assert {"outcome", "steps", "choices", "futures", "estimate", "readiness"} <= set(doc)
    assert set(doc["steps"][0]) >= {"number", "station", "name", "reason", "reasons", "status"}
    assert doc["steps"][0]["station"] == "explore"
    assert doc["step_count"] == len(doc["steps"])


def test_cli_route_bad_answers_exit_non_zero_without_traceback(tmp_path):
    (tmp_path / "a.yaml").write_text("parent_body: trust\n")
    result = CliRunner().invoke(
        cli, ["route", "--data", str(MINI), "--answers", str(tmp_path / "a.yaml")]
    )
    assert result.exit_code == 2
    assert "parent_body: must be one of council, nhs, not_sure" in result.stderr
    assert "Traceback" not in result.output


def test_cli_route_text_names_answers_in_words(tmp_path):
    (tmp_path / "a.yaml").write_text("parent_body: nhs\n")
    result = CliRunner().invoke(
        cli,
        ["route", "--data", str(MINI), "--answers", str(tmp_path / "a.yaml"), "--done", "explore"],
    )
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "Your answers: Which body runs the service? An NHS body" in out
    assert "1. Explore mutualisation  (done)" in out
    assert "Legal form: Community interest company" in out
    assert "parent_body" not in out and "[explore]" not in out


def test_cli_whatif(tmp_path):
    (tmp_path / "a.yaml").write_text("parent_body: nhs\n")
    base = ["--data", str(MINI), "--answers", str(tmp_path / "a.yaml")]
    result = CliRunner().invoke(cli, ["whatif", *base, "--change", "parent_body=council"])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(
        "If you answered “A council” to “Which body runs the service?”: legal form"
    )
    bad = CliRunner().invoke(cli, ["whatif", *base, "--change", "staff_count=lots"])
    assert bad.exit_code == 2 and "staff_count: must be a whole number" in bad.stderr
    bad = CliRunner().invoke(cli, ["whatif", *base, "--change", "staff_count"])
    assert bad.exit_code == 2 and "give QUESTION=ANSWER" in bad.stderr


# ---- questions of several answers, and questions no longer asked (the real map) -------------
def test_several_answers_from_a_link_a_file_and_the_api(real_map):
    from routemap.route.profile import check_answer

    qid = "regulated_activities"
    link = parse_answers(real_map, {qid: "treatment,personal_care"}).value(qid)
    file = parse_answers(real_map, {qid: ["personal_care", "treatment"]}).value(qid)
    assert link == file == ("personal_care", "treatment")  # in the question's order
    api, bad = check_answer(real_map, qid, ["treatment"], text_numbers=False)
    assert api == ("treatment",) and bad is None
    _, bad = check_answer(real_map, qid, "treatment", text_numbers=False)  # JSON: a list
    assert bad.code == "answer_not_allowed"
    for raw, code in (
        ("none,treatment", "answer_not_alone"),
        (["treatment", "treatment"], "given_twice"),
        ([], "answer_missing"),
        ("treatment,fishing", "answer_not_allowed"),
    ):
        with pytest.raises(AnswersError) as exc:
            parse_answers(real_map, {qid: raw})
        assert [p.code for p in exc.value.problems] == [code], raw
    with pytest.raises(AnswersError, match="'none' \\(None of these\\) is given alone"):
        parse_answers(real_map, {qid: "none,treatment"})


def test_an_old_question_is_read_as_its_new_one_or_refused_by_name(real_map):
    p = parse_answers(real_map, {"private_partner": "yes"})
    assert p.value("ownership") == "partner" and "private_partner" not in p.answers
    p = parse_answers(real_map, {"community_ownership": "yes", "ownership": "staff"})
    assert p.value("ownership") == "staff"  # the answer to the new question wins
    assert parse_answers(real_map, {"private_partner": "not_sure"}).given == frozenset()
    with pytest.raises(AnswersError) as exc:
        parse_answers(real_map, {"private_partner": "no"})
    (problem,) = exc.value.problems
    assert problem.code == "question_retired" and problem.location == "private_partner"
    assert "answer 'ownership' (Who will own the new organisation?) instead" in str(problem)


def test_cli_whatif_takes_several_answers(tmp_path):
    (tmp_path / "a.yaml").write_text(
        "parent_body: council\nservice_area: adult_social_care\n"
        "regulated_activities: [personal_care]\n"
    )
    result = CliRunner().invoke(
        cli,
        [
            "whatif",
            "--answers",
            str(tmp_path / "a.yaml"),
            "--change",
            "regulated_activities=none",
        ],
    )
    assert result.exit_code == 0, result.output
    assert "takes off “Register with the care regulator”" in " ".join(result.stdout.split())
