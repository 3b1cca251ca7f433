"""One object per kind of question, each parsing its own input (as GOV.UK Smart Answers does).

A question takes one answer (``choice``: radios), a whole number (``number``: a box) or several
answers (``several``: checkboxes). Every front door goes through these objects: the answers
check (a link, a form, an answers file, the API, the CLI), the words an answer is said in, the
link's text for it, the API's schema for it, the what-if probes, and the question page's form.

An answer's value is ``not_sure``, or: a choice's answer value (text); a whole number; for
several answers a tuple of answer values in the question's order (a link writes them comma-
separated, a file or the API as a list).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from .answerproblems import AnswerProblem, problem
from .answerwords import NOT_SURE, several_words

if TYPE_CHECKING:
    from ..models import Question

Parsed = tuple[Any, AnswerProblem | None]


def allowed_values(q: Question) -> list[str]:
    values = [o.value for o in q.options]
    return values + ([NOT_SURE] if NOT_SURE not in values else [])


class ChoiceKind:
    name = "choice"

    def parse(self, q: Question, raw: Any, where: str, *, text_numbers: bool = True) -> Parsed:
        retired = next((r for r in q.retired if r.value == raw), None)
        if retired:
            labels = {o.value: o.label for o in q.options}
            now = tuple((v, labels[v]) for v in retired.now)
            return None, problem("answer_retired", where, value=raw, label=retired.label, now=now)
        if not isinstance(raw, str) or raw not in allowed_values(q):
            return None, problem("answer_not_allowed", where, allowed=allowed_values(q))
        return raw, None

    def words(self, q: Question, value: Any) -> str:
        return next((o.label for o in q.options if o.value == value), str(value))

    def link_value(self, q: Question, value: Any) -> str:
        return str(value)

    def schema(self, q: Question) -> dict[str, Any]:
        return {"type": "string", "enum": allowed_values(q)}

    def probes(self, q: Question) -> list[Any]:
        return [o.value for o in q.options if o.value != NOT_SURE]

    def from_form(self, q: Question, given: list[str]) -> str | None:
        return given[0] if given else None


class NumberKind:
    name = "number"

    def parse(self, q: Question, raw: Any, where: str, *, text_numbers: bool = True) -> Parsed:
        if raw == NOT_SURE:
            return NOT_SURE, None
        value = None
        if isinstance(raw, bool):
            value = None
        elif isinstance(raw, int):
            value = raw
        elif isinstance(raw, float) and not text_numbers and raw.is_integer():
            value = int(raw)
        elif text_numbers and isinstance(raw, str) and re.fullmatch(r"\s*\d{1,9}\s*", raw):
            value = int(raw)
        low = q.minimum if q.minimum is not None else 0
        high = q.maximum
        if value is None or value < low or (high is not None and value > high):
            return None, problem("not_a_number", where, minimum=low, maximum=high)
        return value, None

    def words(self, q: Question, value: Any) -> str:
        return f"{value:,}" if isinstance(value, int) else str(value)

    def link_value(self, q: Question, value: Any) -> str:
        return str(value)

    def schema(self, q: Question) -> dict[str, Any]:
        number: dict[str, Any] = {"type": "integer", "minimum": q.minimum or 0}
        if q.maximum is not None:
            number["maximum"] = q.maximum
        return {"anyOf": [number, {"const": NOT_SURE}]}

    def probes(self, q: Question) -> list[Any]:
        return []  # the route model's own bounds (compose.probes) are the numbers to try

    def from_form(self, q: Question, given: list[str]) -> str | None:
        return given[0].replace(",", "").strip() if given else None


class SeveralKind:
    """Checkboxes: one or more answers, or one answer marked ``alone`` ("None of these")."""

    name = "several"

    def parse(self, q: Question, raw: Any, where: str, *, text_numbers: bool = True) -> Parsed:
        if raw == NOT_SURE:
            return NOT_SURE, None
        if isinstance(raw, str) and text_numbers:  # a link or a form: comma-separated
            items: Any = [s for s in re.split(r"[,\s]+", raw) if s]
        elif isinstance(raw, str):  # the API's JSON gives a list
            return None, problem("answer_not_allowed", where, allowed=allowed_values(q))
        else:
            items = raw
        values = [o.value for o in q.options]
        if not isinstance(items, list | tuple) or not all(isinstance(v, str) for v in items):
            return None, problem("answer_not_allowed", where, allowed=allowed_values(q))
        if not items:
            return None, problem("answer_missing", where, allowed=allowed_values(q))
        if any(v not in values for v in items):
            return None, problem("answer_not_allowed", where, allowed=allowed_values(q))
        if len(set(items)) < len(items):
            return None, problem("given_twice", where)
        alone = next((o for o in q.options if o.alone and o.value in items), None)
        if alone is not None and len(set(items)) > 1:
            return None, problem("answer_not_alone", where, value=alone.value, label=alone.label)
        return tuple(v for v in values if v in items), None

    def words(self, q: Question, value: Any) -> str:
        return several_words(q, value)

    def link_value(self, q: Question, value: Any) -> str:
        return ",".join(value) if isinstance(value, tuple) else str(value)

    def link_pattern(self, q: Question) -> str:
        """The answer as a link writes it, for a schema: comma-separated answers, each once, or
        one answer that stands alone, or not sure (what ``parse`` accepts from a link)."""
        many = "|".join(re.escape(o.value) for o in q.options if not o.alone)
        alone = "".join(f"|{re.escape(o.value)}" for o in q.options if o.alone)
        once = f"(?!.*(?:^|,)({many})(?:,.*)?,\\1(?:,|$))"  # no answer given twice
        return f"^{once}(?:{re.escape(NOT_SURE)}{alone}|(?:{many})(?:,(?:{many}))*)$"

    def schema(self, q: Question) -> dict[str, Any]:
        many = [o.value for o in q.options if not o.alone]
        alone = [o.value for o in q.options if o.alone]
        return {
            "anyOf": [
                {
                    "type": "array",
                    "items": {"type": "string", "enum": many},
                    "minItems": 1,
                    "uniqueItems": True,
                },
                *(
                    [
                        {
                            "type": "array",
                            "items": {"type": "string", "enum": alone},
                            "minItems": 1,
                            "maxItems": 1,
                        }
                    ]
                    if alone
                    else []
                ),
                {"const": NOT_SURE},
            ]
        }

    def probes(self, q: Question) -> list[Any]:
        return [(o.value,) for o in q.options]

    def from_form(self, q: Question, given: list[str]) -> str | None:
        return ",".join(given) if given else None


KINDS = {k.name: k for k in (ChoiceKind(), NumberKind(), SeveralKind())}


def kind_of(q: Question) -> ChoiceKind | NumberKind | SeveralKind:
    return KINDS[q.kind]
