"""Static exports of the map, all drawn from the one geometry and written atomically."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from .atomic import write_bytes_atomic
from .core import RouteMap

FORMATS = ("svg", "json")


class ExportError(Exception):
    """A bad export request: the message names the option or path that is wrong."""


@dataclass(frozen=True)
class ExportOptions:
    fmt: str
    title: str | None = None


def geometry_json(rm: RouteMap) -> bytes:
    g = rm.geometry
    doc = {
        "format": "routemap-geometry",
        "version": 1,
        "title": rm.info.title,
        "facts_as_of": rm.info.facts_as_of,
        **g.to_json(),
    }
    return (json.dumps(doc, indent=1, ensure_ascii=False) + "\n").encode("utf-8")


def svg_bytes(rm: RouteMap) -> bytes:
    from .render.svg import render_svg

    footer = [
        f"Facts as of {rm.info.facts_as_of}. Sources for every station are listed in "
        "the routemap data (graph_data/sources.yaml). Not legal advice."
    ]
    return render_svg(rm, footer=footer).encode("utf-8")


RENDERERS: dict[str, Callable[[RouteMap], bytes]] = {"svg": svg_bytes, "json": geometry_json}


def render(rm: RouteMap, fmt: str) -> bytes:
    try:
        renderer = RENDERERS[fmt]
    except KeyError:
        raise ExportError(f"unknown format '{fmt}' (choose from: {', '.join(FORMATS)})") from None
    return renderer(rm)


def check_target(path: Path) -> None:
    """Fail early, with a clear message, if the output path cannot be written."""
    parent = path.parent if str(path.parent) else Path(".")
    if path.is_dir():
        raise ExportError(f"'{path}' is a directory; give a file name")
    if not parent.exists():
        raise ExportError(f"cannot write '{path}': folder '{parent}' does not exist")
    if not parent.is_dir():
        raise ExportError(f"cannot write '{path}': '{parent}' is not a folder")
    import os

    if not os.access(parent, os.W_OK):
        raise ExportError(f"cannot write '{path}': no permission to write in '{parent}'")


def export(rm: RouteMap, fmt: str, path: str | Path) -> Path:
    path = Path(path)
    check_target(path)
    data = render(rm, fmt)
    try:
        return write_bytes_atomic(path, data)
    except OSError as exc:
        raise ExportError(f"cannot write '{path}': {exc.strerror or exc}") from None
