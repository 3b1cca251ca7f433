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
FOOTER_LINE = 20.0  # the exports add a footer below the drawing: its lines' height ...
FOOTER_PAD = 8.0  # ... and the room above it (render/svg.py draws it so)


def footer_height(lines: int) -> float:
    return FOOTER_LINE * lines + FOOTER_PAD if lines else 0.0


def scale(g: Geometry, paper: str, footer_lines: int = 1) -> float:
    """Points per drawing unit when the drawing, with its footer, is fitted to the paper."""
    w_mm, h_mm = PAPER_MM[paper]
    height = g.height + footer_height(footer_lines)
    return min(w_mm * PT_PER_MM / g.width, h_mm * PT_PER_MM / height)


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
    height = g.height + footer_height(1)
    return g.width * s / (w_mm * PT_PER_MM), height * s / (h_mm * PT_PER_MM)
