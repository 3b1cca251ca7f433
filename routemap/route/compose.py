"""The route composer: a route is made of the choices a team really makes, on a spine of
stages every spin-out passes, ending with the new organisation running the service.

Reading ``graph_data/rules.yaml`` (see its header): each choice takes the open option the
fired rules weigh most for (the first in data order on a tie); the chosen options' stations,
the spine and the stations rules require make the route, in the map's flow order. Every step
carries its reasons: the answers (rules) that put or explain it, the choice it belongs to,
and the legal duty or practice behind it. A requirement never eliminates a choice: choices
are made from the answers alone, and the map's lines only draw the result (``draw.py``).
"""

from __future__ import annotations

import string
from dataclasses import dataclass, field, replace
from types import MappingProxyType

from ..core import RouteMap
from ..models import ChoiceOption, NumberRange, Rule, StepInfo
from . import results as R
from .answerwords import answer_label
from .draw import draw
from .profile import NOT_SURE, Profile
from .readiness import readiness
from .rules import applies, questions_of

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
        # per question: the choices whose options look at it (their open/closed answers)
        self.choices_asking: dict[str, list[str]] = {}
        for c in d.choices:
            for o in c.options:
                for q in self.option_qs[o.id]:
                    if c.id not in self.choices_asking.setdefault(q, []):
                        self.choices_asking[q].append(c.id)


def route_model(rm: RouteMap) -> RouteModel:
    return rm.cached("route-model", lambda: RouteModel(rm))


def check_template(text: str) -> list[str]:
    """The unknown {fields} of a reason (validation and tests use this)."""
    return [f for _, f, _, _ in string.Formatter().parse(text) if f and f not in TEMPLATE_FIELDS]


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


def names(items: list[str], last: str = "or") -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + f" {last} " + items[-1]


# ---------------------------------------------------------------------------------------------
# composing


@dataclass
class _Work:
    """What one composition decided, before it becomes the typed result."""

    fired: list[Rule]
    chosen: dict[str, ChoiceOption | None] = field(default_factory=dict)
    choice_out: list[R.ChoiceMade] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)  # required choices with nothing open
    conflict: bool = False


def _choose(rm: RouteMap, model: RouteModel, profile: Profile, work: _Work) -> None:
    for choice in model.choices:
        taken = [o.id for o in work.chosen.values() if o is not None]
        rows: list[tuple[ChoiceOption, list[str], int, list[Rule]]] = []
        for opt in choice.options:
            closed: list[str] = []
            if not applies(opt, profile):
                closed.append(opt.closed_reason or "It is not open with your answers.")
            if opt.only_with and not any(t in opt.only_with for t in taken):
                closed.append(opt.only_with_reason or "")
            ruled = [r for r in work.fired if opt.id in r.rule_out]
            closed += [r.reason for r in ruled]
            weighing = [r for r in work.fired if opt.id in r.favour or opt.id in r.disfavour]
            score = sum(r.weight if opt.id in r.favour else -r.weight for r in weighing)
            rows.append((opt, closed, score, weighing))
        open_rows = [row for row in rows if not row[1]]
        best = max(open_rows, key=lambda row: row[2], default=None)  # max keeps the first
        others = []
        for opt, closed, score, weighing in rows:
            if best is not None and opt is best[0]:
                continue
            if closed:
                why = " ".join(dict.fromkeys(closed))
            else:
                against = [r.reason for r in weighing if opt.id in r.disfavour]
                why = (
                    "Open to you, but your answers weigh less for it"
                    + (": " + " ".join(against) if against else ".")
                    if score < best[2]
                    else "Open to you: it fits your answers as well, and the choice shown "
                    "comes first in the map's order."
                )
            others.append(
                R.OptionNotTaken.model_construct(
                    option=opt.id, name=opt.name, open=not closed, why=why
                )
            )
        if best is None:
            work.chosen[choice.id] = None
            if choice.required:
                work.blocked.append(choice.id)
                # an option the answers' own wishes ruled out: the answers conflict
                if any(applies(o, profile) for o, c, _, _ in rows if c):
                    work.conflict = True
            work.choice_out.append(
                R.ChoiceMade(
                    choice=choice.id,
                    name=choice.name,
                    undecided=None if choice.required else choice.undecided,
                    others=others,
                )
            )
            continue
        opt, _, _, weighing = best
        work.chosen[choice.id] = opt
        reasons = [
            R.Reason.model_construct(
                text=r.reason,
                basis="answer",
                questions=model.rule_qs[r.id],
                rule=r.id,
                sources=list(r.sources),
            )
            for r in weighing
            if opt.id in r.favour
        ]
        if opt.when or opt.unless:
            reasons.append(
                R.Reason.model_construct(
                    text=_open_because(rm, opt, profile),
                    basis="answer",
                    questions=model.option_qs[opt.id],
                    sources=list(opt.sources),
                )
            )
        if not reasons:
            reasons.append(
                R.Reason.model_construct(
                    text="None of your answers points to another option: it is the first open "
                    "one in the map's order.",
                    basis="practice",
                )
            )
        work.choice_out.append(
            R.ChoiceMade(
                choice=choice.id,
                name=choice.name,
                option=opt.id,
                option_name=opt.name,
                summary=opt.summary,
                reasons=reasons,
                others=others,
                sources=list(opt.sources),
            )
        )


