"""Production configuration and bad input at the edges: the Host header, debug switches,
tracebacks."""

from __future__ import annotations

import pytest

from routemap.web import create_app
from routemap.web.security import allowed_hosts

from .conftest import MINI


@pytest.fixture(scope="module")
def client():
    return create_app({"DATA_DIR": MINI}).server.test_client()


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
    c = app.server.test_client()
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
    c = app.server.test_client()
    assert not app.server.debug
    for path in (
        "/_dash-update-component",
        "/_reload-hash",
        "/_alive_x",
        "/console",
        "/__debugger__",
    ):
        r = c.get(path)
        assert r.status_code in (400, 404, 405), path
        assert b"Traceback" not in r.data and b"Werkzeug Debugger" not in r.data
    assert c.get("/_reload-hash").status_code == 404  # hot reload is a dev tool


def test_no_traceback_in_any_error_response(client):
    for method, path in [
        ("GET", "/api/v1/stations/%00"),
        ("POST", "/api/v1/stations"),
        ("GET", "/api/v1/nope"),
        ("GET", "/station/nope"),
        ("POST", "/_dash-update-component"),
    ]:
        r = client.open(path, method=method, data=b"{not json", content_type="application/json")
        assert r.status_code < 500, (method, path)
        assert b"Traceback" not in r.data and b'File "' not in r.data
