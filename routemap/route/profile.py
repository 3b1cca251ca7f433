"""Profiles: a set of named answers (question id -> answer), plus progress, checked strictly.

The API, the CLI, URLs and answers files all go through :func:`parse_answers`, so a bad key
or value gets the same message everywhere: it names the key and the allowed values. A missing
answer counts as ``not_sure``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

from ..boundedparse import TooComplex, Unreadable, load_json, load_yaml
from ..core import RouteMap
from .answerproblems import AnswerProblem, problem
from .answerwords import NOT_SURE
from .kinds import kind_of

PROGRESS_KEYS = ("done", "in_progress", "skipped")

# The limits of answers and progress, declared once: the link, the forms, the answers file,
# the API's schema and the CLI all read these.
MAX_ANSWERS_BYTES = 200_000  # an answers file
MAX_NOTE = 500  # the note on a skipped station, in characters
MAX_SHOWN = 60  # a key or id shown back in a message, in characters


class AnswersError(ValueError):
    """Bad answers or progress; ``problems`` lists each as a typed :class:`AnswerProblem`
    (``str(problem)`` is its words, 'key: message')."""

    def __init__(self, problems: list[AnswerProblem]):
        self.problems = list(problems)
        super().__init__("; ".join(str(p) for p in self.problems))


@dataclass(frozen=True)
class Profile:
    # every question, missing ones as "not_sure"; several answers as a tuple of values
    answers: Mapping[str, str | int | tuple[str, ...]]
    given: frozenset[str]  # the question ids actually answered
    done: frozenset[str] = frozenset()
    in_progress: frozenset[str] = frozenset()
    skipped: Mapping[str, str] = field(default_factory=dict)  # station -> note
    # retired station ids the progress named, each read as its successor (old -> now)
    retired: Mapping[str, str] = field(default_factory=dict)

    def value(self, qid: str) -> str | int | tuple[str, ...]:
        return self.answers.get(qid, NOT_SURE)

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {q: self.answers[q] for q in sorted(self.given)}
        return out


def check_answer(
    rm: RouteMap, qid: str, raw: Any, *, location: str | None = None, text_numbers: bool = True
) -> tuple[str | int | tuple | None, AnswerProblem | None]:
    """One answer to a known question: ``(value, None)`` or ``(None, problem)``, by the
    question's kind (``kinds.py``: each kind parses its own input).

    A link, a form or a file may give a number as text ("600") and several answers
    comma-separated; the API's JSON must give a number or a list (``text_numbers=False``;
    600.0 counts as 600). ``location`` names where the answer is (its question id by
    default)."""
    q = rm.questions[qid]
    return kind_of(q).parse(
        q, raw, qid if location is None else location, text_numbers=text_numbers
    )


def retired_answer(
    rm: RouteMap, old_id: str, raw: Any, given: Mapping[str, Any]
) -> tuple[tuple[str, str] | None, AnswerProblem | None]:
    """An answer to a question the map no longer asks: ``((question, answer), None)`` where
    it maps onto the question that replaced it (unless that one is answered too),
    ``(None, None)`` for not sure, else ``(None, problem)`` naming the new question."""
    old = rm.retired_questions[old_id]
    now = rm.questions[old.now]
    if raw == NOT_SURE:
        return None, None
    if isinstance(raw, str) and raw in old.answers:
        if old.now in given:
            return None, None
        return (old.now, old.answers[raw]), None
    labels = {o.value: o.label for o in now.options}
    mapped = tuple((a, labels[b]) for a, b in old.answers.items())
    return None, problem(
        "question_retired", old_id, text=old.text, now=old.now, now_text=now.text, mapped=mapped
    )


def _shown_id(item: Any) -> str:
    return item if isinstance(item, str) and len(item) <= MAX_SHOWN else "(not a station id)"


def unknown_stations(rm: RouteMap, key: str, items: Any) -> list[AnswerProblem]:
    """Each item of a progress list that is not a station id of the map (with its index)."""
    return [
        problem("unknown_station", key, station=_shown_id(item), index=i)
        for i, item in enumerate(items)
        if not isinstance(item, str) or rm.current_id(item) not in rm.stations
    ]


def _station_list(rm: RouteMap, key: str, raw: Any, problems: list[AnswerProblem]) -> list[str]:
    if raw is None:
        return []
    if isinstance(raw, str):
        raw = [s for s in re.split(r"[,\s]+", raw) if s]
    if not isinstance(raw, list | tuple):
        problems.append(problem("not_a_list", key))
        return []
    problems.extend(unknown_stations(rm, key, raw))
    out = []
    for item in raw:
        sid = rm.current_id(item) if isinstance(item, str) else None
        if sid in rm.stations and sid not in out:
            out.append(sid)
    return out


def check_note(key: str, sid: str, note: Any) -> AnswerProblem | None:
    """A skipped station's note: text of at most MAX_NOTE characters."""
    if note is not None and not isinstance(note, str):
        return problem("note_not_text", key, station=sid)
    if note and len(note) > MAX_NOTE:
        return problem("note_too_long", key, station=sid, limit=MAX_NOTE)
    return None


