"""The content of the real map (graph_data/): coverage, sourcing, plain English and feasibility.

These tests check what the data says, not the data format (tests/test_schema.py and the
validator do that): enough lines and stations, every station explained and sourced, closed
routes dated, abbreviations spelt out, and every pension and registration station reachable
on today's (open) lines, so the route finder always has a route to offer.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import re
from pathlib import Path

import networkx as nx
import pytest

from routemap import RouteMap

DATA = Path(__file__).resolve().parent.parent / "graph_data"

PENSION_STATIONS = ("lgps-admission", "nhs-pension-access", "new-fair-deal")
OUTCOMES_REQUIRED = (
    "contract-renewed",
    "lost-on-retender",
    "taken-back-in-house",
    "wound-up",
    "partner-takes-control",
    "stays-in-house",
)
# Ids that existed before the full map; URLs, saved answers and tests depend on them.
KEPT_STATIONS = (
    "trigger explore senior-sponsorship options-appraisal staff-engagement business-case "
    "parent-decision governance-design register-cic register-company register-society "
    "reserved-contract transfer-negotiation tupe lgps-admission go-live cic34 contract-renewed "
    "in-house-transformation stays-in-house"
).split()
KEPT_LINES = ("cic", "employee-owned-company", "registered-society", "stay-in-house")

YES_NO = ["yes", "no", "not_sure"]
QUESTIONS = {
    "parent_body": ["council", "nhs", "central_government", "other_public"],
    "service_area": [
        "adult_social_care",
        "childrens_social_care",
        "youth_services",
        "community_health",
        "mental_health",
        "acute_health",
        "health_and_social_care",
        "education_support",
        "libraries_and_culture",
        "leisure_and_sport",
        "back_office",
        "other",
    ],
    "staff_support": ["strong", "mixed", "weak", "not_sure"],
    **{
        q: YES_NO
        for q in (
            "senior_sponsor",
            "commissioner_support",
            "needs_capital",
            "asset_lock",
            "staff_profit_share",
            "charitable_status",
        )
    },
    "ownership": ["staff", "staff_and_community", "staff_and_parent", "partner", "parent_body"],
    "staff_control": ["one_member_one_vote", "by_shares", "through_trust", "no"],
}
# the law turns on what the service does: each of several answers, "None of these" alone
SEVERAL = {
    "regulated_activities": [
        "personal_care",
        "care_home",
        "treatment",
        "mental_health_act",
        "diagnostics",
        "nursing_care",
        "none",
    ],
    "childrens_services": [
        "childrens_home",
        "fostering",
        "adoption",
        "family_centre",
        "social_work_in_care",
        "social_work_other",
        "none",
    ],
}

# A run of two or more capital letters (digits allowed): CIC, NHS, TUPE, LGPS, CIC36, MSP2.
ACRONYM = re.compile(r"\b[A-Z0-9]*[A-Z][A-Z0-9]*[A-Z][A-Z0-9]*\b")


@pytest.fixture(scope="module")
def rm() -> RouteMap:
    return RouteMap.load(DATA)


def open_flow(rm: RouteMap) -> nx.DiGraph:
    """The flow along open lines only: one edge per consecutive pair of stations on a line.

    A path in this graph changes line only at a station both lines pass through.
    """
    g = nx.DiGraph()
    for ln in rm.lines.values():
        if ln.status == "open":
            nx.add_path(g, ln.stations)
    return g


def legal_form_registrations(rm: RouteMap) -> list[str]:
    return [
        s.id
        for s in rm.stations.values()
        if s.kind == "registration" and s.id.startswith("register-") and s.status == "open"
    ]


# ---- coverage -------------------------------------------------------------------------------


def test_enough_lines_and_stations(rm):
    assert len(rm.lines) >= 12
    assert len(rm.stations) >= 60


def test_existing_ids_are_kept(rm):
    assert set(KEPT_STATIONS) <= set(rm.stations)
    assert set(KEPT_LINES) <= set(rm.lines)


def test_at_least_ten_interchanges(rm):
    assert len(rm.interchanges) >= 10


def test_one_origin_and_the_outcomes(rm):
    assert rm.origins == ("trigger",)
    assert set(OUTCOMES_REQUIRED) <= set(rm.outcomes)


def test_every_line_starts_at_the_origin_and_ends_at_an_outcome(rm):
    for ln in rm.lines.values():
        assert ln.stations[0] == "trigger", ln.id
        assert rm.stations[ln.stations[-1]].kind == "outcome", ln.id


def test_pension_stations_are_alternatives_after_tupe(rm):
    for pid in PENSION_STATIONS:
        before, after = rm.neighbours(pid)
        assert before and after, pid
    # the station before the pensions is an interchange, and so is each station after them
    assert "tupe" in rm.interchanges
    for pid in PENSION_STATIONS:
        _, after = rm.neighbours(pid)
        for nxt, _line in after:
            assert nxt in rm.interchanges, (pid, nxt)


# ---- every station explained and sourced ----------------------------------------------------


def test_every_station_has_summary_kind_who_and_source(rm):
    for s in rm.stations.values():
        assert s.summary.strip(), s.id
        assert s.kind, s.id
        assert s.who, s.id
        assert s.sources, s.id
        assert s.duration.text.strip() and s.cost.text.strip(), s.id


def test_every_line_and_example_has_a_source(rm):
    for ln in rm.lines.values():
        assert ln.sources, ln.id
        for ex in ln.examples:
            assert ex.sources, ln.id
    for s in rm.stations.values():
        for ex in s.examples:
            assert ex.sources, s.id


def test_every_source_is_cited(rm):
    cited = set()
    for item in (*rm.stations.values(), *rm.lines.values()):
        cited.update(item.sources)
        for ex in item.examples:
            cited.update(ex.sources)
    for st in rm.stations.values():
        cited.update(st.all_sources())
    for r in rm.rules.values():
        cited.update(r.sources)
    for c in rm.data.choices:
        for o in c.options:
            cited.update(o.sources)
    for item in (*rm.data.steps, *rm.data.journey, *rm.data.conditions):
        cited.update(item.sources)
    assert set(rm.sources) - cited == set()


def test_days_only_where_a_figure_is_given(rm):
    for s in rm.stations.values():
        d = s.duration
        if d.text.lower().startswith("not published"):
            assert d.min_days is None and d.max_days is None, s.id


def test_station_names_are_short_map_labels(rm):
    for s in rm.stations.values():
        assert len(s.name) <= 34, f"{s.id}: name '{s.name}' is longer than 34 characters"


def test_facts_as_of_is_the_month_of_the_latest_check(rm):
    assert re.fullmatch(r"\d{4}-\d{2}", rm.info.facts_as_of)
    latest = max(s.checked[:7] for s in rm.sources.values() if s.checked)
    assert rm.info.facts_as_of == latest


# ---- historical routes and support offers ---------------------------------------------------


def test_historical_lines_and_stations_have_dates(rm):
    """A closed route or station says when it closed, or that no source records an end: the
    map never guesses a closing date (the Right to Provide's 31 December 2011 was only its
    deadline for expressions of interest)."""
    for ln in rm.lines.values():
        if ln.status == "historical":
            assert ln.opened and (ln.closed or ln.no_end_recorded), ln.id
    for s in rm.stations.values():
        if s.status == "historical":
            assert s.closed or s.no_end_recorded, s.id


def test_documents_of_closed_programmes_are_marked_historical(rm):
    """A document dated to years that ended before the facts' date, "(2018 to 2020)" or
    "(2017)", belongs to a closed programme: it is context, not something needed today."""
    dated = re.compile(r"\((?:[^()]*,\s*)?(?:about\s+)?(\d{4})(?:\s+to\s+(?:about\s+)?(\d{4}))?\)")
    as_of = int(rm.info.facts_as_of[:4])
    seen = 0
    for s in rm.stations.values():
        for d in s.documents:
            m = dated.search(d.name)
            ended = m and int(m.group(2) or m.group(1)) < as_of
            assert bool(ended) == d.historical, (s.id, d.name)
            seen += bool(ended)
    assert seen >= 2  # the readiness check's support-fund applications (2017; 2018 to 2020)


def test_closed_routes_named_in_the_brief_are_historical(rm):
    assert rm.lines["right-to-request"].closed == "2010-09-30"
    assert rm.lines["mutual-reserved-contract-2015"].closed == "2025-02-24"
    assert rm.lines["mutuals-support-programmes"].status == "historical"
    assert rm.stations["reserved-contract"].opened == "2025-02-24"
    assert rm.stations["msp"].status == "historical"


def test_support_stations_have_eligibility_and_dates(rm):
    support = [s for s in rm.stations.values() if s.kind == "support"]
    assert len(support) >= 8
    for s in support:
        assert s.eligibility, s.id
        assert s.opened, s.id
        if s.status == "historical":
            assert s.closed or s.no_end_recorded, s.id
    assert any(s.status == "open" for s in support)


def test_every_support_offer_is_linked_from_a_stage(rm):
    support = {s.id for s in rm.stations.values() if s.kind == "support"}
    assert support - set(rm.supported_by) == set()


def test_open_lines_pass_no_closed_station(rm):
    """The route finder drops closed stations, so an open line must not depend on one."""
    for ln in rm.lines.values():
        if ln.status == "open":
            closed = [sid for sid in ln.stations if rm.stations[sid].status == "historical"]
            assert closed == [], f"open line {ln.id} passes closed stations {closed}"


# ---- plain English: abbreviations spelt out -------------------------------------------------


def station_text(s) -> str:
    parts = [s.name, s.summary, s.note or "", s.eligibility or "", *s.who]
    for d in s.documents:
        parts += [d.name, d.note or ""]
    return "\n".join(parts)


def unexplained_acronyms(s) -> list[str]:
    codes = {d.code for d in s.documents if d.code}
    text = station_text(s)
    missing = []
    for acr in dict.fromkeys(ACRONYM.findall(s.summary)):
        if acr in codes:
            continue
        if not re.search(r"[A-Za-z][\w'’,.-]*\s+\(" + re.escape(acr) + r"\)", text):
            missing.append(acr)
    return missing


def test_every_acronym_in_a_summary_is_expanded_in_its_station(rm):
    problems = [
        f"{s.id}: '{acr}' is not spelt out as 'words ({acr})' in the station"
        for s in rm.stations.values()
        for acr in unexplained_acronyms(s)
    ]
    assert problems == [], "\n".join(problems)


def test_the_acronym_check_catches_a_bare_acronym(rm):
    bare = rm.stations["tupe"].model_copy(update={"summary": "Staff move under TUPE and the NHS."})
    # TUPE is spelt out in the station's name; NHS is not spelt out anywhere in it
    assert unexplained_acronyms(bare) == ["NHS"]
    coded = rm.stations["register-cic"]
    assert "CIC36" not in unexplained_acronyms(coded)


# ---- questions and rules --------------------------------------------------------------------


def test_required_questions_and_answers_exist(rm):
    for qid, values in QUESTIONS.items():
        q = rm.questions[qid]
        assert q.kind == "choice", qid
        assert [o.value for o in q.options] == values, qid
    count = rm.questions["staff_count"]
    assert count.kind == "number" and count.minimum == 1
    for qid, values in SEVERAL.items():
        q = rm.questions[qid]
        assert q.kind == "several" and [o.value for o in q.options] == values, qid
        assert [o.value for o in q.options if o.alone] == ["none"], qid
    # old answers files keep working: a retired question's answer maps onto the new one
    assert {r.id: r.now for r in rm.data.retired_questions} == {
        "private_partner": "ownership",
        "community_ownership": "ownership",
    }


def test_readiness_scores(rm):
    def scores(qid):
        return {o.value: o.score for o in rm.questions[qid].options}

    assert scores("staff_support") == {"strong": 2, "mixed": 1, "weak": 0, "not_sure": 0}
    assert scores("senior_sponsor") == {"yes": 2, "no": 0, "not_sure": 0}
    for qid in ("parent_body", "service_area"):
        assert set(scores(qid).values()) == {None}, qid
    areas = {q.area for q in rm.questions.values()}
    assert len(areas) >= 6


def _option(rm, oid):
    return next(o for c in rm.data.choices for o in c.options if o.id == oid)


def _condition(rm, cid):
    return next(c for c in rm.data.conditions if c.id == cid)


def test_rules_encode_the_fact_sheet(rm):
    """The route model says what the fact sheet says (the corpus of real spin-outs in
    test_route_corpus.py checks the advice it gives)."""
    assert _option(rm, "pension-lgps").when["parent_body"] == ["council"]
    assert _option(rm, "pension-nhs").when["parent_body"] == ["nhs"]
    assert _option(rm, "pension-nfd").when["parent_body"] == ["central_government"]
    crtc = _option(rm, "award-crtc")
    assert crtc.when["commissioner_support"] == ["no"]
    assert set(crtc.when["parent_body"]) == {"council", "other_public"}
    for oid in ("award-psr", "award-reserved", "award-competition", "award-grant"):
        assert _option(rm, oid).unless["commissioner_support"] == ["no"], oid
    assert {"form-charitable-company", "form-cio"} <= set(
        rm.rules["charitable-status-not-wanted"].rule_out
    )
    assert "cqc-registration" in rm.rules["cqc-for-regulated-activities"].require


def test_the_legal_conditions_are_data_with_their_sources(rm):
    """Each condition names the law it applies, which answers meet it and which break it."""
    s33 = _condition(rm, "s33-employee-control")
    assert s33.of == ["award-reserved"] and "pa2023-s33" in s33.sources
    assert any(c.when.get("staff_control") == ["no"] for c in s33.broken)
    assert any(c.when.get("ownership") == ["parent_body"] for c in s33.broken)
    psr = _condition(rm, "psr-health-care")
    assert psr.of == ["award-psr"] and "psr-regs" in psr.sources
    assert "main" in psr.find_out  # a mixed contract: whether health care is its main part
    teckal = _condition(rm, "a-mutual-not-a-council-company")
    assert "pa2023-sch2-vertical" in teckal.sources and len(teckal.of) == 8
    delegation = _condition(rm, "delegation-not-for-profit")
    assert delegation.when == {"childrens_services": ["social_work_other"]}
    assert {o for c in delegation.broken for o in c.with_} == {
        "form-eo",
        "form-eot",
        "form-coop",
        "form-jv",
    }
    sale = _condition(rm, "sale-moves-the-contracts")
    assert "award-competition" in sale.of and "award-with-sale" not in sale.of
    assert {c.id for c in rm.data.conditions} >= {
        "s33-reservable-service",
        "s33-profits",
        "adoption-not-for-profit",
    }


def test_rules_and_options_cite_sources_and_use_open_stations(rm):
    for r in rm.rules.values():
        assert r.reason.strip() and r.sources, r.id
        for sid in (*r.require, *r.settles, *r.explains):
            assert rm.stations[sid].status == "open", (r.id, sid)
    for c in rm.data.choices:
        for o in c.options:
            assert o.sources, o.id
            assert all(rm.stations[s].status == "open" for s in o.stations), o.id
    for st in rm.data.steps:
        assert st.sources and rm.stations[st.station].status == "open", st.station


def test_with_the_commissioner_backing_every_service_has_a_route(rm):
    """Whatever the body and the service, a backed team has a route to a mutual."""
    from routemap.route import find_route, parse_answers

    for body in [o.value for o in rm.questions["parent_body"].options]:
        for service in [o.value for o in rm.questions["service_area"].options]:
            answers = {
                "parent_body": body,
                "service_area": service,
                "commissioner_support": "yes",
            }
            result = find_route(rm, parse_answers(rm, answers), explain=False)
            assert result.outcome == "route", answers


# ---- feasibility on today's lines -----------------------------------------------------------


def test_every_pension_and_registration_station_is_on_an_open_route(rm):
    g = open_flow(rm)
    outcomes = [o for o in rm.outcomes if o in g]
    regs = legal_form_registrations(rm)
    assert len(regs) >= 6
    for sid in (*PENSION_STATIONS, *regs):
        assert sid in g, f"{sid} is on no open line"
        assert nx.has_path(g, "trigger", sid), f"no open route from trigger to {sid}"
        assert any(nx.has_path(g, sid, o) for o in outcomes), f"no open route from {sid}"


@pytest.mark.parametrize("pension", PENSION_STATIONS)
def test_every_legal_form_combines_with_every_pension(rm, pension):
    """E.g. a council team choosing a CIC can reach register-cic and then lgps-admission."""
    g = open_flow(rm)
    for reg in legal_form_registrations(rm):
        assert nx.has_path(g, reg, pension), f"no open route through {reg} then {pension}"


def test_legal_forms_combine_with_open_procurement_routes(rm):
    """Shadow organisation is where a legal form meets another way to win the contract."""
    g = open_flow(rm)
    for reg in ("register-cic", "register-society", "register-company", "register-cio"):
        for award in ("reserved-contract", "psr-award", "crtc-procurement", "open-tender"):
            assert nx.has_path(g, reg, award), (reg, award)


def test_segments_stay_legible(rm):
    """No more than 8 lines share one stretch of track (the aim is 6; see README)."""
    counts: dict[tuple[str, str], int] = {}
    for ln in rm.lines.values():
        for a, b in zip(ln.stations, ln.stations[1:], strict=False):
            counts[(a, b)] = counts.get((a, b), 0) + 1
    assert max(counts.values()) <= 8


# ---- sources: original publishers, dated and checked -------------------------------------------
# The draw is fixed so a failure can be repeated; ROUTEMAP_FACT_SEED draws another sample.
FACT_SEED = int(os.environ.get("ROUTEMAP_FACT_SEED", "20261201"))
CHECKED_WITHIN_MONTHS = 18
FIGURE = re.compile(r"[\d£]|\bFree\b")


def all_facts(rm: RouteMap) -> list[tuple[str, str, tuple[str, ...]]]:
    """Every fact on the map as (where, text, the sources it cites): a fee or a time cites its
    own sources where it has them, otherwise the station's."""
    out = []
    for st in rm.stations.values():
        own = st.fact_sources()
        out.append((f"station {st.id}: summary", st.summary, tuple(st.sources)))
        out.append((f"station {st.id}: cost", st.cost.text, own.get("cost", tuple(st.sources))))
        out.append(
            (f"station {st.id}: duration", st.duration.text, own.get("duration", tuple(st.sources)))
        )
        out += [(f"station {st.id}: example", ex.text, tuple(ex.sources)) for ex in st.examples]
    for ln in rm.lines.values():
        out.append((f"line {ln.id}: summary", ln.summary, tuple(ln.sources)))
        out += [(f"line {ln.id}: example", ex.text, tuple(ex.sources)) for ex in ln.examples]
    out += [
        (f"rule {r.id}: reason", r.reason, tuple(r.sources)) for r in rm.rules.values() if r.sources
    ]
    out += [(f"step {s.station}: reason", s.reason, tuple(s.sources)) for s in rm.data.steps]
    out += [
        (f"option {o.id}: summary", o.summary, tuple(o.sources))
        for c in rm.data.choices
        for o in c.options
    ]
    out += [(f"journey {j.id}", j.text, tuple(j.sources)) for j in rm.data.journey]
    return out


