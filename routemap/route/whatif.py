"""What if one answer were different: what changes on the route, and why — or that nothing
does, and why. The CLI (``routemap whatif``), the API (``POST /api/v1/whatif``) and the route
page all show this one comparison."""

from __future__ import annotations

import re

from ..core import RouteMap
from . import results as R
from .answerproblems import problem
from .answerwords import answer_label
from .choose import condition_questions
from .compose import compose, route_model, with_answer
from .profile import AnswersError, Profile
from .rules import applies, questions_of


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
    model = route_model(rm)
    label = answer_label(rm, qid, value)
    fired_before = {r.id for r in model.rules if applies(r, profile)}
    fired_after = {r.id for r in model.rules if applies(r, trial)}
    choices = []
    for b, a in zip(before.choices, after.choices, strict=True):
        if b.option == a.option and b.still_open == a.still_open:
            continue
        if a.option is None and a.still_open:
            why = a.undecided or ""
        elif a.option is None:
            why = " ".join(dict.fromkeys(o.why for o in a.others)) or (a.undecided or "")
        else:
            why = _why_choice(model, qid, b, a, fired_before, fired_after)
        choices.append(
            R.ChoiceChange(
                choice=b.choice,
                name=b.name,
                before=b.option_name,
                after=a.option_name,
                why=one_each(why),
            )
        )
    b_steps = {s.station: s for s in before.steps}
    a_steps = {s.station: s for s in after.steps}
    left_after = {x.station: x.reason for x in after.left_off}
    added = []
    for s in after.steps:
        if s.station in b_steps:
            continue
        why = _why_added(model, s, qid, after, fired_before)
        added.append(R.StepChange(station=s.station, name=s.name, why=one_each(why)))
    removed = []
    for s in before.steps:
        if s.station in a_steps:
            continue
        why = _why_removed(
            rm, model, s.station, before, after, left_after, fired_before, fired_after, label, q
        )
        removed.append(R.StepChange(station=s.station, name=s.name, why=one_each(why)))
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


def one_each(text: str) -> str:
    """The text with each sentence once: what-if words never repeat themselves."""
    out: list[str] = []
    for sentence in re.split(r"(?<=[.!?])\s+", text.strip()):
        if sentence and sentence not in out:
            out.append(sentence)
    return " ".join(out)


def _why_choice(model, qid: str, b: R.ChoiceMade, a: R.ChoiceMade, fired_before, fired_after):
    """The true cause of a choice that changes: the reasons of the new option that turn on the
    changed answer, what now holds the old option back, and the reasons for it that no longer
    apply."""
    old = model.options.get(b.option) if b.option else None
    mine = [r.text for r in a.reasons if qid in r.questions]
    parts = list(mine)
    if old is not None and not any(t.startswith(old.name) for t in mine):
        was = next((o.why for o in a.others if o.option == old.id), "")
        if was:
            parts.append(f"{old.name}: {_lower(was)}")
    if old is not None:
        stopped = [
            r.reason
            for r in model.weighing[old.id]
            if old.id in r.favour and r.id in fired_before and r.id not in fired_after
        ]
        if stopped:
            parts.append("No longer so: " + " ".join(stopped))
    if not parts:
        parts = [r.text for r in a.reasons]
    return " ".join(parts)


def _why_added(model, step: R.Step, qid: str, after: R.RouteResult, fired_before) -> str:
    """The true cause of a new step: a reason that turns on the changed answer, a rule that
    now applies, or the option it comes with."""
    for r in step.reasons:
        if qid in r.questions:
            return r.text
    for r in step.reasons:
        if r.rule and r.rule not in fired_before:
            return r.text
    for c in after.choices:
        opt = model.options.get(c.option) if c.option else None
        if opt is not None and step.station in opt.stations:
            return f"It comes with {_lower(opt.name)}, now your {c.name.lower()} (see above)."
    return step.reasons[0].text


def _why_removed(rm, model, sid, before, after, left_after, fired_before, fired_after, label, q):
    """The true cause of a step that goes: the stage is now left off, the option it came
    with gave way, or the rule that put it there no longer applies."""
    if sid in left_after:
        return left_after[sid]
    if after.outcome != "route":
        return "No route is open with this answer."
    for b in before.choices:
        opt = model.options.get(b.option) if b.option else None
        if opt is None or sid not in opt.stations:
            continue
        a = after.choice(b.choice)
        if a is not None and a.option != b.option:
            now = a.option_name or "not decided yet"
            return (
                f"It came with {_lower(opt.name)}, and {_subject(b.name)} is now "
                f"{_lower(now)} (see above)."
            )
    for b in before.choices:
        if b.still_open and b.option is None:
            shared = [model.options[o] for o in b.still_open]
            if all(sid in o.stations for o in shared):
                a = after.choice(b.choice)
                now = (a.option_name if a else None) or "not decided yet"
                return (
                    f"The options still open for {_subject(b.name)} shared it; "
                    f"{_subject(b.name)} is now {_lower(now)}, which does not take it."
                )
    stopped = [
        r
        for r in model.rules
        if sid in r.require and r.id in fired_before and r.id not in fired_after
    ]
    if stopped:  # in the words the route gave it (its fields filled with the answers)
        said = next(
            (
                x.text
                for s in before.steps
                if s.station == sid
                for x in s.reasons
                if x.rule == stopped[0].id
            ),
            stopped[0].reason,
        )
        return f"With “{label}” to “{q.text}”, this no longer applies: " + said
    gone_with = [r for r in model.rules if sid in r.require and r.id in fired_after and r.with_]
    if gone_with:
        names_ = ", ".join(_lower(model.options[o].name) for o in gone_with[0].with_)
        return f"It goes with {names_} only, and that is no longer your choice."
    return f"With “{label}” to “{q.text}”, nothing on your route needs it any more."


def _subject(choice_name: str) -> str:
    """A choice's name as the subject of a sentence: "the legal form", "how the work is
    awarded"."""
    low = choice_name[:1].lower() + choice_name[1:]
    return low if low.startswith("how ") else "the " + low


def _lower(text: str) -> str:
    return text[:1].lower() + text[1:] if text[1:2].islower() else text


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
        why = after.message.removeprefix("No route to a mutual is open with these answers. ")
        return one_each(head + "no route to a mutual stays open. " + why)
    if before.outcome != after.outcome:
        parts.append("a route to a mutual opens")
    for c in choices:
        was = c.before or ("not decided" if before.outcome == "route" else "none")
        now = c.after or ("not decided yet" if after.outcome == "route" else "none")
        parts.append(f"{c.name.lower()} changes from {was} to {now}")
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
    options += [o for c in rm.data.conditions if qid in condition_questions(c) for o in c.of]
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
