"""Static exports of the map, all drawn from the one geometry and written atomically.

Formats: svg, png, pdf, html (offline, interactive), json (the geometry exchange format), and
for a personalised route (``answers``) a checklist as md or csv. The same data gives the same
bytes.
"""

from __future__ import annotations

import errno
import json
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .atomic import NotRegular, special_kind, write_bytes_atomic
from .core import RouteMap, UnknownId
from .layout.paper import LEGIBLE_PT, PAPER_MM, label_points, page_viewbox

FORMATS = ("svg", "png", "pdf", "html", "json", "md", "csv")
PAPERS = tuple(PAPER_MM)
MEDIA_TYPES = {
    "svg": "image/svg+xml",
    "png": "image/png",
    "pdf": "application/pdf",
    "html": "text/html; charset=utf-8",
    "json": "application/json",
    "md": "text/markdown; charset=utf-8",
    "csv": "text/csv; charset=utf-8",
}


class ExportError(Exception):
    """A bad export request: the message names the option or path that is wrong."""


@dataclass(frozen=True)
class ExportOptions:
    fmt: str
    answers: Any = None  # a routemap.route.Profile, for a personalised route
    line: str | None = None
    scale: float = 1.0
    paper: str = "A3"
    title: str | None = None

    def check(self, rm: RouteMap) -> None:
        if self.fmt not in FORMATS:
            raise ExportError(f"unknown format '{self.fmt}' (choose from: {', '.join(FORMATS)})")
        if self.paper not in PAPERS:
            raise ExportError(f"unknown paper '{self.paper}' (choose from: {', '.join(PAPERS)})")
        if not 0.1 <= self.scale <= 8:
            raise ExportError(f"scale {self.scale} is out of range (0.1 to 8)")
        if self.line is not None:
            try:
                rm.line(self.line)
            except UnknownId:
                raise ExportError(
                    f"unknown line '{self.line}' (known: {', '.join(rm.lines)})"
                ) from None
        if self.fmt in ("md", "csv") and self.answers is None:
            raise ExportError(f"--format {self.fmt} is a route checklist: give --answers FILE")
        if self.title is not None and not (0 < len(self.title.strip()) <= 120):
            raise ExportError("title must be 1 to 120 characters")


def _footer(rm: RouteMap, paper: str | None = None) -> list[str]:
    out = [
        f"Facts last checked {rm.info.facts_checked}. Every station cites its public sources "
        "in the routemap data. Not legal advice."
    ]
    if paper is not None:
        points = label_points(rm.geometry)
        if points[paper] < LEGIBLE_PT:
            legible = next((p for p in PAPER_MM if points[p] >= LEGIBLE_PT), None)
            note = f"An overview: on {paper} the smallest labels print at {points[paper]:.1f} pt"
            if legible:
                note += f"; print on {legible} or larger for labels of {LEGIBLE_PT:g} pt or more"
            out.append(note + ".")
    return out


def _highlight(rm: RouteMap, opts: ExportOptions, result):
    """What the drawing brings forward: the route (named, with its progress) or a line."""
    from .render.highlight import line_highlight, route_highlight

    if result is not None and result.steps:
        return route_highlight(result)
    if opts.line:
        return line_highlight(rm, opts.line)
    return None


def render(
    rm: RouteMap, opts: ExportOptions, progress: Callable[[str], None] | None = None
) -> bytes:
    """The file's bytes. ``progress`` is told each stage (for a progress bar)."""
    opts.check(rm)
    tick = progress or (lambda stage: None)
    result = None
    if opts.answers is not None:
        from .route import find_route

        tick("route")
        result = find_route(rm, opts.answers)
    if opts.fmt in ("md", "csv"):
        from .render.checklist import checklist_csv, checklist_markdown

        tick("checklist")
        text = (checklist_markdown if opts.fmt == "md" else checklist_csv)(rm, result)
        return text.encode("utf-8")
    tick("layout")
    _ = rm.geometry
    if opts.fmt == "json":
        doc = {
            "format": "routemap-geometry",
            "version": 1,
            "title": opts.title or rm.info.title,
            "facts_as_of": rm.info.facts_as_of,
            **rm.geometry.to_json(),
        }
        return (json.dumps(doc, indent=1, ensure_ascii=False) + "\n").encode("utf-8")
    highlight = _highlight(rm, opts, result)
    if opts.fmt == "html":
        from .render.html import render_html

        tick("html")
        return render_html(rm, title=opts.title, highlight=highlight).encode("utf-8")
    from .render.svg import render_svg

    tick("svg")
    # rasters take the font from fontconfig, so their SVG skips the embedded copy (which
    # cairosvg would parse for nothing)
    footer = _footer(rm, opts.paper if opts.fmt == "pdf" else None)
    if highlight is not None and highlight.summary:
        footer.insert(0, highlight.summary)
    svg = render_svg(
        rm,
        highlight=highlight,
        footer=footer,
        title=opts.title,
        embed_font=opts.fmt == "svg",
    )
    if opts.fmt == "svg":
        return svg.encode("utf-8")
    from .render import raster

    tick(opts.fmt)
    if opts.fmt == "png":
        return raster.png(svg, opts.scale)
    viewbox = page_viewbox(rm.geometry, opts.paper, len(footer))
    return raster.pdf(svg, opts.paper, rm.info.facts_as_of, viewbox)


def check_target(path: Path) -> None:
    """Fail early, with a clear message, if the output path cannot be written."""
    parent = path.parent if str(path.parent) else Path(".")
    kind = special_kind(path)
    if kind == "a directory":
        raise ExportError(f"'{path}' is a directory; give a file name")
    if kind is not None:
        raise ExportError(not_regular(path, kind))
    if not parent.exists():
        raise ExportError(f"cannot write '{path}': folder '{parent}' does not exist")
    if not parent.is_dir():
        raise ExportError(f"cannot write '{path}': '{parent}' is not a folder")
    if not os.access(parent, os.W_OK):
        raise ExportError(f"cannot write '{path}': no permission to write in '{parent}'")
    if path.exists() and not os.access(path, os.W_OK):
        raise ExportError(f"cannot write '{path}': the file is read-only")


def export(
    rm: RouteMap,
    opts: ExportOptions | str,
    path: str | Path,
    progress: Callable[[str], None] | None = None,
) -> Path:
    if isinstance(opts, str):
        opts = ExportOptions(fmt=opts)
    path = Path(path)
    check_target(path)
    data = render(rm, opts, progress)
    if progress:
        progress("write")
    try:
        return write_bytes_atomic(path, data)
    except NotRegular as exc:
        raise ExportError(not_regular(path, exc.kind)) from None
    except OSError as exc:
        raise ExportError(f"cannot write '{path}': {write_problem(exc, path)}") from None


def not_regular(path: Path, kind: str) -> str:
    return (
        f"cannot write '{path}': it is {kind}, not a regular file, and would be replaced; "
        "give the path of a regular file or a new name"
    )


def write_problem(exc: OSError, path: Path) -> str:
    """Words for a failed write that name the cause (the system's own words can mislead: a
    folder such as /proc answers 'No such file or directory' to a new file in it)."""
    parent = path.parent if str(path.parent) else Path(".")
    if exc.errno == errno.ENOENT and parent.is_dir():
        return f"the folder '{parent}' does not take new files"
    if exc.errno == errno.EROFS:
        return f"'{parent}' is on a read-only file system"
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return f"no space left for it in '{parent}' (the disk or your quota is full)"
    if exc.errno in (errno.EACCES, errno.EPERM):
        return f"no permission to write in '{parent}'"
    return exc.strerror or str(exc)
