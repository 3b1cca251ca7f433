"""PNG and PDF exports queued, so they cannot starve the pages: a PNG of a route takes 1 to 2
seconds of a core, and any route can be asked for.

- One export at a time is made (``ROUTEMAP_EXPORT_SLOTS``, default 1 of the 2 cores), in a
  thread off the worker's event loop, so its other connections (``/healthz``, pages) go on
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
import shutil
import tempfile
import time
from collections.abc import Callable
from contextlib import ExitStack
from pathlib import Path

from ..render.raster import load_cairo

MAX_WAITING = 8
WAIT_S = 30.0
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
        load_cairo()

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
        """``make()``'s bytes, made off the event loop when this client's turn comes."""
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
            return off_the_loop(make)


def off_the_loop(make: Callable[[], bytes]) -> bytes:
    """``make()`` in a thread of gevent's pool where gevent runs the worker, so the worker's
    event loop goes on answering its other connections while the export is drawn; called
    directly elsewhere (the development server and the test client have threads of their
    own)."""
    try:
        from gevent.monkey import is_module_patched
    except ImportError:  # pragma: no cover - gevent is a dependency
        return make()
    if not is_module_patched("socket"):
        return make()
    import gevent

    return gevent.get_hub().threadpool.apply(make)
