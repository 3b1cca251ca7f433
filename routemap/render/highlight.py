"""What a drawing of the map brings forward — a route or a line — as one typed value.

The export (SVG, PNG, PDF, offline HTML), the pages' inline SVG and the interactive explorer
all draw from a ``Highlight``: the strokes and stops of a personalised route (each stop's
progress, where there is any) or a whole line, with everything else faded, and the words
that name what is shown. Made once from the typed route (``RouteResult.drawing``), never
parsed back out of another drawing's ids.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..core import RouteMap
from ..route import results as R
from ..route.words import route_title

# the progress marks a drawing shows on a route's stops (words for them: ``route.words``)
MARKS = ("done", "in_progress", "can_start", "skipped")


@dataclass(frozen=True)
class Highlight:
    """Hashable, so drawings can be cached by what they show."""

    # what the drawing shows, in words: its heading and the line under it ("" keeps the map's
    # own), and a line for its foot (a route's choices)
    title: str = ""
    subtitle: str = ""
    summary: str = ""
    lines: frozenset[str] = frozenset()  # lines drawn whole
    strokes: frozenset[tuple[str, str, str]] = frozenset()  # (line, from, to) ridden
    stations: frozenset[str] = frozenset()  # the stations kept (the rest fades)
    steps: tuple[str, ...] = ()  # a route's steps, in order (a page links each to its place)
    marks: tuple[tuple[str, str], ...] = ()  # (station, one of MARKS), in route order

    @property
    def mark(self) -> dict[str, str]:
        return dict(self.marks)


def route_highlight(result: R.RouteResult, states: list[R.StepState] | None = None) -> Highlight:
    """A route as drawn: its strokes and stops; with ``states`` (what next), each stop's
    progress; without, what the route itself says (done, already in place, skipped)."""
    d = result.drawing
    if states is not None:
        marks = [(s.station, _mark(s.state)) for s in states]
    else:
        marks = [(s.station, _mark(s.status)) for s in result.steps]
    return Highlight(
        title="Your route",
        subtitle=route_title(result),
        summary="; ".join(f"{c.name}: {c.option_name}" for c in result.choices if c.option_name),
        strokes=frozenset((s.line, s.source, s.target) for s in d.strokes),
        stations=frozenset(d.stations),
        steps=tuple(s.station for s in result.steps),
        marks=tuple((sid, m) for sid, m in marks if m),
    )


def line_highlight(rm: RouteMap, lid: str) -> Highlight:
    ln = rm.line(lid)
    return Highlight(lines=frozenset({lid}), stations=frozenset(ln.stations))


def _mark(state: str) -> str:
    if state in ("done", "in_place"):
        return "done"
    return state if state in MARKS else ""
