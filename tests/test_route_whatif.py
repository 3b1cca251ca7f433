"""What if one answer were different, on real spin-outs (tests/corpus/spinouts.yaml): each change
explained by its true cause (the option a step came with gave way, the rule that put it there no
longer applies, the legal test that now closes an option), never a sentence twice."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from routemap.route import parse_answers
from routemap.route.whatif import compare

CORPUS = {
    c["name"]: c["answers"]
    for c in yaml.safe_load(
        (Path(__file__).parent / "corpus" / "spinouts.yaml").read_text(encoding="utf-8")
    )["spinouts"]
}


def whatif(rm, name, qid, value):
    profile = parse_answers(rm, CORPUS[name])
    return compare(rm, profile, qid, parse_answers(rm, {qid: value}).value(qid))


def sentences(text: str) -> list[str]:
    return [s for s in re.split(r"(?<=[.!?])\s+", text) if s]


def test_a_leisure_trust_that_takes_no_public_help_keeps_its_building_leases(real_map):
    w = whatif(real_map, "GLL", "public_grants_or_assets", "no")
    assert [s.station for s in w.removed] == ["subsidy-control"]
    assert "asset-transfer" not in [s.station for s in w.removed]
    (gone,) = w.removed
    assert gone.why.startswith("With “No” to “Will the parent body give grants")
    assert "can be a subsidy" in gone.why  # the rule that put it there, no longer applying


def test_a_step_a_rule_put_there_says_the_rule_no_longer_applies(real_map):
    w = whatif(real_map, "Leading Lives", "regulated_activities", ["none"])
    (gone,) = w.removed
    assert gone.station == "cqc-registration"
    assert gone.why.startswith("With “None of these” to “Which of these will the new")
    assert "personal care where people live" in gone.why and "{" not in gone.why
    assert "choice that changed" not in gone.why


def test_losing_staff_control_closes_the_reserved_contract_and_says_why_once(real_map):
    w = whatif(real_map, "Leading Lives", "staff_control", "no")
    award = next(c for c in w.choices if c.choice == "award")
    assert (award.before, award.after) == (
        "Contract reserved for mutuals (Procurement Act 2023, section 33)",
        "Competition under the Procurement Act 2023",
    )
    assert "is closed to you: you said staff will have a say" in award.why
    form = next(c for c in w.choices if c.choice == "legal-form")
    assert "No longer so: You want one member, one vote" in form.why
    removed = {s.station: s.why for s in w.removed}
    assert removed["register-society"] == (
        "It came with co-operative society, and the legal form is now community interest "
        "company (CIC) (see above)."
    )
    for text in (w.summary, *(c.why for c in w.choices), *removed.values()):
        said = sentences(text)
        assert len(said) == len(set(said)), text
