"""The route composer: a route is made of the choices a team really makes, on a spine of
stages every spin-out passes, ending with the new organisation running the service.

The choices (legal form, how the work is awarded, pension) are made together, with the legal
conditions that tie them (``choose.py``); the chosen options' stations, the spine and the
stations rules require make the route, in the map's flow order. An undecided choice puts on
the route only what its open options share, and says what would decide it. Every step carries
its reasons: the answers (rules) that put or explain it, the choice it belongs to and the
answers behind that choice, the conditions it meets, and the legal duty or practice behind it.
The map's lines only draw the result (``draw.py``), along the lines of the options chosen.
"""

from __future__ import annotations

import string
import threading
from collections import OrderedDict
from dataclasses import replace
from types import MappingProxyType

from ..core import RouteMap
from ..models import ChoiceOption, LegalCondition, NumberRange, Rule, StepInfo
from . import results as R
from .answerwords import answer_label
from .choose import Made, case_questions, choose, condition_questions
from .draw import draw
from .kinds import kind_of
from .profile import NOT_SURE, Profile
from .readiness import readiness
from .rules import compile_conditions, fast_applies, holds, questions_of

# a reason's {fields}: these, and any question id (the team's answer to it, in words)
TEMPLATE_FIELDS = frozenset({"form", "award", "pension", "staff", "readiness"})
_FIELD_CHOICE = {"form": "legal-form", "award": "award", "pension": "pension"}
MAX_NEAREST = 3


# ---------------------------------------------------------------------------------------------
# the model, indexed once per map


class RouteModel:
    def __init__(self, rm: RouteMap):
        d = rm.data
        self.choices = d.choices
        self.steps: dict[str, StepInfo] = {s.station: s for s in d.steps}
        self.spine = [s.station for s in d.steps if s.spine]
        self.options: dict[str, ChoiceOption] = {o.id: o for c in d.choices for o in c.options}
        self.choice_of: dict[str, str] = {o.id: c.id for c in d.choices for o in c.options}
        self.rules: tuple[Rule, ...] = d.rules
        self.rule_qs = {r.id: questions_of(r) for r in d.rules}
        self.option_qs = {oid: questions_of(o) for oid, o in self.options.items()}
        self.conditions: tuple[LegalCondition, ...] = d.conditions
        self.conditions_of: dict[str, list[LegalCondition]] = {}
        for cond in d.conditions:
            for oid in cond.of:
                self.conditions_of.setdefault(oid, []).append(cond)
        self.condition_qs = {c.id: condition_questions(c) for c in d.conditions}
        # per question: the choices whose options look at it (their open/closed answers)
        self.choices_asking: dict[str, list[str]] = {}
        for c in d.choices:
            qs = [q for o in c.options for q in self.option_qs[o.id]]
            qs += [
                q
                for o in c.options
                for k in self.conditions_of.get(o.id, ())
                for q in self.condition_qs[k.id]
            ]
            for q in qs:
                if c.id not in self.choices_asking.setdefault(q, []):
                    self.choices_asking[q].append(c.id)
        self.question_ids = frozenset(rm.questions)
        # every condition compiled once (compose runs many times per what-next or probe)
        self.compiled: dict[int, tuple] = {}
        for item in (
            *d.rules,
            *self.options.values(),
            *(k for c in d.conditions for k in (*c.met, *c.broken)),
        ):
            self.compiled[id(item)] = (
                compile_conditions(item.when),
                compile_conditions(item.unless),
            )
        for c in d.conditions:
            self.compiled[id(c)] = (compile_conditions(c.when), ())
        self._data = d  # keeps every compiled item alive (the keys are their ids)
        self.goals = frozenset(s.station for s in d.steps if s.topic == "goal")
        # per option, the rules that can rule it out or weigh it; per question, the rules
        # and options that look at it (a probe of one answer re-checks only those)
        self.ruling_out = {oid: [r for r in d.rules if oid in r.rule_out] for oid in self.options}
        self.weighing = {
            oid: [r for r in d.rules if oid in r.favour or oid in r.disfavour]
            for oid in self.options
        }
        self.rules_asking: dict[str, set[str]] = {}
        for r in d.rules:
            for q in self.rule_qs[r.id]:
                self.rules_asking.setdefault(q, set()).add(r.id)

    def applies(self, item, profile: Profile) -> bool:
        when, unless = self.compiled[id(item)]
        return fast_applies(when, unless, profile.answers)


