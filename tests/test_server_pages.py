"""The pages through Flask's test client: each page's HTML as it works without JavaScript,
the forms (a number posted, an answers file, a pasted link, a mark), escaping, statuses; and
every address shared before the pages moved to templates still opening the same page."""

from __future__ import annotations

import io
import json
import re
from html import unescape
from urllib.parse import parse_qsl, urlsplit

import pytest
from markupsafe import escape

from routemap import RouteMap
from routemap.render.highlight import route_highlight
from routemap.route import find_route, parse_answers
from routemap.web import create_app
from routemap.web.answerlink import profile_query
from routemap.web.mapsvg import MapSvg

from .browser_support import HOSTILE_NAME, HOSTILE_SUMMARY, write_hostile_data
from .conftest import NHS_ANSWERS

NHS = "?parent_body=nhs&service_area=community_health&staff_count=600&asset_lock=yes"


@pytest.fixture(scope="module")
def client(real_map):
    return create_app({"ROUTEMAP": real_map}).test_client()


def text(response) -> str:
    return response.get_data(as_text=True)


def entry(html: str) -> str:
    """The page's content, without the scripts at its end."""
    start = html.index("<main")
    return html[start : html.index("</main>", start)]


def params(location: str) -> dict[str, str]:
    return dict(parse_qsl(urlsplit(location).query))


@pytest.mark.parametrize(
    "path, words",
    [
        ("/text", "Step-by-step list of every route"),
        ("/about", "About this map"),
        ("/route", "Find your route to becoming a mutual"),
        ("/route/questions/parent_body", "Which kind of public body"),
        ("/route/check?parent_body=nhs", "Check your answers"),
        ("/route/change/parent_body?parent_body=nhs", "Which kind of public body"),
        ("/search?q=case", "Find a station"),
        ("/route" + NHS, "Your route, step by step"),
        ("/adviser" + NHS, "Route and progress, step by step"),
    ],
)
def test_pages_but_the_map_need_no_script(client, path, words):
    r = client.get(path)
    assert r.status_code == 200
    html = text(r)
    assert words in html
    assert "<script" not in html and "_dash-" not in html  # no Dash bundle, no script
    assert '<html lang="en">' in html and html.count("<main") == 1


def test_the_map_page_carries_the_svg_map_and_the_explorers_entry_point(client, real_map):
    html = entry(text(client.get("/")))
    assert "Loading..." not in html
    links = re.findall(r'<a href="/station/([a-z0-9-]+)" class="rm-svg-station"', html)
    assert sorted(links) == sorted(real_map.stations)
    assert html.count('role="img"') == 0  # an image role would hide the links
    for lid in real_map.lines:
        assert f'href="/line/{lid}"' in html


def test_a_station_page_has_its_details_and_marks_it_on_the_map(client, real_map):
    sid = "register-cic"
    html = entry(text(client.get(f"/station/{sid}")))
    assert (
        f'id="details-heading" class="rm-heading-l" tabindex="-1" '
        f'data-title="{real_map.stations[sid].name}: map">{real_map.stations[sid].name}<' in html
    )
    assert re.search(
        rf'<a href="/station/{sid}" class="rm-svg-station" aria-label="[^"]*" aria-current="page"',
        html,
    )
    for src in real_map.stations[sid].sources:
        assert real_map.sources[src].url in html


def test_an_unknown_station_is_a_404_that_says_so(client):
    r = client.get("/station/nowhere")
    assert r.status_code == 404
    assert "There is no station called “nowhere”" in unescape(entry(text(r)))


def test_an_unknown_page_says_so_without_javascript(client):
    r = client.get("/no/such/page")
    assert r.status_code == 404
    assert "Page not found" in entry(text(r)) and "<script" not in text(r)


def test_a_line_page_fades_the_other_lines(client, real_map):
    lid = "cic"
    html = entry(text(client.get(f"/line/{lid}")))
    faded = set(re.findall(r'<g id="m-line-([a-z0-9-]+)" class="line[^"]*"', html))
    assert lid in faded
    assert f'<g id="m-line-{lid}"' in html
    assert html.count('class="faded"') > 0


