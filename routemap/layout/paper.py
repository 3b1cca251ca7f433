"""Paper sizes, and how large the map's smallest label prints on each.

A PDF page holds the whole drawing scaled to fit inside a printable margin (the SVG's viewBox,
aspect kept), so a label's printed size is its font size times that scale. 1 mm = 72 / 25.4 points.
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
PRINT_MARGIN_MM = 8.0  # blank round the page's edge: most printers cannot print nearer
FOOTER_LINE = 20.0  # the exports add a footer below the drawing: its lines' height ...
FOOTER_PAD = 8.0  # ... and the room above it (render/svg.py draws it so)


def footer_height(lines: int) -> float:
    return FOOTER_LINE * lines + FOOTER_PAD if lines else 0.0


def _ink(g: Geometry, footer_lines: int) -> tuple[float, float, float, float]:
    """The drawing without its own blank margin (x, y, width, height): what must lie inside
    the page's printable area."""
    m = g.params["margin"]
    height = g.height + footer_height(footer_lines)
    return m, m, g.width - 2 * m, height - 2 * m


def scale(g: Geometry, paper: str, footer_lines: int = 1) -> float:
    """Points per drawing unit when the drawing, with its footer, is fitted to the paper
    inside a printable margin of PRINT_MARGIN_MM on every side."""
    w_mm, h_mm = PAPER_MM[paper]
    _, _, w, h = _ink(g, footer_lines)
    inner_w, inner_h = w_mm - 2 * PRINT_MARGIN_MM, h_mm - 2 * PRINT_MARGIN_MM
    return min(inner_w * PT_PER_MM / w, inner_h * PT_PER_MM / h)


def page_viewbox(g: Geometry, paper: str, footer_lines: int = 1) -> tuple[float, ...]:
    """The viewBox that puts the drawing's ink in the middle of the page at ``scale``, at
    least PRINT_MARGIN_MM from every edge (most printers cannot print nearer the edge)."""
    w_mm, h_mm = PAPER_MM[paper]
    s = scale(g, paper, footer_lines)
    x, y, w, h = _ink(g, footer_lines)
    page_w, page_h = w_mm * PT_PER_MM / s, h_mm * PT_PER_MM / s
    return x + w / 2 - page_w / 2, y + h / 2 - page_h / 2, page_w, page_h


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
    """The share of the printable area's width and height the fitted drawing covers."""
    w_mm, h_mm = PAPER_MM[paper]
    s = scale(g, paper)
    _, _, w, h = _ink(g, 1)
    inner_w, inner_h = w_mm - 2 * PRINT_MARGIN_MM, h_mm - 2 * PRINT_MARGIN_MM
    return w * s / (inner_w * PT_PER_MM), h * s / (inner_h * PT_PER_MM)
