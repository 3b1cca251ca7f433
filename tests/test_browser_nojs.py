# ruff: noqa: F811 - pytest fixtures are imported from browser_support and used as arguments
"""Every page with JavaScript off (a Playwright context with ``java_script_enabled=False``):
the map as SVG links, a station, a line, the lists, About, search; the questions answered
with radios and Continue, check your answers, the route; the adviser marking a step done and
the print view; an answers file loaded through its form. And axe-core on each page's HTML as
it arrives from the server (scripts blocked, so nothing replaces it): no serious or critical
violation, no duplicate landmark.
"""

from __future__ import annotations

import json
from urllib.parse import parse_qsl, urlsplit

import pytest

from routemap.route import find_route, parse_answers
from routemap.route.rules import asked_questions
from routemap.web.answerlink import profile_query

from .browser_support import browser, every_page  # noqa: F401 - fixture
from .conftest import NHS_ANSWERS

try:
    from playwright.sync_api import expect
except ImportError:  # the browser fixture skips, or fails when CI=true
    expect = None

pytestmark = pytest.mark.browser


def params(url: str) -> dict[str, str]:
    return dict(parse_qsl(urlsplit(url).query, keep_blank_values=True))


@pytest.fixture(scope="module")
def nojs(browser):
    context = browser.new_context(
        java_script_enabled=False, viewport={"width": 1400, "height": 900}
    )
    yield context
    context.close()


@pytest.fixture
def page(nojs):
    pg = nojs.new_page()
    yield pg
    pg.close()


@pytest.fixture(scope="module")
def live(real_map):
    from .browser_support import serve

    server = serve(real_map)
    yield server
    server.stop()


def query(rm, answers) -> str:
    return profile_query(rm, parse_answers(rm, answers))


# ---- the map and the reference pages -----------------------------------------------------------
def test_the_map_is_an_svg_of_station_links(page, live):
    rm = live.rm
    page.goto(live.url + "/")
    expect(page.locator("h1")).to_have_text(rm.info.title)
    links = page.locator("svg.rm-svg-map a.rm-svg-station")
    assert links.count() == len(rm.stations)
    hrefs = set(links.evaluate_all("els => els.map(a => a.getAttribute('href'))"))
    assert hrefs == {f"/station/{sid}" for sid in rm.stations}
    # the legend names every line, beside the map, and links to it
    for ln in rm.lines.values():
        expect(page.locator(f'#legend a[href="/line/{ln.id}"]')).to_contain_text(ln.name)
    # ... and starts in the first view at 1400 x 900: its first entry wholly in the window
    expect(page.locator("#legend li").first).to_contain_text(next(iter(rm.lines.values())).name)
    expect(page.locator("#legend li").first).to_be_in_viewport(ratio=1)
    # an interchange announces its name and lines
    sid = next(iter(rm.interchanges))
    label = page.locator(f'svg a[href="/station/{sid}"]').get_attribute("aria-label")
    assert rm.stations[sid].name in label
    assert all(rm.lines[lid].name in label for lid in rm.lines_at[sid])


def test_tab_reaches_every_station_on_the_map(page, live):
    rm = live.rm
    page.goto(live.url + "/")
    seen: set[str] = set()
    for _ in range(len(rm.stations) + 40):
        page.keyboard.press("Tab")
        href = page.evaluate("() => document.activeElement.getAttribute('href') || ''")
        if href.startswith("/station/"):
            seen.add(href.removeprefix("/station/"))
        elif seen:
            break  # past the map
    assert seen == set(rm.stations)


def test_a_station_link_opens_its_details(page, live):
    rm = live.rm
    sid = "register-cic" if "register-cic" in rm.stations else rm.order[3]
    page.goto(live.url + "/")
    page.locator(f'svg a[href="/station/{sid}"]').focus()
    page.keyboard.press("Enter")
    expect(page).to_have_url(live.url + f"/station/{sid}")
    expect(page.locator("#details-heading")).to_have_text(rm.stations[sid].name)
    expect(page.locator(f'svg a[href="/station/{sid}"]')).to_have_attribute("aria-current", "page")
    assert page.title().startswith(rm.stations[sid].name)
    line = rm.lines_at[sid][0]
    with page.expect_navigation():  # a form or link: wait for the new page
        page.locator("#details").get_by_role("link", name=rm.lines[line].name).first.click()
    expect(page).to_have_url(live.url + f"/line/{line}")
    expect(page.locator("#details-heading")).to_have_text(rm.lines[line].name)
    expect(page.locator("#details .rm-stop")).to_have_count(len(rm.lines[line].stations))


