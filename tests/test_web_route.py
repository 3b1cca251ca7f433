"""The route, questions and adviser pages without a browser: the link format (answers and
progress as named query parameters), every problem named with the allowed values, the answers
file, page statuses, and what each page says and links to (read from its HTML)."""

from __future__ import annotations

import json
from base64 import b64decode
from urllib.parse import parse_qsl, quote, urlsplit

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from routemap.export import _highlight
from routemap.route import AnswersError, find_route, parse_answers, read_answers_file
from routemap.route.nextsteps import what_next
from routemap.route.rules import asked_questions
from routemap.route.words import route_sentence
from routemap.web import create_app
from routemap.web.answerlink import (
    answers_from_text,
    answers_json,
    encode,
    fix_for,
    parse_link,
    profile_from_text,
    profile_query,
    query_of_pasted,
    with_progress,
    with_value,
)

from .conftest import NHS_ANSWERS, PERSONAS, persona_doc
from .pagehtml import parse

NHS = (
    "?parent_body=nhs&service_area=community_health&staff_count=600&staff_support=strong"
    "&senior_sponsor=yes&commissioner_support=yes&asset_lock=yes"
)
PART_WAY = NHS + "&done=explore,readiness-diagnostic,senior-sponsorship,options-appraisal"


def params(href: str) -> dict[str, str]:
    return dict(parse_qsl(urlsplit(href).query, keep_blank_values=True))


@pytest.fixture(scope="module")
def client(real_map):
    return create_app({"ROUTEMAP": real_map}).test_client()


@pytest.fixture(scope="module")
def page(client):
    def get(path: str, status: int = 200):
        r = client.get(path)
        assert r.status_code == status, (path, r.status_code)
        return parse(r.data)

    return get


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


# link text: ids, numbers and comma lists, and every character a link must quote
LINK_TEXT = st.text(max_size=30) | st.text(st.sampled_from("az09,_.-~ &=+%/?#é\n"), max_size=12)


