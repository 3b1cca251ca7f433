"""The tube-map layout: hard targets on the real map and on synthetic maps, and the report."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import replace

import pytest

from routemap import RouteMap
from routemap.layout import LayoutParams, compute_layout
from routemap.layout.fonts import FONT_FAMILY, metrics, wrap
from routemap.layout.geometry import Box, Stroke
from routemap.layout.quality import evaluate
from routemap.render.svg import render_svg
from routemap.synthetic import synthetic_map

from .conftest import DATA, ROOT

SIZES = (40, 100, 200)
SEEDS = range(1, 21)


def lines_for(n: int) -> int:
    return 12 if n >= 100 else 8


def assert_hard_targets(rm: RouteMap, geometry, crossing_free: bool) -> None:
    report = evaluate(geometry)
    assert report.octilinear_share == 1.0, report.text()
    assert report.label_overlaps == 0, report.text()
    assert report.unlabelled == 0
    assert report.through_markers == 0, report.text()
    if crossing_free:
        assert report.crossings_elsewhere == 0, report.text()
    # every station labelled with its full name, nothing dropped or cut
    assert {s.id for s in geometry.stations} == set(rm.stations)
    for st in geometry.stations:
        assert " ".join(st.label.lines) == rm.stations[st.id].name
    assert not geometry.legend.box.overlaps(geometry.map_box)
    broken = report.broken_rules
    if not crossing_free:  # a real map may need crossings; they are reported, not forbidden
        broken = [r for r in broken if "crossings away from shared stations" not in r]
    assert broken == []


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("n", SIZES)
def test_synthetic_maps_meet_the_hard_targets(n, seed):
    rm = RouteMap.from_data(synthetic_map(n, lines_for(n), seed))
    assert len(rm.stations) == n
    assert_hard_targets(rm, compute_layout(rm), crossing_free=True)


def test_real_map_meets_the_hard_targets(real_map):
    assert_hard_targets(real_map, real_map.geometry, crossing_free=False)


def test_flow_runs_left_to_right(real_map):
    g = real_map.geometry
    x = {s.id: s.x for s in g.stations}
    for a, b in real_map.graph.edges():
        assert x[a] < x[b]


def test_parallel_strokes_keep_a_fixed_gap(real_map):
    """At every station the lines pass side by side exactly one line gap apart, on each side;
    a station alone in its column is a bar its lines meet level instead (no bend there)."""
    g = real_map.geometry
    gap = g.params["line_gap"]
    by_column: dict[int, int] = {}
    for st in g.stations:
        by_column[st.column] = by_column.get(st.column, 0) + 1
    sides: dict[tuple[str, str], dict[str, float]] = {}
    level: dict[str, list[bool]] = {}
    for ln in g.lines:
        for s in ln.strokes:
            sides.setdefault((s.start, "out"), {})[ln.id] = s.points[0][1]
            sides.setdefault((s.end, "in"), {})[ln.id] = s.points[-1][1]
            level.setdefault(s.start, []).append(abs(s.points[1][1] - s.points[0][1]) < 1e-6)
            level.setdefault(s.end, []).append(abs(s.points[-2][1] - s.points[-1][1]) < 1e-6)
    checked = bars = 0
    stations = {st.id: st for st in g.stations}
    for (sid, _), ys in sides.items():
        assert set(ys) <= set(real_map.lines_at[sid])
        if by_column[stations[sid].column] == 1 and len(ys) > 1:
            assert all(level[sid]), sid  # a bar: every line meets it level
            bars += 1
            continue
        values = sorted(ys.values())
        for a, b in zip(values, values[1:], strict=False):
            assert b - a == pytest.approx(gap, abs=0.01), sid
            checked += 1
    assert checked > 50 and bars >= 1


def test_interchange_marker_spans_its_lines(real_map):
    g = real_map.geometry
    for st in g.stations:
        ys = [
            ln_stroke.points[0][1]
            for ln in g.lines
            for ln_stroke in ln.strokes
            if ln_stroke.start == st.id
        ]
        ys += [
            ln_stroke.points[-1][1]
            for ln in g.lines
            for ln_stroke in ln.strokes
            if ln_stroke.end == st.id
        ]
        assert ys
        assert st.marker.y < min(ys) and max(ys) < st.marker.bottom
        assert st.interchange == (len(real_map.lines_at[st.id]) > 1)


def test_geometry_json_has_the_exchange_fields(real_map):
    doc = real_map.geometry.to_json()
    st = doc["stations"][0]
    assert {"id", "name", "x", "y", "lines", "marker", "label"} <= set(st)
    assert {"x", "y", "width", "height"} <= set(st["marker"])
    assert {"text", "x", "y", "width", "height"} <= set(st["label"])
    ln = doc["lines"][0]
    assert {"id", "name", "colour", "historical", "strokes"} <= set(ln)
    assert {"from", "to", "points"} <= set(ln["strokes"][0])
    assert all(len(p) == 2 for p in ln["strokes"][0]["points"])


def _export_in_subprocess(fmt: str, path, seed: str) -> bytes:
    env = {**os.environ, "PYTHONHASHSEED": seed}
    subprocess.run(
        [sys.executable, "-m", "routemap", "export", "--format", fmt, "-o", str(path)],
        check=True,
        env=env,
        capture_output=True,
        timeout=120,
    )
    return path.read_bytes()


@pytest.mark.parametrize("fmt", ["svg", "json"])
def test_output_is_byte_identical_across_runs(fmt, tmp_path):
    first = _export_in_subprocess(fmt, tmp_path / f"a.{fmt}", "1")
    second = _export_in_subprocess(fmt, tmp_path / f"b.{fmt}", "4242")
    assert first == second
    if fmt == "json":
        assert json.loads(first)["stations"]


def test_labels_are_measured_with_the_shipped_font():
    m = metrics("regular")
    text = "Register a CIC"
    expected = sum(m.advances[ch] for ch in text) * 12.5 / m.units_per_em
    assert m.width(text, 12.5) == pytest.approx(expected)
    assert m.width("WWW", 10) > m.width("iii", 10)
    assert wrap("Register a community interest company", 12.5, 112) == [
        "Register a",
        "community",
        "interest company",
    ]
    assert (ROOT / "assets" / "fonts" / "RoutemapSans-Regular.ttf").is_file()
    assert (ROOT / "assets" / "fonts" / "OFL.txt").is_file()


def test_svg_names_and_embeds_the_measured_font(real_map):
    svg = render_svg(real_map)
    assert f"font-family=\"'{FONT_FAMILY}'" in svg
    assert "@font-face{font-family:'Routemap Sans'" in svg
    assert "data:font/ttf;base64," in svg


def test_historical_lines_are_drawn_disused():
    rm = RouteMap.from_data(synthetic_map(40, 8, 3))
    svg = render_svg(rm)
    historical = [ln for ln in rm.lines.values() if ln.status == "historical"]
    assert historical
    for ln in historical:
        start = svg.index(f'id="line-{ln.id}"')
        block = svg[start : svg.index("</g>", start)]
        assert "stroke-dasharray" in block
        assert "(historical route)" in block


def test_layout_always_draws_and_names_what_it_could_not_do():
    rm = RouteMap.from_data(synthetic_map(100, 12, 2))
    cramped = LayoutParams(col_gap=40, label_band=6, max_rounds=1)
    g = compute_layout(rm, cramped)
    assert len(g.stations) == 100 and all(s.label.lines for s in g.stations)
    report = evaluate(g)
    assert g.problems
    assert report.broken_rules


def test_the_report_catches_broken_geometry(real_map):
    g = real_map.geometry
    a, b = g.stations[1], g.stations[2]
    # a label moved on top of another, and a stroke bent at 30 degrees
    moved = replace(a, label=replace(a.label, box=b.label.box))
    ln = g.lines[0]
    s0 = ln.strokes[0]
    (x0, y0) = s0.points[0]
    bent = Stroke(s0.start, s0.end, ((x0, y0), (x0 + 100, y0 + 57.7), *s0.points[1:]))
    broken = replace(
        g,
        stations=(g.stations[0], moved, *g.stations[2:]),
        lines=(replace(ln, strokes=(bent, *ln.strokes[1:])), *g.lines[1:]),
    )
    report = evaluate(broken)
    assert report.label_label >= 1
    assert report.octilinear < report.segments
    assert any("not octilinear" in r for r in report.broken_rules)


def test_layout_report_command(tmp_path):
    from click.testing import CliRunner

    from routemap.cli import cli

    result = CliRunner().invoke(
        cli, ["layout-report", "--synthetic", "40", "--lines", "8", "--json"]
    )
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["octilinear_share"] == 1.0
    assert doc["label_overlaps"] == {"label_label": 0, "label_marker": 0, "label_stroke": 0}
    assert {"same_corridor", "elsewhere"} == set(doc["crossings"])
    assert {"mean", "max", "by_line"} <= set(doc["bends_per_line"])
    assert {"width", "height", "aspect"} <= set(doc["canvas"])
    text = CliRunner().invoke(cli, ["layout-report", "--data", str(DATA)])
    assert "octilinear segments: 100.0%" in text.stdout
    assert "time:" in text.stdout


def test_box_overlap_helper():
    assert Box(0, 0, 10, 10).overlaps(Box(5, 5, 10, 10))
    assert not Box(0, 0, 10, 10).overlaps(Box(10, 0, 5, 5))
