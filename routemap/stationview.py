"""One view of a station — its facts and the words they are said in — for every front door:
the pages (the details panel, which the explorer places as the server wrote it, and the maps'
station links), the API (``/api/v1/stations``), and ``routemap inspect``. What a station "is"
in words (its kind, its caption, a document with its form code, the stations before and after
grouped with the lines that lead there, an example with its date) is decided here once.
"""

from __future__ import annotations

from dataclasses import dataclass

from .core import RouteMap
from .models import Document, Example, Station, end_words
from .route.words import change_here_for

STATION_KINDS = {
    "origin": "Start",
    "stage": "Stage",
    "decision": "Decision",
    "document": "Form or document",
    "registration": "Registration",
    "support": "Support offer",
    "outcome": "Outcome",
}
LINE_KINDS = {
    "legal_form": "Legal form",
    "access_route": "Access route",
    "contrast": "Another way (contrast)",
    "support": "Support",
}


@dataclass(frozen=True)
class LineRef:
    id: str
    name: str
    colour: str
    historical: bool

    @property
    def label(self) -> str:
        """The line's name, saying so when it is historical (colour never says it alone)."""
        return self.name + (" (historical)" if self.historical else "")


@dataclass(frozen=True)
class Neighbour:
    """A station just before or after this one, with the lines that join them."""

    id: str
    name: str
    lines: tuple[str, ...]  # line ids, in data order
    line_names: tuple[str, ...]

    @property
    def via(self) -> str:
        """ "the X line" / "the X, Y and Z lines"."""
        names = list(self.line_names)
        if len(names) == 1:
            return f"the {names[0]} line"
        return "the " + ", ".join(names[:-1]) + f" and {names[-1]} lines"


@dataclass(frozen=True)
class StationView:
    station: Station
    kind_label: str
    interchange: bool
    lines: tuple[LineRef, ...]
    before: tuple[Neighbour, ...]
    after: tuple[Neighbour, ...]
    before_by_line: tuple[tuple[str, str], ...]  # (station, line) pairs, as the API gives them
    after_by_line: tuple[tuple[str, str], ...]
    support: tuple[tuple[str, str], ...]  # (id, name) of the support offers for this step
    supports: tuple[tuple[str, str], ...]  # for a support offer: the steps it helps

    @property
    def id(self) -> str:
        return self.station.id

    @property
    def name(self) -> str:
        return self.station.name

    @property
    def status_text(self) -> str:
        st = self.station
        if st.status == "open":
            return ""
        end = end_words(st)
        return f"Historical ({end})" if end else "Historical"

    @property
    def caption(self) -> str:
        """ "Registration · Interchange · Historical (closed 2020)"."""
        parts = [self.kind_label]
        if self.interchange:
            parts.append("Interchange")
        if self.status_text:
            parts.append(self.status_text)
        return " · ".join(parts)

    @property
    def documents(self) -> tuple[str, ...]:
        return tuple(document_text(d) for d in self.station.documents)

    @property
    def examples(self) -> tuple[str, ...]:
        return tuple(example_text(e) for e in self.station.examples)

    @property
    def change_here(self) -> str:
        """ "Change here for A, B." at an interchange, else ""."""
        if len(self.lines) < 2:
            return ""
        return change_here_for(ln.name for ln in self.lines)

    @property
    def map_label(self) -> str:
        """What a screen reader announces for the station on a map: name, kind and lines."""
        kind = self.kind_label + (", historical" if self.station.status != "open" else "")
        names = [ln.name for ln in self.lines]
        if len(names) > 1:
            return f"{self.name} ({kind}). Interchange: " + ", ".join(names) + "."
        if names:
            return f"{self.name} ({kind}). On the {names[0]} line."
        return f"{self.name} ({kind})."


def document_text(d: Document) -> str:
    return (
        d.name
        + (f" (form {d.code})" if d.code else "")
        + (" (no longer in use)" if d.historical else "")
        + (f". {d.note}" if d.note else "")
    )


def example_text(e: Example) -> str:
    return e.text + (f" ({e.date})" if e.date else "")


def line_ref(rm: RouteMap, lid: str) -> LineRef:
    ln = rm.lines[lid]
    return LineRef(ln.id, ln.name, ln.colour, ln.status != "open")


def _grouped(rm: RouteMap, pairs) -> tuple[Neighbour, ...]:
    order: dict[str, list[str]] = {}
    for sid, lid in pairs:
        order.setdefault(sid, []).append(lid)
    return tuple(
        Neighbour(
            sid,
            rm.stations[sid].name,
            tuple(lids),
            tuple(rm.lines[lid].name for lid in lids),
        )
        for sid, lids in order.items()
    )


def station_view(rm: RouteMap, sid: str) -> StationView:
    """The view of one station (``UnknownId`` for an id the map does not have)."""
    return rm.cached(f"station-view:{sid}", lambda: _build(rm, sid))


def _build(rm: RouteMap, sid: str) -> StationView:
    st = rm.station(sid)
    before, after = rm.neighbours(sid)
    return StationView(
        station=st,
        kind_label=STATION_KINDS[st.kind],
        interchange=sid in rm.interchanges,
        lines=tuple(line_ref(rm, lid) for lid in rm.lines_at[sid]),
        before=_grouped(rm, before),
        after=_grouped(rm, after),
        before_by_line=before,
        after_by_line=after,
        support=tuple((s, rm.stations[s].name) for s in st.support if s in rm.stations),
        supports=tuple((s, rm.stations[s].name) for s in rm.supported_by.get(sid, ())),
    )
