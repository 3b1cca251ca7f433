"""The route, what next and what if as plain text (the CLI's default format), from the typed
results only: questions and answers by their words, never by ids."""

from __future__ import annotations

import textwrap

from ..core import RouteMap
from . import results as R
from .words import needs, progress_sentence, status

WIDTH = 92


def _wrap(text: str, indent: str, rest: str | None = None) -> str:
    return textwrap.fill(
        text, WIDTH, initial_indent=indent, subsequent_indent=rest or " " * len(indent)
    )


def answers_line(result: R.RouteResult) -> str:
    given = [a for a in result.answer_effects if a.given]
    if not given:
        return "Your answers: none yet (everything counts as not sure)."
    return "Your answers: " + "; ".join(f"{a.text} {a.label}" for a in given)


def choices_text(result: R.RouteResult) -> list[str]:
    out = ["Your choices:"]
    for c in result.choices:
        if c.option_name:
            out.append(_wrap(f"{c.name}: {c.option_name}", "  - "))
            for r in c.reasons:
                out.append(_wrap(r.text, "      "))
        elif c.undecided and c.still_open:
            out.append(_wrap(f"{c.name}: {c.undecided}", "  - "))
        elif c.undecided:
            out.append(_wrap(f"{c.name}: not decided yet. {c.undecided}", "  - "))
        else:
            out.append(_wrap(f"{c.name}: nothing open with your answers.", "  - "))
    return out


def route_text(rm: RouteMap, result: R.RouteResult) -> str:
    out = [_wrap(answers_line(result), "")]
    if result.outcome != "route":
        out.append(_wrap(result.message, ""))
        if result.nearest:
            out.append("Nearest routes (one answer changed):")
            for n in result.nearest:
                out.append(
                    _wrap(
                        f"If you answered “{n.answer_label}” to “{n.question_text}”: {n.summary}",
                        "  - ",
                    )
                )
        if result.other_ways:
            out.append("Other ways to deliver the service (not a mutual):")
            for w in result.other_ways:
                out.append(_wrap(f"{w.name}: {w.summary}", "  - "))
        out += choices_text(result)
        return "\n".join(out)
    out.append(
        f"Your route: {result.step_count} steps, to the new organisation running the service "
        "and its first year's duties."
    )
    out += choices_text(result)
    out.append("The steps:")
    for step in result.steps:
        said = "" if step.status == "to_do" else status(step.status).lower()
        out.append(f"  {step.number:2}. {step.name}" + (f"  ({said})" if said else ""))
        for r in step.reasons:
            out.append(_wrap(r.text, "      - ", "        "))
        if step.if_skipped:
            out.append(_wrap("Without it: " + step.if_skipped, "      - ", "        "))
    if result.left_off:
        out.append("Stages left off your route:")
        for x in result.left_off:
            out.append(_wrap(f"{x.name}: {x.reason}", "  - "))
    est = result.estimate
    out.append("Journey estimate:")
    for j in est.journey:
        out.append(_wrap(j.text, "  - "))
    for f in est.durations:
        out.append(_wrap(f"{f.name}: {f.text}", "  - "))
    if est.fees:
        out.append("Known fees:")
        for f in est.fees:
            out.append(_wrap(f"{f.name}: {f.text}", "  - "))
    if est.not_published:
        out.append(
            _wrap("No duration or fee published for: " + ", ".join(est.not_published) + ".", "  ")
        )
    if result.futures:
        out.append("Possible futures when the first contract ends (not the goal):")
        for fu in result.futures:
            ex = "; ".join(f"{e.text} ({e.date})" if e.date else e.text for e in fu.examples)
            out.append(_wrap(f"{fu.name}: {ex}" if ex else fu.name, "  - "))
    out.append("What your answers change:")
    for a in result.answer_effects:
        if a.effects:
            out.append(_wrap(f"{a.text} {a.label}: " + "; ".join(a.effects) + ".", "  - "))
    out.append("Readiness by area (weakest first):")
    for area in result.readiness:
        pct = "" if area.percent is None else f" {area.percent}%"
        out.append(f"  - {area.name}:{pct} {area.level}")
    return "\n".join(out)


def next_text(rm: RouteMap, result: R.NextResult) -> str:
    p = result.progress
    out = [
        f"Progress: {progress_sentence(p)}, counting steps already in place; "
        f"{p.in_progress} in progress, {p.skipped} skipped."
    ]
    for note in result.notes:
        out.append(_wrap(note, "  ! "))
    if result.in_progress:
        out.append("In progress:")
        for s in result.in_progress:
            out.append(f"  - {s.number}. {s.name}")
    out.append("You can start now:" if result.can_start else "Nothing can start now.")
    for c in result.can_start:
        out.append(f"  - {c.name}")
        for said in needs(c):
            out.append(_wrap(said, "      "))
        out.append(_wrap(f"Duration: {c.duration}. Cost: {c.cost}", "      "))
    if result.blocked:
        out.append("Cannot start yet:")
        for s in result.blocked:
            out.append(
                _wrap(f"{s.number}. {s.name}: waiting for {', '.join(s.blocked_by_names)}", "  - ")
            )
    if result.deadlines:
        out.append("Deadlines that matter:")
        for d in result.deadlines:
            out.append(_wrap(f"{d.name}: {d.deadline}", "  - "))
    if result.not_sure:
        out.append("Answers still 'not sure' that would change your route:")
        for q in result.not_sure:
            out.append(_wrap(f"{q.text} — answering {' or '.join(q.labels)} changes it", "  - "))
    if result.weakest_areas:
        out.append("Areas to work on first, and support open today:")
        for a in result.weakest_areas:
            pct = "" if a.percent is None else f" {a.percent}%"
            support = ", ".join(s.name for s in a.support) or "no open support offer"
            out.append(_wrap(f"{a.name}:{pct} {a.level} — {support}", "  - "))
    return "\n".join(out)


def whatif_text(w: R.WhatIf) -> str:
    out = [_wrap(w.summary, "")]
    for c in w.choices:
        out.append(_wrap(f"{c.name}: {c.before or 'none'} → {c.after or 'none'}. {c.why}", "  - "))
    for s in w.added:
        out.append(_wrap(f"Added: {s.name} — {s.why}", "  + "))
    for s in w.removed:
        out.append(_wrap(f"Taken off: {s.name} — {s.why}", "  - "))
    return "\n".join(out)
