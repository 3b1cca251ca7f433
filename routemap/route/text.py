"""The personalised route as plain text (the CLI's default format)."""

from __future__ import annotations

import textwrap

from ..core import RouteMap
from .finder import RouteResult

WIDTH = 92


def _wrap(text: str, indent: str) -> str:
    return textwrap.fill(text, WIDTH, initial_indent=indent, subsequent_indent=indent)


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
                out.append(_wrap(step.reason, "        "))
                continue
            n += 1
            status = "" if step.status == "to_do" else f"  ({step.status.replace('_', ' ')})"
            out.append(f"  {n:2}. {name} [{step.station}] — {rm.lines[step.line].name}{status}")
            out.append(_wrap(step.reason, "      "))
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
