"""The route, questions and adviser pages without a browser: the link format (answers and
progress as named query parameters), every problem named with the allowed values, the answers
file, page statuses, and what each page renders (walked as a Dash component tree)."""

from __future__ import annotations

import json
from urllib.parse import parse_qsl, unquote, urlsplit

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from routemap.export import _highlight
from routemap.route import AnswersError, find_route, parse_answers, read_answers_file
from routemap.web import create_app
from routemap.web.adviserpage import AdviserPages
from routemap.web.answerlink import (
    answers_from_text,
    answers_json,
    parse_link,
    profile_from_text,
    profile_query,
    query_of_pasted,
    with_progress,
    with_value,
)
from routemap.web.routepage import RoutePages
from routemap.web.routeparts import highlight_data, route_sentence

from .conftest import PERSONAS, persona_doc

NHS = (
    "?parent_body=nhs&service_area=community_health&staff_count=600&staff_support=strong"
    "&senior_sponsor=yes&commissioner_support=yes&asset_lock=yes"
)
PART_WAY = NHS + "&done=explore,readiness-diagnostic,senior-sponsorship,options-appraisal"


# ---- walking a component tree -----------------------------------------------------------------
def walk(node):
    if isinstance(node, list | tuple):
        for item in node:
            yield from walk(item)
        return
    if node is None or isinstance(node, str | int | float | bool):
        return
    yield node
    yield from walk(getattr(node, "children", None))
    for prop in ("label",):
        value = getattr(node, prop, None)
        if not isinstance(value, str):
            yield from walk(value)


def text(node) -> str:
    parts: list[str] = []

    def add(n):
        if isinstance(n, list | tuple):
            for item in n:
                add(item)
        elif isinstance(n, str):
            parts.append(n)
        elif isinstance(n, int | float) and not isinstance(n, bool):
            parts.append(str(n))
        elif n is not None:
            add(getattr(n, "children", None))

    add(node)
    return " ".join(" ".join(parts).split())


def links(node) -> list[tuple[str, str]]:
    return [(text(n), n.href) for n in walk(node) if getattr(n, "href", None)]


def by_id(node, ident):
    return next(n for n in walk(node) if getattr(n, "id", None) == ident)


def params(href: str) -> dict[str, str]:
    return dict(parse_qsl(urlsplit(href).query, keep_blank_values=True))


@pytest.fixture(scope="module")
def pages(real_map):
    return RoutePages(real_map)


@pytest.fixture(scope="module")
def adviser(real_map):
    return AdviserPages(real_map)


@pytest.fixture(scope="module")
def client(real_map):
    return create_app({"ROUTEMAP": real_map}).server.test_client()


# ---- the link format -------------------------------------------------------------------------
def test_a_link_gives_the_profile_the_cli_would(real_map):
    link = parse_link(real_map, PART_WAY + "&skipped=dcms-toolkit&note_dcms-toolkit=Own+templates")
    assert link.ok
    expected = parse_answers(
        real_map,
        {
            **dict(parse_qsl(NHS[1:])),
            "done": ["explore", "readiness-diagnostic", "senior-sponsorship", "options-appraisal"],
            "skipped": {"dcms-toolkit": "Own templates"},
        },
    )
    assert link.profile == expected


def test_every_problem_is_named_with_the_allowed_values(real_map):
    link = parse_link(
        real_map,
        "?parent_body=trust&staff_count=0&colour=red&done=nowhere&note_tupe=hi&asset_lock=yes"
        "&asset_lock=no",
    )
    assert not link.ok and link.profile is None
    found = {p.key: p.message for p in link.problems}
    assert "council, nhs, central_government, other_public, not_sure" in found["parent_body"]
    assert "whole number from 1 to 100000" in found["staff_count"]
    assert "not a question" in found["colour"] and "parent_body" in found["colour"]
    assert "unknown station 'nowhere'" in found["done"]
    assert "only kept for a skipped station" in found["note_tupe"]
    assert "more than once" in found["asset_lock"]
    # nothing typed is lost: the pairs stay as given
    assert ("parent_body", "trust") in link.pairs and ("colour", "red") in link.pairs


def test_a_link_round_trips_through_the_query(real_map):
    link = parse_link(real_map, PART_WAY + "&in_progress=dcms-toolkit")
    again = parse_link(real_map, profile_query(real_map, link.profile))
    assert again.profile == link.profile


