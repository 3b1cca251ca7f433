# ruff: noqa: F811 - pytest fixtures are imported from browser_support and used as arguments
"""The personalised route, the adviser view, downloads and the offline export in a real browser
(Playwright driving Debian chromium, JavaScript on): answer the questions and see the route
drawn on the map and listed, reload and get the same; open the route in the interactive map;
a what-if beside the team's own route and the way back; open an adviser link, mark a step
done and land back at that step, reload and see the same; the print view is one A4 page;
answers files download and load; exports download; the offline HTML makes no request;
axe-core on every page.

Run only these with ``pytest -m browser``. See ``browser_support.py`` for the fixtures.
"""

from __future__ import annotations

import json
import re
from urllib.parse import parse_qsl, urlsplit

import pytest

from routemap.export import ExportOptions, render
from routemap.route import find_route, parse_answers
from routemap.route.rules import asked_questions
from routemap.web.answerlink import profile_query

from .browser_support import (  # noqa: F401 - fixtures
    CY,
    browser,
    new_page,
    open_map,
    page,
    phone_page,
    real_server,
)
from .conftest import NHS_ANSWERS, persona_doc

try:
    from playwright.sync_api import expect
except ImportError:  # the browser fixture skips, or fails when CI=true
    expect = None

pytestmark = pytest.mark.browser

ANSWERS = dict(NHS_ANSWERS)
PART_WAY = (
    "?parent_body=nhs&service_area=community_health&regulated_activities=treatment"
    "&staff_count=600&staff_support=strong&senior_sponsor=yes&commissioner_support=yes"
    "&asset_lock=yes"
    "&done=explore,readiness-diagnostic,senior-sponsorship,options-appraisal"
)


def params(url: str) -> dict[str, str]:
    return dict(parse_qsl(urlsplit(url).query, keep_blank_values=True))


def persona_query(rm, name: str) -> str:
    return profile_query(rm, parse_answers(rm, persona_doc(name)["answers"]))


def lit(page, ident: str) -> list[str]:
    """The stations a page's SVG map brings forward (every other one is faded)."""
    return sorted(
        page.locator(f"#{ident} g.station:not(.faded)").evaluate_all(
            "els => els.map(e => e.getAttribute('data-station'))"
        )
    )


def listed(page) -> list[str]:
    return page.locator(
        "#route-steps > li[data-station], #adviser-steps > li[data-station]"
    ).evaluate_all("els => els.map(e => e.getAttribute('data-station'))")


# ---- the questions and the route ---------------------------------------------------------------
def test_answer_the_questions_see_the_route_and_reload(page, real_server):
    rm = real_server.rm
    base = real_server.url
    page.goto(base + "/route")
    page.get_by_role("button", name="Start now").click()
    for qid in asked_questions(rm, ANSWERS):  # only the questions these answers call for
        q = rm.questions[qid]
        expect(page.locator("h1")).to_have_text(q.text)
        if q.kind == "number":
            page.get_by_role("textbox", name=q.text).fill(str(ANSWERS[qid]))
            page.get_by_role("button", name="Continue").click()
        elif q.kind == "several" and qid in ANSWERS:  # checkboxes, posted and checked there
            for value in ANSWERS[qid]:
                page.locator(f'input[name="{qid}"][value="{value}"]').check()
            page.get_by_role("button", name="Continue").click()
        elif qid in ANSWERS:  # GOV.UK radios and Continue
            page.locator(f'input[name="{qid}"][value="{ANSWERS[qid]}"]').check()
            page.get_by_role("button", name="Continue").click()
        else:
            page.get_by_role("link", name="Skip this question").click()
    expect(page.locator("h1")).to_have_text("Check your answers")
    assert params(page.url) == {
        k: ",".join(v) if isinstance(v, list) else str(v) for k, v in ANSWERS.items()
    }
    page.locator("#see-route").click()

    result = find_route(rm, parse_answers(rm, ANSWERS))
    steps = [s.station for s in result.steps]
    expect(page.locator("#route-steps")).to_be_visible()
    assert listed(page) == steps
    assert lit(page, "rt-map-svg") == sorted(result.drawing.stations)
    fourth = result.steps[3]
    expect(page.locator(f"#step-{fourth.station}")).to_contain_text(fourth.reasons[0].text)
    assert page.title().startswith("Your route")
    assert page.locator("script").count() == 0  # the route page needs no script

    # a link reproduces the route
    page.reload()
    assert listed(page) == steps
    assert lit(page, "rt-map-svg") == sorted(result.drawing.stations)


