"""The typed results of the route model: the route, "what next" and the what-if comparison.

The CLI, the API (these models are its OpenAPI schemas) and the pages all read these; words a
person reads are made from them in one place per front door, and nothing parses them back.
Ids (``station``, ``line``, ``question``, ``option``) are for links and machines; every field
a person reads (``name``, ``text``, ``reason``...) is already in plain words.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, computed_field
from pydantic_core import PydanticUndefined

Basis = Literal["answer", "choice", "law", "practice"]
# an answer: an answer value, a whole number, or several answer values
AnswerValue = str | int | list[str]
StepStatus = Literal["to_do", "in_place", "done", "in_progress", "skipped"]
Outcome = Literal["route", "conflict", "nothing_open"]


class Out(BaseModel):
    model_config = ConfigDict(frozen=True)


# each result class's defaults (in field order), and those that are lists: each result gets
# its own copy of those it is not given
_DEFAULTS: dict[type, tuple[dict[str, Any], tuple[str, ...]]] = {}


def built(cls: type[Out], **values: Any) -> Any:
    """A result made from values the route model already made right: ``model_construct``
    without its per-field work (a route makes a hundred of these; the API still checks every
    result against its schema in the tests). Fields left out take their defaults."""
    defaults = _DEFAULTS.get(cls)
    if defaults is None:
        fields = {
            name: f.default
            for name, f in cls.model_fields.items()
            if f.default is not PydanticUndefined
        }
        defaults = (fields, tuple(k for k, v in fields.items() if type(v) is list))
        _DEFAULTS[cls] = defaults
    fields, lists = defaults
    data = fields.copy()
    for k in lists:
        if k not in values:
            data[k] = list(fields[k])
    data.update(values)
    obj = cls.__new__(cls)
    object.__setattr__(obj, "__dict__", data)
    object.__setattr__(obj, "__pydantic_fields_set__", set(values))
    object.__setattr__(obj, "__pydantic_extra__", None)
    object.__setattr__(obj, "__pydantic_private__", None)
    return obj


class Reason(Out):
    """One reason a step is on this route: an answer (with the rule), a choice, a legal duty
    or the practice of past spin-outs."""

    text: str
    basis: Basis
    questions: list[str] = Field(default=[], description="Question ids behind it (answers)")
    rule: str | None = Field(None, description="The rule id, where a rule gave it")
    sources: list[str] = []


class Step(Out):
    """A step of the route: a station the team passes, with why it is on *this* route."""

    number: int = Field(description="1, 2, 3... the one count of steps everywhere")
    station: str
    name: str
    topic: str
    line: str | None = Field(
        description="The map line the route is drawn on to reach this step: a line of an option "
        "the team chose; None for a stop off those lines, drawn as a plain stop"
    )
    status: StepStatus
    reasons: list[Reason]
    if_skipped: str | None = Field(None, description="What goes wrong without it")
    own: bool = Field(description="An answer, a choice or a legal duty puts it here")

    @computed_field  # type: ignore[prop-decorator]
    @property
    def reason(self) -> str:
        return " ".join(r.text for r in self.reasons)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def cites_answers(self) -> bool:
        """A reason cites an answer of the team's (its words say what it means for them)."""
        return any(r.basis == "answer" and r.questions for r in self.reasons)


class OptionNotTaken(Out):
    option: str
    name: str
    open: bool = Field(description="Still possible with your answers (else closed to you)")
    why: str


ConditionState = Literal["met", "broken", "open"]


class ConditionOut(Out):
    """A legal condition on an option, and how the answers stand against it."""

    condition: str
    name: str
    state: ConditionState
    text: str = Field(description="Why it is met or broken, or what to find out")
    questions: list[str] = Field(default=[], description="The answers it turns on")
    sources: list[str] = []


DeciderKind = Literal["question", "find_out", "choose"]


class Decider(Out):
    """What would decide an undecided choice: a question to answer, a fact to find out, or,
    where the answers weigh equally, a choice to make with an adviser."""

    kind: DeciderKind
    text: str
    question: str | None = None
    condition: str | None = None


