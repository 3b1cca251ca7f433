"""The route finder: from an origin to an outcome, along lines the answers leave open,
through every station the rules require, cheapest in indicative duration with a penalty for
each change of line — and a reason for every step and for every line left off.

The search runs on (station, line) states built once per map from the NetworkX graph: moving
along a line costs the indicative duration of the next station (nothing if it is done or not
needed); changing line at an interchange costs a fixed penalty. Required stations are visited
in flow order, one multi-source Dijkstra per stretch, each carrying the cost of every line it
arrives on, so the best combination is exact.
"""

from __future__ import annotations

import heapq
import statistics
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from ..core import RouteMap
from .profile import Profile
from .readiness import AreaScore, readiness
from .rules import Effects, evaluate, would_change_if

PREFER_FACTOR = 0.6
AVOID_FACTOR = 1.6
MAX_ALTERNATIVES = 3


# ---------------------------------------------------------------------------------------------
# the index, built once per map


class RoutingIndex:
    def __init__(self, rm: RouteMap):
        self.rm = rm
        self.stations = list(rm.order)
        self.sidx = {s: i for i, s in enumerate(self.stations)}
        self.lines = [ln.id for ln in rm.data.lines]
        self.lidx = {lid: i for i, lid in enumerate(self.lines)}
        self.states: list[tuple[int, int]] = []
        self.state_of: dict[tuple[int, int], int] = {}
        self.states_at: list[list[int]] = [[] for _ in self.stations]
        for sid in self.stations:
            for lid in rm.lines_at[sid]:
                key = (self.sidx[sid], self.lidx[lid])
                self.state_of[key] = len(self.states)
                self.states_at[key[0]].append(len(self.states))
                self.states.append(key)
        self.next: list[list[int]] = [[] for _ in self.states]
        for a, b, lid in rm.graph.edges(keys=True):
            li = self.lidx[lid]
            self.next[self.state_of[(self.sidx[a], li)]].append(self.state_of[(self.sidx[b], li)])
        self.rank = [rm.rank[s] for s in self.stations]
        known = []
        for sid in self.stations:
            d = rm.stations[sid].duration
            days = d.max_days if d.max_days is not None else d.min_days
            if days is not None:
                known.append(days)
        # Unknown durations count as the median known one, so "not published" neither
        # attracts nor repels a route; a change of line costs four times that.
        self.typical = float(statistics.median(known)) if known else 30.0
        self.weight = []
        for sid in self.stations:
            d = rm.stations[sid].duration
            days = d.max_days if d.max_days is not None else d.min_days
            self.weight.append(float(days) if days is not None else self.typical)
        self.change_penalty = 4 * self.typical
        # comparison (contrast) lines are whole routes of their own: no changing on or off
        self.single = [rm.lines[lid].kind == "contrast" for lid in self.lines]
        self.origins = [self.sidx[s] for s in rm.origins]
        self.outcomes = {self.sidx[s] for s in rm.outcomes}


def routing_index(rm: RouteMap) -> RoutingIndex:
    return rm.cached("routing", lambda: RoutingIndex(rm))


# ---------------------------------------------------------------------------------------------
# the search