def test_a_station_of_the_route_on_the_map_leads_to_its_step(page, real_server):
    rm = real_server.rm
    page.goto(real_server.url + "/route" + PART_WAY)
    result = find_route(rm, parse_answers(rm, ANSWERS))
    step = result.steps[5]
    link = page.locator(f'#rt-map-svg a[href="#step-{step.station}"]')
    link.focus()
    expect(link).to_be_focused()  # each station a focusable link
    page.keyboard.press("Enter")
    assert page.url.endswith(f"#step-{step.station}")
    expect(page.locator(f"#step-{step.station}")).to_be_in_viewport()


def test_the_route_opens_highlighted_in_the_interactive_map(page, real_server):
    rm = real_server.rm
    page.goto(real_server.url + "/route" + PART_WAY)
    with page.expect_navigation():
        page.get_by_role("link", name="Open this route on the interactive map").click()
    expect(page.locator("#map-canvas")).to_have_attribute("data-drawn", "true", timeout=20_000)
    result = find_route(rm, parse_answers(rm, {**ANSWERS, "done": params(PART_WAY)["done"]}))
    shown = page.evaluate(
        f"() => {CY}.nodes('.station').not('.rm-off-route').map(n => n.id()).sort()"
    )
    assert shown == sorted(result.drawing.stations)
    done = page.evaluate(f"() => {CY}.nodes('.rm-done').map(n => n.id()).sort()")
    assert "explore" in done
    expect(page.locator(".rm-banner")).to_contain_text("Showing your route")
    # a station of it, selected, keeps the route shown; the way back is the route page
    sid = result.steps[6].station
    page.locator(f'.rm-map-key[data-station="{sid}"]').focus()
    page.keyboard.press("Enter")
    expect(page.locator("#details-heading")).to_have_text(rm.stations[sid].name)
    assert params(page.url) == params(
        profile_query(rm, parse_answers(rm, {**ANSWERS, "done": params(PART_WAY)["done"]}))
    )
    with page.expect_navigation():
        page.get_by_role("link", name="Back to your route").click()
    expect(page.locator("#route-heading")).to_be_visible()


def test_a_what_if_is_shown_beside_the_route_with_the_way_back(page, real_server):
    page.goto(real_server.url + "/route" + PART_WAY)
    with page.expect_navigation():
        page.get_by_role("link", name="What each answer changes, and what if").click()
    row = page.locator('#answer-effects [data-question="asset_lock"]')
    with page.expect_navigation():
        row.get_by_role("link", name="No to: Should the law").click()
    banner = page.locator(".rm-banner--whatif")
    expect(banner).to_contain_text("This is a what-if: your own answers are unchanged")
    expect(page.locator("#compare-own")).to_contain_text("Community interest company")
    expect(page.locator("#compare-whatif")).to_contain_text("Employee-owned company")
    assert params(page.url)["asset_lock"] == "yes"  # the team's answer is still theirs
    with page.expect_navigation():
        page.locator("#whatif-back").click()
    assert params(page.url) == params(PART_WAY)
    expect(page.locator("#route-heading")).to_have_text("Community interest company (CIC)")


def test_a_change_link_keeps_the_later_answers(page, real_server):
    query = "?" + "&".join(f"{k}={v}" for k, v in ANSWERS.items())
    page.goto(real_server.url + "/route/check" + query)
    page.get_by_role("link", name="Change your answer to: Which kind of public body").click()
    expect(page.locator("h1")).to_have_text("Which kind of public body runs the service today?")
    expect(page.get_by_role("radio", name="An NHS body")).to_be_checked()
    page.get_by_role("radio", name="A council").check()
    page.get_by_role("button", name="Continue").click()
    expect(page.locator("h1")).to_have_text("Check your answers")
    got = params(page.url)
    assert got == {**{k: str(v) for k, v in ANSWERS.items()}, "parent_body": "council"}
    expect(page.locator(".rm-check")).to_contain_text("A council")