def route_model(rm: RouteMap) -> RouteModel:
    return rm.cached("route-model", lambda: RouteModel(rm))


def check_template(text: str, questions=()) -> list[str]:
    """The unknown {fields} of a reason (validation and tests use this): a field is one of
    TEMPLATE_FIELDS or a question id."""
    known = TEMPLATE_FIELDS | set(questions)
    return [f for _, f, _, _ in string.Formatter().parse(text) if f and f not in known]


# ---------------------------------------------------------------------------------------------
# words


def _lower_first(name: str) -> str:
    """A name as it reads inside a sentence: "Employee-owned company" -> "employee-owned company".

    A proper name keeps its capitals: an acronym ("NHS Pension Scheme") or a name whose first two
    words are both capitalised ("Provider Selection Regime", "New Fair Deal"), which English writes
    capitalised mid-sentence too.
    """
    words = name.split()
    if len(name) < 2 or not name[1].islower():
        return name
    if len(words) > 1 and words[0][:1].isupper() and words[1][:1].isupper():
        return name
    return name[0].lower() + name[1:]


def _in_sentence(label: str) -> str:
    """An answer's label inside a sentence: "A children's home" -> "a children's home"; an
    acronym or a proper name keeps its capitals."""
    first = label.split(" ", 1)[0]
    if len(first) == 1 or first[1:].islower() or not first[1:].isalpha():
        return _lower_first(label) if len(first) > 1 else label[:1].lower() + label[1:]
    return label


def names(items: list[str], last: str = "or") -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + f" {last} " + items[-1]


# ---------------------------------------------------------------------------------------------
# composing


class _Fields:
    """The values of a reason's {fields} for one composition, and the answers behind each:
    the chosen options (named with the answers that chose them), the staff, the readiness,
    and any question's answer in words."""

    def __init__(self, rm: RouteMap, profile: Profile):
        self.rm = rm
        self.profile = profile
        self.values: dict[str, str] = {}
        self.questions: dict[str, list[str]] = {}
        self.chosen: set[str] = set()
        self.parsed: dict[str, list[str]] = {}
        staff = profile.value("staff_count") if "staff_count" in rm.questions else NOT_SURE
        self.values["staff"] = f"Your {staff:,} staff" if isinstance(staff, int) else "Your staff"
        self.questions["staff"] = ["staff_count"] if isinstance(staff, int) else []

    def after_choices(self, made: Made, areas) -> None:
        def option_name(cid: str, fallback: str) -> str:
            opt = made.decided.get(cid)
            return _lower_first(opt.name) if opt else fallback

        self.values.update(
            form=option_name("legal-form", "new organisation"),
            award=option_name("award", "however the commissioner awards it"),
            pension=option_name("pension", "the staff's pension arrangement"),
        )
        for f, cid in _FIELD_CHOICE.items():
            self.questions[f] = made.questions.get(cid, [])
        self.chosen = {f for f, cid in _FIELD_CHOICE.items() if made.decided.get(cid)}
        scored = [a for a in areas if a.score is not None]
        if scored and scored[0].score < 0.75:
            ready = f"on your answers, {_lower_first(scored[0].name)} is the area to work on first"
        elif scored:
            ready = "on your answers, every area you have answered for looks strong"
        else:
            ready = "answer the self-diagnostic's questions to see which area to work on first"
        self.values["readiness"] = ready
        self.questions["readiness"] = [a["question"] for a in scored[0].answers] if scored else []

    def _field(self, f: str) -> str:
        if f in self.values:
            return self.values[f]
        q = self.rm.questions[f]
        value = self.profile.value(f)
        if value == NOT_SURE:
            return "not said yet"
        if q.kind == "number":
            return kind_of(q).words(q, value)
        if q.kind == "several":  # each answer as it reads inside a sentence
            labels = [_in_sentence(o.label) for o in q.options if o.value in value]
            return labels[0] if len(labels) == 1 else "; ".join(labels[:-1]) + " and " + labels[-1]
        return _in_sentence(kind_of(q).words(q, value))

    def fill(self, text: str) -> tuple[str, list[str], bool]:
        """The text filled, the questions it named, and whether it named a choice."""
        fields = self.parsed.get(text)
        if fields is None:
            fields = [f for _, f, _, _ in string.Formatter().parse(text) if f]
            self.parsed[text] = fields
        if not fields:
            return text, [], False
        used: list[str] = []
        for f in fields:
            if f in self.questions:
                used += self.questions[f]
            elif f in self.rm.questions and self.profile.value(f) != NOT_SURE:
                used.append(f)
        filled = text.format_map({f: self._field(f) for f in fields})
        return filled, list(dict.fromkeys(used)), any(f in self.chosen for f in fields)