def facts_relied_on_today(rm: RouteMap) -> list[tuple[str, str, tuple[str, ...]]]:
    """The fees and times a team pays and plans by: those of open registrations and filings
    that state a figure (not those the map itself marks not confirmed)."""
    return [
        (where, text, ids)
        for where, text, ids in all_facts(rm)
        if where.endswith((": cost", ": duration"))
        and rm.stations[where.split()[1].rstrip(":")].kind in ("registration", "document")
        and rm.stations[where.split()[1].rstrip(":")].status == "open"
        and FIGURE.search(text)
        and "not confirmed" not in text
    ]


def months_ago(date: str, today: dt.date) -> int:
    year, month = (int(x) for x in (date + "-01")[:7].split("-"))
    return (today.year * 12 + today.month) - (year * 12 + month)


def test_sampled_facts_cite_existing_sources_checked_within_18_months(rm):
    """Any fact drawn at random cites sources that exist, each with the month it was checked,
    no more than 18 months before today (so the test fails once the map's checks go stale)."""
    facts = all_facts(rm)
    today = dt.date.today()
    sample = random.Random(FACT_SEED).sample(facts, min(60, len(facts)))
    for where, _text, ids in sample:
        assert ids, f"seed {FACT_SEED}: {where} cites no source"
        for sid in ids:
            assert sid in rm.sources, f"seed {FACT_SEED}: {where} cites unknown source {sid!r}"
            checked = rm.sources[sid].checked
            assert checked, f"seed {FACT_SEED}: {where}: {sid} has no checked date"
            age = months_ago(checked, today)
            assert 0 <= age <= CHECKED_WITHIN_MONTHS, (
                f"seed {FACT_SEED}: {where}: {sid} was checked in {checked}, {age} months ago "
                f"(more than {CHECKED_WITHIN_MONTHS})"
            )


