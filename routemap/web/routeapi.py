"""The personalised route in the JSON API: ``GET /v1/questions``, ``POST /v1/route``,
``POST /v1/next`` and the file downloads ``GET /v1/export``.

Request schemas are exact (each answer is an enum of the question's values, progress lists are
enums of station ids), so anything the OpenAPI document allows is accepted; everything else
gets a 4xx in the one error shape, whose message names the key and the allowed values. Input
is never echoed: a bad item is named by where it is (``body.done[2]``), a key only when it is a
plain name. The same functions as the CLI do the work (``parse_answers``, ``find_route``,
``what_next``, ``routemap.export.render``), so the API, the CLI and the pages agree.
"""

from __future__ import annotations

import gzip
import re
import threading
from collections import OrderedDict
from dataclasses import replace
from typing import Annotated, Any, Literal

from flask import Response, request
from pydantic import BaseModel, ConfigDict, Field, StrictBool, WithJsonSchema, create_model

from ..core import RouteMap
from ..export import FORMATS, MEDIA_TYPES, PAPERS, ExportError, ExportOptions, render
from ..route.answerproblems import AnswerProblem, api_words, problem
from ..route.compose import find_route
from ..route.kinds import allowed_values as kinds_allowed
from ..route.kinds import kind_of
from ..route.nextsteps import what_next
from ..route.profile import (
    MAX_NOTE,
    NOT_SURE,
    PROGRESS_KEYS,
    AnswersError,
    Profile,
    check_answer,
    check_note,
    parse_answers,
    retired_answer,
    unknown_stations,
)
from ..route.results import CompareResult, NextResult, RouteResult, WhatIf
from ..route.whatif import compare
from .apikit import PLAIN_KEY, Api, ApiError, ApiModel, ErrorItem
from .exportqueue import Busy, ExportQueue, client_of

ID_LIST = r"^[a-z0-9]+(?:-[a-z0-9]+)*(?:,[a-z0-9]+(?:-[a-z0-9]+)*)*$"
EXPORT_CACHE_SIZE = 24
MAX_PNG_SCALE = 2


# ---- response models ------------------------------------------------------------------------
class OptionOut(BaseModel):
    value: str
    label: str
    score: int | None = Field(None, description="Readiness points (0-2); none if not scored")


class QuestionOut(BaseModel):
    id: str = Field(description="The question id: also its URL query parameter")
    text: str
    hint: str
    area: str = Field(description="The readiness area (id)")
    kind: Literal["choice", "number", "several"] = Field(
        description="choice: one answer; number: a whole number; several: one or more answers "
        "(a list in JSON, comma-separated in a link)"
    )
    options: list[OptionOut] = Field(description="For a choice: the answers, in order")
    alone: list[str] = Field(
        default=[], description="For several answers: answers given only on their own"
    )
    asked_when: dict[str, list[str]] = Field(
        default={},
        description="Asked only when one of these answers was given to each earlier question "
        "(the questionnaire skips it otherwise; unanswered, it counts as not_sure)",
    )
    minimum: int | None = None
    maximum: int | None = None
    allowed: list[str] = Field(
        description="Every value the question takes (a number question: 'a whole number')"
    )


class AreaOut(BaseModel):
    id: str
    name: str
    summary: str
    questions: list[str]
    support: list[str] = Field(description="Support offers (station ids) that help here")


class QuestionsOut(BaseModel):
    count: int
    not_sure: str = Field(description="The answer that means 'not sure' (always allowed)")
    areas: list[AreaOut]
    questions: list[QuestionOut]
    progress: dict[str, str] = Field(
        description="The progress parameters of a link or request, and what each holds"
    )


# the route, what next and what if: the route model's own typed results
RouteOut = RouteResult
NextOut = NextResult
WhatIfOut = WhatIf
CompareOut = CompareResult


class FileOut(BaseModel):
    """A file (see the media types)."""


# ---- request models (schemas made from the map's questions and stations) ----------------------
def allowed_values(rm: RouteMap, qid: str) -> list[str]:
    return kinds_allowed(rm.questions[qid])


def number_range(rm: RouteMap, qid: str) -> str:
    q = rm.questions[qid]
    low = q.minimum if q.minimum is not None else 0
    return f"a whole number from {low}" + (f" to {q.maximum}" if q.maximum is not None else "")


