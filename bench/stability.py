"""The layout kept under edits (issue 23): every single-station insertion (one per line, in
its middle) and every single-station removal, on the real map and on the synthetic
200-station map, each laid out from the lock of the map before; and the preview's time from
a save to the new picture in chromium.

Targets: at least 95% of stations keep their cell, at least 98% of pairs of stations keep
their left/right and their above/below order (the smallest share over the edits); the
preview's median at most 1.5 s. Beside them: how far stations move in units (mean over the
stations, median over the edits), what the edited maps' legibility is, and what the same
insertions do to a layout made from scratch (the figures before the lock).
"""

from __future__ import annotations

import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

from routemap import RouteMap
from routemap.core import default_data_dir
from routemap.layout import compute_layout
from routemap.layout.paper import LEGIBLE_PT
from routemap.layout.quality import evaluate
from routemap.layout.stability import insert_station, kept, removable, remove_station
from routemap.synthetic import synthetic_map
from routemap.validate import load_data

from .browser import unmeasurable
from .common import row

CELLS, PAIRS, PREVIEW = 0.95, 0.98, 1.5
PREVIEW_EDITS = 9


def _edits(data):
    for ln in data.lines:
        yield "insert", insert_station(data, ln.id, len(ln.stations) // 2)
    for sid in removable(data):
        yield "remove", remove_station(data, sid)


def _measure(name: str, data) -> list[str]:
    base = compute_layout(RouteMap(data))  # the real map from its lock; synthetic, fresh
    data = replace(data, lock=base.lock)
    where = {s.id: (s.x, s.y) for s in base.stations}
    figs: dict[str, list[dict]] = {"insert": [], "remove": []}
    for kind, edited in _edits(data):
        rm = RouteMap(edited)
        start = time.perf_counter()
        g = compute_layout(rm)
        seconds = time.perf_counter() - start
        k = kept(base.lock, g.lock)
        r = evaluate(g)
        moved = [
            ((s.x - where[s.id][0]) ** 2 + (s.y - where[s.id][1]) ** 2) ** 0.5
            for s in g.stations
            if s.id in where
        ]
        fresh = None
        if kind == "insert":  # the same edit laid out from scratch: the figures before
            fresh = kept(base.lock, compute_layout(rm, fresh=True).lock)
        figs[kind].append(
            {
                "kept": k,
                "fresh": fresh,
                "moved": statistics.mean(moved),
                "crossings": r.crossings_elsewhere,
                "a3": r.print_points["A3"],
                "broken": len(r.broken_rules),
                "seconds": seconds,
            }
        )
    out = [f"{name}: {len(data.stations)} stations, {len(data.lines)} lines"]
    for kind, label in (("insert", "insertions, one a line"), ("remove", "removals")):
        f = figs[kind]
        cells = min(x["kept"].cells for x in f)
        across = min(x["kept"].across for x in f)
        down = min(x["kept"].down for x in f)
        met = cells >= CELLS and min(across, down) >= PAIRS
        out.append(
            f"  {len(f)} {label}: stations keeping their cell {cells:.1%} at least (target "
            f"{CELLS:.0%}); pairs keeping left/right {across:.1%}, above/below {down:.1%} at "
            f"least (target {PAIRS:.0%})  {'ok' if met else 'MISSED'}"
        )
        out.append(
            f"    moved {statistics.median(x['moved'] for x in f):.1f} units a station "
            f"(median edit; worst {max(x['moved'] for x in f):.1f}); crossings away from "
            f"stations median {statistics.median(x['crossings'] for x in f):g}, most "
            f"{max(x['crossings'] for x in f)}; smallest A3 label "
            f"{min(x['a3'] for x in f):.2f} pt ({sum(1 for x in f if x['a3'] < LEGIBLE_PT)} "
            f"under {LEGIBLE_PT:g}); edits breaking a hard rule "
            f"{sum(1 for x in f if x['broken'])}; layout from the lock "
            f"{statistics.median(x['seconds'] for x in f) * 1000:.0f} ms (median)"
        )
        if kind == "insert":
            out.append(
                f"    the same insertions laid out from scratch: cells kept "
                f"{min(x['fresh'].cells for x in f):.1%}, pairs left/right "
                f"{min(x['fresh'].across for x in f):.1%}, above/below "
                f"{min(x['fresh'].down for x in f):.1%} at least"
            )
    return out


def _preview() -> list[str]:
    why = unmeasurable("preview edit to picture")
    if why:
        return [why]
    from playwright.sync_api import expect, sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "data"
        shutil.copytree(default_data_dir(), data, ignore=shutil.ignore_patterns("schema"))
        stations = data / "stations.yaml"
        text = stations.read_text(encoding="utf-8")
        name = RouteMap.load(data).stations["tupe"].name
        proc, url = _start(data)
        times = []
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(
                    executable_path="/usr/bin/chromium", args=["--no-sandbox", "--disable-gpu"]
                )
                page = browser.new_page(viewport={"width": 1400, "height": 900})
                page.goto(url)
                for i in range(PREVIEW_EDITS):
                    new = f"{name} ({i + 1})"
                    start = time.perf_counter()
                    stations.write_text(text.replace(f"name: {name}\n", f"name: {new}\n", 1))
                    expect(page.locator("#map svg")).to_contain_text(new, timeout=15_000)
                    times.append(time.perf_counter() - start)
                    time.sleep(0.3)  # a person does not save twice in a blink
                browser.close()
        finally:
            proc.terminate()
            proc.wait(timeout=10)
    t = statistics.median(times)
    return [
        "routemap preview (its own process) in chromium: a station renamed in stations.yaml "
        f"until the new name is on the map (median of {PREVIEW_EDITS})",
        row("preview, save to picture", t, PREVIEW, f"(fastest {min(times) * 1000:.0f} ms)"),
    ]


def _start(data: Path):
    """``routemap preview`` on a free port, as a publisher runs it; its process and URL."""
    import socket
    import urllib.request

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    cmd = [sys.executable, "-m", "routemap", "--data", str(data), "preview", "--port", str(port)]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}/"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url + "state", timeout=2).read()
            return proc, url
        except OSError:
            time.sleep(0.1)
    proc.terminate()
    raise RuntimeError("routemap preview did not start within 60 s")


def run() -> list[str]:
    out = [
        "the layout kept under edits, each laid out from the lock of the map before "
        "(cells and orders on the lock's grid)"
    ]
    out += _measure("real map", load_data(default_data_dir()))
    out += _measure("synthetic map (seed 1)", synthetic_map(200, 12, 1))
    out += _preview()
    return out
