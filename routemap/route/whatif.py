"""What if one answer were different: what changes on the route, and why — or that nothing
does, and why. The CLI (``routemap whatif``), the API (``POST /api/v1/whatif``) and the route
page all show this one comparison."""

from __future__ import annotations

from ..core import RouteMap
from . import results as R
from .answerproblems import problem
from .answerwords import answer_label
from .compose import compose, with_answer
from .profile import AnswersError, Profile
from .rules import questions_of


def check_change(rm: RouteMap, qid: str, raw) -> str | int:
    """The changed answer, checked as every answer is (AnswersError names what is wrong)."""
    from .profile import parse_answers

    if qid not in rm.questions:
        raise AnswersError([problem("unknown_question", qid[:60], known=list(rm.questions))])
    return parse_answers(rm, {qid: raw}).value(qid)


def compare(rm: RouteMap, profile: Profile, qid: str, value) -> R.WhatIf:
    before = compose(rm, profile, explain=False)
    trial = with_answer(rm, profile, qid, value)
    after = compose(rm, trial, explain=False)
    q = rm.questions[qid]
    choices = []
    for b, a in zip(before.choices, after.choices, strict=True):
        if b.option != a.option:
            if a.option is None:
                why = " ".join(dict.fromkeys(o.why for o in a.others)) or (a.undecided or "")
            else:
                # why the old option gives way, then why the new one is taken
                was = next((o.why for o in a.others if o.option == b.option), "")
                why = " ".join(x for x in (was, *(r.text for r in a.reasons)) if x)
            choices.append(
                R.ChoiceChange(
                    choice=b.choice, name=b.name, before=b.option_name, after=a.option_name, why=why
                )
            )
    b_steps = {s.station: s for s in before.steps}
    a_steps = {s.station: s for s in after.steps}
    left_after = {x.station: x.reason for x in after.left_off}
    added = [
        R.StepChange(station=s.station, name=s.name, why=s.reasons[0].text)
        for s in after.steps
        if s.station not in b_steps
    ]
    removed = []
    for s in before.steps:
        if s.station in a_steps:
            continue
        why = left_after.get(s.station)
        if why is None:
            why = (
                "No route is open with this answer."
                if after.outcome != "route"
                else "It belonged to a choice that changed (see above)."
            )
        removed.append(R.StepChange(station=s.station, name=s.name, why=why))
    status_changes = [
        R.StepChange(
            station=s.station,
            name=s.name,
            why=f"{_status_words(b_steps[s.station].status)} → {_status_words(s.status)}",
        )
        for s in after.steps
        if s.station in b_steps and b_steps[s.station].status != s.status
    ]
    reason_changes = [
        s.name
        for s in after.steps
        if s.station in b_steps and b_steps[s.station].reason != s.reason
    ]
    b_ready = {a.area: a for a in before.readiness}
    readiness_changes = [
        f"{a.name}: {_pct(b_ready[a.area].percent)} → {_pct(a.percent)}"
        for a in after.readiness
        if b_ready[a.area].percent != a.percent
    ]
    changed = bool(
        choices
        or added
        or removed
        or status_changes
        or reason_changes
        or readiness_changes
        or before.outcome != after.outcome
    )
    summary = _summary(
        rm,
        qid,
        value,
        before,
        after,
        choices,
        added,
        removed,
        status_changes,
        reason_changes,
        readiness_changes,
    )
    return R.WhatIf(
        question=qid,
        text=q.text,
        before=profile.value(qid),
        before_label=answer_label(rm, qid, profile.value(qid)),
        after=value,
        after_label=answer_label(rm, qid, value),
        changed=changed,
        summary=summary,
        outcome_before=before.outcome,
        outcome_after=after.outcome,
        choices=choices,
        added=added,
        removed=removed,
        status_changes=status_changes,
        reason_changes=reason_changes,
        readiness_changes=readiness_changes,
        answers={k: v for k, v in trial.answers.items() if k in trial.given},
    )


def _pct(p: int | None) -> str:
    return "not assessed" if p is None else f"{p}%"


def _status_words(status: str) -> str:
    return {
        "to_do": "to do",
        "in_place": "already in place",
        "done": "done",
        "in_progress": "in progress",
        "skipped": "skipped",
    }[status]


def _summary(rm, qid, value, before, after, choices, added, removed, status, reasons, ready):
    label = answer_label(rm, qid, value)
    head = f"If you answered “{label}” to “{rm.questions[qid].text}”: "
    parts = []
    if after.outcome != "route" and before.outcome == "route":
        blocked = [c for c in choices if c.after is None]
        why = " ".join(c.why for c in blocked)
        return head + "no route to a mutual stays open. " + why
    if before.outcome != after.outcome:
        parts.append("a route to a mutual opens")
    for c in choices:
        parts.append(f"{c.name.lower()} changes from {c.before or 'none'} to {c.after or 'none'}")
    if added:
        parts.append("adds " + ", ".join(f"“{s.name}”" for s in added))
    if removed:
        parts.append("takes off " + ", ".join(f"“{s.name}”" for s in removed))
    if status:
        parts.append("; ".join(f"“{s.name}” goes from {s.why}" for s in status))
    if reasons and not (choices or added or removed):
        parts.append("the reasons change for " + ", ".join(f"“{n}”" for n in reasons[:4]))
    if ready:
        parts.append("readiness changes (" + "; ".join(ready) + ")")
    if parts:
        return head + "; ".join(parts) + "."
    return head + "nothing changes, because " + _why_nothing(rm, qid, value, after) + "."


def _why_nothing(rm: RouteMap, qid: str, value, after: R.RouteResult) -> str:
    """Why an answer changes nothing: no rule looks at this answer, or the choices it weighs
    stay as they are for the reasons given."""
    looking = [r for r in rm.data.rules if qid in questions_of(r)]
    options = [o for c in rm.data.choices for o in c.options if qid in questions_of(o)]
    if not looking and not options:
        return "no rule of the route looks at this question (it counts only for readiness)"
    weighs = {
        rm.data.choices[i].id
        for i, c in enumerate(rm.data.choices)
        for o in c.options
        for r in looking
        if o.id in (*r.favour, *r.disfavour, *r.rule_out)
    }
    kept = [c for c in after.choices if c.choice in weighs and c.option_name]
    if kept:
        return "; ".join(
            f"the {c.name.lower()} stays {c.option_name}: "
            + " ".join(r.text for r in c.reasons[:1])
            for c in kept
        ).rstrip(".")
    return "with your other answers no rule of the route uses this answer"