class ChoiceMade(Out):
    """One choice of the route: the option taken and why, and every other option and why not;
    or, undecided, the options still open and what would decide between them."""

    choice: str
    name: str
    option: str | None = Field(None, description="None: undecided, or nothing open")
    option_name: str | None = None
    summary: str | None = None
    reasons: list[Reason] = []
    undecided: str | None = Field(None, description="Undecided: why, and what decides it, in words")
    still_open: list[str] = Field(default=[], description="Undecided: the options still open")
    decide_by: list[Decider] = []
    conditions: list[ConditionOut] = Field(
        default=[], description="The legal conditions on the option taken (or still open)"
    )
    others: list[OptionNotTaken] = []
    sources: list[str] = []


class LeftOff(Out):
    """A stage left off this route, and why."""

    station: str
    name: str
    reason: str
    questions: list[str] = []


class ExampleOut(Out):
    text: str
    date: str | None = None
    sources: list[str] = []


class FutureOut(Out):
    """What can happen when the first contract ends: a possible future, never the goal."""

    station: str
    name: str
    summary: str
    examples: list[ExampleOut]


class JourneyOut(Out):
    text: str
    min_months: int | None = None
    max_months: int | None = None
    sources: list[str]


class StepFigure(Out):
    """A step's indicative duration or fee, in the station's words, with its sources."""

    station: str
    name: str
    text: str
    min_days: int | None = None
    max_days: int | None = None
    sources: list[str]


class Estimate(Out):
    """The journey, from decision to go-live: ranges from dated examples, the steps with a
    published duration or fee, and the steps where neither is published."""

    journey: list[JourneyOut]
    durations: list[StepFigure]
    fees: list[StepFigure]
    not_published: list[str] = Field(description="Names of steps with no published figure")


class Nearest(Out):
    """The nearest open route when the answers leave none: one answer changed."""

    question: str
    question_text: str
    answer: AnswerValue
    answer_label: str
    summary: str = Field(description="The route it opens, in words")
    answers: dict[str, AnswerValue] = Field(description="The answers with that one changed")


class OtherWay(Out):
    """A way to deliver the service that is not a mutual (a comparison line)."""

    line: str
    name: str
    summary: str


class AnswerEffect(Out):
    """What one answer changes on this route, in words."""

    question: str
    text: str
    answer: AnswerValue
    label: str
    given: bool
    effects: list[str]


class Stroke(Out):
    line: str
    source: str
    target: str


class Drawing(Out):
    """The route on the map: the stations it stops at and the stretches of line it rides."""

    stations: list[str]
    strokes: list[Stroke]
    lines: list[str] = Field(description="The lines it rides, in order of first use")


class ReadinessAnswer(Out):
    question: str
    text: str
    answer: AnswerValue
    label: str
    points: int
    of: int


class ReadinessArea(Out):
    area: str
    name: str
    points: int
    possible: int
    percent: int | None = Field(description="None where no answer in the area is scored")
    level: str
    answers: list[ReadinessAnswer]


class RouteResult(Out):
    """The personalised route: composed of the choices, ending with the new organisation
    running the service and its first year's duties."""

    outcome: Outcome
    heading: str = Field(
        description="The route in a heading: its legal form, or that it is not decided"
    )
    message: str = Field(description="Said plainly when no route is open; else empty")
    steps: list[Step]
    choices: list[ChoiceMade]
    left_off: list[LeftOff]
    futures: list[FutureOut]
    estimate: Estimate
    nearest: list[Nearest]
    other_ways: list[OtherWay]
    answer_effects: list[AnswerEffect]
    readiness: list[ReadinessArea] = Field(description="By area, weakest first")
    answers: dict[str, AnswerValue] = Field(
        description="Every answer (not_sure where none; several answers as a list)"
    )
    done: list[str]
    drawing: Drawing

    @computed_field  # type: ignore[prop-decorator]
    @property
    def step_count(self) -> int:
        return len(self.steps)

    def choice(self, cid: str) -> ChoiceMade | None:
        return next((c for c in self.choices if c.choice == cid), None)

    def option_of(self, cid: str) -> str | None:
        c = self.choice(cid)
        return c.option if c else None


# ---- what next -------------------------------------------------------------------------------
State = Literal["done", "in_place", "in_progress", "skipped", "can_start", "cannot_start_yet"]


class FormOut(Out):
    name: str
    code: str | None = None


class SupportOut(Out):
    station: str
    name: str
    eligibility: str