def test_a_wrong_number_is_an_error_and_keeps_what_was_typed(page, real_server):
    page.console_log.allow("the server responded with a status of 422")  # the refused answer
    page.goto(real_server.url + "/route/questions/staff_count?parent_body=nhs")
    box = page.get_by_role("textbox", name=real_server.rm.questions["staff_count"].text)
    box.fill("lots")
    box.press("Enter")
    expect(page.locator("#question-error")).to_contain_text("Enter a whole number from 1")
    expect(box).to_have_value("lots")
    assert urlsplit(page.url).path == "/route/questions/staff_count"
    box.fill("40")
    page.get_by_role("button", name="Continue").click()
    expect(page.locator("h1")).to_have_text(real_server.rm.questions["staff_support"].text)
    assert params(page.url) == {"parent_body": "nhs", "staff_count": "40"}


def test_a_bad_link_names_the_key_and_the_allowed_values(page, real_server):
    page.goto(real_server.url + "/route?parent_body=trust&colour=red&asset_lock=yes")
    summary = page.locator("[data-error-summary]")
    q = real_server.rm.questions["parent_body"]
    expect(summary).to_contain_text(q.text)  # the question as the applicant saw it, not its id
    labels = ", ".join(o.label for o in q.options)
    expect(summary).to_contain_text(f"must be one of: {labels}, Not sure")
    expect(summary).not_to_contain_text("parent_body")
    expect(summary).to_contain_text("“colour”")
    assert params(page.url)["parent_body"] == "trust"  # the link is kept as typed
    summary.get_by_role("link", name="Remove it").click()
    expect(page.locator("[data-error-summary]")).not_to_contain_text("colour")
    assert "colour" not in params(page.url)


def test_download_then_load_answers_gives_the_same_route(page, real_server, tmp_path):
    rm = real_server.rm
    page.goto(real_server.url + "/route" + PART_WAY)
    steps = [s.station for s in find_route(rm, parse_answers(rm, ANSWERS)).steps]
    with page.expect_download() as info:
        page.locator("#download-answers").first.click()
    path = tmp_path / "answers.json"
    info.value.save_as(path)
    assert info.value.suggested_filename == "routemap-answers.json"
    doc = json.loads(path.read_text())
    assert doc["answers"]["parent_body"] == "nhs" and "explore" in doc["done"]

    # "Load answers from a file" is a form: the file is posted and checked on the server
    page.goto(real_server.url + "/route")
    page.get_by_label("Load answers from a file").set_input_files(str(path))
    page.get_by_role("button", name="Load the answers").click()
    expect(page.locator("#route-steps")).to_be_visible()
    assert listed(page) == steps
    assert params(page.url) == params(PART_WAY)

    bad = tmp_path / "bad.yaml"
    bad.write_text("parent_body: trust\n")
    page.console_log.allow("the server responded with a status of 422")  # the refused file
    page.goto(real_server.url + "/route")
    page.get_by_label("Load answers from a file").set_input_files(str(bad))
    page.get_by_role("button", name="Load the answers").click()
    question = real_server.rm.questions["parent_body"].text
    expect(page.locator(".rm-error-summary")).to_contain_text(question)
    expect(page.locator(".rm-error-summary")).to_contain_text("A council, An NHS body")


def test_export_links_download_the_clis_files(page, real_server, tmp_path):
    rm = real_server.rm
    page.goto(real_server.url + "/route" + PART_WAY)
    expect(page.locator("#downloads")).to_be_visible()
    profile = parse_answers(rm, {**ANSWERS, "done": params(PART_WAY)["done"].split(",")})
    for label, fmt in (
        ("The map with your route (SVG)", "svg"),
        ("Your route as a checklist (CSV", "csv"),
    ):
        with page.expect_download() as info:
            page.get_by_role("link", name=label).click()
        path = tmp_path / info.value.suggested_filename
        info.value.save_as(path)
        assert path.suffix == "." + fmt
        assert path.read_bytes() == render(rm, ExportOptions(fmt, answers=profile))