def _open_because(rm: RouteMap, opt: ChoiceOption, profile: Profile) -> str:
    """Why an option with conditions is open, naming the answers in words."""
    said = []
    for qid in questions_of(opt):
        value = profile.value(qid)
        if qid in opt.when or value != NOT_SURE:
            said.append(f"“{rm.questions[qid].text}” {answer_label(rm, qid, value)}")
    lead = "It is open to you (you answered " + "; ".join(said) + "). " if said else ""
    return lead + opt.summary


class _Fields:
    """The values of a reason's {fields} for one composition, and the answers behind each."""

    def __init__(self, rm: RouteMap, work: _Work, profile: Profile, areas):
        def option_name(cid: str, fallback: str) -> str:
            opt = work.chosen.get(cid)
            return _lower_first(opt.name) if opt else fallback

        staff = profile.value("staff_count") if "staff_count" in rm.questions else NOT_SURE
        scored = [a for a in areas if a.score is not None]
        if scored and scored[0].score < 0.75:
            ready = f"on your answers, {_lower_first(scored[0].name)} is the area to work on first"
        elif scored:
            ready = "on your answers, every area you have answered for looks strong"
        else:
            ready = "answer the self-diagnostic's questions to see which area to work on first"
        self.values = {
            "form": option_name("legal-form", "new organisation"),
            "award": option_name("award", "however it is awarded"),
            "pension": option_name("pension", "the staff's pension arrangement"),
            "staff": f"Your {staff:,} staff" if isinstance(staff, int) else "Your staff",
            "readiness": ready,
        }
        self.questions = {
            "staff": ["staff_count"] if isinstance(staff, int) else [],
            "readiness": [a["question"] for a in scored[0].answers] if scored else [],
        }
        self.chosen = {f for f, cid in _FIELD_CHOICE.items() if work.chosen.get(cid)}
        self.parsed: dict[str, list[str]] = {}

    def fill(self, text: str) -> tuple[str, list[str], bool]:
        """The text filled, the questions it named, and whether it named a choice."""
        fields = self.parsed.get(text)
        if fields is None:
            fields = [f for _, f, _, _ in string.Formatter().parse(text) if f]
            self.parsed[text] = fields
        if not fields:
            return text, [], False
        used = [q for f in fields for q in self.questions.get(f, ())]
        return text.format_map(self.values), used, any(f in self.chosen for f in fields)


