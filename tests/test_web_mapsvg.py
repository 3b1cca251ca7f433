"""A route's inline map, put together from parts drawn once (``web/mapsvg.py``'s
``RouteParts``), is the same text as the whole map drawn with the route brought forward."""

from __future__ import annotations

import random

import pytest

from routemap.render.highlight import MARKS, route_highlight
from routemap.route import find_route, parse_answers
from routemap.route.nextsteps import what_next
from routemap.web.mapsvg import MapSvg

from .conftest import PERSONAS, persona_doc


def highlights(rm, seed: int = 21):
    """Each persona's route as its page and its adviser view draw it, then again with random
    progress (done, in progress, skipped) and another staff count."""
    rng = random.Random(seed)
    out = []
    for path in sorted(PERSONAS.glob("*.yaml")):
        given = persona_doc(path.stem)["answers"]
        answers = {k: v for k, v in given.items() if k != "done"}
        progress = {"done": given.get("done", [])}
        for trial in range(4):
            profile = parse_answers(rm, answers, progress)
            nr = what_next(rm, profile)
            if not nr.route.steps:
                break
            out += [route_highlight(nr.route), route_highlight(nr.route, nr.states)]
            steps = [s.station for s in nr.route.steps]
            progress = {k: [] for k in ("done", "in_progress", "skipped")}
            for sid in steps:
                state = rng.choice(["done", "in_progress", "skipped", "to_do"])
                if state != "to_do":
                    progress[state].append(sid)
            answers = {**answers, "staff_count": rng.randint(5, 3000) + trial}
    return out


@pytest.fixture(scope="module")
def drawn(real_map):
    return MapSvg(real_map), highlights(real_map)


def test_a_routes_drawing_from_parts_is_the_whole_drawing(drawn):
    svg, hs = drawn
    assert len(hs) > 40
    # every progress mark and a route on a line with faded strokes beside it are drawn
    assert {m for h in hs for _, m in h.marks} == set(MARKS)
    for h in hs:
        whole = svg._draw_uncached(h, None, True)
        assert svg.route(h) == whole
        assert 'class="faded"' in whole and "#step-" in whole


def test_the_parts_are_drawn_once_and_stay_few(drawn):
    svg, hs = drawn
    for h in hs:
        svg.route(h)
    parts = svg._parts
    # each look of a station drawn once: lit or faded, a step or not, each progress mark
    assert len(parts.looks) <= 2 * 2 * (len(MARKS) + 1)
    assert svg.route(hs[0]) is not None and parts is svg._parts


def test_the_mini_maps_routes_draw_from_parts_too(mini_map):
    svg = MapSvg(mini_map)
    profile = parse_answers(mini_map, {}, {})
    result = find_route(mini_map, profile, explain=False)
    if not result.steps:
        pytest.skip("the mini map opens no route without answers")
    h = route_highlight(result)
    assert svg.route(h) == svg._draw_uncached(h, None, True)


def test_the_map_pages_routes_are_kept_apart_and_few(real_map, drawn):
    """The map page with a team's route brought forward: every team's is another drawing, so
    at most 32 are kept, and they never push out the map page's own hundred (a station, a
    line or nothing brought forward). Each is the whole map, not a route's crop."""
    _, hs = drawn
    svg = MapSvg(real_map)
    plain = [svg.map(), svg.map(None, "go-live")]
    for h in hs[:40]:
        drawn_map = svg.map(h)
        assert drawn_map == svg._draw_uncached(h, None, False) and "#step-" not in drawn_map
    assert svg._route_on_map.cache_info().currsize == 32
    assert svg._draw.cache_info().currsize == len(plain)
    assert svg.map() is plain[0]  # still kept
