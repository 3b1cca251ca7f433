# ruff: noqa: F811 - pytest fixtures are imported from browser_support and used as arguments
"""Routes side by side in a real browser (Playwright driving Debian chromium), with JavaScript
off and on: swap a column and keep only the differences with the page's one GET form, the
address holds it (reload gives the same), the CSV downloads; on a 320 px phone nothing scrolls
sideways; printed, the page is A4 landscape with no text under 9 pt; axe finds nothing serious.

Run only these with ``pytest -m browser``. See ``browser_support.py`` for the fixtures.
"""

from __future__ import annotations

from urllib.parse import parse_qsl, urlsplit

import pytest

from routemap.route import parse_answers
from routemap.web.answerlink import profile_query

from .browser_support import browser, new_page, real_server  # noqa: F401 - fixtures
from .conftest import COUNCIL_CARE_ANSWERS

try:
    from playwright.sync_api import expect
except ImportError:  # the browser fixture skips, or fails when CI=true
    expect = None

pytestmark = pytest.mark.browser

COUNCIL = COUNCIL_CARE_ANSWERS


def _url(server) -> str:
    return server.url + "/compare" + profile_query(server.rm, parse_answers(server.rm, COUNCIL))


def _heads(page) -> list[str]:
    return page.locator(".rm-sbs__name").all_inner_texts()


@pytest.mark.parametrize("javascript", [False, True], ids=["js-off", "js-on"])
def test_swap_a_column_and_keep_only_the_differences(browser, real_server, javascript):
    context = browser.new_context(
        java_script_enabled=javascript, viewport={"width": 1400, "height": 900}
    )
    page = context.new_page()
    try:
        page.goto(_url(real_server))
        expect(page.locator("h1")).to_have_text("Compare routes side by side")
        assert _heads(page) == [
            "Co-operative society",
            "Community interest company (CIC)",
            "Employee-owned company",
        ]
        every_row = page.locator("#compare-table tbody tr").count()
        page.select_option("#route-2", label="Community benefit society")
        page.select_option("#route-3", value="")
        page.check("#only-differences")
        page.click("#compare-submit")
        expect(page.locator("#compare-hidden")).to_be_visible()
        assert _heads(page) == ["Co-operative society", "Community benefit society"]
        query = parse_qsl(urlsplit(page.url).query, keep_blank_values=True)
        assert ("route", "form-cbs") in query and ("only_differences", "yes") in query
        assert ("parent_body", "council") in query  # the answers ride along
        fewer = page.locator("#compare-table tbody tr").count()
        assert 0 < fewer < every_row
        page.reload()  # the address is the state
        assert _heads(page) == ["Co-operative society", "Community benefit society"]
        assert page.locator("#compare-table tbody tr").count() == fewer
        with page.expect_download() as got:
            page.click("#compare-csv")
        path = got.value.path()
        text = open(path, encoding="utf-8-sig").read()
        assert text.startswith("Row,Co-operative society (your route)")
        page.click("text=Show every row")
        assert page.locator("#compare-table tbody tr").count() == every_row
    finally:
        context.close()


def test_on_a_320px_phone_nothing_scrolls_sideways(browser, real_server):
    page = new_page(browser, 320, 640)
    try:
        page.goto(_url(real_server))
        wide = page.evaluate("document.documentElement.scrollWidth")
        assert wide <= 320, f"the page is {wide} px wide"
        # each cell names its route above it (the column heads are for screen readers)
        before = page.locator(".rm-sbs__cell").first.evaluate(
            "e => getComputedStyle(e, '::before').content"
        )
        assert "Co-operative society" in before
        assert not page.console_log.problems()
    finally:
        page.context.close()


def test_printed_it_is_a4_landscape_with_text_of_9pt_or_more(browser, real_server):
    page = new_page(browser)
    try:
        page.goto(_url(real_server))
        page.emulate_media(media="print")
        smallest = page.evaluate(
            """() => Math.min(...[...document.querySelectorAll(
                     '#compare-table *, #notes-heading ~ ol li')]
                 .filter(e => e.offsetParent !== null && e.textContent.trim())
                 .map(e => parseFloat(getComputedStyle(e).fontSize)))"""
        )
        assert smallest * 0.75 >= 9, f"smallest text {smallest * 0.75:.1f} pt"  # px -> pt
        assert page.locator("#compare-form").is_hidden()
        pdf = page.pdf(prefer_css_page_size=True)
        box = [float(x) for x in pdf.split(b"/MediaBox [")[1].split(b"]")[0].split()]
        assert round(box[2]) == 842 and round(box[3]) == 595, box  # A4 landscape, in points
    finally:
        page.context.close()


def test_axe_finds_nothing_serious_on_the_compare_pages(browser, real_server):
    from axe_playwright_python.sync_playwright import Axe

    found = {}
    for width in (1400, 320):
        page = new_page(browser, width, 900)
        try:
            for tail in ("", "&only_differences=yes", "&route=form-jv"):
                page.goto(_url(real_server) + tail)
                result = Axe().run(page)
                bad = [
                    f"{v['id']} ({v['impact']}): {v['nodes'][0]['target']}"
                    for v in result.response["violations"]
                    if v["impact"] in ("serious", "critical")
                ]
                if bad:
                    found[f"{width}px {tail or 'default'}"] = bad
        finally:
            page.context.close()
    assert not found, found
