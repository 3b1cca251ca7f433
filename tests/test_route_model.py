"""The route model as data (graph_data/rules.yaml) and the map drawn from it: every line is a
combination of the model's options, every reason's fields are known, and every question
changes something."""

from __future__ import annotations

import pytest

from routemap.route import find_route, parse_answers
from routemap.route.compose import TEMPLATE_FIELDS, check_template, probes, route_model
from routemap.route.whatif import compare

from .conftest import NHS_ANSWERS

# stations a line draws for its story that no answer makes a step: the start, the re-tender
# before an outcome, and the optional shadow organisation
STORY_ONLY = {"trigger", "re-tender", "shadow-organisation"}


def test_every_mutual_line_names_the_options_it_draws_and_passes_their_stations(real_map):
    model = route_model(real_map)
    option_stations = {sid: oid for oid, o in model.options.items() for sid in o.stations}
    futures = {f.station for f in real_map.data.futures}
    drawn = [ln for ln in real_map.data.lines if ln.status == "open" and ln.kind != "contrast"]
    assert drawn and all(ln.choices for ln in drawn)
    for ln in drawn:
        chosen = set(ln.choices)
        # at most one option per choice
        per_choice = [model.choice_of[o] for o in ln.choices]
        assert len(per_choice) == len(set(per_choice)), ln.id
        for oid in ln.choices:
            missing = [s for s in model.options[oid].stations if s not in ln.stations]
            assert not missing, (ln.id, oid, missing)
        for sid in ln.stations:
            if sid in STORY_ONLY or sid in futures:
                continue
            assert sid in model.steps, f"{ln.id}: {sid} is on the line but no step describes it"
            if sid in option_stations:
                owners = {oid for oid, o in model.options.items() if sid in o.stations}
                assert owners & chosen, f"{ln.id}: {sid} belongs to {owners}, not {chosen}"
        assert real_map.stations[ln.stations[-1]].kind == "outcome"


def test_contrast_and_closed_lines_draw_no_option(real_map):
    for ln in real_map.data.lines:
        if ln.kind == "contrast" or ln.status != "open":
            assert not ln.choices, ln.id


def test_every_reason_names_only_known_fields(real_map):
    for st in real_map.data.steps:
        assert check_template(st.reason) == [], st.station
    for r in real_map.data.rules:
        assert check_template(r.reason) == [] and "{" not in r.reason, r.id
    assert {"form", "staff", "readiness"} <= TEMPLATE_FIELDS


def test_every_station_a_route_can_take_is_described(real_map):
    model = route_model(real_map)
    can_take = set(model.spine) | {s for o in model.options.values() for s in o.stations}
    can_take |= {s for r in real_map.data.rules for s in r.require}
    assert can_take <= set(model.steps)


@pytest.mark.parametrize("qid", sorted(NHS_ANSWERS) + ["business_plan", "private_partner"])
def test_every_question_earns_its_place(real_map, qid):
    """Each question changes the route, a step's reasons, the readiness or what the route
    says about it, and the route says which (what each answer changes)."""
    profile = parse_answers(real_map, NHS_ANSWERS if qid in NHS_ANSWERS else {})
    changes = [compare(real_map, profile, qid, v).changed for v in probes(real_map, qid)]
    assert any(changes), qid
    effect = next(a for a in find_route(real_map, profile).answer_effects if a.question == qid)
    if qid in NHS_ANSWERS:
        assert effect.effects, qid
