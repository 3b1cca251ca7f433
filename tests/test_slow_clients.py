"""Slow clients and unbounded bodies against the real production server (issue 24, faults 1, 2
and 7): gunicorn with routemap's gevent workers, as ``make run`` starts it, with its header
and body timeouts shortened to 2 seconds so the tests are quick.

Each test would fail on the old server (2 sync workers): two trickling connections held both
workers, so /healthz waited as long as they trickled.
"""

from __future__ import annotations

import re
import socket
import subprocess
import threading
import time
import urllib.request

import pytest

from .test_faults import GUNICORN, free_port, start, stop, wait_ready

pytestmark = pytest.mark.skipif(not GUNICORN.exists(), reason="gunicorn is not installed")

TIMEOUTS = {"ROUTEMAP_HEADER_TIMEOUT": "2", "ROUTEMAP_BODY_TIMEOUT": "2"}


@pytest.fixture(scope="module")
def server():
    import os

    port = free_port()
    saved = {k: os.environ.get(k) for k in TIMEOUTS}
    os.environ.update(TIMEOUTS)
    try:
        proc = start(port)
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
    lines: list[str] = []

    def drain(stream):  # the access log (and any error) as it is written
        for line in stream:
            lines.append(line)

    for stream in (proc.stdout, proc.stderr):
        threading.Thread(target=drain, args=(stream,), daemon=True).start()
    try:
        wait_ready(port, proc)
        yield port, proc, lines
    finally:
        stop(proc)


def _connect(port: int) -> socket.socket:
    return socket.create_connection(("127.0.0.1", port), timeout=30)


def _answer(s: socket.socket) -> bytes:
    """The whole answer: its head, then as much body as it declares (or until the server
    closes). One recv may return only the head: TCP need not deliver the answer in one piece."""
    data = b""
    while b"\r\n\r\n" not in data:
        part = s.recv(4096)
        if not part:
            return data
        data += part
    head, _, body = data.partition(b"\r\n\r\n")
    length = re.search(rb"(?im)^content-length:\s*(\d+)", head)
    while length and len(body) < int(length.group(1)):
        part = s.recv(4096)
        if not part:
            break
        body += part
    return head + b"\r\n\r\n" + body


def _health(port: int, timeout: float = 5) -> int:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=timeout) as r:
        return r.status


def _trickle(port: int, head: bytes, stop_at: float, opened: list) -> None:
    """Send ``head``, then one byte a second until ``stop_at`` (or the server closes)."""
    try:
        with _connect(port) as s:
            s.sendall(head)
            opened.append(1)
            while time.monotonic() < stop_at:
                time.sleep(1)
                s.sendall(b"X")
    except OSError:
        pass


def test_slow_clients_do_not_starve_the_server(server):
    port, _, _ = server
    opened: list = []
    stop_at = time.monotonic() + 8
    heads = [b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n"] * 30 + [
        b"POST /route/questions/staff_count HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        b"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 1000\r\n\r\n"
    ] * 30
    threads = [
        threading.Thread(target=_trickle, args=(port, head, stop_at, opened), daemon=True)
        for head in heads
    ]
    for t in threads:
        t.start()
    while len(opened) < len(heads) and time.monotonic() < stop_at:
        time.sleep(0.05)
    assert len(opened) == len(heads)
    answered = 0
    while time.monotonic() < stop_at - 1:  # while all 60 trickle
        assert _health(port) == 200
        answered += 1
        time.sleep(0.2)
    assert answered >= 10
    for t in threads:
        t.join(timeout=30)


def test_headers_that_do_not_arrive_in_time_close_the_connection(server):
    port, _, _ = server
    with _connect(port) as s:
        s.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n")
        started = time.monotonic()
        assert s.recv(100) == b""  # closed by the server, with no answer
        assert time.monotonic() - started < 15


def test_a_body_that_does_not_arrive_in_time_gets_408(server):
    port, _, _ = server
    with _connect(port) as s:
        s.sendall(
            b"POST /api/v1/route HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            b"Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"
        )
        answer = _answer(s)
    assert answer.startswith(b"HTTP/1.1 408")
    assert b'"code": "too_slow"' in answer and b"did not arrive within 2 seconds" in answer


def _worker_rss_kb(proc: subprocess.Popen) -> int:
    children = subprocess.run(
        ["ps", "-o", "rss=", "--ppid", str(proc.pid)], capture_output=True, text=True
    ).stdout.split()
    return sum(int(x) for x in children)


@pytest.mark.parametrize(
    "path", ["/route/questions/staff_count", "/api/v1/route", "/_explorer/_dash-update-component"]
)
def test_a_huge_chunked_body_is_refused_without_being_read(server, path):
    port, proc, _ = server
    before = _worker_rss_kb(proc)
    chunk = b"a" * 65536
    frame = b"%x\r\n%s\r\n" % (len(chunk), chunk)
    sent = 0
    with _connect(port) as s:
        s.sendall(
            f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            "Content-Type: application/x-www-form-urlencoded\r\n"
            "Transfer-Encoding: chunked\r\n\r\n".encode()
        )
        try:
            while sent < 256 * 1024 * 1024:
                s.sendall(frame)
                sent += len(chunk)
        except OSError:  # the server closed it: what was expected
            pass
        try:
            answer = s.recv(4096)
        except OSError:
            answer = b""
    assert sent < 32 * 1024 * 1024  # refused early: not 256 MB
    assert answer == b"" or answer.startswith(b"HTTP/1.1 413")
    assert _worker_rss_kb(proc) - before < 50_000  # not read into memory
    assert _health(port) == 200


def test_a_declared_huge_body_is_refused_at_once_with_413(server):
    port, _, _ = server
    with _connect(port) as s:
        s.sendall(
            b"POST /route/questions/staff_count HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            b"Content-Type: application/x-www-form-urlencoded\r\n"
            b"Content-Length: 268435456\r\n\r\nstaff_count=1"
        )
        answer = _answer(s)
    assert answer.startswith(b"HTTP/1.1 413")
    assert b"The request body is too large for a form (at most 64 KB)" in answer
    assert b"Cache-Control: no-store" in answer


def test_the_access_log_has_paths_without_query_strings_or_referers(server):
    port, _, lines = server
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/route?parent_body=nhs&note_tupe=SECRETNOTE",
        headers={"Referer": f"http://127.0.0.1:{port}/adviser?note_x=SECRETREFERER"},
    )
    with urllib.request.urlopen(request, timeout=30) as r:
        assert r.status == 200
        assert r.headers["Cache-Control"] == "no-store"
    deadline = time.monotonic() + 10
    while not any('"GET /route HTTP/1.1" 200' in line for line in lines):
        assert time.monotonic() < deadline, "no access log line for the request"
        time.sleep(0.1)
    log = "".join(lines)
    assert "SECRETNOTE" not in log and "SECRETREFERER" not in log
    assert "parent_body" not in log
