"""``routemap preview``: the map redrawn in the browser as the data folder is saved.

For the people who keep the map: edit the YAML in any editor, save, and the page shows the
new drawing (a second or so), what moved since the accepted layout, or — when the edit
breaks the data — its problems by file and line, as ``routemap validate`` prints them, above
the last map that drew. It only reads: the layout lock is written by ``routemap layout``.

Local only: it binds 127.0.0.1 and answers only requests addressed to it there (a page on
another site cannot reach it through DNS rebinding). It is not part of the app.

Watching is polling: the folder's YAML files are listed with their sizes and change times
every ``POLL`` seconds, a few microseconds of work. A watching library (watchdog) would save
that and no more, since a redraw takes a few hundred milliseconds either way: not worth a
dependency. The page learns of a new drawing by a long poll (``/state?after=N`` answers as
soon as there is one), so it adds no delay of its own; without JavaScript it reloads itself.
"""

from __future__ import annotations

import html
import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from ..core import RouteMap
from ..problems import DataError

POLL = 0.1  # seconds between looks at the folder
SETTLE = 0.03  # a change is drawn once the files have not changed for this long
WAIT = 20.0  # longest a long poll is held before it answers "nothing new"
HERE = Path(__file__).resolve().parent
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src data:; connect-src 'self'; base-uri 'none'; "
    "form-action 'none'; frame-ancestors 'none'"
)


def fingerprint(directory: Path) -> tuple:
    """What changes when a data file is saved: each YAML file's name, size and change time."""
    out = []
    for path in sorted(directory.glob("*.yaml")):
        try:
            st = path.stat()
        except OSError:  # saved by renaming over it, just now: seen on the next look
            continue
        out.append((path.name, st.st_size, st.st_mtime_ns))
    return tuple(out)


@dataclass
class Drawing:
    """What the page shows: the last map that drew, and the state of the data now."""

    version: int = 0
    svg: str = ""
    title: str = "routemap preview"
    problems: list[str] = field(default_factory=list)  # the data now: why it does not draw
    notes: list[str] = field(default_factory=list)  # warnings, and what moved since the lock
    drawn_at: str = ""
    seconds: float = 0.0

    def state(self) -> dict:
        return {
            "version": self.version,
            "ok": not self.problems,
            "problems": self.problems,
            "notes": self.notes,
            "drawn_at": self.drawn_at,
            "seconds": round(self.seconds, 3),
            "title": self.title,
        }


def draw(directory: Path, last: Drawing) -> Drawing:
    """The drawing of the folder as it is now; on bad data, the last map with its problems."""
    from ..layout.diff import diff_lines, diff_locks
    from ..render.svg import render_svg

    start = time.perf_counter()
    now = time.strftime("%H:%M:%S")
    try:
        rm = RouteMap.load(directory)
        svg = render_svg(rm, xml_declaration=False)
    except DataError as exc:
        problems = [str(p) for p in exc.problems]
        n = len(problems)
        problems.append(f"{n} problem{'s' if n != 1 else ''} found (at {now}).")
        return Drawing(last.version + 1, last.svg, last.title, problems, [], last.drawn_at, 0.0)
    notes = [str(w) for w in rm.data.warnings]
    if rm.data.lock is not None:
        diff = diff_locks(rm, rm.data.lock, rm.geometry.lock)
        if not diff.empty:
            notes += ["Since the accepted layout (routemap layout accepts it):"]
            notes += diff_lines(rm, diff)
    seconds = time.perf_counter() - start
    return Drawing(last.version + 1, svg, rm.info.title, [], notes, now, seconds)