def answers_schema(rm: RouteMap, retired: bool = True) -> dict[str, Any]:
    props: dict[str, Any] = {}
    for q in rm.questions.values():
        props[q.id] = {**kind_of(q).schema(q), "description": q.text}
    for old in rm.retired_questions.values() if retired else ():
        # a retired question's answer is read as its new question's, where it maps
        props[old.id] = {
            "type": "string",
            "enum": [*old.answers, NOT_SURE],
            "deprecated": True,
            "description": f"No longer asked ({old.text}): answer {old.now} instead; "
            + ", ".join(f"{a} is read as {old.now}={b}" for a, b in old.answers.items()),
        }
    return {
        "type": "object",
        "properties": props,
        "additionalProperties": False,
        "description": "Question id to answer (GET /api/v1/questions); a question left out "
        "counts as not_sure",
    }


def request_models(rm: RouteMap) -> tuple[type[ApiModel], type[ApiModel], type[ApiModel]]:
    known = [*rm.stations, *rm.retired]  # a retired id is read as its successor
    ids = {"type": "array", "items": {"type": "string", "enum": known}}
    notes = {
        "type": "object",
        "propertyNames": {"enum": known},
        "additionalProperties": {"type": "string", "maxLength": MAX_NOTE},
    }
    answers_t = Annotated[dict[str, Any], WithJsonSchema(answers_schema(rm))]
    list_t = Annotated[list[Any], WithJsonSchema({**ids, "description": "Station ids"})]
    skipped_t = Annotated[
        list[Any] | dict[str, Any],
        WithJsonSchema(
            {
                "anyOf": [ids, notes],
                "description": "Station ids skipped by choice, or station id to a note on why",
            }
        ),
    ]
    route = create_model(
        "RouteRequest",
        __base__=ApiModel,
        answers=(answers_t, Field(default_factory=dict)),
        done=(list_t, Field(default_factory=list)),
        in_progress=(list_t, Field(default_factory=list)),
        skipped=(skipped_t, Field(default_factory=list)),
    )
    route.__doc__ = "Answers and (optionally) progress."
    nxt = create_model("NextRequest", __base__=route)
    nxt.__doc__ = "Answers and progress: done, in progress and skipped stations."
    change_t = Annotated[
        dict[str, Any],
        WithJsonSchema(
            {
                **answers_schema(rm, retired=False),  # a question no longer asked never changes
                "minProperties": 1,
                "maxProperties": 1,
                "description": "The one answer to change: question id to its new answer",
            }
        ),
    ]
    whatif = create_model("WhatIfRequest", __base__=route, change=(change_t, ...))
    whatif.__doc__ = "Answers (and progress), and the one answer to change."
    return route, nxt, whatif


def compare_request_model(rm: RouteMap, route: type[ApiModel]) -> type[ApiModel]:
    """Answers (and progress), the legal forms to compare, and only the differences."""
    from ..route.compare import FORM_CHOICE, MAX_COLUMNS

    forms = [o.id for c in rm.data.choices if c.id == FORM_CHOICE for o in c.options]
    routes_t = Annotated[
        list[Any],
        WithJsonSchema(
            {
                "type": "array",
                "items": {"type": "string", "enum": forms},
                "maxItems": MAX_COLUMNS,
                "uniqueItems": True,
                "description": "Legal forms (option ids) in column order; empty: the team's "
                "route and its two best alternatives; one: it, then the best others",
            }
        ),
    ]
    model = create_model(
        "CompareRequest",
        __base__=route,
        routes=(routes_t, Field(default_factory=list)),
        only_differences=(StrictBool, Field(False, description="Hide rows every route says alike")),
    )
    model.__doc__ = "Answers (and progress), the routes to compare, and only the differences."
    return model


class LinkQuery(ApiModel):
    """A route's answers as a link writes them: a checkbox answer's pattern refuses an answer
    given twice with a look-ahead, which only Python's own regular expressions can read."""

    model_config = ConfigDict(extra="forbid", regex_engine="python-re")


