"""Property tests over answer combinations on the real map (hypothesis): what an experienced
adviser would never do, whatever the answers."""

from __future__ import annotations

import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from routemap import RouteMap
from routemap.route import find_route, parse_answers
from routemap.route.compose import route_model
from routemap.route.nextsteps import what_next
from routemap.route.whatif import compare

from .conftest import DATA

RM = RouteMap.load(DATA)
MODEL = route_model(RM)
OPEN_STATIONS = sorted(s for s, st_ in RM.stations.items() if st_.status == "open")
CHARITABLE = {"form-charitable-company", "form-cio"}
ASSET_LOCKED = {"form-cic", "form-cbs", "form-charitable-company", "form-cio"}
PROFIT_SHARING = {"form-eo", "form-eot", "form-coop", "form-jv", "form-cic"}
PENSION = {
    "council": "lgps-admission",
    "nhs": "nhs-pension-access",
    "central_government": "new-fair-deal",
}
PENSION_STATIONS = set(PENSION.values())
NEGOTIATED = {"award-psr", "award-reserved", "award-competition", "award-grant"}


STAFF_CONTROL = {"one_member_one_vote", "by_shares", "through_trust"}
REGULATED = {o.value for o in RM.questions["regulated_activities"].options if not o.alone}
CARE = {
    "adult_social_care",
    "community_health",
    "mental_health",
    "acute_health",
    "health_and_social_care",
}
PROFIT_PAYING = {"form-eo", "form-eot", "form-coop", "form-jv"}
NHS_HEALTH = {"community_health", "mental_health", "acute_health"}


def answer_for(qid: str):
    q = RM.questions[qid]
    if q.kind == "number":
        low = q.minimum or 0
        high = q.maximum or 100_000
        return st.one_of(st.integers(low, high), st.sampled_from([1, 2]), st.just("not_sure"))
    if q.kind == "several":
        alone = [o.value for o in q.options if o.alone]
        many = [o.value for o in q.options if not o.alone]
        return st.one_of(
            st.lists(st.sampled_from(many), min_size=1, max_size=3, unique=True),
            st.sampled_from([[v] for v in alone]),
            st.just("not_sure"),
        )
    return st.sampled_from([o.value for o in q.options] + ["not_sure"])


@st.composite
def profiles(draw):
    answers = {}
    for qid in RM.questions:
        if draw(st.booleans()):  # a missing answer counts as not sure
            answers[qid] = draw(answer_for(qid))
    done = draw(st.lists(st.sampled_from(OPEN_STATIONS), max_size=6, unique=True))
    return answers, done


def possible(r, cid: str) -> set[str]:
    """The options a choice took or left open: what the route offers."""
    c = r.choice(cid)
    return {c.option} if c.option else set(c.still_open)