@dataclass
class _Search:
    ix: RoutingIndex
    line_ok: list[bool]
    station_ok: list[bool]
    station_cost: list[float]
    factor: list[float]

    def __post_init__(self) -> None:
        ix = self.ix
        lines_of = [li for _, li in ix.states]
        stations_of = [si for si, _ in ix.states]
        self.state_ok = [self.line_ok[li] and self.station_ok[si] for si, li in ix.states]
        self.enter_cost = [self.station_cost[si] * self.factor[li] for si, li in ix.states]
        self.state_rank = [ix.rank[si] for si in stations_of]
        self.state_line = lines_of
        # where a change of line may be made from each state: the other open lines there
        self.changes = [
            []
            if ix.single[li]
            else [
                t
                for t in ix.states_at[si]
                if t != s and self.line_ok[lines_of[t]] and not ix.single[lines_of[t]]
            ]
            for s, (si, li) in enumerate(ix.states)
        ]

    def dijkstra(
        self,
        init: dict[int, float],
        max_rank: int | None,
        targets: set[int],
        anchor: int | None = None,
    ) -> tuple[dict[int, float], dict[int, int | None]]:
        ix = self.ix
        state_ok, enter_cost, state_rank = self.state_ok, self.enter_cost, self.state_rank
        nxt, changes, penalty = ix.next, self.changes, ix.change_penalty
        limit = max_rank if max_rank is not None else 1 << 30
        n = len(state_ok)
        inf = float("inf")
        best = [inf] * n
        done = bytearray(n)
        back = [-1] * n
        for st, cost in init.items():
            best[st] = cost
        heap = [(cost, st) for st, cost in sorted(init.items())]
        heapq.heapify(heap)
        line_of = self.state_line
        remaining = {
            st
            for t in targets
            for st in ix.states_at[t]
            if self.line_ok[line_of[st]] and (anchor is None or line_of[st] == anchor)
        }
        pop, push = heapq.heappop, heapq.heappush
        settled: list[int] = []
        while heap:
            cost, st = pop(heap)
            if done[st]:
                continue
            done[st] = 1
            settled.append(st)
            if st in remaining:
                remaining.discard(st)
                if not remaining:
                    break
            for t in nxt[st]:
                if state_ok[t] and state_rank[t] <= limit:
                    c = cost + enter_cost[t]
                    if c < best[t]:
                        best[t] = c
                        back[t] = st
                        push(heap, (c, t))
            for t in changes[st]:
                c = cost + penalty
                if c < best[t]:
                    best[t] = c
                    back[t] = st
                    push(heap, (c, t))
        dist = {st: best[st] for st in settled}
        parent = {st: (None if back[st] < 0 else back[st]) for st in settled}
        return dist, parent

    def run(
        self, required: list[int], anchor: int | None = None
    ) -> tuple[list[int] | None, float, list[int]]:
        """States of the best route, its cost, and the required stations it could not pass.
        With ``anchor`` (a line), the route starts and ends on that line: any change of line
        is a detour that comes back to it."""
        ix = self.ix
        init = {}
        for o in ix.origins:
            if not self.station_ok[o]:
                continue
            for s in ix.states_at[o]:
                if anchor is not None and ix.states[s][1] != anchor:
                    continue
                if self.line_ok[ix.states[s][1]]:
                    init[s] = self.station_cost[o] * self.factor[ix.states[s][1]]
        if not init:
            return None, float("inf"), list(required)
        segments: list[tuple[dict[int, int | None], dict[int, float]]] = []
        unmet: list[int] = []
        for target in sorted(required, key=lambda t: ix.rank[t]):
            if not self.station_ok[target]:
                unmet.append(target)
                continue
            dist, parent = self.dijkstra(init, ix.rank[target], {target})
            reached = {s: dist[s] for s in ix.states_at[target] if s in dist}
            if not reached:
                unmet.append(target)
                continue
            segments.append((parent, reached))
            init = reached
        dist, parent = self.dijkstra(init, None, ix.outcomes, anchor)
        ends = [
            (dist[s], s)
            for o in sorted(ix.outcomes)
            for s in ix.states_at[o]
            if s in dist and (anchor is None or ix.states[s][1] == anchor)
        ]
        if not ends:
            return None, float("inf"), unmet
        cost, end = min(ends)
        segments.append((parent, {}))
        path = [end]
        state = end
        for seg_parent, _ in reversed(segments):
            while True:
                prev = seg_parent.get(state)
                if prev is None:
                    break
                path.append(prev)
                state = prev
        path.reverse()
        return path, cost, unmet


# ---------------------------------------------------------------------------------------------
# the result


# the reason of a plain stage: a list that already names each step's line shortens it
STAGE_LEAD = "A stage of the {line} route: "


