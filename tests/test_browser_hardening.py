"""In a real browser: zero Content-Security-Policy violations on every page, and hostile text
in the data never runs (no script, no dialog), on every page."""

from __future__ import annotations

import pytest

from .browser_support import browser, hostile_server, new_page, real_server  # noqa: F401

pytestmark = pytest.mark.browser

PAGES = ["/", "/text", "/about", "/station/tupe", "/line/cic", "/no-such-page"]


def _visit(browser, url: str) -> tuple[list[str], list[str]]:  # noqa: F811
    page = new_page(browser)
    violations: list[str] = []
    dialogs: list[str] = []
    page.on(
        "console",
        lambda m: (
            violations.append(m.text)
            if "Content Security Policy" in m.text or "Refused to" in m.text
            else None
        ),
    )
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    try:
        page.goto(url, wait_until="networkidle")
        page.wait_for_timeout(300)
        pwned = page.evaluate("() => window.pwned === undefined ? null : window.pwned")
    finally:
        page.context.close()
    assert pwned is None, f"data ran as script on {url}"
    return violations, dialogs


@pytest.mark.parametrize("path", PAGES)
def test_no_csp_violation_on_any_page(browser, real_server, path):  # noqa: F811
    violations, dialogs = _visit(browser, real_server.url + path)
    assert violations == []
    assert dialogs == []


@pytest.mark.parametrize("path", ["/", "/text", "/station/register-cic", "/line/cic"])
def test_hostile_data_never_runs(browser, hostile_server, path):  # noqa: F811
    violations, dialogs = _visit(browser, hostile_server.url + path)
    assert dialogs == []
    assert violations == []