@st.composite
def profiles(draw, rm):
    answers = {}
    for qid, q in rm.questions.items():
        if not draw(st.booleans()):
            continue
        if q.kind == "number":
            answers[qid] = draw(
                st.one_of(st.integers(q.minimum or 0, q.maximum or 10**6), st.just("not_sure"))
            )
        else:
            answers[qid] = draw(st.sampled_from([o.value for o in q.options] + ["not_sure"]))
    ids = list(rm.stations)
    chosen = draw(st.lists(st.sampled_from(ids), unique=True, max_size=12))
    cut1 = draw(st.integers(0, len(chosen)))
    cut2 = draw(st.integers(cut1, len(chosen)))
    notes = {s: draw(st.text(max_size=30)) for s in chosen[cut2:]}
    progress = {"done": chosen[:cut1], "in_progress": chosen[cut1:cut2], "skipped": notes}
    return parse_answers(rm, answers, progress)


@given(data=st.data())
@settings(max_examples=60, deadline=None)
def test_any_profile_survives_the_link_and_the_answers_file(real_map, data):
    profile = data.draw(profiles(real_map))
    link = parse_link(real_map, profile_query(real_map, profile))
    assert link.ok, link.problems
    want = {**dict(profile.skipped)}
    assert link.profile.answers == profile.answers and link.profile.done == profile.done
    assert link.profile.in_progress == profile.in_progress
    assert dict(link.profile.skipped) == {k: v.strip() for k, v in want.items()}
    loaded = profile_from_text(real_map, answers_json(real_map, profile), "answers.json")
    assert loaded.answers == profile.answers and loaded.done == profile.done
    assert dict(loaded.skipped) == dict(link.profile.skipped)


def test_the_answers_file_is_the_one_the_cli_reads(real_map, tmp_path):
    profile = parse_link(real_map, PART_WAY + "&skipped=tupe&note_tupe=Later").profile
    path = tmp_path / "answers.json"
    path.write_text(answers_json(real_map, profile), encoding="utf-8")
    assert parse_answers(real_map, read_answers_file(path)) == profile


@pytest.mark.parametrize(
    ("content", "words"),
    [
        ("parent_body: trust\n", "parent_body: must be one of council"),
        ("- a\n- b\n", "must be a mapping"),
        ("a: [\n", "cannot be read as JSON or YAML at line"),
        (b"\xff\xfe", "not valid UTF-8"),
        ("answers: {}\nextra: 1\n", "extra: unknown key"),
        ("x" * 200_001, "too large"),
    ],
)
def test_a_bad_answers_file_says_what_is_wrong(real_map, content, words):
    with pytest.raises(AnswersError) as exc:
        profile_from_text(real_map, content, "mine.yaml")
    assert words in str(exc.value)


def test_answers_files_in_the_personas_format_load(real_map):
    for path in sorted(PERSONAS.glob("*.yaml")):
        answers = yaml.safe_load(path.read_text())["answers"]
        assert answers_from_text(
            yaml.safe_dump(
                {
                    "answers": {k: v for k, v in answers.items() if k != "done"},
                    "done": answers.get("done", []),
                }
            )
        )


@pytest.mark.parametrize(
    ("pasted", "query", "problem"),
    [
        ("http://127.0.0.1:8050/adviser?parent_body=nhs", "?parent_body=nhs", None),
        (
            "https://example.org/route?parent_body=nhs&done=explore",
            "?parent_body=nhs&done=explore",
            None,
        ),
        ("/route/check?asset_lock=yes", "?asset_lock=yes", None),
        ("?parent_body=nhs", "?parent_body=nhs", None),
        ("parent_body=nhs", "?parent_body=nhs", None),
        ("", None, "Paste"),
        ("hello there", None, "spaces"),
        ("https://example.org/station/tupe?x=1", None, "not a route or adviser link"),
        ("https://example.org/adviser", None, "no answers"),
        ("javascript:alert(1)", None, "not a web link"),
        ("localhost:8050/adviser?parent_body=nhs", "?parent_body=nhs", None),
        ("x" * 9000, None, "too long"),
    ],
)
def test_a_pasted_link_is_read_or_the_problem_named(pasted, query, problem):
    got, message = query_of_pasted(pasted)
    assert got == query
    assert (message is None) if problem is None else (problem in message)


