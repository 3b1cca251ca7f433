"""Layout + SVG of synthetic maps in the process, their quality over 20 seeds, nf-metro on the
same maps side by side, and the whole `routemap export` command."""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from routemap import RouteMap
from routemap.layout import compute_layout
from routemap.layout.paper import LEGIBLE_PT
from routemap.layout.quality import evaluate
from routemap.render.svg import render_svg
from routemap.synthetic import synthetic_map, write_data

from . import nfmetro
from .common import median_time, row

SIZES = (40, 100, 200)
LINES = 12
SEEDS = range(1, 21)
NF_SEEDS = range(1, 4)  # nf-metro takes seconds to minutes a map: the first three seeds
NF_TIMEOUT = 120.0
# medians over seeds 1-20 (12 lines) before issue 17, measured with this benchmark at 2fcc1b4
BEFORE = {40: (6.7, 0, 1.20), 100: (14.4, 0, 2.43), 200: (24.8, 0, 3.66)}


def _ours(rm: RouteMap) -> tuple[float, dict]:
    start = time.perf_counter()
    g = compute_layout(rm)
    render_svg(rm, g)
    seconds = time.perf_counter() - start
    r = evaluate(g)
    return seconds, {
        "bends": r.mean_bends,
        "crossings": r.crossings_elsewhere,
        "aspect": r.aspect,
        "octilinear": r.octilinear_share,
        "broken": len(r.broken_rules),
        "band": max(r.empty_across, r.empty_down) / r.corridor,
    }


def _quality() -> list[str]:
    out = [
        f"quality over seeds {SEEDS.start}-{SEEDS.stop - 1}, {LINES} lines (median; "
        "before = the medians before issue 17; target: at most half; aspect at most 4:1; "
        "no empty band wider than a corridor)"
    ]
    for n in SIZES:
        figs = [_ours(RouteMap.from_data(synthetic_map(n, LINES, seed)))[1] for seed in SEEDS]
        bends = statistics.median(f["bends"] for f in figs)
        cross = statistics.median(f["crossings"] for f in figs)
        aspect = max(f["aspect"] for f in figs)
        broken = sum(1 for f in figs if f["broken"])
        band = max(f["band"] for f in figs)
        b_bends, b_cross, _ = BEFORE[n]
        met = bends <= b_bends / 2 and cross <= b_cross / 2 and aspect <= 4 and band <= 1
        verdict = "ok" if met else "MISSED"
        out.append(
            f"  {n} stations: bends/line {bends:5.1f} (before {b_bends}), crossings away from "
            f"stations {cross:g} (before {b_cross}), aspect max {aspect:.2f}:1, widest empty "
            f"band max {band:.2f} of a corridor, maps breaking a hard rule {broken}  {verdict}"
        )
    return out


def _versus_nf_metro() -> list[str]:
    if not nfmetro.available():
        return [
            "nf-metro is not installed: `pip install -e '.[bench]'` (make bench does) to compare"
        ]
    out = [
        f"routemap against nf-metro {nfmetro.version()} on the same maps (seeds "
        f"{NF_SEEDS.start}-{NF_SEEDS.stop - 1}, {LINES} lines; layout + SVG in the process; "
        f"nf-metro's figures measured from its SVG; time limit {NF_TIMEOUT:.0f} s)",
        f"  {'map':<14} {'':<9} {'time':>9} {'ratio':>7} {'octilinear':>11} {'bends/line':>11} "
        f"{'crossings':>10} {'aspect':>8}",
    ]
    for n in SIZES:
        for seed in NF_SEEDS:
            data = synthetic_map(n, LINES, seed)
            seconds, ours = _ours(RouteMap.from_data(data))
            theirs = nfmetro.run(data, NF_TIMEOUT)
            name = f"{n} st, seed {seed}"
            out.append(
                f"  {name:<14} {'routemap':<9} {seconds * 1000:7.0f}ms {'':>7} "
                f"{ours['octilinear']:10.1%} {ours['bends']:11.1f} {ours['crossings']:10d} "
                f"{ours['aspect']:7.2f}"
            )
            if isinstance(theirs, str):
                out.append(f"  {'':<14} {'nf-metro':<9} {theirs}")
            else:
                out.append(
                    f"  {'':<14} {'nf-metro':<9} {theirs.seconds * 1000:7.0f}ms "
                    f"{seconds / theirs.seconds:6.2f}x {theirs.octilinear_share:10.1%} "
                    f"{theirs.bends_per_line:11.1f} {theirs.crossings:10d} {theirs.aspect:7.2f}"
                )
    return out


def _real_map() -> list[str]:
    real = RouteMap.load()
    t = median_time(lambda: render_svg(real, compute_layout(real)))
    r = evaluate(compute_layout(real))
    bends = r.mean_bends
    legible = ", ".join(p for p, pt in r.print_points.items() if pt >= LEGIBLE_PT) or "none"
    return [
        row(f"real map ({len(real.stations)} stations)", t),
        f"  real map: bends/line {bends:.1f} (target 20), crossings away from stations "
        f"{r.crossings_elsewhere} (target 40), aspect {r.aspect:.2f}:1, smallest label on A3 "
        f"{r.print_points['A3']:.1f} pt (target {LEGIBLE_PT:g}); {LEGIBLE_PT:g} pt or more on: "
        f"{legible}",
    ]


def run() -> list[str]:
    out = ["layout + SVG, in the process (median of 7, synthetic maps, seed 1)"]
    for n in SIZES:
        rm = RouteMap.from_data(synthetic_map(n, LINES, 1))

        def work(rm=rm):
            g = compute_layout(rm)
            render_svg(rm, g)

        t = median_time(work)
        out.append(row(f"{n} stations, {LINES} lines", t, 1.0 if n == 200 else None))
    out += _real_map()
    out += _quality()

    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "syn200"
        data.mkdir()
        write_data(synthetic_map(200, LINES, 1), data)
        target = Path(tmp) / "map.svg"
        cmd = [
            sys.executable,
            "-m",
            "routemap",
            "--data",
            str(data),
            "export",
            "--format",
            "svg",
            "-o",
            str(target),
        ]
        fresh = median_time(lambda: subprocess.run(cmd, check=True, capture_output=True), repeat=5)
        # as a publisher keeps a map: its layout accepted into the lock, exports start from it
        accept = [*cmd[:5], "layout"]
        subprocess.run(accept, check=True, capture_output=True)
        t = median_time(lambda: subprocess.run(cmd, check=True, capture_output=True), repeat=5)
        out.append("the whole command (median of 5, new process each time)")
        out.append(row("routemap export --format svg, 200 stations, from its lock", t, 1.5))
        out.append(row("  ... with no lock (laid out from scratch)", fresh))
    out += _versus_nf_metro()
    return out