@dataclass
class Step:
    """A station (or a change of line) on the route. Its reason is kept in parts: our lead,
    the rules' reasons (one per rule, so a page can list them one under another) and a last
    note; ``reason`` is the one text they make."""

    station: str
    line: str
    lead: str
    status: str
    change: bool = False
    because: tuple[str, ...] = ()
    rest: str = ""

    @property
    def reason(self) -> str:
        return " ".join(part for part in (self.lead, *self.because, self.rest) if part)

    def reason_parts(self) -> tuple[str, tuple[str, ...], str]:
        """(lead, the rules' reasons, rest) when more than one rule gave the reason, for a
        list rather than a run-on paragraph; else (reason, (), "")."""
        if len(self.because) > 1:
            return self.lead, self.because, self.rest
        return self.reason, (), ""

    def as_json(self) -> dict[str, Any]:
        return {
            "station": self.station,
            "line": self.line,
            "reason": self.reason,
            "status": self.status,
            "change": self.change,
        }


@dataclass
class Route:
    steps: list[Step]
    cost: float
    lines: list[str]  # in order of first use

    @property
    def stations(self) -> list[str]:
        out: list[str] = []
        for st in self.steps:
            if not out or out[-1] != st.station:
                out.append(st.station)
        return out

    @property
    def changes(self) -> int:
        return sum(1 for st in self.steps if st.change)


@dataclass
class RouteResult:
    route: Route | None
    excluded_lines: list[dict[str, str]]
    other_lines: list[dict[str, str]]
    not_needed: list[dict[str, str]]
    required: list[dict[str, str]]
    unmet: list[dict[str, str]]
    alternatives: list[dict[str, Any]]
    readiness: list[AreaScore]
    profile: Profile
    effects: Effects = field(repr=False)
    message: str = ""

    def as_json(self) -> dict[str, Any]:
        steps = self.route.steps if self.route else []
        return {
            "route": [s.as_json() for s in steps],
            "lines_used": self.route.lines if self.route else [],
            "changes": [
                {"station": s.station, "to_line": s.line, "reason": s.reason}
                for s in steps
                if s.change
            ],
            "excluded_lines": self.excluded_lines,
            "other_lines": self.other_lines,
            "not_needed": self.not_needed,
            "required": self.required,
            "unmet": self.unmet,
            "alternatives": self.alternatives,
            "readiness": [a.as_json() for a in self.readiness],
            "answers": dict(self.profile.answers),
            "done": sorted(self.profile.done),
            "message": self.message,
        }


def _reason_list(rules: Iterable) -> tuple[str, ...]:
    seen: list[str] = []
    for r in rules:
        if r.reason not in seen:
            seen.append(r.reason)
    return tuple(seen)


def _reasons(rules: Iterable) -> str:
    return " ".join(_reason_list(rules))


