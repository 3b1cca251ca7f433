"""The JSON API through Flask's test client: every endpoint, bad ids, bad query parameters,
wrong methods, the one error shape, and answers that validate against the OpenAPI document."""

from __future__ import annotations

import jsonschema
import pytest
from pydantic import BaseModel

from routemap.web import create_app
from routemap.web.apikit import Api, ApiModel

from .conftest import MINI

ENDPOINTS = [
    "/api/v1/map",
    "/api/v1/stations",
    "/api/v1/stations/go-live",
    "/api/v1/lines",
    "/api/v1/lines/cic",
]


@pytest.fixture(scope="module")
def client():
    return create_app({"DATA_DIR": MINI}).test_client()


@pytest.fixture(scope="module")
def real_client(real_map):
    return create_app({"ROUTEMAP": real_map}).test_client()


@pytest.fixture(scope="module")
def openapi(client):
    return client.get("/api/openapi.json").json


def validate(openapi: dict, schema_ref: dict, instance) -> None:
    """Validate an answer against a schema of the OpenAPI document (refs resolved in it)."""
    schema = {**schema_ref, "components": openapi["components"]}
    jsonschema.Draft202012Validator(schema).validate(instance)


def assert_error(response, status: int, code: str, openapi: dict | None = None) -> dict:
    assert response.status_code == status
    assert response.mimetype == "application/json"
    body = response.json
    assert set(body) == {"error"}
    assert body["error"]["status"] == status
    assert body["error"]["code"] == code
    assert body["error"]["message"]
    if openapi is not None:
        validate(openapi, {"$ref": "#/components/schemas/ErrorResponse"}, body)
    return body["error"]


# ---- the endpoints ----------------------------------------------------------------------------
def test_map_has_data_and_geometry(client, mini_map):
    body = client.get("/api/v1/map").json
    assert body["info"]["title"] == mini_map.info.title
    assert [s["id"] for s in body["stations"]] == list(mini_map.stations)
    assert [ln["id"] for ln in body["lines"]] == list(mini_map.lines)
    assert {s["id"] for s in body["sources"]} == set(mini_map.sources)
    geometry = body["geometry"]
    assert geometry == mini_map.geometry.to_json()
    assert {s["id"] for s in geometry["stations"]} == set(mini_map.stations)


def test_stations_list_every_station(client, mini_map):
    body = client.get("/api/v1/stations").json
    assert body["count"] == len(mini_map.stations)
    ids = [s["id"] for s in body["stations"]]
    assert ids == list(mini_map.stations)
    go_live = body["stations"][ids.index("go-live")]
    assert go_live["interchange"] is True
    assert go_live["lines"] == ["cic", "society"]
    assert go_live["links"] == {"page": "/station/go-live", "api": "/api/v1/stations/go-live"}


def test_stations_search_by_form_code_and_name(client):
    body = client.get("/api/v1/stations?q=cic36").json
    assert body["stations"][0]["id"] == "register-cic"
    assert body["stations"][0]["form_codes"] == ["CIC36"]
    assert client.get("/api/v1/stations?q=register").json["count"] == 2


def test_stations_filter_by_kind_and_line(client, mini_map):
    body = client.get("/api/v1/stations?kind=registration").json
    assert {s["id"] for s in body["stations"]} == {"register-cic", "register-society"}
    body = client.get("/api/v1/stations?line=society").json
    assert [s["id"] for s in body["stations"]] == [
        s for s in mini_map.stations if s in mini_map.lines["society"].stations
    ]


def test_one_station_in_full(client, mini_map):
    body = client.get("/api/v1/stations/go-live").json
    st = mini_map.stations["go-live"]
    assert body["name"] == st.name and body["summary"] == st.summary
    assert [ln["id"] for ln in body["lines"]] == ["cic", "society"]
    assert {p["station"]["id"] for p in body["previous"]} == {"register-cic", "register-society"}
    assert {n["station"]["id"] for n in body["next"]} == {"renewed"}
    assert [s["id"] for s in body["sources"]] == list(st.sources)
    assert body["sources"][0]["url"].startswith("https://")
    assert body["duration"] == {
        "text": "One day",
        "min_days": None,
        "max_days": None,
        "sources": [],
    }


def test_lines_and_one_line(client, mini_map):
    body = client.get("/api/v1/lines").json
    assert [ln["id"] for ln in body["lines"]] == list(mini_map.lines)
    one = client.get("/api/v1/lines/society").json
    assert [s["station"]["id"] for s in one["stops"]] == mini_map.lines["society"].stations
    assert [s["number"] for s in one["stops"]] == list(range(1, len(one["stops"]) + 1))
    go_live = next(s for s in one["stops"] if s["station"]["id"] == "go-live")
    assert [ln["id"] for ln in go_live["change_for"]] == ["cic"]
    assert go_live["change_for"][0]["name"] == mini_map.lines["cic"].name


