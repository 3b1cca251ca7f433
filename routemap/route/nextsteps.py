"""Progress and "what next?" for an applicant part way along, on the same route and reasons.

States, per station on the route: done; in progress; not needed (with the rule that said so);
skipped by choice (with its note); can start now (every prerequisite along the route is done,
not needed or skipped); cannot start yet (blocked, with the unfinished prerequisites). The
percentage leaves "not needed" out of the total and never counts "skipped" as done; the start
and the outcome are not tasks.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from ..core import RouteMap
from .finder import RouteResult, find_route
from .profile import NOT_SURE, Profile
from .rules import evaluate

SATISFIED = {"done", "not_needed", "skipped"}


@dataclass
class NextResult:
    route: RouteResult
    states: list[dict[str, Any]]
    can_start: list[dict[str, Any]]
    blocked: list[dict[str, Any]]
    in_progress: list[dict[str, Any]]
    not_sure: list[dict[str, Any]]
    weakest_areas: list[dict[str, Any]]
    deadlines: list[dict[str, Any]]
    progress: dict[str, Any]
    notes: list[str]

    def as_json(self) -> dict[str, Any]:
        return {
            "can_start": self.can_start,
            "blocked": self.blocked,
            "in_progress": self.in_progress,
            "not_sure": [q["question"] for q in self.not_sure],
            "not_sure_details": self.not_sure,
            "weakest_areas": self.weakest_areas,
            "deadlines": self.deadlines,
            "progress": self.progress,
            "states": self.states,
            "notes": self.notes,
            "route": self.route.as_json(),
        }


def _task(rm: RouteMap, sid: str) -> bool:
    return rm.stations[sid].kind not in ("origin", "outcome")


def _open_support(rm: RouteMap, ids) -> list[dict[str, str]]:
    out = []
    for sid in ids:
        st = rm.stations[sid]
        if st.kind == "support" and st.status == "open":
            out.append(
                {
                    "station": sid,
                    "name": st.name,
                    "eligibility": st.eligibility or "Open to anyone.",
                }
            )
    return out


def _prerequisites(rm: RouteMap, sid: str, before: list[str]) -> list[str]:
    """Prerequisites of a station on this route: its own list where those stations are on
    the route, else the nearest earlier station that is not a support offer."""
    explicit = [p for p in rm.stations[sid].prerequisites if p in before]
    if explicit:
        return explicit
    for prev in reversed(before):
        if rm.stations[prev].kind != "support":
            return [prev]
    return []


def _needs(rm: RouteMap, sid: str, lid: str) -> tuple[list[str], dict[str, Any]]:
    st = rm.stations[sid]
    needs: list[str] = []
    # a closed programme's documents are context; another line's are not this route's
    current = [d for d in st.documents if not d.historical and (not d.lines or lid in d.lines)]
    forms = [{"name": d.name, "code": d.code} for d in current]
    for d in current:
        needs.append(f"Form: {d.code} ({d.name})" if d.code else f"Document: {d.name}")
    needs.append("Who: " + "; ".join(st.who))
    needs.append(f"Duration: {st.duration.text}")
    needs.append(f"Cost: {st.cost.text}")
    support = _open_support(rm, st.support)
    for s in support:
        needs.append(f"Support available today: {s['name']}")
    return needs, {
        "forms": forms,
        "who": list(st.who),
        "duration": st.duration.text,
        "cost": st.cost.text,
        "support": support,
    }


def _route_signature(result: RouteResult) -> tuple:
    if result.route is None:
        return ()
    return tuple((s.station, s.line) for s in result.route.steps)


PROBE_CACHE_SIZE = 50_000


def _probe_signature(rm: RouteMap, trial: Profile, fired: tuple[str, ...]) -> tuple:
    """The route for a trial answer. A route depends only on which rules fire and which
    stations are done, so results are kept per map under that key and shared by requests."""
    cache: dict = rm.cached("route-signatures", dict)
    key = (fired, trial.done)
    sig = cache.get(key)
    if sig is None:
        sig = _route_signature(find_route(rm, trial, alternatives=False, explain=False))
        if len(cache) < PROBE_CACHE_SIZE:
            cache[key] = sig
    return sig


def _not_sure_that_matter(rm: RouteMap, profile: Profile, base: RouteResult) -> list[dict]:
    """Questions answered 'not sure' (or not at all) whose answer would change the route."""
    used = {qid for r in rm.data.rules for qid in r.when}
    sig = _route_signature(base)
    fired = [r.id for r in base.effects.fired]
    out = []
    for q in rm.data.questions:
        if q.id not in used or profile.value(q.id) != NOT_SURE:
            continue
        if q.kind == "number":
            probes: list[Any] = sorted(
                {
                    b
                    for r in rm.data.rules
                    for c in [r.when.get(q.id)]
                    if c is not None
                    for b in (getattr(c, "at_least", None), getattr(c, "at_most", None))
                    if b is not None
                }
            )
        else:
            probes = [o.value for o in q.options if o.value != NOT_SURE]
        changers = []
        for value in probes:
            answers = dict(profile.answers)
            answers[q.id] = value
            trial = replace(profile, answers=answers)
            trial_fired = tuple(r.id for r in evaluate(rm, trial).fired)
            if list(trial_fired) == fired:
                continue  # the same rules fire, so the same route
            if _probe_signature(rm, trial, trial_fired) != sig:
                changers.append(value)
        if changers:
            out.append(
                {"question": q.id, "text": q.text, "answers_that_change_the_route": changers}
            )
    return out


def what_next(rm: RouteMap, profile: Profile) -> NextResult:
    result = find_route(rm, profile, alternatives=False)
    notes: list[str] = []
    if result.message:
        notes.append(result.message)
    route = result.route
    stations = route.stations if route else []
    line_of: dict[str, str] = {}
    for step in route.steps if route else []:
        line_of.setdefault(step.station, step.line)
    eff = result.effects

    off_route = sorted((profile.done | profile.in_progress | set(profile.skipped)) - set(stations))
    for sid in off_route:
        notes.append(
            f"'{sid}' ({rm.stations[sid].name}) is marked in your progress but is not "
            "on this route; it is kept in the link and left out of the figures."
        )

    base_state: dict[str, str] = {}
    for sid in stations:
        if sid in profile.done or rm.stations[sid].kind == "origin":
            base_state[sid] = "done"
        elif sid in eff.not_needed:
            base_state[sid] = "not_needed"
        elif sid in profile.skipped:
            base_state[sid] = "skipped"
        elif sid in profile.in_progress:
            base_state[sid] = "in_progress"
        else:
            base_state[sid] = "to_do"

    states, can_start, blocked, in_progress = [], [], [], []
    for k, sid in enumerate(stations):
        st = rm.stations[sid]
        state = base_state[sid]
        entry: dict[str, Any] = {"station": sid, "name": st.name, "line": line_of[sid]}
        prereq = _prerequisites(rm, sid, stations[:k])
        waiting = [p for p in prereq if base_state[p] not in SATISFIED]
        if state == "not_needed":
            rules = eff.not_needed[sid]
            entry["rule"] = ", ".join(r.id for r in rules)
            entry["reason"] = " ".join(dict.fromkeys(r.reason for r in rules))
        elif state == "skipped":
            entry["note"] = profile.skipped.get(sid, "")
        elif state == "in_progress":
            in_progress.append({"station": sid, "line": line_of[sid]})
        elif state == "to_do":
            if waiting:
                state = "cannot_start_yet"
                entry["blocked_by"] = waiting
                blocked.append({"station": sid, "line": line_of[sid], "blocked_by": waiting})
            else:
                state = "can_start"
                needs, detail = _needs(rm, sid, line_of[sid])
                can_start.append(
                    {
                        "station": sid,
                        "name": st.name,
                        "line": line_of[sid],
                        "needs": needs,
                        **detail,
                    }
                )
        entry["state"] = state
        states.append(entry)

    tasks = [s for s in stations if _task(rm, s) and base_state[s] != "not_needed"]
    done_n = sum(1 for s in tasks if base_state[s] == "done")
    progress = {
        "done": done_n,
        "total": len(tasks),
        "percent": round(100 * done_n / len(tasks)) if tasks else 0,
        "in_progress": sum(1 for s in tasks if base_state[s] == "in_progress"),
        "skipped": sum(1 for s in tasks if base_state[s] == "skipped"),
        "not_needed": sum(1 for s in stations if base_state[s] == "not_needed"),
    }

    weakest = []
    areas = {a.id: a for a in rm.data.areas}
    scored = [a for a in result.readiness if a.score is not None]
    for area in scored[:3]:
        if area.score is not None and area.score >= 0.75:
            break
        weakest.append({**area.as_json(), "support": _open_support(rm, areas[area.id].support)})

    deadlines = []
    for sid in stations:
        st = rm.stations[sid]
        if st.deadline and base_state[sid] not in ("done", "not_needed"):
            deadlines.append({"station": sid, "name": st.name, "deadline": st.deadline})

    return NextResult(
        route=result,
        states=states,
        can_start=can_start,
        blocked=blocked,
        in_progress=in_progress,
        not_sure=_not_sure_that_matter(rm, profile, result),
        weakest_areas=weakest,
        deadlines=deadlines,
        progress=progress,
        notes=notes,
    )