class _Finder:
    def __init__(
        self,
        rm: RouteMap,
        profile: Profile,
        effects: Effects,
        extra_excluded: frozenset[str] = frozenset(),
        contrast: bool = False,
    ):
        """``contrast``: allow comparison routes (staying in-house, a council company,
        outsourcing). Without it they are used only where a rule prefers them."""
        self.rm = rm
        self.contrast = contrast
        self.held_back = {
            ln.id
            for ln in rm.data.lines
            if ln.kind == "contrast" and not contrast and ln.id not in effects.prefer
        }
        extra_excluded = frozenset(extra_excluded) | self.held_back
        self.ix = routing_index(rm)
        self.profile = profile
        self.eff = effects
        ix = self.ix
        self.excluded = {
            lid
            for lid in ix.lines
            if lid in effects.excluded
            or rm.lines[lid].status == "historical"
            or lid in extra_excluded
        }
        line_ok = [lid not in self.excluded for lid in ix.lines]
        station_ok = [rm.stations[s].status != "historical" for s in ix.stations]
        cost = []
        for i, sid in enumerate(ix.stations):
            free = sid in profile.done or sid in effects.not_needed
            cost.append(0.0 if free else ix.weight[i])
        factor = []
        for lid in ix.lines:
            f = PREFER_FACTOR ** len(effects.prefer.get(lid, ()))
            f *= AVOID_FACTOR ** len(effects.avoid.get(lid, ()))
            factor.append(f)
        self.search = _Search(ix, line_ok, station_ok, cost, factor)
        self.required = [ix.sidx[s] for s in effects.require]

    def find(self) -> tuple[Route | None, list[int]]:
        """The best route. A route has one main line: it starts and ends on it, and any
        change of line is a detour that returns to it (so a route never files another legal
        form's returns). The unanchored search is the fast path: when its best route keeps to
        one line, that is also the best anchored route; otherwise each line it uses is tried
        as the main line."""
        ix = self.ix
        path, cost, unmet = self.search.run(self.required)
        if path is None:
            return None, unmet
        used = {ix.states[s][1] for s in path}
        if len(used) > 1:
            # the main line is one of the lines the best unanchored route already uses
            best = None
            steps_on = {li: sum(1 for st in path if ix.states[st][1] == li) for li in used}
            for li in sorted(used, key=lambda li: (-steps_on[li], li)):
                p, c, u = self.search.run(self.required, anchor=li)
                if p is not None and (best is None or (len(u), c) < (len(best[2]), best[1])):
                    best = (p, c, u)
                    if not u and c <= cost + 1e-9:
                        break  # as cheap as the unanchored route: nothing can beat it
            if best is not None and len(best[2]) <= len(unmet):
                path, cost, unmet = best
        return self._route(path, cost, unmet), unmet

    # -- steps with reasons -------------------------------------------------------------------
    def _route(self, path: list[int], cost: float, unmet: list[int]) -> Route:
        ix = self.ix
        required = {ix.stations[i] for i in self.required} - {ix.stations[i] for i in unmet}
        steps: list[Step] = []
        lines_used: list[str] = []
        states = [ix.states[s] for s in path]
        for k, (si, li) in enumerate(states):
            sid, lid = ix.stations[si], ix.lines[li]
            if lid not in lines_used:
                lines_used.append(lid)
            change = k > 0 and states[k - 1][0] == si
            if change:
                main = ix.lines[states[0][1]]
                lead, because = self._change_reason(sid, lid, states[k + 1 :], required, main)
                status = steps[-1].status
            else:
                status = self._status(sid)
                lead, because = self._station_reason(sid, lid, required, status)
            rest = "Marked done." if status == "done" and not change else ""
            steps.append(Step(sid, lid, lead, status, change, because, rest))
        return Route(steps, cost, lines_used)

    def _status(self, sid: str) -> str:
        p = self.profile
        if sid in p.done:
            return "done"
        if sid in self.eff.not_needed:
            return "not_needed"
        if sid in p.skipped:
            return "skipped"
        if sid in p.in_progress:
            return "in_progress"
        return "to_do"

    def _station_reason(
        self, sid: str, lid: str, required: set[str], status: str
    ) -> tuple[str, tuple[str, ...]]:
        """Why a station is on the route: our lead, and the rules' reasons after it."""
        rm, eff = self.rm, self.eff
        st = rm.stations[sid]
        line = rm.lines[lid]
        gist = _first_sentence(st.summary)
        if status == "not_needed":
            return (
                "Your line passes here, but you do not need this step:",
                _reason_list(eff.not_needed[sid]),
            )
        if sid in required:
            return "Needed for you:", _reason_list(eff.require[sid])
        if st.kind == "origin":
            reason = f"Every route starts here. You set out on the {line.name} route: "
            if lid in eff.prefer:
                return reason + "it suits your answers.", _reason_list(eff.prefer[lid])
            return (
                reason + "of the routes your answers leave open, it is the quickest, counting "
                "indicative durations and changes of line.",
                (),
            )
        if st.kind == "outcome":
            reason = f"Where the {line.name} line ends on the map: {gist}"
            others = self._other_outcomes(sid)
            if others:
                reason += (
                    " It is one outcome seen in practice, not a forecast; others from "
                    "the same point: " + ", ".join(others) + "."
                )
            return reason, ()
        return STAGE_LEAD.format(line=line.name) + gist, ()

    def _other_outcomes(self, sid: str) -> list[str]:
        rm = self.rm
        before, _ = rm.neighbours(sid)
        names: list[str] = []
        for prev, _ in before:
            for nxt, via in rm.neighbours(prev)[1]:
                st = rm.stations[nxt]
                if rm.lines[via].kind == "contrast":
                    continue  # a comparison route's ending is not an outcome of this one
                if nxt != sid and st.kind == "outcome" and st.name not in names:
                    names.append(st.name)
        return names

    def _change_reason(
        self, sid: str, lid: str, ahead: list[tuple[int, int]], required: set[str], main: str
    ) -> tuple[str, tuple[str, ...]]:
        rm, ix, eff = self.rm, self.ix, self.eff
        line = rm.lines[lid]
        if lid == main:
            return (
                f"Change back here to your main line, the {line.name} route, for the "
                "rest of the way.",
                (),
            )
        for si, li in ahead:
            if ix.lines[li] != lid:
                break
            target = ix.stations[si]
            if target in required:
                return (
                    f"Change here to the {line.name} route: it goes to "
                    f"{rm.stations[target].name}, which you need.",
                    _reason_list(eff.require[target]),
                )
        if lid in eff.prefer:
            return (
                f"Change here to the {line.name} route, which suits your answers:",
                _reason_list(eff.prefer[lid]),
            )
        return f"Change here to the {line.name} route: it is the quicker way on from here.", ()


