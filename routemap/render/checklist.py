"""A personalised route as a checklist for a case file: Markdown and CSV.

Columns: step, station, line, reason, status. CSV cells that a spreadsheet would run as a
formula (starting with = + - @) are prefixed with an apostrophe.
"""

from __future__ import annotations

import csv
import io

from ..core import RouteMap
from ..route.results import RouteResult
from ..route.words import OFF_LINE, status


def _rows(rm: RouteMap, result: RouteResult) -> list[dict[str, str]]:
    rows = []
    for step in result.steps:
        rows.append(
            {
                "step": str(step.number),
                "station": rm.stations[step.station].name,
                "station_id": step.station,
                # a stop off the lines of the options chosen is drawn plainly, on no line
                "line": rm.lines[step.line].name if step.line else OFF_LINE,
                "line_id": step.line or "",
                "reason": step.reason,
                "status": status(step.status),
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
    given = [a for a in result.answer_effects if a.given]
    lines.append(
        "Answers: "
        + (
            "; ".join(f"{_md(a.text)} {_md(a.label)}" for a in given)
            or "none given (all counted as not sure)"
        )
    )
    lines.append(f"Facts last checked {rm.info.facts_checked}. Not legal advice.")
    lines.append("")
    if not result.steps:
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
    if result.choices:
        lines += ["", "## Your choices", ""]
        for c in result.choices:
            if c.option_name:
                chosen, why = c.option_name, " ".join(r.text for r in c.reasons)
            elif c.undecided:  # what is still open, and what would decide it
                chosen, why = "still to decide", c.undecided
            else:
                chosen, why = "nothing open", ""
            lines.append(f"- **{_md(c.name)}**: {_md(chosen)}. {_md(why)}".rstrip())
    if result.left_off:
        lines += ["", "## Left off your route", ""]
        for e in result.left_off:
            lines.append(f"- {_md(e.name)}: {_md(e.reason)}")
    return "\n".join(lines) + "\n"