class StepState(Out):
    """A step's honest state for an adviser."""

    number: int
    station: str
    name: str
    line: str | None
    state: State
    note: str | None = Field(None, description="skipped: the note")
    blocked_by: list[str] = Field(default=[], description="cannot_start_yet: station ids")
    blocked_by_names: list[str] = []


class CanStart(Out):
    station: str
    name: str
    line: str | None
    forms: list[FormOut]
    who: list[str]
    duration: str
    cost: str
    support: list[SupportOut]


class NotSure(Out):
    question: str
    text: str
    answers_that_change_the_route: list[AnswerValue]
    labels: list[str] = Field(description="The same answers, in words")


class WeakArea(Out):
    area: str
    name: str
    percent: int | None
    level: str
    support: list[SupportOut]


class Deadline(Out):
    station: str
    name: str
    deadline: str


class Progress(Out):
    done: int = Field(description="Steps done or already in place")
    total: int = Field(description="Every step of the route (the one count of steps)")
    percent: int = Field(description="done / total; 'skipped' never counts as done")
    in_progress: int
    skipped: int


class NextResult(Out):
    route: RouteResult
    states: list[StepState]
    can_start: list[CanStart]
    blocked: list[StepState]
    in_progress: list[StepState]
    not_sure: list[NotSure]
    weakest_areas: list[WeakArea]
    deadlines: list[Deadline]
    progress: Progress
    notes: list[str]


# ---- what if ---------------------------------------------------------------------------------
class ChoiceChange(Out):
    choice: str
    name: str
    before: str | None
    after: str | None
    why: str


class StepChange(Out):
    station: str
    name: str
    why: str


class WhatIf(Out):
    """One answer changed: what changes on the route, and why; or that nothing does, and why."""

    question: str
    text: str
    before: AnswerValue
    before_label: str
    after: AnswerValue
    after_label: str
    changed: bool
    summary: str = Field(description="In words: what changes, or 'Nothing changes, because …'")
    outcome_before: Outcome
    outcome_after: Outcome
    choices: list[ChoiceChange]
    added: list[StepChange]
    removed: list[StepChange]
    status_changes: list[StepChange]
    reason_changes: list[str] = Field(description="Names of steps whose reasons change")
    readiness_changes: list[str]
    answers: dict[str, AnswerValue] = Field(description="The answers with the change made")


# ---- routes side by side ---------------------------------------------------------------------
class Cell(Out):
    """One route's answer to one row: its lines in words (``Not published`` where no source
    gives it), and the sources behind them."""

    lines: list[str]
    sources: list[str] = []

    @computed_field  # type: ignore[prop-decorator]
    @property
    def text(self) -> str:
        return " ".join(self.lines)


class CompareRow(Out):
    row: str = Field(description="The row's id (owners, profits, asset_lock…)")
    name: str
    cells: list[Cell] = Field(description="One per column, in the columns' order")

    @computed_field  # type: ignore[prop-decorator]
    @property
    def same(self) -> bool:
        """Every column says the same: "only the differences" hides it."""
        return all(c.lines == self.cells[0].lines for c in self.cells[1:])


class CompareColumn(Out):
    option: str = Field(description="The legal form's option id (the link's `route`)")
    name: str
    own: bool = Field(description="The team's own route: the legal form its answers chose")
    award: str | None = Field(description="How the work would be awarded, or None: undecided")
    pension: str | None


class RouteChoice(Out):
    """A legal form the team could compare: open with its answers, or closed and why."""

    option: str
    name: str
    open: bool
    why: str = Field(description="Closed: why; open: empty")


class CompareResult(Out):
    """Two or three routes side by side, one per legal form, for an options appraisal: every
    cell with its sources, or "Not published"; no ranking, no score."""

    outcome: Outcome = Field(description="The team's own route: open, or why not")
    message: str = Field(description="Said plainly when no route is open; else empty")
    columns: list[CompareColumn]
    rows: list[CompareRow]
    routes: list[RouteChoice] = Field(description="Every legal form: open to swap in, or why not")
    only_differences: bool
    answers: dict[str, AnswerValue]

    @computed_field  # type: ignore[prop-decorator]
    @property
    def shown(self) -> list[str]:
        """The rows shown: every row, or with "only the differences" those that differ."""
        return [r.row for r in self.rows if not (self.only_differences and r.same)]
