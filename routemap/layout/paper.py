"""Paper sizes, and how large the map's smallest label prints on each.

A PDF page holds the whole drawing scaled to fit (the SVG's viewBox, aspect kept), so a
label's printed size is its font size times that scale. 1 mm = 72 / 25.4 points.
"""

from __future__ import annotations

from .geometry import Geometry

PAPER_MM = {  # landscape: width, height
    "A4": (297, 210),
    "A3": (420, 297),
    "A2": (594, 420),
    "A1": (841, 594),
    "A0": (1189, 841),
}
PT_PER_MM = 72 / 25.4
LEGIBLE_PT = 6.0  # the smallest print size a reader can take in


def scale(g: Geometry, paper: str) -> float:
    """Points per drawing unit when the drawing is fitted to the paper."""
    w_mm, h_mm = PAPER_MM[paper]
    return min(w_mm * PT_PER_MM / g.width, h_mm * PT_PER_MM / g.height)


def smallest_label(g: Geometry) -> float:
    """The smallest station or legend label, in drawing units."""
    sizes = [s.label.font_size for s in g.stations]
    sizes += [e.label.font_size for e in g.legend.entries]
    return min(sizes)


def label_points(g: Geometry) -> dict[str, float]:
    """Paper -> the printed size of the smallest label, in points."""
    small = smallest_label(g)
    return {paper: small * scale(g, paper) for paper in PAPER_MM}


def page_fill(g: Geometry, paper: str) -> tuple[float, float]:
    """The share of the page's width and height the fitted drawing covers."""
    w_mm, h_mm = PAPER_MM[paper]
    s = scale(g, paper)
    return g.width * s / (w_mm * PT_PER_MM), g.height * s / (h_mm * PT_PER_MM)