def test_the_real_map_is_served_whole(real_client, real_map):
    body = real_client.get("/api/v1/map").json
    assert len(body["stations"]) == len(real_map.stations)
    assert len(body["geometry"]["lines"]) == len(real_map.lines)
    for sid in list(real_map.stations)[:10]:
        assert real_client.get(f"/api/v1/stations/{sid}").status_code == 200


# ---- errors: one shape, a 4xx, never a 500 for bad input ---------------------------------------
def test_unknown_station_is_404_naming_the_kind(client, openapi):
    err = assert_error(client.get("/api/v1/stations/no-such-thing"), 404, "not_found", openapi)
    assert err["kind"] == "station"
    assert err["message"] == "unknown station 'no-such-thing'"


def test_unknown_line_is_404_naming_the_kind(client, openapi):
    err = assert_error(client.get("/api/v1/lines/no-such-line"), 404, "not_found", openapi)
    assert err == {
        "status": 404,
        "code": "not_found",
        "message": "unknown line 'no-such-line'",
        "kind": "line",
    }
    err = assert_error(client.get("/api/v1/stations?line=nope"), 404, "not_found", openapi)
    assert err["kind"] == "line"


@pytest.mark.parametrize(
    "bad",
    [
        "%3Cscript%3Ealert(1)%3C%2Fscript%3E",
        "Go_Live",
        "x" * 500,
        "%00",
        "..%2F..%2Fetc%2Fpasswd",
        "%E2%80%AEevil",
        "g%C3%B6-live",
    ],
)
def test_bad_ids_are_404_and_never_echoed(client, bad):
    r = client.get(f"/api/v1/stations/{bad}")
    assert r.status_code == 404, r.data[:200]
    err = r.json["error"]
    if "%2F" in bad:  # a decoded slash makes it another path: no such endpoint
        assert err["code"] == "not_found" and "kind" not in err
    else:
        assert err["kind"] == "station"
        assert err["message"] == "unknown station (not a valid id)"
    text = r.get_data(as_text=True)
    assert "script" not in text and "Go_Live" not in text and "xxxxx" not in text


@pytest.mark.parametrize(
    "query,location",
    [
        ("zzz=1", "query.zzz"),
        ("q=", "query.q"),
        ("q=" + "a" * 101, "query.q"),
        ("kind=planet", "query.kind"),
        ("q=a&q=b", "query.q"),
    ],
)
def test_bad_query_parameters_are_400_with_details(client, openapi, query, location):
    err = assert_error(client.get(f"/api/v1/stations?{query}"), 400, "invalid_query", openapi)
    assert location in [d["location"] for d in err["details"]]


def test_query_parameters_on_endpoints_that_take_none_are_400(client, openapi):
    err = assert_error(client.get("/api/v1/lines?x=1"), 400, "invalid_query", openapi)
    assert err["details"][0]["location"] == "query.x"


def test_hostile_parameter_names_and_values_are_not_echoed(client):
    r = client.get("/api/v1/stations?%3Cscript%3E=1&kind=%3Cimg%3E")
    assert r.status_code == 400
    text = r.get_data(as_text=True)
    assert "<script>" not in text and "<img>" not in text and "script" not in text


@pytest.mark.parametrize("path", ENDPOINTS + ["/api/openapi.json"])
@pytest.mark.parametrize("method", ["POST", "PUT", "PATCH", "DELETE"])
def test_wrong_methods_are_405_with_allow(client, openapi, path, method):
    r = client.open(path, method=method, json={"a": 1})
    err = assert_error(r, 405, "method_not_allowed", openapi)
    assert "GET" in r.headers["Allow"]
    assert method in err["message"]


@pytest.mark.parametrize("path", ENDPOINTS)
def test_head_and_options_work(client, path):
    assert client.head(path).status_code == 200
    r = client.options(path)
    assert r.status_code == 200 and "GET" in r.headers["Allow"]


@pytest.mark.parametrize(
    "path", ["/api/v1/nothing", "/api/v2/map", "/api/", "/api/v1/stations/a/b"]
)
def test_unknown_api_paths_are_json_404_not_the_page(client, openapi, path):
    assert_error(client.get(path), 404, "not_found", openapi)


def test_api_responses_carry_security_headers_and_json(client):
    for path in ENDPOINTS + ["/api/v1/stations/nope"]:
        r = client.get(path)
        assert r.mimetype == "application/json"
        assert r.headers["X-Content-Type-Options"] == "nosniff"
        assert "default-src 'none'" in r.headers["Content-Security-Policy"]
        assert r.headers["Referrer-Policy"]


