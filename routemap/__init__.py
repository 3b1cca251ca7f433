"""routemap: the routes by which a public-sector team can spin out, as data, map and route."""

from .core import RouteMap, UnknownId
from .problems import DataError, Problem

__all__ = ["RouteMap", "UnknownId", "DataError", "Problem"]
