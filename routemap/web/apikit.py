"""A small kit for the JSON API: declared endpoints, validated input, one error shape, OpenAPI.

An endpoint is declared once, with pydantic models for its query, body and response; the same
declaration registers the Flask route, validates every request and writes its OpenAPI entry::

    @api.endpoint("GET", "/v1/stations/<station_id>", response=StationDetail,
                  summary="One station", errors=(404,))
    def station(station_id: str): ...

Errors always have this shape and a 4xx status (a 500 only for a real bug, without details)::

    {"error": {"status": 404, "code": "not_found", "message": "unknown station 'x'",
               "kind": "station"}}

Input is never echoed back raw: messages name the parameter or the id kind, and an id is quoted
only when it has the shape of an id.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from flask import Flask, Response, request
from pydantic import BaseModel, ConfigDict, Field, ValidationError
from pydantic.json_schema import models_json_schema
from werkzeug.exceptions import HTTPException

from ..boundedparse import TooComplex, Unreadable, load_json
from ..core import UnknownId

ID_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
MAX_BODY = 64 * 1024


class ApiModel(BaseModel):
    """Base of every request model: unknown keys are refused."""

    model_config = ConfigDict(extra="forbid")


class NoQuery(ApiModel):
    """No query parameters are accepted."""


class ErrorItem(BaseModel):
    location: str = Field(description="Where the problem is, e.g. 'query.q' or 'body.answers'")
    code: str | None = Field(
        None, description="What the problem is, e.g. unknown_station or note_too_long"
    )
    message: str


class ErrorDetail(BaseModel):
    status: int = Field(description="The HTTP status, repeated")
    code: str = Field(description="A stable machine-readable code, e.g. not_found")
    message: str = Field(description="A sentence for people")
    kind: str | None = Field(None, description="For not_found: which kind of id (station, line)")
    details: list[ErrorItem] | None = Field(None, description="For invalid input: each problem")


class ErrorResponse(BaseModel):
    error: ErrorDetail


ERROR_TEXT = {
    400: "Bad request",
    404: "Not found",
    405: "Method not allowed",
    409: "Conflicting input",
    413: "Request body too large",
    415: "Unsupported media type",
    422: "Invalid input",
    429: "Too many requests from this client",
    503: "Busy: try again after Retry-After seconds",
}


class ApiError(Exception):
    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        *,
        kind: str | None = None,
        details: list[ErrorItem] | None = None,
        headers: dict[str, str] | None = None,
    ):
        super().__init__(message)
        self.status = status
        self.body = ErrorResponse(
            error=ErrorDetail(status=status, code=code, message=message, kind=kind, details=details)
        )
        self.headers = headers or {}


def quoted_id(ident: str) -> str:
    """The id in quotes if it looks like an id, otherwise a description (never raw input)."""
    if len(ident) <= 40 and ID_RE.match(ident):
        return f"'{ident}'"
    return "(not a valid id)"


def not_found(exc: UnknownId) -> ApiError:
    return ApiError(404, "not_found", f"unknown {exc.kind} {quoted_id(exc.ident)}", kind=exc.kind)


PLAIN_KEY = re.compile(r"^[A-Za-z0-9_.-]{1,40}$")


def _loc_part(part: object) -> str:
    """A part of an error's location: an index, or a key named only if it is a plain name
    (an unknown key full of markup is not echoed)."""
    text = str(part)
    return text if isinstance(part, int) or PLAIN_KEY.match(text) else "(a key)"


def _details(exc: ValidationError, where: str) -> list[ErrorItem]:
    items = []
    for err in exc.errors(include_input=False, include_url=False, include_context=False):
        loc = ".".join(_loc_part(p) for p in err["loc"])
        items.append(ErrorItem(location=f"{where}.{loc}" if loc else where, message=err["msg"]))
    return items


def _first(message: str, details: list[ErrorItem]) -> str:
    """The message, naming the first problem (its location and what is allowed there)."""
    if not details:
        return message
    more = len(details) - 1
    tail = f" (and {more} more problem{'s' if more > 1 else ''})" if more else ""
    return f"{message}: {details[0].location}: {details[0].message}{tail}"


_GZIPPED: dict[bytes, bytes] = {}  # the API's fixed answers (bytes), compressed once


def _gzip(payload: bytes | str) -> bytes:
    import gzip

    if isinstance(payload, bytes):
        packed = _GZIPPED.get(payload)
        if packed is None:
            packed = gzip.compress(payload, compresslevel=6, mtime=0)
            if len(_GZIPPED) < 256:
                _GZIPPED[payload] = packed
        return packed
    return gzip.compress(payload.encode("utf-8"), compresslevel=5, mtime=0)


def json_response(payload: bytes | str, status: int = 200, headers=None) -> Response:
    """JSON, gzipped when the client accepts it and it is worth it (the map is ~0.6 MB)."""
    from flask import has_request_context

    size = len(payload)
    if (
        size >= 4096
        and has_request_context()
        and "gzip" in request.headers.get("Accept-Encoding", "")
    ):
        response = Response(
            _gzip(payload), status=status, mimetype="application/json", headers=headers
        )
        response.headers["Content-Encoding"] = "gzip"
        response.headers["Vary"] = "Accept-Encoding"
        return response
    response = Response(payload, status=status, mimetype="application/json", headers=headers)
    if size >= 4096:
        response.headers["Vary"] = "Accept-Encoding"
    return response


@dataclass
class Endpoint:
    method: str
    rule: str
    summary: str
    response: type[BaseModel]
    view: Callable[..., Any]
    query: type[BaseModel] = NoQuery
    body: type[BaseModel] | None = None
    errors: tuple[int, ...] = ()
    description: str = ""
    tags: tuple[str, ...] = ()
    operation_id: str = ""
    params: dict[str, str] = field(default_factory=dict)  # path parameter -> description
    # for a file download: the media types of the 200 answer (the view returns a Response)
    media_types: tuple[str, ...] = ()

    @property
    def path(self) -> str:
        return re.sub(r"<(?:[a-z]+:)?([a-z_]+)>", r"{\1}", self.rule)

    @property
    def path_params(self) -> list[str]:
        return re.findall(r"<(?:[a-z]+:)?([a-z_]+)>", self.rule)


class Api:
    """A Flask app for the JSON API, mounted under a prefix (``/api``) beside Dash."""

    def __init__(self, name: str, *, title: str, version: str, description: str = ""):
        self.flask = Flask(name)
        self.flask.json.sort_keys = False
        self.title, self.version, self.description = title, version, description
        self.endpoints: list[Endpoint] = []
        self.mount_prefix = "/api"
        self._openapi: bytes | None = None
        self.flask.register_error_handler(ApiError, self._api_error)
        self.flask.register_error_handler(HTTPException, self._http_error)
        self.flask.register_error_handler(Exception, self._server_error)
        self.flask.add_url_rule(
            "/openapi.json", "openapi", lambda: json_response(self.openapi_bytes())
        )

    # ---- errors ----------------------------------------------------------------------------
    @staticmethod
    def _api_error(exc: ApiError) -> Response:
        return json_response(exc.body.model_dump_json(exclude_none=True), exc.status, exc.headers)

    def _http_error(self, exc: HTTPException) -> Response:
        status = exc.code or 500
        code = {404: "not_found", 405: "method_not_allowed"}.get(status, "bad_request")
        message = {
            404: "no such endpoint; see /api/openapi.json",
            405: f"method {request.method} not allowed here",
        }.get(status, ERROR_TEXT.get(status, "request failed"))
        headers = {}
        if status == 405:
            allow = exc.get_response().headers.get("Allow")
            if allow:
                headers["Allow"] = allow
        if status >= 500:
            return self._server_error(exc)
        return self._api_error(ApiError(status, code, message, headers=headers))

    def _server_error(self, exc: Exception) -> Response:
        self.flask.logger.exception("API error")
        body = ErrorResponse(
            error=ErrorDetail(status=500, code="internal_error", message="internal error")
        )
        return json_response(body.model_dump_json(exclude_none=True), 500)

    # ---- endpoints -------------------------------------------------------------------------
    def endpoint(
        self,
        method: str,
        rule: str,
        *,
        response: type[BaseModel],
        summary: str,
        query: type[BaseModel] = NoQuery,
        body: type[BaseModel] | None = None,
        errors: tuple[int, ...] = (),
        description: str = "",
        tags: tuple[str, ...] = (),
        params: dict[str, str] | None = None,
        media_types: tuple[str, ...] = (),
    ) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
        """Declare an endpoint. The view gets path parameters, then ``query=`` and ``body=``
        (validated models) if declared, and returns a response model instance (or bytes of
        JSON already serialised). A download declares its ``media_types`` and returns a Flask
        ``Response`` (its 200 is documented as those media types, binary)."""

        def register(fn: Callable[..., Any]) -> Callable[..., Any]:
            ep = Endpoint(
                method=method.upper(),
                rule=rule,
                summary=summary,
                response=response,
                view=fn,
                query=query,
                body=body,
                errors=tuple(sorted(set(errors) | {400} | ({422, 415} if body else set()))),
                description=description or (fn.__doc__ or "").strip(),
                tags=tags,
                operation_id=fn.__name__,
                params=params or {},
                media_types=media_types,
            )
            self.endpoints.append(ep)
            self._openapi = None

            def view(**path: str) -> Response:
                kwargs: dict[str, Any] = dict(path)
                if query is not NoQuery or request.args:
                    kwargs_q = self._parse_query(query)
                    if query is not NoQuery:
                        kwargs["query"] = kwargs_q
                if body is not None:
                    kwargs["body"] = self._parse_body(body)
                try:
                    result = fn(**kwargs)
                except UnknownId as exc:
                    raise not_found(exc) from None
                if isinstance(result, Response):
                    return result
                if isinstance(result, bytes | str):
                    return json_response(result)
                return json_response(result.model_dump_json())

            self.flask.add_url_rule(rule, ep.operation_id, view, methods=[ep.method])
            return fn

        return register

    @staticmethod
    def _parse_query(model: type[BaseModel]) -> BaseModel:
        args = request.args
        repeated = sorted(k for k in args if len(args.getlist(k)) > 1)
        if repeated:
            raise ApiError(
                400,
                "invalid_query",
                "a query parameter is repeated",
                details=[
                    ErrorItem(location=f"query.{k}", message="give this parameter once")
                    for k in repeated
                    if ID_RE.match(k.replace("_", "-"))
                ]
                or None,
            )
        try:
            return model.model_validate(dict(args.items()))
        except ValidationError as exc:
            details = [
                d
                if ID_RE.match(d.location.removeprefix("query.").replace("_", "-"))
                else ErrorItem(location="query", message=d.message)
                for d in _details(exc, "query")
            ]
            raise ApiError(
                400,
                "invalid_query",
                _first("the query parameters are not valid", details),
                details=details,
            ) from None

    @staticmethod
    def _parse_body(model: type[BaseModel]) -> BaseModel:
        if request.content_length and request.content_length > MAX_BODY:
            raise ApiError(413, "too_large", "the request body is too large")
        if not request.is_json:
            raise ApiError(415, "unsupported_media_type", "send the body as application/json")
        raw = request.get_data(cache=False)
        if len(raw) > MAX_BODY:
            raise ApiError(413, "too_large", "the request body is too large")
        try:
            data = load_json(raw or b"null")
        except TooComplex as exc:
            raise ApiError(400, "too_complex", f"the request body is {exc.message}") from None
        except (Unreadable, UnicodeDecodeError):
            raise ApiError(400, "invalid_json", "the request body is not valid JSON") from None
        try:
            return model.model_validate(data)
        except ValidationError as exc:
            details = _details(exc, "body")
            raise ApiError(
                422,
                "invalid_body",
                _first("the request body is not valid", details),
                details=details,
            ) from None

    # ---- OpenAPI ---------------------------------------------------------------------------
    def openapi(self) -> dict[str, Any]:
        wanted: list[tuple[type[BaseModel], str]] = [(ErrorResponse, "serialization")]
        for ep in self.endpoints:
            wanted.append((ep.response, "serialization"))
            if ep.body is not None:
                wanted.append((ep.body, "validation"))
        keys, top = models_json_schema(
            list(dict.fromkeys(wanted)), ref_template="#/components/schemas/{model}"
        )

        def ref(model: type[BaseModel], mode: str = "serialization") -> dict[str, str]:
            return dict(keys[(model, mode)])

        error_ref = ref(ErrorResponse)
        paths: dict[str, dict[str, Any]] = {}
        for ep in self.endpoints:
            params: list[dict[str, Any]] = [
                {
                    "name": name,
                    "in": "path",
                    "required": True,
                    "description": ep.params.get(name, ""),
                    "schema": {"type": "string", "minLength": 1, "maxLength": 200},
                }
                for name in ep.path_params
            ]
            if ep.query is not NoQuery:
                qschema = ep.query.model_json_schema()
                required = set(qschema.get("required", []))
                for name, prop in qschema.get("properties", {}).items():
                    params.append(
                        {
                            "name": name,
                            "in": "query",
                            "required": name in required,
                            "description": prop.get("description", ""),
                            "schema": {k: v for k, v in prop.items() if k != "description"},
                        }
                    )
            responses: dict[str, Any] = {
                "200": {
                    "description": "OK",
                    "content": {"application/json": {"schema": ref(ep.response)}},
                }
            }
            if ep.media_types:
                binary = {"type": "string", "format": "binary"}
                responses["200"]["content"] = {
                    mt: {"schema": {"type": "object"} if mt.endswith("json") else binary}
                    for mt in ep.media_types
                }
            for status in ep.errors:
                responses[str(status)] = {
                    "description": ERROR_TEXT.get(status, "Error"),
                    "content": {"application/json": {"schema": error_ref}},
                }
            op: dict[str, Any] = {
                "operationId": ep.operation_id,
                "summary": ep.summary,
                "description": ep.description,
                "parameters": params,
                "responses": responses,
            }
            if ep.tags:
                op["tags"] = list(ep.tags)
            if ep.body is not None:
                op["requestBody"] = {
                    "required": True,
                    "content": {"application/json": {"schema": ref(ep.body, "validation")}},
                }
            paths.setdefault(ep.path, {})[ep.method.lower()] = op
        return {
            "openapi": "3.1.0",
            "info": {
                "title": self.title,
                "version": self.version,
                "description": self.description,
            },
            "servers": [{"url": self.mount_prefix}],
            "paths": paths,
            "components": {"schemas": top.get("$defs", {})},
        }

    def openapi_bytes(self) -> bytes:
        if self._openapi is None:
            self._openapi = json.dumps(self.openapi(), indent=1).encode()
        return self._openapi