def step_status(sid: str, profile: Profile, settled: set[str]) -> str:
    """A step's state: its progress, or already in place when an answer settles it."""
    if sid in profile.done:
        return "done"
    if sid in settled:
        return "in_place"
    if sid in profile.skipped:
        return "skipped"
    if sid in profile.in_progress:
        return "in_progress"
    return "to_do"


def compose(
    rm: RouteMap,
    profile: Profile,
    *,
    explain: bool = True,
    effects: bool | None = None,
    fixed=None,
) -> R.RouteResult:
    """The route for a profile. ``explain``: also the nearest routes when none is open, and
    what each answer changes (what-if probes and benchmarks leave them out); ``effects``:
    what each answer changes or not, whatever ``explain`` says (the adviser view leaves it
    out: it links to the what-if page instead). ``fixed``: choice id -> the option it takes
    (a column of the comparison of routes)."""
    if effects is None:
        effects = explain
    model = route_model(rm)
    fired = [r for r in model.rules if model.applies(r, profile)]
    fields = _Fields(rm, profile)
    made = choose(rm, model, profile, fired, lambda t: fields.fill(t)[:2], fixed=fixed)
    areas = readiness(rm, profile)
    fields.after_choices(made, areas)
    outcome = "route" if not made.blocked else ("conflict" if made.conflict else "nothing_open")

    steps: list[R.Step] = []
    left_off: list[R.LeftOff] = []
    drawing = R.built(R.Drawing, stations=[], strokes=[], lines=[])
    if outcome == "route":
        steps, left_off, drawing = _steps(rm, model, profile, fired, made, fields)

    futures = []
    if outcome == "route":
        taken = made.chosen_ids()
        for fu in rm.data.futures:
            if fu.only_with and not taken & set(fu.only_with):
                continue
            st = rm.stations[fu.station]
            futures.append(
                R.built(
                    R.FutureOut,
                    station=st.id,
                    name=st.name,
                    summary=st.summary,
                    examples=[
                        R.built(R.ExampleOut, text=e.text, date=e.date, sources=list(e.sources))
                        for e in st.examples
                    ],
                )
            )
    message = _message(made, outcome)
    nearest: list[R.Nearest] = []
    other_ways: list[R.OtherWay] = []
    if outcome != "route":
        other_ways = [
            R.built(R.OtherWay, line=ln.id, name=ln.name, summary=ln.summary)
            for ln in rm.data.lines
            if ln.kind == "contrast" and ln.status == "open"
        ]
        if explain:
            nearest = _nearest(rm, model, profile, made)
    result = R.built(
        R.RouteResult,
        outcome=outcome,
        heading=_heading(made, outcome),
        message=message,
        steps=steps,
        choices=made.choice_out,
        left_off=left_off,
        futures=futures,
        estimate=_estimate(rm, steps, made, profile),
        nearest=nearest,
        other_ways=other_ways,
        answer_effects=_answer_effects(rm, model, profile, fired, made, steps) if effects else [],
        readiness=[_area_out(a) for a in areas],
        answers={q: list(v) if isinstance(v, tuple) else v for q, v in profile.answers.items()},
        done=sorted(profile.done),
        drawing=drawing,
    )
    return result


