# ruff: noqa: F811 - pytest fixtures are imported from browser_support and used as arguments
"""The app in a real browser (Playwright driving Debian chromium): the map, selection, search,
legend isolation, deep links and the back button, the text view by keyboard, and axe-core.

Run only these with ``pytest -m browser``. See ``browser_support.py`` for the fixtures.
"""

from __future__ import annotations

import pytest

from routemap.layout import LayoutParams

from .browser_support import (  # noqa: F401 - fixtures
    CY,
    HOSTILE_NAME,
    HOSTILE_SUMMARY,
    browser,
    every_page,
    hostile_server,
    model_point,
    new_page,
    node_point,
    open_map,
    page,
    phone_page,
    real_server,
    show_station,
    straight_server,
    wait_for_zoom,
)
from .conftest import NHS_ANSWERS

try:
    from playwright.sync_api import expect
except ImportError:  # the browser fixture skips, or fails when CI=true
    expect = None

pytestmark = pytest.mark.browser


def pick_station(rm, *, interchange: bool | None = None) -> str:
    """A station of the map, chosen by shape rather than by id (the data changes)."""
    for sid in rm.order:
        if interchange is None or (sid in rm.interchanges) == interchange:
            return sid
    return rm.order[0]


def edge_opacities(page) -> dict[str, float]:
    return page.evaluate(
        f"""() => {{
            const out = {{}};
            {CY}.edges().forEach(e => {{
                const line = e.data('line');
                out[line] = Math.max(out[line] || 0, parseFloat(e.style('opacity')));
            }});
            return out;
        }}"""
    )


# ---- the map --------------------------------------------------------------------------------
def test_map_page_loads_without_console_errors(page, real_server):
    open_map(page, real_server.url + "/")
    expect(page.locator("h1")).to_have_text(real_server.rm.info.title)
    expect(page.locator("#details-heading")).to_have_text("How to read this map")
    # the page fixture fails the test on any console error or warning (but the one)


def test_every_station_and_stroke_of_the_real_map_is_in_the_graph(page, real_server):
    rm = real_server.rm
    open_map(page, real_server.url + "/")
    nodes = page.evaluate(f"() => {CY}.nodes('.station').map(n => n.id())")
    assert sorted(nodes) == sorted(rm.stations)
    edges = page.evaluate(
        f"() => {CY}.edges().map(e => [e.data('line'), e.source().id(), e.target().id()])"
    )
    expected = [[ln.id, s.start, s.end] for ln in rm.geometry.lines for s in ln.strokes]
    assert sorted(map(tuple, edges)) == sorted(map(tuple, expected))
    assert {e[0] for e in edges} == set(rm.lines)


def test_positions_and_strokes_follow_the_geometry(page, real_server):
    """Cytoscape draws exactly our geometry: node centres, stroke ends and every bend."""
    rm = real_server.rm
    open_map(page, real_server.url + "/")
    drawn = page.evaluate(
        f"""() => {{
            const cy = {CY};
            const nodes = {{}};
            cy.nodes().forEach(n => {{ nodes[n.id()] = [n.position('x'), n.position('y')]; }});
            const edges = {{}};
            cy.edges().forEach(e => {{
                const bends = e.segmentPoints() || [];
                const pts = [e.sourceEndpoint()].concat(bends, [e.targetEndpoint()]);
                edges[e.id()] = pts.map(p => [p.x, p.y]);
            }});
            return {{nodes, edges}};
        }}"""
    )
    for st in rm.geometry.stations:
        x, y = drawn["nodes"][st.id]
        assert abs(x - st.x) < 0.02 and abs(y - st.y) < 0.02, st.id
    for ln in rm.geometry.lines:
        for stroke in ln.strokes:
            pts = drawn["edges"][f"e-{ln.id}--{stroke.start}--{stroke.end}"]
            assert len(pts) == len(stroke.points), (ln.id, stroke.start)
            for (ax, ay), (bx, by) in zip(pts, stroke.points, strict=True):
                assert abs(ax - bx) < 0.05 and abs(ay - by) < 0.05, (ln.id, stroke.start, pts)


def test_labels_sit_in_their_geometry_boxes(page, real_server):
    """Labels are measured with the shipped font and placed where the layout put them."""
    rm = real_server.rm
    open_map(page, real_server.url + "/")
    page.wait_for_timeout(300)  # the web font has loaded and labels were measured again
    boxes = page.evaluate(
        f"""() => {{
            const out = {{}};
            {CY}.nodes().forEach(n => {{
                const bb = n.boundingBox({{includeNodes: false, includeEdges: false,
                                          includeLabels: true, includeOverlays: false}});
                out[n.id()] = [bb.x1, bb.y1, bb.x2, bb.y2];
            }});
            return out;
        }}"""
    )
    # Cytoscape pads a label's bounding box by a margin of error (2)
    pad = 2
    for st in rm.geometry.stations:
        box, size = st.label.box, st.label.font_size
        x1, y1, x2, y2 = boxes[st.id]
        x1, y1, x2, y2 = x1 + pad, y1 + pad, x2 - pad, y2 - pad
        where = (st.id, st.label.anchor, (x1, y1, x2, y2), box)
        assert abs((x2 - x1) - box.width) < 1.5, where  # the same font, measured the same
        if st.label.anchor == "start":
            assert abs(x1 - box.x) < 0.5, where
        elif st.label.anchor == "end":
            assert abs(x2 - box.right) < 0.5, where
        else:
            assert abs((x1 + x2) / 2 - (box.x + box.width / 2)) < 0.5, where
        # Cytoscape's text block is (lines - 1) line heights + one font size tall; ours is whole
        # line heights: the centres agree to within a tenth of the font size
        assert abs((y1 + y2) / 2 - (box.y + box.height / 2)) < 0.15 * size, where


