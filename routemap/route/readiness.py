"""Readiness by area: a score per area with the answers behind it, never one pass/fail."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..core import RouteMap
from .profile import Profile


@dataclass
class AreaScore:
    id: str
    name: str
    points: int
    possible: int
    answers: list[dict[str, Any]] = field(default_factory=list)

    @property
    def score(self) -> float | None:
        return self.points / self.possible if self.possible else None

    @property
    def level(self) -> str:
        s = self.score
        if s is None:
            return "not assessed"
        if s >= 0.75:
            return "strong"
        if s >= 0.4:
            return "some work to do"
        return "work on this first"

    def as_json(self) -> dict[str, Any]:
        s = self.score
        return {
            "area": self.id,
            "name": self.name,
            "points": self.points,
            "possible": self.possible,
            "percent": None if s is None else round(100 * s),
            "level": self.level,
            "answers": self.answers,
        }


def _points(rm: RouteMap, qid: str, value) -> tuple[int | None, str]:
    q = rm.questions[qid]
    if q.kind == "number":
        if not isinstance(value, int):
            bands = [b.score for b in q.scores]
            return (0 if bands else None), "Not sure"
        for band in q.scores:
            if band.at_least is not None and value < band.at_least:
                continue
            if band.at_most is not None and value > band.at_most:
                continue
            return band.score, str(value)
        return None, str(value)
    for opt in q.options:
        if opt.value == value:
            return opt.score, opt.label
    return None, "Not sure"


def readiness(rm: RouteMap, profile: Profile) -> list[AreaScore]:
    """Every area, weakest first (areas without scored questions last)."""
    areas = {a.id: AreaScore(a.id, a.name, 0, 0) for a in rm.data.areas}
    for q in rm.data.questions:
        value = profile.value(q.id)
        pts, label = _points(rm, q.id, value)
        area = areas[q.area]
        if pts is None:
            continue
        area.points += pts
        area.possible += 2
        area.answers.append(
            {
                "question": q.id,
                "text": q.text,
                "answer": value,
                "label": label,
                "points": pts,
                "of": 2,
            }
        )
    order = {a.id: i for i, a in enumerate(rm.data.areas)}
    return sorted(areas.values(), key=lambda a: (a.score is None, a.score or 0.0, order[a.id]))