def test_the_random_draw_reaches_every_kind_of_fact(rm):
    """The draw is over stations, lines, rules, steps, options and journey figures alike."""
    kinds = {where.split()[0] for where, _t, _i in all_facts(rm)}
    assert kinds == {"station", "line", "rule", "step", "option", "journey"}


def test_the_check_age_test_fails_on_a_stale_check():
    """months_ago, which the draw relies on, counts a check 19 months old as too old."""
    assert months_ago("2025-05", dt.date(2026, 12, 1)) > CHECKED_WITHIN_MONTHS


def test_sampled_fees_and_times_rest_on_a_dated_source_checked_within_18_months(rm):
    facts = facts_relied_on_today(rm)
    assert len(facts) >= 10  # the registrations' fees and times, and the yearly filings
    today = dt.date.today()
    sample = random.Random(FACT_SEED).sample(facts, min(20, len(facts)))
    for where, text, ids in sample:
        recent = [
            sid
            for sid in ids
            if sid in rm.sources
            and rm.sources[sid].checked
            and months_ago(rm.sources[sid].checked, today) <= CHECKED_WITHIN_MONTHS
        ]
        assert recent, (
            f"seed {FACT_SEED}: {where} ({text!r}) cites no source checked in the last "
            f"{CHECKED_WITHIN_MONTHS} months: {', '.join(ids)}"
        )


