"""nf-metro on the same synthetic maps, for comparison: its time and its map's figures.

The map goes to nf-metro as Mermaid (one ``-->|line|`` edge per line and hop), and nf-metro
runs in a child process with a time limit, so that a crash or a hang of its layout is
reported (as "aborted" or "timed out") rather than ending the benchmark. Its figures are
measured from the SVG it draws: the canvas, the share of octilinear segments, bends per line
(corners and rounded corners) and crossings between lines away from stations.
"""

from __future__ import annotations

import json
import math
import re
import subprocess
import sys
from dataclasses import dataclass

from routemap.layout.spatial import segments_cross
from routemap.validate import MapData

CHILD = r"""
import sys, time, json
from nf_metro.api import render_string
text = sys.stdin.read()
start = time.perf_counter()
try:
    svg = render_string(text)
except Exception as exc:  # nf-metro's own failure: report it, do not crash the benchmark
    print(json.dumps({"error": f"{type(exc).__name__}: {str(exc)[:160]}"}))
    sys.exit(0)
print(json.dumps({"seconds": time.perf_counter() - start, "svg": svg}))
"""


def available() -> bool:
    try:
        import nf_metro  # noqa: F401
    except ImportError:
        return False
    return True


def version() -> str:
    from importlib.metadata import version as v

    return v("nf-metro")


def _ident(text: str) -> str:
    return re.sub(r"\W", "_", text)


def to_mermaid(data: MapData) -> str:
    out = ["%%metro title: synthetic"]
    for ln in data.lines:
        out.append(f"%%metro line: l{_ident(ln.id)} | {ln.name} | {ln.colour}")
    out.append("graph LR")
    for st in data.stations:
        out.append(f"    s{_ident(st.id)}[{st.name}]")
    for ln in data.lines:
        for a, b in zip(ln.stations, ln.stations[1:], strict=False):
            out.append(f"    s{_ident(a)} -->|l{_ident(ln.id)}| s{_ident(b)}")
    return "\n".join(out) + "\n"


@dataclass
class Drawn:
    seconds: float
    width: float
    height: float
    octilinear_share: float
    bends_per_line: float
    crossings: int

    @property
    def aspect(self) -> float:
        return max(self.width, self.height) / min(self.width, self.height)


def run(data: MapData, timeout: float) -> Drawn | str:
    """nf-metro's drawing of the map, or why there is none."""
    try:
        done = subprocess.run(
            [sys.executable, "-c", CHILD],
            input=to_mermaid(data),
            capture_output=True,
            text=True,
            timeout=timeout,
        )
    except subprocess.TimeoutExpired:
        return f"timed out after {timeout:.0f} s"
    try:
        answer = json.loads(done.stdout.strip().splitlines()[-1])
    except (ValueError, IndexError):
        return "aborted: " + (done.stderr.strip().splitlines() or ["no output"])[-1][:160]
    if "error" in answer:
        return "aborted: " + answer["error"]
    return measure(answer["svg"], answer["seconds"])


def _points(d: str) -> list[tuple[float, float]]:
    """The vertices of an M/L/Q path (a Q's control point stands for its corner)."""
    nums = [float(x) for x in re.findall(r"-?\d+(?:\.\d+)?(?:e-?\d+)?", d)]
    return [(nums[i], nums[i + 1]) for i in range(0, len(nums) - 1, 2)]


def measure(svg: str, seconds: float) -> Drawn:
    m = re.search(r'viewBox="0 0 ([\d.]+) ([\d.]+)"', svg)
    width, height = float(m.group(1)), float(m.group(2))
    manifest = re.search(r"<!\[CDATA\[(.*?)\]\]>", svg, re.S)
    nodes = json.loads(manifest.group(1))["nodes"] if manifest else []
    segs: list[tuple[str, tuple[float, float], tuple[float, float]]] = []
    bends: dict[str, int] = {}
    for tag in re.findall(r"<path [^>]*data-line-id=\"[^\"]+\"[^>]*>", svg):
        line = re.search(r'data-line-id="([^"]+)"', tag).group(1)
        pts = _points(re.search(r'\sd="([^"]+)"', tag).group(1))
        pts = [p for i, p in enumerate(pts) if i == 0 or math.dist(p, pts[i - 1]) > 1e-6]
        bends[line] = bends.get(line, 0) + max(0, len(pts) - 2)
        segs += [(line, p, q) for p, q in zip(pts, pts[1:], strict=False)]
    octi = 0
    for _, p, q in segs:
        angle = math.degrees(math.atan2(q[1] - p[1], q[0] - p[0])) % 45
        octi += min(angle, 45 - angle) <= 0.5
    crossings = 0
    for i, (la, p, q) in enumerate(segs):
        for lb, r, t in segs[i + 1 :]:
            if la == lb:
                continue
            hit = segments_cross(p, q, r, t)
            if hit is None:
                continue
            near = any(
                abs(hit[0] - n["x"]) <= n["w"] / 2 + 6 and -6 <= hit[1] - n["y"] <= n["h"] + 6
                for n in nodes
            )
            crossings += not near
    return Drawn(
        seconds=seconds,
        width=width,
        height=height,
        octilinear_share=octi / len(segs) if segs else 1.0,
        bends_per_line=sum(bends.values()) / len(bends) if bends else 0.0,
        crossings=crossings,
    )