def _heading(made: Made, outcome: str) -> str:
    if outcome != "route":
        return "No route to a mutual is open yet"
    form = made.decided.get("legal-form")
    if form is not None:
        return form.name
    if "legal-form" in made.still_open:
        return "Your route: the legal form is still to decide"
    return "Your route"


def _steps(rm, model: RouteModel, profile: Profile, fired: list[Rule], made: Made, fields):
    left: dict[str, tuple[str, list[str]]] = {}
    on: dict[str, list[R.Reason]] = {sid: [] for sid in model.spine}
    chosen = made.chosen_ids()
    option_of: dict[str, tuple[str, ChoiceOption]] = {}
    for cid, opt in made.decided.items():
        for sid in opt.stations:
            on.setdefault(sid, [])
            option_of[sid] = (cid, opt)
        for sid in opt.leaves_out:
            if sid in on and sid not in opt.stations:
                del on[sid]
                left[sid] = (opt.leaves_out_reason or "", [])
    shared_by: dict[str, tuple[str, list[ChoiceOption]]] = {}
    for cid, still in made.still_open.items():
        common = set(still[0].stations).intersection(*(o.stations for o in still[1:]))
        for sid in common:
            on.setdefault(sid, [])
            shared_by[sid] = (cid, still)
    settled: set[str] = set()
    required: set[str] = set()
    for r in fired:
        if r.with_ and not chosen.intersection(r.with_):
            continue
        text, used, _ = fields.fill(r.reason)
        reason = R.built(
            R.Reason,
            text=text,
            basis="answer",
            questions=list(dict.fromkeys([*model.rule_qs[r.id], *used])),
            rule=r.id,
            sources=list(r.sources),
        )
        for sid in r.require:
            if sid not in left or sid in required:
                on.setdefault(sid, []).append(reason)
                required.add(sid)
                left.pop(sid, None)
        settled.update(r.settles)
        for sid in (*r.settles, *r.explains):
            if sid in on and reason not in on[sid]:
                on[sid].append(reason)
    for r in fired:  # a station some rule requires stays, whatever another rule says
        if r.with_ and not chosen.intersection(r.with_):
            continue
        for sid in r.not_needed:
            if sid in on and sid not in required and sid not in option_of:
                del on[sid]
                left[sid] = (r.reason, model.rule_qs[r.id])
    # an undecided choice says so on the step where it is made
    for cid, sid in _DECIDED_AT.items():
        c = next((x for x in made.choice_out if x.choice == cid), None)
        if c is not None and c.undecided and c.still_open and sid in on:
            on[sid].append(
                R.built(
                    R.Reason,
                    text=f"{c.name}: {c.undecided}",
                    basis="answer",
                    questions=[d.question for d in c.decide_by if d.question],
                )
            )
    order = sorted(on, key=lambda s: rm.rank[s])
    form = made.decided.get("legal-form")
    lines_for = draw(rm, order, chosen, goal_options=[form.id] if form else (), goals=model.goals)
    steps = []
    choice_names = {c.id: c.name for c in model.choices}
    for n, sid in enumerate(order, 1):
        st = rm.stations[sid]
        info = model.steps.get(sid)
        reasons = list(on[sid])
        if sid in option_of:
            cid, opt = option_of[sid]
            reasons.append(_chosen_because(rm, profile, choice_names[cid], opt, made, cid))
            # the legal tests it meets, said once: on the option's first step
            first = next(x for x in order if x in opt.stations)
            for v in made.verdicts.get(opt.id, ()) if sid == first else ():
                if (
                    v.case is not None
                    and not v.case.with_
                    and any(q in profile.given for q in v.case.when)
                ):
                    text, used, _ = fields.fill(v.case.reason)
                    reasons.append(
                        R.built(
                            R.Reason,
                            text=text,
                            basis="answer",
                            questions=list(dict.fromkeys([*case_questions(v.case), *used])),
                            sources=list(v.condition.sources),
                        )
                    )
        elif sid in shared_by:
            cid, still = shared_by[sid]
            reasons.append(
                R.built(
                    R.Reason,
                    text=f"{choice_names[cid]} is not decided yet, but "
                    + names([_lower_first(o.name) for o in still])
                    + " would each take this step.",
                    basis="choice",
                )
            )
        if info is not None:
            text, used, chose = fields.fill(info.reason)
            basis = "answer" if used else "choice" if chose else info.grounds
            reasons.append(
                R.built(
                    R.Reason, text=text, basis=basis, questions=used, sources=list(info.sources)
                )
            )
        if not reasons:  # a station the data does not describe: say so, never its summary
            reasons.append(R.built(R.Reason, text="A stage of this route.", basis="practice"))
        own = any(r.basis != "practice" for r in reasons)
        steps.append(
            R.built(
                R.Step,
                number=n,
                station=sid,
                name=st.name,
                topic=info.topic if info else "set_up",
                line=lines_for.step_line.get(sid),
                status=step_status(sid, profile, settled),
                reasons=_unique(reasons),
                if_skipped=info.if_skipped if info else None,
                own=own,
            )
        )
    left_off = [
        R.built(R.LeftOff, station=sid, name=rm.stations[sid].name, reason=why, questions=qs)
        for sid, (why, qs) in sorted(left.items(), key=lambda kv: rm.rank[kv[0]])
    ]
    return steps, left_off, lines_for.drawing