def test_months_ago_counts_calendar_months():
    assert months_ago("2024-01", dt.date(2026, 12, 1)) == 35
    assert months_ago("2026-12", dt.date(2026, 12, 31)) == 0
    assert months_ago("2025", dt.date(2026, 7, 1)) == 18  # a year counts from its January


def test_real_sources_raise_no_warnings(rm):
    """Every source marked official is on an official publisher's host, every archive is the
    National Archives' web archive, and every organisation's page is on its own site
    (validation warns otherwise)."""
    assert rm.data.warnings == ()


def test_fees_and_times_do_not_rest_on_copies_alone(rm):
    for where, _text, ids in facts_relied_on_today(rm):
        kinds = {rm.sources[sid].kind for sid in ids}
        assert kinds - {"copy"}, f"{where} rests only on copies: {ids}"


def test_sources_of_the_key_fees_are_their_original_publishers(rm):
    hosts = {
        sid: rm.sources[sid].url.split("/")[2] for sid in ("ch-fees-2024", "fca-fees", "cic-forms")
    }
    assert hosts == {
        "ch-fees-2024": "www.legislation.gov.uk",
        "fca-fees": "www.handbook.fca.org.uk",
        "cic-forms": "www.gov.uk",
    }


def test_no_source_links_a_list_of_web_archive_captures(rm):
    """A source links a page: the original, or one dated capture of it, never a web archive's
    list of captures (29 sources did until December 2026)."""
    from routemap.archivelinks import is_archive_link, is_capture_list

    lists = [s.id for s in rm.sources.values() if is_capture_list(s.url)]
    lists += [s.id for s in rm.sources.values() if s.read_at and is_capture_list(s.read_at)]
    assert lists == []
    archived = [s for s in rm.sources.values() if is_archive_link(s.url)]
    assert {s.id for s in archived} >= {"dh-r2r", "dh-r2p-host", "dh-r2p-staff"}
    assert all(s.kind == "archive" for s in archived)


