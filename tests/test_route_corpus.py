"""Real spin-outs replayed under today's rules (tests/corpus/spinouts.yaml): the legal form,
the way the work is awarded, the pension step, the registrations and the goal an experienced
adviser would give each today. The profiles and expectations are data; this checks them."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from routemap.route import find_route, parse_answers

CORPUS = yaml.safe_load(
    (Path(__file__).parent / "corpus" / "spinouts.yaml").read_text(encoding="utf-8")
)["spinouts"]
NAMES = [c["name"] for c in CORPUS]
PENSION_STATIONS = {"lgps-admission", "nhs-pension-access", "new-fair-deal"}


def test_the_corpus_has_at_least_ten_real_spin_outs(real_map):
    assert len(CORPUS) >= 10
    for case in CORPUS:
        assert case["facts"] and all(f in real_map.sources for f in case["facts"]), case["name"]


@pytest.mark.parametrize("name", NAMES)
def test_a_real_spin_out_gets_the_advice_an_adviser_would_give_today(real_map, name):
    case = next(c for c in CORPUS if c["name"] == name)
    want = case["expected"]
    result = find_route(real_map, parse_answers(real_map, case["answers"]))
    assert result.outcome == "route", result.message
    assert result.option_of("legal-form") == want["legal_form"]
    assert result.option_of("award") == want["award"]
    stations = [s.station for s in result.steps]
    assert [s for s in stations if s in PENSION_STATIONS] == [want["pension"]]
    registrations = [
        s.station for s in result.steps if real_map.stations[s.station].kind == "registration"
    ]
    assert sorted(set(registrations) - PENSION_STATIONS) == sorted(want["registrations"])
    for sid in want.get("also", []):
        assert sid in stations, sid
    # the goal: the new organisation running the service, then its first year's duties
    assert stations[-2:] == ["go-live", want["first_year"]]
    assert not any(real_map.stations[s].kind == "outcome" for s in stations)
    # every choice says why, and most steps' reasons are the team's own
    for c in result.choices:
        assert c.option is None or c.reasons, c.name
    assert sum(s.own for s in result.steps) >= 0.8 * len(result.steps)
