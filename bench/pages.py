"""Page weight and time to content on a throttled phone: Chromium's own network and CPU
throttling through a CDP session (DevTools "Fast 3G": 562.5 ms round trip, 1.44 Mbit/s down,
675 kbit/s up — Network.emulateNetworkConditions; CPU 4x slower —
Emulation.setCPUThrottlingRate), first visits (empty cache), with JavaScript off and on.
Targets: a question page under 60 KB transferred with its content shown within 1.5 s; the
route and adviser pages at most 120 KiB transferred with JavaScript on, their steps shown
within 2 s; the map page's SVG map shown within 2 s.

"Transferred" is every response of the visit as it came over the wire (compressed bodies and
headers, Chromium's ``encodedDataLength``), counted once the network is idle. "Shown" is the
first paint with the content in the page: with JavaScript off, the later of the first
contentful paint and the parsed document (``domInteractive``); with it on (where Dash's scripts
hold ``domInteractive`` back) a frame after the content element is in the page, watched from
an init script.
"""

from __future__ import annotations

import statistics

from .browser import CHROMIUM, serve_real_map, unmeasurable
from .common import row

VISITS = 5
FAST_3G = {
    "offline": False,
    "latency": 562.5,
    "downloadThroughput": 1.44e6 / 8,
    "uploadThroughput": 675e3 / 8,
}
CPU_SLOWDOWN = 4

WATCH = """(selector) => {
    window.benchShownAt = null;
    const seen = () => {
        if (window.benchShownAt === null && document.querySelector(selector)) {
            requestAnimationFrame(() => { window.benchShownAt = performance.now(); });
            return true;
        }
        return false;
    };
    if (!seen()) {
        const observer = new MutationObserver(() => { if (seen()) observer.disconnect(); });
        observer.observe(document, {childList: true, subtree: true});
    }
}"""

SHOWN_NO_JS = """() => {
    const paint = performance.getEntriesByName('first-contentful-paint')[0];
    const nav = performance.getEntriesByType('navigation')[0];
    return Math.max(paint ? paint.startTime : 0, nav.domInteractive);
}"""


def persona_link(rm, name: str) -> str:
    """A persona's answers (and progress) as a link (tests/personas)."""
    from pathlib import Path

    import yaml

    from routemap.route import parse_answers
    from routemap.web.answerlink import profile_query

    path = Path(__file__).resolve().parent.parent / "tests" / "personas" / f"{name}.yaml"
    answers = dict(yaml.safe_load(path.read_text(encoding="utf-8"))["answers"])
    progress = {k: answers.pop(k) for k in ("done", "in_progress") if k in answers}
    return profile_query(rm, parse_answers(rm, answers, progress))


def visit(browser, url: str, selector: str, js: bool) -> tuple[float, int]:
    """One first visit under throttling: (ms to content shown, bytes transferred)."""
    context = browser.new_context(java_script_enabled=js, viewport={"width": 390, "height": 844})
    page = context.new_page()
    if js:
        page.add_init_script(f"({WATCH})({selector!r})")
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.emulateNetworkConditions", FAST_3G)
    cdp.send("Emulation.setCPUThrottlingRate", {"rate": CPU_SLOWDOWN})
    sizes: dict[str, float] = {}
    cdp.on(
        "Network.loadingFinished",
        lambda e: sizes.__setitem__(e["requestId"], e["encodedDataLength"]),
    )
    try:
        page.goto(url, wait_until="load", timeout=120_000)
        if js:  # the watcher saw it (Dash may since have replaced it with its own page)
            page.wait_for_function("() => window.benchShownAt !== null", timeout=60_000)
            shown = page.evaluate("() => window.benchShownAt")
        else:
            page.wait_for_selector(selector, state="attached", timeout=60_000)
            shown = page.evaluate(SHOWN_NO_JS)
        page.wait_for_load_state("networkidle", timeout=120_000)
    finally:
        total = int(sum(sizes.values()))
        context.close()
    return shown, total


def run() -> list[str]:
    if why := unmeasurable("pages"):
        return [why]
    from playwright.sync_api import sync_playwright

    rm, server, url = serve_real_map()
    question = f"/route/questions/{next(iter(rm.questions))}"
    link = persona_link(rm, "nhs-part-way")
    route, adviser = "/route" + link, "/adviser" + link + "&in_progress=business-case"
    cases = [
        ("question page, JavaScript off", question, "h1", False, 1.5, 60),
        ("question page, JavaScript on", question, "h1", True, 1.5, 60),
        ("route page, JavaScript off", route, "#route-steps", False, 2.0, None),
        ("route page, JavaScript on", route, "#route-steps", True, 2.0, 120 * 1.024),
        ("adviser page, JavaScript off", adviser, "#adviser-steps", False, 2.0, None),
        ("adviser page, JavaScript on", adviser, "#adviser-steps", True, 2.0, 120 * 1.024),
        ("map page (SVG map), JavaScript off", "/", "svg.rm-svg-map", False, 2.0, None),
        ("map page (SVG map), JavaScript on", "/", "svg.rm-svg-map", True, 2.0, None),
    ]
    out = [
        f"pages on a throttled phone: Fast 3G, CPU {CPU_SLOWDOWN}x slower, first visits "
        f"(n={VISITS} each)"
    ]
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(
                executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"]
            )
            visit(browser, url + "/", "svg.rm-svg-map", False)  # warm the server's caches
            for name, path, selector, js, target, kb_target in cases:
                runs = [visit(browser, url + path, selector, js) for _ in range(VISITS)]
                times = [t for t, _ in runs]
                weight = statistics.median(b for _, b in runs) / 1000
                verdict = ""
                if kb_target is not None:
                    verdict = f"; target {kb_target:.0f} KB: " + (
                        "ok" if weight <= kb_target else "MISSED"
                    )
                out.append(
                    row(
                        f"{name}: content shown",
                        statistics.median(times) / 1000,
                        target,
                        f"{weight:.1f} KB transferred{verdict}",
                    )
                )
            browser.close()
    finally:
        server.shutdown()
    return out