def test_a_fact_read_elsewhere_names_where_and_links_the_original(rm):
    """Read on a mirror, a preview host, a copy or another view: read_at says where, and url
    links the original publisher's page."""
    from routemap.validate import note_says_read_elsewhere

    for src in rm.sources.values():
        if src.kind != "copy" and note_says_read_elsewhere(src.note):
            assert src.read_at, src.id
    mirrors = {
        "fca-fees": ("public-ui-fcahandbook-dev.azurewebsites.net", "www.handbook.fca.org.uk"),
        "ch-fees-2024": ("beta.bailii.org", "www.legislation.gov.uk"),
        "cic-forms": ("fly1.wordsworth.site", "www.gov.uk"),
        "fa2025-sch6": ("d8ngmjb9u6039pdqhk2xy9b48drf2.roads-uae.com", "www.legislation.gov.uk"),
        "derbys-lgps": ("pensions-preview.derbyshire.gov.uk", "derbyshirepensionfund.org.uk"),
    }
    for sid, (read_host, url_host) in mirrors.items():
        src = rm.sources[sid]
        assert (src.read_at.split("/")[2], src.url.split("/")[2]) == (read_host, url_host), sid


def test_an_http_address_read_is_not_silently_upgraded(rm):
    """A page read only at its http address links the same address over https only where the
    source says plainly that the https link was not itself opened."""
    upgraded = [
        s
        for s in rm.sources.values()
        if s.read_at
        and s.read_at.startswith("http://")
        and s.url == "https://" + s.read_at.removeprefix("http://")
    ]
    assert {s.id for s in upgraded} >= {"tlt-procurement", "opm-2013"}
    for src in upgraded:
        assert "not itself opened" in (src.note or ""), src.id


def test_no_source_links_a_dead_site_named_in_the_december_2026_audit(rm):
    dead = ("old.mycommunity.org.uk", "slmembers.com", "bigsocietycapital.com", "cspschange.org.uk")
    for src in rm.sources.values():
        assert not any(host in src.url for host in dead), src.id


def test_a_station_says_which_source_backs_its_fee_and_its_time(rm):
    from routemap.citing import backs_words

    cio = rm.stations["register-cio"]
    assert backs_words(cio, "cc21b") == "For what it costs."
    assert backs_words(cio, "cs-cio-40days") == "For how long it takes."
    assert backs_words(cio, "vast-cio") == ""


# ---- the December 2026 corrections -----------------------------------------------------------
COMPANY_REGISTRATIONS = (
    "register-cic",
    "register-company",
    "register-charitable-company",
    "register-jv-company",
    "register-teckal-company",
)


