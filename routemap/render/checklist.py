"""A personalised route as a checklist for a case file: Markdown and CSV.

Columns: step, station, line, reason, status. CSV cells that a spreadsheet would run as a
formula (starting with = + - @) are prefixed with an apostrophe.
"""

from __future__ import annotations

import csv
import io

from ..core import RouteMap
from ..route.finder import RouteResult

STATUS_TEXT = {
    "to_do": "To do",
    "done": "Done",
    "in_progress": "In progress",
    "not_needed": "Not needed",
    "skipped": "Skipped",
}


def _rows(rm: RouteMap, result: RouteResult) -> list[dict[str, str]]:
    rows = []
    n = 0
    for step in result.route.steps if result.route else []:
        if step.change:
            continue
        n += 1
        rows.append(
            {
                "step": str(n),
                "station": rm.stations[step.station].name,
                "station_id": step.station,
                "line": rm.lines[step.line].name,
                "line_id": step.line,
                "reason": step.reason,
                "status": STATUS_TEXT.get(step.status, step.status),
            }
        )
    return rows


def _cell(text: str) -> str:
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def checklist_csv(rm: RouteMap, result: RouteResult) -> str:
    out = io.StringIO()
    # every row says when the facts were last checked: a spreadsheet keeps it with each step
    fields = ["step", "station", "station_id", "line", "line_id", "reason", "status"]
    writer = csv.DictWriter(out, fieldnames=[*fields, "facts_checked"], lineterminator="\n")
    writer.writeheader()
    for row in _rows(rm, result):
        writer.writerow(
            {k: _cell(v) for k, v in row.items()} | {"facts_checked": rm.info.facts_checked}
        )
    return out.getvalue()


def _md(text: str) -> str:
    """Escape Markdown and HTML so data text stays text in any renderer."""
    out = text.replace("\\", "\\\\").replace("|", "\\|")
    for ch in "`*_[]<>#":
        out = out.replace(ch, "\\" + ch)
    return " ".join(out.split())


def checklist_markdown(rm: RouteMap, result: RouteResult) -> str:
    lines = [f"# {_md(rm.info.title)}: route checklist", ""]
    given = sorted(result.profile.given)
    lines.append(
        "Answers: "
        + (
            ", ".join(f"{q} = {result.profile.answers[q]}" for q in given)
            or "none given (all counted as not sure)"
        )
    )
    lines.append(f"Facts last checked {rm.info.facts_checked}. Not legal advice.")
    lines.append("")
    if result.route is None:
        lines.append(_md(result.message))
    else:
        lines += [
            "| Step | Station | Line | Why it is on your route | Status |",
            "|---:|---|---|---|---|",
        ]
        for row in _rows(rm, result):
            lines.append(
                f"| {row['step']} | {_md(row['station'])} | {_md(row['line'])} | "
                f"{_md(row['reason'])} | {row['status']} |"
            )
        changes = [s for s in result.route.steps if s.change]
        if changes:
            lines += ["", "## Changes of line", ""]
            for s in changes:
                lines.append(f"- At {_md(rm.stations[s.station].name)}: {_md(s.reason)}")
    if result.excluded_lines:
        lines += ["", "## Lines left off, and why", ""]
        for e in result.excluded_lines:
            lines.append(
                f"- **{_md(rm.lines[e['line']].name)}**: {_md(e['reason'])} "
                f"{_md(e['would_change_if'])}"
            )
    if result.not_needed:
        lines += ["", "## Not needed for you", ""]
        for e in result.not_needed:
            lines.append(f"- {_md(rm.stations[e['station']].name)}: {_md(e['reason'])}")
    return "\n".join(lines) + "\n"