def several(value) -> set[str]:
    return set(value) if isinstance(value, tuple) else set()


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(profiles())
def test_no_answers_get_advice_an_adviser_would_never_give(case):
    answers, done = case
    profile = parse_answers(RM, answers, {"done": done})
    r = find_route(RM, profile)
    a = profile.value
    form, award = r.option_of("legal-form"), r.option_of("award")
    forms, awards = possible(r, "legal-form"), possible(r, "award")
    stations = [s.station for s in r.steps]

    if r.outcome != "route":
        # said plainly, with the nearest routes or the other ways, and no steps pretending
        assert r.message and r.steps == [] and (r.nearest or r.other_ways)
        for n in r.nearest:
            assert find_route(RM, parse_answers(RM, n.answers)).outcome == "route"
        return
    # a company the parent body owns alone is no mutual
    assert a("ownership") != "parent_body"

    # the goal is the new organisation running the service: never an outcome after go-live
    assert "go-live" in stations
    assert not any(RM.stations[s].kind == "outcome" for s in stations)
    after = stations[stations.index("go-live") + 1 :]  # then only the first year's duties
    assert all(RM.stations[s].kind == "document" for s in after), after
    # ties and open conditions are undecided, with what would decide them; never file order
    for c in r.choices:
        if c.option is None and c.still_open:
            assert c.decide_by and c.undecided.startswith("Not decided yet")
        for o in c.others:
            assert "map's order" not in o.why
    # the commissioner's answer is honoured
    if a("commissioner_support") == "yes":
        assert "award-crtc" not in awards
    if a("commissioner_support") == "no":
        assert award == "award-crtc" and not awards & NEGOTIATED
    # the legal form honours the wishes (chosen, or among those still open)
    if a("charitable_status") == "no":
        assert not forms & CHARITABLE
    if a("charitable_status") == "yes":
        assert forms <= CHARITABLE | {"form-cbs"}
    if a("asset_lock") == "yes":  # a joint venture only as a CIC limited by shares
        assert forms <= ASSET_LOCKED | {"form-jv"}
        if "form-jv" in forms:  # open only with a partner, or while who owns it is unknown
            assert a("ownership") in ("partner", "not_sure")
        if form == "form-jv":
            assert "cic34" in stations
    if a("staff_profit_share") == "yes":
        assert forms <= PROFIT_SHARING
    if a("ownership") in ("staff", "staff_and_community", "staff_and_parent"):
        assert "form-jv" not in forms
    # s33(6)(c): no reserved contract where the employees do not control the body
    if "award-reserved" in awards and award == "award-reserved":
        assert a("staff_control") in STAFF_CONTROL
    if a("staff_control") == "no":
        assert "award-reserved" not in awards and "reserved-contract" not in stations
    # health care the NHS pays for goes under the Provider Selection Regime, unless its
    # contracts move with the business a partner buys into (the partner competition awarded)
    if (
        a("parent_body") == "nhs"
        and a("service_area") in NHS_HEALTH
        and a("commissioner_support") != "no"
    ):
        if a("sold_with_contracts") == "no" or a("ownership") not in ("partner", "not_sure"):
            assert award == "award-psr"
        else:  # sold with its contracts, or not known yet: the sale may carry them
            assert awards <= {"award-psr", "award-with-sale"}
    # a sale with the contracts: no tender of its own for them afterwards
    if a("sold_with_contracts") == "yes":
        assert awards <= {"award-with-sale", "award-crtc"}
    # delegated children's social care, and adoption, go to not-for-profit bodies
    if {"social_work_other", "adoption"} & several(a("childrens_services")):
        assert not forms & PROFIT_PAYING
    # regulated care always registers with the Care Quality Commission
    if REGULATED & several(a("regulated_activities")):
        assert "cqc-registration" in stations
    if a("regulated_activities") == "not_sure" and a("service_area") in CARE:
        assert "cqc-registration" in stations
    # a children's-home reason only where the team runs one
    words = " ".join([*(s.reason for s in r.steps), *(d.text for d in r.estimate.durations)])
    if "childrens_home" not in several(a("childrens_services")):
        assert (
            "for a children's home" not in words and "You will run a children's home" not in words
        )
    # the pension step follows the parent body
    pensions = [s for s in stations if s in PENSION_STATIONS]
    assert pensions == ([PENSION[a("parent_body")]] if a("parent_body") in PENSION else [])
    # each step once, in the map's flow order, numbered 1, 2, 3...
    assert len(set(stations)) == len(stations)
    assert [RM.rank[s] for s in stations] == sorted(RM.rank[s] for s in stations)
    assert [s.number for s in r.steps] == list(range(1, len(stations) + 1))
    # every step's reason is the team's own, never the station's bare description
    for s in r.steps:
        assert s.reasons and all(x.text.strip() for x in s.reasons)
        summary = RM.stations[s.station].summary
        assert s.reason != summary and not s.reason.startswith(summary[:60])
        assert "{" not in s.reason
        assert len({x.text for x in s.reasons}) == len(s.reasons)  # no reason twice
    assert sum(s.cites_answers for s in r.steps) >= 0.7 * len(r.steps)
    # an answer that settles a step shows it in place
    if a("senior_sponsor") == "yes" and "senior-sponsorship" in stations:
        sponsor = r.steps[stations.index("senior-sponsorship")]
        assert sponsor.status in ("in_place", "done")
    # progress: stations marked done are done on the route, and only those
    for s in r.steps:
        assert (s.status == "done") == (s.station in done)
    # the drawing rides only open lines of the options chosen, and reaches go-live on the
    # chosen legal form's line
    chosen = {c.option for c in r.choices if c.option}
    for stroke in r.drawing.strokes:
        assert RM.graph.has_edge(stroke.source, stroke.target, key=stroke.line)
        assert RM.lines[stroke.line].status == "open"
        assert set(RM.lines[stroke.line].stands_for) & chosen, stroke
    for s in r.steps:
        assert s.line is None or set(RM.lines[s.line].stands_for) & chosen
    if form:
        go_live = r.steps[stations.index("go-live")]
        assert form in RM.lines[go_live.line].stands_for
        assert any(x.target == "go-live" and x.line == go_live.line for x in r.drawing.strokes)
    assert set(stations) <= set(r.drawing.stations)
    # words a person reads never show ids
    words = " ".join(
        [r.message, *(s.reason for s in r.steps), *(e for x in r.answer_effects for e in x.effects)]
    )
    assert "parent_body" not in words and "form-" not in words and "award-" not in words
    # readiness is by area, never one number
    assert {x.area for x in r.readiness} == set(RM.areas)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(profiles(), st.data())
def test_what_if_is_explained_and_one_count_of_steps_everywhere(case, data):
    answers, done = case
    profile = parse_answers(RM, answers, {"done": done})
    nr = what_next(RM, profile)
    # one count of steps: the route, the states and the progress agree
    assert len(nr.states) == nr.route.step_count == nr.progress.total
    assert [s.number for s in nr.states] == [s.number for s in nr.route.steps]
    # what next never suggests a step marked skipped, done or in place
    settled = {s.station for s in nr.route.steps if s.status != "to_do"}
    assert not settled & {c.station for c in nr.can_start}
    qid = data.draw(st.sampled_from(sorted(RM.questions)))
    q = RM.questions[qid]
    value = data.draw(
        answer_for(qid) if q.kind != "number" else st.sampled_from([1, 2, 50, 600, "not_sure"])
    )
    value = parse_answers(RM, {qid: value}).value(qid)
    w = compare(RM, profile, qid, value)
    assert w.summary.startswith(f"If you answered “{w.after_label}” to “{q.text}”")
    # what-if words never repeat a sentence, and a step taken off says its true cause
    for text in (w.summary, *(c.why for c in w.choices), *(s.why for s in (*w.added, *w.removed))):
        sentences = [x for x in re.split(r"(?<=[.!?])\s+", text) if x]
        assert len(sentences) == len(set(sentences)), text
    for s in w.removed:
        assert "belonged to a choice that changed" not in s.why
    if w.changed:
        assert "nothing changes" not in w.summary
    else:
        assert "nothing changes, because " in w.summary
        assert value == profile.value(qid) or not (w.added or w.removed or w.choices)


@settings(max_examples=60, deadline=None)
@given(profiles())
def test_the_same_answers_give_the_same_route(case):
    answers, done = case
    one = find_route(RM, parse_answers(RM, answers, {"done": done})).model_dump()
    two = find_route(
        RM, parse_answers(RM, dict(reversed(list(answers.items()))), {"done": list(reversed(done))})
    ).model_dump()
    assert one == two
