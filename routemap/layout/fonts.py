"""Text measurement with the metrics of the font the SVG names and the app ships.

Labels must never overlap, so their boxes are measured from the real glyph advances of
``assets/fonts/RoutemapSans-*.ttf`` (a subset of Noto Sans with kerning removed, so every
renderer draws exactly the widths measured here).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from fontTools.ttLib import TTFont

FONT_DIR = Path(__file__).resolve().parents[2] / "assets" / "fonts"
FONT_FAMILY = "Routemap Sans"
FONT_FILES = {"regular": "RoutemapSans-Regular.ttf", "bold": "RoutemapSans-Bold.ttf"}


@dataclass(frozen=True)
class FontMetrics:
    weight: str
    units_per_em: int
    ascent: int
    descent: int  # positive
    advances: dict[str, int]
    fallback: int

    def width(self, text: str, size: float) -> float:
        adv = self.advances
        return sum(adv.get(ch, self.fallback) for ch in text) * size / self.units_per_em

    def line_height(self, size: float) -> float:
        return (self.ascent + self.descent) * size / self.units_per_em

    def baseline(self, size: float) -> float:
        """Distance from the top of a line box to its baseline."""
        return self.ascent * size / self.units_per_em


@lru_cache(maxsize=4)
def metrics(weight: str = "regular") -> FontMetrics:
    font = TTFont(FONT_DIR / FONT_FILES[weight], lazy=True)
    cmap = font.getBestCmap()
    hmtx = font["hmtx"]
    advances = {chr(code): hmtx[glyph][0] for code, glyph in cmap.items()}
    hhea = font["hhea"]
    return FontMetrics(
        weight=weight,
        units_per_em=font["head"].unitsPerEm,
        ascent=hhea.ascent,
        descent=-hhea.descent,
        advances=advances,
        # a character the subset lacks is drawn with the fallback (.notdef) glyph's width
        fallback=hmtx[".notdef"][0],
    )


def wrap(
    text: str, size: float, max_width: float, weight: str = "regular", max_lines: int = 3
) -> list[str]:
    """Break a label into at most ``max_lines`` lines no wider than ``max_width`` if possible.

    Words are never split; when the words do not fit in ``max_lines`` lines the last line
    takes the rest (the label grows wider rather than losing text).
    """
    m = metrics(weight)
    words = text.split()
    if not words:
        return [""]
    lines: list[str] = []
    current = words[0]
    for word in words[1:]:
        trial = f"{current} {word}"
        if m.width(trial, size) <= max_width:
            current = trial
        else:
            lines.append(current)
            current = word
    lines.append(current)
    if len(lines) > max_lines:
        lines = lines[: max_lines - 1] + [" ".join(lines[max_lines - 1 :])]
    return lines


def text_box(lines: list[str], size: float, weight: str = "regular") -> tuple[float, float]:
    m = metrics(weight)
    width = max(m.width(line, size) for line in lines)
    return width, m.line_height(size) * len(lines)
