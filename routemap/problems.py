"""Problems found in map data, reported all at once as ``file: key.path: message``.

Validation never stops at the first problem: an adviser fixing a data file wants the whole
list in one go. Every front door (CLI, app start-up, tests) prints the same lines.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, order=True)
class Problem:
    file: str
    path: str
    message: str
    line: int | None = None
    # a warning does not stop the map loading; it asks a person to look (e.g. a source on an
    # unofficial host that is not marked as a copy or commentary)
    warning: bool = False

    def __str__(self) -> str:
        where = f"{self.path}: " if self.path else ""
        at = f" (line {self.line})" if self.line else ""
        return f"{self.file}: {where}{'warning: ' if self.warning else ''}{self.message}{at}"


class DataError(Exception):
    """The map data is not valid; carries every problem found."""

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


def format_path(parts: tuple | list) -> str:
    """('stations', 3, 'name') -> 'stations[3].name'."""
    out = ""
    for part in parts:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


def kind_of(value: Any) -> str:
    """What a value read from YAML is, in a data editor's words ('a list', 'text'...)."""
    if value is None:
        return "empty"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, str):
        return "text"
    return type(value).__name__
