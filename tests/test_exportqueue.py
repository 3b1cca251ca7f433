"""Expensive exports are bounded (issue 24, fault 5): PNG and PDF are made one at a time off
the worker's event loop, a client has one at a time, a full queue answers 503 with
Retry-After, and what was made is served from the cache."""

from __future__ import annotations

import fcntl
import os

import pytest

from routemap.web import create_app
from routemap.web.exportqueue import (
    CLIENT_BUCKETS,
    MAX_WAITING,
    Busy,
    ExportQueue,
    client_of,
)

from .conftest import MINI


def _hold(queue: ExportQueue, name: str) -> int:
    fd = os.open(queue.folder / name, os.O_RDWR | os.O_CREAT)
    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    return fd


def _bucket(client: str) -> int:
    import hashlib

    return int(hashlib.sha256(client.encode()).hexdigest()[:8], 16) % CLIENT_BUCKETS


def test_one_export_at_a_time_per_client(tmp_path):
    queue = ExportQueue(1, tmp_path)
    held = _hold(queue, f"client-{_bucket('10.0.0.1')}")  # an export of theirs is being made
    try:
        with pytest.raises(Busy) as caught:
            queue.run("10.0.0.1", lambda: b"png")
        assert caught.value.status == 429 and caught.value.retry_after > 0
        assert queue.run("10.0.0.2", lambda: b"png") == b"png"  # someone else is served
    finally:
        os.close(held)
    assert queue.run("10.0.0.1", lambda: b"png") == b"png"  # and then they are too


def test_a_full_queue_answers_busy_at_once(tmp_path):
    queue = ExportQueue(1, tmp_path)
    held = [_hold(queue, "slot-0")] + [_hold(queue, f"wait-{i}") for i in range(MAX_WAITING)]
    try:
        with pytest.raises(Busy) as caught:
            queue.run("10.0.0.3", lambda: b"png")
        assert caught.value.status == 503 and "busy" in caught.value.message
    finally:
        for fd in held:
            os.close(fd)


def test_a_waiting_export_is_made_when_the_slot_frees(tmp_path, monkeypatch):
    import threading

    queue = ExportQueue(1, tmp_path)
    slot = _hold(queue, "slot-0")
    threading.Timer(0.5, os.close, args=(slot,)).start()
    assert queue.run("10.0.0.4", lambda: b"made") == b"made"


def test_the_client_is_the_peer_or_what_a_local_proxy_says():
    assert client_of({"REMOTE_ADDR": "10.1.1.1", "HTTP_X_FORWARDED_FOR": "1.2.3.4"}) == "10.1.1.1"
    local = {"REMOTE_ADDR": "127.0.0.1", "HTTP_X_FORWARDED_FOR": "9.9.9.9, 1.2.3.4"}
    assert client_of(local) == "1.2.3.4"
    assert client_of({"REMOTE_ADDR": "127.0.0.1"}) == "127.0.0.1"


# ---- through the API ---------------------------------------------------------------------------
@pytest.fixture(scope="module")
def client():
    return create_app({"DATA_DIR": MINI}).test_client()


def test_png_and_pdf_exports_still_work_and_are_cached(client, monkeypatch):
    from routemap.web import exportqueue

    made = []
    real = exportqueue.off_the_loop
    monkeypatch.setattr(exportqueue, "off_the_loop", lambda make: made.append(1) or real(make))
    url = "/api/v1/export?format=png&parent_body=nhs"
    first = client.get(url)
    assert first.status_code == 200 and first.data[:4] == b"\x89PNG"
    assert client.get(url).data == first.data
    assert len(made) == 1  # the second came from the cache
    pdf = client.get("/api/v1/export?format=pdf&parent_body=council")
    assert pdf.status_code == 200 and pdf.data[:5] == b"%PDF-"


def test_a_second_export_from_the_same_client_gets_429(monkeypatch):
    from routemap.web import exportqueue

    client = create_app({"DATA_DIR": MINI}).test_client()  # nothing cached yet

    def busy(self, who, make):
        raise Busy(429, "an export you asked for is still being made; wait for it", 5)

    monkeypatch.setattr(exportqueue.ExportQueue, "run", busy)
    r = client.get("/api/v1/export?format=png&paper=A4&parent_body=not_sure")
    assert r.status_code == 429
    assert r.headers["Retry-After"] == "5"
    assert r.get_json()["error"]["code"] == "too_many_exports"
    assert client.get("/healthz").status_code == 200
