"""Real spin-outs replayed under today's rules (tests/corpus/spinouts.yaml): the legal form,
the way the work is awarded, the pension step, the registrations, the goal and the lines the
route is drawn on, as an experienced adviser would give each today; where the answers leave a
choice open, the options still open and what would decide it. The profiles and expectations
are data; this checks them."""

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


def test_the_corpus_has_at_least_twenty_real_spin_outs(real_map):
    assert len(CORPUS) >= 20
    for case in CORPUS:
        assert case["facts"] and all(f in real_map.sources for f in case["facts"]), case["name"]


def _choice_is(result, cid: str, want) -> None:
    c = result.choice(cid)
    if isinstance(want, str):
        assert c.option == want, (cid, c.option, c.undecided)
        return
    assert c.option is None, (cid, c.option)
    assert c.still_open == want["still_open"], (cid, c.still_open)
    deciders = {d.question or d.condition for d in c.decide_by}
    assert set(want["decide_by"]) <= deciders, (cid, deciders)
    assert c.undecided and c.undecided.startswith("Not decided yet")


@pytest.mark.parametrize("name", NAMES)
def test_a_real_spin_out_gets_the_advice_an_adviser_would_give_today(real_map, name):
    case = next(c for c in CORPUS if c["name"] == name)
    result = find_route(real_map, parse_answers(real_map, case["answers"]))
    if case.get("outcome"):
        assert result.outcome == case["outcome"] and result.steps == []
        for words in case["message"]:
            assert words in result.message, words
        assert [w.line for w in result.other_ways][: len(case["other_ways"])] == case["other_ways"]
        assert result.nearest, "a closed route names the nearest open ones"
        return
    want = case["expected"]
    assert result.outcome == "route", result.message
    _choice_is(result, "legal-form", want["legal_form"])
    _choice_is(result, "award", want["award"])
    stations = [s.station for s in result.steps]
    pensions = [s for s in stations if s in PENSION_STATIONS]
    assert pensions == ([want["pension"]] if want["pension"] else [])
    registrations = [
        s.station for s in result.steps if real_map.stations[s.station].kind == "registration"
    ]
    assert sorted(set(registrations) - PENSION_STATIONS) == sorted(want["registrations"])
    for sid in want.get("also", []):
        assert sid in stations, sid
    for sid in want.get("not", []):
        assert sid not in stations, sid
    steps = {s.station: s for s in result.steps}
    for sid, phrases in want.get("reasons", {}).items():
        for words in phrases:
            assert words in steps[sid].reason, (sid, words)
    for cid, phrases in want.get("choice_reasons", {}).items():  # why the choice went so
        said = " ".join(r.text for c in result.choices if c.choice == cid for r in c.reasons)
        for words in phrases:
            assert words in said, (cid, words)
    for sid, phrases in want.get("without", {}).items():
        for words in phrases:
            assert words not in steps[sid].reason, (sid, words)
    # the goal: the new organisation running the service, then its first year's duties
    first = want["first_year"] or []
    first = [first] if isinstance(first, str) else first
    assert stations[len(stations) - len(first) - 1 :] == ["go-live", *first]
    assert not any(real_map.stations[s].kind == "outcome" for s in stations)
    # the map follows the choices: only their lines, and go-live on the legal form's line
    assert sorted(result.drawing.lines) == sorted(want["drawn_on"])
    form = result.option_of("legal-form")
    go_live = steps["go-live"]
    if form:
        assert form in real_map.lines[go_live.line].stands_for
    # every choice says why; reasons are the team's own
    for c in result.choices:
        assert c.option is None or c.reasons, c.name
    assert sum(s.cites_answers for s in result.steps) >= 0.7 * len(result.steps)
