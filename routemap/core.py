"""``RouteMap``: the one core object, built once from the data and shared read-only.

Every front door (the pages, the JSON API, the CLI, the exporters) takes a ``RouteMap`` and
calls the same functions, so they always agree. Per-request state never lives here.
"""

from __future__ import annotations

import os
import re
import threading
from collections.abc import Mapping
from functools import cached_property
from pathlib import Path
from types import MappingProxyType

import networkx as nx

from .models import Area, Line, Question, RetiredQuestion, Rule, Source, Station
from .retired import successors
from .validate import MapData, check_data, load_data

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA_DIR = REPO_ROOT / "graph_data"


def default_data_dir() -> Path:
    return Path(os.environ.get("ROUTEMAP_DATA") or DEFAULT_DATA_DIR)


class UnknownId(LookupError):
    """An id that is not on the map; ``kind`` says which kind of id (station, line...)."""

    def __init__(self, kind: str, ident: str):
        self.kind = kind
        self.ident = ident
        super().__init__(f"unknown {kind} '{ident}'")


def _frozen(d: dict) -> Mapping:
    return MappingProxyType(d)


class RouteMap:
    """The validated map, its NetworkX graph and the indexes the rest of routemap needs.

    The graph is a frozen ``MultiDiGraph``: stations are nodes (attribute ``station``), and each
    consecutive pair of stations on a line is one edge keyed by the line id.
    """

    def __init__(self, data: MapData):
        self.data = data
        self.info = data.info
        self.stations: Mapping[str, Station] = _frozen({s.id: s for s in data.stations})
        self.lines: Mapping[str, Line] = _frozen({ln.id: ln for ln in data.lines})
        self.sources: Mapping[str, Source] = _frozen({s.id: s for s in data.sources})
        self.areas: Mapping[str, Area] = _frozen({a.id: a for a in data.areas})
        self.questions: Mapping[str, Question] = _frozen({q.id: q for q in data.questions})
        self.retired_questions: Mapping[str, RetiredQuestion] = _frozen(
            {q.id: q for q in data.retired_questions}
        )
        self.rules: Mapping[str, Rule] = _frozen({r.id: r for r in data.rules})
        self._lock = threading.RLock()
        self._cache: dict[str, object] = {}
        self.line_index: Mapping[str, int] = _frozen({ln.id: i for i, ln in enumerate(data.lines)})
        # a retired station id -> the station that takes its place (retired.py)
        self.retired: Mapping[str, str] = _frozen(successors(data.retired))

        g = nx.MultiDiGraph()
        for s in data.stations:
            g.add_node(s.id, station=s)
        lines_at: dict[str, list[str]] = {s.id: [] for s in data.stations}
        for ln in data.lines:
            for a, b in zip(ln.stations, ln.stations[1:], strict=False):
                g.add_edge(a, b, key=ln.id, line=ln.id)
            for sid in ln.stations:
                lines_at[sid].append(ln.id)
        self.graph: nx.MultiDiGraph = nx.freeze(g)
        self.lines_at: Mapping[str, tuple[str, ...]] = _frozen(
            {k: tuple(v) for k, v in lines_at.items()}
        )
        self.interchanges: tuple[str, ...] = tuple(
            s.id for s in data.stations if len(lines_at[s.id]) > 1
        )
        self.origins: tuple[str, ...] = tuple(s.id for s in data.stations if s.kind == "origin")
        self.outcomes: tuple[str, ...] = tuple(s.id for s in data.stations if s.kind == "outcome")
        position = {s.id: i for i, s in enumerate(data.stations)}
        self.order: tuple[str, ...] = tuple(
            nx.lexicographical_topological_sort(self.graph, key=position.__getitem__)
        )
        self.rank: Mapping[str, int] = _frozen({sid: i for i, sid in enumerate(self.order)})
        forms: dict[str, list[str]] = {}
        for s in data.stations:
            for doc in s.documents:
                if doc.code:
                    forms.setdefault(doc.code.upper(), []).append(s.id)
        self.forms: Mapping[str, tuple[str, ...]] = _frozen({k: tuple(v) for k, v in forms.items()})
        supported_by: dict[str, list[str]] = {}
        for s in data.stations:
            for sup in s.support:
                supported_by.setdefault(sup, []).append(s.id)
        self.supported_by: Mapping[str, tuple[str, ...]] = _frozen(
            {k: tuple(v) for k, v in supported_by.items()}
        )

    # ---- construction -----------------------------------------------------------------------
    @classmethod
    def load(cls, directory: str | Path | None = None) -> RouteMap:
        """Build from a data directory; raises ``DataError`` listing every problem."""
        return cls(load_data(directory if directory is not None else default_data_dir()))

    @classmethod
    def from_data(cls, data: MapData) -> RouteMap:
        """Build from data made in code (synthetic maps); checked like files are."""
        from .problems import DataError

        problems = check_data(data)
        if problems:
            raise DataError(problems)
        return cls(data)

    # ---- lookups ----------------------------------------------------------------------------
    def station(self, sid: str) -> Station:
        try:
            return self.stations[sid]
        except KeyError:
            raise UnknownId("station", sid) from None

    def current_id(self, sid: str) -> str:
        """A station id as the map has it now: a retired id's successor, else the id."""
        return self.retired.get(sid, sid)

    def line(self, lid: str) -> Line:
        try:
            return self.lines[lid]
        except KeyError:
            raise UnknownId("line", lid) from None

    def question(self, qid: str) -> Question:
        try:
            return self.questions[qid]
        except KeyError:
            raise UnknownId("question", qid) from None

    def neighbours(
        self, sid: str
    ) -> tuple[tuple[tuple[str, str], ...], tuple[tuple[str, str], ...]]:
        """((previous station, line), ...), ((next station, line), ...) in data order."""
        self.station(sid)
        before = tuple(
            (a, k) for a, _, k in sorted(self.graph.in_edges(sid, keys=True), key=self._edge_key)
        )
        after = tuple(
            (b, k) for _, b, k in sorted(self.graph.out_edges(sid, keys=True), key=self._edge_key)
        )
        return before, after

    def _edge_key(self, edge: tuple[str, str, str]) -> tuple[int, int]:
        a, b, k = edge
        return (self.line_index[k], self.rank[a] + self.rank[b])

    def is_historical_line(self, lid: str) -> bool:
        return self.line(lid).status == "historical"

    def search(self, query: str, limit: int = 20) -> list[str]:
        """Stations matching a name, a word of a name, or a form code such as 'CIC36'."""
        q = re.sub(r"\s+", " ", query or "").strip().lower()
        if not q:
            return []
        scored: list[tuple[int, int, str]] = []
        code = q.replace(" ", "").upper()
        for i, s in enumerate(self.data.stations):
            name = s.name.lower()
            if code in self.forms and s.id in self.forms[code]:
                score = 0
            elif name == q:
                score = 1
            elif name.startswith(q):
                score = 2
            elif re.search(r"\b" + re.escape(q), name):
                score = 3
            elif q in name:
                score = 4
            elif any(q in (d.name.lower()) for d in s.documents):
                score = 5
            elif q in s.summary.lower():
                score = 6
            else:
                continue
            scored.append((score, i, s.id))
        return [sid for _, _, sid in sorted(scored)[:limit]]

    def summary_line(self) -> str:
        return (
            f"{len(self.stations)} stations, {len(self.lines)} lines, "
            f"{len(self.interchanges)} interchanges, {len(self.questions)} questions, "
            f"{len(self.rules)} rules"
        )

    # ---- derived artefacts, computed once on first use --------------------------------------
    def cached(self, key: str, factory):
        """A derived, read-only artefact (a routing index...), built once and shared."""
        try:
            return self._cache[key]
        except KeyError:
            pass
        with self._lock:
            if key not in self._cache:
                self._cache[key] = factory()
            return self._cache[key]

    @cached_property
    def geometry(self):
        """The tube-map layout: the one geometry every view and export draws."""
        from .layout import compute_layout

        with self._lock:
            return compute_layout(self)
