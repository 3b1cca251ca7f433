"""The personalised route as plain text (the CLI's default format)."""

from __future__ import annotations

import textwrap

from ..core import RouteMap
from .finder import RouteResult, Step

WIDTH = 92


def _wrap(text: str, indent: str) -> str:
    return textwrap.fill(text, WIDTH, initial_indent=indent, subsequent_indent=" " * len(indent))


def _reason(step: Step, indent: str) -> list[str]:
    """A step's reason; the reasons of several rules one per bullet, as the app lists them."""
    lead, because, rest = step.reason_parts()
    if not because:
        return [_wrap(step.reason, indent)]
    out = [_wrap(lead, indent)] if lead else []
    out += [_wrap(b, indent + "- ") for b in because]
    if rest:
        out.append(_wrap(rest, indent))
    return out


def route_text(rm: RouteMap, result: RouteResult) -> str:
    out: list[str] = []
    given = sorted(result.profile.given)
    out.append(
        "Your answers: "
        + (
            ", ".join(f"{q}={result.profile.answers[q]}" for q in given)
            or "none (everything counts as not sure)"
        )
    )
    if result.route is None:
        out.append(result.message)
    else:
        r = result.route
        out.append(
            f"Your route: {len(r.stations)} stations on "
            f"{', '.join(rm.lines[lid].name for lid in r.lines)}; "
            f"{r.changes} change{'s' if r.changes != 1 else ''} of line."
        )
        n = 0
        for step in r.steps:
            name = rm.stations[step.station].name
            if step.change:
                out.append(f"      ⇄ change to {rm.lines[step.line].name} [{step.line}]")
                out.extend(_reason(step, "        "))
                continue
            n += 1
            status = "" if step.status == "to_do" else f"  ({step.status.replace('_', ' ')})"
            out.append(f"  {n:2}. {name} [{step.station}] — {rm.lines[step.line].name}{status}")
            out.extend(_reason(step, "      "))
    if result.unmet:
        out.append("Needed but not on one route:")
        for u in result.unmet:
            out.append(_wrap(u["reason"], "  - "))
    if result.not_needed:
        out.append("Not needed for you:")
        for item in result.not_needed:
            out.append(_wrap(f"{rm.stations[item['station']].name}: {item['reason']}", "  - "))
    if result.excluded_lines:
        out.append("Lines you cannot take, and why:")
        for item in result.excluded_lines:
            out.append(
                _wrap(
                    f"{rm.lines[item['line']].name}: {item['reason']} {item['would_change_if']}",
                    "  - ",
                )
            )
    if result.other_lines:
        out.append("Other open lines:")
        for item in result.other_lines:
            out.append(_wrap(item["reason"], "  - "))
    if result.alternatives:
        out.append("Alternatives:")
        for i, alt in enumerate(result.alternatives, 1):
            out.append(_wrap(f"{i}. {alt['differs']}", "  "))
    out.append("Readiness by area (weakest first):")
    for area in result.readiness:
        pct = "" if area.score is None else f" {round(100 * area.score)}%"
        out.append(f"  - {area.name}:{pct} {area.level}")
    return "\n".join(out)


def next_text(rm: RouteMap, result) -> str:
    """What next, as plain text."""
    p = result.progress
    out = [
        f"Progress: {p['done']} of {p['total']} steps done ({p['percent']}%); "
        f"{p['in_progress']} in progress, {p['skipped']} skipped, "
        f"{p['not_needed']} not needed."
    ]
    for note in result.notes:
        out.append(_wrap(note, "  ! "))
    if result.in_progress:
        out.append("In progress:")
        for item in result.in_progress:
            out.append(f"  - {rm.stations[item['station']].name} [{item['station']}]")
    out.append("You can start now:" if result.can_start else "Nothing can start now.")
    for item in result.can_start:
        out.append(f"  - {item['name']} [{item['station']}] — {rm.lines[item['line']].name}")
        for need in item["needs"]:
            out.append(_wrap(need, "      "))
    if result.blocked:
        out.append("Cannot start yet:")
        for item in result.blocked:
            by = ", ".join(rm.stations[b].name for b in item["blocked_by"])
            out.append(
                f"  - {rm.stations[item['station']].name} [{item['station']}]: waiting for {by}"
            )
    if result.deadlines:
        out.append("Deadlines that matter:")
        for d in result.deadlines:
            out.append(_wrap(f"{d['name']}: {d['deadline']}", "  - "))
    if result.not_sure:
        out.append("Answers still 'not sure' that would change your route:")
        for q in result.not_sure:
            out.append(
                _wrap(
                    f"{q['question']} ({q['text']}): "
                    + ", ".join(q["answers_that_change_the_route"]),
                    "  - ",
                )
            )
    if result.weakest_areas:
        out.append("Areas to work on first, and support open today:")
        for a in result.weakest_areas:
            pct = "" if a["percent"] is None else f" {a['percent']}%"
            support = ", ".join(s["name"] for s in a["support"]) or "no open support offer"
            out.append(_wrap(f"{a['name']}:{pct} {a['level']} — {support}", "  - "))
    return "\n".join(out)