def test_a_long_straight_line_renders_at_every_zoom(page, straight_server):
    """Guard against dash-cytoscape#228 (cytoscape.js#3258, fixed in 3.30.3; dash-cytoscape
    1.0.2 bundles 3.28.1): a long straight row of stations must not vanish at any zoom."""
    open_map(page, straight_server.url + "/")
    # Stretch the row so its texture layer would be wider than any canvas may be.
    width = page.evaluate(
        f"""() => {{
            const cy = {CY};
            cy.nodes().positions(n => ({{x: n.position('x') * 6, y: n.position('y')}}));
            return cy.elements().boundingBox().w;
        }}"""
    )
    assert width > 100_000
    painted = page.evaluate(
        f"""async (zooms) => {{
            const cy = {CY};
            const middle = cy.nodes()[Math.floor(cy.nodes().length / 2)];
            const out = [];
            for (const zoom of zooms) {{
                cy.zoom(zoom);
                cy.center(middle);
                await new Promise(r => setTimeout(r, 700));
                // copy the map's canvases onto one, and count the pixels drawn
                const canvases = Array.from(document.querySelectorAll('#cy canvas'));
                const probe = document.createElement('canvas');
                probe.width = canvases[0].width;
                probe.height = canvases[0].height;
                const ctx = probe.getContext('2d', {{willReadFrequently: true}});
                canvases.forEach(c => ctx.drawImage(c, 0, 0));
                const data = ctx.getImageData(0, 0, probe.width, probe.height).data;
                let n = 0;
                for (let i = 3; i < data.length; i += 4) if (data[i] > 0) n++;
                out.push([zoom, n]);
            }}
            return out;
        }}""",
        [0.1, 0.3, 0.6, 1.0, 1.5, 3.0, 1.0, 0.5],
    )
    blank = [zoom for zoom, n in painted if n < 500]
    assert not blank, f"the map vanished at zoom {blank}: {painted}"


# ---- selection, deep links, back button, search -----------------------------------------------
def test_clicking_a_station_shows_its_details(page, real_server):
    rm = real_server.rm
    sid = pick_station(rm, interchange=True)
    open_map(page, real_server.url + "/")
    show_station(page, sid)
    page.mouse.click(*node_point(page, sid))
    expect(page.locator("#details-heading")).to_have_text(rm.stations[sid].name)
    expect(page).to_have_url(real_server.url + f"/station/{sid}")
    details = page.locator("#details")
    expect(details).to_contain_text(rm.stations[sid].summary[:40])
    for lid in rm.lines_at[sid]:
        expect(details.locator(f'a[href="/line/{lid}"]')).to_be_visible()
    for key in rm.stations[sid].sources:
        expect(details.locator(f'a[href="{rm.sources[key].url}"]').first).to_be_attached()
    assert page.title().startswith(rm.stations[sid].name)


def test_a_document_no_longer_in_use_says_so_in_the_details(page, real_server):
    st = real_server.rm.stations["readiness-diagnostic"]
    old = next(d for d in st.documents if d.historical)
    new = next(d for d in st.documents if not d.historical)
    open_map(page, real_server.url + f"/station/{st.id}")
    items = page.locator("#details li")
    expect(items.filter(has_text=old.name)).to_contain_text("(no longer in use)")
    expect(items.filter(has_text=new.name)).not_to_contain_text("no longer in use")


def test_the_zoom_and_fit_buttons_move_the_view(page, real_server):
    page.emulate_media(reduced_motion="reduce")  # no animation
    open_map(page, real_server.url + "/")
    whole = f"""() => {{ const cy = {CY}; const e = cy.extent();
        const b = cy.elements().boundingBox();
        return e.x1 <= b.x1 && e.x2 >= b.x2 && e.y1 <= b.y1 && e.y2 >= b.y2; }}"""
    zoom = page.evaluate(f"() => {CY}.zoom()")
    for button, factor in (("Zoom in", 1.4), ("Zoom out", 1 / 1.4), ("Zoom out", 1 / 1.4)):
        page.get_by_role("button", name=button).click()
        zoom *= factor  # each press, once the view has moved (it may take a frame)
        wait_for_zoom(page, CY, zoom)
    assert not page.evaluate(whole)
    page.get_by_role("button", name="Fit to screen").click()
    # the whole map where its labels stay readable there; else readable and centred on it
    readable_or_whole = f"""() => {{ const cy = {CY};
        const b = cy.elements().boundingBox(); const e = cy.extent();
        const centred = Math.abs((e.x1 + e.x2) / 2 - (b.x1 + b.x2) / 2) < 2
            && Math.abs((e.y1 + e.y2) / 2 - (b.y1 + b.y2) / 2) < 2;
        const readable = cy.zoom() * {SMALLEST_LABEL} >= 9 - 1e-6;
        return readable && (({whole})() || centred); }}"""
    page.wait_for_function(readable_or_whole, timeout=5000)