def export_query_model(rm: RouteMap) -> type[ApiModel]:
    fields: dict[str, Any] = {
        "format": (
            Literal[FORMATS],
            Field(description="svg, png, pdf, html, json; md or csv is the route as a checklist"),
        ),
        "paper": (Literal[PAPERS], Field("A3", description="pdf: the paper size")),
        "scale": (int, Field(1, ge=1, le=MAX_PNG_SCALE, description="png: the scale")),
        "line": (
            Literal[tuple(rm.lines)] | None,
            Field(None, description="Highlight one line (when no answers are given)"),
        ),
    }
    for q in rm.questions.values():
        if q.kind == "number":
            low = q.minimum if q.minimum is not None else 0
            fields[q.id] = (
                Annotated[int, Field(ge=low, le=q.maximum)] | Literal["not_sure"] | None,
                Field(None, description=f"{q.text} ({number_range(rm, q.id)}, or not_sure)"),
            )
        elif q.kind == "several":
            fields[q.id] = (
                str | None,
                Field(
                    None,
                    max_length=1000,
                    pattern=kind_of(q).link_pattern(q),
                    description=f"{q.text} (one or more of: "
                    f"{', '.join(o.value for o in q.options)}, comma-separated; or not_sure)",
                ),
            )
        else:
            fields[q.id] = (
                Literal[tuple(allowed_values(rm, q.id))] | None,
                Field(None, description=q.text),
            )
    for old in rm.retired_questions.values():
        fields[old.id] = (
            Literal[(*old.answers, NOT_SURE)] | None,
            Field(None, deprecated=True, description=f"No longer asked: use {old.now}"),
        )
    for key in PROGRESS_KEYS:
        fields[key] = (
            str | None,
            Field(
                None,
                max_length=4000,
                pattern=ID_LIST,
                description=f"Stations {key.replace('_', ' ')}: ids, comma-separated",
            ),
        )
    model = create_model("ExportQuery", __base__=LinkQuery, **fields)
    model.__doc__ = "The export format and options, and the answers of a personalised route."
    return model


# ---- checking a request ---------------------------------------------------------------------
def _where(key: str) -> str:
    return key if PLAIN_KEY.match(key) else "(a key)"


def api_item(p: AnswerProblem) -> ErrorItem:
    """A typed problem in the API's error shape: its code, where (the API's location), words."""
    return ErrorItem(location=p.location, code=p.code, message=api_words(p))


def check_answers(
    rm: RouteMap, answers: dict[str, Any], where: str, retired: bool = True
) -> tuple[dict, list]:
    """Answers as parse_answers takes them, and the problems (ErrorItems) without echoes.

    Each answer is checked by the one answer check (``route.profile.check_answer``), with
    JSON's numbers."""
    out: dict[str, Any] = {}
    problems: list[ErrorItem] = []
    for key, value in answers.items():
        loc = f"{where}.{_where(key)}"
        if key in rm.retired_questions and retired:
            mapped, bad = retired_answer(rm, key, value, answers)
            if bad:
                problems.append(api_item(replace(bad, location=loc)))
            elif mapped:
                out.setdefault(*mapped)
            continue
        if key not in rm.questions:
            problems.append(api_item(problem("unknown_question", loc, known=list(rm.questions))))
            continue
        checked, bad = check_answer(rm, key, value, location=loc, text_numbers=False)
        if bad:
            problems.append(api_item(bad))
        else:
            out[key] = checked
    return out, problems


def check_ids(rm: RouteMap, items: list[Any], where: str) -> list[ErrorItem]:
    key = where.rsplit(".", 1)[-1]
    return [
        api_item(replace(p, location=f"{where}[{p.param('index')}]"))
        for p in unknown_stations(rm, key, items)
    ]


def check_skipped(rm: RouteMap, skipped: Any, where: str) -> list[ErrorItem]:
    if isinstance(skipped, list):
        return check_ids(rm, skipped, where)
    problems = []
    for key, note in skipped.items():
        if rm.current_id(key) not in rm.stations:
            problems.append(api_item(problem("unknown_station", where)))
        elif not isinstance(note, str):
            problems.append(api_item(problem("note_not_text", f"{where}.{key}", station=key)))
        elif bad := check_note(f"{where}.{key}", key, note):
            problems.append(api_item(bad))
    return problems


def summary(problems: list[ErrorItem], what: str) -> str:
    first = problems[0]
    where = first.location.split(".", 1)[-1]
    text = f"{what} is not valid: {where}: {first.message}"
    if len(problems) > 1:
        text += f" (and {len(problems) - 1} more problem{'s' if len(problems) > 2 else ''})"
    return text


