"""Progress and "what next?" for an applicant part way along, on the same route and steps.

States, per step of the route: done; already in place (an answer settles it); in progress;
skipped by choice (with its note); can start now (every prerequisite on the route is done,
in place or skipped); cannot start yet (with what it waits for). The total is the route's
one count of steps; "skipped" never counts as done, and a skipped step is never suggested.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from ..core import RouteMap
from . import results as R
from .answerwords import answer_label
from .choose import condition_questions
from .compose import compose, kept_routes, probes, route_model, step_status, with_answer
from .profile import NOT_SURE, Profile
from .rules import holds, questions_of

SATISFIED = {"done", "in_place", "skipped"}


def _open_support(rm: RouteMap, ids) -> list[R.SupportOut]:
    out = []
    for sid in ids:
        st = rm.stations[sid]
        if st.kind == "support" and st.status == "open":
            out.append(
                R.SupportOut(
                    station=sid, name=st.name, eligibility=st.eligibility or "Open to anyone."
                )
            )
    return out


def _prerequisites(rm: RouteMap, sid: str, before: list[str]) -> list[str]:
    """A step's prerequisites on this route: its own list where those stations are on the
    route, else the nearest earlier step that is not a support offer."""
    explicit = [p for p in rm.stations[sid].prerequisites if p in before]
    if explicit:
        return explicit
    for prev in reversed(before):
        if rm.stations[prev].kind != "support":
            return [prev]
    return []


def _can_start(rm: RouteMap, step: R.Step, ridden: set[str]) -> R.CanStart:
    st = rm.stations[step.station]
    # a closed programme's documents are context; a line's own documents belong to routes
    # that ride that line
    current = [
        d for d in st.documents if not d.historical and (not d.lines or ridden & set(d.lines))
    ]
    return R.CanStart(
        station=st.id,
        name=st.name,
        line=step.line,
        forms=[R.FormOut(name=d.name, code=d.code) for d in current],
        who=list(st.who),
        duration=st.duration.text,
        cost=st.cost.text,
        support=_open_support(rm, st.support),
    )


def route_key(result: R.RouteResult) -> tuple:
    """What a route is, for comparing two: its outcome, choices and steps with their states."""
    return (
        result.outcome,
        tuple((c.choice, c.option) for c in result.choices),
        tuple((s.station, s.status) for s in result.steps),
    )


PROBE_CACHE_SIZE = 50_000


class _Readers:
    """What decides a route, in one order: each rule, option, legal condition and its cases;
    and for each question, the places of those that read its answer (built once per map)."""

    def __init__(self, rm: RouteMap):
        model = route_model(rm)
        self.fits = model.applies  # compiled once per map
        # each item with the questions it reads (a condition's and its cases': the condition's)
        read: list[tuple[object, list[str]]] = [(r, model.rule_qs[r.id]) for r in model.rules]
        read += [(o, model.option_qs[oid]) for oid, o in model.options.items()]
        for c in model.conditions:
            read += [(x, model.condition_qs[c.id]) for x in (c, *c.met, *c.broken)]
        self.items = [item for item, _ in read]
        reading: dict[str, set[int]] = {}
        for place, (_, questions) in enumerate(read):
            for q in questions:
                reading.setdefault(q, set()).add(place)
        self.reading = {q: sorted(places) for q, places in reading.items()}
        self.used = {q for r in rm.data.rules for q in questions_of(r)}
        self.used |= {q for c in rm.data.choices for o in c.options for q in questions_of(o)}
        self.used |= {q for c in rm.data.conditions for q in condition_questions(c)}

    def inputs(self, profile: Profile) -> tuple[bool, ...]:
        """Everything a route's choices and steps depend on: whether each rule fires, each
        option is open, each condition and case holds. Two profiles with the same inputs have
        the same route; their progress only sets its steps' states (``step_status``)."""
        fits = self.fits
        return tuple(fits(i, profile) for i in self.items)


def _readers(rm: RouteMap) -> _Readers:
    return rm.cached("answer-readers", lambda: _Readers(rm))


def probe_routes(rm: RouteMap) -> dict:
    """The probes' route keys kept per map, by the answers a probe's route reads."""
    return rm.cached("route-keys", dict)


def _probe_key(rm: RouteMap, trial: Profile, inputs: tuple | None = None) -> tuple:
    """The route key of a trial profile (``inputs``: its inputs, when known): its route
    without progress kept per map by its inputs (shared by requests, whatever a team's
    progress), its progress then applied."""
    cache = probe_routes(rm)
    if inputs is None:
        inputs = _readers(rm).inputs(trial)
    key = cache.get(inputs)
    if key is None:
        bare = replace(trial, done=frozenset(), in_progress=frozenset(), skipped={})
        key = route_key(compose(rm, bare, explain=False))
        if len(cache) < PROBE_CACHE_SIZE:
            cache[inputs] = key
    outcome, choices, steps = key
    settled = {sid for sid, state in steps if state == "in_place"}
    return outcome, choices, tuple((sid, step_status(sid, trial, settled)) for sid, _ in steps)