def test_with_value_keeps_everything_else_as_given(real_map):
    pairs = parse_link(real_map, "?colour=red&parent_body=nhs&done=explore").pairs
    out = with_value(real_map, pairs, "parent_body", "council")
    assert out == [("parent_body", "council"), ("done", "explore"), ("colour", "red")]
    assert with_value(real_map, out, "colour", None) == out[:2]


def test_with_progress_moves_a_station_between_states(real_map):
    profile = parse_link(real_map, PART_WAY + "&in_progress=dcms-toolkit").profile
    done = with_progress(profile, "dcms-toolkit", "done")
    assert "dcms-toolkit" in done.done and "dcms-toolkit" not in done.in_progress
    skipped = with_progress(done, "dcms-toolkit", "skipped", "no need")
    assert skipped.skipped["dcms-toolkit"] == "no need" and "dcms-toolkit" not in skipped.done
    back = with_progress(skipped, "dcms-toolkit", "to_do")
    assert "dcms-toolkit" not in set(back.skipped) | back.done | back.in_progress


# ---- pages and statuses ------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/route", 200),
        ("/route" + NHS, 200),
        ("/route?parent_body=trust", 200),
        ("/route/questions/parent_body", 200),
        ("/route/change/staff_count" + NHS, 200),
        ("/route/questions/no_such_question", 404),
        ("/route/check" + NHS, 200),
        ("/adviser", 200),
        ("/adviser" + PART_WAY, 200),
        ("/adviser/print" + PART_WAY, 200),
    ],
)
def test_pages_answer_with_the_right_status_and_headers(client, path, status):
    r = client.get(path)
    assert r.status_code == status
    assert "script-src 'self'" in r.headers["Content-Security-Policy"]
    assert b'<html lang="en">' in r.data


def test_the_new_pages_are_in_the_navigation(client):
    layout = client.get("/_dash-layout").get_data(as_text=True)
    assert '"Your route"' in layout and '"Adviser view"' in layout


# ---- the questions ----------------------------------------------------------------------------
def test_each_answer_is_a_link_to_the_next_question_keeping_the_rest(pages, real_map):
    page = pages.question_page("parent_body", False, NHS)
    answers = {t: h for t, h in links(page) if h.startswith("/route/questions/service_area")}
    assert set(answers) >= {"A council", "An NHS body (your answer)", "Not sure"}
    council = params(answers["A council"])
    assert council["parent_body"] == "council"
    assert {k: v for k, v in council.items() if k != "parent_body"} == {
        k: v for k, v in dict(parse_qsl(NHS[1:])).items() if k != "parent_body"
    }
    assert params(answers["Not sure"])["parent_body"] == "not_sure"
    assert "Question 1 of 17" in text(page)


def test_the_last_question_and_a_change_go_to_check_your_answers(pages, real_map):
    last = list(real_map.questions)[-1]
    hrefs = [h for _, h in links(pages.question_page(last, False, NHS))]
    assert any(h.startswith("/route/check?") and f"{last}=yes" in h for h in hrefs)
    hrefs = [h for _, h in links(pages.question_page("parent_body", True, NHS))]
    council = next(h for h in hrefs if "parent_body=council" in h)
    assert council.startswith("/route/check?") and "asset_lock=yes" in council


def test_a_bad_answer_in_the_link_is_shown_on_its_question(pages):
    page = pages.question_page("parent_body", False, "?parent_body=trust&asset_lock=yes")
    words = text(page).lower()
    assert "must be one of council, nhs" in words and "trust" in words
    every = [h for _, h in links(page)]
    assert all("asset_lock=yes" in h for h in every if "/route/questions/" in h)


def test_check_your_answers_has_a_change_link_per_question_keeping_later_answers(pages, real_map):
    page = pages.check_page(PART_WAY)
    changes = [h for t, h in links(page) if t.startswith("Change your answer")]
    assert len(changes) == len(real_map.questions)
    for href, qid in zip(changes, real_map.questions, strict=True):
        assert href.startswith(f"/route/change/{qid}?")
        assert params(href)["asset_lock"] == "yes"  # a later answer is kept
        assert (
            params(href)["done"]
            == "explore,readiness-diagnostic,senior-sponsorship,options-appraisal"
        )
    assert by_id(page, "see-route").href == "/route" + PART_WAY
    download = by_id(page, "download-answers")
    assert download.href.startswith("data:application/json")
    assert json.loads(unquote(download.href.split(",", 1)[1]))["answers"]["parent_body"] == "nhs"


