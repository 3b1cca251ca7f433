"""The one small evaluator of the rules in ``graph_data/rules.yaml``: no eval, no DSL.

A rule fires when every condition in its ``when`` holds: the answer is one of the listed
answers, or a number answer lies in the range. An answer of ``not_sure`` meets no condition,
so a rule never fires on a guess.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..core import RouteMap
from ..models import NumberRange, Rule
from .profile import NOT_SURE, Profile


def holds(rule: Rule, profile: Profile) -> bool:
    for qid, cond in rule.when.items():
        value = profile.value(qid)
        if isinstance(cond, NumberRange):
            if not isinstance(value, int):
                return False
            if cond.at_least is not None and value < cond.at_least:
                return False
            if cond.at_most is not None and value > cond.at_most:
                return False
        elif value == NOT_SURE or value not in cond:
            return False
    return True


@dataclass
class Effects:
    fired: list[Rule] = field(default_factory=list)
    require: dict[str, list[Rule]] = field(default_factory=dict)
    not_needed: dict[str, list[Rule]] = field(default_factory=dict)
    excluded: dict[str, list[Rule]] = field(default_factory=dict)
    prefer: dict[str, list[Rule]] = field(default_factory=dict)
    avoid: dict[str, list[Rule]] = field(default_factory=dict)


def evaluate(rm: RouteMap, profile: Profile) -> Effects:
    eff = Effects()
    for rule in rm.data.rules:
        if not holds(rule, profile):
            continue
        eff.fired.append(rule)
        for sid in rule.require:
            eff.require.setdefault(sid, []).append(rule)
        for sid in rule.not_needed:
            eff.not_needed.setdefault(sid, []).append(rule)
        for lid in rule.exclude_lines:
            eff.excluded.setdefault(lid, []).append(rule)
        for lid in rule.prefer_lines:
            eff.prefer.setdefault(lid, []).append(rule)
        for lid in rule.avoid_lines:
            eff.avoid.setdefault(lid, []).append(rule)
    # a station some rule requires is needed, whatever another rule says
    for sid in eff.require:
        eff.not_needed.pop(sid, None)
    return eff


def _answer_label(rm: RouteMap, qid: str, value: str) -> str:
    for opt in rm.questions[qid].options:
        if opt.value == value:
            return opt.label
    return value


def would_change_if(rm: RouteMap, rule: Rule) -> str:
    """Which answer would stop the rule firing, in words."""
    parts = []
    for qid, cond in rule.when.items():
        q = rm.questions[qid]
        if isinstance(cond, NumberRange):
            if cond.at_least is not None and cond.at_most is not None:
                parts.append(f"{qid} were below {cond.at_least} or above {cond.at_most}")
            elif cond.at_least is not None:
                parts.append(f"{qid} were below {cond.at_least}")
            else:
                parts.append(f"{qid} were above {cond.at_most}")
            continue
        others = [o.value for o in q.options if o.value not in cond and o.value != NOT_SURE]
        if others:
            shown = " or ".join(f"{v} ({_answer_label(rm, qid, v)})" for v in others)
            parts.append(f"{qid} were {shown}")
        else:
            parts.append(f"{qid} were answered differently")
    if not parts:
        return "No answer changes this: it always applies."
    return "If " + ", or if ".join(parts) + "."
