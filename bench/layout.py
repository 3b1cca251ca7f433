"""Layout + SVG of synthetic maps in the process, and the whole `routemap export` command."""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

from routemap import RouteMap
from routemap.layout import compute_layout
from routemap.layout.quality import evaluate
from routemap.render.svg import render_svg
from routemap.synthetic import synthetic_map, write_data

from .common import median_time, row


def run() -> list[str]:
    out = ["layout + SVG, in the process (median of 7, synthetic maps, seed 1)"]
    for n in (40, 100, 200):
        lines = 12 if n >= 100 else 8
        rm = RouteMap.from_data(synthetic_map(n, lines, 1))

        def work(rm=rm):
            g = compute_layout(rm)
            render_svg(rm, g)

        t = median_time(work)
        report = evaluate(compute_layout(rm))
        extra = (
            f"aspect {report.aspect:.2f}:1, spacing spread {report.spacing_spread:.3f}, "
            f"bends/line {sum(report.bends_per_line.values()) / report.lines:.1f}"
        )
        out.append(row(f"{n} stations, {lines} lines", t, 1.0 if n == 200 else None, extra))
    real = RouteMap.load()
    t = median_time(lambda: render_svg(real, compute_layout(real)))
    out.append(row(f"real map ({len(real.stations)} stations)", t))

    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "syn200"
        data.mkdir()
        write_data(synthetic_map(200, 12, 1), data)
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
        t = median_time(lambda: subprocess.run(cmd, check=True, capture_output=True), repeat=5)
        out.append("the whole command (median of 5, new process each time)")
        out.append(row("routemap export --format svg, 200 stations", t, 1.5))
    return out
