"""Routes side by side, for the options appraisal a team takes to its board.

A route here is a legal form: each column is the route the team's answers give with that form
taken (how the work is awarded and the pension made with it, as ``choose`` makes them), and
every row says what a board paper compares, each cell from the data with its sources, or
"Not published". The default columns are the team's own route and the two other open forms its
answers weigh most for (the weight of each form's best combination; the data's order on a tie).
Nothing is ranked on the page: the order of the columns is the only trace of the weighing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..core import RouteMap
from ..models import ChoiceOption, date_words
from . import results as R
from .choose import choose
from .compose import compose, names, route_model
from .profile import Profile

FORM_CHOICE = "legal-form"
MAX_COLUMNS = 3
NOT_PUBLISHED = "Not published"
# the rows, in the order a board paper reads them: (id, name)
ROWS = (
    ("what", "What it is"),
    ("owners", "Who owns and controls it"),
    ("profits", "Staff share of profits"),
    ("asset_lock", "Asset lock"),
    ("charity", "Charitable status and tax reliefs"),
    ("registrations", "Regulators and registrations"),
    ("money", "Raising money"),
    ("award", "How the work is awarded, and the legal tests"),
    ("people", "Staff transfer and pensions"),
    ("journey", "How long it takes"),
    ("examples", "Real examples"),
    ("for_you", "For you"),
)
FACT_ROWS = ("owners", "profits", "asset_lock", "charity", "money")
STATE_WORDS = {"met": "met", "broken": "not met", "open": "still to find out"}


@dataclass(frozen=True)
class Problem:
    """A route asked for that cannot be compared: ``too_many``, ``unknown``, ``twice`` or
    ``closed`` (with why), worded for a page (by name) or for the CLI and API (by id)."""

    code: str
    option: str = ""
    name: str = ""
    why: str = ""

    def words(self) -> str:
        return {
            "too_many": f"At most {MAX_COLUMNS} routes can be compared side by side.",
            "unknown": "The link names a legal form the map does not have.",
            "twice": f"“{self.name}” is asked for twice.",
            "closed": f"“{self.name}” is not open with your answers: {self.why}",
        }[self.code]

    def id_words(self, known: list[str]) -> str:
        if self.code == "unknown":  # named only where it looks like an id (never echoed raw)
            said = f"'{self.option}'" if re.fullmatch(r"[a-z0-9-]{1,40}", self.option) else "given"
            return f"unknown route {said}: the legal forms are " + ", ".join(known)
        if self.code in ("twice", "closed"):
            return f"route '{self.option}': " + _lower(self.words())
        return self.words()


class CompareError(ValueError):
    """The routes asked for cannot be compared: each problem, typed."""

    def __init__(self, problems: list[Problem], known: list[str]):
        super().__init__("; ".join(p.words() for p in problems))
        self.problems = problems
        self.known = known


@dataclass(frozen=True)
class Standing:
    """Where each legal form stands with these answers: the team's own route, and each form
    open (with the weight of its best combination) or closed (and why)."""

    own: R.RouteResult
    forms: tuple[ChoiceOption, ...]
    open: dict[str, int]  # option id -> weight
    why_closed: dict[str, str]

    def default(self) -> list[str]:
        """The team's own route (its form, or the forms still open), then the open forms its
        answers weigh most for."""
        choice = self.own.choice(FORM_CHOICE)
        first: list[str] = []
        if choice is not None and self.own.outcome == "route":
            first = [choice.option] if choice.option else list(choice.still_open)
        first = [f for f in first if f in self.open]
        order = {f.id: i for i, f in enumerate(self.forms)}
        rest = sorted(
            (f for f in self.open if f not in first), key=lambda f: (-self.open[f], order[f])
        )
        return (first + rest)[:MAX_COLUMNS]


def standing(rm: RouteMap, profile: Profile) -> Standing:
    model = route_model(rm)
    own = compose(rm, profile, explain=False)
    forms = next(c.options for c in model.choices if c.id == FORM_CHOICE)
    fired = [r for r in model.rules if model.applies(r, profile)]
    choice = own.choice(FORM_CHOICE)
    why = {o.option: o.why for o in choice.others if not o.open} if choice else {}
    open_: dict[str, int] = {}
    closed: dict[str, str] = {}
    for f in forms:
        made = choose(
            rm, model, profile, fired, lambda t: (t, []), lean=True, fixed={FORM_CHOICE: f.id}
        )
        if made.blocked or FORM_CHOICE not in (*made.decided, *made.still_open):
            closed[f.id] = why.get(f.id) or (
                "It is open on its own, but no route to a mutual is open with your answers."
                if own.outcome != "route"
                else "It is not open with your answers."
            )
        else:
            open_[f.id] = made.score
    return Standing(own, tuple(forms), open_, closed)


def pick(stand: Standing, asked: list[str] | None, fill: bool = True) -> list[str]:
    """The columns: the routes asked for, in their order (with ``fill``, one alone is
    followed by the best others), or the default; a route that is unknown, closed or asked
    twice is an error."""
    if not asked:
        return stand.default()
    named = {f.id: f.name for f in stand.forms}
    problems: list[Problem] = []
    if len(asked) > MAX_COLUMNS:
        problems.append(Problem("too_many"))
    seen: set[str] = set()
    for oid in asked:
        if oid not in named:
            problems.append(Problem("unknown", oid))
        elif oid in seen:
            problems.append(Problem("twice", oid, named[oid]))
        elif oid not in stand.open:
            problems.append(Problem("closed", oid, named[oid], stand.why_closed[oid]))
        seen.add(oid)
    if problems:
        raise CompareError(list(dict.fromkeys(problems)), list(named))
    if len(asked) == 1 and fill:
        return (asked + [f for f in stand.default() if f not in asked])[:MAX_COLUMNS]
    return list(asked)


def compare(
    rm: RouteMap,
    profile: Profile,
    asked: list[str] | None = None,
    only_differences: bool = False,
    fill: bool = True,
) -> R.CompareResult:
    """The routes side by side: ``asked`` the legal forms' option ids (else the default;
    with ``fill``, one alone is followed by the best others)."""
    stand = standing(rm, profile)
    cols = pick(stand, asked, fill)
    by_id = {f.id: f for f in stand.forms}
    routes = [compose(rm, profile, explain=False, fixed={FORM_CHOICE: f}) for f in cols]
    columns = []
    for oid, route in zip(cols, routes, strict=True):
        award, pension = route.choice("award"), route.choice("pension")
        columns.append(
            R.built(
                R.CompareColumn,
                option=oid,
                name=by_id[oid].name,
                own=stand.own.outcome == "route" and _own(stand.own, oid),
                award=award.option_name if award else None,
                pension=pension.option_name if pension else None,
            )
        )
    rows = [
        R.built(
            R.CompareRow,
            row=rid,
            name=name,
            cells=[
                _cell(rm, rid, by_id[oid], route, stand.own)
                for oid, route in zip(cols, routes, strict=True)
            ],
        )
        for rid, name in ROWS
    ]
    return R.built(
        R.CompareResult,
        outcome=stand.own.outcome,
        message=stand.own.message,
        columns=columns,
        rows=rows,
        routes=[
            R.built(
                R.RouteChoice,
                option=f.id,
                name=f.name,
                open=f.id in stand.open,
                why=stand.why_closed.get(f.id, ""),
            )
            for f in stand.forms
        ],
        only_differences=bool(only_differences),
        answers=stand.own.answers,
    )


def _own(own: R.RouteResult, oid: str) -> bool:
    choice = own.choice(FORM_CHOICE)
    return choice is not None and choice.option == oid


# ---- the cells -------------------------------------------------------------------------------
def _cell(rm: RouteMap, rid: str, form: ChoiceOption, route: R.RouteResult, own) -> R.Cell:
    lines, sources = _ROW[rid](rm, form, route, own) if rid in _ROW else _fact(rid, form)
    if not lines:
        return R.built(R.Cell, lines=[NOT_PUBLISHED], sources=[])
    return R.built(R.Cell, lines=lines, sources=list(dict.fromkeys(sources)))


def _fact(rid: str, form: ChoiceOption):
    fact = getattr(form.facts, rid, None) if form.facts else None
    if fact is None:
        return [], []
    return [fact.text], list(fact.sources)


def _what(rm, form: ChoiceOption, route, own):
    return [form.summary], list(form.sources)


def _registrations(rm, form: ChoiceOption, route: R.RouteResult, own):
    """The form's own registrations: who registers it, its forms, fee and time; the other
    registrations this route needs, by name (the same for every form); the yearly returns."""
    lines, sources, others = [], [], []
    for step in route.steps:
        st = rm.stations[step.station]
        if st.kind != "registration" or step.topic == "pension":
            continue
        if st.id not in form.stations:
            others.append(st)
            continue
        forms = [f"{d.name} ({d.code})" if d.code else d.name for d in st.documents]
        forms = [f for f in forms if "personal code" not in f]  # the same for every company
        said = f"{st.name}, with {names(st.who, 'and')}"
        if forms:
            said += ": " + "; ".join(forms)
        said += f". Fee: {_lower(st.cost.text)}. Time: {_lower(st.duration.text)}."
        lines.append(said)
        sources += [*st.cost.sources, *st.duration.sources, *st.sources]
    if others:
        lines.append("Also, on your answers: " + "; ".join(st.name for st in others) + ".")
        sources += [src for st in others for src in st.sources]
    yearly = [
        rm.stations[s.station]
        for s in route.steps
        if s.topic == "first_year" and s.station in form.stations
    ]
    if yearly:
        lines.append("Each year: " + "; ".join(st.name for st in yearly) + ".")
        sources += [src for st in yearly for src in st.sources]
    return lines, sources


def _award(rm, form, route: R.RouteResult, own):
    choice = route.choice("award")
    if choice is None or route.outcome != "route":
        return [], []
    model = route_model(rm)
    lines, sources = [], []
    if choice.option:
        lines.append(f"{choice.option_name}, on your answers.")
        sources += choice.sources
    elif choice.still_open:
        open_names = [model.options[o].name for o in choice.still_open]
        lines.append("Still to decide: " + names(open_names) + ".")
        sources += [s for o in choice.still_open for s in model.options[o].sources]
    also = [o.name for o in choice.others if o.open and o.option not in choice.still_open]
    if also:
        lines.append("Also open: " + names(also, "and") + ".")
        sources += [
            s for o in choice.others if o.name in also for s in model.options[o.option].sources
        ]
    for c in choice.conditions:
        lines.append(f"{c.name}: {STATE_WORDS[c.state]}. {c.text}")
        sources += c.sources
    return lines, sources


def _people(rm, form, route: R.RouteResult, own):
    """TUPE and the pension: what follows the parent body, not the legal form, said so."""
    lines, sources = [], []
    tupe = rm.stations.get("tupe")
    if tupe is not None and any(s.station == "tupe" for s in route.steps):
        lines.append(tupe.summary)
        sources += [*tupe.duration.sources, *tupe.sources]
    choice = route.choice("pension")
    if choice is not None and choice.option:
        model = route_model(rm)
        opt = model.options[choice.option]
        lines.append(f"{choice.option_name}: {opt.summary}")
        sources += opt.sources
    elif choice is not None and choice.undecided:
        lines.append(choice.undecided)
        sources += [
            s
            for o in route_model(rm).choices
            if o.id == "pension"
            for x in o.options
            for s in x.sources
        ]
    if lines:
        lines.append(
            "Both follow the body the staff leave and the law of transfers, not the legal form."
        )
    return lines, sources


def _journey(rm, form, route: R.RouteResult, own):
    lines = [j.text for j in route.estimate.journey]
    return lines, [s for j in route.estimate.journey for s in j.sources]


def _examples(rm, form: ChoiceOption, route: R.RouteResult, own):
    """The real organisations that took this form, by date: how they began and, where a
    possible future's station tells it, how they ended."""
    lines, sources = [], []
    for st, ex in _examples_of(rm).get(form.id, ()):
        lead = f"{st.name}: " if st.kind == "outcome" else ""
        lines.append(lead + _dated(ex.text, ex.date))
        sources += ex.sources
    return lines, sources