def test_reserved_contract_bar_falls_on_the_mutual(rm):
    text = rm.stations["reserved-contract"].summary
    assert "A mutual that has entered a comparable reserved contract" in text
    assert "same body cannot reserve" not in text


def test_company_registrations_need_verified_identities(rm):
    """Directors verify before incorporation; a person with significant control who is not a
    director has 14 days after registration (not before it, as the map said until December
    2026)."""
    for sid in COMPANY_REGISTRATIONS:
        st = rm.stations[sid]
        assert st.deadline and "18 November 2025" in st.deadline, sid
        assert "every director must have verified" in st.deadline, sid
        assert "14 days after the company is registered" in st.deadline, sid
        assert "every director and person with significant control" not in st.deadline, sid
        assert any("identity verified" in d.name for d in st.documents), sid
        assert {"ch-idv", "ch-blog-psc-idv"} <= set(st.sources), sid


def test_published_facts_are_no_longer_not_published(rm):
    assert rm.stations["register-cio"].cost.text.startswith("Free")
    assert "7 months" in rm.stations["society-annual-return"].duration.text
    assert "By law" in rm.stations["cqc-registration"].summary
    assert "implied" not in (rm.stations["cqc-registration"].note or "")


def test_stale_facts_are_current(rm):
    social = rm.stations["social-investment"]
    assert "Better Society Capital" in social.summary and "Better Society Capital" in social.who
    assert "1 December 2025" in rm.stations["outsourced"].examples[0].text
    assert (
        "2019" in rm.stations["lgps-admission"].note
        and "not in force" in rm.stations["lgps-admission"].note
    )
    assert "Expressions of interest were due" in rm.stations["r2p-eoi"].note
    assert "admission agreement" in rm.stations["new-fair-deal"].summary
    assert "public health" in rm.stations["psr-award"].summary


def test_corrections_say_who_to_tell_and_what_happens_next(rm):
    c = rm.info.corrections
    assert "tell" in c.tell.lower() and len(c.steps) >= 3
    assert "pull request" not in (c.tell + " ".join(c.steps)).lower()


# ---- the December 2026 stations on personalised routes -----------------------------------------
def route_for(rm: RouteMap, answers: dict):
    from routemap.route import find_route, parse_answers

    return find_route(rm, parse_answers(rm, answers))


def step_of(result, sid: str):
    return next((s for s in result.steps if s.station == sid), None)


COUNCIL_LEISURE_CHARITY = {
    "parent_body": "council",
    "service_area": "leisure_and_sport",
    "commissioner_support": "yes",
    "charitable_status": "yes",
}


def test_every_route_to_a_mutual_pays_the_data_protection_fee(rm):
    for answers in (COUNCIL_LEISURE_CHARITY, {"parent_body": "nhs"}, {}):
        step = step_of(route_for(rm, answers), "ico-fee")
        assert step is not None, answers
        assert "Information Commissioner's Office" in step.reason


def test_a_charity_is_recognised_by_hmrc_and_a_reserved_contract_is_competed_flexibly(rm):
    result = route_for(rm, COUNCIL_LEISURE_CHARITY)
    assert set(result.choice("legal-form").still_open) <= {
        "form-charitable-company",
        "form-cio",
        "form-cbs",
    }
    assert "HM Revenue and Customs" in step_of(result, "hmrc-charity-recognition").reason
    # a reserved contract turns on whether the staff will control the organisation
    award = result.choice("award")
    assert award.option is None and "award-reserved" in award.still_open
    assert "staff_control" in [d.question for d in award.decide_by]
    controlled = route_for(rm, {**COUNCIL_LEISURE_CHARITY, "staff_control": "one_member_one_vote"})
    assert controlled.choice("award").option == "award-reserved"
    assert "competitive flexible procedure" in step_of(controlled, "competitive-flexible").reason


def test_childrens_social_care_registers_with_ofsted_and_youth_work_does_not(rm):
    children = route_for(rm, {"parent_body": "council", "service_area": "childrens_social_care"})
    step = step_of(children, "ofsted-registration")
    assert step is not None and "Ofsted" in step.reason
    assert any(r.rule == "childrens-services-not-known" for r in step.reasons)
    for area in ("youth_services", "libraries_and_culture"):
        other = route_for(rm, {"parent_body": "council", "service_area": area})
        assert step_of(other, "ofsted-registration") is None, area
    # both can take a contract reserved for mutuals, if the staff will control the body
    staff = {"staff_control": "by_shares", "ownership": "staff"}
    youth = route_for(rm, {"parent_body": "council", "service_area": "youth_services", **staff})
    kids = route_for(
        rm, {"parent_body": "council", "service_area": "childrens_social_care", **staff}
    )
    assert youth.choice("award").option == kids.choice("award").option == "award-reserved"


def test_a_social_work_practice_is_a_delegation_not_a_childrens_home(rm):
    answers = {
        "parent_body": "council",
        "service_area": "childrens_social_care",
        "childrens_services": ["social_work_in_care"],
    }
    result = route_for(rm, answers)
    ofsted = step_of(result, "ofsted-registration")
    assert "provider of social work services" in ofsted.reason
    assert "You will run" not in ofsted.reason
    assert "children's home" not in " ".join(d.text for d in result.estimate.durations)
    delegation = step_of(result, "transfer-negotiation")
    assert "Children and Young Persons Act 2008" in delegation.reason
    home = route_for(rm, {**answers, "childrens_services": ["childrens_home"]})
    assert "You will run a children's home" in step_of(home, "ofsted-registration").reason
    assert any("children's home" in d.text for d in home.estimate.durations)