def _first_sentence(text: str) -> str:
    head = text.split(". ")[0].rstrip(".")
    return head + "."


def find_route(
    rm: RouteMap, profile: Profile, *, alternatives: bool = True, explain: bool = True
) -> RouteResult:
    eff = evaluate(rm, profile)
    finder = _Finder(rm, profile, eff)
    route, unmet = finder.find()
    if route is None:  # no route to a mutual is open: show the comparison route that remains
        finder = _Finder(rm, profile, eff, contrast=True)
        route, unmet = finder.find()
    comparison = route is not None and all(rm.lines[lid].kind == "contrast" for lid in route.lines)
    ix = finder.ix
    unmet_ids = [ix.stations[i] for i in unmet]

    excluded = []
    for lid in ix.lines:
        line = rm.lines[lid]
        if line.status == "historical":
            span = f"{line.opened} to {line.closed}" if line.opened else f"until {line.closed}"
            excluded.append(
                {
                    "line": lid,
                    "reason": f"{line.name} is a historical route ({span}); it is shown on the "
                    "map as context but cannot be taken today.",
                    "would_change_if": "No answer changes this: the route is closed.",
                }
            )
        elif lid in eff.excluded:
            rules = eff.excluded[lid]
            excluded.append(
                {
                    "line": lid,
                    "reason": _reasons(rules),
                    "would_change_if": " ".join(would_change_if(rm, r) for r in rules),
                    "rules": ", ".join(r.id for r in rules),
                }
            )
    not_needed = [
        {"station": sid, "reason": _reasons(rules), "rules": ", ".join(r.id for r in rules)}
        for sid, rules in eff.not_needed.items()
    ]
    required = [
        {"station": sid, "reason": _reasons(rules), "rules": ", ".join(r.id for r in rules)}
        for sid, rules in eff.require.items()
    ]
    unmet_out = []
    for sid in unmet_ids:
        st = rm.stations[sid]
        if comparison:
            why = (
                f"it does not apply on the {rm.lines[route.lines[0]].name} route, which "
                "does not set up an independent organisation"
            )
        elif st.status == "historical":
            why = "it is historical (closed)"
        else:
            why = "no open line reaches it together with the rest of your route"
        unmet_out.append(
            {
                "station": sid,
                "reason": f"{st.name} is needed for you, but {why}.",
                "rules": ", ".join(r.id for r in eff.require[sid]),
            }
        )

    other = []
    alts: list[dict[str, Any]] = []
    if route is not None and explain:
        used = set(route.lines)
        for lid in ix.lines:
            if lid in used:
                continue
            if lid in finder.held_back:
                other.append(
                    {
                        "line": lid,
                        "reason": (
                            f"{rm.lines[lid].name} is a comparison route, not a mutual: it is "
                            "on the map to compare with, and offered only when no route to a "
                            "mutual is open to you."
                        ),
                    }
                )
            elif lid not in finder.excluded:
                other.append({"line": lid, "reason": _why_not(rm, finder, lid, route, unmet_ids)})
    if route is not None and alternatives:
        alts = _alternatives(rm, profile, eff, route, finder.contrast)

    message = ""
    if route is None:
        message = (
            "No open route fits these answers: every line that would be needed is "
            "excluded. See excluded_lines for what would change that."
        )
    elif comparison:
        message = (
            "No route to an independent mutual is open with these answers: see "
            "excluded_lines for why, and what would change it. The route shown is the "
            f"comparison route that remains: {rm.lines[route.lines[0]].name}."
        )
    elif unmet_out:
        message = "Some stations your answers need could not be fitted on one route; see unmet."
    return RouteResult(
        route=route,
        excluded_lines=excluded,
        other_lines=other,
        not_needed=not_needed,
        required=required,
        unmet=unmet_out,
        alternatives=alts,
        readiness=readiness(rm, profile),
        profile=profile,
        effects=eff,
        message=message,
    )