def test_the_radios_carry_the_rest_of_the_link_to_the_next_question(client, real_map):
    qids = list(real_map.questions)
    html = text(client.get(f"/route/questions/{qids[1]}?{qids[0]}=nhs&done=explore"))
    form = re.search(r'<form method="get" action="([^"]+)"', html)
    # the kind of service decides the next question (children's services, the regulated
    # activities, or neither): the form goes by the step that works it out
    assert form.group(1) == f"/route/after/{qids[1]}"
    r = client.get(f"/route/after/{qids[1]}?{qids[0]}=nhs&{qids[1]}=adult_social_care")
    assert r.status_code == 303 and r.headers["Location"].startswith(f"/route/questions/{qids[2]}?")
    hidden = re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', html)
    assert hidden == [(qids[0], "nhs"), ("done", "explore")]  # the link's own order
    radios = re.findall(rf'name="{qids[1]}" type="radio" value="([^"]+)"', html)
    options = [o.value for o in real_map.questions[qids[1]].options if o.value != "not_sure"]
    assert radios == [*options, "not_sure"]


def test_a_number_is_posted_and_checked(client):
    r = client.post("/route/questions/staff_count?parent_body=nhs", data={"staff_count": "1,200"})
    assert r.status_code == 303
    assert params(r.headers["Location"]) == {"parent_body": "nhs", "staff_count": "1200"}
    r = client.post("/route/questions/staff_count?parent_body=nhs", data={"staff_count": "lots"})
    html = text(r)
    assert r.status_code == 422 and 'id="question-error"' in html
    assert 'value="lots"' in html  # what was typed is kept
    assert "<title>Error:" in html
    r = client.post("/route/questions/parent_body", data={"parent_body": "nhs"})
    assert r.status_code == 405


def test_an_answers_file_is_posted_and_opens_its_link(client, real_map):
    doc = {"answers": NHS_ANSWERS, "done": ["explore"]}
    r = client.post(
        "/route/answers-file",
        data={"target": "adviser", "file": (io.BytesIO(json.dumps(doc).encode()), "a.json")},
        content_type="multipart/form-data",
    )
    assert r.status_code == 303
    assert r.headers["Location"].startswith("/adviser?")
    assert params(r.headers["Location"])["done"] == "explore"
    bad = client.post(
        "/route/answers-file",
        data={"file": (io.BytesIO(b"parent_body: trust\n"), "<b>x</b>.yaml")},
        content_type="multipart/form-data",
    )
    html = text(bad)
    assert bad.status_code == 422
    question = escape(real_map.questions["parent_body"].text)
    assert question in html and "A council, An NHS body" in html and "parent_body" not in html
    assert "<b>x</b>" not in html  # the file's name is text
    none = client.post("/route/answers-file", data={}, content_type="multipart/form-data")
    assert "Choose an answers file" in text(none) and none.status_code == 422


def test_the_route_page_lists_the_route_and_draws_it(client, real_map):
    result = find_route(real_map, parse_answers(real_map, NHS_ANSWERS))
    steps, drawn = [s.station for s in result.steps], result.drawing.stations
    html = entry(
        text(client.get("/route" + profile_query(real_map, parse_answers(real_map, NHS_ANSWERS))))
    )
    listed = re.findall(r'<li [^>]*id="step-([a-z0-9-]+)"', html)
    assert listed == steps
    lit = re.findall(r'class="station[^"]*" data-station="([a-z0-9-]+)"', html)
    # every station in sight of the route's crop, and only those: a link nobody sees is none
    g, span = real_map.geometry, MapSvg(real_map).crop_span(route_highlight(result))
    top, bottom = span
    seen = {
        st.id
        for st in g.stations
        if any(b.bottom > top and b.y < bottom for b in (st.marker, st.label.box))
    }
    assert set(drawn) <= set(lit) and set(lit) == seen | set(drawn) and len(lit) == len(set(lit))
    assert len(seen) < len(real_map.stations)
    unfaded = re.findall(r'class="station(?![^"]*faded)[^"]*" data-station="([a-z0-9-]+)"', html)
    assert sorted(unfaded) == sorted(drawn)


def test_marking_a_step_is_a_button_of_one_form_whose_fields_are_the_link(client, real_map):
    query = profile_query(real_map, parse_answers(real_map, NHS_ANSWERS))
    html = entry(text(client.get("/adviser" + query)))
    result = find_route(real_map, parse_answers(real_map, NHS_ANSWERS))
    sid = next(s.station for s in result.steps if s.status == "to_do")
    assert f'value="{escape("http://localhost/adviser" + query)}"' in html  # to send back
    marks = r'<form method="get" action="/adviser/mark" class="rm-marks" id="adviser-marks">'
    form = re.search(marks + r"(.*?)</form>", html, re.S).group(1)
    fields = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', form))
    link = {k: ",".join(v) if isinstance(v, list) else str(v) for k, v in NHS_ANSWERS.items()}
    assert fields == link
    assert f'<button type="submit" name="mark" value="{sid}:done"' in form
    # pressing Enter in a note box saves the notes (the form's first button), never a mark
    first = re.search(r"<button[^>]*>", form).group(0)
    assert 'value="save"' in first
    r = client.get("/adviser/mark", query_string=[*fields.items(), ("mark", f"{sid}:done")])
    assert r.status_code == 303 and r.headers["Location"].endswith(f"#step-{sid}")
    assert params(r.headers["Location"])["done"] == sid


