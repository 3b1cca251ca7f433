"""Jinja's autoescape without MarkupSafe 3's Python layers, and in ASCII: the one Jinja
workaround, kept here as Dash's are in ``explorer/dashfix.py``.

Every ``{{ … }}`` in a page calls ``markupsafe.escape``. Since MarkupSafe 3 that is a Python
function around the C escaper, and it builds its result through ``Markup.__new__``, Python too:
two Python calls for each value, about 500 of them on a route page. The pages' templates call
``escape`` below instead: the same C escaper in one Python call, and a character outside ASCII
written as a character reference (``£`` as ``&#163;``), which a browser reads as the same
text. With the templates' own text and the map's drawing in ASCII too, a page is ASCII
throughout: Python joins it and encodes it as bytes a byte a character, where one "·" made
the whole page two bytes a character, joined and then encoded character by character.
``tests/test_jinjafix.py`` holds it to MarkupSafe's own ``escape`` (the same text once the
references are read), and the pages to the same text with either.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

import markupsafe
from flask import Flask
from flask.templating import Environment as FlaskEnvironment
from jinja2 import Template
from markupsafe import Markup

try:
    from markupsafe import _escape_inner  # the C escaper (or its Python fallback)
except ImportError:  # a MarkupSafe without it: its own escape is kept
    _escape_inner = None

_markup = str.__new__  # a Markup of a plain str, without Markup.__new__'s checks


_C1 = re.compile("[\x80-\x9f]")


@lru_cache(maxsize=8192)  # the map's words come back on every page: each made once
def ascii_html(text: str) -> str:
    """``text`` with every character outside ASCII as a character reference; as it is if it
    holds a C1 control character, whose reference HTML reads as another character (``&#128;``
    is "€")."""
    if text.isascii() or _C1.search(text):
        return text
    return text.encode("ascii", "xmlcharrefreplace").decode("ascii")


def escape(s: Any, /) -> Markup:
    """``markupsafe.escape`` in ASCII, one Python call for a plain string or a number; a
    page's parts already made safe (``Markup``) are passed on as they are."""
    cls = type(s)
    if cls is str:
        s = _escape_inner(s)
        return _markup(Markup, s if s.isascii() else ascii_html(s))
    if cls is Markup:  # a macro's output, the map: itself, not a copy (a str never changes)
        return s
    if hasattr(s, "__html__"):
        return Markup(s.__html__())
    return _markup(Markup, ascii_html(_escape_inner(str(s))))


class FastEscapeTemplate(Template):
    """A template whose output calls ``escape`` above. A compiled template's code imports
    ``escape`` into its own namespace, which its render functions read at every call."""

    @classmethod
    def _from_namespace(cls, environment, namespace, globals):  # noqa: A002 - Jinja's name
        if _escape_inner is not None and namespace.get("escape") is markupsafe.escape:
            namespace["escape"] = escape
        return super()._from_namespace(environment, namespace, globals)


class Environment(FlaskEnvironment):
    template_class = FastEscapeTemplate


def install(app: Flask) -> None:
    """Before anything reads ``app.jinja_env``: Flask makes it, once, from this class."""
    if "jinja_env" in app.__dict__:
        raise RuntimeError("install the Jinja environment before the app's templates are used")
    app.jinja_environment = Environment
