"""Dash components written out as HTML on the server, so a page reads with JavaScript off.

The pages are built once, as Dash component trees (``components.py``, ``routepage.py``…); this
turns such a tree into HTML text for the server-rendered pages, so the page without
JavaScript and the page Dash draws say the same words in the same structure. Every text and
attribute value is escaped (``markupsafe``): data text stays text.

Components with no HTML of their own (``dcc.Store``, ``dcc.Location``) write nothing; the map
(a Cytoscape) and other browser-only widgets are swapped by ``replace``: a function given each
component first, answering the HTML to write instead (or ``None`` to write it as usual).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from markupsafe import Markup, escape

VOID = frozenset({"area", "br", "col", "hr", "img", "input", "link", "meta", "source", "wbr"})
# Dash props that are React state, not HTML attributes
SKIP_PROPS = frozenset(
    {
        "children",
        "n_clicks",
        "n_clicks_timestamp",
        "n_submit",
        "n_submit_timestamp",
        "n_blur",
        "n_blur_timestamp",
        "disable_n_clicks",
        "loading_state",
        "key",
        "setProps",
        "debounce",
        "persistence",
        "persisted_props",
        "persistence_type",
    }
)
RENAMED = {"className": "class", "htmlFor": "for"}
SILENT = frozenset({"Store", "Location", "Interval"})  # dcc components with no HTML
DCC_TAGS = {"Input": "input", "Link": "a", "Textarea": "textarea"}
_CAMEL = re.compile(r"(?<!^)(?=[A-Z])")

Replace = Callable[[object], "Markup | None"]


def css(style: dict) -> str:
    """A React style dict as CSS text (``fontSize`` → ``font-size``; ``--var`` kept)."""
    parts = []
    for key, value in style.items():
        name = key if key.startswith("--") else _CAMEL.sub("-", key).lower()
        parts.append(f"{name}:{value}")
    return ";".join(parts)


def attribute(name: str, value) -> str | None:
    """One attribute as ``name="value"`` (escaped), or None when it writes nothing."""
    if value is None or value is False:
        return None
    name = RENAMED.get(name, name)
    if not (name.startswith(("aria-", "data-")) or name == "class"):
        name = name.lower()  # tabIndex → tabindex, autoComplete → autocomplete
    if name == "id" and not isinstance(value, str):
        return None  # a pattern-matching id lives only in Dash
    if name == "style" and isinstance(value, dict):
        value = css(value)
    if value is True:
        return name
    return f'{name}="{escape(value)}"'


def tag_of(component) -> str | None:
    """The HTML tag a component writes, or None when it writes nothing by itself."""
    namespace = getattr(component, "_namespace", "")
    kind = getattr(component, "_type", "")
    if namespace == "dash_html_components":
        return kind.lower()
    if namespace == "dash_core_components":
        if kind in SILENT:
            return None
        return DCC_TAGS.get(kind)
    return None


def to_html(node, replace: Replace | None = None) -> Markup:
    """``node`` (a component, text, a number, None or a list of them) as HTML."""
    out: list[str] = []
    _write(node, replace, out)
    return Markup("".join(out))


def _write(node, replace: Replace | None, out: list[str]) -> None:
    if node is None or node is False or node is True:
        return
    if isinstance(node, str):
        out.append(str(escape(node)))
        return
    if isinstance(node, (int, float)):
        out.append(str(node))
        return
    if isinstance(node, Iterable) and not hasattr(node, "_type"):
        for child in node:
            _write(child, replace, out)
        return
    if replace is not None:
        swapped = replace(node)
        if swapped is not None:
            out.append(str(swapped))
            return
    tag = tag_of(node)
    if tag is None:
        return
    props = {
        name: getattr(node, name)
        for name in node._prop_names  # noqa: SLF001 - Dash's declared props
        if name not in SKIP_PROPS and getattr(node, name, None) is not None
    }
    # wildcard props (aria-*, data-*) are set as attributes, not declared
    for name in getattr(node, "_valid_wildcard_attributes", ()):
        for key, value in vars(node).items():
            if key.startswith(name) and value is not None:
                props[key] = value
    attrs = [a for a in (attribute(k, v) for k, v in props.items()) if a]
    out.append(f"<{tag}" + "".join(" " + a for a in attrs) + ">")
    if tag in VOID:
        return
    _write(getattr(node, "children", None), replace, out)
    out.append(f"</{tag}>")
