"""PNG and PDF exports queued, so they cannot starve the pages: a PNG of a route takes 1 to 2
seconds of a core, and any route can be asked for.

- One export at a time is made (``ROUTEMAP_EXPORT_SLOTS``, default 1 of the 2 cores), in a
  child process forked for it, so the worker's other connections (``/healthz``, pages) go on
  being answered while it draws.
- At most ``MAX_WAITING`` more wait their turn (for ``WAIT_S`` seconds at most); beyond that
  the answer is 503 "busy", with ``Retry-After``.
- One client has at most one export made or waiting at a time; a second gets 429.
- What is made is cached by what it draws (``routeapi.ExportCache``), so the same file twice
  costs nothing.

Slots are ``flock`` locks on files in a private folder made when the app is built (before
gunicorn forks its workers, so every worker shares them), so the limits hold across workers
and a worker that dies releases its locks.
"""

from __future__ import annotations

import atexit
import fcntl
import hashlib
import os
import select
import shutil
import signal
import struct
import tempfile
import time
from collections.abc import Callable
from contextlib import ExitStack
from pathlib import Path

MAX_WAITING = 8
WAIT_S = 30.0
RENDER_TIMEOUT_S = 60.0
CLIENT_BUCKETS = 256
LOCAL = ("127.0.0.1", "::1")


class Busy(Exception):
    """No export now: ``status`` 429 (this client's export is being made) or 503 (the server
    is busy), ``retry_after`` in seconds."""

    def __init__(self, status: int, message: str, retry_after: int):
        super().__init__(message)
        self.status = status
        self.message = message
        self.retry_after = retry_after


class Failed(Exception):
    """The child process failed or took too long (``message`` says which)."""


def _remove(folder: Path, owner: int) -> None:
    if os.getpid() == owner:  # the process that made it (gunicorn's master), not a worker
        shutil.rmtree(folder, ignore_errors=True)


def client_of(environ) -> str:
    """Who asked: the peer's address, or the last address a proxy on this machine added to
    ``X-Forwarded-For`` (the README's proxy set-up)."""
    peer = environ.get("REMOTE_ADDR") or "-"
    forwarded = environ.get("HTTP_X_FORWARDED_FOR", "")
    if peer in LOCAL and forwarded:
        return forwarded.rsplit(",", 1)[-1].strip() or peer
    return peer


class ExportQueue:
    def __init__(self, slots: int | None = None, folder: Path | None = None):
        self.slots = slots or int(os.environ.get("ROUTEMAP_EXPORT_SLOTS", "1"))
        if folder is None:
            folder = Path(tempfile.mkdtemp(prefix="routemap-exports-"))
            atexit.register(_remove, folder, os.getpid())
        self.folder = folder

    def _try_lock(self, name: str):
        fd = os.open(self.folder / name, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            return None
        return fd

    def _first_free(self, prefix: str, count: int):
        for i in range(count):
            fd = self._try_lock(f"{prefix}-{i}")
            if fd is not None:
                return fd
        return None

    def _wait_for_slot(self):
        deadline = time.monotonic() + WAIT_S
        while time.monotonic() < deadline:
            time.sleep(0.1)  # gevent's sleep in a worker: its other requests go on
            slot = self._first_free("slot", self.slots)
            if slot is not None:
                return slot
        raise Busy(503, "the server is busy making other exports; try again soon", 10)

    def run(self, client: str, make: Callable[[], bytes]) -> bytes:
        """``make()``'s bytes, made in a child process when this client's turn comes."""
        bucket = int(hashlib.sha256(client.encode()).hexdigest()[:8], 16) % CLIENT_BUCKETS
        with ExitStack() as held:
            mine = self._try_lock(f"client-{bucket}")
            if mine is None:
                raise Busy(
                    429,
                    "an export you asked for is still being made; wait for it, then ask again",
                    5,
                )
            held.callback(os.close, mine)
            slot = self._first_free("slot", self.slots)
            if slot is None:
                waiting = self._first_free("wait", MAX_WAITING)
                if waiting is None:
                    raise Busy(503, "the server is busy making other exports; try again soon", 10)
                try:
                    slot = self._wait_for_slot()
                finally:
                    os.close(waiting)
            held.callback(os.close, slot)
            return in_child(make, RENDER_TIMEOUT_S)


def in_child(make: Callable[[], bytes], timeout: float) -> bytes:
    """``make()`` run in a forked child: its bytes, or the exception it raised again here
    (an ExportError keeps its message), or Failed. The parent only waits on a pipe."""
    from ..export import ExportError

    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: make, send, and leave without running anything of the parent's
        code = 1
        try:
            os.close(read_end)
            try:
                payload, kind = make(), b"D"
            except ExportError as exc:
                payload, kind = str(exc).encode("utf-8"), b"E"
            except BaseException:  # noqa: BLE001 - told to the parent as a failure
                payload, kind = b"", b"X"
            data = kind + struct.pack(">Q", len(payload)) + payload
            view = memoryview(data)
            while view:
                view = view[os.write(write_end, view) :]
            code = 0
        finally:
            os._exit(code)
    os.close(write_end)
    parts: list[bytes] = []
    deadline = time.monotonic() + timeout
    try:
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                os.kill(pid, signal.SIGKILL)
                raise Failed(f"the export took longer than {timeout:g} seconds")
            ready, _, _ = select.select([read_end], [], [], remaining)
            if not ready:
                continue
            part = os.read(read_end, 1 << 20)
            if not part:
                break
            parts.append(part)
    finally:
        os.close(read_end)
        try:
            os.waitpid(pid, 0)
        except ChildProcessError:
            pass
    data = b"".join(parts)
    if len(data) < 9 or data[:1] == b"X" or struct.unpack(">Q", data[1:9])[0] != len(data) - 9:
        raise Failed("the export could not be made")
    if data[:1] == b"E":
        raise ExportError(data[9:].decode("utf-8"))
    return data[9:]