def conflicts(done, in_progress, skipped, where: str) -> list[ErrorItem]:
    """A station in two progress lists, named where the later state is (409 in the API)."""
    out = []
    skipped_ids = list(skipped) if isinstance(skipped, dict) else list(skipped)
    for i, sid in enumerate(in_progress):
        if sid in done:
            loc = f"{where}in_progress[{i}]"
            out.append(api_item(problem("station_in_two_lists", loc, station=sid, also="in done")))
    for i, sid in enumerate(skipped_ids):
        if sid in done or sid in in_progress:
            loc = f"{where}skipped[{i}]" if isinstance(skipped, list) else f"{where}skipped.{sid}"
            also = "done or in progress"
            out.append(api_item(problem("station_in_two_lists", loc, station=sid, also=also)))
    return out


def profile_from_body(rm: RouteMap, body: Any) -> Profile:
    answers, problems = check_answers(rm, body.answers, "body.answers")
    problems += check_ids(rm, body.done, "body.done")
    problems += check_ids(rm, body.in_progress, "body.in_progress")
    problems += check_skipped(rm, body.skipped, "body.skipped")
    if problems:
        raise ApiError(422, "invalid_answers", summary(problems, "the request"), details=problems)
    clash = conflicts(body.done, body.in_progress, body.skipped, "body.")
    if clash:
        raise ApiError(409, "conflicting_progress", summary(clash, "the progress"), details=clash)
    progress = {"done": body.done, "in_progress": body.in_progress, "skipped": body.skipped}
    try:
        return parse_answers(rm, answers, progress, allow_progress_in_answers=False)
    except AnswersError as exc:  # not expected after the checks above; never a 500
        items = [ErrorItem(location="body", message="the answers are not valid")]
        raise ApiError(
            422, "invalid_answers", f"{len(exc.problems)} problems in the answers", details=items
        ) from None


def profile_from_query(rm: RouteMap, query: Any) -> Profile | None:
    """The profile of an export's query, or None when it gives no answers or progress."""
    asked = [*rm.questions, *rm.retired_questions]
    given = query.__dict__  # (reading a retired question through getattr warns)
    answers = {q: given[q] for q in asked if given.get(q) is not None}
    lists: dict[str, list[str]] = {}
    problems: list[ErrorItem] = []
    for key in PROGRESS_KEYS:
        raw = getattr(query, key)
        items = [s for s in raw.split(",") if s] if raw else []
        lists[key] = items
        problems += check_ids(rm, items, f"query.{key}")
    if problems:
        raise ApiError(
            404, "not_found", summary(problems, "the query"), kind="station", details=problems
        )
    clash = conflicts(lists["done"], lists["in_progress"], lists["skipped"], "query.")
    if clash:
        raise ApiError(409, "conflicting_progress", summary(clash, "the progress"), details=clash)
    if not answers and not any(lists.values()):
        return None
    try:
        return parse_answers(rm, answers, lists, allow_progress_in_answers=False)
    except AnswersError as exc:
        raise ApiError(400, "invalid_query", "; ".join(map(str, exc.problems))[:300]) from None


# ---- the endpoints --------------------------------------------------------------------------
def questions_out(rm: RouteMap) -> QuestionsOut:
    questions = []
    for q in rm.questions.values():
        questions.append(
            QuestionOut(
                id=q.id,
                text=q.text,
                hint=q.hint,
                area=q.area,
                kind=q.kind,
                options=[OptionOut(value=o.value, label=o.label, score=o.score) for o in q.options],
                alone=[o.value for o in q.options if o.alone],
                asked_when={k: list(v) for k, v in q.asked_when.items() if isinstance(v, list)},
                minimum=q.minimum,
                maximum=q.maximum,
                allowed=[number_range(rm, q.id), NOT_SURE]
                if q.kind == "number"
                else allowed_values(rm, q.id),
            )
        )
    areas = [
        AreaOut(
            id=a.id,
            name=a.name,
            summary=a.summary,
            questions=[q.id for q in rm.questions.values() if q.area == a.id],
            support=list(a.support),
        )
        for a in rm.areas.values()
    ]
    return QuestionsOut(
        count=len(questions),
        not_sure=NOT_SURE,
        areas=areas,
        questions=questions,
        progress={
            "done": "Station ids done (a list; in a link, comma-separated)",
            "in_progress": "Station ids in progress",
            "skipped": "Station ids skipped by choice (in a body, or a mapping of id to note)",
            "note_<station>": "In a link: the note for a skipped station",
        },
    )


