"""Shared fixtures: the real map, the mini map, and a way to make broken copies of data."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from routemap import RouteMap

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "graph_data"
MINI = Path(__file__).resolve().parent / "data" / "mini"
PERSONAS = Path(__file__).resolve().parent / "personas"


def persona_doc(name: str) -> dict:
    """A persona file (tests/personas/<name>.yaml): description, answers, expected route."""
    return yaml.safe_load((PERSONAS / f"{name}.yaml").read_text(encoding="utf-8"))


# the tests' running example: an NHS community nursing team (answers only, no progress)
NHS_ANSWERS = persona_doc("nhs-community-nursing")["answers"]
# a council's adult social care team whose staff would own it, one member one vote (as Leading
# Lives): the comparison of routes' running example
COUNCIL_CARE_ANSWERS = {
    "parent_body": "council",
    "service_area": "adult_social_care",
    "staff_count": 300,
    "commissioner_support": "yes",
    "ownership": "staff",
    "staff_control": "one_member_one_vote",
}


@pytest.fixture(scope="session")
def real_map() -> RouteMap:
    return RouteMap.load(DATA)


@pytest.fixture(scope="session")
def mini_map() -> RouteMap:
    return RouteMap.load(MINI)


@pytest.fixture
def data_copy(tmp_path: Path):
    """Copy a data directory (default: the mini map) to a temp dir and return its path."""

    def make(source: Path = MINI) -> Path:
        target = tmp_path / "data"
        shutil.copytree(source, target, ignore=shutil.ignore_patterns("schema"))
        return target

    return make
