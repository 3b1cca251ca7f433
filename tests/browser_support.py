"""Real-browser test support: the app served from a thread, Debian chromium driven by Playwright.

Import the fixtures into a test module (``from .browser_support import browser, page, ...``).
``playwright install`` is never run: the browser is Debian's ``/usr/bin/chromium``. Without it
(or without Playwright) the tests skip with a loud message, but fail when ``CI=true``.

Every page opened through the ``page`` fixture records the console; at the end of the test any
console error or warning, or uncaught page error, fails the test, except the one warning that
dash-cytoscape always causes (it sets a wheel sensitivity).
"""

from __future__ import annotations

import logging
import os
import shutil
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from routemap import RouteMap
from routemap.web import create_app

CHROMIUM = os.environ.get("ROUTEMAP_CHROMIUM", "/usr/bin/chromium")
LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu"]
IGNORED_CONSOLE = ("You have set a custom wheel sensitivity",)
ROOT = Path(__file__).resolve().parent.parent
MINI = ROOT / "tests" / "data" / "mini"

# Every page of the app, once: "ANSWERS" stands for a team's answers as a link's query (the
# browser tests visit each, with JavaScript off and on: ``every_page``).
EVERY_PAGE = (
    "/",
    "/station/register-cic",
    "/line/cic",
    "/text",
    "/about",
    "/search?q=case",
    "/route",
    "/route/questions/parent_body",
    "/route/questions/staff_count",
    "/route/check?ANSWERS",
    "/route/change/parent_body?ANSWERS",
    "/route?ANSWERS",
    "/route/whatif?ANSWERS",
    "/route/whatif?ANSWERS&whatif_asset_lock=no",
    "/compare?ANSWERS",
    "/?ANSWERS",
    "/adviser",
    "/adviser?ANSWERS&done=explore",
    "/adviser/print?ANSWERS&done=explore",
    "/nowhere",
)


def every_page(rm: RouteMap, answers: dict) -> list[str]:
    """``EVERY_PAGE`` with a team's answers in its links."""
    from routemap.route import parse_answers
    from routemap.web.answerlink import profile_query

    query = profile_query(rm, parse_answers(rm, answers)).lstrip("?")
    return [path.replace("ANSWERS", query) for path in EVERY_PAGE]


# A station whose text is markup: it must show as text, and nothing in it may run.
HOSTILE_NAME = '<img src=x onerror="window.pwned=1">Register <b>a</b> CIC'
HOSTILE_SUMMARY = "<script>window.pwned = 2</script> Registration & <i>more</i>."


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() == "true"


def no_browser(reason: str) -> None:
    message = f"BROWSER TESTS NOT RUN: {reason}"
    if in_ci():
        pytest.fail(message + " (CI=true: a missing browser is a failure)")
    print("\n" + "!" * 78 + f"\n{message}\n" + "!" * 78)
    pytest.skip(message)


@dataclass
class LiveServer:
    url: str
    rm: RouteMap
    _server: object = field(repr=False)
    _thread: threading.Thread = field(repr=False)

    def stop(self) -> None:
        self._server.shutdown()
        self._thread.join(timeout=5)


def serve(rm: RouteMap) -> LiveServer:
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    app = create_app({"ROUTEMAP": rm})
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="routemap-test-server", daemon=True)
    thread.start()
    return LiveServer(f"http://127.0.0.1:{server.server_port}", rm, server, thread)


# ---- data for special servers ---------------------------------------------------------------
def write_hostile_data(target: Path) -> Path:
    shutil.copytree(MINI, target, ignore=shutil.ignore_patterns("schema"))
    path = target / "stations.yaml"
    text = path.read_text(encoding="utf-8")
    text = text.replace("name: Register a CIC", f"name: '{HOSTILE_NAME}'", 1)
    text = text.replace(
        "summary: Registration at Companies House.", f"summary: '{HOSTILE_SUMMARY}'", 1
    )
    path.write_text(text, encoding="utf-8")
    return target


def straight_map(n: int = 300) -> RouteMap:
    """One line of ``n`` stations: the layout draws it as one long straight row."""
    from routemap.synthetic import synthetic_map

    return RouteMap.from_data(synthetic_map(n, 1, 1))


# ---- fixtures ---------------------------------------------------------------------------------
_SHARED: dict[str, object] = {}


def _shared_browser():
    """One Playwright and one chromium for the whole session, however many test modules
    import the fixture (each import is its own fixture definition; two Playwright sync
    sessions cannot run at once)."""
    if "browser" not in _SHARED:
        import atexit

        from playwright.sync_api import sync_playwright

        pw = sync_playwright().start()
        try:
            b = pw.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        except Exception as exc:  # a broken browser install
            pw.stop()
            no_browser(f"chromium would not start: {exc}")

        def _close() -> None:
            try:
                b.close()
            finally:
                pw.stop()

        atexit.register(_close)
        _SHARED["browser"] = b
    return _SHARED["browser"]