def test_an_old_answers_file_with_children_and_youth_is_refused_with_what_to_answer_now(rm):
    from routemap.route import AnswersError, parse_answers
    from routemap.route.answerproblems import page_words, words

    with pytest.raises(AnswersError) as err:
        parse_answers(rm, {"service_area": "children_and_youth"})
    (p,) = err.value.problems
    assert p.code == "answer_retired" and p.location == "service_area"
    text = words(p)  # the CLI's and the API's words: the values a file or request gives
    assert "childrens_social_care (Children's social care)" in text
    assert "youth_services (Youth services and youth work)" in text
    page = page_words(p, rm)  # a page's words: the answers as its reader saw them
    assert "“Children's social care” or “Youth services and youth work”" in page
    assert "children_and_youth" not in page


def test_community_shares_come_with_community_ownership_and_a_need_for_capital(rm):
    answers = {"parent_body": "council", "ownership": "staff_and_community", "needs_capital": "yes"}
    step = step_of(route_for(rm, answers), "community-shares")
    assert step is not None and "community shares" in step.reason
    assert step_of(route_for(rm, {"parent_body": "council"}), "community-shares") is None


def test_the_procurement_act_and_employee_ownership_trust_are_choices_with_reasons(rm):
    result = route_for(rm, {"parent_body": "central_government", "staff_profit_share": "yes"})
    award = {o.option: o for o in result.choice("award").others}
    form = {o.option: o for o in result.choice("legal-form").others}
    taken = {result.choice("award").option, result.choice("legal-form").option}
    for oid in ("award-direct", "award-below-threshold"):
        assert oid in award or oid in taken, oid
    assert "form-eot" in form or "form-eot" in taken
    closed = route_for(rm, {"commissioner_support": "no", "parent_body": "council"})
    direct = next(o for o in closed.choice("award").others if o.option == "award-direct")
    assert not direct.open and "justifications" in direct.why


def test_no_government_support_programme_is_open_today(rm):
    open_support = [
        s.id for s in rm.stations.values() if s.kind == "support" and s.status == "open"
    ]
    assert "dcms-toolkit" in open_support
    assert "No government support programme" in rm.stations["dcms-toolkit"].note
    assert "No government support programme" in rm.info.description
    programmes = ("msp", "msp2", "misf", "mis", "pathfinder-mutuals", "delivering-differently")
    assert all(rm.stations[p].status == "historical" for p in programmes)


# ---- the December 2026 second pass: the law since 2025 and the facts found wrong ---------------
def texts_of(rm: RouteMap) -> list[tuple[str, str]]:
    """Every piece of text a reader can see, with where it is: the facts, and the notes,
    deadlines and documents of the stations."""
    out = [(where, text) for where, text, _ids in all_facts(rm)]
    for st in rm.stations.values():
        out += [
            (f"station {st.id}: note", st.note or ""),
            (f"{st.id}: deadline", st.deadline or ""),
        ]
        out += [(f"station {st.id}: document", d.name) for d in st.documents]
        out.append((f"station {st.id}: eligibility", st.eligibility or ""))
    return out


ERA_PLANNED = re.compile(r"Employment Rights Act 2025.*October 2026.*(not in force|no regulations)")


def test_the_staff_transfer_and_pension_steps_say_what_the_employment_rights_act_changes(rm):
    """Royal Assent 18 December 2025; its two-tier workforce rules planned for October 2026,
    not found in force in December 2026: said on the transfer, the pensions and outsourcing."""
    assert "18 December 2025" in rm.stations["tupe"].note
    for sid in ("tupe", *PENSION_STATIONS, "outsourcing-tender"):
        note = " ".join(rm.stations[sid].note.split())
        assert ERA_PLANNED.search(note), sid
        assert "era2025-s32" in rm.stations[sid].sources, sid
    steps = {s.station: " ".join(s.reason.split()) for s in rm.data.steps}
    for sid in ("tupe", *PENSION_STATIONS):
        assert ERA_PLANNED.search(steps[sid]), sid
    # it is not said to apply already
    for where, text in texts_of(rm):
        assert "apply from October 2026" not in text, where


def test_the_right_to_challenge_says_what_the_2026_act_did(rm):
    note = " ".join(rm.stations["crtc-service-information"].note.split())
    assert "English Devolution and Community Empowerment Act 2026" in note
    assert "29 April 2026" in note
    assert "no change to the Community Right to Challenge was found" in note
    assert "still before Parliament" not in note
    assert "edcea2026" in rm.stations["crtc-service-information"].sources


def test_the_right_to_challenge_decision_is_not_said_to_come_within_30_days(rm):
    """The 30 days in the guides are read by councils as the time to acknowledge a challenge or
    say when they will decide; the law's own text on it was not confirmed."""
    decision = rm.stations["crtc-decision"]
    assert "within 30 days" not in decision.summary
    assert decision.duration.max_days is None
    assert "ask the council for its timetable" in decision.deadline
    step = next(s for s in rm.data.steps if s.station == "crtc-decision")
    assert "30 days" not in step.reason


def test_the_right_to_challenge_support_programme_figures(rm):
    text = " ".join(rm.stations["crtc-support-programme"].summary.split())
    assert "£11.5m" in text and "£10.5m grants programme" in text
    assert rm.stations["crtc-support-programme"].sources == ["gov-crtc-2012", "gateshead-crtc"]


