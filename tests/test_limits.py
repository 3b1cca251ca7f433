"""Every body has a limit (413 with a clear message, in the API's error shape for JSON clients),
and answers that carry a person's answers or notes are kept out of caches (issue 24)."""

from __future__ import annotations

import io
import re

import pytest

from routemap.web import create_app
from routemap.web.limits import LIMITS, BodyLimits

from .conftest import MINI


@pytest.fixture(scope="module")
def client():
    return create_app({"DATA_DIR": MINI}).test_client()


@pytest.mark.parametrize(
    ("path", "content_type", "limit_words"),
    [
        ("/api/v1/route", "application/json", "an API request (at most 64 KB)"),
        ("/_explorer/_dash-update-component", "application/json", "a page update (at most 256 KB)"),
        ("/route/questions/staff_count", "application/x-www-form-urlencoded", "a form"),
        ("/route/answers-file", "multipart/form-data; boundary=x", "an uploaded file"),
        ("/no/such/page", "text/plain", "a form (at most 64 KB)"),
    ],
)
def test_a_body_over_its_limit_gets_413_naming_the_limit(client, path, content_type, limit_words):
    limit, _ = BodyLimits(None).limit_for(path)
    r = client.post(path, data=b"a" * (limit + 1), content_type=content_type)
    assert r.status_code == 413
    assert r.headers["Cache-Control"] == "no-store"
    text = r.get_data(as_text=True)
    assert f"too large for {limit_words}" in text
    if path.startswith("/api/") or path == "/_explorer/_dash-update-component":
        assert r.get_json()["error"] == {
            "status": 413,
            "code": "too_large",
            "message": f"the request body is too large for {limit_words}",
        }


def _call(environ: dict) -> tuple[str, bytes, bool]:
    """The middleware alone, in front of an app that must not be reached."""
    reached = []

    def app(environ, start_response):
        reached.append(environ["wsgi.input"].read())
        start_response("200 OK", [])
        return [b"ok"]

    answer: list[str] = []
    body = BodyLimits(app)(
        {"REQUEST_METHOD": "POST", **environ}, lambda status, headers: answer.append(status)
    )
    return answer[0], b"".join(body), bool(reached)


def test_a_chunked_body_over_the_limit_is_refused_without_reading_the_rest():
    sent = {"n": 0}

    class Endless(io.RawIOBase):  # a client that would send for ever
        def readable(self):
            return True

        def readinto(self, buffer):
            sent["n"] += len(buffer)
            buffer[:] = b"a" * len(buffer)
            return len(buffer)

    status, body, reached = _call(
        {
            "PATH_INFO": "/route/questions/staff_count",
            "HTTP_TRANSFER_ENCODING": "chunked",
            "wsgi.input": io.BufferedReader(Endless()),
        }
    )
    assert status.startswith("413") and not reached
    assert b"at most 64 KB" in body
    assert sent["n"] < 1024 * 1024  # stopped just past the 64 KB limit


def test_a_chunked_body_within_the_limit_reaches_the_app_whole():
    status, body, reached = _call(
        {
            "PATH_INFO": "/api/v1/route",
            "HTTP_TRANSFER_ENCODING": "chunked",
            "wsgi.input": io.BytesIO(b"x" * 1000),
        }
    )
    assert status.startswith("200") and reached


def test_a_bad_content_length_is_400():
    status, body, reached = _call(
        {"PATH_INFO": "/api/v1/route", "CONTENT_LENGTH": "x", "wsgi.input": io.BytesIO(b"{}")}
    )
    assert status.startswith("400") and not reached
    assert b"the Content-Length is not a number" in body


def test_bodies_within_their_limits_still_work(client):
    r = client.post("/api/v1/route", json={"answers": {"parent_body": "nhs"}})
    assert r.status_code == 200
    r = client.post(
        "/route/questions/staff_count?parent_body=nhs",
        data={"staff_count": "40"},
        content_type="application/x-www-form-urlencoded",
    )
    assert r.status_code in (303, 405)  # the mini map may ask no number question
    r = client.post(
        "/route/answers-file",
        data={"file": (io.BytesIO(b"parent_body: nhs\n"), "a.yaml")},
        content_type="multipart/form-data",
    )
    assert r.status_code == 303


def test_an_answers_file_over_the_page_limit_gets_the_page_s_own_words(client):
    r = client.post(
        "/route/answers-file",
        data={"file": (io.BytesIO(b"#" * 300_000), "big.yaml")},
        content_type="multipart/form-data",
    )
    assert r.status_code == 413
    assert "The file is too big" in r.get_data(as_text=True)


def test_the_limits_are_listed_most_specific_first():
    prefixes = [p for p, _, _ in LIMITS]
    assert prefixes[-1] == "/"
    assert BodyLimits(None).limit_for("/api/v1/next")[0] == 64 * 1024


# ---- no-store for whatever carries answers or notes -------------------------------------------
@pytest.mark.parametrize(
    ("method", "path", "kwargs"),
    [
        ("GET", "/route?parent_body=nhs", {}),
        ("GET", "/adviser?parent_body=nhs&skipped=tupe&note_tupe=why", {}),
        ("GET", "/route/check?parent_body=nhs", {}),
        ("GET", "/route/questions/parent_body?parent_body=nhs", {}),
        ("GET", "/adviser/print?parent_body=nhs", {}),
        ("GET", "/api/v1/export?format=csv&parent_body=nhs", {}),
        ("POST", "/api/v1/route", {"json": {"answers": {"parent_body": "nhs"}}}),
        ("POST", "/api/v1/next", {"json": {"answers": {"parent_body": "nhs"}}}),
        ("POST", "/route/answers-file", {"data": {"target": "route"}}),
    ],
)
def test_answers_are_never_cached(client, method, path, kwargs):
    r = client.open(path, method=method, **kwargs)
    assert r.status_code < 500
    assert r.headers["Cache-Control"] == "no-store", (method, path)


def test_static_files_and_plain_pages_stay_cacheable(client):
    page = client.get("/").get_data(as_text=True)
    bundle = re.search(r'src="(/_explorer/_dash-component-suites/[^"]+)"', page).group(1)
    r = client.get(bundle)
    assert r.status_code == 200 and r.headers.get("Cache-Control") != "no-store"
    assert client.get("/about").headers.get("Cache-Control") != "no-store"
