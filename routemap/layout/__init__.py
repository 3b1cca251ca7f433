"""Tube-map geometry computed from the graph alone: no one ever types a coordinate."""

from .engine import LayoutParams, compute_layout
from .geometry import Box, Geometry, LineGeom, StationGeom, Stroke

__all__ = ["LayoutParams", "compute_layout", "Box", "Geometry", "LineGeom", "StationGeom", "Stroke"]
