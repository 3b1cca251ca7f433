"""An answer as a person reads it: its option's label, "Not sure", or the number.

Its own module so that the route's words and the words of a problem with an answer
(``answerproblems``, which the answer check imports) share it without an import cycle.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..core import RouteMap

NOT_SURE = "not_sure"


def answer_label(rm: RouteMap, qid: str, value: Any) -> str:
    if value == NOT_SURE:
        return "Not sure"
    q = rm.questions[qid]
    if q.kind == "number":
        return f"{value:,}" if isinstance(value, int) else str(value)
    return next((o.label for o in q.options if o.value == value), str(value))