def not_sure_that_matter(rm: RouteMap, profile: Profile, base: R.RouteResult) -> list[R.NotSure]:
    """Questions still 'not sure' (or unanswered) whose answer would change the route."""
    readers = _readers(rm)
    key = route_key(base)
    fits, items = readers.fits, readers.items
    inputs: list[bool] | None = None
    out = []
    for q in rm.data.questions:
        if q.id not in readers.used or profile.value(q.id) != NOT_SURE:
            continue
        if not holds(q.asked_when, profile):  # a question the questionnaire does not ask them
            continue
        if inputs is None:
            inputs = list(readers.inputs(profile))
        values: list[Any] = [v for v in probes(rm, q.id) if v != NOT_SURE]
        places = readers.reading.get(q.id, [])
        changers = []
        for v in values:
            trial = with_answer(rm, profile, q.id, v)
            # only what reads this answer can read the trial otherwise
            read = [(p, fits(items[p], trial)) for p in places]
            if all(inputs[p] == fit for p, fit in read):
                continue  # nothing that reads this answer reads it differently
            trial_inputs = inputs.copy()
            for p, fit in read:
                trial_inputs[p] = fit
            if _probe_key(rm, trial, tuple(trial_inputs)) != key:
                changers.append(v)
        if changers:
            out.append(
                R.NotSure(
                    question=q.id,
                    text=q.text,
                    answers_that_change_the_route=[
                        list(v) if isinstance(v, tuple) else v for v in changers
                    ],
                    labels=[answer_label(rm, q.id, v) for v in changers],
                )
            )
    return out


def what_next(rm: RouteMap, profile: Profile, *, effects: bool = True) -> R.NextResult:
    """What next for a team part way along. ``effects``: its route says what each answer
    changes (the API and the command line's; the adviser's pages leave it out)."""
    result = kept_routes(rm).route(profile, effects=effects)
    notes: list[str] = []
    if result.message:
        notes.append(result.message)
    stations = [s.station for s in result.steps]
    off_route = sorted((profile.done | profile.in_progress | set(profile.skipped)) - set(stations))
    for sid in off_route:
        notes.append(
            f"“{rm.stations[sid].name}” is marked in your progress but is not on this route; "
            "it is kept in the link and left out of the figures."
        )
    status = {s.station: s.status for s in result.steps}
    states, can_start, blocked, in_progress = [], [], [], []
    for k, step in enumerate(result.steps):
        state = step.status
        waiting: list[str] = []
        if state == "to_do":
            prereq = _prerequisites(rm, step.station, stations[:k])
            waiting = [p for p in prereq if status[p] not in SATISFIED]
            state = "cannot_start_yet" if waiting else "can_start"
        entry = R.StepState(
            number=step.number,
            station=step.station,
            name=step.name,
            line=step.line,
            state=state,
            note=profile.skipped.get(step.station) if state == "skipped" else None,
            blocked_by=waiting,
            blocked_by_names=[rm.stations[w].name for w in waiting],
        )
        states.append(entry)
        if state == "can_start":
            can_start.append(_can_start(rm, step, set(result.drawing.lines)))
        elif state == "cannot_start_yet":
            blocked.append(entry)
        elif state == "in_progress":
            in_progress.append(entry)
    total = len(result.steps)
    done_n = sum(1 for s in result.steps if s.status in ("done", "in_place"))
    progress = R.Progress(
        done=done_n,
        total=total,
        percent=round(100 * done_n / total) if total else 0,
        in_progress=sum(1 for s in result.steps if s.status == "in_progress"),
        skipped=sum(1 for s in result.steps if s.status == "skipped"),
    )
    areas = {a.id: a for a in rm.data.areas}
    weakest = []
    for area in [a for a in result.readiness if a.percent is not None][:3]:
        if area.percent >= 75:
            break
        weakest.append(
            R.WeakArea(
                area=area.area,
                name=area.name,
                percent=area.percent,
                level=area.level,
                support=_open_support(rm, areas[area.area].support),
            )
        )
    deadlines = [
        R.Deadline(station=s.station, name=s.name, deadline=rm.stations[s.station].deadline)
        for s in result.steps
        if rm.stations[s.station].deadline and s.status not in ("done", "in_place")
    ]
    return R.NextResult(
        route=result,
        states=states,
        can_start=can_start,
        blocked=blocked,
        in_progress=in_progress,
        not_sure=not_sure_that_matter(rm, profile, result),
        weakest_areas=weakest,
        deadlines=deadlines,
        progress=progress,
        notes=notes,
    )
