"""The personalised route: profile -> rules -> composed route with reasons; what next; what if."""

from .compose import find_route, route_model
from .profile import AnswersError, Profile, parse_answers, read_answers_file
from .readiness import readiness
from .results import NextResult, RouteResult, WhatIf

__all__ = [
    "AnswersError",
    "NextResult",
    "Profile",
    "RouteResult",
    "WhatIf",
    "find_route",
    "parse_answers",
    "read_answers_file",
    "readiness",
    "route_model",
]