# the step where each choice is made: an undecided choice says so there
_DECIDED_AT = {"legal-form": "governance-design", "award": "transfer-negotiation"}


def _unique(reasons: list[R.Reason]) -> list[R.Reason]:
    """Each reason once: the same sentence never twice on one step."""
    seen: set[str] = set()
    out = []
    for r in reasons:
        if r.text not in seen:
            seen.add(r.text)
            out.append(r)
    return out


def _chosen_because(
    rm, profile: Profile, choice_name: str, opt: ChoiceOption, made: Made, cid: str
) -> R.Reason:
    """Why an option's station is on this route: the option, and the answers that chose it."""
    qs = made.questions.get(cid, [])
    said = [f"“{rm.questions[q].text}” {answer_label(rm, q, profile.value(q))}" for q in qs[:3]]
    if said:
        text = f"{choice_name}: {opt.name}, from your answers ({'; '.join(said)})."
        return R.built(R.Reason, text=text, basis="answer", questions=qs, sources=list(opt.sources))
    return R.built(
        R.Reason,
        text=f"{choice_name}: {opt.name} (see your choices).",
        basis="choice",
        sources=list(opt.sources),
    )


def _message(made: Made, outcome: str) -> str:
    if outcome == "route":
        return ""
    parts = []
    if made.broken:
        parts.append(" ".join(made.broken[:2]))
    else:
        for c in made.choice_out:
            if c.choice not in made.blocked:
                continue
            # the answers' own wishes that conflict, or else the first options' reasons (in the
            # data's order of preference); every option's reason is in the choice's list
            ruled = [o.why for o in c.others if o.open is False]
            whys = list(dict.fromkeys(ruled))[:2]
            parts.append(f"No option for “{c.name}” is open with your answers. " + " ".join(whys))
    lead = (
        "Your answers conflict: what they ask for rules out every option. "
        if outcome == "conflict"
        else "No route to a mutual is open with these answers. "
    )
    return lead + " ".join(parts) + " The nearest routes are below."