# ---- the adviser view --------------------------------------------------------------------------
def test_adviser_opens_a_link_marks_a_step_done_and_lands_back_at_it(page, real_server):
    base = real_server.url
    page.goto(base + "/adviser")
    page.get_by_label("Paste the applicant's link").fill(base + "/route" + PART_WAY)
    page.get_by_role("button", name="Open").click()
    figure = page.locator("#progress-figure")
    expect(figure).to_have_text("4 of 21 steps done (19%)")
    can = page.locator("#next-can-start")
    expect(can).to_contain_text("Business case")
    expect(can).not_to_contain_text("Parent body decides")
    assert urlsplit(page.url).path == "/adviser"

    group = page.get_by_role("group", name="Progress of Business case")
    group.scroll_into_view_if_needed()
    with page.expect_navigation():
        group.get_by_role("button", name="Done").click()
    expect(figure).to_have_text("5 of 21 steps done (24%)")
    expect(can).not_to_contain_text("Business case")
    expect(can).to_contain_text("Parent body decides")
    assert "business-case" in params(page.url)["done"].split(",")
    # back at the step that was marked, not at the top of the page
    assert urlsplit(page.url).fragment == "step-business-case"
    expect(page.locator("#step-business-case")).to_be_in_viewport()
    assert page.evaluate("() => window.scrollY") > 1000
    expect(page.get_by_label("This page's link")).to_have_value(page.url.split("#")[0])
    done = page.get_by_role("group", name="Progress of Business case").get_by_role(
        "button", name="Done"
    )
    expect(done).to_have_attribute("aria-pressed", "true")
    assert "mark-done" in page.locator(
        '#ad-map-svg g.station[data-station="business-case"]'
    ).get_attribute("class")

    page.reload()
    expect(figure).to_have_text("5 of 21 steps done (24%)")
    expect(can).to_contain_text("Parent body decides")
    expect(done).to_have_attribute("aria-pressed", "true")


def test_adviser_skips_a_step_with_a_note_and_it_travels_in_the_link(page, real_server):
    page.goto(real_server.url + "/adviser" + PART_WAY)
    group = page.get_by_role("group", name="Progress of Free toolkit and templates")
    with page.expect_navigation():
        group.get_by_role("button", name="Skipped").click()
    note = page.get_by_label("Why it was skipped (optional)")
    expect(note).to_be_visible()
    expect(note).to_be_in_viewport()
    note.fill("We use our own templates")
    with page.expect_navigation():
        note.press("Enter")  # Enter saves the note: it never marks another step
    expect(page.locator("#step-dcms-toolkit")).to_contain_text(
        "Skipped by choice: We use our own templates"
    )
    assert params(page.url)["note_dcms-toolkit"] == "We use our own templates"
    assert params(page.url)["done"] == params(PART_WAY)["done"]
    expect(page.locator("#progress-figure")).to_have_text("4 of 21 steps done (19%)")
    page.reload()
    expect(page.get_by_label("Why it was skipped (optional)")).to_have_value(
        "We use our own templates"
    )


def test_a_step_already_in_place_cannot_be_marked_but_says_why(page, real_server):
    page.goto(
        real_server.url
        + "/adviser"
        + profile_query(real_server.rm, parse_answers(real_server.rm, ANSWERS))
    )
    step = page.locator("#step-senior-sponsorship")
    expect(step).to_contain_text("Already in place")
    expect(step).not_to_contain_text("Not started")
    assert step.get_by_role("button").count() == 0
    expect(step).to_contain_text("Does a senior leader or elected member back the idea?")


def test_a_malformed_pasted_link_is_named_and_the_text_is_kept(page, real_server):
    page.goto(real_server.url + "/adviser")
    for pasted, words in (
        ("https://example.org/station/tupe?x=1", "not a route or adviser link"),
        (
            real_server.url + "/route?parent_body=trust&done=nowhere",
            "names a step this map does not have (“nowhere”)",
        ),
    ):
        box = page.get_by_label("Paste the applicant's link")
        box.fill(pasted)
        with page.expect_navigation():
            page.get_by_role("button", name="Open").click()
        expect(page.locator("[data-error-summary]")).to_contain_text(words)
        expect(page.get_by_label("Paste the applicant's link")).to_have_value(pasted)
    expect(page.locator("[data-error-summary]")).to_contain_text("A council, An NHS body")


def test_an_adviser_link_with_problems_names_them_and_keeps_the_link(page, real_server):
    url = real_server.url + "/adviser?parent_body=nhs&done=explore,no-such-step"
    page.goto(url)
    expect(page.locator("[data-error-summary]")).to_contain_text(
        "names a step this map does not have (“no-such-step”)"
    )
    expect(page.get_by_label("Paste the applicant's link")).to_have_value(url)
    assert page.locator("#ad-map-svg").count() == 0