def _status(sid: str, profile: Profile, settled: set[str]) -> str:
    if sid in profile.done:
        return "done"
    if sid in settled:
        return "in_place"
    if sid in profile.skipped:
        return "skipped"
    if sid in profile.in_progress:
        return "in_progress"
    return "to_do"


def compose(rm: RouteMap, profile: Profile, *, explain: bool = True) -> R.RouteResult:
    """The route for a profile. ``explain``: also the nearest routes when none is open, and
    what each answer changes (what-if probes and benchmarks leave them out)."""
    model = route_model(rm)
    fired = [r for r in model.rules if applies(r, profile)]
    work = _Work(fired=fired)
    _choose(rm, model, profile, work)
    areas = readiness(rm, profile)
    outcome = "route" if not work.blocked else ("conflict" if work.conflict else "nothing_open")

    steps: list[R.Step] = []
    left_off: list[R.LeftOff] = []
    drawing = R.Drawing(stations=[], strokes=[], lines=[])
    if outcome == "route":
        steps, left_off, drawing = _steps(rm, model, profile, work, areas)

    futures = []
    if outcome == "route":
        taken = {o.id for o in work.chosen.values() if o is not None}
        for fu in rm.data.futures:
            if fu.only_with and not taken & set(fu.only_with):
                continue
            st = rm.stations[fu.station]
            futures.append(
                R.FutureOut(
                    station=st.id,
                    name=st.name,
                    summary=st.summary,
                    examples=[
                        R.ExampleOut.model_construct(
                            text=e.text, date=e.date, sources=list(e.sources)
                        )
                        for e in st.examples
                    ],
                )
            )
    message = _message(rm, work, outcome)
    nearest: list[R.Nearest] = []
    other_ways: list[R.OtherWay] = []
    if outcome != "route":
        other_ways = [
            R.OtherWay(line=ln.id, name=ln.name, summary=ln.summary)
            for ln in rm.data.lines
            if ln.kind == "contrast" and ln.status == "open"
        ]
        if explain:
            nearest = _nearest(rm, model, profile, work)
    result = R.RouteResult(
        outcome=outcome,
        message=message,
        steps=steps,
        choices=work.choice_out,
        left_off=left_off,
        futures=futures,
        estimate=_estimate(rm, steps, work),
        nearest=nearest,
        other_ways=other_ways,
        answer_effects=_answer_effects(rm, model, profile, work, steps) if explain else [],
        readiness=[_area_out(a) for a in areas],
        answers=dict(profile.answers),
        done=sorted(profile.done),
        drawing=drawing,
    )
    return result


