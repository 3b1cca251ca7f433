"""The one small evaluator of the conditions in ``graph_data/rules.yaml``: no eval, no DSL.

A condition holds when the answer is one of the listed answers (for a question of several
answers, when any of them is), or a number answer lies in the range. An answer of
``not_sure`` (or none) meets a condition only where the list names ``not_sure``, so a rule
never fires on a guess (and an ``unless`` never blocks on one). A rule, an option or a case of
a legal condition applies when every condition in ``when`` holds and none in ``unless`` does.
"""

from __future__ import annotations

from collections.abc import Mapping

from ..models import NumberRange
from .answerwords import NOT_SURE
from .profile import Profile, check_answer


def meets(cond, value) -> bool:
    """One condition against one answer."""
    if isinstance(cond, NumberRange):
        if not isinstance(value, int):
            return False
        if cond.at_least is not None and value < cond.at_least:
            return False
        return not (cond.at_most is not None and value > cond.at_most)
    if isinstance(value, tuple):  # several answers: any of them
        return any(v in cond for v in value)
    return value in cond


def holds(when: Mapping, profile: Profile) -> bool:
    return all(meets(cond, profile.value(qid)) for qid, cond in when.items())


def blocked(unless: Mapping, profile: Profile) -> bool:
    return any(meets(cond, profile.value(qid)) for qid, cond in unless.items())


def applies(item, profile: Profile) -> bool:
    """A rule or an option: ``when`` holds and nothing in ``unless`` does."""
    return holds(item.when, profile) and not blocked(item.unless, profile)


# ---- the same, compiled once per map for the hot paths (a route composes many times in a
# what-next or a nearest-route probe): a condition as (question, answers or range)
Compiled = tuple


def compile_conditions(conds: Mapping) -> Compiled:
    return tuple(
        (qid, cond if isinstance(cond, NumberRange) else frozenset(cond))
        for qid, cond in conds.items()
    )


def _holds(cond, value) -> bool:
    if type(cond) is frozenset:
        if type(value) is tuple:
            return not cond.isdisjoint(value)
        return value in cond
    return meets(cond, value)


def fast_applies(when: Compiled, unless: Compiled, answers: Mapping) -> bool:
    """``applies`` on compiled conditions and the profile's answers (every question present)."""
    for qid, cond in when:
        if not _holds(cond, answers[qid]):
            return False
    for qid, cond in unless:
        if _holds(cond, answers[qid]):
            return False
    return True


def questions_of(item) -> list[str]:
    """The questions a rule or an option looks at, in the order written."""
    return list(dict.fromkeys([*item.when, *item.unless]))


def asked_questions(rm, given: Mapping, include: str | None = None) -> list[str]:
    """The questions the questionnaire asks, in order, given the answers so far (as a link or
    a form gives them): a question whose ``asked_when`` does not hold is skipped. ``include``
    keeps one question in the list whatever (the page being shown)."""
    values = {}
    for qid, raw in given.items():
        if qid in rm.questions:
            value, bad = check_answer(rm, qid, raw)
            values[qid] = NOT_SURE if bad else value
    return [
        q.id
        for q in rm.data.questions
        if q.id == include
        or all(meets(cond, values.get(k, NOT_SURE)) for k, cond in q.asked_when.items())
    ]
