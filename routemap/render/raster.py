"""PNG and PDF from the SVG, through cairosvg on Debian's libcairo2 — not a screenshot.

fontconfig is pointed at ``assets/fonts/fonts.conf`` before cairo starts, so the rasters are
drawn in the shipped font whose metrics the layout measured.
"""

from __future__ import annotations

import os
import re

from ..layout.fonts import FONT_DIR
from ..layout.paper import PAPER_MM


def _cairosvg():
    os.environ.setdefault("FONTCONFIG_FILE", str(FONT_DIR / "fonts.conf"))
    import cairosvg

    return cairosvg


def load_cairo() -> None:
    """Load cairo now, if it is there: finding the library runs a subprocess, which a server
    does once as it starts, not inside a request (where gevent's threads cannot)."""
    try:
        _cairosvg()
    except (ImportError, OSError):  # no libcairo2: PNG and PDF exports say so when asked
        pass


def png(svg: str, scale: float = 1.0) -> bytes:
    return _cairosvg().svg2png(
        bytestring=svg.encode("utf-8"), scale=scale, background_color="white"
    )


def _paper_svg(svg: str, paper: str, viewbox: tuple[float, ...] | None = None) -> str:
    """Set the root size to the paper (landscape); the viewBox (``paper.page_viewbox``)
    places the map inside the page's printable margin."""
    width, height = PAPER_MM[paper]
    head, sep, rest = svg.partition("<svg ")
    tag_end = rest.index(">")
    tag = rest[:tag_end]
    tag = re.sub(r'\swidth="[^"]*"', f' width="{width}mm"', tag, count=1)
    tag = re.sub(r'\sheight="[^"]*"', f' height="{height}mm"', tag, count=1)
    if viewbox is not None:
        box = " ".join(f"{v:.3f}" for v in viewbox)
        tag = re.sub(r'\sviewBox="[^"]*"', f' viewBox="{box}"', tag, count=1)
    return head + sep + tag + rest[tag_end:]


def pdf_stamp(date: str) -> str:
    """A PDF date (YYYYMMDDHHmmSS) for "2026", "2026-12" or "2026-12-01": a missing month or
    day is the first (padding with zeros made "2026-12" the invalid day 00)."""
    parts = [p for p in re.split(r"\D+", date) if p]
    year = parts[0] if parts else "2025"
    month = parts[1].zfill(2) if len(parts) > 1 else "01"
    day = parts[2].zfill(2) if len(parts) > 2 else "01"
    return f"{year}{month}{day}000000"


def pdf(
    svg: str, paper: str = "A3", date: str = "2025", viewbox: tuple[float, ...] | None = None
) -> bytes:
    data = _cairosvg().svg2pdf(bytestring=_paper_svg(svg, paper, viewbox).encode("utf-8"))
    # cairo stamps the time of writing; use the date the facts hold for instead, keeping the
    # byte length (and so the cross-reference offsets) unchanged: same data, same bytes.
    stamp = pdf_stamp(date)

    def fixed(match: re.Match) -> bytes:
        old = match.group(1)
        return (
            b"/CreationDate (D:" + stamp.encode("ascii")[: len(old)].ljust(len(old), b"0") + b"Z)"
        )

    return re.sub(rb"/CreationDate \(D:(\d+)Z\)", fixed, data)