def test_a_pasted_link_opens_or_says_why_not(client):
    r = client.get(
        "/adviser/open", query_string={"link": "https://x.example/route?parent_body=nhs"}
    )
    assert r.status_code == 303 and r.headers["Location"] == "/adviser?parent_body=nhs"
    r = client.get("/adviser/open", query_string={"link": "/route?parent_body=trust"})
    assert r.status_code == 200 and "A council, An NHS body" in text(r)
    assert "<strong>Which kind of public body runs the service today?</strong>" in text(r)


def test_the_print_view_needs_only_its_print_script(client):
    html = text(client.get("/adviser/print?parent_body=nhs&done=explore"))
    assert re.findall(r"<script [^>]*>", html) == [
        re.search(r'<script src="/assets/routemap_print\.js\?m=\d+" defer>', html).group(0)
    ]
    assert "Print this page with your browser" in html


def test_hostile_data_text_stays_text_on_server_pages(tmp_path):
    rm = RouteMap.load(write_hostile_data(tmp_path / "data"))
    c = create_app({"ROUTEMAP": rm}).test_client()
    for path in ("/", "/station/register-cic", "/text"):
        html = text(c.get(path))
        assert "<img src=x" not in html and "<script>window.pwned" not in html
        assert "&lt;img src=x" in html
    page = text(c.get("/station/register-cic"))
    assert escape(HOSTILE_NAME) in page and escape(HOSTILE_SUMMARY) in page


# ---- every address shared before keeps opening the same page ------------------------------------
OLD_LINKS = [
    ("/", 200, '<h1 class="rm-heading-l rm-map-title">'),
    ("/station/register-cic", 200, 'id="details-heading"'),
    ("/station/register-cic/", 200, 'id="details-heading"'),
    ("/line/cic", 200, 'id="details-heading"'),
    ("/line/cic/", 200, 'id="details-heading"'),
    ("/text", 200, "Step-by-step list of every route"),
    ("/text/", 200, "Step-by-step list of every route"),
    ("/about", 200, "About this map"),
    ("/search?q=case", 200, "station"),
    ("/search?q=CIC36", 303, ""),
    ("/route", 200, "Find your route to becoming a mutual"),
    ("/route" + NHS, 200, "Your route, step by step"),
    ("/route/questions/parent_body", 200, "Which kind of public body"),
    ("/route/questions/parent_body" + NHS, 200, "Which kind of public body"),
    ("/route/change/staff_count" + NHS, 200, "How many staff"),
    ("/route/check" + NHS, 200, "Check your answers"),
    ("/route/check" + NHS + "&from=adviser", 200, "Check the applicant's answers"),
    ("/adviser", 200, "Paste the applicant's link"),
    ("/adviser" + NHS + "&done=explore&skipped=dcms-toolkit&note_dcms-toolkit=Own", 200, "Own"),
    ("/adviser/print" + NHS + "&done=explore", 200, "Route and progress"),
    ("/adviser/open?link=/route" + NHS.replace("&", "%26"), 303, ""),
    ("/_panels/station/tupe", 200, "Staff transfer (TUPE)"),
    ("/_panels/line/cic", 200, "Employee-led community interest company"),
    ("/healthz", 200, "ready"),
    ("/api/v1/stations/tupe", 200, "Staff transfer"),
    ("/api/v1/export?format=csv&parent_body=nhs", 200, "step,station"),
    ("/assets/routemap.css", 200, "rm-"),
    ("/assets/fonts/RoutemapSans-Regular.ttf", 200, ""),
]


@pytest.mark.parametrize("path, status, words", OLD_LINKS)
def test_links_from_before_the_move_open_the_same_pages(client, path, status, words):
    r = client.get(path)
    assert r.status_code == status, path
    if words:
        assert str(escape(words)).encode() in r.data or words.encode() in r.data, path


def test_an_old_route_link_gives_the_same_route_on_the_page_and_in_the_api(client, real_map):
    profile = parse_answers(real_map, NHS_ANSWERS)
    html = entry(text(client.get("/route" + profile_query(real_map, profile))))
    api = client.post("/api/v1/route", json={"answers": NHS_ANSWERS}).get_json()
    listed = re.findall(r'<li id="step-([a-z0-9-]+)"', html)
    assert listed == [s["station"] for s in api["steps"]]