@given(st.lists(st.tuples(LINK_TEXT, LINK_TEXT | st.integers()), max_size=6))
def test_a_link_is_written_as_quote_writes_it_and_reads_back(pairs):
    """``encode`` leaves a plain value as it is rather than quoting it: the same text."""
    written = encode(pairs)
    quoted = "&".join(
        f"{quote(str(k), safe=',-_.')}={quote(str(v), safe=',-_.')}" for k, v in pairs
    )
    assert written == ("?" + quoted if pairs else "")
    assert parse_qsl(written[1:], keep_blank_values=True) == [(str(k), str(v)) for k, v in pairs]


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
        elif q.kind == "several":  # one or more answers, or the one given alone
            many = [o.value for o in q.options if not o.alone]
            alone = [[o.value] for o in q.options if o.alone]
            answers[qid] = draw(
                st.one_of(
                    st.lists(st.sampled_from(many), min_size=1, unique=True),
                    st.sampled_from(alone),
                    st.just("not_sure"),
                )
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


def test_the_pages_are_in_the_navigation_and_say_which_is_current(page):
    nav = page("/route" + NHS).one("nav.rm-nav")
    assert [t for t, _ in nav.links()] == [
        "Map",
        "Step-by-step list",
        "Your route",
        "Adviser view",
        "About",
    ]
    current = [a.text for a in nav.all(lambda n: n.get("aria-current") == "page")]
    assert current == ["Your route"]
    assert [a.text for a in page("/adviser").all(lambda n: n.get("aria-current") == "page")] == [
        "Adviser view"
    ]


# ---- the questions ----------------------------------------------------------------------------
def test_each_answer_goes_on_to_the_next_question_keeping_the_rest(page, real_map):
    doc = page("/route/questions/parent_body" + NHS)
    form = doc.one("form.rm-question-form")
    assert form["method"] == "get" and form["action"] == "/route/questions/service_area"
    kept = {i["name"]: i["value"] for i in form.all(lambda n: n.get("type") == "hidden")}
    assert kept == {k: v for k, v in dict(parse_qsl(NHS[1:])).items() if k != "parent_body"}
    radios = {r["value"]: r for r in form.all(lambda n: n.get("type") == "radio")}
    q = real_map.questions["parent_body"]
    assert list(radios) == [o.value for o in q.options if o.value != "not_sure"] + ["not_sure"]
    assert "checked" in radios["nhs"].attrs  # the answer in the link
    assert "Question 1 of 18" in doc.text
    # the NHS team is asked 18 of the 20: not what children's services it runs, nor about a
    # sale to a partner


def test_a_question_only_some_answers_call_for_is_skipped(page, client, real_map):
    def next_after(qid: str, link: str) -> str:
        doc = page(f"/route/questions/{qid}" + link)
        action = doc.one("form.rm-question-form")["action"]
        if action.startswith("/route/after/"):  # the next question follows from the answer
            r = client.get(action + link)
            assert r.status_code == 303
            action = r.headers["Location"].split("?")[0]
        return action.rsplit("/", 1)[-1]

    assert next_after("service_area", "?service_area=libraries_and_culture") == "staff_count"
    assert next_after("service_area", "?service_area=childrens_social_care") == (
        "childrens_services"
    )
    adult = "?service_area=adult_social_care"
    assert next_after("service_area", adult) == "regulated_activities"
    assert next_after("ownership", "?ownership=parent_body") == "asset_lock"
    assert next_after("staff_control", "?ownership=partner") == "sold_with_contracts"


def test_the_last_question_and_a_change_go_to_check_your_answers(page, real_map):
    last = list(real_map.questions)[-1]
    form = page(f"/route/questions/{last}" + NHS).one("form.rm-question-form")
    assert form["action"] == "/route/check"
    form = page("/route/change/parent_body" + NHS).one("form.rm-question-form")
    assert form["action"] == "/route/check"
    kept = {i["name"] for i in form.all(lambda n: n.get("type") == "hidden")}
    assert "asset_lock" in kept


def test_a_bad_answer_in_the_link_is_shown_on_its_question(page):
    doc = page("/route/questions/parent_body?parent_body=trust&asset_lock=yes")
    error = doc.by_id("question-error").text
    assert "Must be one of: A council, An NHS body" in error and "“trust”" in error
    assert "parent_body" not in error
    kept = {i["name"]: i["value"] for i in doc.all(lambda n: n.get("type") == "hidden")}
    assert kept == {"asset_lock": "yes"}


def test_check_your_answers_has_a_change_link_per_question_keeping_later_answers(page, real_map):
    doc = page("/route/check" + PART_WAY)
    changes = [h for t, h in doc.links() if t.startswith("Change your answer")]
    asked = asked_questions(real_map, dict(parse_qsl(PART_WAY[1:])))
    assert len(changes) == len(asked) == 18
    for href, qid in zip(changes, asked, strict=True):
        assert href.startswith(f"/route/change/{qid}?")
        assert params(href)["asset_lock"] == "yes"  # a later answer is kept
        assert (
            params(href)["done"]
            == "explore,readiness-diagnostic,senior-sponsorship,options-appraisal"
        )
    assert doc.by_id("see-route")["href"] == "/route" + PART_WAY
    download = doc.by_id("download-answers")["href"]
    assert download.startswith("data:application/json;base64,")
    answers = json.loads(b64decode(download.split(",", 1)[1]))
    assert answers["answers"]["parent_body"] == "nhs"


def test_check_your_answers_names_problems_and_offers_a_fix(page):
    doc = page("/route/check?parent_body=trust&colour=red&asset_lock=yes")
    summary = doc.one("div.rm-error-summary")
    assert "There is a problem with the link" in summary.text
    assert (
        "must be one of: A council, An NHS body, A central government department, "
        "Another public body, Not sure" in summary.text
    )
    fixes = dict(summary.links())
    assert fixes["Remove it"] == "/route/check?parent_body=trust&asset_lock=yes"
    assert fixes["Change this answer"].startswith("/route/change/parent_body?")
    assert not doc.has_id("see-route")


def test_an_adviser_changing_answers_is_led_back_to_the_adviser_view(page):
    change = dict(page("/adviser" + PART_WAY).links())["Change their answers"]
    assert change.startswith("/route/check?") and params(change)["from"] == "adviser"
    assert params(change)["done"] == params(PART_WAY)["done"]  # progress travels with it
    doc = page(change)
    back = doc.by_id("see-route")
    assert back.text == "Back to the adviser view"
    assert back["href"] == "/adviser" + PART_WAY  # the same link, without "from"
    assert "Check the applicant's answers" in doc.text
    # a Change link on that page keeps "from", so the way back survives the question page
    changes = [h for t, h in doc.links() if t.startswith("Change your answer")]
    assert all(params(h)["from"] == "adviser" for h in changes)
    # without it, the applicant's own check page leads to their route as before
    assert page("/route/check" + PART_WAY).by_id("see-route")["href"] == "/route" + PART_WAY


def test_an_unknown_page_to_go_back_to_is_named(real_map):
    link = parse_link(real_map, "?parent_body=nhs&from=elsewhere")
    assert [p.text() for p in link.problems] == [
        "from: 'elsewhere' is not a page to go back to (allowed: adviser)"
    ]
    assert parse_link(real_map, "?parent_body=nhs&from=adviser").ok


# ---- the route page ----------------------------------------------------------------------------
def svg_stations(doc, ident: str) -> dict[str, str]:
    """Each station of a page's SVG map: its classes."""
    svg = doc.by_id(ident)
    return {
        g["data-station"]: g.get("class", "")
        for g in svg.all(lambda n: n.tag == "g" and n.get("data-station"))
    }


def test_the_route_page_composes_the_route_once(client, real_map, monkeypatch):
    import routemap.route.compose as compose

    calls = []
    real = compose.compose

    def counted(*args, **kwargs):
        calls.append(kwargs.get("explain", True))
        return real(*args, **kwargs)

    monkeypatch.setattr(compose, "compose", counted)
    compose.kept_routes(real_map).clear()
    assert client.get("/route" + PART_WAY).status_code == 200
    assert calls == [False]  # once, without the what-ifs' explanations (their own page)
    # asked again (a reload, back from a what-if): the route composed last is kept
    first = client.get("/route" + PART_WAY).data
    assert calls == [False]
    compose.kept_routes(real_map).clear()
    assert client.get("/route" + PART_WAY).data == first
    assert calls == [False, False]


def test_the_routes_kept_are_few_and_the_last_asked(real_map):
    from routemap.route.compose import KeptRoutes, find_route, profile_key

    kept = KeptRoutes(real_map, size=3)
    profiles = [parse_answers(real_map, {**NHS_ANSWERS, "staff_count": n}) for n in range(5, 10)]
    for p in profiles:
        assert kept.route(p, explain=False) == find_route(real_map, p, explain=False)
    assert len(kept.routes) == 3
    # the first asked is gone, the last asked is kept and shared
    assert kept.route(profiles[-1], explain=False) is kept.route(profiles[-1], explain=False)
    assert (profile_key(profiles[0]), False, False) not in kept.routes
    # progress and explanations are part of what a route is kept by
    done = parse_answers(real_map, {**NHS_ANSWERS, "staff_count": 9}, {"done": ["explore"]})
    assert kept.route(done, explain=False).steps[0].status == "done"
    assert kept.route(profiles[-1], explain=False).steps[0].status != "done"
    assert kept.route(profiles[-1]).answer_effects
    assert not kept.route(profiles[-1], explain=False).answer_effects


def test_a_kept_route_is_the_same_after_every_page_has_read_it(client, real_map):
    """The routes kept are shared by every request that asks again: nothing that reads one
    (the pages, the downloads, the API) may change it, or the next team would get another's."""
    import routemap.route.compose as compose

    kept = compose.kept_routes(real_map)
    kept.clear()
    answers = dict(parse_qsl(PART_WAY[1:]))
    for path in ("/route", "/adviser", "/route/whatif", "/compare", "/adviser/print", "/"):
        assert client.get(path + PART_WAY).status_code == 200, path
    for fmt in ("md", "csv", "svg"):
        assert client.get(f"/api/v1/export?format={fmt}&{PART_WAY[1:]}").status_code == 200
    body = {
        "answers": {k: int(v) if v.isdigit() else v for k, v in answers.items() if k != "done"},
        "done": answers["done"].split(","),
    }
    assert client.post("/api/v1/route", json=body).status_code == 200
    assert client.post("/api/v1/next", json=body).status_code == 200
    own = compose.profile_key(parse_link(real_map, PART_WAY).profile)
    assert own in {key for key, _, _ in kept.routes}  # the pages above shared the team's route
    # each route kept (the team's, its what-ifs', its probes'), as composed anew
    for (key, explain, effects), result in list(kept.routes.items()):
        again = compose.compose(real_map, _profile_of(key), explain=explain, effects=effects)
        assert result.model_dump() == again.model_dump()


def _profile_of(key):
    """The profile a kept route's key was made from."""
    from routemap.route.profile import Profile

    answers, given, done, in_progress, skipped, retired = key
    return Profile(
        answers=dict(answers),
        given=given,
        done=done,
        in_progress=in_progress,
        skipped=dict(skipped),
        retired=dict(retired),
    )


def test_the_route_page_lists_every_step_with_reason_and_draws_the_route(page, real_map):
    doc = page("/route" + PART_WAY)
    profile = parse_link(real_map, PART_WAY).profile
    result = find_route(real_map, profile)
    items = doc.by_id("route-steps").all(lambda n: n.tag == "li" and n.get("data-station"))
    assert [n["data-station"] for n in items] == [s.station for s in result.steps]
    for item, step in zip(items, result.steps, strict=True):
        words = item.text
        assert words.startswith(f"{step.number}. {step.name}")
        for reason in step.reasons:
            assert reason.text in words
        # the station's general description belongs to its details, not the reason
        assert real_map.stations[step.station].summary not in words
    assert "Done" in items[1].text
    # the route on the map: the export's own highlight (its stations lit, the rest faded)
    drawn = svg_stations(doc, "rt-map-svg")
    lit = {sid for sid, cls in drawn.items() if "faded" not in cls.split()}
    assert lit == set(_highlight(real_map, None, result).stations) == set(result.drawing.stations)
    assert "mark-done" in drawn["explore"]
    # each step of the route links to its place in the list
    svg = doc.by_id("rt-map-svg")
    steps = {a["href"] for a in svg.all("a.rm-svg-station") if a["href"].startswith("#step-")}
    assert steps == {f"#step-{s.station}" for s in result.steps}
    words = doc.text
    assert "Readiness by area" in words
    for area in result.readiness:
        assert area.name in words


def test_the_route_page_says_the_choices_the_goal_the_futures_and_the_estimate(page, real_map):
    doc = page("/route" + PART_WAY)
    assert doc.by_id("route-heading").text == "Community interest company (CIC)"
    choices = doc.by_id("route-choices").text
    assert "Provider Selection Regime (health care)" in choices
    assert "The other options, and why not" in choices
    words = doc.text
    assert "Possible futures when the first contract ends" in words
    assert "Lost on re-tender" in words and "Sirona care & health" in words
    assert "How long it takes and what it costs" in words and "2 to 8 months" in words
    assert doc.by_id("whatif-link")["href"] == "/route/whatif" + PART_WAY
    last = doc.by_id("route-steps").all(lambda n: n.tag == "li" and n.get("data-station"))[-2:]
    assert [n["id"] for n in last] == ["step-go-live", "step-cic34"]


def test_a_what_if_is_shown_as_one_beside_the_teams_own_route(page, client, real_map):
    doc = page("/route/whatif" + NHS)
    row = doc.by_id("answer-effects").one(
        lambda n: n.get("data-question") == "commissioner_support"
    )
    whatifs = dict((t.split(" to:")[0], h) for t, h in row.one("dd.rm-answers__whatif").links())
    assert set(whatifs) == {"No", "Not sure"}  # the other answers
    href = whatifs["No"]
    assert params(href)["whatif_commissioner_support"] == "no"
    assert params(href)["commissioner_support"] == "yes"  # the team's own answer is kept
    wi = page(href)
    banner = wi.one("div.rm-banner--whatif").text
    assert "This is a what-if: your own answers are unchanged" in banner
    assert "What if you answered “No” to" in banner and "no route to a mutual stays open" in banner
    assert wi.by_id("whatif-back")["href"] == "/route" + NHS  # the way back
    use = wi.by_id("whatif-use")["href"]
    assert params(use)["commissioner_support"] == "no" and "whatif_" not in use
    # the team's own route beside it, and nothing that keeps the what-if's answers
    assert wi.by_id("compare-own").text.startswith("Your route:")
    for _text, link in wi.links():
        if "whatif_" in link:
            raise AssertionError(f"a link keeps the what-if: {link}")
    # plain words: question and answer text, never ids
    assert "commissioner_support" not in wi.text and "parent_body" not in doc.text


def test_a_what_if_that_changes_the_route_shows_both_routes(page, real_map):
    wi = page("/route/whatif" + NHS + "&whatif_asset_lock=no")
    own = wi.by_id("compare-own").text
    other = wi.by_id("compare-whatif").text
    assert "Community interest company (CIC)" in own
    assert "Employee-owned company" in other
    marked = wi.all("strong.rm-tag--removed") + wi.all("strong.rm-tag--added")
    assert {m.text for m in marked} == {"Taken off", "Added"}
    assert svg_stations(wi, "wi-map-svg")  # the what-if's own route on the map


def test_a_what_if_of_a_count_of_staff_is_not_offered(page, real_map):
    doc = page("/route/whatif" + NHS)
    row = doc.by_id("answer-effects").one(lambda n: n.get("data-question") == "staff_count")
    assert not row.all("dd.rm-answers__whatif")  # no "1" or "2" for a team of 600
    assert "Change" in row.text


def test_a_bad_what_if_says_so_and_keeps_the_way_back(page):
    wi = page("/route/whatif" + NHS + "&whatif_parent_body=trust")
    assert "This what-if could not be shown" in wi.text
    assert wi.by_id("whatif-back")["href"] == "/route" + NHS


def test_no_route_is_said_plainly_with_the_nearest_routes(page, client, real_map):
    query = profile_query(
        real_map, parse_answers(real_map, persona_doc("nhs-no-commissioner")["answers"])
    )
    r = client.get("/route" + query)  # no route open: its page is the nearest routes
    assert r.status_code == 303 and r.headers["Location"] == "/route/whatif" + query
    doc = page("/route/whatif" + query)
    words = doc.text
    assert "No route to a mutual is open yet" in words
    assert "The nearest routes" in words and "Community Right to Challenge" in words
    assert "Other ways to deliver the service" in words
    assert not doc.has_id("route-steps") and not doc.has_id("rt-map-svg")
    assert any(params(h).get("whatif_commissioner_support") == "yes" for _, h in doc.links())


def test_the_route_page_without_answers_is_the_start_page(page):
    doc = page("/route")
    assert doc.by_id("start-now")["href"] == "/route/questions/parent_body"
    assert doc.one("form.rm-load")["action"] == "/route/answers-file"


def test_a_bad_route_link_names_each_problem_and_keeps_the_link(page, real_map):
    doc = page("/route?parent_body=trust&asset_lock=yes")
    words = doc.text
    q = real_map.questions["parent_body"]
    assert q.text in words and "parent_body" not in words  # the question as asked, not its id
    assert "must be one of: " + ", ".join(o.label for o in q.options) + ", Not sure" in words
    assert ("Check your answers", "/route/check?parent_body=trust&asset_lock=yes") in doc.links()
    assert not doc.has_id("route-steps")


def test_export_links_carry_the_answers(page):
    doc = page("/route" + PART_WAY + "&skipped=tupe&note_tupe=x")
    exports = [h for _, h in doc.links() if h.startswith("/api/v1/export")]
    route = [h for h in exports if "parent_body" in h]
    assert {params(h)["format"] for h in route} == {"svg", "png", "pdf", "html", "md", "csv"}
    assert all(params(h)["parent_body"] == "nhs" and "note_tupe" not in h for h in route)
    whole = [h for h in exports if "parent_body" not in h]
    assert {params(h)["format"] for h in whole} == {"svg", "png", "pdf", "html"}
    assert "command line" not in doc.by_id("downloads").text  # plain words


def test_every_download_link_in_the_app_answers_with_a_file(client, page):
    hrefs = {h for _, h in page("/route" + PART_WAY).links() + page("/about").links()}
    hrefs = {h for h in hrefs if h.startswith("/api/v1/export")}
    assert len(hrefs) > 8
    for href in sorted(hrefs):
        r = client.get(href)
        assert r.status_code == 200, href
        assert r.headers["Content-Disposition"].startswith("attachment; filename=")


# ---- the adviser view -------------------------------------------------------------------------
def test_the_adviser_view_shows_progress_states_and_marks(page, real_map):
    doc = page("/adviser" + PART_WAY + "&in_progress=dcms-toolkit")
    assert "4 of 21 steps done (19%)" in doc.by_id("progress-figure").text
    nxt = doc.one("section.rm-what-next").text
    assert "Can start now" in nxt and "Business case" in nxt and "Areas to work on" in nxt
    form = doc.by_id("adviser-marks")
    assert form["action"] == "/adviser/mark" and form["method"] == "get"
    buttons = form.all(lambda n: n.tag == "button" and ":" in n.get("value", ""))
    stations = {b["value"].split(":")[0] for b in buttons}
    assert "trigger" not in stations and "contract-renewed" not in stations  # not steps
    pressed = {
        b["value"].split(":")[0]: b["value"].split(":")[1]
        for b in buttons
        if b.get("aria-pressed") == "true"
    }
    assert pressed["explore"] == "done" and pressed["dcms-toolkit"] == "in_progress"
    assert pressed["business-case"] == "to_do"
    # the route on the map with each step's state: can start now ringed
    assert "mark-can-start" in svg_stations(doc, "ad-map-svg")["business-case"]
    assert "mark-in-progress" in svg_stations(doc, "ad-map-svg")["dcms-toolkit"]


def test_a_step_already_in_place_says_so_and_offers_no_marks(page):
    doc = page("/adviser" + NHS)  # a senior leader backs the idea: sponsorship is in place
    step = doc.by_id("step-senior-sponsorship")
    assert "Already in place" in step.text and "Not started" not in step.text
    assert not step.all("button")
    assert "Does a senior leader or elected member back the idea?" in step.text
    assert any(t == "change their answers" for t, _ in step.links())


def test_marking_a_step_returns_the_reader_to_that_step(client, real_map):
    r = client.get("/adviser/mark" + NHS + "&mark=business-case:skipped")
    assert r.status_code == 303
    target = r.headers["Location"]
    assert target.endswith("#step-business-case")
    assert params(target)["skipped"] == "business-case"
    # the note typed on a skipped step goes with any mark, and Enter in its box saves it
    r = client.get(
        "/adviser/mark" + NHS + "&skipped=business-case&note_business-case=Own+plan&mark=save"
    )
    assert r.headers["Location"].endswith("#step-business-case")
    assert params(r.headers["Location"])["note_business-case"] == "Own plan"
    r = client.get(
        "/adviser/mark" + NHS + "&skipped=tupe&note_tupe=Later&mark=vat-registration:done"
    )
    assert params(r.headers["Location"])["note_tupe"] == "Later"
    # a link with problems goes back to the view, which names them
    r = client.get("/adviser/mark?parent_body=trust&mark=tupe:done")
    assert r.headers["Location"].startswith("/adviser?parent_body=trust")


def test_a_skipped_station_has_a_note_box(page):
    doc = page("/adviser" + NHS + "&skipped=dcms-toolkit&note_dcms-toolkit=Own")
    box = doc.by_id("note-dcms-toolkit")
    assert box["name"] == "note_dcms-toolkit" and box["value"] == "Own"
    # the note is not also a hidden field: the box is what is sent
    hidden = doc.by_id("adviser-marks").all(lambda n: n.get("type") == "hidden")
    assert "note_dcms-toolkit" not in {h["name"] for h in hidden}


def test_a_bad_adviser_link_names_each_problem_and_puts_the_link_in_the_box(page):
    doc = page("/adviser?parent_body=nhs&done=nowhere")
    words = doc.one("div.rm-error-summary").text
    assert "Steps done" in words and "names a step this map does not have (“nowhere”)" in words
    assert "Take “nowhere” out of the steps done" in words
    assert "unknown station" not in words  # the CLI's words, with ids, are not the page's
    assert doc.by_id("ad-paste")["value"].endswith("/adviser?parent_body=nhs&done=nowhere")
    assert not doc.has_id("adviser-steps")


def test_the_print_view_has_every_station_the_questions_and_what_next(page, real_map):
    doc = page("/adviser/print" + PART_WAY)
    profile = parse_link(real_map, PART_WAY).profile
    rows = doc.one("table.rm-print__table").all("tr")
    assert len(rows) == 1 + find_route(real_map, profile).step_count
    answers = doc.one("dl.rm-print__answers")
    for qid in profile.given:  # each question with its answer
        assert real_map.questions[qid].text in answers.text
    words = doc.text
    assert "4 of 21 steps done (19%)" in words and "Can start now" in words
    assert "Cannot start yet (after Business case)" in words
    assert "/adviser/print?parent_body=nhs" in words


def test_a_route_with_no_steps_has_no_highlight(real_map):
    from routemap.render.highlight import route_highlight

    answers = persona_doc("nhs-no-commissioner")["answers"]
    nr = what_next(real_map, parse_answers(real_map, answers))
    assert nr.route.outcome == "nothing_open"
    h = route_highlight(nr.route, nr.states)
    assert not h.stations and not h.strokes and not h.steps


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
    link = parse_link(real_map, query)
    problem = next(p for p in link.problems if p.key == key)
    assert fix_for(real_map, link.pairs, "/adviser", problem) == (href, label)


def test_the_route_sentence_names_the_award_route_as_written(real_map):
    """ "awarded by provider Selection Regime" was the name lower-cased into the sentence."""
    answers = persona_doc("nhs-community-nursing")["answers"]
    result = find_route(real_map, parse_answers(real_map, answers))
    award = result.choice("award").option_name
    assert award.startswith("Provider Selection Regime")
    sentence = route_sentence(result)
    assert f"How the work is awarded: {award}." in sentence
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