@pytest.mark.parametrize("width", [1400, 390])
def test_a_station_page_opens_the_map_at_the_station(browser, live, width):
    """The map is wider (and taller) than its frame: a station at its far end is in view when
    its page opens, and the page itself stays at its top (on a phone the details come
    first); the map page alone opens at the map's start."""
    rm, geometry = live.rm, live.rm.geometry
    far = max(geometry.stations, key=lambda st: st.x).id
    context = browser.new_context(
        java_script_enabled=False, viewport={"width": width, "height": 850}
    )
    pg = context.new_page()
    try:
        pg.goto(live.url + f"/station/{far}")
        frame = pg.locator("#map-svg").bounding_box()
        station = pg.locator(f'#map-svg svg a[href="/station/{far}"]').bounding_box()
        assert (
            frame["x"] <= station["x"]
            and station["x"] + station["width"] <= frame["x"] + frame["width"]
        )
        assert (
            frame["y"] <= station["y"]
            and station["y"] + station["height"] <= frame["y"] + frame["height"]
        )
        assert pg.evaluate("window.scrollY") == 0
        pg.goto(live.url + "/")
        assert pg.evaluate("document.getElementById('map-svg').scrollLeft") == 0
        assert pg.locator(".rm-map-here").count() == 0
        assert rm.stations[far].name in pg.locator(
            f'#map-svg svg a[href="/station/{far}"]'
        ).get_attribute("aria-label")
    finally:
        context.close()


def test_search_finds_a_station_by_form_code(page, live):
    page.goto(live.url + "/")
    page.get_by_label("Find a station").fill("CIC36")
    with page.expect_navigation():  # a form or link: wait for the new page
        page.get_by_role("button", name="Find").click()
    sid = live.rm.search("CIC36")[0]
    expect(page.locator("#details-heading")).to_have_text(live.rm.stations[sid].name)
    page.goto(live.url + "/search?q=zzzz")
    expect(page.get_by_role("status")).to_contain_text("No station matches")


def test_the_text_and_about_pages_read_without_script(page, live):
    rm = live.rm
    page.goto(live.url + "/text")
    expect(page.locator("h1")).to_have_text("Step-by-step list of every route")
    assert page.locator(".rm-stops").count() == len(rm.lines)
    page.goto(live.url + "/about")
    expect(page.locator("h1")).to_have_text("About this map")
    expect(page.locator("main")).to_contain_text(rm.info.corrections.tell)


# ---- the questions, the route, the adviser --------------------------------------------------
def test_answer_every_question_and_see_the_route(page, live):
    rm = live.rm
    page.goto(live.url + "/route")
    with page.expect_navigation():  # a form or link: wait for the new page
        page.get_by_role("button", name="Start now").click()
    # the questions these answers call for (not what children's services it runs, nor a sale)
    for qid in asked_questions(rm, NHS_ANSWERS):
        q = rm.questions[qid]
        expect(page.locator("h1")).to_have_text(q.text)
        if q.kind == "number":
            page.get_by_role("textbox", name=q.text).fill(str(NHS_ANSWERS[qid]))
        elif q.kind == "several":  # checkboxes, posted and checked on the question's page
            for value in NHS_ANSWERS[qid]:
                page.locator(f'input[name="{qid}"][value="{value}"]').check()
        elif qid in NHS_ANSWERS:
            page.locator(f'input[name="{qid}"][value="{NHS_ANSWERS[qid]}"]').check()
        with page.expect_navigation():  # a form or link: wait for the new page
            if qid in NHS_ANSWERS or q.kind == "choice":
                page.get_by_role("button", name="Continue").click()
            else:
                page.get_by_role("link", name="Not sure", exact=True).click()
    expect(page.locator("h1")).to_have_text("Check your answers")
    assert params(page.url) == {
        k: ",".join(v) if isinstance(v, list) else str(v) for k, v in NHS_ANSWERS.items()
    }
    with page.expect_navigation():  # a form or link: wait for the new page
        page.locator("#see-route").click()
    result = find_route(rm, parse_answers(rm, NHS_ANSWERS))
    steps, drawn = [s.station for s in result.steps], result.drawing.stations
    items = page.locator("#route-steps > li[data-station]")
    listed = items.evaluate_all("els => els.map(e => e.getAttribute('data-station'))")
    assert listed == steps
    # the route on the SVG map: its stations lit, the rest faded
    lit = page.locator("#rt-map-svg .station:not(.faded)").evaluate_all(
        "els => els.map(e => e.getAttribute('data-station'))"
    )
    assert sorted(lit) == sorted(drawn)