def test_check_your_answers_names_problems_and_offers_a_fix(pages):
    page = pages.check_page("?parent_body=trust&colour=red&asset_lock=yes")
    words = text(page)
    assert "There is a problem with the link" in words
    assert (
        "must be one of: A council, An NHS body, A central government department, "
        "Another public body, Not sure" in words
    )
    fixes = dict(links(page))
    assert fixes["Remove it"] == "/route/check?parent_body=trust&asset_lock=yes"
    assert fixes["Change this answer"].startswith("/route/change/parent_body?")
    assert not any(getattr(n, "id", None) == "see-route" for n in walk(page))


def test_an_adviser_changing_answers_is_led_back_to_the_adviser_view(adviser, pages):
    summary = adviser.content(PART_WAY, "http://x/adviser")[1]
    change = dict(links(summary))["Change their answers"]
    assert change.startswith("/route/check?") and params(change)["from"] == "adviser"
    assert params(change)["done"] == params(PART_WAY)["done"]  # progress travels with it
    page = pages.check_page(change[len("/route/check") :])
    back = by_id(page, "see-route")
    assert back.children == "Back to the adviser view"
    assert back.href == "/adviser" + PART_WAY  # the same link, without "from"
    assert "Check the applicant's answers" in text(page)
    # a Change link on that page keeps "from", so the way back survives the question page
    changes = [h for t, h in links(page) if t.startswith("Change your answer")]
    assert all(params(h)["from"] == "adviser" for h in changes)
    # without it, the applicant's own check page leads to their route as before
    assert by_id(pages.check_page(PART_WAY), "see-route").href == "/route" + PART_WAY


def test_an_unknown_page_to_go_back_to_is_named(real_map):
    link = parse_link(real_map, "?parent_body=nhs&from=elsewhere")
    assert [p.text() for p in link.problems] == [
        "from: 'elsewhere' is not a page to go back to (allowed: adviser)"
    ]
    assert parse_link(real_map, "?parent_body=nhs&from=adviser").ok


# ---- the route page ----------------------------------------------------------------------------
def test_the_route_page_lists_every_step_with_reason_and_draws_the_route(pages, real_map):
    top, steps, more, hidden, highlight = pages.route_content(PART_WAY)
    profile = parse_link(real_map, PART_WAY).profile
    result = find_route(real_map, profile)
    items = [n for n in walk(steps) if getattr(n, "id", "") and str(n.id).startswith("step-")]
    assert [n.id[5:] for n in items] == [s.station for s in result.steps]
    for item, step in zip(items, result.steps, strict=True):
        words = text(item)
        assert words.startswith(f"{step.number}. {step.name}")
        for reason in step.reasons:
            assert reason.text in words
        # the station's general description belongs to its details, not the reason
        assert real_map.stations[step.station].summary not in words
    assert "Done" in text(items[1])
    assert hidden is False
    assert highlight["stations"] == result.drawing.stations
    # the same strokes as the exported map
    strokes = _highlight(real_map, None, result).strokes
    assert {f"e-{a}--{b}--{c}" for a, b, c in strokes} == set(highlight["edges"])
    words = text(more)
    assert "Areas you might work on" in words and "Readiness by area" in words
    for area in result.readiness:
        assert area.name in words


def test_the_route_page_says_the_choices_the_goal_the_futures_and_the_estimate(pages, real_map):
    top, steps, more, *_ = pages.route_content(PART_WAY)
    head = text(top)
    assert "Employee-led community interest company (CIC)" in head  # the legal form
    assert "Your choices" in head and "Provider Selection Regime (health care)" in head
    assert "The other options, and why not" in head
    words = text(more)
    assert "Possible futures when the first contract ends" in words
    assert "Lost on re-tender" in words and "Central Surrey Health lost a 2011 contract" in words
    assert "How long it takes and what it costs" in words and "2 to 8 months" in words
    assert "What each answer changes on your route" in words
    assert "What if you answered differently?" in words
    last = [n for n in walk(steps) if str(getattr(n, "id", "")).startswith("step-")][-2:]
    assert [n.id for n in last] == ["step-go-live", "step-cic34"]