def route_summary(result: R.RouteResult) -> str:
    """The route in a line of words: its choices."""
    parts = [
        f"{c.name.lower()}: {c.option_name or 'still to decide'}"
        for c in result.choices
        if c.option_name is not None or c.still_open
    ]
    text = "; ".join(parts)
    return text[:1].upper() + text[1:] if text else "no route"


def probes(rm: RouteMap, qid: str) -> list:
    q = rm.questions[qid]
    if q.kind == "number":
        bounds: set[int] = set()
        for item in (*rm.data.rules, *(o for c in rm.data.choices for o in c.options)):
            for conds in (item.when, item.unless):
                c = conds.get(qid)
                if isinstance(c, NumberRange):
                    if c.at_least is not None:
                        bounds |= {c.at_least, max(c.at_least - 1, q.minimum or 0)}
                    if c.at_most is not None:
                        bounds |= {c.at_most, c.at_most + 1}
        return sorted(bounds)
    return [*kind_of(q).probes(q), NOT_SURE]


def with_answer(rm: RouteMap, profile: Profile, qid: str, value) -> Profile:
    answers = dict(profile.answers)
    answers[qid] = value
    given = set(profile.given)
    if value == NOT_SURE:
        given.discard(qid)
    else:
        given.add(qid)
    return replace(profile, answers=MappingProxyType(answers), given=frozenset(given))


def _nearest(rm: RouteMap, model: RouteModel, profile: Profile, made: Made) -> list[R.Nearest]:
    """One answer changed, wishes before facts about the service: the first few that open a
    route, each a different route. Only the answers the blocked choices look at are tried
    (their options' conditions and legal conditions, and the rules that rule them out)."""
    out: list[R.Nearest] = []
    seen: set[str] = set()
    asked: set[str] = set()
    for c in model.choices:
        if c.id not in made.blocked:
            continue
        ids = {o.id for o in c.options}
        for o in c.options:
            asked.update(model.option_qs[o.id])
            for cond in model.conditions_of.get(o.id, ()):
                asked.update(model.condition_qs[cond.id])
        for r in model.rules:
            if ids & set(r.rule_out):
                asked.update(model.rule_qs[r.id])
    order = sorted((q for q in rm.data.questions if q.id in asked), key=lambda q: q.fixed)
    blocked = [c for c in model.choices if c.id in made.blocked]
    fired = [r for r in model.rules if model.applies(r, profile)]
    for q in order:
        looking = model.rules_asking.get(q.id, set())
        kept = [r for r in fired if r.id not in looking]
        for value in probes(rm, q.id):
            if value == profile.value(q.id):
                continue
            trial = with_answer(rm, profile, q.id, value)
            now = [r for r in model.rules if r.id in looking and model.applies(r, trial)]
            if not _may_open(model, blocked, trial, {r.id for r in kept + now}):
                continue
            summary = _lean_summary(rm, model, trial, kept + now)
            if summary is None or summary in seen:
                continue
            seen.add(summary)
            out.append(
                R.built(
                    R.Nearest,
                    question=q.id,
                    question_text=q.text,
                    answer=list(value) if isinstance(value, tuple) else value,
                    answer_label=answer_label(rm, q.id, value),
                    summary=summary,
                    answers={
                        k: list(v) if isinstance(v, tuple) else v
                        for k, v in trial.answers.items()
                        if k in trial.given
                    },
                )
            )
            break
        if len(out) >= MAX_NEAREST:
            break
    return out


def _may_open(model: RouteModel, blocked, profile: Profile, fired_ids: set[str]) -> bool:
    """Whether each blocked choice has an option its own conditions and the rules leave open
    (a probe that leaves one shut opens no route: no need to make the choices)."""
    for c in blocked:
        if not any(
            model.applies(o, profile) and not any(r.id in fired_ids for r in model.ruling_out[o.id])
            for o in c.options
        ):
            return False
    return True


