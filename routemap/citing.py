"""How a source is described to a reader: who published it, when, what kind of page it is,
whether and when it was checked, and which of a station's facts it backs.

One place makes these words, so the app, the API, the offline export and the CLI say the same.
"""

from __future__ import annotations

from .models import FACT_LABELS, Source, Station, date_words, host_of

KIND_WORDS = {
    "archive": "archived copy kept by the National Archives",
    "commentary": "commentary",
    "copy": "a copy, not the original",
}


def source_meta(src: Source) -> str:
    """'Gateley, commentary, published 2024; checked December 2026', and where the fact was
    read when that is not the page linked: '...; checked December 2026, read at bailii.org'."""
    first = [src.publisher or "", KIND_WORDS.get(src.kind, "")]
    if src.published:
        first.append(f"published {date_words(src.published)}")
    head = ", ".join(x for x in first if x)
    check = f"checked {date_words(src.checked)}" if src.checked else "not confirmed"
    if src.checked and src.read_at:
        check += f", read at {host_of(src.read_at)}"
    return f"{head}; {check}" if head else check


def backs(station: Station, source_id: str) -> list[str]:
    """The station's facts this source is cited for on its own, in words ('what it costs')."""
    return [FACT_LABELS[f] for f, ids in station.fact_sources().items() if source_id in ids]


def backs_words(station: Station, source_id: str) -> str:
    """'' or 'For what it costs.' / 'For how long it takes and what it costs.'"""
    facts = backs(station, source_id)
    return f"For {' and '.join(facts)}." if facts else ""
