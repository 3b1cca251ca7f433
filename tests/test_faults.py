"""Faults: bad data stops the server at once; /healthz is ready only with data; SIGTERM lets
in-flight requests finish. These run the real production server (gunicorn, 2 workers)."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from .conftest import MINI, ROOT

GUNICORN = Path(sys.executable).with_name("gunicorn")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start(port: int, app: str = "app:server", data: Path | None = None) -> subprocess.Popen:
    env = {**os.environ, "ROUTEMAP_BIND": f"127.0.0.1:{port}", "PYTHONPATH": str(ROOT)}
    if data is not None:
        env["ROUTEMAP_DATA"] = str(data)
    return subprocess.Popen(
        [str(GUNICORN), "-c", "gunicorn.conf.py", app],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def wait_ready(port: int, proc: subprocess.Popen, timeout: float = 60) -> dict:
    import json

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError("server exited: " + proc.stderr.read())
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as r:
                return json.loads(r.read())
        except OSError:
            time.sleep(0.2)
    raise AssertionError("server did not become ready")


def stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()


pytestmark = pytest.mark.skipif(not GUNICORN.exists(), reason="gunicorn is not installed")


@pytest.mark.parametrize("fault", ["bad-colour", "missing-file", "not-utf8"])
def test_startup_on_bad_data_fails_fast_with_the_messages(tmp_path, fault):
    from .broken_cases import apply_case, load_case

    data = tmp_path / "data"
    shutil.copytree(MINI, data)
    case = load_case(fault)
    apply_case(case, data)
    started = time.monotonic()
    proc = start(free_port(), data=data)
    try:
        _, err = proc.communicate(timeout=60)
    finally:
        stop(proc)
    assert proc.returncode != 0
    assert time.monotonic() - started < 30
    for message in case["expected"]:
        assert message in err
    assert "the app cannot start on invalid data" in err
    assert "Traceback" not in err


def test_healthz_is_ready_only_with_the_data_loaded():
    port = free_port()
    proc = start(port, data=MINI)
    try:
        health = wait_ready(port, proc)
        assert health["status"] == "ready"
        assert "6 stations" in str(health)
    finally:
        stop(proc)


def test_sigterm_lets_in_flight_requests_finish():
    port = free_port()
    proc = start(port, app="tests.slow_app:server", data=MINI)
    try:
        wait_ready(port, proc)
        result: dict = {}

        def slow() -> None:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/slow", timeout=30) as r:
                result["status"], result["body"] = r.status, r.read()

        t = threading.Thread(target=slow)
        t.start()
        time.sleep(0.7)  # the request is now being served
        proc.send_signal(signal.SIGTERM)
        t.join(timeout=30)
        assert result == {"status": 200, "body": b"finished"}
        proc.wait(timeout=30)
        assert proc.returncode == 0
    finally:
        stop(proc)


def test_routemap_serve_is_gunicorn_and_names_no_server_version():
    """What `make run` runs: gunicorn (no development-server warning), no version in a header."""
    port = free_port()
    routemap_cli = Path(sys.executable).with_name("routemap")
    proc = subprocess.Popen(
        [str(routemap_cli), "serve", "--port", str(port), "--workers", "1"],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert wait_ready(port, proc)["status"] == "ready"
        for path in ("/", "/healthz", "/api/v1/lines", "/no-such-page"):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=10) as r:
                    headers = r.headers
            except urllib.error.HTTPError as err:
                headers = err.headers
            server = headers.get("Server", "")
            assert "/" not in server and "Werkzeug" not in server and "Python" not in server, (
                path,
                server,
            )
    finally:
        stop(proc)
    err = proc.stderr.read()
    assert "development server" not in err
    assert "Booting worker" in err  # gunicorn's own words
