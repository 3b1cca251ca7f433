"""Pages and the router: one shell (header, navigation, footer), a page per route.

A page is registered with its paths; the browser works out which page a path belongs to
(``assets/routemap.js``, from the routes in the ``page-routes`` store) and only when the page
changes does the server render it. Moving between ``/``, ``/station/<id>`` and ``/line/<id>``
stays on the map page, so the map is drawn once and selection changes never rebuild it.

Later pages (the questionnaire at ``/route``, the adviser view at ``/adviser``) register the
same way::

    router.register(Page(key="route", title="Your route", nav="Your route",
                         exact=("/route",), render=render_route))
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from dash import dcc, html

NOT_FOUND = "not-found"


@dataclass(frozen=True)
class Page:
    key: str
    title: str  # the document title (the service name is added)
    render: Callable[[str], object]  # pathname -> children of <main>
    exact: tuple[str, ...] = ()
    prefixes: tuple[str, ...] = ()  # e.g. "/station/" matches /station/<anything>
    nav: str | None = None  # label in the header navigation, if shown there
    nav_href: str | None = None

    def matches(self, pathname: str) -> bool:
        return pathname in self.exact or any(
            pathname.startswith(p) and len(pathname) > len(p) for p in self.prefixes
        )


@dataclass
class Router:
    service_name: str
    # e.g. "December 2026": the month the facts were last checked, said in every page's footer
    facts_checked: str = ""
    pages: list[Page] = field(default_factory=list)

    def register(self, page: Page) -> Page:
        if any(p.key == page.key for p in self.pages):
            raise ValueError(f"page {page.key!r} registered twice")
        self.pages.append(page)
        return page

    def match(self, pathname: str | None) -> Page | None:
        path = normalise(pathname)
        for page in self.pages:
            if page.matches(path):
                return page
        return None

    def routes(self) -> list[dict]:
        """What the browser needs to tell pages apart."""
        return [
            {"key": p.key, "exact": list(p.exact), "prefixes": list(p.prefixes)} for p in self.pages
        ]

    def nav(self) -> html.Nav:
        items = [
            html.Li(
                html.A(
                    p.nav,
                    href=p.nav_href or (p.exact[0] if p.exact else "/"),
                    className="rm-nav__link js-nav",
                    id={"type": "nav-link", "page": p.key},
                ),
                className="rm-nav__item",
            )
            for p in self.pages
            if p.nav
        ]
        return html.Nav(
            html.Ul(items, className="rm-nav__list"),
            className="rm-nav",
            **{"aria-label": "Menu"},
        )

    def shell(
        self, page: object = None, key: str | None = None, title: str | None = None
    ) -> html.Div:
        """The layout around every page; with ``page`` and its ``key``, that page is already in
        it (no round trip to render it), otherwise the router callback renders it."""
        return html.Div(
            [
                dcc.Location(id="url", refresh=False),
                dcc.Store(id="page-routes", data=self.routes()),
                dcc.Store(id="page-key", data=key),
                dcc.Store(id="doc-title", data=title or self.service_name),
                dcc.Store(id="doc-title-sink"),
                dcc.Store(id="page-sink"),
                html.A("Skip to main content", href="#main-content", className="rm-skip-link"),
                html.Header(
                    html.Div(
                        [
                            html.A(
                                self.service_name,
                                href="/",
                                className="rm-header__service js-nav",
                            ),
                            self.nav(),
                        ],
                        className="rm-width-container rm-header__inner",
                    ),
                    className="rm-header",
                ),
                html.Main(
                    html.Div(page, id="page", className="rm-width-container"),
                    id="main-content",
                    className="rm-main",
                    tabIndex=-1,
                ),
                html.Footer(
                    html.Div(
                        [
                            html.P(
                                "This map signposts routes and sources. It is not legal advice."
                                + (
                                    f" Facts last checked {self.facts_checked}."
                                    if self.facts_checked
                                    else ""
                                ),
                                className="rm-footer__text",
                            ),
                            html.Ul(
                                [
                                    html.Li(
                                        html.A(
                                            "About and sources",
                                            href="/about",
                                            className="rm-footer__link js-nav",
                                        )
                                    ),
                                    html.Li(
                                        html.A(
                                            "JSON API",
                                            href="/api/openapi.json",
                                            className="rm-footer__link",
                                        )
                                    ),
                                ],
                                className="rm-footer__links",
                            ),
                        ],
                        className="rm-width-container",
                    ),
                    className="rm-footer",
                ),
            ],
            className="rm-template",
        )


def normalise(pathname: str | None) -> str:
    path = pathname or "/"
    if len(path) > 1 and path.endswith("/"):
        path = path.rstrip("/") or "/"
    return path
