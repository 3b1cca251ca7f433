"""Property tests over answer combinations on the real map (hypothesis)."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from routemap import RouteMap
from routemap.route import find_route, parse_answers

from .conftest import DATA

RM = RouteMap.load(DATA)
OPEN_STATIONS = sorted(s for s, st_ in RM.stations.items() if st_.status == "open")


def answer_for(qid: str):
    q = RM.questions[qid]
    if q.kind == "number":
        low = q.minimum or 0
        high = q.maximum or 100_000
        return st.one_of(st.integers(low, high), st.just("not_sure"))
    return st.sampled_from([o.value for o in q.options] + ["not_sure"])


@st.composite
def profiles(draw):
    answers = {}
    for qid in RM.questions:
        if draw(st.booleans()):  # a missing answer counts as not sure
            answers[qid] = draw(answer_for(qid))
    done = draw(st.lists(st.sampled_from(OPEN_STATIONS), max_size=6, unique=True))
    return answers, done


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(profiles())
def test_every_answer_combination_gets_a_sound_explained_route(case):
    answers, done = case
    profile = parse_answers(RM, answers, {"done": done})
    result = find_route(RM, profile)
    route = result.route
    assert route is not None, result.message
    steps = route.steps

    # a path in the graph, along its lines, from an origin to an outcome
    assert steps[0].station in RM.origins
    assert RM.stations[steps[-1].station].kind == "outcome"
    assert not steps[0].change
    for a, b in zip(steps, steps[1:], strict=False):
        if b.change:
            assert a.station == b.station and a.line != b.line
        else:
            assert a.line == b.line
            assert RM.graph.has_edge(a.station, b.station, key=a.line)

    # no ineligible or historical line, no closed station
    excluded = {e["line"] for e in result.excluded_lines}
    for step in steps:
        assert step.line not in excluded
        assert RM.lines[step.line].status == "open"
        assert RM.stations[step.station].status == "open"
    # comparison routes are whole routes of their own
    kinds = {RM.lines[lid].kind for lid in route.lines}
    if "contrast" in kinds:
        assert len(route.lines) == 1

    # every required station is on the route, or said plainly why not
    on_route = set(route.stations)
    unmet = {u["station"]: u["reason"] for u in result.unmet}
    for req in result.required:
        assert req["station"] in on_route or unmet.get(req["station"])
        assert req["reason"]

    # a reason for every step, change, exclusion and station not needed
    assert all(step.reason.strip() for step in steps)
    # the rules' reasons a page lists one by one are the ones the reason's text joins
    for step in steps:
        assert all(b.strip() for b in step.because)
        if step.because:
            assert " ".join(step.because) in step.reason
    for e in result.excluded_lines:
        assert e["reason"].strip() and e["would_change_if"].strip()
    for n in result.not_needed:
        assert n["reason"].strip()
    for o in result.other_lines:
        assert o["reason"].strip()

    # progress shows: stations marked done are done on the route
    for step in steps:
        if step.station in done:
            assert step.status == "done"
        elif step.status == "done":
            raise AssertionError(f"{step.station} is done but was not marked")

    # readiness is by area, never one number
    assert {a.id for a in result.readiness} == set(RM.areas)


@settings(max_examples=60, deadline=None)
@given(profiles())
def test_the_same_answers_give_the_same_route(case):
    answers, done = case
    one = find_route(RM, parse_answers(RM, answers, {"done": done})).as_json()
    two = find_route(
        RM, parse_answers(RM, dict(reversed(list(answers.items()))), {"done": list(reversed(done))})
    ).as_json()
    assert one == two
