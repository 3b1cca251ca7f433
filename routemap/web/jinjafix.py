"""Jinja's autoescape without MarkupSafe 3's Python layers: the one Jinja workaround, kept here
as Dash's are in ``explorer/dashfix.py``.

Every ``{{ … }}`` in a page calls ``markupsafe.escape``. Since MarkupSafe 3 that is a Python
function around the C escaper, and it builds its result through ``Markup.__new__``, Python too:
two Python calls for each value, about 530 of them on a route page. The pages' templates call
``escape`` below instead: the same C escaper and the same result, in one Python call.
``tests/test_jinjafix.py`` holds it to MarkupSafe's own ``escape``, and the pages to the same
bytes with either.
"""

from __future__ import annotations

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


def escape(s: Any, /) -> Markup:
    """``markupsafe.escape``, one Python call for a plain string or a number, and a page's
    parts already made safe (``Markup``) passed on as they are."""
    cls = type(s)
    if cls is str:
        return _markup(Markup, _escape_inner(s))
    if cls is Markup:  # a macro's output, the map: itself, not a copy (a str never changes)
        return s
    if hasattr(s, "__html__"):
        return Markup(s.__html__())
    return _markup(Markup, _escape_inner(str(s)))


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