def _steps(rm, model: RouteModel, profile: Profile, work: _Work, areas):
    left: dict[str, tuple[str, list[str]]] = {}
    on: dict[str, list[R.Reason]] = {}
    for sid in model.spine:
        on[sid] = []
    option_of: dict[str, tuple[str, ChoiceOption]] = {}
    for cid, opt in work.chosen.items():
        if opt is None:
            continue
        for sid in opt.stations:
            on.setdefault(sid, [])
            option_of[sid] = (cid, opt)
        for sid in opt.leaves_out:
            if sid in on and sid not in opt.stations:
                del on[sid]
                left[sid] = (opt.leaves_out_reason or "", [])
    settled: set[str] = set()
    required: set[str] = set()
    for r in work.fired:
        reason = R.Reason.model_construct(
            text=r.reason,
            basis="answer",
            questions=model.rule_qs[r.id],
            rule=r.id,
            sources=list(r.sources),
        )
        for sid in r.require:
            if sid not in left or sid in required:
                on.setdefault(sid, []).append(reason)
                required.add(sid)
                left.pop(sid, None)
        for sid in r.settles:
            settled.add(sid)
        for sid in (*r.settles, *r.explains):
            if sid in on and reason not in on[sid]:
                on[sid].append(reason)
    for r in work.fired:  # a station some rule requires stays, whatever another rule says
        for sid in r.not_needed:
            if sid in on and sid not in required and sid not in option_of:
                del on[sid]
                left[sid] = (r.reason, model.rule_qs[r.id])
    order = sorted(on, key=lambda s: rm.rank[s])
    fields = _Fields(rm, work, profile, areas)
    lines_for = draw(rm, order, {o.id for o in work.chosen.values() if o is not None})
    steps = []
    choice_names = {c.id: c.name for c in model.choices}
    for n, sid in enumerate(order, 1):
        st = rm.stations[sid]
        info = model.steps.get(sid)
        reasons = list(on[sid])
        if sid in option_of:
            cid, opt = option_of[sid]
            reasons.append(
                R.Reason.model_construct(
                    text=f"{choice_names[cid]}: {opt.name} (see your choices).",
                    basis="choice",
                    sources=list(opt.sources),
                )
            )
        if info is not None:
            text, used, chose = fields.fill(info.reason)
            basis = "answer" if used else "choice" if chose else info.grounds
            reasons.append(
                R.Reason.model_construct(
                    text=text, basis=basis, questions=used, sources=list(info.sources)
                )
            )
        if not reasons:  # a station the data does not describe: say so, never its summary
            reasons.append(
                R.Reason.model_construct(text="A stage of this route.", basis="practice")
            )
        own = any(r.basis != "practice" for r in reasons)
        steps.append(
            R.Step.model_construct(
                number=n,
                station=sid,
                name=st.name,
                topic=info.topic if info else "set_up",
                line=lines_for.step_line[sid],
                status=_status(sid, profile, settled),
                reasons=reasons,
                if_skipped=info.if_skipped if info else None,
                own=own,
            )
        )
    left_off = [
        R.LeftOff(station=sid, name=rm.stations[sid].name, reason=why, questions=qs)
        for sid, (why, qs) in sorted(left.items(), key=lambda kv: rm.rank[kv[0]])
    ]
    return steps, left_off, lines_for.drawing


def _message(rm: RouteMap, work: _Work, outcome: str) -> str:
    if outcome == "route":
        return ""
    parts = []
    for c in work.choice_out:
        if c.choice not in work.blocked:
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
        f"{c.name.lower()}: {c.option_name}" for c in result.choices if c.option_name is not None
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
    return [o.value for o in q.options if o.value != NOT_SURE] + [NOT_SURE]


def with_answer(rm: RouteMap, profile: Profile, qid: str, value) -> Profile:
    answers = dict(profile.answers)
    answers[qid] = value
    given = set(profile.given)
    if value == NOT_SURE:
        given.discard(qid)
    else:
        given.add(qid)
    return replace(profile, answers=MappingProxyType(answers), given=frozenset(given))


def _nearest(rm: RouteMap, model: RouteModel, profile: Profile, work: _Work) -> list[R.Nearest]:
    """One answer changed, wishes before facts about the service: the first few that open a
    route, each a different route. Only the answers the blocked choices look at are tried
    (their options' conditions, and the rules that rule their options out)."""
    out: list[R.Nearest] = []
    seen: set[str] = set()
    asked: set[str] = set()
    for c in model.choices:
        if c.id not in work.blocked:
            continue
        ids = {o.id for o in c.options}
        for o in c.options:
            asked.update(model.option_qs[o.id])
        for r in model.rules:
            if ids & set(r.rule_out):
                asked.update(model.rule_qs[r.id])
    order = sorted((q for q in rm.data.questions if q.id in asked), key=lambda q: q.fixed)
    for q in order:
        for value in probes(rm, q.id):
            if value == profile.value(q.id):
                continue
            trial = with_answer(rm, profile, q.id, value)
            alt = compose(rm, trial, explain=False)
            if alt.outcome != "route":
                continue
            summary = route_summary(alt)
            if summary in seen:
                continue
            seen.add(summary)
            out.append(
                R.Nearest(
                    question=q.id,
                    question_text=q.text,
                    answer=value,
                    answer_label=answer_label(rm, q.id, value),
                    summary=summary,
                    answers={k: v for k, v in trial.answers.items() if k in trial.given},
                )
            )
            break
        if len(out) >= MAX_NEAREST:
            break
    return out