@pytest.mark.parametrize(
    "name", ["nhs-part-way", "council-leisure-grants", "council-care-profit-share"]
)
def test_the_print_view_is_one_a4_page(page, real_server, name):
    query = persona_query(real_server.rm, name)
    page.goto(real_server.url + "/adviser/print" + query)
    expect(page.locator("#print-sheet")).to_contain_text("What next")
    expect(page.get_by_role("button", name="Print this page")).to_be_visible()
    page.evaluate("() => document.fonts.ready.then(() => true)")
    pdf = page.pdf(format="A4")
    assert len(re.findall(rb"/Type\s*/Page(?!s)", pdf)) == 1
    assert page.locator("#print-sheet .rm-print__table tbody tr").count() == len(
        find_route(
            real_server.rm,
            parse_answers(real_server.rm, persona_doc(name)["answers"]),
        ).steps
    )


# ---- the offline HTML export -----------------------------------------------------------------
def test_the_offline_html_export_makes_no_request_and_shows_details(browser, real_server, tmp_path):
    rm = real_server.rm
    path = tmp_path / "map.html"
    path.write_bytes(render(rm, ExportOptions("html")))
    pg = new_page(browser)
    requests: list[str] = []
    pg.on("request", lambda r: requests.append(r.url))
    try:
        url = path.as_uri()
        pg.goto(url)
        pg.wait_for_timeout(500)
        sid = "register-cic" if "register-cic" in rm.stations else rm.order[3]
        pg.locator(f'.mapwrap svg [data-station="{sid}"]').first.click()
        expect(pg.locator("#details")).to_contain_text(rm.stations[sid].name)
        expect(pg.locator("#details")).to_contain_text(rm.stations[sid].summary[:40])
        problems = pg.console_log.problems()
    finally:
        pg.context.close()
    outside = [u for u in requests if not u.startswith("data:") and u != url]
    assert outside == [], outside
    assert not problems, problems


# ---- accessibility ----------------------------------------------------------------------------
AXE_PAGES = {
    "start": ("/route", "h1"),
    "question": ("/route/questions/parent_body?staff_count=40", "h1"),
    "number": ("/route/questions/staff_count?parent_body=nhs", "h1"),
    "check": ("/route/check" + PART_WAY, "h1"),
    "check-bad": ("/route/check?parent_body=trust&colour=red", "[data-error-summary]"),
    "route": ("/route" + PART_WAY, "#route-steps"),
    "what-ifs": ("/route/whatif" + PART_WAY, "#answer-effects"),
    "what-if": ("/route/whatif" + PART_WAY + "&whatif_asset_lock=no", "#compare-whatif"),
    "map-with-route": ("/" + PART_WAY, "#map-canvas[data-drawn]"),
    "adviser-empty": ("/adviser", "h1"),
    "adviser": ("/adviser" + PART_WAY + "&skipped=dcms-toolkit", "#adviser-steps"),
    "adviser-bad": ("/adviser?done=nowhere", "[data-error-summary]"),
    "print": ("/adviser/print" + PART_WAY, "#print-sheet"),
}


def axe_problems(pg) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(pg)
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — "
        + "; ".join(n["target"][0] if n["target"] else "?" for n in v["nodes"][:5])
        for v in results.response["violations"]
        # and no landmark twice (a second banner, main or footer), whatever its impact
        if v["impact"] in ("serious", "critical") or v["id"].startswith("landmark")
    ]


@pytest.mark.parametrize("which", list(AXE_PAGES))
def test_axe_finds_no_serious_or_critical_violations(page, real_server, which):
    path, ready = AXE_PAGES[which]
    page.goto(real_server.url + path)
    expect(page.locator(ready).first).to_be_visible()
    page.wait_for_timeout(300)
    bad = axe_problems(page)
    assert not bad, f"{path}:\n" + "\n".join(bad)


@pytest.mark.parametrize("which", ["route", "adviser", "question"])
def test_axe_on_a_phone(phone_page, real_server, which):
    path, ready = AXE_PAGES[which]
    phone_page.goto(real_server.url + path)
    expect(phone_page.locator(ready).first).to_be_visible()
    phone_page.wait_for_timeout(300)
    bad = axe_problems(phone_page)
    assert not bad, f"{path}:\n" + "\n".join(bad)


def test_the_route_list_comes_before_the_map_on_a_phone(phone_page, real_server):
    phone_page.goto(real_server.url + "/route" + PART_WAY)
    expect(phone_page.locator("#route-steps")).to_be_visible()
    steps = phone_page.locator("#route-steps").bounding_box()
    canvas = phone_page.locator("#rt-map-svg").bounding_box()
    assert steps["y"] < canvas["y"]
    width = phone_page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 390