def test_what_if_on_the_page_links_to_the_changed_route(pages, real_map):
    _, _, more, *_ = pages.route_content(NHS)
    items = by_id(more, "what-if").children
    changed = [i for i in items if i.to_plotly_json()["props"].get("data-changed") == "true"]
    assert changed
    commissioner = next(
        i for i in changed if i.to_plotly_json()["props"]["data-question"] == "commissioner_support"
    )
    assert "no route to a mutual stays open" in text(commissioner)
    hrefs = [h for _, h in links(commissioner)]
    assert hrefs and "commissioner_support=no" in hrefs[0]
    for item in items:  # plain words: question and answer text, never ids
        assert "commissioner_support" not in text(item) and "parent_body" not in text(item)


def test_no_route_is_said_plainly_with_the_nearest_routes(pages, real_map):
    query = profile_query(
        real_map, parse_answers(real_map, persona_doc("nhs-no-commissioner")["answers"])
    )
    top, steps, more, hidden, highlight = pages.route_content(query)
    words = text(top)
    assert "No route to a mutual is open yet" in words
    assert "The nearest routes" in words and "Community Right to Challenge" in words
    assert "Other ways to deliver the service" in words
    assert hidden is True and steps == []
    assert any("commissioner_support=yes" in h for _, h in links(top))


def test_the_route_page_without_answers_is_the_start_page(pages):
    top, steps, more, hidden, highlight = pages.route_content("")
    assert "Start now" in text(top) and hidden is True and highlight is None


def test_a_bad_route_link_names_each_problem_and_keeps_the_link(pages):
    top, steps, more, hidden, highlight = pages.route_content("?parent_body=trust&asset_lock=yes")
    words = text(top)
    q = pages.rm.questions["parent_body"]
    assert q.text in words and "parent_body" not in words  # the question as asked, not its id
    assert "must be one of: " + ", ".join(o.label for o in q.options) + ", Not sure" in words
    assert ("Check your answers", "/route/check?parent_body=trust&asset_lock=yes") in links(top)
    assert hidden is True and steps == []


def test_export_links_carry_the_answers(pages):
    _, _, more, _, _ = pages.route_content(PART_WAY + "&skipped=tupe&note_tupe=x")
    exports = [h for _, h in links(more) if h.startswith("/api/v1/export")]
    route = [h for h in exports if "parent_body" in h]
    assert {params(h)["format"] for h in route} == {"svg", "png", "pdf", "html", "md", "csv"}
    assert all(params(h)["parent_body"] == "nhs" and "note_tupe" not in h for h in route)
    whole = [h for h in exports if "parent_body" not in h]
    assert {params(h)["format"] for h in whole} == {"svg", "png", "pdf", "html", "json"}


def test_every_download_link_in_the_app_answers_with_a_file(client, pages):
    from routemap.web.components import map_downloads

    _, _, more, _, _ = pages.route_content(PART_WAY)
    hrefs = {h for _, h in links(more) + links(map_downloads()) if h.startswith("/api/")}
    for href in sorted(hrefs):
        r = client.get(href)
        assert r.status_code == 200, href
        assert r.headers["Content-Disposition"].startswith("attachment; filename=")


# ---- the adviser view -------------------------------------------------------------------------
def test_the_adviser_view_shows_progress_states_and_controls(adviser, real_map):
    out = adviser.content(PART_WAY + "&in_progress=dcms-toolkit", "http://x/adviser")
    top, summary, nxt, steps, more, hidden, highlight, paste = out
    assert "4 of 20 steps done (20%)" in text(summary)
    words = text(nxt)
    assert "Can start now" in words and "Business case" in words
    assert "Areas you might work on" in words
    buttons = [n for n in walk(steps) if isinstance(getattr(n, "id", None), dict)]
    stations = {b.id["station"] for b in buttons if b.id["type"] == "ad-progress"}
    assert "trigger" not in stations and "contract-renewed" not in stations  # not steps
    pressed = {
        b.id["station"]: b.id["state"]
        for b in buttons
        if b.id["type"] == "ad-progress"
        and b.to_plotly_json()["props"].get("aria-pressed") == "true"
    }
    assert pressed["explore"] == "done" and pressed["dcms-toolkit"] == "in_progress"
    assert pressed["business-case"] == "to_do"
    assert highlight["states"]["business-case"] == "can_start"
    assert hidden is False


def test_a_skipped_station_has_a_note_box(adviser):
    out = adviser.content(NHS + "&skipped=dcms-toolkit&note_dcms-toolkit=Own", "h")
    notes = [
        n
        for n in walk(out[3])
        if isinstance(getattr(n, "id", None), dict) and n.id["type"] == "ad-note"
    ]
    assert [n.value for n in notes] == ["Own"]