def _estimate(rm: RouteMap, steps: list[R.Step], work: _Work) -> R.Estimate:
    taken = {o.id for o in work.chosen.values() if o is not None}
    journey = []
    if steps:
        for jf in rm.data.journey:
            if jf.only_with and not taken & set(jf.only_with):
                continue
            if taken & set(jf.unless_with):
                continue
            journey.append(
                R.JourneyOut(
                    text=jf.text,
                    min_months=jf.min_months,
                    max_months=jf.max_months,
                    sources=list(jf.sources),
                )
            )
    durations, fees, unknown = [], [], []
    for step in steps:
        st = rm.stations[step.station]
        d = st.duration
        has_duration = not d.text.lower().startswith("not published")
        has_fee = not st.cost.text.lower().startswith(("not published", "free"))
        if has_duration:
            durations.append(
                R.StepFigure.model_construct(
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
                R.StepFigure.model_construct(
                    station=st.id,
                    name=st.name,
                    text=st.cost.text,
                    sources=list(st.cost.sources or st.sources),
                )
            )
        if not has_duration and not has_fee:
            unknown.append(st.name)
    return R.Estimate(journey=journey, durations=durations, fees=fees, not_published=unknown)


def _answer_effects(rm, model: RouteModel, profile: Profile, work: _Work, steps) -> list:
    """What each answer changes on this route, in words (rules that fired, choices whose
    options look at it, steps whose reasons name it, the readiness area it scores in)."""
    on_route = {s.station: s for s in steps}
    opt_name = {oid: o.name for oid, o in model.options.items()}
    choice_name = {c.id: c.name for c in model.choices}
    chosen = {cid: o.id for cid, o in work.chosen.items() if o is not None}
    named: dict[str, list[str]] = {}  # question -> steps whose own reason names its answer
    for s in steps:
        for r in s.reasons:
            if r.rule is None:
                for q in r.questions:
                    if s.name not in named.setdefault(q, []):
                        named[q].append(s.name)
    fired_by_q: dict[str, list[Rule]] = {}
    for r in work.fired:
        for q in model.rule_qs[r.id]:
            fired_by_q.setdefault(q, []).append(r)
    out = []
    for q in rm.data.questions:
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
        for cid in model.choices_asking.get(q.id, ()):
            taken = chosen.get(cid)
            said = opt_name[taken] if taken else "undecided"
            effects.append(f"decides which options of “{choice_name[cid]}” are open ({said})")
        for name in named.get(q.id, ()):
            effects.append(f"is named in why “{name}” is on your route")
        if any(o.score is not None for o in q.options) or q.scores:
            effects.append(f"counts towards your readiness in “{rm.areas[q.area].name}”")
        value = profile.value(q.id)
        out.append(
            R.AnswerEffect.model_construct(
                question=q.id,
                text=q.text,
                answer=value,
                label=answer_label(rm, q.id, value),
                given=q.id in profile.given,
                effects=list(dict.fromkeys(effects)),
            )
        )
    return out


def _area_out(a) -> R.ReadinessArea:
    data = a.as_json()
    return R.ReadinessArea(
        area=data["area"],
        name=data["name"],
        points=data["points"],
        possible=data["possible"],
        percent=data["percent"],
        level=data["level"],
        answers=[R.ReadinessAnswer.model_construct(**x) for x in data["answers"]],
    )


def find_route(rm: RouteMap, profile: Profile, *, explain: bool = True) -> R.RouteResult:
    """The front doors' one entry point (the CLI, the API, the pages, the exports)."""
    return compose(rm, profile, explain=explain)