class Preview:
    """The watcher and the drawing it keeps; the server reads it."""

    def __init__(self, directory: Path):
        self.directory = Path(directory)
        self.drawing = Drawing()
        self.changed = threading.Condition()
        self.stopping = threading.Event()
        self._seen: tuple | None = None
        self.look()

    def look(self) -> bool:
        """Redraw if a file changed since the last look, once it has stopped changing (an
        editor's save can truncate a file before writing it: a half-saved file is not drawn
        as broken); True if it did."""
        seen = fingerprint(self.directory)
        if seen == self._seen:
            return False
        time.sleep(SETTLE)
        if fingerprint(self.directory) != seen:  # still being written: look again next time
            return False
        self._seen = seen
        drawing = draw(self.directory, self.drawing)
        with self.changed:
            self.drawing = drawing
            self.changed.notify_all()
        return True

    def watch(self) -> None:
        while not self.stopping.wait(POLL):
            self.look()

    def wait(self, after: int, timeout: float = WAIT) -> Drawing:
        with self.changed:
            self.changed.wait_for(
                lambda: self.drawing.version > after or self.stopping.is_set(), timeout
            )
            return self.drawing


def page(drawing: Drawing) -> str:
    template = (HERE / "page.html").read_text(encoding="utf-8")
    problems = "".join(f"<li>{html.escape(p)}</li>" for p in drawing.problems)
    notes = "".join(f"<li>{html.escape(n)}</li>" for n in drawing.notes)
    status = (
        "The data has problems: the map below is the last one that drew."
        if drawing.problems
        else f"Drawn at {drawing.drawn_at} in {drawing.seconds * 1000:.0f} ms."
    )
    return (
        template.replace("{{title}}", html.escape(drawing.title))
        .replace("{{version}}", str(drawing.version))
        .replace("{{status}}", html.escape(status))
        .replace("{{problems}}", problems)
        .replace("{{problems_hidden}}", "" if drawing.problems else " hidden")
        .replace("{{problems_hidden_class}}", ' class="stale"' if drawing.problems else "")
        .replace("{{notes}}", notes)
        .replace("{{map}}", drawing.svg)
    )


def handler_for(preview: Preview, port: int) -> type[BaseHTTPRequestHandler]:
    hosts = {f"127.0.0.1:{port}", f"localhost:{port}"}

    class Handler(BaseHTTPRequestHandler):
        server_version = "routemap-preview"

        def log_message(self, format, *args):  # quiet: the terminal shows redraws instead
            return

        def send(self, status: int, body: bytes, kind: str) -> None:
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            self.send_header("Content-Security-Policy", CSP)
            self.send_header("X-Content-Type-Options", "nosniff")
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self) -> None:  # noqa: N802 - the name http.server calls
            if self.headers.get("Host") not in hosts:
                self.send(421, b"routemap preview answers only on this machine\n", "text/plain")
                return
            path, _, query = self.path.partition("?")
            if path == "/":
                body = page(preview.drawing).encode("utf-8")
                self.send(200, body, "text/html; charset=utf-8")
            elif path == "/preview.js":
                body = (HERE / "preview.js").read_bytes()
                self.send(200, body, "text/javascript; charset=utf-8")
            elif path == "/state":
                after = _after(query)
                drawing = preview.wait(after) if after is not None else preview.drawing
                self.send(200, json.dumps(drawing.state()).encode(), "application/json")
            elif path == "/favicon.ico":
                self.send(204, b"", "image/x-icon")
            elif path == "/map.svg":
                self.send(200, preview.drawing.svg.encode("utf-8"), "image/svg+xml")
            else:
                self.send(404, b"not found\n", "text/plain")

    return Handler


def _after(query: str) -> int | None:
    for part in query.split("&"):
        key, _, value = part.partition("=")
        if key == "after" and value.isdigit() and len(value) < 12:
            return int(value)
    return None


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address) -> None:
        """A page closed, or reloaded, while it waited: nothing to report."""
        import sys

        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


def serve(directory: Path, port: int, ready=None) -> None:
    """Watch ``directory`` and serve the preview on http://127.0.0.1:PORT/ until stopped.
    ``ready(server)`` is called once it listens (the tests and the benchmark stop it)."""
    preview = Preview(directory)
    server = _Server(("127.0.0.1", port), handler_for(preview, port))
    server.preview = preview  # type: ignore[attr-defined]
    watcher = threading.Thread(target=preview.watch, name="routemap-preview-watch", daemon=True)
    watcher.start()
    if ready is not None:
        ready(server)
    try:
        server.serve_forever(poll_interval=0.2)
    finally:
        preview.stopping.set()
        with preview.changed:
            preview.changed.notify_all()
        server.server_close()