def test_a_wrong_number_keeps_what_was_typed(page, live):
    q = live.rm.questions["staff_count"]
    page.goto(live.url + "/route/questions/staff_count?parent_body=nhs")
    box = page.get_by_role("textbox", name=q.text)
    box.fill("lots")
    with page.expect_navigation():  # a form or link: wait for the new page
        page.get_by_role("button", name="Continue").click()
    expect(page.locator("#question-error")).to_contain_text("Enter a whole number")
    expect(box).to_have_value("lots")
    box.fill("40")
    with page.expect_navigation():  # a form or link: wait for the new page
        page.get_by_role("button", name="Continue").click()
    assert params(page.url) == {"parent_body": "nhs", "staff_count": "40"}


def test_the_adviser_marks_a_step_done_and_prints(page, live):
    rm = live.rm
    page.goto(live.url + "/adviser" + query(rm, NHS_ANSWERS))
    result = find_route(rm, parse_answers(rm, NHS_ANSWERS))
    steps = [s.station for s in result.steps]
    sid = next(s for s in steps if rm.stations[s].kind not in ("origin", "outcome"))
    step = page.locator(f"#step-{sid}")
    with page.expect_navigation():  # a form or link: wait for the new page
        step.get_by_role("button", name="Done").click()
    assert params(page.url)["done"] == sid
    expect(page.locator(f"#step-{sid}")).to_contain_text("Done")
    expect(page.locator(f"#step-{sid}").get_by_role("button", name="Done")).to_have_attribute(
        "aria-pressed", "true"
    )
    link = page.url
    page.goto(link.replace("/adviser?", "/adviser/print?"))
    expect(page.locator("h1")).to_contain_text("Route and progress")
    expect(page.locator("main")).to_contain_text(rm.stations[sid].name)
    assert page.locator("script[src]").count() == 1  # only the print button's


def test_an_answers_file_loads_through_its_form(page, live, tmp_path):
    rm = live.rm
    path = tmp_path / "answers.json"
    path.write_text(json.dumps({"answers": NHS_ANSWERS, "done": ["explore"]}))
    page.goto(live.url + "/route")
    page.get_by_label("Load answers from a file").set_input_files(str(path))
    with page.expect_navigation():  # a form or link: wait for the new page
        page.get_by_role("button", name="Load the answers").click()
    assert urlsplit(page.url).path == "/route"
    assert params(page.url)["done"] == "explore"
    result = find_route(rm, parse_answers(rm, NHS_ANSWERS))
    steps = [s.station for s in result.steps]
    expect(page.locator("#route-steps > li[data-station]")).to_have_count(len(steps))


# ---- accessibility of the HTML as served --------------------------------------------------------


def test_axe_finds_nothing_serious_on_the_pages_as_served(browser, live):
    from axe_playwright_python.sync_playwright import Axe

    context = browser.new_context(viewport={"width": 1400, "height": 900})
    pg = context.new_page()
    # the server's HTML as it is without JavaScript: no page script runs (axe is injected)
    pg.route(
        "**/*",
        lambda r: r.abort() if r.request.resource_type == "script" else r.continue_(),
    )
    found = {}
    try:
        for path in every_page(live.rm, NHS_ANSWERS):
            pg.goto(live.url + path)
            result = Axe().run(pg)
            bad = [
                f"{v['id']} ({v['impact']}): {v['nodes'][0]['target']}"
                for v in result.response["violations"]
                if v["impact"] in ("serious", "critical") or v["id"].startswith("landmark")
            ]
            if bad:
                found[path] = bad
    finally:
        context.close()
    assert not found, found