# the smallest station label, in map units (the layout's font size)
SMALLEST_LABEL = LayoutParams().font_size


def _view(page) -> dict:
    return page.evaluate(
        f"""() => {{ const cy = {CY}; const e = cy.extent();
            return {{zoom: cy.zoom(), cx: (e.x1 + e.x2) / 2, cy: (e.y1 + e.y2) / 2,
                     x1: e.x1, y1: e.y1, x2: e.x2, y2: e.y2}}; }}"""
    )


def test_isolating_a_line_opens_at_a_readable_zoom_centred_on_it(page, real_server):
    """A line wider than the screen opens with labels of 9 px or more, centred on the line,
    not squeezed into a strip no one can read."""
    rm = real_server.rm
    page.emulate_media(reduced_motion="reduce")
    widest = max(
        rm.geometry.lines,
        key=lambda ln: (
            max(p[0] for s in ln.strokes for p in s.points)
            - min(p[0] for s in ln.strokes for p in s.points)
        ),
    )
    open_map(page, real_server.url + f"/line/{widest.id}")
    expect(page.locator("#details-heading")).to_have_text(widest.name)
    box = page.evaluate(
        f"""(id) => {{ const cy = {CY}; const edges = cy.edges('.line-' + id);
            const b = edges.union(edges.connectedNodes()).boundingBox();
            return [b.x1, b.y1, b.x2, b.y2]; }}""",
        widest.id,
    )
    page.wait_for_function(f"() => !{CY}.animated()", timeout=5000)
    view = _view(page)
    assert view["zoom"] * SMALLEST_LABEL >= 9 - 1e-6, view
    assert abs(view["cx"] - (box[0] + box[2]) / 2) < 2, (view, box)
    assert abs(view["cy"] - (box[1] + box[3]) / 2) < 2, (view, box)


def test_lines_are_named_on_the_map_in_the_first_view(page, real_server):
    """Some line's name is drawn on the canvas, in view and readable, when the map opens;
    the names are in the geometry (beside their own strokes) and in the graph."""
    rm = real_server.rm
    open_map(page, real_server.url + "/")
    names = page.evaluate(
        f"""() => {{ const cy = {CY}; const e = cy.extent();
            return cy.nodes('.line-name').map(n => {{
                const b = n.boundingBox({{includeLabels: true}});
                return {{line: n.data('line'), text: n.data('name'),
                         inView: b.x1 >= e.x1 && b.x2 <= e.x2 && b.y1 >= e.y1 && b.y2 <= e.y2,
                         px: cy.zoom() * parseFloat(n.style('font-size'))}};
            }}); }}"""
    )
    expected = {(ln.id, lb.text) for ln in rm.geometry.lines for lb in ln.names}
    assert {(n["line"], n["text"]) for n in names} == expected
    assert all(text == rm.lines[lid].name for lid, text in expected)
    in_view = [n for n in names if n["inView"]]
    assert in_view, names
    assert all(n["px"] >= 9 for n in in_view), in_view


def test_the_legend_starts_in_the_first_view_on_a_desktop(page, real_server):
    """At 1400 x 900 the list of lines begins above the fold, under the map: its heading
    and its first entry are wholly in the window when the map opens, without scrolling."""
    first = next(iter(real_server.rm.lines.values()))
    open_map(page, real_server.url + "/")
    page.evaluate("document.fonts.ready.then(() => true)")
    assert page.evaluate("window.scrollY") == 0
    expect(page.locator("#legend-heading")).to_be_in_viewport(ratio=1)
    entry = page.locator("#legend li").first
    expect(entry).to_contain_text(first.name)
    expect(entry).to_be_in_viewport(ratio=1)


