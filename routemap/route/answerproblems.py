"""Problems with answers and progress (a link, a form, an answers file, the CLI), typed.

A problem is a code, its parameters and where it is (the key it is about: a question id, a
progress list, ``note_<station>``, ``link`` for the link as a whole, or the file). It is
turned into words in one place, :func:`words`, so the pages, the CLI and the API say the same
thing, and code that acts on a problem (the fix a page offers) reads its ``code``, never its
text.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from .answerwords import NOT_SURE, answer_label

Code = Literal[
    # the link as a whole
    "too_many_parameters",
    "no_answers",
    "unknown_parameter",
    "given_twice",
    "bad_origin",
    # answers
    "not_a_mapping",
    "key_not_text",
    "unknown_question",
    "answer_not_allowed",
    "answer_retired",
    "answer_missing",
    "answer_not_alone",
    "question_retired",
    "not_a_number",
    "bad_change",
    # progress
    "not_a_list",
    "unknown_station",
    "unknown_progress_list",
    "station_in_two_lists",
    "note_not_text",
    "note_unknown_station",
    "note_on_unskipped_station",
    "note_too_long",
    # the answers file
    "file_not_found",
    "file_unreadable",
    "file_too_large",
    "file_not_utf8",
    "file_not_parsed",
    "unknown_file_key",
]

LINK = "link"  # the location of a problem with the link as a whole


@dataclass(frozen=True)
class AnswerProblem:
    """One problem: ``code`` says what, ``location`` where, ``params`` the details."""

    code: Code
    location: str
    params: tuple[tuple[str, Any], ...] = ()

    def param(self, name: str, default: Any = None) -> Any:
        return dict(self.params).get(name, default)

    @property
    def key(self) -> str:
        """The parameter (or ``link``) the problem is about: a page links its field by it."""
        return self.location

    @property
    def message(self) -> str:
        return words(self)

    def text(self) -> str:
        return f"{self.location}: {self.message}"

    def __str__(self) -> str:
        return self.text()


def problem(code: Code, location: str, **params: Any) -> AnswerProblem:
    """An :class:`AnswerProblem`; list parameters are kept as tuples (a problem is a value)."""
    frozen = tuple(
        (k, tuple(v) if isinstance(v, list | tuple | set | frozenset) else v)
        for k, v in sorted(params.items())
    )
    return AnswerProblem(code, location, frozen)


def _two_lists(p: AnswerProblem) -> str:
    others = "in progress or skipped" if p.location == "done" else "skipped"
    return f"'{p.param('station')}' cannot also be {others}"


def _range(p: AnswerProblem) -> str:
    high = p.param("maximum")
    return f"a whole number from {p.param('minimum', 0)}" + (
        f" to {high}" if high is not None else ""
    )


def _number(p: AnswerProblem) -> str:
    return f"must be {_range(p)}, or not_sure"


def _join(p: AnswerProblem, name: str) -> str:
    return ", ".join(str(v) for v in p.param(name, ()))


# the words of each code, without the location (the one place problems become words)
_WORDS: dict[str, Any] = {
    "too_many_parameters": lambda p: f"has too many parameters (at most {p.param('limit')})",
    "no_answers": lambda p: "has no answers in it",
    "unknown_parameter": lambda p: (
        "is not a question of this map or a progress list (questions: "
        + _join(p, "questions")
        + "; progress: done, in_progress, skipped, and note_<station> for a "
        "skipped station's note; from=adviser to go back to the adviser view)"
    ),
    "given_twice": lambda p: "is given more than once; give it once",
    "bad_origin": lambda p: (
        f"'{p.param('value')}' is not a page to go back to (allowed: {_join(p, 'allowed')})"
    ),
    "not_a_mapping": lambda p: "must be a mapping of question id to answer",
    "key_not_text": lambda p: "every key must be a question id (text)",
    "unknown_question": lambda p: f"unknown question (known: {_join(p, 'known')})",
    "answer_not_allowed": lambda p: f"must be one of {_join(p, 'allowed')}",
    "answer_retired": lambda p: (
        f"'{p.param('value')}' ({p.param('label')}) is no longer an answer: it is now "
        + " or ".join(f"{v} ({label})" for v, label in p.param("now", ()))
        + "; give the one that fits the service"
    ),
    "answer_missing": lambda p: f"give at least one of {_join(p, 'allowed')}",
    "answer_not_alone": lambda p: (
        f"'{p.param('value')}' ({p.param('label')}) is given alone, not with other answers"
    ),
    "question_retired": lambda p: (
        f"this question is no longer asked: answer '{p.param('now')}' ({p.param('now_text')}) "
        "instead"
        + (
            " (" + "; ".join(f"'{a}' there is '{b}'" for a, b in p.param("mapped", ())) + ")"
            if p.param("mapped")
            else ""
        )
    ),
    "not_a_number": _number,
    "bad_change": lambda p: "give QUESTION=ANSWER, e.g. commissioner_support=no",
    "not_a_list": lambda p: "must be a list of station ids",
    "unknown_station": lambda p: f"unknown station '{p.param('station')}'",
    "unknown_progress_list": lambda p: f"unknown progress list (known: {_join(p, 'known')})",
    "station_in_two_lists": _two_lists,
    "note_not_text": lambda p: f"the note for '{p.param('station')}' must be text",
    "note_unknown_station": lambda p: f"'{p.param('station')}' is not a station of this map",
    "note_on_unskipped_station": lambda p: (
        f"a note is only kept for a skipped station: add {p.param('station')} to skipped"
    ),
    "note_too_long": lambda p: f"is too long (at most {p.param('limit')} characters)",
    "file_not_found": lambda p: "file not found",
    "file_unreadable": lambda p: f"cannot be read ({p.param('reason')})",
    "file_too_large": lambda p: "too large for an answers file",
    "file_not_utf8": lambda p: "not valid UTF-8 text",
    "file_not_parsed": lambda p: (
        "cannot be read as JSON or YAML"
        + (f" at line {p.param('line')}" if p.param("line") else "")
        + (f": {p.param('reason')}" if p.param("reason") else "")
    ),
    "unknown_file_key": lambda p: "unknown key in answers file",
}


def words(p: AnswerProblem) -> str:
    """The problem as a person reads it (after its location): the one place for these words."""
    return _WORDS[p.code](p)


# The API's words differ where the API never echoes input (a station is named by where it is,
# ``body.done[1]``) or where JSON asks for more (a number, not text).
_API_WORDS: dict[str, Any] = {
    "not_a_number": lambda p: f'must be {_range(p)} (a JSON number), or "not_sure"',
    "unknown_station": lambda p: (
        "not a station id of this map (GET /api/v1/stations lists them)"
        if p.param("index") is not None
        else "a key is not a station id of this map (GET /api/v1/stations lists them)"
    ),
    "note_not_text": lambda p: "the note must be text",
    "note_too_long": lambda p: f"the note is too long (at most {p.param('limit')})",
    "station_in_two_lists": lambda p: (
        f"this station is also {p.param('also')}: a station has one state"
    ),
}


def api_words(p: AnswerProblem) -> str:
    """The problem as the JSON API words it (its ``location`` is already the API's)."""
    return _API_WORDS.get(p.code, words)(p)


# ---- the words of a page ----------------------------------------------------------------------
# A page names what a problem is about by what its reader saw (a question's text, a step's name,
# an answer's label), never by the ids a link or an answers file holds; the CLI and the API speak
# in the ids their users type, with ``words`` and ``api_words``.
LIST_NAMES = {"done": "steps done", "in_progress": "steps in progress", "skipped": "steps skipped"}
_OTHERS = {"done": "in progress or skipped", "in_progress": "skipped"}
_NOTE = "note_"


def _station(rm: Any, sid: Any) -> str:
    st = rm.stations.get(sid) if isinstance(sid, str) else None
    return f"“{st.name}”" if st else f"“{sid}”"


def _answer(rm: Any, qid: str, value: Any) -> str:
    if qid in rm.questions or value == NOT_SURE:
        return answer_label(rm, qid, value)
    return str(value)


def page_subject(p: AnswerProblem, rm: Any) -> str:
    """What the problem is about, as the page's reader knows it."""
    key = p.location
    if key in rm.questions:
        return rm.questions[key].text
    if p.code == "question_retired":
        return p.param("text") or "A question this map no longer asks"
    if key in LIST_NAMES:
        return LIST_NAMES[key].capitalize()
    if key == LINK:
        return "The link"
    if key == "from":
        return "The page to go back to"
    if key.startswith(_NOTE) and p.code.startswith("note_"):
        sid = key[len(_NOTE) :]
        return f"The note on {_station(rm, sid)}" if sid in rm.stations else "A note"
    return f"“{key}”"


_PAGE_WORDS: dict[str, Any] = {
    "too_many_parameters": lambda p, rm: f"has too many parts (at most {p.param('limit')})",
    "unknown_parameter": lambda p, rm: (
        "is not something this map asks about: the link may come from an older version of the "
        "map, or part of it may have been mistyped"
    ),
    "given_twice": lambda p, rm: "is given more than once",
    "bad_origin": lambda p, rm: "is not a page of this service",
    "not_a_mapping": lambda p, rm: "must list the answers, one to each question",
    "key_not_text": lambda p, rm: "must name each answer's question",
    "unknown_question": lambda p, rm: "is not a question this map asks",
    "answer_not_allowed": lambda p, rm: (
        "must be one of: " + ", ".join(_answer(rm, p.location, v) for v in p.param("allowed", ()))
    ),
    "answer_retired": lambda p, rm: (
        f"“{p.param('label')}” is no longer an answer: it is now "
        + " or ".join(f"“{label}”" for _v, label in p.param("now", ()))
        + "; choose the one that fits the service"
    ),
    "answer_missing": lambda p, rm: "needs at least one answer ticked, or “Not sure”",
    "answer_not_alone": lambda p, rm: f"“{p.param('label')}” cannot be ticked with another answer",
    "question_retired": lambda p, rm: f"is no longer asked: answer “{p.param('now_text')}” instead",
    "not_a_number": lambda p, rm: f"must be {_range(p)}, or “Not sure”",
    "bad_change": lambda p, rm: "must say which answer changes, and to what",
    "not_a_list": lambda p, rm: "must be a list of steps",
    "unknown_station": lambda p, rm: (
        f"names a step this map does not have ({_station(rm, p.param('station'))})"
    ),
    "unknown_progress_list": lambda p, rm: "is not a list of steps this map keeps",
    "station_in_two_lists": lambda p, rm: (
        f"{_station(rm, p.param('station'))} cannot also be {_OTHERS.get(p.location, 'skipped')}"
    ),
    "note_not_text": lambda p, rm: "must be text",
    "note_unknown_station": lambda p, rm: (
        f"is for a step this map does not have ({_station(rm, p.param('station'))})"
    ),
    "note_on_unskipped_station": lambda p, rm: (
        f"is kept only for a skipped step: mark {_station(rm, p.param('station'))} as skipped"
    ),
    "unknown_file_key": lambda p, rm: "is not something an answers file holds",
}


def page_words(p: AnswerProblem, rm: Any) -> str:
    """What is wrong, as a page says it (after :func:`page_subject`)."""
    worded = _PAGE_WORDS.get(p.code)
    return worded(p, rm) if worded else words(p)
