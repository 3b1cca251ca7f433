"""The choices a route is made of, made together: legal form, how the work is awarded, pension.

Reading ``graph_data/rules.yaml`` (see its header): every combination of the options each
choice leaves open is tried; a combination a legal condition rules out (``conditions``), or an
option that needs another (``only_with``) without it, is dropped; the rest are scored by the
rules that fire (``favour`` adds, ``disfavour`` takes away). The best combination decides each
choice, unless two options score the same or the best rests on a condition the answers leave
open: then the choice is undecided, with the options still open and what would decide it (a
question to answer, a fact to find out, or a choice to make with an adviser). Never file order.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import product

from ..core import RouteMap
from ..models import Case, ChoiceOption, LegalCondition, Rule
from . import results as R
from .answerwords import NOT_SURE, answer_label
from .profile import Profile
from .rules import applies, holds, questions_of

MAX_DECIDERS = 4


@dataclass
class Verdict:
    """A condition against one combination: met (with the case), broken (with it) or open."""

    condition: LegalCondition
    state: str
    case: Case | None


@dataclass
class Combo:
    options: tuple[ChoiceOption | None, ...]
    score: int
    verdicts: list[Verdict]

    def ids(self) -> set[str]:
        return {o.id for o in self.options if o is not None}


@dataclass
class Made:
    """What the choosing decided, before it becomes the typed result."""

    decided: dict[str, ChoiceOption] = field(default_factory=dict)
    still_open: dict[str, list[ChoiceOption]] = field(default_factory=dict)
    choice_out: list[R.ChoiceMade] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)  # required choices with nothing open
    conflict: bool = False
    broken: list[str] = field(default_factory=list)  # reasons of conditions that closed all
    questions: dict[str, list[str]] = field(default_factory=dict)  # choice -> its answers
    verdicts: dict[str, list[Verdict]] = field(default_factory=dict)  # option -> conditions
    score: int = 0  # the best combination's weight (comparing routes ranks by it)

    def chosen_ids(self) -> set[str]:
        return {o.id for o in self.decided.values()}


def case_questions(case: Case) -> list[str]:
    return list(dict.fromkeys([*case.when, *case.unless]))


def condition_questions(cond: LegalCondition) -> list[str]:
    qs = list(cond.when)
    for case in (*cond.met, *cond.broken):
        qs += case_questions(case)
    return list(dict.fromkeys(qs))


class _Cases:
    """The answer part of each case, evaluated once per composition."""

    def __init__(self, model, profile: Profile):
        self.model = model
        self.profile = profile
        self.memo: dict[int, bool] = {}

    def holds(self, case: Case, ids: set[str]) -> bool:
        key = id(case)
        ok = self.memo.get(key)
        if ok is None:
            ok = self.model.applies(case, self.profile)
            self.memo[key] = ok
        return ok and (not case.with_ or bool(ids.intersection(case.with_)))


def judge(cond: LegalCondition, ids: set[str], cases: _Cases) -> Verdict:
    for case in cond.broken:
        if cases.holds(case, ids):
            return Verdict(cond, "broken", case)
    for case in cond.met:
        if cases.holds(case, ids):
            return Verdict(cond, "met", case)
    return Verdict(cond, "open", None)


def choose(
    rm: RouteMap, model, profile: Profile, fired: list[Rule], fill, lean=False, fixed=None
) -> Made:
    """Make the choices together. ``fill(text) -> (text, questions)`` fills a reason's
    fields with the team's answers. ``lean``: only what is chosen and what is still open, no
    words (a probe of another answer needs no more). ``fixed``: choice id -> the one option
    it may take (a column of the comparison of routes), if the answers leave it open."""
    made = Made()
    cases = _Cases(model, profile)
    per_choice: list[list[ChoiceOption | None]] = []
    own_closed: dict[str, list[str]] = {}
    scores: dict[str, int] = {}
    weighing: dict[str, list[Rule]] = {}
    fired_ids = {r.id for r in fired}
    for choice in model.choices:
        open_here: list[ChoiceOption | None] = []
        for opt in choice.options:
            closed: list[str] = []
            if not model.applies(opt, profile):
                closed.append(opt.closed_reason or "It is not open with your answers.")
            closed += [r.reason for r in model.ruling_out[opt.id] if r.id in fired_ids]
            own_closed[opt.id] = closed
            ws = [r for r in model.weighing[opt.id] if r.id in fired_ids]
            weighing[opt.id] = ws
            scores[opt.id] = sum(r.weight if opt.id in r.favour else -r.weight for r in ws)
            if not closed and (not fixed or fixed.get(choice.id, opt.id) == opt.id):
                open_here.append(opt)
        if not open_here:
            if choice.required:
                made.blocked.append(choice.id)
                if any(applies(o, profile) for o in choice.options):
                    made.conflict = True  # the answers' own wishes closed every option
            open_here = [None]
        per_choice.append(open_here)

    live = [c for c in model.conditions if model.applies(c, profile)]
    dropped_why: dict[str, list[str]] = {}
    kept: list[Combo] = []
    # a required choice with nothing open leaves no route, but the other choices are still
    # made (a team told no route is open still sees which pension its staff would keep)
    for options in product(*per_choice):
        ids = {o.id for o in options if o is not None}
        bad = False
        for o in options:
            if o is not None and o.only_with and not ids.intersection(o.only_with):
                why = dropped_why.setdefault(o.id, [])
                if o.only_with_reason and o.only_with_reason not in why:
                    why.append(o.only_with_reason)
                bad = True
        verdicts: list[Verdict] = []
        for cond in live:
            bearing = ids.intersection(cond.of)
            if not bearing:
                continue
            v = judge(cond, ids, cases)
            if v.state == "broken":
                text = v.case.reason if lean else fill(v.case.reason)[0]
                for oid in bearing:
                    why = dropped_why.setdefault(oid, [])
                    if text not in why:
                        why.append(text)
                bad = True
                break
            verdicts.append(v)
        if bad:
            continue
        kept.append(Combo(options, sum(scores[i] for i in ids), verdicts))
    if not kept and not made.blocked:  # say why the options favoured most were dropped
        made.blocked = [c.id for c in model.choices if c.required]
        for opts in per_choice:
            ranked = sorted(
                (o for o in opts if o is not None and o.id in dropped_why),
                key=lambda o: -scores[o.id],
            )
            for o in ranked[:1]:
                made.broken += [w for w in dropped_why[o.id] if w not in made.broken]
            for o in opts:  # and what an option needs from another choice
                need = o.only_with_reason if o is not None else None
                if need and need in dropped_why.get(o.id, ()) and need not in made.broken:
                    made.broken.append(need)
        made.broken = made.broken[:3]

    best = max((k.score for k in kept), default=0)
    made.score = best
    top = [k for k in kept if k.score == best]
    ctx = _Ctx(
        lean,
        rm,
        model,
        profile,
        fired_ids,
        fill,
        own_closed,
        dropped_why,
        scores,
        weighing,
    )
    for ci, choice in enumerate(model.choices):
        _decide(ctx, made, ci, choice, kept, top)
    return made


@dataclass
class _Ctx:
    lean: bool
    rm: RouteMap
    model: object
    profile: Profile
    fired_ids: set[str]
    fill: object
    own_closed: dict[str, list[str]]
    dropped_why: dict[str, list[str]]
    scores: dict[str, int]
    weighing: dict[str, list[Rule]]


def _open_on(combo: Combo, oid: str) -> list[Verdict]:
    return [v for v in combo.verdicts if v.state == "open" and oid in v.condition.of]


def _decide(ctx: _Ctx, made: Made, ci: int, choice, kept: list[Combo], top: list[Combo]) -> None:
    rm, model, profile, fill = ctx.rm, ctx.model, ctx.profile, ctx.fill
    own_closed, dropped_why, scores, weighing = (
        ctx.own_closed,
        ctx.dropped_why,
        ctx.scores,
        ctx.weighing,
    )
    by_id = {o.id: o for o in choice.options}
    cands = [
        by_id[i] for i in dict.fromkeys(k.options[ci].id for k in top if k.options[ci] is not None)
    ]
    possible = {k.options[ci].id for k in kept if k.options[ci] is not None}
    pending: list[Verdict] = []
    if len(cands) == 1:
        for k in top:
            if k.options[ci] is cands[0]:
                pending += _open_on(k, cands[0].id)
        pending = list({id(v.condition): v for v in pending}.values())
    decided = cands[0] if len(cands) == 1 and not pending else None
    still: list[ChoiceOption] = []
    if decided is None and cands:
        still = list(cands)
        if pending:  # what the route would be if the open condition is not met
            alt = [
                k for k in kept if k.options[ci] is not None and not _open_on(k, k.options[ci].id)
            ]
            alt_best = max((k.score for k in alt), default=None)
            for k in alt:
                if k.score == alt_best and k.options[ci].id not in {o.id for o in still}:
                    still.append(k.options[ci])
    if ctx.lean:
        if decided is not None:
            made.decided[choice.id] = decided
        elif cands:
            made.still_open[choice.id] = still
        return
    others: list[R.OptionNotTaken] = []
    still_ids = {o.id for o in still}
    top_score = max((scores[o.id] for o in cands), default=0)
    for opt in choice.options:
        if decided is not None and opt is decided:
            continue
        if opt.id in still_ids:
            if pending and opt is cands[0]:
                why = (
                    "Still open, if "
                    + _lower(pending[0].condition.name)
                    + ": "
                    + " ".join(fill(v.condition.find_out)[0] for v in pending)
                )
            else:
                why = "Still open: your answers weigh as much for it as for the others open."
            others.append(
                R.built(R.OptionNotTaken, option=opt.id, name=opt.name, open=True, why=why)
            )
            continue
        closed = own_closed[opt.id] or ([] if opt.id in possible else dropped_why.get(opt.id, []))
        if closed:
            why = " ".join(dict.fromkeys(fill(c)[0] for c in closed))
            others.append(
                R.built(R.OptionNotTaken, option=opt.id, name=opt.name, open=False, why=why)
            )
            continue
        against = [r.reason for r in weighing[opt.id] if opt.id in r.disfavour]
        why = "Open to you, but your answers weigh less for it" + (
            ": " + " ".join(against) if against else "."
        )
        if scores[opt.id] >= top_score:  # held back by its combination, not its own weight
            why = "Open to you, but it does not go with your other choices."
        others.append(R.built(R.OptionNotTaken, option=opt.id, name=opt.name, open=True, why=why))

    if decided is None:
        if not cands:  # nothing open
            undecided = None if choice.required else choice.undecided
            made.choice_out.append(
                R.built(
                    R.ChoiceMade,
                    choice=choice.id,
                    name=choice.name,
                    undecided=undecided,
                    others=others,
                )
            )
            return
        made.still_open[choice.id] = still
        deciders = _deciders(rm, model, profile, still, pending, weighing, fill)
        made.choice_out.append(
            R.built(
                R.ChoiceMade,
                choice=choice.id,
                name=choice.name,
                undecided=_undecided_words(choice.name, still, deciders),
                still_open=[o.id for o in still],
                decide_by=deciders,
                conditions=[_condition_out(v, fill) for v in pending],
                others=others,
            )
        )
        return

    made.decided[choice.id] = decided
    verdicts = []
    for k in top:
        for v in k.verdicts:
            if decided.id in v.condition.of and v.condition.id not in {
                x.condition.id for x in verdicts
            }:
                verdicts.append(v)
    made.verdicts[decided.id] = verdicts
    reasons: list[R.Reason] = []
    qs: list[str] = []
    for r in weighing[decided.id]:
        if decided.id in r.favour:
            reasons.append(_rule_reason(model, r, fill))
            qs += model.rule_qs[r.id]
    for opt in choice.options:  # the answers that closed the others decided it too
        for r in model.rules:
            if opt.id in r.rule_out and r.id in ctx.fired_ids and opt is not decided:
                qs += model.rule_qs[r.id]
    # the true cause where the answers favoured another option: a legal test closed it
    for opt in choice.options:
        if opt is decided or scores[opt.id] <= scores[decided.id] or opt.id in possible:
            continue
        if own_closed[opt.id] or not dropped_why.get(opt.id):
            continue
        cond_qs = [
            q
            for c in model.conditions_of.get(opt.id, ())
            for q in condition_questions(c)
            if q in profile.given
        ]
        reasons.append(
            R.built(
                R.Reason,
                text=f"{opt.name} is closed to you: "
                + _lower(" ".join(dict.fromkeys(fill(w)[0] for w in dropped_why[opt.id]))),
                basis="answer",
                questions=cond_qs,
                sources=list(opt.sources),
            )
        )
        qs += cond_qs
    for v in verdicts:
        if v.case is not None and _speaks(v.case, profile):
            text, used = fill(v.case.reason)
            reasons.append(
                R.built(
                    R.Reason,
                    text=text,
                    basis="answer",
                    questions=case_questions(v.case) + used,
                    sources=list(v.condition.sources),
                )
            )
            qs += case_questions(v.case)
    if decided.when or decided.unless:
        reasons.append(
            R.built(
                R.Reason,
                text=_open_because(rm, decided, profile, summary=not reasons),
                basis="answer",
                questions=model.option_qs[decided.id],
                sources=list(decided.sources),
            )
        )
        qs += model.option_qs[decided.id]
    if not reasons:
        reasons.append(
            R.built(R.Reason, text="It is the only option open to you.", basis="practice")
        )
    made.questions[choice.id] = [q for q in dict.fromkeys(qs) if q in profile.given]
    made.choice_out.append(
        R.built(
            R.ChoiceMade,
            choice=choice.id,
            name=choice.name,
            option=decided.id,
            option_name=decided.name,
            summary=decided.summary,
            reasons=reasons,
            conditions=[
                _condition_out(v, fill)
                for v in verdicts
                if v.case is None or _speaks(v.case, profile) or v.case.with_
            ],
            others=others,
            sources=list(decided.sources),
        )
    )


def _speaks(case: Case, profile: Profile) -> bool:
    """A case worth saying: it turns on an answer the team gave (a case met only because an
    answer is not one that breaks it says nothing), or on another choice."""
    return bool(case.with_) or any(q in profile.given for q in case.when)


def _lower(text: str) -> str:
    return text[:1].lower() + text[1:]


def _rule_reason(model, r: Rule, fill) -> R.Reason:
    text, used = fill(r.reason)
    return R.built(
        R.Reason,
        text=text,
        basis="answer",
        questions=list(dict.fromkeys([*model.rule_qs[r.id], *used])),
        rule=r.id,
        sources=list(r.sources),
    )


def _condition_out(v: Verdict, fill) -> R.ConditionOut:
    if v.case is not None:
        text, _ = fill(v.case.reason)
        qs = case_questions(v.case)
    else:
        text, _ = fill(v.condition.find_out)
        qs = condition_questions(v.condition)
    return R.built(
        R.ConditionOut,
        condition=v.condition.id,
        name=v.condition.name,
        state=v.state,
        text=text,
        questions=qs,
        sources=list(v.condition.sources),
    )


def _deciders(rm, model, profile, still, pending, weighing, fill) -> list[R.Decider]:
    """What would decide between the options still open: the facts the open conditions turn
    on, then the questions not yet answered that would weigh between them (wishes first),
    each one the questionnaire would ask."""
    out: list[R.Decider] = []
    asked: list[str] = []
    for v in pending:
        out.append(
            R.built(
                R.Decider,
                kind="find_out",
                text=fill(v.condition.find_out)[0],
                condition=v.condition.id,
            )
        )
        asked += [q for q in condition_questions(v.condition) if profile.value(q) == NOT_SURE]
    ids = {o.id for o in still}
    for r in model.rules:  # rules that would weigh between the options still open
        touched = ids.intersection((*r.favour, *r.disfavour, *r.rule_out))
        if touched and (touched != ids or r.rule_out):
            asked += [q for q in model.rule_qs[r.id] if profile.value(q) == NOT_SURE]
    for o in still:
        asked += [q for q in model.option_qs[o.id] if profile.value(q) == NOT_SURE]
    order = {q: (rm.questions[q].fixed, i) for i, q in enumerate(rm.questions)}
    wanted = [
        q
        for q in dict.fromkeys(asked)
        if q in rm.questions and holds(rm.questions[q].asked_when, profile)
    ]
    for qid in sorted(wanted, key=order.__getitem__)[:MAX_DECIDERS]:
        out.append(
            R.built(
                R.Decider, kind="question", question=qid, text=f"Answer “{rm.questions[qid].text}”"
            )
        )
    if not out:
        out.append(
            R.built(
                R.Decider,
                kind="choose",
                text="Your answers weigh the same for each: choose with your adviser. "
                + " ".join(f"{o.name}: {o.summary}" for o in still),
            )
        )
    return out


def _undecided_words(name: str, still: list[ChoiceOption], deciders: list[R.Decider]) -> str:
    opts = [o.name for o in still]
    listed = opts[0] if len(opts) == 1 else ", ".join(opts[:-1]) + " or " + opts[-1]
    finds = [d.text for d in deciders if d.kind == "find_out"]
    asks = [d.text for d in deciders if d.kind == "question"]
    chooses = [d.text for d in deciders if d.kind == "choose"]
    parts = [f"Not decided yet: still open are {listed}."]
    if finds:
        parts.append(" ".join(finds))
    if asks:
        parts.append("What would decide it: " + "; ".join(asks) + ".")
    parts += chooses
    return " ".join(parts)


def _open_because(rm: RouteMap, opt: ChoiceOption, profile: Profile, summary: bool) -> str:
    """Why an option with conditions is open, naming the answers in words (and what the
    option is, where no other reason says)."""
    said = []
    for qid in questions_of(opt):
        value = profile.value(qid)
        if qid in opt.when or value != NOT_SURE:
            said.append(f"“{rm.questions[qid].text}” {answer_label(rm, qid, value)}")
    lead = "It is open to you: you answered " + "; ".join(said) + "." if said else ""
    if not summary:
        return lead or opt.summary
    return (lead + " " + opt.summary).strip()