def _why_not(rm: RouteMap, finder: _Finder, lid: str, route: Route, unmet: list[str]) -> str:
    line = rm.lines[lid]
    needed = [s for s in finder.eff.require if s not in unmet]
    missing = [s for s in needed if s not in line.stations]
    reason = f"{line.name} is open to you, "
    if lid in finder.eff.avoid:
        return reason + "but your answers point away from it: " + _reasons(finder.eff.avoid[lid])
    if missing:
        names = ", ".join(rm.stations[s].name for s in missing[:3])
        return reason + f"but it does not pass {names}, which your answers need."
    return (
        reason + "but the route shown is quicker or needs fewer changes of line (see alternatives)."
    )


def _alternatives(
    rm: RouteMap, profile: Profile, eff: Effects, best: Route, contrast: bool = False
) -> list[dict]:
    """Up to three other routes, each without the main line of the routes found before."""
    out: list[dict[str, Any]] = []
    seen = [frozenset(best.lines)]
    banned: set[str] = set()
    current = best
    for _ in range(MAX_ALTERNATIVES):
        banned.add(_main_line(current))
        finder = _Finder(rm, profile, eff, frozenset(banned), contrast=contrast)
        route, unmet = finder.find()
        if route is None or unmet:
            break
        if frozenset(route.lines) in seen:
            current = route
            continue
        seen.append(frozenset(route.lines))
        out.append(_describe_alternative(rm, best, route))
        current = route
    return out


def _main_line(route: Route) -> str:
    counts: dict[str, int] = {}
    for st in route.steps:
        if not st.change:
            counts[st.line] = counts.get(st.line, 0) + 1
    return max(route.lines, key=lambda lid: (counts.get(lid, 0), -route.lines.index(lid)))


def _describe_alternative(rm: RouteMap, best: Route, alt: Route) -> dict[str, Any]:
    best_st, alt_st = set(best.stations), set(alt.stations)
    adds = [s for s in alt.stations if s not in best_st]
    drops = [s for s in best.stations if s not in alt_st]
    main = _main_line(alt)
    parts = [f"Mainly on the {rm.lines[main].name} route"]
    if adds:
        parts.append(
            "adds "
            + ", ".join(rm.stations[s].name for s in adds[:4])
            + (" and more" if len(adds) > 4 else "")
        )
    if drops:
        parts.append(
            "leaves out "
            + ", ".join(rm.stations[s].name for s in drops[:4])
            + (" and more" if len(drops) > 4 else "")
        )
    extra = alt.cost - best.cost
    parts.append(f"{alt.changes} change{'s' if alt.changes != 1 else ''} of line")
    return {
        "lines_used": alt.lines,
        "stations": alt.stations,
        "route": [s.as_json() for s in alt.steps],
        "differs": "; ".join(parts) + ".",
        "extra_cost_days": round(extra, 1),
    }
