"""The words said about a route's results, made in one place: the pages' templates, the text
export (``text.py``, the CLI's default format) and the checklists (``render/checklist.py``)
all say a step's state, its topic, an answer, a range, a list of names or "change here for"
with these, so a page, a printout and a spreadsheet never word one result two ways.

Everything here reads the typed results (``results.py``) and never an id shown as text.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from .answerproblems import page_subject, page_words
from .answerwords import NOT_SURE, answer_label

if TYPE_CHECKING:
    from . import results as R

__all__ = [
    "NOT_SURE",
    "OFF_LINE",
    "answer_label",
    "change_here_for",
    "names",
    "needs",
    "page_subject",
    "page_words",
    "progress_details",
    "progress_sentence",
    "route_sentence",
    "route_title",
    "state",
    "status",
    "topic",
]

# a stop off the lines of the options chosen: drawn plainly, on no line (a checklist's line)
OFF_LINE = "Not on the lines of your choices"

# A step's status on the route (``Step.status``) and its state for an adviser (``StepState``).
STATES = {
    "to_do": "To do",
    "done": "Done",
    "in_place": "Already in place",
    "in_progress": "In progress",
    "skipped": "Skipped by choice",
    "can_start": "Can start now",
    "cannot_start_yet": "Cannot start yet",
}
TOPICS = {
    "start": "Getting started",
    "people": "Staff and unions",
    "decision": "The decision",
    "legal_form": "Legal form",
    "award": "How the work is awarded",
    "pension": "Pension",
    "registration": "Registration",
    "finance": "Finance",
    "set_up": "Setting up",
    "goal": "The goal",
    "first_year": "First year's duties",
}


def _plain(key: str) -> str:
    """A key the tables above do not know yet, as words (a new state or topic reads, rather
    than failing a page, until it is given its own words here)."""
    return key.replace("_", " ").capitalize()


def state(key: str) -> str:
    """ "Can start now", "Already in place"… for a step's status or state."""
    found = STATES.get(key)
    return found if found is not None else _plain(key)


status = state  # a step's status is one of the states


def topic(key: str) -> str:
    found = TOPICS.get(key)
    return found if found is not None else _plain(key)


def names(items: Iterable[str], last: str = "and") -> str:
    """ "A", "A and B", "A, B and C"."""
    items = list(items)
    if len(items) < 2:
        return "".join(items)
    return ", ".join(items[:-1]) + f" {last} " + items[-1]


def change_here_for(lines: Iterable[str]) -> str:
    """ "Change here for A, B and C." at an interchange (the other lines' names), else ""."""
    lines = list(lines)
    return f"Change here for {names(lines)}." if lines else ""


# ---- the route and progress ------------------------------------------------------------------
def route_title(result: R.RouteResult) -> str:
    """The route's name: its legal form, or that the form is still to decide (the route's
    ``heading``, made with the choices)."""
    return result.heading


def route_sentence(result: R.RouteResult) -> str:
    """The route in a sentence: its length and goal, then each choice the title does not
    name, by name (or that it is still to decide)."""
    if result.outcome != "route":
        return result.message
    # an option's name as written (a proper name such as "Provider Selection Regime" keeps its
    # capitals), after a colon rather than lower-cased into the sentence
    rest = "".join(
        f" {c.name}: {c.option_name}." if c.option_name else f" {c.name}: still to decide."
        for c in result.choices
        if (c.option_name and c.option_name != result.heading)
        or (not c.option_name and c.still_open)
    )
    return (
        f"{result.step_count} steps to the new organisation running the service "
        f"and its first year's duties.{rest}"
    )


def progress_sentence(progress: R.Progress) -> str:
    return f"{progress.done} of {progress.total} steps done ({progress.percent}%)"


def progress_details(progress: R.Progress) -> str:
    return (
        f"{progress.in_progress} in progress; {progress.skipped} skipped by choice (never "
        "counted as done); steps already in place from the answers count as done."
    )


def needs(item: R.CanStart) -> list[str]:
    """What a step that can start needs, in words: forms, who, and support open today."""
    out = [f"{f.code} ({f.name})" if f.code else f.name for f in item.forms]
    if item.who:
        out.append("Who: " + "; ".join(item.who))
    out += [f"Support open today: {s.name}" for s in item.support]
    return out