# ---- the OpenAPI document -----------------------------------------------------------------------
def test_openapi_describes_every_endpoint(openapi):
    assert openapi["openapi"].startswith("3.1")
    assert openapi["servers"] == [{"url": "/api"}]
    assert set(openapi["paths"]) == {
        "/v1/map",
        "/v1/stations",
        "/v1/stations/{station_id}",
        "/v1/lines",
        "/v1/lines/{line_id}",
        "/v1/questions",
        "/v1/route",
        "/v1/next",
        "/v1/whatif",
        "/v1/compare",
        "/v1/export",
    }
    station = openapi["paths"]["/v1/stations/{station_id}"]["get"]
    assert station["parameters"][0]["name"] == "station_id"
    assert station["parameters"][0]["in"] == "path"
    assert "404" in station["responses"]
    names = {p["name"] for p in openapi["paths"]["/v1/stations"]["get"]["parameters"]}
    assert names == {"q", "kind", "line"}


def test_the_openapi_schemas_are_valid_json_schema(openapi):
    for name, schema in openapi["components"]["schemas"].items():
        jsonschema.Draft202012Validator.check_schema(schema), name


@pytest.mark.parametrize(
    "path,template",
    [
        ("/api/v1/map", "/v1/map"),
        ("/api/v1/stations", "/v1/stations"),
        ("/api/v1/stations?q=cic36", "/v1/stations"),
        ("/api/v1/stations/go-live", "/v1/stations/{station_id}"),
        ("/api/v1/stations/register-cic", "/v1/stations/{station_id}"),
        ("/api/v1/lines", "/v1/lines"),
        ("/api/v1/lines/society", "/v1/lines/{line_id}"),
    ],
)
def test_answers_validate_against_the_openapi_document(client, openapi, path, template):
    schema = openapi["paths"][template]["get"]["responses"]["200"]["content"]["application/json"]
    validate(openapi, schema["schema"], client.get(path).json)


# ---- the kit, for endpoints with a body (later issues add POST endpoints) ------------------------
class Answers(ApiModel):
    answers: dict[str, str]


class Echo(BaseModel):
    count: int


@pytest.fixture(scope="module")
def kit():
    api = Api("test-kit", title="t", version="0")

    @api.endpoint("POST", "/v1/echo", response=Echo, body=Answers, summary="Count answers")
    def echo(body: Answers):
        return Echo(count=len(body.answers))

    @api.endpoint("GET", "/v1/boom", response=Echo, summary="A bug")
    def boom():
        raise RuntimeError("secret detail")

    return api


def test_kit_accepts_a_valid_body(kit):
    r = kit.flask.test_client().post("/v1/echo", json={"answers": {"a": "b"}})
    assert r.status_code == 200 and r.json == {"count": 1}


@pytest.mark.parametrize(
    "kwargs,status,code",
    [
        ({"data": "answers", "content_type": "text/plain"}, 415, "unsupported_media_type"),
        ({"data": "{not json", "content_type": "application/json"}, 400, "invalid_json"),
        ({"json": {"answers": {}, "extra": 1}}, 422, "invalid_body"),
        ({"json": {"answers": "no"}}, 422, "invalid_body"),
        ({"json": [1, 2]}, 422, "invalid_body"),
        ({"data": "{" + " " * 70_000 + "}", "content_type": "application/json"}, 413, "too_large"),
    ],
)
def test_kit_rejects_bad_bodies_in_the_one_shape(kit, kwargs, status, code):
    r = kit.flask.test_client().post("/v1/echo", **kwargs)
    assert_error(r, status, code)
    assert "not json" not in r.get_data(as_text=True)


def test_kit_lists_body_problems_by_location(kit):
    r = kit.flask.test_client().post("/v1/echo", json={"answers": {}, "extra": 1})
    assert r.json["error"]["details"] == [
        {"location": "body.extra", "message": "Extra inputs are not permitted"}
    ]


def test_kit_turns_a_bug_into_a_plain_500(kit):
    r = kit.flask.test_client().get("/v1/boom")
    assert_error(r, 500, "internal_error")
    assert "secret" not in r.get_data(as_text=True)


def test_kit_openapi_has_the_request_body(kit):
    doc = kit.openapi()
    op = doc["paths"]["/v1/echo"]["post"]
    assert op["requestBody"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/Answers"
    }
    assert {"400", "415", "422"} <= set(op["responses"])
    assert "Answers" in doc["components"]["schemas"] and "Echo" in doc["components"]["schemas"]