def test_a_deep_link_opens_the_right_station_and_line(page, real_server):
    rm = real_server.rm
    sid = rm.order[len(rm.order) // 2]
    open_map(page, real_server.url + f"/station/{sid}")
    expect(page.locator("#details-heading")).to_have_text(rm.stations[sid].name)
    # the station is in view and highlighted
    inside = page.evaluate(
        f"""(id) => {{
            const cy = {CY}; const p = cy.getElementById(id).renderedPosition();
            return p.x > 0 && p.y > 0 && p.x < cy.width() && p.y < cy.height()
                && cy.getElementById(id).style('underlay-opacity') === '1';
        }}""",
        sid,
    )
    assert inside
    lid = list(rm.lines)[-1]
    open_map(page, real_server.url + f"/line/{lid}")
    expect(page.locator("#details-heading")).to_have_text(rm.lines[lid].name)
    expect(page.locator("#details ol.rm-stops > li")).to_have_count(len(rm.lines[lid].stations))


def test_the_back_button_returns_to_the_previous_selection(page, real_server):
    rm = real_server.rm
    first, second = rm.order[1], rm.order[-1]
    open_map(page, real_server.url + f"/station/{first}")
    expect(page.locator("#details-heading")).to_have_text(rm.stations[first].name)
    page.evaluate("() => { window.sameDocument = true; }")
    show_station(page, second)
    page.mouse.click(*node_point(page, second))
    expect(page.locator("#details-heading")).to_have_text(rm.stations[second].name)
    expect(page).to_have_url(real_server.url + f"/station/{second}")
    page.go_back()
    expect(page).to_have_url(real_server.url + f"/station/{first}")
    expect(page.locator("#details-heading")).to_have_text(rm.stations[first].name)
    page.go_forward()
    expect(page.locator("#details-heading")).to_have_text(rm.stations[second].name)
    assert page.evaluate("() => window.sameDocument === true"), "the page was reloaded"


def test_search_by_form_code_finds_the_station(page, real_server):
    rm = real_server.rm
    code = "CIC36" if "CIC36" in rm.forms else sorted(rm.forms)[0]
    sid = rm.search(code)[0]
    assert sid in rm.forms[code]
    open_map(page, real_server.url + "/")
    page.get_by_label("Find a station").fill(code.lower())
    page.get_by_label("Find a station").press("Enter")
    expect(page.locator("#details-heading")).to_have_text(rm.stations[sid].name)
    expect(page).to_have_url(real_server.url + f"/station/{sid}")
    expect(page.locator("#search-results")).to_contain_text(rm.stations[sid].name)


def test_search_with_no_match_says_so(page, real_server):
    open_map(page, real_server.url + "/")
    page.get_by_label("Find a station").fill("zzqx nothing like this")
    page.get_by_role("button", name="Find").click()
    expect(page.locator("#search-results")).to_contain_text("No station matches")
    expect(page).to_have_url(real_server.url + "/")


# ---- legend isolation and reset ----------------------------------------------------------------
def test_legend_isolates_a_line_and_escape_or_reset_restores(page, real_server):
    rm = real_server.rm
    lid = list(rm.lines)[0]
    line = rm.lines[lid]
    open_map(page, real_server.url + "/")
    page.locator("#legend").get_by_role("link", name=line.name).click()
    expect(page).to_have_url(real_server.url + f"/line/{lid}")
    expect(page.locator("#details-heading")).to_have_text(line.name)
    stops = page.locator("#details ol.rm-stops > li")
    expect(stops).to_have_count(len(line.stations))
    for i, sid in enumerate(line.stations):
        expect(stops.nth(i)).to_contain_text(rm.stations[sid].name)
    expect(page.locator(f'#legend a[href="/line/{lid}"]')).to_have_attribute("aria-current", "true")
    page.wait_for_timeout(100)
    opacities = edge_opacities(page)
    assert opacities[lid] >= 0.75
    assert all(v < 0.5 for k, v in opacities.items() if k != lid), opacities

    page.keyboard.press("Escape")
    expect(page).to_have_url(real_server.url + "/")
    expect(page.locator("#details-heading")).to_have_text("How to read this map")
    page.wait_for_timeout(100)
    assert all(v >= 0.75 for v in edge_opacities(page).values())

    page.locator("#legend").get_by_role("link", name=line.name).click()
    expect(page.locator("#details-heading")).to_have_text(line.name)
    page.get_by_role("link", name="Show the whole map").first.click()
    expect(page).to_have_url(real_server.url + "/")
    page.wait_for_timeout(100)
    assert all(v >= 0.75 for v in edge_opacities(page).values())


def test_clicking_a_line_on_the_map_isolates_it(page, real_server):
    rm = real_server.rm
    ln = rm.geometry.lines[0]
    stroke = max(ln.strokes, key=lambda s: abs(s.points[-1][0] - s.points[0][0]))
    open_map(page, real_server.url + "/")
    # the middle of the stroke's first piece, brought into view
    (x0, y0), (x1, y1) = stroke.points[0], stroke.points[1]
    mid = ((x0 + x1) / 2, (y0 + y1) / 2)
    page.evaluate(
        f"""([x, y]) => {{ const cy = {CY}; cy.stop(true); cy.zoom(1.5);
            cy.pan({{x: cy.width() / 2 - x * 1.5, y: cy.height() / 2 - y * 1.5}}); }}""",
        list(mid),
    )
    page.mouse.click(*model_point(page, *mid))
    expect(page).to_have_url(real_server.url + f"/line/{ln.id}")
    expect(page.locator("#details-heading")).to_contain_text(rm.lines[ln.id].name)


def test_the_readers_zoom_survives_a_resize_of_the_map(page, real_server):
    """dash-cytoscape's "responsive" put back the zoom of the previous resize whenever the map's
    box changed size (a scrollbar, fonts, the panel): a click then landed somewhere else."""
    open_map(page, real_server.url + "/")
    page.evaluate(
        f"() => {{ const cy = {CY}; cy.stop(true); cy.zoom(1.7); cy.pan({{x: -300, y: 40}}); }}"
    )
    for width in (1100, 1300, 1280):
        page.set_viewport_size({"width": width, "height": 800})
        page.wait_for_timeout(250)  # past Cytoscape's own 100 ms resize debounce
    view = page.evaluate(
        f"() => {{ const cy = {CY}; return [cy.zoom(), cy.pan().x, cy.pan().y]; }}"
    )
    assert view == [1.7, -300, 40]


# ---- text view, keyboard, phone -----------------------------------------------------------------
def test_text_view_is_usable_with_the_keyboard_alone(page, real_server):
    rm = real_server.rm
    page.goto(real_server.url + "/text")
    expect(page.locator("h1")).to_have_text("Step-by-step list of every route")
    wanted = [f"/station/{sid}" for ln in rm.lines.values() for sid in ln.stations]
    page.evaluate(
        """() => { window.focusedHrefs = [];
            document.addEventListener('focusin', e => window.focusedHrefs.push(
                e.target.getAttribute && e.target.getAttribute('href'))); }"""
    )
    budget = page.locator("a[href], button, input, [tabindex='0']").count() + 5

    def station_links_focused() -> list[str]:
        hrefs = page.evaluate("() => window.focusedHrefs")
        return [h for h in hrefs if h and h.startswith("/station/")]

    reached: list[str] = []
    for i in range(budget):
        page.keyboard.press("Tab")
        if i % 25 == 24:
            reached = station_links_focused()
            if len(reached) >= len(wanted):
                break
    reached = station_links_focused()[: len(wanted)]
    assert reached == wanted, "Tab order must reach every station link, line by line, in order"
    # and Enter on a focused station link opens its details (back up to the last one first)
    target = wanted[-1]
    for _ in range(100):
        if page.evaluate("() => document.activeElement.getAttribute('href')") == target:
            break
        page.keyboard.press("Shift+Tab")
    assert page.evaluate("() => document.activeElement.getAttribute('href')") == target
    page.keyboard.press("Enter")
    expect(page).to_have_url(real_server.url + target)
    sid = target.rsplit("/", 1)[1]
    expect(page.locator("#details-heading")).to_have_text(rm.stations[sid].name)


def test_text_view_lists_every_line_short_with_its_interchanges_marked(page, real_server):
    rm = real_server.rm
    page.goto(real_server.url + "/text")
    expect(page.locator("h1")).to_have_text("Step-by-step list of every route")
    listed = page.evaluate(
        """() => Array.from(document.querySelectorAll('section')).map(section => ({
            id: section.querySelector('h2').id,
            stops: Array.from(section.querySelectorAll('ol.rm-stops > li')).map(li => ({
                station: li.getAttribute('data-station'),
                href: li.querySelector('a').getAttribute('href'),
                text: li.innerText,
            })),
        }))"""
    )
    assert [s["id"] for s in listed] == [f"line-{lid}" for lid in rm.lines]
    for section, ln in zip(listed, rm.lines.values(), strict=True):
        assert [s["station"] for s in section["stops"]] == list(ln.stations)
        for stop in section["stops"]:
            sid = stop["station"]
            assert stop["href"] == f"/station/{sid}"
            assert rm.stations[sid].name in stop["text"]
            # an interchange says so in a word; where to change is on the station's own page
            interchange = len(rm.lines_at[sid]) > 1
            assert ("interchange" in stop["text"]) == interchange, stop
            assert "Change here" not in stop["text"]
    # short enough to use: it was 44,000 px tall with a "Change here for…" note at every stop
    assert page.evaluate("document.documentElement.scrollHeight") < 14_000


def test_skip_link_is_first_and_moves_to_main(page, real_server):
    page.goto(real_server.url + "/text")
    expect(page.locator("h1")).to_be_visible()
    page.keyboard.press("Tab")
    focused = page.locator(":focus")
    expect(focused).to_have_text("Skip to main content")
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "main-content"


def test_links_between_map_pages_stay_in_the_page_and_plain_pages_load(page, real_server):
    rm = real_server.rm
    lid = next(iter(rm.lines))
    open_map(page, real_server.url + "/")
    page.evaluate("() => { window.sameDocument = true; }")
    page.locator(f'#legend a[href="/line/{lid}"]').click()
    expect(page.locator("#details-heading")).to_have_text(rm.lines[lid].name)
    assert page.evaluate("() => window.sameDocument === true")  # the map was not reloaded
    # the step-by-step list is a plain server page: an ordinary link loads it, with no Dash
    page.get_by_role("navigation", name="Menu").get_by_role(
        "link", name="Step-by-step list"
    ).click()
    expect(page.locator("h1")).to_have_text("Step-by-step list of every route")
    expect(page.locator('a[aria-current="page"]')).to_have_text("Step-by-step list")
    assert page.title().startswith("Step-by-step list")
    assert page.evaluate("() => window.sameDocument === undefined")
    assert page.locator("script").count() == 0
    page.go_back()
    expect(page.locator("#map-canvas")).to_have_attribute("data-drawn", "true")


def test_tab_reaches_every_station_of_the_interactive_map(page, real_server):
    rm = real_server.rm
    open_map(page, real_server.url + "/")
    keys = page.locator("a.rm-map-key")
    assert keys.count() == len(rm.stations)
    first = keys.first
    first.focus()
    seen = []
    for _ in range(len(rm.stations)):
        sid = page.evaluate("() => document.activeElement.getAttribute('data-station')")
        if sid is None:
            break
        seen.append(sid)
        page.keyboard.press("Tab")
    assert sorted(seen) == sorted(rm.stations)  # each once, by Tab alone
    # the focused station is named (its lines too) and shown on the map
    sid = seen[len(seen) // 2]
    key = page.locator(f'a.rm-map-key[data-station="{sid}"]')
    key.focus()
    label = key.get_attribute("aria-label")
    assert rm.stations[sid].name in label
    assert all(rm.lines[lid].name in label for lid in rm.lines_at[sid])
    expect(key).to_be_visible()
    assert page.evaluate(f"(id) => {CY}.getElementById(id).hasClass('rm-kb-focus')", sid)
    page.keyboard.press("Enter")
    expect(page.locator("#details-heading")).to_have_text(rm.stations[sid].name)
    assert page.url == real_server.url + f"/station/{sid}"


def test_phone_text_view_fits_the_screen(phone_page, real_server):
    phone_page.goto(real_server.url + "/text")
    expect(phone_page.locator("h1")).to_be_visible()
    assert phone_page.evaluate("() => document.documentElement.scrollWidth") <= 390


def test_phone_map_page_works(phone_page, real_server):
    rm = real_server.rm
    sid = rm.order[2]
    open_map(phone_page, real_server.url + f"/station/{sid}")
    expect(phone_page.locator("#details-heading")).to_have_text(rm.stations[sid].name)
    expect(phone_page.locator("#details-heading")).to_be_in_viewport()
    assert phone_page.evaluate("() => document.documentElement.scrollWidth") <= 390


# ---- safety ----------------------------------------------------------------------------------
def test_station_text_with_html_in_it_shows_as_text(page, hostile_server):
    open_map(page, hostile_server.url + "/station/register-cic")
    expect(page.locator("#details-heading")).to_have_text(HOSTILE_NAME)
    expect(page.locator("#details")).to_contain_text(HOSTILE_SUMMARY)
    assert page.locator("#details img, #details b, #details i, #details script").count() == 0
    page.goto(hostile_server.url + "/text")
    expect(page.get_by_role("link", name=HOSTILE_NAME).first).to_be_visible()
    assert page.evaluate("() => window.pwned === undefined")


def test_station_text_with_html_in_it_is_canvas_text_on_the_map(page, hostile_server):
    open_map(page, hostile_server.url + "/")
    label = page.evaluate(f"() => {CY}.getElementById('register-cic').data('label')")
    assert label.replace("\n", " ") == HOSTILE_NAME
    assert page.evaluate("() => window.pwned === undefined")


# ---- accessibility ----------------------------------------------------------------------------
def axe_paths(rm) -> list[str]:
    sid = next(iter(rm.interchanges), rm.order[0])
    return ["/", f"/station/{sid}", f"/line/{next(iter(rm.lines))}", "/text", "/about", "/nope"]


@pytest.mark.parametrize("which", range(6), ids=["map", "station", "line", "text", "about", "404"])
def test_axe_finds_no_serious_or_critical_violations(page, real_server, which):
    from axe_playwright_python.sync_playwright import Axe

    path = axe_paths(real_server.rm)[which]
    page.goto(real_server.url + path)
    expect(page.locator("h1").first).to_be_visible()
    if which < 3:
        expect(page.locator("#map-canvas")).to_have_attribute("data-drawn", "true")
    if path == "/nope":  # the document itself is a 404: the console says so, rightly
        page.console_log.allow("the server responded with a status of 404")
    results = Axe().run(page)
    bad = [
        f"{v['id']} ({v['impact']}): {v['help']} — "
        + "; ".join(n["target"][0] if n["target"] else "?" for n in v["nodes"][:5])
        for v in results.response["violations"]
        # and no landmark twice (a second banner, main or footer), whatever its impact
        if v["impact"] in ("serious", "critical") or v["id"].startswith("landmark")
    ]
    assert not bad, f"{path}:\n" + "\n".join(bad)


def test_an_unknown_station_says_so_and_the_map_still_works(page, real_server):
    page.console_log.allow("the server responded with a status of 404")  # the document
    open_map(page, real_server.url + "/station/no-such-station")
    expect(page.locator("#details-heading")).to_have_text(
        "There is no station called “no-such-station”"
    )
    assert page.title().startswith("Station not found")
    page.get_by_role("link", name="Show the whole map").click()
    expect(page.locator("#details-heading")).to_have_text("How to read this map")


def test_search_lists_other_matches_as_links(page, real_server):
    rm = real_server.rm
    word = "register"
    found = rm.search(word, limit=6)
    open_map(page, real_server.url + "/")
    page.get_by_label("Find a station").fill(word)
    page.get_by_label("Find a station").press("Enter")
    expect(page.locator("#details-heading")).to_have_text(rm.stations[found[0]].name)
    results = page.locator("#search-results")
    for sid in found[1:]:
        expect(results.locator(f'a[href="/station/{sid}"]')).to_have_text(rm.stations[sid].name)
    results.locator(f'a[href="/station/{found[1]}"]').click()
    expect(page.locator("#details-heading")).to_have_text(rm.stations[found[1]].name)


@pytest.mark.parametrize("path", ["/station/{sid}", "/text"], ids=["station", "text"])
def test_axe_on_a_phone(phone_page, real_server, path):
    from axe_playwright_python.sync_playwright import Axe

    sid = real_server.rm.order[1]
    phone_page.goto(real_server.url + path.format(sid=sid))
    expect(phone_page.locator("h1").first).to_be_visible()
    if "station" in path:
        expect(phone_page.locator("#details-heading")).to_have_text(
            real_server.rm.stations[sid].name
        )
    results = Axe().run(phone_page)
    bad = [
        f"{v['id']} ({v['impact']}): {v['help']}"
        for v in results.response["violations"]
        # and no landmark twice (a second banner, main or footer), whatever its impact
        if v["impact"] in ("serious", "critical") or v["id"].startswith("landmark")
    ]
    assert not bad, "\n".join(bad)


def test_the_offline_html_opens_readable_and_zooms_and_pans(browser, tmp_path):
    """The offline page opens with labels of 9 px or more (not the whole map squeezed into
    the window), its buttons zoom, and dragging the map pans it."""
    from routemap import RouteMap
    from routemap.export import ExportOptions, render

    path = tmp_path / "map.html"
    path.write_bytes(render(RouteMap.load(), ExportOptions("html")))
    pg = new_page(browser)
    try:
        pg.goto(path.as_uri())
        wrap = pg.locator(".mapwrap")
        expect(wrap).to_have_attribute("data-zoom", "0.750")
        label_px = pg.evaluate(
            """() => document.querySelector('.mapwrap .station-label').getBoundingClientRect()
                      .height"""
        )
        assert label_px >= 9
        pg.get_by_role("button", name="Zoom in").click()
        expect(wrap).to_have_attribute("data-zoom", "1.050")
        before = pg.evaluate("() => document.querySelector('.mapwrap').scrollLeft")
        box = wrap.bounding_box()
        x = box["x"] + box["width"] / 2
        y = pg.evaluate(  # near the top, on no station or legend entry (a drag there pans)
            """([x, top]) => {
                for (let y = top + 20; y < top + 200; y += 4) {
                    const e = document.elementFromPoint(x, y);
                    if (e && !e.closest('.station, .legend-entry')) { return y; }
                }
                return top + 20;
            }""",
            [x, box["y"]],
        )
        pg.mouse.move(x, y)
        pg.mouse.down()
        pg.mouse.move(x - 300, y, steps=5)
        pg.mouse.up()
        after = pg.evaluate("() => document.querySelector('.mapwrap').scrollLeft")
        assert after >= before + 250
        pg.get_by_role("button", name="Whole map").click()
        width = pg.evaluate(
            "() => [document.querySelector('.mapwrap svg').getBoundingClientRect().width,"
            " document.querySelector('.mapwrap').clientWidth]"
        )
        assert abs(width[0] - width[1]) < 2
        problems = pg.console_log.problems()
    finally:
        pg.context.close()
    assert not problems, problems


def test_a_panel_placed_in_the_browser_says_what_the_page_says_without_javascript(
    page, browser, real_server
):
    """The browser places the server's panel (one wording): after moving to a station inside
    the page, its details read word for word as that station's page with JavaScript off."""
    rm = real_server.rm
    first = rm.order[0]
    open_map(page, real_server.url + f"/station/{first}")
    expect(page.locator("#details-heading")).to_have_text(rm.stations[first].name)
    after = page.locator("#details-body h3:text-is('Leads to') + ul a").first
    target = after.get_attribute("href").rsplit("/", 1)[1]
    page.evaluate("window.__samePage = true")
    after.click()
    expect(page.locator("#details-heading")).to_have_text(rm.stations[target].name)
    assert page.evaluate("window.__samePage === true")  # placed in the page, not reloaded
    assert page.title().startswith(f"{rm.stations[target].name}: map")
    placed = page.locator("#details-body").inner_text()
    ctx = browser.new_context(java_script_enabled=False, viewport={"width": 1400, "height": 900})
    try:
        plain = ctx.new_page()
        plain.goto(real_server.url + f"/station/{target}")
        assert plain.locator("#details-body").inner_text() == placed
    finally:
        ctx.close()


# ---- the explorer enhances the page the server sent, and takes nothing from the reader ------
def test_what_was_typed_and_where_the_reader_was_survive_the_explorer(browser, real_server):
    """On a slow phone the explorer's scripts arrive seconds after the page: the reader has
    typed in the search box and scrolled. Hold Dash's bundles back until they have, then let
    them in: the text, the focus and the scroll position are still theirs."""
    pg = new_page(browser, 1400, 900)
    held: list = []
    release = {"now": False}

    def hold(route):
        if release["now"]:
            route.continue_()
        else:
            held.append(route)

    pg.route("**/_explorer/_dash-component-suites/**", hold)
    try:
        pg.goto(real_server.url + "/station/register-cic", wait_until="commit")
        box = pg.locator("#search")
        expect(box).to_be_visible()
        box.click()
        box.type("business ca")  # the explorer's scripts are still on their way
        pg.evaluate("() => window.scrollTo(0, 300)")
        assert pg.evaluate("() => window.scrollY") == 300
        expect(pg.locator("#map-canvas")).to_have_count(0)  # no explorer yet
        release["now"] = True
        for route in held:
            route.continue_()
        expect(pg.locator("#map-canvas")).to_have_attribute("data-drawn", "true", timeout=30_000)
        pg.wait_for_timeout(300)
        expect(box).to_have_value("business ca")
        assert pg.evaluate("() => document.activeElement.id") == "search"
        assert pg.evaluate("() => window.scrollY") == 300
        # the explorer took the SVG's place, in the same frame: nothing else moved
        expect(pg.locator("#map-svg")).to_be_hidden()
        expect(pg.locator("#details-heading")).to_have_text(
            real_server.rm.stations["register-cic"].name
        )
        problems = pg.console_log.problems()
    finally:
        pg.context.close()
    assert not problems, problems


def test_a_swipe_on_the_map_scrolls_a_phones_page_and_two_fingers_move_the_map(
    browser, real_server
):
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
    )
    pg = context.new_page()
    cdp = context.new_cdp_session(pg)

    def touch(kind: str, points) -> None:
        cdp.send(
            "Input.dispatchTouchEvent",
            {
                "type": kind,
                "touchPoints": [{"x": x, "y": y, "id": i} for i, (x, y) in enumerate(points)],
            },
        )

    def swipe(starts, step) -> None:
        touch("touchStart", starts)
        for i in range(1, 11):
            touch(
                "touchMove",
                [(x + dx * i, y + dy * i) for (x, y), (dx, dy) in zip(starts, step, strict=True)],
            )
        touch("touchEnd", [])
        pg.wait_for_timeout(500)

    def view():
        return pg.evaluate(f"() => [window.scrollY, {CY}.pan(), {CY}.zoom(), location.pathname]")

    try:
        open_map(pg, real_server.url + "/")
        expect(pg.locator(".rm-map-touch")).to_be_visible()  # says how to move the map
        for on_station in (False, True):
            pg.evaluate("() => document.getElementById('map-frame').scrollIntoView()")
            pg.wait_for_timeout(300)
            box = pg.locator("#cy").bounding_box()
            x, y = box["x"] + 30, box["y"] + box["height"] * 0.6
            if on_station:  # a swipe that starts on a station scrolls too, and opens nothing
                p = pg.evaluate(
                    f"""() => {CY}.nodes('.station').filter(n => {{
                        const p = n.renderedPosition();
                        return p.x > 20 && p.x < 300 && p.y > 100 && p.y < 500; }})
                        .first().renderedPosition()"""
                )
                x, y = box["x"] + p["x"], box["y"] + p["y"]
            before = view()
            swipe([(x, y)], [(0, -20)])
            after = view()
            assert after[0] > before[0] + 100, (on_station, before, after)  # the page scrolled
            assert after[1:] == before[1:]  # the map did not move, nothing was selected
        # two fingers apart: the map zooms, the page stays where it is
        pg.evaluate("() => document.getElementById('map-frame').scrollIntoView()")
        pg.wait_for_timeout(300)
        box = pg.locator("#cy").bounding_box()
        cx, cy = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
        before = view()
        swipe([(cx - 20, cy), (cx + 20, cy)], [(-8, 0), (8, 0)])
        after = view()
        assert after[2] > before[2] * 1.5 and after[0] == before[0]
    finally:
        context.close()


def test_every_page_says_the_same_with_javascript_on_and_off(browser, real_server):
    """One rendering: with JavaScript on, a page is the server's page (on the map page the
    explorer takes the SVG's place, and its buttons and keyboard links appear)."""
    said: dict[bool, dict[str, str]] = {}
    problems: list[str] = []
    for js in (False, True):
        context = browser.new_context(
            java_script_enabled=js, viewport={"width": 1400, "height": 900}
        )
        pg = context.new_page()
        pg.on("pageerror", lambda e: problems.append(f"pageerror: {e}"))
        pg.on(
            "console",
            lambda m: (
                problems.append(m.text)
                if m.type == "error" and "wheel sensitivity" not in m.text and "404" not in m.text
                else None
            ),
        )
        said[js] = {}
        for path in every_page(real_server.rm, NHS_ANSWERS):
            pg.goto(real_server.url + path)
            if js and pg.locator("#map-frame").count():
                expect(pg.locator("#map-canvas")).to_have_attribute(
                    "data-drawn", "true", timeout=20_000
                )
            said[js][path] = pg.evaluate(
                """() => {
                    const main = document.querySelector('main').cloneNode(true);
                    main.querySelectorAll('#map-frame, script, template').forEach(e => e.remove());
                    return main.innerText.replace(/\\s+/g, ' ').trim();
                }"""
            )
        context.close()
    assert not problems, problems
    for path in said[False]:
        assert said[True][path] == said[False][path], path
