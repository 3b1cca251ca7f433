"""Persona snapshots: answers -> route and reasons, reviewed by hand against the fact sheet.

Each file in tests/personas/ holds a persona's answers and the route the finder gives, as
readable YAML. After an intended change to the data or the finder, regenerate with
ROUTEMAP_UPDATE_PERSONAS=1 pytest tests/test_personas.py, then read the diff before committing.
"""

from __future__ import annotations

import os

import pytest
import yaml

from routemap.route import find_route, parse_answers

from .conftest import PERSONAS

NAMES = sorted(p.stem for p in PERSONAS.glob("*.yaml"))


def snapshot(rm, answers: dict) -> dict:
    result = find_route(rm, parse_answers(rm, answers))
    doc = result.as_json()
    return {
        "lines_used": doc["lines_used"],
        "route": [
            {
                "station": s["station"],
                "line": s["line"],
                "status": s["status"],
                **({"change": True} if s["change"] else {}),
                "reason": s["reason"],
            }
            for s in doc["route"]
        ],
        "required": [r["station"] for r in doc["required"]],
        "unmet": [{"station": u["station"], "reason": u["reason"]} for u in doc["unmet"]],
        "not_needed": [n["station"] for n in doc["not_needed"]],
        "excluded_lines": [
            {"line": e["line"], "reason": e["reason"], "would_change_if": e["would_change_if"]}
            for e in doc["excluded_lines"]
        ],
        "alternatives": [a["differs"] for a in doc["alternatives"]],
        "readiness": {a["area"]: a["level"] for a in doc["readiness"]},
        "message": doc["message"],
    }


def test_there_are_at_least_eight_personas():
    assert len(NAMES) >= 8


@pytest.mark.parametrize("name", NAMES)
def test_persona_route_matches_its_reviewed_snapshot(real_map, name):
    path = PERSONAS / f"{name}.yaml"
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    got = snapshot(real_map, doc["answers"])
    if os.environ.get("ROUTEMAP_UPDATE_PERSONAS"):
        doc["expected"] = got
        path.write_text(
            yaml.safe_dump(doc, sort_keys=False, allow_unicode=True, width=96), encoding="utf-8"
        )
        pytest.skip("snapshot rewritten; review the diff")
    assert "expected" in doc, f"{name}: no snapshot yet; run with ROUTEMAP_UPDATE_PERSONAS=1"
    assert got == doc["expected"]
    # every step and every exclusion carries a reason
    assert all(step["reason"] for step in got["route"])
    assert all(e["reason"] and e["would_change_if"] for e in got["excluded_lines"])
