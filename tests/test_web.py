"""The web app without a browser: create_app, pages and statuses, security headers, start-up
on bad data, debug switches, the map page and its panels, and the conversion of our geometry
into the explorer's Cytoscape elements."""

from __future__ import annotations

import base64
import hashlib
import json
import math
import os
import re
import subprocess
import sys
from html import unescape
from pathlib import Path

import pytest
from markupsafe import escape

from routemap import DataError
from routemap.web import create_app
from routemap.web.explorer.cyto import _pill_points, elements, stylesheet
from routemap.web.explorer.dashfix import RoutemapDash, dev_tools_flags
from routemap.web.views.mapviews import selection_title

from .conftest import MINI, ROOT

SECURITY_HEADERS = ("Content-Security-Policy", "X-Content-Type-Options", "Referrer-Policy")


@pytest.fixture(scope="module")
def app():
    return create_app({"DATA_DIR": MINI})


@pytest.fixture(scope="module")
def client(app):
    return app.test_client()


@pytest.fixture(scope="module")
def real_client(real_map):
    return create_app({"ROUTEMAP": real_map}).test_client()


# ---- create_app and start-up ---------------------------------------------------------------
def test_create_app_accepts_a_ready_routemap(mini_map):
    app = create_app({"ROUTEMAP": mini_map})
    assert app.config["ROUTEMAP"] is mini_map
    assert app.test_client().get("/healthz").json["status"] == "ready"


def test_healthz_reports_ready_with_the_map(client, mini_map):
    r = client.get("/healthz")
    assert r.status_code == 200
    assert r.json == {"status": "ready", "map": mini_map.summary_line()}


def test_invalid_data_refuses_to_start_with_every_problem(data_copy):
    data = data_copy()
    (data / "lines.yaml").write_text(
        (data / "lines.yaml")
        .read_text()
        .replace("stations: [start, explore", "stations: [start, nowhere"),
        encoding="utf-8",
    )
    (data / "stations.yaml").write_text(
        (data / "stations.yaml").read_text().replace("id: go-live", "id: Go_Live"), encoding="utf-8"
    )
    with pytest.raises(DataError) as info:
        create_app({"DATA_DIR": data})
    text = str(info.value)
    assert "unknown station 'nowhere'" in text
    assert "'Go_Live' is not kebab-case" in text


