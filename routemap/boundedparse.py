"""JSON and YAML read within limits: nesting depth, the length of a number, no YAML aliases.

Python's parsers recurse once per level of nesting and turn any string of digits into an
``int``: a 900-deep document raises RecursionError (after a second or more, with a traceback
of thousands of lines) and a 5,000-digit number ValueError. Every parser of outside input —
the API's bodies, Dash's callbacks, answers files, the data files — reads through here, so
such input gets a :class:`TooComplex` or :class:`Unreadable` naming what is wrong and where.
"""

from __future__ import annotations

import json
import re
from typing import Any

import yaml

MAX_DEPTH = 32  # answers need 3 levels, the data files 6
MAX_DIGITS = 30  # digits in one number (a staff count needs 6)

# The safe loader, in C where PyYAML was built with libyaml; pure Python otherwise.
YamlLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class Unreadable(ValueError):
    """Not JSON or YAML at all; ``line`` is where the parser gave up (1-based), if known."""

    def __init__(self, message: str, line: int | None = None):
        super().__init__(message)
        self.message = message
        self.line = line


class TooComplex(Unreadable):
    """Well-formed, but beyond a limit: nested too deeply, a number too long, an alias."""


def _too_deep(line: int | None = None) -> TooComplex:
    return TooComplex(f"nested more than {MAX_DEPTH} levels deep", line)


def _too_long(line: int | None = None) -> TooComplex:
    return TooComplex(f"a number longer than {MAX_DIGITS} digits", line)


def depth_within(data: Any, limit: int = MAX_DEPTH) -> bool:
    """True when lists and mappings in ``data`` nest at most ``limit`` deep (no recursion)."""
    stack = [(data, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            children = list(item.values())
        elif isinstance(item, list | tuple):
            children = list(item)
        else:
            continue
        if depth > limit:
            return False
        stack.extend((child, depth + 1) for child in children)
    return True


_JSON_STRING = re.compile(r'"(?:[^"\\\n]|\\.)*"')
_BRACKET = re.compile(r"[\[\]{}\n]")


def _json_deep_line(text: str) -> int | None:
    """The line where JSON text first nests too deeply (brackets in strings ignored)."""
    depth, line = 0, 1
    for match in _BRACKET.finditer(_JSON_STRING.sub('""', text)):
        char = match.group()
        if char == "\n":
            line += 1
        elif char in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                return line
        else:
            depth -= 1
    return None


class _NumberTooLong(Exception):
    pass


def _bounded_int(text: str) -> int:
    if len(text.lstrip("-")) > MAX_DIGITS:
        raise _NumberTooLong
    return int(text)


def _bounded_float(text: str) -> float:
    if len(text) > MAX_DIGITS + 10:  # digits, a point and an exponent
        raise _NumberTooLong
    return float(text)


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON value")


def load_json(raw: str | bytes) -> Any:
    """JSON, or :class:`Unreadable` (:class:`TooComplex` for a limit) naming the line."""
    text = raw.decode("utf-8") if isinstance(raw, bytes) else raw
    try:
        data = json.loads(
            text,
            parse_int=_bounded_int,
            parse_float=_bounded_float,
            parse_constant=_no_constant,
        )
    except RecursionError:
        raise _too_deep(_json_deep_line(text)) from None
    except _NumberTooLong:
        raise _too_long() from None
    except json.JSONDecodeError as exc:
        raise Unreadable("not valid JSON", exc.lineno) from None
    except ValueError:  # NaN or Infinity
        raise Unreadable("not valid JSON") from None
    if not depth_within(data):
        raise _too_deep(_json_deep_line(text))
    return data


_NUMBER_TAGS = ("tag:yaml.org,2002:int", "tag:yaml.org,2002:float")
_RESOLVER = yaml.resolver.Resolver()


def check_yaml(text: str) -> None:
    """Walk YAML's events (no recursion, no values built): raise :class:`TooComplex` for
    nesting beyond MAX_DEPTH, an over-long number or an alias; PyYAML's own
    ``MarkedYAMLError`` for text that is not YAML."""
    depth = 0
    for event in yaml.parse(text, Loader=YamlLoader):
        line = event.start_mark.line + 1 if event.start_mark else None
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                raise _too_deep(line)
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1
        elif isinstance(event, yaml.AliasEvent):
            raise TooComplex(
                f"YAML aliases (*{event.anchor}) are not allowed; write the value out", line
            )
        elif isinstance(event, yaml.ScalarEvent) and event.implicit[0]:
            value = event.value
            if len(value) > MAX_DIGITS and (
                _RESOLVER.resolve(yaml.ScalarNode, value, (True, False)) in _NUMBER_TAGS
            ):
                raise _too_long(line)


def load_yaml(text: str) -> Any:
    """YAML's data (safe types only), or :class:`Unreadable` naming the line."""
    try:
        check_yaml(text)
        return yaml.load(text, Loader=YamlLoader)  # noqa: S506 - the safe loader
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        raise Unreadable("not valid YAML", mark.line + 1 if mark else None) from None
    except yaml.YAMLError:
        raise Unreadable("not valid YAML") from None