def test_below_threshold_contracts_state_the_thresholds_from_january_2026(rm):
    note = " ".join(rm.stations["below-threshold"].note.split())
    for figure in ("1 January 2026", "£663,540", "£207,720", "£135,018", "£5,193,000"):
        assert figure in note, figure
    assert "£30,000" in note and "£12,000" in note and "Central Digital Platform" in note
    assert "not confirmed" not in note
    option = " ".join(_option(rm, "award-below-threshold").summary.split())
    assert "£663,540 including VAT (from 1 January 2026)" in option
    assert "not confirmed" not in option


def test_a_bidder_registers_on_the_central_digital_platform(rm):
    for sid in ("open-tender", "competitive-flexible", "reserved-contract", "direct-award"):
        st = rm.stations[sid]
        assert "Central Digital Platform" in st.note, sid
        assert any("Central Digital Platform" in d.name for d in st.documents), sid
        assert "pr2024-reg6" in st.sources, sid


def test_the_provider_selection_regime_since_2025(rm):
    note = " ".join(rm.stations["psr-award"].note.split())
    assert "24 February 2025" in note and "debarment list" in note
    assert "April 2025" in note
    assert "nhse-psr-guidance-2025" in rm.stations["psr-award"].sources


def test_employee_ownership_trusts_since_october_2024(rm):
    note = " ".join(rm.stations["employee-ownership-trust"].note.split())
    for words in (
        "30 October 2024",
        "resident in the United Kingdom",
        "fewer than half of the trustees",
        "fourth tax year",
        "still up to £3,600",
    ):
        assert words in note, words
    assert "not confirmed" not in note


def test_central_surrey_health_is_no_example_of_a_contract_lost_on_re_tender(rm):
    """It bid for NHS Surrey's north-west and south-west Surrey contract in 2011 and lost to
    Assura; it did not lose its own contract (BMJ 2011;343:d6029)."""
    for where, text in texts_of(rm):
        flat = " ".join(text.split())
        if "Central Surrey Health" in flat:
            assert "re-tender" not in flat, where
            assert not re.search(r"Central Surrey Health (reportedly )?lost a", flat), where
    lost = rm.stations["lost-on-retender"]
    assert lost.examples and all("Central Surrey Health" not in ex.text for ex in lost.examples)
    assert "Sirona" in lost.examples[0].text and lost.examples[0].date == "2016-11"
    outsourcing = " ".join(rm.stations["outsourcing-tender"].examples[0].text.split())
    assert "north-west and south-west Surrey" in outsourcing
    assert "beating Central Surrey Health" in outsourcing
    assert rm.stations["outsourcing-tender"].examples[0].date == "2011-09"
    line = " ".join(rm.lines["employee-owned-company"].examples[0].text.split())
    assert "bid for NHS Surrey's contract" in line and "lost to Assura Medical" in line
    social = " ".join(
        ex.text for ex in rm.stations["social-investment"].examples if "Surrey" in ex.text
    )
    assert "bid" in social and "£10m bond" in social
    assert "wiki-csh" not in rm.sources


def test_the_right_to_provide_is_not_shown_closed_at_its_expressions_of_interest_deadline(rm):
    from routemap.models import span_words, year_span
    from routemap.stationview import station_view

    station, line = rm.stations["r2p-eoi"], rm.lines["right-to-provide"]
    for item in (station, line):
        assert item.status == "historical" and item.closed is None and item.no_end_recorded
    assert "2013" in station.note and "no notice ending it was found" in station.note
    assert station_view(rm, "r2p-eoi").status_text == "Historical (no end recorded)"
    assert span_words(line) == "from 2011-03-30, no end recorded"
    assert year_span(line) == "from 2011, no end recorded"
    assert year_span(rm.lines["right-to-request"]) == "2008–2010"


def test_dates_and_figures_put_right_in_december_2026(rm):
    assert rm.stations["seif"].opened == "2007-08"
    assert "August 2007" in rm.stations["seif"].note
    funds = rm.stations["investment-readiness-funds"]
    assert funds.closed == "2017-09" and "September 2017" in funds.note
    assert "£50,000 to £150,000" not in funds.summary  # the ICRF's grant size is not published
    social = " ".join(rm.stations["social-investment"].note.split())
    assert "£60m endowment" in social and "£100m" not in social
    assert "£87.5m" in social and "whether it still does in 2026 is not confirmed" not in social
    society = rm.stations["register-society"].duration
    assert "15 working days" in society.text and "not confirmed" not in society.text
    assert "£34" not in rm.stations["company-filings"].note
    assert "not confirmed" in rm.stations["company-filings"].cost.text
    assert "since 2012" not in rm.stations["outsourced"].examples[0].text
    ico = rm.stations["ico-fee"]
    assert "17 February 2025" in ico.cost.text and ico.cost.sources == [
        "si-2025-63",
        "ico-fee-2018",
    ]


def test_claims_no_source_confirms_are_gone(rm):
    """MyCSP's staff keeping their pensions (a blog quoting a newspaper, before New Fair Deal
    began), Suffolk's 'four months late' go-live, and the 30-working-day aim."""
    for where, text in texts_of(rm):
        flat = " ".join(text.split())
        assert not re.search(r"MyCSP.{0,40}kept their public service pensions", flat), where
        assert "as MyCSP did" not in flat, where
        assert "7 April" not in flat and "four months after" not in flat, where
    assert rm.stations["new-fair-deal"].examples == []
    assert "ukc4c-mycsp" not in rm.sources
