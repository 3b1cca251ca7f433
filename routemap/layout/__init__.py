"""Tube-map geometry computed from the graph alone: no one ever types a coordinate.

The names below load on first use, so reading the layout lock (``layout.lock``, which
validation does) does not load the engine and its font metrics.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .engine import LayoutParams, compute_layout
    from .geometry import Box, Geometry, LineGeom, StationGeom, Stroke

__all__ = ["LayoutParams", "compute_layout", "Box", "Geometry", "LineGeom", "StationGeom", "Stroke"]

_WHERE = {"LayoutParams": "engine", "compute_layout": "engine"}


def __getattr__(name: str):
    if name not in __all__:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from importlib import import_module

    value = getattr(import_module(f".{_WHERE.get(name, 'geometry')}", __name__), name)
    globals()[name] = value
    return value
