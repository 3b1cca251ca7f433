"""The map in headless Debian chromium on localhost: navigation to the map drawn, and a station
click to its details shown. Targets (medians): 1.5 s and 100 ms.

The app runs in a thread of this process (werkzeug, threaded) on the real map. "Drawn" is the
first frame Cytoscape renders with the map's elements (``assets/routemap.js`` records it in
``window.routemapMapDrawnAt``, in ms since navigation start). A click is a real mouse click on a
station's marker; "shown" is when the details panel's heading has the station's name (a
MutationObserver in the page), timed from the click's ``pointerdown``.
"""

from __future__ import annotations

import logging
import statistics
import threading
from pathlib import Path

from .common import row

CHROMIUM = "/usr/bin/chromium"
NAVIGATIONS = 9
CLICKS = 25

CY = "document.querySelector('#cy')._cyreg.cy"

WATCH = """(name) => {
    window.benchClickAt = null; window.benchShownAt = null;
    const cy = document.getElementById('cy');
    cy.addEventListener('pointerdown', () => { window.benchClickAt = performance.now(); },
                        {capture: true, once: true});
    const done = () => {
        const h = document.getElementById('details-heading');
        if (h && h.textContent === name && window.benchShownAt === null) {
            window.benchShownAt = performance.now();
            observer.disconnect();
        }
    };
    const observer = new MutationObserver(done);
    observer.observe(document.getElementById('details'),
                     {childList: true, subtree: true, characterData: true});
}"""


def _serve(rm):
    from werkzeug.serving import make_server

    from routemap.web import create_app

    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    server = make_server("127.0.0.1", 0, create_app({"ROUTEMAP": rm}), threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_port}"


def unmeasurable(name: str) -> str | None:
    """Why the benchmark ``name`` cannot run here (no Playwright, no chromium), or None."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return f"{name}: Playwright is not installed (pip install -e '.[test]'): not measured"
    if not Path(CHROMIUM).exists():
        return f"{name}: {CHROMIUM} not found (apt-get install chromium): not measured"
    return None


def serve_real_map():
    """The real map, laid out before any clock starts (as at app start-up), served locally."""
    from routemap import RouteMap

    rm = RouteMap.load()
    rm.geometry  # noqa: B018 - laid out before the clock starts
    server, url = _serve(rm)
    return rm, server, url


def _drawn_ms(page, url: str) -> float:
    from playwright.sync_api import expect

    page.goto(url)
    expect(page.locator("#map-canvas")).to_have_attribute("data-drawn", "true", timeout=30_000)
    return page.evaluate("() => window.routemapMapDrawnAt")


def _click_ms(page, rm, sid: str) -> float:
    from playwright.sync_api import expect

    page.evaluate(
        f"(id) => {{ const cy = {CY}; cy.stop(); cy.zoom(1.2); "
        "cy.center(cy.getElementById(id)); }",
        sid,
    )
    page.wait_for_timeout(60)  # let the view settle, as a person would before clicking
    box = page.locator("#cy").bounding_box()
    pos = page.evaluate(f"(id) => {CY}.getElementById(id).renderedPosition()", sid)
    name = rm.stations[sid].name
    page.evaluate(WATCH, name)
    page.mouse.click(box["x"] + pos["x"], box["y"] + pos["y"])
    expect(page.locator("#details-heading")).to_have_text(name, timeout=10_000)
    page.wait_for_timeout(20)
    shown, clicked = page.evaluate("() => [window.benchShownAt, window.benchClickAt]")
    return shown - clicked


def run() -> list[str]:
    if why := unmeasurable("browser"):
        return [why]
    from playwright.sync_api import sync_playwright

    rm, server, url = serve_real_map()
    out = [f"the map in headless chromium on localhost ({len(rm.stations)} stations)"]
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(
                executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"]
            )
            # first visits: a new browser context each time (empty cache)
            _drawn_ms(browser.new_page(), url + "/")  # warm the server's caches
            cold = []
            for _ in range(NAVIGATIONS):
                context = browser.new_context(viewport={"width": 1400, "height": 900})
                cold.append(_drawn_ms(context.new_page(), url + "/"))
                context.close()
            # repeat visits: the same context, so the browser cache is warm
            context = browser.new_context(viewport={"width": 1400, "height": 900})
            page = context.new_page()
            _drawn_ms(page, url + "/")
            warm = [_drawn_ms(page, url + "/") for _ in range(NAVIGATIONS)]

            stations = [s for s in rm.order if rm.stations[s].kind != "origin"]
            step = max(1, len(stations) // CLICKS)
            chosen = stations[::step][:CLICKS]
            _click_ms(page, rm, chosen[-1])  # warm up
            clicks = [_click_ms(page, rm, sid) for sid in chosen]
            context.close()
            browser.close()
    finally:
        server.shutdown()

    out.append(
        row(
            f"navigation to map drawn, first visit (n={len(cold)})",
            statistics.median(cold) / 1000,
            1.5,
            f"min {min(cold):.0f} ms, max {max(cold):.0f} ms",
        )
    )
    out.append(
        row(
            f"navigation to map drawn, repeat visit (n={len(warm)})",
            statistics.median(warm) / 1000,
            1.5,
            f"min {min(warm):.0f} ms, max {max(warm):.0f} ms",
        )
    )
    out.append(
        row(
            f"station click to details shown (n={len(clicks)})",
            statistics.median(clicks) / 1000,
            0.1,
            f"min {min(clicks):.0f} ms, max {max(clicks):.0f} ms",
        )
    )
    return out
