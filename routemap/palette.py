"""The map's colours and dash pattern, in one place: the SVG export (``render/svg.py``), the
interactive map's Cytoscape styles (``web/cyto.py``) and the pages' SVG map draw with these,
so the three look alike. A line's own colour is data (``lines.yaml``)."""

from __future__ import annotations

INK = "#0b0c0c"  # text, interchange rims, termini
MUTED = "#505a5f"  # secondary text, historical labels (7:1 on white)
PAPER = "#ffffff"  # the background and the inside of a station's pill
HIGHLIGHT = "#ffdd00"  # a selected or focused station (the GOV.UK focus colour)
HISTORICAL_DASH = (9, 6)  # a closed line's dash, in SVG units


def dash_svg() -> str:
    """The historical dash as an SVG ``stroke-dasharray``."""
    return " ".join(str(n) for n in HISTORICAL_DASH)