def test_the_wsgi_module_exits_with_the_problems_on_invalid_data(data_copy):
    data = data_copy()
    (data / "stations.yaml").write_text(
        (data / "stations.yaml").read_text().replace("id: go-live", "id: Go_Live"), encoding="utf-8"
    )
    env = {**os.environ, "ROUTEMAP_DATA": str(data)}
    result = subprocess.run(
        [sys.executable, "-c", "import app"], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode == 1
    assert "'Go_Live' is not kebab-case" in result.stderr
    assert "cannot start on invalid data" in result.stderr
    assert "Traceback" not in result.stderr


def test_the_wsgi_module_exposes_app_and_server():
    env = {**os.environ, "ROUTEMAP_DATA": str(MINI)}
    code = "import app; print(type(app.app).__name__, type(app.server).__name__)"
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["Flask", "Flask"]


# ---- debug is only ever explicit -------------------------------------------------------------
def test_dev_tools_are_off_and_ignore_the_environment(monkeypatch, app):
    for var in ("DASH_DEBUG", "DASH_UI", "DASH_HOT_RELOAD", "DASH_PROPS_CHECK", "FLASK_DEBUG"):
        monkeypatch.setenv(var, "true")
    seen = {}

    def fake_run(self, *args, **kwargs):
        seen.update(kwargs)

    monkeypatch.setattr("dash.Dash.run", fake_run)
    explorer = app.extensions["routemap.explorer"].dash
    explorer.run(port=1)
    assert seen["debug"] is False
    assert seen["dev_tools_ui"] is False
    assert seen["dev_tools_hot_reload"] is False
    assert seen["dev_tools_props_check"] is False
    seen.clear()
    explorer.run(port=1, debug=True)
    assert seen["debug"] is True and seen["dev_tools_ui"] is True


def test_dev_tools_flags_follow_debug_alone():
    off, on = dev_tools_flags(False), dev_tools_flags(True)
    for key in (
        "dev_tools_ui",
        "dev_tools_props_check",
        "dev_tools_hot_reload",
        "dev_tools_serve_dev_bundles",
    ):
        assert off[key] is False and on[key] is True


def test_a_fresh_app_has_no_dev_tools(monkeypatch):
    monkeypatch.setenv("DASH_DEBUG", "true")
    monkeypatch.setenv("DASH_UI", "true")
    app = create_app({"DATA_DIR": MINI})
    explorer = app.extensions["routemap.explorer"].dash
    assert isinstance(explorer, RoutemapDash)
    assert explorer.dev_tools_on() == {"ui": False, "hot_reload": False}
    config = json.loads(
        re.search(
            r'<script id="_dash-config" type="application/json">(.*?)</script>',
            app.test_client().get("/").get_data(as_text=True),
        ).group(1)
    )
    assert config["ui"] is False


def test_routemap_serve_uses_gunicorn_and_the_dev_server_only_with_debug(monkeypatch):
    from click.testing import CliRunner

    from routemap.cli import cli

    calls = []
    monkeypatch.setenv("DASH_DEBUG", "true")
    monkeypatch.setattr("dash.Dash.run", lambda self, *a, **kw: calls.append(("dev", kw)))
    monkeypatch.setattr(
        "routemap.server.serve_production",
        lambda app, bind, workers: calls.append(("gunicorn", bind, workers)),
    )
    runner = CliRunner()
    assert runner.invoke(cli, ["serve", "--data", str(MINI), "--port", "9"]).exit_code == 0
    assert runner.invoke(cli, ["serve", "--data", str(MINI), "--host", "::1"]).exit_code == 0
    assert runner.invoke(cli, ["serve", "--data", str(MINI), "--debug"]).exit_code == 0
    assert calls[0] == ("gunicorn", "127.0.0.1:9", None)
    assert calls[1] == ("gunicorn", "[::1]:8050", None)
    assert calls[2][0] == "dev" and calls[2][1]["debug"] is True


# ---- pages and statuses ------------------------------------------------------------------------
@pytest.mark.parametrize(
    "path,status",
    [
        ("/", 200),
        ("/station/register-cic", 200),
        ("/station/register-cic/", 200),
        ("/line/society", 200),
        ("/text", 200),
        ("/about", 200),
        ("/station/no-such-station", 404),
        ("/line/no-such-line", 404),
        ("/nowhere", 404),
        ("/station/", 404),
    ],
)
def test_pages_answer_with_the_right_status(client, path, status):
    r = client.get(path)
    assert r.status_code == status
    assert r.mimetype == "text/html"
    assert '<html lang="en">' in r.get_data(as_text=True)


@pytest.mark.parametrize("path", ["/_explorer/", "/_explorer/station/cic", "/_dash-layout"])
def test_dashs_own_pages_are_not_pages_of_ours(client, path):
    assert client.get(path).status_code == 404


def test_the_page_preloads_the_shipped_font_and_serves_it(client):
    html = client.get("/").get_data(as_text=True)
    assert "/assets/fonts/RoutemapSans-Regular.ttf" in html
    r = client.get("/assets/fonts/RoutemapSans-Regular.ttf")
    assert r.status_code == 200 and len(r.data) > 10_000
    css = client.get("/assets/routemap.css").get_data(as_text=True)
    assert "font-family: 'Routemap Sans'" in css and "fonts/RoutemapSans-Bold.ttf" in css


@pytest.mark.parametrize("path", ["/", "/text", "/_explorer/_dash-layout", "/assets/routemap.js"])
def test_responses_are_compressed(client, path):
    r = client.get(path, headers={"Accept-Encoding": "gzip, deflate, br"})
    assert r.headers.get("Content-Encoding") in ("gzip", "br")


def test_the_maps_font_is_compressed(client):
    plain = client.get("/assets/fonts/RoutemapSans-Regular.ttf")
    packed = client.get(
        "/assets/fonts/RoutemapSans-Regular.ttf", headers={"Accept-Encoding": "gzip, br"}
    )
    assert packed.headers.get("Content-Encoding") == "br"
    assert len(packed.data) < 0.8 * len(plain.data)


# ---- security headers --------------------------------------------------------------------------
@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/station/register-cic",
        "/nowhere",
        "/healthz",
        "/assets/routemap.js",
        "/_explorer/_dash-layout",
        "/_explorer/_dash-dependencies",
        "/route",
        "/api/v1/stations",
        "/api/v1/nothing",
        "/api/openapi.json",
    ],
)
def test_security_headers_on_every_response(client, path):
    r = client.get(path)
    for header in SECURITY_HEADERS:
        assert r.headers.get(header), (path, header)
    assert r.headers["X-Content-Type-Options"] == "nosniff"
    assert "frame-ancestors 'none'" in r.headers["Content-Security-Policy"]


