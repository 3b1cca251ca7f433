"""The route, the adviser view and the print view as server-rendered HTML.

They are drawn from the route pages' own pieces (``routepage.RoutePages.route_content``,
``adviserpage.AdviserPages.content`` / ``print_content``), each reached through one small
function here, so a change in how those pages are built needs a change in one place only.
What needs a browser is swapped for a form: marking a step is a GET form whose fields are the
new link, pasting a link is a form to ``/adviser/open``, the route map is the inline SVG with
the route drawn and everything else faded.
"""

from __future__ import annotations

from collections.abc import Callable

from markupsafe import Markup

from ...core import RouteMap
from ...route.profile import MAX_NOTE
from ..adviserpage import AdviserPages, full_link
from ..answerlink import PASTE_BOX, parse_link, profile_pairs, with_progress
from ..routepage import RoutePages
from .htmlout import to_html
from .mapsvg import MapSvg

Replace = Callable[[object], "Markup | None"]


def svg_highlight(data: dict | None) -> dict | None:
    """What the SVG map draws for a route, from what the interactive map is given (the route
    pages' highlight: the route's edge ids ``e-<line>--<from>--<to>`` and its stations)."""
    if not data or not data.get("stations"):
        return None
    strokes = set()
    for eid in data.get("edges", ()):
        head, a, b = eid.split("--")
        strokes.add((head.removeprefix("e-"), a, b))
    return {"strokes": strokes, "lines": set(), "stations": set(data["stations"])}


def search(query: str) -> str:
    """A query string as the browser's ``location.search`` has it ("?a=b", or "")."""
    return "?" + query if query and not query.startswith("?") else query


def hidden_fields(pairs) -> Markup:
    return Markup("").join(
        Markup('<input type="hidden" name="{}" value="{}">').format(k, v) for k, v in pairs
    )


def svg_block(svg: Markup, ident: str) -> Markup:
    return (
        Markup('<div class="rm-map-canvas rm-map-svg" id="{}" tabindex="-1">').format(ident)
        + svg
        + Markup("</div>")
    )


