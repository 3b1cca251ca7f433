"""Production configuration and bad input at the edges: the Host header, debug switches,
tracebacks."""

from __future__ import annotations

import pytest

from routemap.web import create_app
from routemap.web.security import allowed_hosts

from .conftest import MINI


@pytest.fixture(scope="module")
def client():
    return create_app({"DATA_DIR": MINI}).test_client()


@pytest.mark.parametrize(
    "host", ["evil.example", "localhost.evil.example", "127.0.0.1:x", "127.0.0.2", "[::2]:8050", ""]
)
@pytest.mark.parametrize("path", ["/", "/healthz", "/api/v1/lines", "/api/openapi.json"])
def test_a_bad_host_header_is_refused(client, host, path):
    r = client.get(path, headers={"Host": host})
    assert r.status_code == 400
    assert r.get_json()["error"]["code"] == "bad_host"
    assert host.encode() not in r.data or not host  # never echoed
    assert r.headers["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize("host", ["localhost", "localhost:8050", "127.0.0.1:8050", "[::1]:8050"])
def test_local_hosts_are_answered(client, host):
    assert client.get("/healthz", headers={"Host": host}).status_code == 200


def test_allowed_hosts_from_the_environment(monkeypatch):
    monkeypatch.setenv("ROUTEMAP_ALLOWED_HOSTS", "routes.example.gov.uk, www.routes.example.gov.uk")
    assert allowed_hosts(None) == ("routes.example.gov.uk", "www.routes.example.gov.uk")
    app = create_app({"DATA_DIR": MINI})
    c = app.test_client()
    assert c.get("/healthz", headers={"Host": "routes.example.gov.uk"}).status_code == 200
    assert c.get("/healthz", headers={"Host": "localhost"}).status_code == 400


@pytest.mark.parametrize(
    "env",
    [
        {"DASH_DEBUG": "true"},
        {"FLASK_DEBUG": "1"},
        {"DASH_DEV_TOOLS_UI": "true"},
        {"DASH_DEV_TOOLS_HOT_RELOAD": "true"},
        {"FLASK_ENV": "development"},
        {"WERKZEUG_DEBUG_PIN": "off"},
    ],
)
def test_debug_cannot_be_switched_on_by_environment_variables(monkeypatch, env):
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    app = create_app({"DATA_DIR": MINI})
    c = app.test_client()
    assert not app.debug
    for path in (
        "/_explorer/_dash-update-component",
        "/_explorer/_reload-hash",
        "/_explorer/_alive_x",
        "/_dash-update-component",
        "/_reload-hash",
        "/console",
        "/__debugger__",
    ):
        r = c.get(path)
        assert r.status_code in (400, 404, 405), path
        assert b"Traceback" not in r.data and b"Werkzeug Debugger" not in r.data
    assert c.get("/_explorer/_reload-hash").status_code == 404  # hot reload is a dev tool


def test_no_traceback_in_any_error_response(client):
    for method, path in [
        ("GET", "/api/v1/stations/%00"),
        ("POST", "/api/v1/stations"),
        ("GET", "/api/v1/nope"),
        ("GET", "/station/nope"),
        ("POST", "/_explorer/_dash-update-component"),
        ("POST", "/route/questions/staff_count"),
    ]:
        r = client.open(path, method=method, data=b"{not json", content_type="application/json")
        assert r.status_code < 500, (method, path)
        assert b"Traceback" not in r.data and b'File "' not in r.data


# ---- Dash callbacks called with forged or malformed values ----------------------------------

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

FORGED = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=True)
    | st.text(max_size=300)
    | st.just("<script>alert(1)</script>")
    | st.just("/station/" + "x" * 500),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=8,
)


@pytest.fixture(scope="module")
def dash_app():
    return create_app({"DATA_DIR": MINI})


CALLBACK = "/_explorer/_dash-update-component"


@settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
@given(body=FORGED, output=st.text(max_size=60) | st.just("cy.elements"))
def test_forged_callback_requests_get_a_clear_answer_and_the_server_stays_healthy(
    dash_app, body, output
):
    # the explorer has no callbacks: whatever is sent to its callback endpoint is refused
    client = dash_app.test_client()
    for sent in (body, {"output": output, "inputs": body}):
        r = client.post(CALLBACK, json=sent)
        assert r.status_code == 400, r.status_code
        assert b"Traceback" not in r.data
        assert r.get_json()["error"]["code"] == "bad_callback"
    assert client.get("/healthz").status_code == 200


def test_the_explorer_has_no_callback_to_forge(dash_app):
    explorer = dash_app.extensions["routemap.explorer"].dash
    assert not explorer.callback_map
    assert dash_app.test_client().get("/_explorer/_dash-dependencies").get_json() == []


def test_large_api_answers_are_gzipped_when_accepted(client):
    import gzip
    import json

    plain = client.get("/api/v1/map")
    packed = client.get("/api/v1/map", headers={"Accept-Encoding": "gzip"})
    assert "Content-Encoding" not in plain.headers
    assert packed.headers["Content-Encoding"] == "gzip"
    assert packed.headers["Vary"] == "Accept-Encoding"
    assert len(packed.data) < len(plain.data) / 3
    assert json.loads(gzip.decompress(packed.data)) == plain.get_json()


@pytest.mark.parametrize(
    "path",
    [
        "/_explorer/_dash-component-suites/dash/nope.js",
        "/_explorer/_dash-component-suites/dash/deps/nope.js",
        "/_explorer/_dash-component-suites/no_such_package/x.js",
        "/assets/nope.css",
    ],
)
def test_unknown_static_or_bundle_paths_are_404(client, caplog, path):
    r = client.get(path)
    assert r.status_code == 404
    assert b"Something went wrong" not in r.data
    assert "DependencyException" not in caplog.text


def test_a_real_bundle_is_still_served(client):
    page = client.get("/").get_data(as_text=True)
    import re

    bundle = re.search(r'src="(/_explorer/_dash-component-suites/dash/[^"]+\.js)"', page).group(1)
    assert client.get(bundle).status_code == 200
