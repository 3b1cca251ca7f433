"""The offline interactive page: one self-contained HTML file, no network request of any kind.

The page is a Jinja2 template (``offline/page.html``) with its CSS and script beside it
(``offline/offline.css``, ``offline/offline.js``), all inlined into the one file; the font is
embedded in the SVG. This module only gathers what the page shows, as typed values. The whole
map is also written out as text (every line as a numbered list, every station's details with
its sources), so the page reads fully with JavaScript off. With JavaScript on, a station click
(or Enter on a focused station) shows its details beside the map, a legend entry isolates its
line, the search box finds a station by name or form code, and Escape resets. The map opens at
a zoom where its labels read, and zooms (buttons, Ctrl + wheel) and pans (drag, scroll). A
Content-Security-Policy meta tag forbids every fetch, so nothing can call home.
"""

from __future__ import annotations

import base64
import hashlib
import json
from dataclasses import dataclass, field
from functools import cache
from html import escape
from pathlib import Path

from markupsafe import Markup

from ..citing import backs_words, source_meta
from ..core import RouteMap
from ..models import end_words
from ..stationview import station_view
from .highlight import Highlight
from .svg import render_svg

HERE = Path(__file__).resolve().parent / "offline"


@dataclass(frozen=True)
class Item:
    text: str
    href: str = ""
    meta: str = ""  # a source's kind, date and check
    backs: str = ""  # which of the station's words a source backs


@dataclass(frozen=True)
class Row:
    """One line of a station's details: plain text, a list, links, or sources."""

    label: str
    kind: str  # "text" | "items" | "links" | "sources"
    text: str = ""
    items: tuple[Item, ...] = ()


@dataclass(frozen=True)
class StationRows:
    """A station's details as the offline page lists them (rows built from the one
    ``stationview.StationView``, whose name this must not be mistaken for)."""

    id: str
    name: str
    summary: str
    rows: tuple[Row, ...]


@dataclass(frozen=True)
class Stop:
    id: str
    name: str
    others: tuple[str, ...]  # the other lines one can change to here


@dataclass(frozen=True)
class LineView:
    id: str
    name: str
    summary: str
    regulator: str
    historical: bool
    opened: str
    closed: str
    stops: tuple[Stop, ...] = field(default_factory=tuple)


@cache
def _environment():
    from jinja2 import Environment, FileSystemLoader, StrictUndefined

    return Environment(
        loader=FileSystemLoader(HERE),
        autoescape=True,
        undefined=StrictUndefined,
        keep_trailing_newline=True,
    )


@cache
def _asset(name: str) -> str:
    return (HERE / name).read_text(encoding="utf-8")


def _station(rm: RouteMap, sid: str) -> StationRows:
    """A station's rows for the offline page, worded by the one station view (as the pages,
    the API and ``routemap inspect`` word it)."""
    view = station_view(rm, sid)
    st = view.station
    rows = [
        Row("Kind", "text", view.kind_label),
        Row("Who is involved", "text", "; ".join(st.who)),
    ]
    if view.documents:
        rows.append(Row("Forms and documents", "items", items=tuple(map(Item, view.documents))))
    rows.append(Row("Duration", "text", st.duration.text))
    rows.append(Row("Cost", "text", st.cost.text))
    if st.status == "historical":
        rows.append(Row("Status", "text", f"Historical: {end_words(st) or 'closed'}"))
    if st.eligibility:
        rows.append(Row("Eligibility", "text", st.eligibility))
    rows.append(
        Row("Lines", "links", items=tuple(Item(ln.label, f"#line-{ln.id}") for ln in view.lines))
    )
    nbrs = sorted(
        {n.id: n.name for n in view.before + view.after}.items(), key=lambda pair: rm.rank[pair[0]]
    )
    if nbrs:
        rows.append(Row("Next to", "links", items=tuple(Item(n, f"#st-{s}") for s, n in nbrs)))
    if view.support:
        items = tuple(Item(name, f"#st-{s}") for s, name in view.support)
        rows.append(Row("Support offers", "links", items=items))
    for text in view.examples:
        rows.append(Row("Seen in practice", "text", text))
    if st.note:
        rows.append(Row("Note", "text", st.note))
    sources = tuple(
        Item(rm.sources[k].title, rm.sources[k].url, source_meta(rm.sources[k]), backs_words(st, k))
        for k in st.all_sources()
    )
    rows.append(Row("Sources", "sources", items=sources))
    return StationRows(sid, st.name, st.summary, tuple(rows))


def _line(rm: RouteMap, ln) -> LineView:
    stops = tuple(
        Stop(
            sid,
            rm.stations[sid].name,
            tuple(rm.lines[x].name for x in rm.lines_at[sid] if x != ln.id),
        )
        for sid in ln.stations
    )
    return LineView(
        ln.id,
        ln.name,
        ln.summary,
        ln.regulator,
        ln.status == "historical",
        ln.opened or "",
        ln.closed or ("no end recorded" if ln.no_end_recorded else ""),
        stops,
    )


def render_html(
    rm: RouteMap, *, title: str | None = None, highlight: Highlight | None = None
) -> str:
    svg = render_svg(rm, interactive=True, title=title, highlight=highlight, xml_declaration=False)
    # stations carry their lines and name for the script's isolate and search
    for st in rm.geometry.stations:
        svg = svg.replace(
            f'data-station="{st.id}"',
            f'data-station="{st.id}" data-lines="{" ".join(st.lines)}" '
            f'data-name="{escape(st.name)}"',
            1,
        )
    codes = {code: sids[0] for code, sids in rm.forms.items()}
    codes_json = json.dumps(codes, sort_keys=True).replace("<", "\\u003c")
    script = _asset("offline.js")
    script_hash = base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode()
    csp = (
        "default-src 'none'; img-src data:; font-src data:; style-src 'unsafe-inline'; "
        f"script-src 'sha256-{script_hash}'; base-uri 'none'; form-action 'none'"
    )
    return (
        _environment()
        .get_template("page.html")
        .render(
            csp=csp,
            heading=title
            or (f"{highlight.title}: {highlight.subtitle}" if highlight and highlight.title else "")
            or rm.info.title,
            info=rm.info,
            css=Markup(_asset("offline.css")),
            svg=Markup(svg),  # drawn by render_svg, which escapes every text it writes
            lines=[_line(rm, ln) for ln in rm.data.lines],
            stations=[_station(rm, sid) for sid in rm.order],
            codes_json=Markup(codes_json),
            script=Markup(script),
        )
    )
