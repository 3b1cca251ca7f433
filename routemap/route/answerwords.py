"""An answer as a person reads it: its option's label, "Not sure", or the number.

Its own module so that the route's words and the words of a problem with an answer
(``answerproblems``, which the answer check imports) share it without an import cycle.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..core import RouteMap

NOT_SURE = "not_sure"


def several_words(q: Any, value: Any) -> str:
    """Several answers in words: "Personal care and Treatment of disease…"."""
    if not isinstance(value, tuple):
        return str(value)
    labels = [o.label for o in q.options if o.value in value]
    if len(labels) <= 1:
        return "".join(labels)
    return "; ".join(labels[:-1]) + " and " + labels[-1]


def answer_label(rm: RouteMap, qid: str, value: Any) -> str:
    if value == NOT_SURE or value is None:
        return "Not sure"
    q = rm.questions[qid]
    if q.kind == "number":
        return f"{value:,}" if isinstance(value, int) else str(value)
    if q.kind == "several":
        return several_words(q, value)
    return next((o.label for o in q.options if o.value == value), str(value))
