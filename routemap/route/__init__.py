"""The personalised route: profile -> rules -> route finder -> reasons; and readiness."""

from .finder import RouteResult, find_route, routing_index
from .profile import AnswersError, Profile, parse_answers, read_answers_file
from .readiness import readiness

__all__ = [
    "AnswersError",
    "Profile",
    "RouteResult",
    "find_route",
    "parse_answers",
    "read_answers_file",
    "readiness",
    "routing_index",
]