class RouteViews:
    """The HTML of ``/route?…``, ``/adviser?…`` and ``/adviser/print?…``."""

    def __init__(
        self,
        rm: RouteMap,
        route_pages: RoutePages,
        adviser_pages: AdviserPages,
        svg: MapSvg,
        base: Callable[[str], Replace],
    ):
        self.rm = rm
        self.route_pages = route_pages
        self.adviser_pages = adviser_pages
        self.svg = svg
        self.base = base

    # -- /route?… ----------------------------------------------------------------------------
    def route(self, query: str, shell: Callable[[object], object]) -> tuple[Markup, str]:
        """The route page's HTML and its title."""
        top, steps, more, hidden, highlight = self.route_pages.route_content(query)
        filled = {"rt-top": top, "rt-steps": steps, "rt-more": more}
        svg = None if hidden else self.svg.highlighted(svg_highlight(highlight))
        page = to_html(
            shell(self.route_pages.route_shell()), self._filler(filled, hidden, svg, "rt")
        )
        first = top[0] if top else None
        return page, getattr(first, "__dict__", {}).get("data-doc-title", "Your route")

    # -- /adviser?… --------------------------------------------------------------------------
    def adviser(self, query: str, shell: Callable[[object], object]) -> Markup:
        top, summary, nxt, steps, more, hidden, highlight, _ = self.adviser_pages.content(
            query, full_link("/adviser", search(query))
        )
        filled = {
            "ad-top": top,
            "ad-summary": summary,
            "ad-next": nxt,
            "ad-steps": steps,
            "ad-more": more,
        }
        link = parse_link(self.rm, query)
        svg = None if hidden else self.svg.highlighted(svg_highlight(highlight))

        def forms(node) -> Markup | None:
            ident = getattr(node, "id", None)
            cls = getattr(node, "className", "") or ""
            if isinstance(ident, dict) and ident.get("type") == "ad-progress" and link.ok:
                return self.progress_form(link, ident["station"], ident["state"], node)
            if "rm-note" in cls.split() and link.ok:
                return self.note_form(link, node)
            if "rm-paste" in cls.split():
                return self.paste_form(query, node)
            return None

        replace = self._filler(filled, hidden, svg, "ad", forms)
        return to_html(shell(self.adviser_pages.shell()), replace)

    def progress_form(self, link, sid: str, state: str, button) -> Markup:
        """One "Mark as" button: a form whose fields are the link with this step's state."""
        profile = with_progress(link.profile, sid, state)
        pressed = button.__dict__.get("aria-pressed", "false")
        return Markup(
            '<form method="get" action="/adviser" class="rm-inline-form">{}'
            '<button type="submit" class="{}" aria-pressed="{}">{}</button></form>'
        ).format(
            hidden_fields(profile_pairs(self.rm, profile)),
            button.className,
            pressed,
            button.children,
        )

    def note_form(self, link, node) -> Markup:
        """The note on a skipped step: a form with the note box and the rest of the link."""
        sid = None
        for el in _walk(node):
            ident = getattr(el, "id", None)
            if isinstance(ident, dict) and ident.get("type") == "ad-note":
                sid = ident["station"]
        if sid is None:
            return Markup("")
        profile = link.profile
        pairs = [(k, v) for k, v in profile_pairs(self.rm, profile) if k != f"note_{sid}"]
        note = profile.skipped.get(sid, "")
        return Markup(
            '<form method="get" action="/adviser" class="rm-note">{}'
            '<label class="rm-label rm-note__label" for="note-{}">Why it was skipped (optional)'
            '</label><input class="rm-input" id="note-{}" name="note_{}" type="text" '
            'maxlength="{}" value="{}"> <button type="submit" class="rm-button '
            'rm-button--secondary rm-button--small">Save note</button></form>'
        ).format(hidden_fields(pairs), sid, sid, sid, MAX_NOTE, note)

    def paste_form(self, query: str, node) -> Markup:
        upload = self.base("adviser")(_find(node, lambda c: c.__dict__.get("data-load-answers")))
        return Markup(
            '<div class="rm-paste"><form method="get" action="/adviser/open">'
            '<label class="rm-label" for="ad-paste">Paste the applicant\'s link'
            '<span class="rm-hint">A link to their route page (/route?…) or to this view '
            '(/adviser?…)</span></label><div class="rm-search__row">'
            '<input class="rm-input" id="ad-paste" name="link" type="text" autocomplete="off" '
            'spellcheck="false" maxlength="{}" value="{}">'
            '<button type="submit" class="rm-button">Open</button></div></form>{}</div>'
        ).format(PASTE_BOX, full_link("/adviser", search(query)) if query else "", upload or "")

    # -- /adviser/print?… --------------------------------------------------------------------
    def print_view(self, query: str) -> object:
        return self.adviser_pages.print_content(query, full_link("/adviser/print", search(query)))

    # -- shared ------------------------------------------------------------------------------
    def _filler(
        self,
        filled: dict,
        hidden: bool,
        svg: Markup | None,
        prefix: str,
        first: Replace | None = None,
    ) -> Replace:
        """Fill the page's containers (by id) and swap its map; ``first`` is asked first."""

        def replace(node) -> Markup | None:
            if first is not None:
                swapped = first(node)
                if swapped is not None:
                    return swapped
            ident = getattr(node, "id", None)
            cls = getattr(node, "className", "") or ""
            if isinstance(ident, str) and ident in filled:
                return (
                    Markup('<div id="{}">').format(ident)
                    + to_html(filled[ident], replace)
                    + Markup("</div>")
                )
            if ident == f"{prefix}-map-wrap":
                if hidden or svg is None:
                    return Markup("")
                node.hidden = False
                return None
            if ident == "route-map-canvas":
                return svg_block(svg, f"{prefix}-map-svg")
            if "rm-map-controls" in cls:
                return Markup("")
            return base(node)

        base = self.base("route" if prefix == "rt" else "adviser")
        return replace


def _walk(node):
    yield node
    children = getattr(node, "children", None)
    if children is None or isinstance(children, str):
        return
    if not isinstance(children, (list, tuple)):
        children = [children]
    for child in children:
        if hasattr(child, "_type"):
            yield from _walk(child)


def _find(node, test):
    return next((el for el in _walk(node) if test(el)), None)
