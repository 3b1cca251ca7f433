"""The route model as data (graph_data/rules.yaml) and the map drawn from it: every line is a
combination of the model's options, every reason's fields are known, and every question
changes something."""

from __future__ import annotations

import string

import pytest

from routemap.route import find_route, parse_answers
from routemap.route.compose import TEMPLATE_FIELDS, check_template, probes, route_model
from routemap.route.rules import asked_questions
from routemap.route.whatif import compare

from .conftest import NHS_ANSWERS

# stations a line draws for its story that no answer makes a step: the start, the re-tender
# before an outcome, and the optional shadow organisation
STORY_ONLY = {"trigger", "re-tender", "shadow-organisation"}


def test_every_mutual_line_stands_for_an_option_and_passes_its_stations(real_map):
    """A line stands for the options a route must take to be drawn on it (a legal form's line
    for its form, an access route's for its award); it passes every station of those options,
    and every station on it is one a route can stop at."""
    model = route_model(real_map)
    futures = {f.station for f in real_map.data.futures}
    drawn = [ln for ln in real_map.data.lines if ln.status == "open" and ln.kind != "contrast"]
    assert drawn and all(ln.stands_for for ln in drawn)
    stood_for = {o for ln in drawn for o in ln.stands_for}
    forms = {o.id for o in real_map.data.choices[0].options}
    assert forms <= stood_for, "every legal form has a line, so its route reaches go-live on it"
    for ln in drawn:
        kinds = {model.choice_of[o] for o in ln.stands_for}
        assert len(kinds) == 1, ln.id  # a line stands for options of one choice
        for oid in ln.stands_for:
            missing = [s for s in model.options[oid].stations if s not in ln.stations]
            assert not missing, (ln.id, oid, missing)
        for sid in ln.stations:
            if sid in STORY_ONLY or sid in futures:
                continue
            assert sid in model.steps, f"{ln.id}: {sid} is on the line but no step describes it"
        assert "go-live" in ln.stations
        assert real_map.stations[ln.stations[-1]].kind == "outcome"


def test_contrast_and_closed_lines_draw_no_option(real_map):
    for ln in real_map.data.lines:
        if ln.kind == "contrast" or ln.status != "open":
            assert not ln.choices, ln.id


def test_every_reason_names_only_known_fields(real_map):
    qs = list(real_map.questions)
    for st in real_map.data.steps:
        assert check_template(st.reason, qs) == [], st.station
    for r in real_map.data.rules:
        # a rule's reason may name the team's answer to a question, never a choice
        assert check_template(r.reason, qs) == [], r.id
        fields = {f for _, f, _, _ in string.Formatter().parse(r.reason) if f}
        assert not (TEMPLATE_FIELDS - {"staff"}) & fields, r.id
    for c in real_map.data.conditions:
        for case in (*c.met, *c.broken):
            assert check_template(case.reason, qs) == [], c.id
        assert check_template(c.find_out, qs) == [], c.id
    assert check_template("{nonsense}", qs) == ["nonsense"]
    assert {"form", "staff", "readiness"} <= TEMPLATE_FIELDS


def test_every_station_a_route_can_take_is_described(real_map):
    model = route_model(real_map)
    can_take = set(model.spine) | {s for o in model.options.values() for s in o.stations}
    can_take |= {s for r in real_map.data.rules for s in r.require}
    assert can_take <= set(model.steps)


@pytest.mark.parametrize(
    "qid",
    sorted(NHS_ANSWERS)
    + ["business_plan", "ownership", "staff_control", "sold_with_contracts", "childrens_services"],
)
def test_every_question_earns_its_place(real_map, qid):
    """Each question changes the route, a step's reasons, the readiness or what the route
    says about it, and the route says which (what each answer changes)."""
    profile = parse_answers(real_map, NHS_ANSWERS if qid in NHS_ANSWERS else {})
    changes = [compare(real_map, profile, qid, v).changed for v in probes(real_map, qid)]
    assert any(changes), qid
    effects = {a.question: a for a in find_route(real_map, profile).answer_effects}
    if qid in NHS_ANSWERS:
        assert effects[qid].effects, qid
    else:  # a question only some answers call for says nothing until it is asked
        assert (qid in effects) == (qid in asked_questions(real_map, {})), qid