def _lean_summary(rm: RouteMap, model: RouteModel, profile: Profile, fired) -> str | None:
    """The route a probe of another answer opens, in words (as ``route_summary``), or None:
    the choices alone, made without their words (``fired``: the rules that apply)."""
    made = choose(rm, model, profile, fired, lambda t: (t, []), lean=True)
    if made.blocked:
        return None
    parts = []
    for c in model.choices:
        if c.id in made.decided:
            parts.append(f"{c.name.lower()}: {made.decided[c.id].name}")
        elif c.id in made.still_open:
            parts.append(f"{c.name.lower()}: still to decide")
    text = "; ".join(parts)
    return text[:1].upper() + text[1:] if text else "no route"


def _estimate(rm: RouteMap, steps: list[R.Step], made: Made, profile: Profile) -> R.Estimate:
    taken = made.chosen_ids()
    journey = []
    if steps:
        for jf in rm.data.journey:
            if jf.only_with and not taken & set(jf.only_with):
                continue
            if taken & set(jf.unless_with):
                continue
            journey.append(
                R.built(
                    R.JourneyOut,
                    text=jf.text,
                    min_months=jf.min_months,
                    max_months=jf.max_months,
                    sources=list(jf.sources),
                )
            )
    durations, fees, unknown = [], [], []
    model = route_model(rm)
    for step in steps:
        st = rm.stations[step.station]
        d = st.duration
        info = model.steps.get(step.station)
        has_duration = not d.text.lower().startswith("not published") and (
            info is None or not info.duration_when or holds(info.duration_when, profile)
        )
        has_fee = not st.cost.text.lower().startswith(("not published", "free"))
        if has_duration:
            durations.append(
                R.built(
                    R.StepFigure,
                    station=st.id,
                    name=st.name,
                    text=d.text,
                    min_days=d.min_days,
                    max_days=d.max_days,
                    sources=list(d.sources or st.sources),
                )
            )
        if has_fee:
            fees.append(
                R.built(
                    R.StepFigure,
                    station=st.id,
                    name=st.name,
                    text=st.cost.text,
                    sources=list(st.cost.sources or st.sources),
                )
            )
        if not has_duration and not has_fee:
            unknown.append(st.name)
    return R.built(
        R.Estimate, journey=journey, durations=durations, fees=fees, not_published=unknown
    )


def _answer_effects(rm, model: RouteModel, profile: Profile, fired, made: Made, steps) -> list:
    """What each answer changes on this route, in words (rules that fired, choices whose
    options or legal conditions look at it, steps whose reasons name it, the readiness area
    it scores in)."""
    on_route = {s.station: s for s in steps}
    opt_name = {oid: o.name for oid, o in model.options.items()}
    choice_name = {c.id: c.name for c in model.choices}
    named: dict[str, list[str]] = {}  # question -> steps whose own reason names its answer
    for s in steps:
        for r in s.reasons:
            if r.rule is None:
                for q in r.questions:
                    if s.name not in named.setdefault(q, []):
                        named[q].append(s.name)
    fired_by_q: dict[str, list[Rule]] = {}
    for r in fired:
        for q in model.rule_qs[r.id]:
            fired_by_q.setdefault(q, []).append(r)
    conds_by_q: dict[str, list[R.ConditionOut]] = {}
    for c in made.choice_out:
        for co in c.conditions:
            for q in co.questions:
                conds_by_q.setdefault(q, []).append(co)
    out = []
    for q in rm.data.questions:
        if q.id not in profile.given and not holds(q.asked_when, profile):
            continue  # a question these answers do not call for
        effects: list[str] = []
        for r in fired_by_q.get(q.id, ()):
            if r.rule_out:
                effects.append("rules out " + names([opt_name[o] for o in r.rule_out], "and"))
            if r.favour:
                effects.append("weighs for " + names([opt_name[o] for o in r.favour]))
            if r.disfavour:
                effects.append("weighs against " + names([opt_name[o] for o in r.disfavour], "and"))
            for sid in r.require:
                if sid in on_route:
                    effects.append(f"puts “{on_route[sid].name}” on your route")
            for sid in r.not_needed:
                if sid not in on_route:
                    effects.append(f"takes “{rm.stations[sid].name}” off your route")
            for sid in r.settles:
                if sid in on_route:
                    effects.append(f"marks “{on_route[sid].name}” as already in place")
            for sid in r.explains:
                if sid in on_route:
                    effects.append(f"adds to why “{on_route[sid].name}” is on your route")
        for co in conds_by_q.get(q.id, ()):
            state = {"met": "meets", "open": "leaves open", "broken": "breaks"}[co.state]
            effects.append(f"{state} the legal test “{co.name}”")
        for cid in model.choices_asking.get(q.id, ()):
            taken = made.decided.get(cid)
            said = taken.name if taken else "undecided"
            effects.append(f"decides which options of “{choice_name[cid]}” are open ({said})")
        steps_named = named.get(q.id, [])
        if steps_named:
            shown = ", ".join(f"“{n}”" for n in steps_named[:3])
            more = f" and {len(steps_named) - 3} more" if len(steps_named) > 3 else ""
            verb = "is" if len(steps_named) == 1 else "are"
            effects.append(f"is named in why {shown}{more} {verb} on your route")
        if any(o.score is not None for o in q.options) or q.scores:
            effects.append(f"counts towards your readiness in “{rm.areas[q.area].name}”")
        value = profile.value(q.id)
        out.append(
            R.built(
                R.AnswerEffect,
                question=q.id,
                text=q.text,
                answer=list(value) if isinstance(value, tuple) else value,
                label=answer_label(rm, q.id, value),
                given=q.id in profile.given,
                effects=list(dict.fromkeys(effects)),
            )
        )
    return out