def test_a_bad_adviser_link_names_each_problem_and_puts_the_link_in_the_box(adviser):
    out = adviser.content(
        "?parent_body=nhs&done=nowhere", "http://x/adviser?parent_body=nhs&done=nowhere"
    )
    words = text(out[0])
    assert "Steps done" in words and "names a step this map does not have (“nowhere”)" in words
    assert "Take “nowhere” out of the steps done" in words
    assert "unknown station" not in words  # the CLI's words, with ids, are not the page's
    assert out[-1] == "http://x/adviser?parent_body=nhs&done=nowhere"
    assert out[5] is True


def test_the_print_view_has_every_station_and_what_next(adviser, real_map):
    page = adviser.print_content(PART_WAY, "http://x/adviser/print" + PART_WAY)
    rows = [n for n in walk(page) if type(n).__name__ == "Tr"]
    profile = parse_link(real_map, PART_WAY).profile
    assert len(rows) == 1 + find_route(real_map, profile).step_count
    words = text(page)
    assert "4 of 20 steps done (20%)" in words and "Can start now" in words
    assert "Cannot start yet (after Business case)" in words
    assert "http://x/adviser/print" in words


def test_highlight_data_is_empty_without_a_route(real_map):
    from routemap.route.nextsteps import what_next

    answers = persona_doc("nhs-no-commissioner")["answers"]
    nr = what_next(real_map, parse_answers(real_map, answers))
    data = highlight_data(nr, set())
    assert nr.route.outcome == "nothing_open"
    assert data["stations"] == [] and data["edges"] == []


@pytest.mark.parametrize(
    ("query", "key", "href", "label"),
    [
        (
            "?parent_body=nhs&done=explore,nowhere,tupe",
            "done",
            "/adviser?parent_body=nhs&done=explore,tupe",
            "Take “nowhere” out of the steps done",
        ),
        (
            "?done=explore&in_progress=explore,tupe",
            "done",
            "/adviser?done=explore&in_progress=tupe",
            "Take “Explore becoming a mutual” out of the steps in progress",
        ),
        (
            "?in_progress=tupe&skipped=tupe,vat&note_tupe=x",
            "in_progress",
            "/adviser?in_progress=tupe&skipped=vat",
            "Take “Staff transfer (TUPE)” out of the steps skipped",
        ),
        (
            "?parent_body=nhs&parent_body=council",
            "parent_body",
            "/adviser?parent_body=nhs",
            "Keep the first",
        ),
        ("?colour=1&parent_body=nhs", "colour", "/adviser?parent_body=nhs", "Remove it"),
        (
            "?parent_body=trust&done=explore",
            "parent_body",
            "/route/change/parent_body?parent_body=trust&done=explore",
            "Change this answer",
        ),
    ],
)
def test_every_problem_has_a_fix_that_keeps_the_rest(real_map, query, key, href, label):
    from routemap.web.routepage import fixer

    link = parse_link(real_map, query)
    problem = next(p for p in link.problems if p.key == key)
    assert fixer(real_map, link.pairs, "/adviser")(problem) == (href, label)


def test_the_route_sentence_names_the_award_route_as_written(real_map):
    """ "awarded by provider Selection Regime" was the name lower-cased into the sentence."""
    answers = persona_doc("nhs-community-nursing")["answers"]
    result = find_route(real_map, parse_answers(real_map, answers))
    award = result.choice("award").option_name
    assert award.startswith("Provider Selection Regime")
    sentence = route_sentence(result)
    assert sentence.endswith(f"How the work is awarded: {award}.")
    assert sentence.startswith(f"{result.step_count} steps to the new organisation")


def test_a_proper_name_keeps_its_capitals_inside_a_reason(real_map):
    """ "Once the work is awarded (provider Selection Regime …)" lower-cased a proper name; a
    common name is still lower-cased mid-sentence ("decide who owns … your employee-led …")."""
    answers = persona_doc("nhs-community-nursing")["answers"]
    result = find_route(real_map, parse_answers(real_map, answers))
    reasons = [r.text for s in result.steps for r in s.reasons]
    assert any("awarded — Provider Selection Regime" in t for t in reasons), reasons
    assert not any("provider Selection Regime" in t for t in reasons)
    form = result.choice("legal-form").option_name
    assert form[0].isupper() and any(f"your {form[0].lower()}{form[1:]}" in t for t in reasons)
