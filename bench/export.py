"""Each export format for the real map, layout included (a fresh RouteMap each time, laid
out from the committed layout lock); and the whole `routemap export --format svg` command
against `routemap --version`, the start-up every command pays (target: at most twice it)."""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

from routemap import RouteMap
from routemap.export import ExportOptions, render
from routemap.validate import load_data

from .common import median_time, row

TARGETS = {"svg": 0.3, "png": 1.0, "pdf": 2.0, "html": 0.5, "json": None}


def run() -> list[str]:
    from routemap.core import default_data_dir

    data = load_data(default_data_dir())
    out = ["export of the real map, layout included (median of 5, in the process)"]
    for fmt, target in TARGETS.items():
        opts = ExportOptions(fmt=fmt)
        sizes = []

        def work(opts=opts, sizes=sizes):
            sizes.append(len(render(RouteMap(data), opts)))

        t = median_time(work, repeat=5)
        out.append(row(fmt, t, target, f"{sizes[-1]:,} bytes"))
    return out + _command()


def _command() -> list[str]:
    def timed(*args: str) -> float:
        cmd = [sys.executable, "-m", "routemap", *args]
        return median_time(lambda: subprocess.run(cmd, check=True, capture_output=True), 7)

    with tempfile.TemporaryDirectory() as tmp:
        start = timed("--version")
        export = timed("export", "--format", "svg", "-o", str(Path(tmp) / "map.svg"))
    return [
        "the whole command, real map (median of 7, a new process each time)",
        row("routemap --version (start-up: Python, click, the core's imports)", start),
        row("routemap export --format svg", export, 2 * start, "(target: twice the start-up)"),
    ]