def parse_answers(
    rm: RouteMap,
    answers: Mapping[str, Any] | None,
    progress: Mapping[str, Any] | None = None,
    *,
    allow_progress_in_answers: bool = True,
) -> Profile:
    """Check answers (and progress lists) against the map's questions; raise AnswersError."""
    problems: list[AnswerProblem] = []
    if answers is None:
        answers = {}
    if not isinstance(answers, Mapping):
        raise AnswersError([problem("not_a_mapping", "answers")])
    values: dict[str, str | int] = {}
    progress_raw: dict[str, Any] = dict(progress or {})
    for key, raw in answers.items():
        if not isinstance(key, str):
            problems.append(problem("key_not_text", "answers"))
            continue
        if key in PROGRESS_KEYS and allow_progress_in_answers:
            progress_raw.setdefault(key, raw)
            continue
        if key in rm.retired_questions:
            mapped, bad = retired_answer(rm, key, raw, answers)
            if bad:
                problems.append(bad)
            elif mapped:
                values.setdefault(*mapped)
            continue
        if key not in rm.questions:
            shown = key if len(key) <= MAX_SHOWN else key[: MAX_SHOWN - 3] + "..."
            problems.append(problem("unknown_question", shown, known=sorted(rm.questions)))
            continue
        value, bad = check_answer(rm, key, raw)
        if bad:
            problems.append(bad)
        else:
            values[key] = value  # an old answer mapped onto this question gives way
    done = _station_list(rm, "done", progress_raw.get("done"), problems)
    in_progress = _station_list(rm, "in_progress", progress_raw.get("in_progress"), problems)
    skipped_raw = progress_raw.get("skipped")
    skipped: dict[str, str] = {}
    if isinstance(skipped_raw, Mapping):
        for sid, note in skipped_raw.items():
            sid = rm.current_id(sid) if isinstance(sid, str) else sid
            if not isinstance(sid, str) or sid not in rm.stations:
                problems.append(problem("unknown_station", "skipped", station=_shown_id(sid)))
            elif note is not None and not isinstance(note, str):
                problems.append(problem("note_not_text", "skipped", station=sid))
            else:
                skipped[sid] = (note or "").strip()[:MAX_NOTE]
    else:
        for sid in _station_list(rm, "skipped", skipped_raw, problems):
            skipped[sid] = ""
    for key in progress_raw:
        if key not in PROGRESS_KEYS:
            problems.append(problem("unknown_progress_list", str(key), known=PROGRESS_KEYS))
    both = [s for s in done if s in in_progress or s in skipped]
    for sid in both:
        problems.append(problem("station_in_two_lists", "done", station=sid))
    clash = [s for s in in_progress if s in skipped]
    for sid in clash:
        problems.append(problem("station_in_two_lists", "in_progress", station=sid))
    if problems:
        raise AnswersError(problems)
    full = {qid: values.get(qid, NOT_SURE) for qid in rm.questions}
    retired = {}  # the retired ids the progress names, read as their successors
    for raw in (progress_raw.get(k) for k in PROGRESS_KEYS):
        if isinstance(raw, str):
            raw = re.split(r"[,\s]+", raw)
        for old in raw if isinstance(raw, list | tuple | Mapping) else ():
            if isinstance(old, str) and old in rm.retired:
                retired[old] = rm.retired[old]
    return Profile(
        answers=MappingProxyType(full),
        given=frozenset(values),
        done=frozenset(done),
        in_progress=frozenset(in_progress),
        skipped=MappingProxyType(skipped),
        retired=MappingProxyType(retired),
    )


def shorten(text: str, limit: int = 60) -> str:
    """Text as a message shows it back: one line, at most ``limit`` characters."""
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def answers_from_bytes(raw: bytes, label: str, json_hint: bool = False) -> dict[str, Any]:
    """An answers file's content: a JSON or YAML mapping of question id to answer (plus
    progress lists), or ``{"answers": {...}, "done": [...]}``. Problems raise AnswersError
    naming ``label`` (the file); unknown keys are named only in short."""
    if len(raw) > MAX_ANSWERS_BYTES:
        raise AnswersError([problem("file_too_large", label)])
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise AnswersError([problem("file_not_utf8", label)]) from None
    try:
        if json_hint or text.lstrip().startswith("{"):
            data = load_json(text)
        else:
            data = load_yaml(text)
    except Unreadable as exc:
        reason = exc.message if isinstance(exc, TooComplex) else None
        bad = problem("file_not_parsed", label, line=exc.line, reason=reason)
        raise AnswersError([bad]) from None
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise AnswersError([problem("not_a_mapping", label)])
    if "answers" in data and isinstance(data["answers"], dict):
        merged = dict(data["answers"])
        for key in PROGRESS_KEYS:
            if key in data:
                merged[key] = data[key]
        extra = [k for k in data if k not in ("answers", *PROGRESS_KEYS)]
        if extra:
            raise AnswersError([problem("unknown_file_key", shorten(k)) for k in extra])
        return merged
    return data


def read_answers_file(path: str | Path) -> dict[str, Any]:
    """An answers file on disk (JSON or YAML; see :func:`answers_from_bytes`)."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise AnswersError([problem("file_not_found", str(path))]) from None
    except OSError as exc:
        raise AnswersError([problem("file_unreadable", str(path), reason=exc.strerror)]) from None
    return answers_from_bytes(raw, str(path), json_hint=path.suffix.lower() == ".json")


def answers_from_query(rm: RouteMap, params: Mapping[str, str]) -> dict[str, Any]:
    """URL query parameters -> an answers mapping (numbers stay text until parsed)."""
    out: dict[str, Any] = {}
    for key, value in params.items():
        if key in PROGRESS_KEYS:
            out[key] = [s for s in re.split(r"[,\s]+", value) if s]
        else:
            out[key] = value
    return out