@pytest.fixture(scope="session")
def browser():
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        no_browser("Playwright is not installed (pip install -e '.[test]')")
    if not Path(CHROMIUM).exists():
        no_browser(f"{CHROMIUM} not found (apt-get install chromium)")
    return _shared_browser()


@pytest.fixture(scope="session")
def real_server(real_map) -> Iterator[LiveServer]:
    live = serve(real_map)
    yield live
    live.stop()


@pytest.fixture(scope="session")
def hostile_server(tmp_path_factory) -> Iterator[LiveServer]:
    data = write_hostile_data(tmp_path_factory.mktemp("hostile") / "data")
    live = serve(RouteMap.load(data))
    yield live
    live.stop()


@pytest.fixture(scope="session")
def straight_server() -> Iterator[LiveServer]:
    live = serve(straight_map())
    yield live
    live.stop()


class Console:
    def __init__(self):
        self.messages: list[str] = []
        self.allowed: list[str] = []

    def allow(self, text: str) -> None:
        """A test expects this message (e.g. a page answered 404 on purpose)."""
        self.allowed.append(text)

    def problems(self) -> list[str]:
        ok = (*IGNORED_CONSOLE, *self.allowed)
        return [m for m in self.messages if not any(o in m for o in ok)]


def new_page(browser, width: int = 1400, height: int = 900):
    context = browser.new_context(viewport={"width": width, "height": height})
    pg = context.new_page()
    console = Console()
    pg.on(
        "console",
        lambda m: (
            console.messages.append(f"{m.type}: {m.text}")
            if m.type in ("error", "warning")
            else None
        ),
    )
    pg.on("pageerror", lambda e: console.messages.append(f"pageerror: {e}"))
    pg.console_log = console
    return pg


@pytest.fixture
def page(browser):
    pg = new_page(browser)
    yield pg
    problems = pg.console_log.problems()
    pg.context.close()
    assert not problems, "console errors or warnings:\n" + "\n".join(problems)


@pytest.fixture
def phone_page(browser):
    pg = new_page(browser, 390, 844)
    yield pg
    problems = pg.console_log.problems()
    pg.context.close()
    assert not problems, "console errors or warnings:\n" + "\n".join(problems)


# ---- helpers -----------------------------------------------------------------------------------
CY = "document.querySelector('#cy')._cyreg.cy"


def open_map(page, url: str):
    """Go to a map URL and wait until Cytoscape has drawn the map."""
    from playwright.sync_api import expect

    page.goto(url)
    expect(page.locator("#map-canvas")).to_have_attribute("data-drawn", "true", timeout=20_000)


def _settled_point(page, read: str, arg, what: str) -> tuple[float, float]:
    """Where ``read(arg)`` says a point is on the screen, once it stays put.

    A page still settling (web fonts arriving and reflowing the text above the map, a view
    being set) moves the point between reading its place and clicking it, so the place is
    read until two readings a frame or more apart agree."""
    page.evaluate("document.fonts.ready.then(() => true)")
    last = None
    for _ in range(50):
        here = page.evaluate(read, arg)
        if here == last:
            return last[0], last[1]
        last = here
        page.wait_for_timeout(100)
    raise AssertionError(f"{what} kept moving on the map")


def node_point(page, sid: str, graph: str = "cy") -> tuple[float, float]:
    """Where a station's marker is on the screen (for a real mouse click), once it stays put."""
    read = f"""(id) => {{
        const el = document.querySelector('#{graph}');
        const r = el.getBoundingClientRect();
        const p = el._cyreg.cy.getElementById(id).renderedPosition();
        return [Math.round(r.left + p.x), Math.round(r.top + p.y)];
    }}"""
    return _settled_point(page, read, sid, f"station {sid}")


def model_point(page, x: float, y: float, graph: str = "cy") -> tuple[float, float]:
    """Where the map's point (x, y) (our geometry's units) is on the screen, once it stays put."""
    read = f"""([x, y]) => {{
        const el = document.querySelector('#{graph}');
        const r = el.getBoundingClientRect();
        const cy = el._cyreg.cy, z = cy.zoom(), p = cy.pan();
        return [Math.round(r.left + p.x + x * z), Math.round(r.top + p.y + y * z)];
    }}"""
    return _settled_point(page, read, [x, y], f"the point ({x}, {y})")


def wait_for_zoom(page, cy: str, zoom: float) -> None:
    """Wait until the Cytoscape graph ``cy`` (a JS expression) is at ``zoom``."""
    page.wait_for_function(f"(z) => Math.abs({cy}.zoom() - z) < 1e-6 * z", arg=zoom, timeout=5000)


def show_station(page, sid: str) -> None:
    """Centre the view on a station so a click lands on it."""
    page.evaluate(
        f"(id) => {{ const cy = {CY}; cy.stop(); cy.zoom(1.2); "
        "cy.center(cy.getElementById(id)); }",
        sid,
    )
