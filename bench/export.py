"""Each export format for the real map, layout included (a fresh RouteMap each time)."""

from __future__ import annotations

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
    return out