class ExportCache:
    """The last few exports, keyed by what they draw (a route, not the answers behind it)."""

    def __init__(self, size: int = EXPORT_CACHE_SIZE):
        self.size = size
        self.items: OrderedDict[tuple, bytes] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key: tuple, make) -> bytes:
        with self.lock:
            if key in self.items:
                self.items.move_to_end(key)
                return self.items[key]
        data = make()
        with self.lock:
            self.items[key] = data
            while len(self.items) > self.size:
                self.items.popitem(last=False)
        return data


def export_name(fmt: str, profile: Profile | None, line: str | None) -> str:
    if fmt in ("md", "csv"):
        return f"routemap-checklist.{fmt}"
    if profile is not None:
        return f"routemap-route.{fmt}"
    if line:
        return f"routemap-line-{line}.{fmt}"
    return f"routemap.{fmt}"


def register_route_api(api: Api, rm: RouteMap) -> None:
    """Add the personalised-route endpoints to the API."""
    questions_json = questions_out(rm).model_dump_json().encode()
    route_request, next_request, whatif_request = request_models(rm)
    export_query = export_query_model(rm)
    cache = ExportCache()
    queue = ExportQueue()

    @api.endpoint(
        "GET",
        "/v1/questions",
        response=QuestionsOut,
        summary="The self-diagnostic: readiness areas and questions",
        tags=("route",),
    )
    def get_questions():
        """Every question with its id (the URL parameter), text, hint, area and the answers it
        takes; not_sure is always allowed. Also the progress parameters of a link."""
        return questions_json

    @api.endpoint(
        "POST",
        "/v1/route",
        response=RouteOut,
        body=route_request,
        summary="The personalised route for a set of answers",
        errors=(409, 413),
        tags=("route",),
    )
    def post_route(body):
        """The route composed of the team's choices (legal form, how the work is awarded,
        pension), each with why and why not the other options; its steps in flow order, each
        with its reasons and status, ending with go-live and the first year's duties; stages
        left off and why; possible futures with real examples; the journey estimate; what each
        answer changes; readiness by area; the drawing on the map. With no route open:
        ``outcome`` says why, with the nearest routes. A bad answer is a 422 naming the key and
        the allowed values."""
        profile = profile_from_body(rm, body)
        return find_route(rm, profile).model_dump_json()

    @api.endpoint(
        "POST",
        "/v1/next",
        response=NextOut,
        body=next_request,
        summary="Progress and what can start next, for an adviser",
        errors=(409, 413),
        tags=("route",),
    )
    def post_next(body):
        """Each step's state (done, already in place, in progress, skipped, can start, cannot
        start yet), what can start now with what it needs, what is blocked and by what,
        answers still not sure that would change the route, the weakest readiness areas with
        support offers, deadlines, and progress (the route's one count of steps; skipped
        never done)."""
        profile = profile_from_body(rm, body)
        return what_next(rm, profile).model_dump_json()

    @api.endpoint(
        "POST",
        "/v1/whatif",
        response=WhatIfOut,
        body=whatif_request,
        summary="What changes on the route if one answer were different, and why",
        errors=(409, 413),
        tags=("route",),
    )
    def post_whatif(body):
        """The route for the answers, compared with the route for the same answers with one
        changed (``change``: a question id and its new answer): the choices that change and
        why, steps added and taken off, states, reasons and readiness that change; when
        nothing changes, ``summary`` says so and why."""
        profile = profile_from_body(rm, body)
        change, problems = check_answers(rm, body.change, "body.change", retired=False)
        if not problems and len(change) != 1:
            problems = [ErrorItem(location="body.change", message="give exactly one question")]
        if problems:
            raise ApiError(422, "invalid_change", summary(problems, "the change"), details=problems)
        ((qid, value),) = change.items()
        return compare(rm, profile, qid, value).model_dump_json()

    compare_request = compare_request_model(rm, route_request)

    @api.endpoint(
        "POST",
        "/v1/compare",
        response=CompareOut,
        body=compare_request,
        summary="Routes side by side (one per legal form), for an options appraisal",
        errors=(409, 413),
        tags=("route",),
    )
    def post_compare(body):
        """Two or three routes as columns, each the route the answers give with that legal
        form taken; rows (who owns and controls it, staff share of profits, asset lock,
        charitable status, registrations with fees and times, raising money, how the work is
        awarded and its legal tests, staff transfer and pensions, the journey, real examples,
        and why it fits the team or not), each cell with its source ids or "Not published";
        ``same`` marks a row every route says alike and ``shown`` lists the rows shown (with
        ``only_differences``, those that differ); ``routes`` says which legal forms are open
        and why the others are not. A route that is unknown or asked twice is a 422; one the
        answers close, a 409 saying why."""
        from ..route.compare import CompareError
        from ..route.compare import compare as compare_routes

        profile = profile_from_body(rm, body)
        if not all(isinstance(r, str) for r in body.routes):
            item = ErrorItem(location="body.routes", message="each route is an option id")
            raise ApiError(422, "invalid_routes", item.message, details=[item])
        try:
            result = compare_routes(rm, profile, list(body.routes), body.only_differences)
        except CompareError as exc:
            items = [
                ErrorItem(location="body.routes", code=p.code, message=p.id_words(exc.known))
                for p in exc.problems
            ]
            # what the schema refuses is a 422; a legal form these answers close, a 409 (a
            # valid request that conflicts with its own answers, as a station in two lists is)
            bad = [i for i in items if i.code != "closed"]
            status, code = (422, "invalid_routes") if bad else (409, "route_not_open")
            items = bad or items
            more = f" (and {len(items) - 1} more)" if len(items) > 1 else ""
            raise ApiError(status, code, items[0].message + more, details=items) from None
        return result.model_dump_json()

    @api.endpoint(
        "GET",
        "/v1/export",
        response=FileOut,
        query=export_query,
        summary="Download the map, a highlighted route or a route checklist",
        errors=(404, 409, 429, 503),
        tags=("export",),
        media_types=tuple(dict.fromkeys(m.split(";")[0] for m in MEDIA_TYPES.values())),
    )
    def get_export(query):
        """The same files as ``routemap export``: svg, png, pdf, html (offline), json
        (geometry); md or csv (the route as a checklist). With answers (the question ids as
        parameters, as in a route link) the map formats highlight the route; md and csv are
        always a route (every answer left out counts as not sure)."""
        profile = profile_from_query(rm, query)
        fmt = query.format
        if fmt in ("md", "csv") and profile is None:
            profile = parse_answers(rm, {})
        opts = ExportOptions(
            fmt,
            answers=profile,
            line=query.line if profile is None else None,
            scale=float(query.scale),
            paper=query.paper,
        )
        if fmt in ("md", "csv"):
            key: tuple = (fmt, _profile_key(profile))
        else:
            drawn = None
            if profile is not None:
                result = find_route(rm, profile, explain=False)
                drawn = (
                    tuple(result.drawing.stations),
                    tuple((s.line, s.source, s.target) for s in result.drawing.strokes),
                )
            key = (
                fmt,
                opts.scale if fmt == "png" else 1,
                opts.paper if fmt == "pdf" else "",
                opts.line,
                drawn,
            )

        def make() -> bytes:
            if fmt in ("png", "pdf"):  # seconds of a core: queued, off the event loop
                return queue.run(client_of(request.environ), lambda: render(rm, opts))
            return render(rm, opts)

        try:
            data = cache.get(key, make)
        except Busy as exc:
            raise ApiError(
                exc.status,
                "busy" if exc.status == 503 else "too_many_exports",
                exc.message,
                headers={"Retry-After": str(exc.retry_after)},
            ) from None
        except ExportError as exc:
            message = str(exc)
            if not re.fullmatch(r"[\w\s'.,:()-]{1,300}", message):
                message = "the export options are not valid"
            raise ApiError(400, "invalid_export", message) from None
        name = export_name(fmt, profile, opts.line)
        headers = {
            "Content-Disposition": f'attachment; filename="{name}"',
            "Cache-Control": "no-store",
        }
        if fmt not in ("png", "pdf"):  # text compresses well (an SVG ~170 kB -> ~40 kB)
            headers["Vary"] = "Accept-Encoding"
            if "gzip" in request.headers.get("Accept-Encoding", ""):
                data = cache.get(("gzip", *key), lambda: gzip.compress(data, 6, mtime=0))
                headers["Content-Encoding"] = "gzip"
        return Response(data, status=200, content_type=MEDIA_TYPES[fmt], headers=headers)


def _profile_key(profile: Profile) -> tuple:
    return (
        tuple(sorted(profile.as_dict().items(), key=lambda kv: kv[0])),
        tuple(sorted(profile.done)),
        tuple(sorted(profile.in_progress)),
        tuple(sorted(profile.skipped.items())),
    )