def _area_out(a) -> R.ReadinessArea:
    data = a.as_json()
    return R.built(
        R.ReadinessArea,
        area=data["area"],
        name=data["name"],
        points=data["points"],
        possible=data["possible"],
        percent=data["percent"],
        level=data["level"],
        answers=[R.built(R.ReadinessAnswer, **x) for x in data["answers"]],
    )


def find_route(rm: RouteMap, profile: Profile, *, explain: bool = True) -> R.RouteResult:
    """The front doors' one entry point (the CLI, the API, the pages, the exports)."""
    return kept_routes(rm).route(profile, explain=explain)


KEPT_ROUTES = 64  # a route and its reasons are about 120 KB in memory: 8 MB at most


class KeptRoutes:
    """The routes composed last on one map, by their profile (a team reloads its route, comes
    back to it from a what-if, sends it to an adviser, who marks a step and reloads): a route
    depends only on the frozen map and the profile, and its results are frozen models that
    nothing changes, so each request that asks again shares the one composed."""

    def __init__(self, rm: RouteMap, size: int = KEPT_ROUTES):
        self.rm = rm
        self.size = size
        self.routes: OrderedDict[tuple, R.RouteResult] = OrderedDict()
        self.lock = threading.Lock()

    def route(self, profile: Profile, *, explain: bool = True, effects: bool | None = None):
        effects = explain if effects is None else effects
        key = (profile_key(profile), explain, effects)
        with self.lock:
            kept = self.routes.get(key)
            if kept is not None:
                self.routes.move_to_end(key)
                return kept
        result = compose(self.rm, profile, explain=explain, effects=effects)
        with self.lock:
            self.routes[key] = result
            while len(self.routes) > self.size:
                self.routes.popitem(last=False)
        return result

    def clear(self) -> None:
        with self.lock:
            self.routes.clear()


def kept_routes(rm: RouteMap) -> KeptRoutes:
    return rm.cached("kept-routes", lambda: KeptRoutes(rm))


def profile_key(profile: Profile) -> tuple:
    """Everything of a profile a route reads, hashable: two equal keys, one route."""
    return (
        tuple(sorted(profile.answers.items())),
        profile.given,
        profile.done,
        profile.in_progress,
        tuple(sorted(profile.skipped.items())),
        tuple(sorted(profile.retired.items())),
    )