def test_security_headers_on_callbacks(client):
    r = client.post("/_explorer/_dash-update-component", json={})
    for header in SECURITY_HEADERS:
        assert r.headers.get(header)


def test_csp_allows_exactly_our_scripts(client):
    r = client.get("/")
    csp = r.headers["Content-Security-Policy"]
    script_src = next(d for d in csp.split("; ") if d.startswith("script-src"))
    assert "'unsafe-inline'" not in script_src and "'unsafe-eval'" not in script_src
    assert "style-src 'self' 'unsafe-inline'" in csp
    html = r.get_data(as_text=True)
    inline = re.findall(
        r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>(.*?)</script>", html, re.S
    )
    assert inline, "Dash renders its inline bootstrap script"
    for body in inline:
        digest = base64.b64encode(hashlib.sha256(body.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in script_src
    # every other page has no script of its own but ours, by address
    for path in ("/text", "/route", "/about"):
        html = client.get(path).get_data(as_text=True)
        assert not re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", html), path


def test_no_dangerously_allow_html_and_no_unescaped_template_text():
    web = ROOT / "routemap" / "web"
    for path in web.rglob("*.py"):
        assert "dangerously_allow_html" not in path.read_text(), path
    for path in (web / "templates").glob("*.html"):
        assert "|safe" not in path.read_text().replace(" ", ""), path  # data text stays text


# ---- the map page ----------------------------------------------------------------------------
def test_page_titles_follow_the_selection(mini_map, app):
    with app.app_context():
        assert selection_title(mini_map, "station", "go-live") == "Go-live: map"
        assert selection_title(mini_map, "line", "society") == "Registered society line: map"
        assert selection_title(mini_map, "station", "nope") == "Station not found"
        assert selection_title(mini_map, None, None) == "Map"


def test_the_map_page_carries_the_intro_the_title_and_the_start(client):
    html = client.get("/station/go-live").get_data(as_text=True)
    assert "<title>Go-live: map &ndash; " in html
    assert 'id="details-body"' in html and "How to read this map" in html  # the intro's copy
    assert '<a href="/route" class="rm-button rm-button--start" id="find-your-route">' in html


def test_the_legend_names_every_line_and_says_historical(real_client, real_map):
    html = real_client.get("/").get_data(as_text=True)
    legend = html.split('id="legend"', 1)[1].split("</ul>", 1)[0]
    links = re.findall(r'<a href="/line/([^"]+)" class="([^"]+)"[^>]*>([^<]+)</a>', legend)
    assert [lid for lid, _c, _n in links] == list(real_map.lines)
    for (_lid, classes, name), ln in zip(links, real_map.lines.values(), strict=True):
        assert unescape(name).startswith(ln.name)
        historical = ln.status != "open"
        assert name.endswith("(historical)") == historical
        assert ("rm-legend__link--historical" in classes.split()) == historical


# ---- the map as Cytoscape elements ---------------------------------------------------------------
def _replay_segments(src, tgt, weights, distances):
    """Cytoscape's own arithmetic (edge-distances: node-position) for segment points."""
    dx, dy = tgt[0] - src[0], tgt[1] - src[1]
    length = math.hypot(dx, dy)
    nx, ny = -dy / length, dx / length
    return [
        (src[0] + dx * w + nx * d, src[1] + dy * w + ny * d)
        for w, d in zip(weights, distances, strict=True)
    ]


@pytest.mark.parametrize("which", ["mini", "real"])
def test_every_stroke_becomes_an_edge_that_replays_its_points(which, mini_map, real_map):
    rm = mini_map if which == "mini" else real_map
    els = elements(rm)
    nodes = {e["data"]["id"]: e for e in els if "station" in e.get("classes", "").split()}
    edges = {e["data"]["id"]: e for e in els if e["group"] == "edges"}
    assert set(nodes) == set(rm.stations)
    assert len(edges) == sum(len(ln.strokes) for ln in rm.geometry.lines)
    for ln in rm.geometry.lines:
        for stroke in ln.strokes:
            e = edges[f"e-{ln.id}--{stroke.start}--{stroke.end}"]["data"]
            src = nodes[stroke.start]["position"]
            tgt = nodes[stroke.end]["position"]
            src, tgt = (src["x"], src["y"]), (tgt["x"], tgt["y"])
            sx, sy = (float(v[:-2]) for v in e["se"].split())
            tx, ty = (float(v[:-2]) for v in e["te"].split())
            points = [(src[0] + sx, src[1] + sy)]
            if "sw" in e:
                points += _replay_segments(src, tgt, e["sw"], e["sd"])
            points.append((tgt[0] + tx, tgt[1] + ty))
            assert len(points) == len(stroke.points)
            for (ax, ay), (bx, by) in zip(points, stroke.points, strict=True):
                assert abs(ax - bx) < 0.02 and abs(ay - by) < 0.02


def test_nodes_are_sized_and_classed_like_their_markers(real_map):
    els = {e["data"]["id"]: e for e in elements(real_map) if e["group"] == "nodes"}
    for st in real_map.geometry.stations:
        node = els[st.id]
        assert node["position"] == {"x": round(st.x, 2), "y": round(st.y, 2)}
        assert node["data"]["w"] == round(st.marker.width, 2)
        assert node["data"]["h"] == round(st.marker.height, 2)
        classes = node["classes"].split()
        assert ("interchange" in classes) == st.interchange
        assert ("historical" in classes) == st.historical
        assert {f"on-{lid}" for lid in st.lines} <= set(classes)
        assert node["data"]["label"].split("\n") == list(st.label.lines)


def test_historical_lines_are_dashed(real_map):
    sheet = {rule["selector"]: rule["style"] for rule in stylesheet(real_map)}
    assert sheet["edge.historical"]["line-style"] == "dashed"
    historical = [ln.id for ln in real_map.geometry.lines if ln.historical]
    for e in elements(real_map):
        if e["group"] == "edges" and e["data"]["line"] in historical:
            assert "historical" in e["classes"].split()


def test_pill_markers_stay_inside_their_box():
    pts = _pill_points(14, 35)
    xs, ys = pts[0::2], pts[1::2]
    assert min(xs) == -1 and max(xs) == 1
    assert -1 <= min(ys) < -0.99 and 0.99 < max(ys) <= 1
    assert len(xs) == 20
    # no corner straight above or below the centre (Cytoscape's hit test would miss it)
    assert all(abs(x) > 0.1 for x in xs)


def test_the_stylesheet_uses_the_shipped_font(mini_map):
    node = next(r for r in stylesheet(mini_map) if r["selector"] == "node")["style"]
    assert node["font-family"].startswith('"Routemap Sans"')


def test_the_explorers_elements_come_with_its_layout_not_with_the_page(real_client):
    page = real_client.get("/").get_data(as_text=True)
    layout = real_client.get("/_explorer/_dash-layout").get_json()
    assert '"elements"' not in page and "register-cic" in json.dumps(layout)


def test_assets_exist():
    for name in ("routemap.css", "routemap.js", "fonts/RoutemapSans-Regular.ttf"):
        assert (Path(ROOT) / "assets" / name).is_file()


def test_unsafe_eval_only_for_debug_bundles():
    from routemap.web.security import page_csp

    assert "'unsafe-eval'" not in page_csp(["'sha256-x'"])
    assert "'unsafe-eval'" in page_csp(["'sha256-x'"], debug=True)


@pytest.mark.parametrize("ci,expected", [("true", 1), ("", 0)])
def test_a_missing_browser_skips_loudly_but_fails_under_ci(ci, expected):
    env = {**os.environ, "ROUTEMAP_CHROMIUM": "/nonexistent/chromium", "CI": ci}
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "tests/test_browser.py::test_map_page_loads_without_console_errors",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == expected, result.stdout[-2000:]
    assert "BROWSER TESTS NOT RUN" in result.stdout
    assert (
        ("1 failed" in result.stdout or "1 error" in result.stdout)
        if ci
        else "1 skipped" in result.stdout
    )


def test_the_browser_code_never_parses_data_as_html():
    source = (ROOT / "assets" / "routemap.js").read_text()
    for risky in (
        "innerHTML",
        "outerHTML",
        "insertAdjacentHTML",
        "document.write",
        "eval(",
        "new Function",
    ):
        assert risky not in source, risky


# ---- when the facts were checked, and how to correct them ---------------------------------------
@pytest.mark.parametrize("path", ["/", "/text", "/about", "/route", "/adviser", "/nowhere"])
def test_every_page_says_when_the_facts_were_last_checked(client, path):
    html = client.get(path).get_data(as_text=True)
    assert "Facts last checked November 2025." in html  # the shell's footer
    assert "JSON API" not in html and "Open data for developers" in html


def test_about_says_how_a_correction_reaches_the_map(mini_map, client):
    text = client.get("/about").get_data(as_text=True)
    assert "How a correction reaches the map" in text
    assert "last checked in November 2025" in text
    for step in mini_map.info.corrections.steps:
        assert str(escape(step)) in text


def test_the_api_gives_the_month_and_the_corrections(client):
    info = client.get("/api/v1/map").json["info"]
    assert info["facts_as_of"] == "2025-11" and info["facts_checked"] == "November 2025"
    assert info["corrections"] == {"tell": "Not applicable.", "steps": ["Not applicable."]}


def test_every_panel_is_served_once_as_html_templates_for_the_browser(real_client, real_map):
    """The enhanced map places the server's panels (one wording): every station and line."""
    r = real_client.get("/_panels")
    assert r.status_code == 200 and r.mimetype == "text/html"
    assert r.headers["X-Robots-Tag"] == "noindex"
    keys = re.findall(r'<template data-panel="([^"]+)">', r.text)
    want = [f"station:{s}" for s in real_map.stations] + [f"line:{ln}" for ln in real_map.lines]
    assert keys == want
    first = r.text.split("</template>")[0]
    st = next(iter(real_map.stations.values()))
    assert f">{escape(st.name)}</h2>" in first and f'data-title="{escape(st.name)}: map"' in first


def test_one_panel_is_the_panel_the_page_shows_without_javascript(real_client, real_map):
    sid = next(s for s, st in real_map.stations.items() if st.documents)
    one = real_client.get(f"/_panels/station/{sid}").text
    page = real_client.get(f"/station/{sid}").text
    inner = one.split(">", 1)[1].rsplit("</template>", 1)[0]
    assert inner and inner in page  # the same HTML, word for word


@pytest.mark.parametrize(
    "path, heading",
    [
        ("/_panels/station/no-such-station", "There is no station called “no-such-station”"),
        ("/_panels/line/Bad%20Id", "There is no line called “Bad Id”"),
    ],
)
def test_an_unknown_panel_is_a_404_that_says_so(real_client, path, heading):
    r = real_client.get(path)
    assert r.status_code == 404 and heading in unescape(r.text) and "Show the whole map" in r.text


def test_a_panel_of_another_kind_is_not_found(real_client):
    assert real_client.get("/_panels/question/staff_count").status_code == 404


def test_the_workers_collector_leaves_the_map_built_before_the_fork_alone():
    import gc

    from gunicorn.config import Config

    from routemap.server import GC_THRESHOLD, settings

    cfg = Config()
    for key, value in settings().items():
        cfg.set(key, value)  # gunicorn checks each hook's signature
    before = gc.get_threshold()
    try:
        cfg.pre_fork(None, None)
        assert gc.get_freeze_count() > 0
        cfg.post_fork(None, None)
        assert gc.get_threshold() == GC_THRESHOLD
    finally:
        gc.unfreeze()
        gc.set_threshold(*before)