def _examples_of(rm: RouteMap) -> dict[str, list]:
    """Legal form -> (station, example) for each example tagged with it, oldest first."""

    def make():
        out: dict[str, list] = {}
        for st in rm.data.stations:
            for ex in st.examples:
                for f in ex.forms:
                    out.setdefault(f, []).append((st, ex))
        for items in out.values():
            items.sort(key=lambda se: str(se[1].date or "9999"))
        return out

    return rm.cached("compare-examples", make)


def _for_you(rm, form: ChoiceOption, route: R.RouteResult, own: R.RouteResult):
    """The personal reason each route fits or does not, in the team's own route's words."""
    choice = own.choice(FORM_CHOICE)
    if choice is None or own.outcome != "route":
        return [], []
    if choice.option == form.id:
        return (
            ["Your route: " + " ".join(r.text for r in choice.reasons)],
            [s for r in choice.reasons for s in r.sources] or list(form.sources),
        )
    other = next((o for o in choice.others if o.option == form.id), None)
    if other is None:
        return [], []
    lines = [other.why]
    if choice.option and other.open:  # the way to the comparison's other half
        lines.append(f"Your answers chose {choice.option_name}: its column says why.")
    return lines, list(form.sources)


_ROW = {
    "what": _what,
    "registrations": _registrations,
    "award": _award,
    "people": _people,
    "journey": _journey,
    "examples": _examples,
    "for_you": _for_you,
}


def _dated(text: str, date) -> str:
    return f"{text} ({date_words(str(date))})" if date else f"{text} (date not published)"


def _lower(text: str) -> str:
    if len(text) > 1 and text[1].isupper():
        return text
    return text[:1].lower() + text[1:]
