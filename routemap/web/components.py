"""Page pieces built from the map: station and line details, the legend, the text view.

All data text goes into Dash components as children (React escapes it), never as HTML, so a
station name with markup in it shows as text. Internal links are plain ``<a>`` elements with the
class ``js-nav``: ``assets/routemap.js`` turns a click on one into an in-app navigation (like
``dcc.Link``), and without JavaScript they still work as ordinary links. Colour never carries
meaning alone: every swatch sits next to the line's name, and historical routes say so in words.
"""

from __future__ import annotations

from dash import html

from ..core import RouteMap
from ..models import Line, Station

STATION_KINDS = {
    "origin": "Start",
    "stage": "Stage",
    "decision": "Decision",
    "document": "Form or document",
    "registration": "Registration",
    "support": "Support offer",
    "outcome": "Outcome",
}
LINE_KINDS = {
    "legal_form": "Legal form",
    "access_route": "Access route",
    "contrast": "Another way (contrast)",
    "support": "Support",
}


def page_title(rm: RouteMap, title: str) -> str:
    return f"{title} – {rm.info.title}"


def link(text, href: str, *, cls: str = "", **attrs) -> html.A:
    return html.A(text, href=href, className=("rm-link js-nav " + cls).strip(), **attrs)


def external_link(text, href: str) -> html.A:
    return html.A(text, href=href, className="rm-link", rel="noopener noreferrer")


def swatch(line: Line) -> html.Span:
    cls = "rm-swatch" + (" rm-swatch--historical" if line.status != "open" else "")
    return html.Span(className=cls, style={"--line-colour": line.colour}, **{"aria-hidden": "true"})


def tag(text: str, modifier: str = "") -> html.Strong:
    return html.Strong(text, className=("rm-tag " + (f"rm-tag--{modifier}" if modifier else "")))


def line_status_text(line: Line) -> str:
    if line.status == "open":
        return ""
    dates = " to ".join(d for d in (line.opened, line.closed) if d)
    return f"Historical route ({dates})" if dates else "Historical route"


def station_status_text(st: Station) -> str:
    if st.status == "open":
        return ""
    return f"Historical (closed {st.closed})" if st.closed else "Historical"


def line_name_with_status(line: Line) -> list:
    out: list = [line.name]
    if line.status != "open":
        out.append(html.Span(" (historical)", className="rm-muted"))
    return out


def summary_list(rows: list[tuple[str, object]]) -> html.Dl:
    items = []
    for key, value in rows:
        if value in (None, "", []):
            continue
        items.append(
            html.Div(
                [
                    html.Dt(key, className="rm-summary__key"),
                    html.Dd(value, className="rm-summary__value"),
                ],
                className="rm-summary__row",
            )
        )
    return html.Dl(items, className="rm-summary")


def sources_list(rm: RouteMap, ids) -> html.Ul:
    items = []
    for key in ids:
        src = rm.sources[key]
        meta = ", ".join(x for x in (src.publisher, src.date) if x)
        items.append(
            html.Li([external_link(src.title, src.url)] + ([f" ({meta})"] if meta else []))
        )
    return html.Ul(items, className="rm-list rm-list--bullet rm-sources")


def reset_link() -> html.A:
    return link("Show the whole map", "/", cls="rm-button rm-button--secondary", id="reset-view")


# ---- station details ----------------------------------------------------------------------
def station_details(rm: RouteMap, sid: str) -> list:
    st = rm.station(sid)
    lines = rm.lines_at[sid]
    before, after = rm.neighbours(sid)
    tags = [tag(STATION_KINDS[st.kind])]
    if sid in rm.interchanges:
        tags.append(tag("Interchange", "blue"))
    if st.status != "open":
        tags.append(tag(station_status_text(st), "grey"))

    documents = None
    if st.documents:
        documents = html.Ul(
            [
                html.Li(
                    [d.name]
                    + ([" ", html.Span(d.code, className="rm-code")] if d.code else [])
                    + ([html.Br(), html.Span(d.note, className="rm-muted")] if d.note else [])
                )
                for d in st.documents
            ],
            className="rm-list",
        )
    who = (
        html.Ul([html.Li(w) for w in st.who], className="rm-list")
        if len(st.who) > 1
        else (st.who[0])
    )
    out: list = [
        html.P(tags, className="rm-tags"),
        html.H2(st.name, id="details-heading", className="rm-heading-l", tabIndex=-1),
        html.P(st.summary, className="rm-body rm-lead"),
        summary_list(
            [
                ("Who is involved", who),
                ("Forms and documents", documents),
                ("How long it takes", st.duration.text),
                ("What it costs", st.cost),
                ("Who can use it", st.eligibility),
                ("Note", st.note),
            ]
        ),
        html.H3("Lines through this station", className="rm-heading-s"),
        html.Ul(
            [
                html.Li(
                    [
                        swatch(rm.lines[lid]),
                        link(line_name_with_status(rm.lines[lid]), f"/line/{lid}"),
                    ],
                    className="rm-line-item",
                )
                for lid in lines
            ],
            className="rm-list rm-lines",
        ),
    ]
    if len(lines) > 1:
        out.append(
            html.P(
                "Change here for " + ", ".join(rm.lines[lid].name for lid in lines) + ".",
                className="rm-body rm-muted",
            )
        )

    def steps(pairs, empty: str):
        if not pairs:
            return html.P(empty, className="rm-body rm-muted")
        return html.Ul(
            [
                html.Li(
                    [
                        link(rm.stations[s].name, f"/station/{s}"),
                        html.Span(f" on the {rm.lines[k].name} line", className="rm-muted"),
                    ]
                )
                for s, k in pairs
            ],
            className="rm-list",
        )

    out += [
        html.H3("Comes after", className="rm-heading-s"),
        steps(before, "Nothing: this is where a route starts."),
        html.H3("Leads to", className="rm-heading-s"),
        steps(after, "Nothing: this is where a route ends."),
    ]
    if st.support:
        out += [
            html.H3("Support on offer", className="rm-heading-s"),
            html.Ul(
                [html.Li(link(rm.stations[s].name, f"/station/{s}")) for s in st.support],
                className="rm-list",
            ),
        ]
    helps = rm.supported_by.get(sid, ())
    if helps:
        out += [
            html.H3("This support helps with", className="rm-heading-s"),
            html.Ul(
                [html.Li(link(rm.stations[s].name, f"/station/{s}")) for s in helps],
                className="rm-list",
            ),
        ]
    if st.examples:
        out += [
            html.H3("Seen in practice", className="rm-heading-s"),
            html.Ul(
                [html.Li(ex.text + (f" ({ex.date})" if ex.date else "")) for ex in st.examples],
                className="rm-list rm-list--bullet",
            ),
        ]
    out += [html.H3("Sources", className="rm-heading-s"), sources_list(rm, st.sources)]
    out.append(html.P(reset_link(), className="rm-actions"))
    return out


# ---- line details -------------------------------------------------------------------------
def line_stops(rm: RouteMap, lid: str, *, change_links: str = "line") -> html.Ol:
    """The stations of a line as a numbered list, with interchange notes.

    ``change_links``: "line" links the other lines to their map view; "text" names them only,
    so that in the text view Tab moves from station to station.
    """
    ln = rm.line(lid)
    items = []
    for sid in ln.stations:
        st = rm.stations[sid]
        others = [o for o in rm.lines_at[sid] if o != lid]
        kind = STATION_KINDS[st.kind]
        if st.status != "open":
            kind += f" · {station_status_text(st).lower()}"
        body: list = [
            link(st.name, f"/station/{sid}", cls="rm-stop__name"),
            html.Span(kind, className="rm-stop__kind"),
        ]
        if others:
            names = [rm.lines[o].name for o in others]
            if change_links == "line":
                targets: list = []
                for i, o in enumerate(others):
                    targets += [", "] if i else []
                    targets.append(link(rm.lines[o].name, f"/line/{o}"))
            else:  # the text view: names only, so Tab goes from station to station
                targets = [", ".join(names)]
            body.append(html.Span(["Change here for ", *targets], className="rm-stop__change"))
        items.append(
            html.Li(
                body,
                className="rm-stop" + (" rm-stop--interchange" if others else ""),
                **{"data-station": sid},
            )
        )
    cls = "rm-stops" + (" rm-stops--historical" if ln.status != "open" else "")
    return html.Ol(items, className=cls, style={"--line-colour": ln.colour})


def line_details(rm: RouteMap, lid: str) -> list:
    ln = rm.line(lid)
    tags = [tag(LINE_KINDS[ln.kind])]
    if ln.status != "open":
        tags.append(tag(line_status_text(ln), "grey"))
    out: list = [
        html.P(tags, className="rm-tags"),
        html.H2([swatch(ln), ln.name], id="details-heading", className="rm-heading-l", tabIndex=-1),
        html.P(ln.summary, className="rm-body rm-lead"),
        summary_list([("Regulator", ln.regulator), ("Stations", str(len(ln.stations)))]),
        html.P(reset_link(), className="rm-actions"),
        html.H3("Stations on this line, in order", className="rm-heading-s"),
        line_stops(rm, lid),
    ]
    if ln.examples:
        out += [
            html.H3("Seen in practice", className="rm-heading-s"),
            html.Ul(
                [html.Li(ex.text + (f" ({ex.date})" if ex.date else "")) for ex in ln.examples],
                className="rm-list rm-list--bullet",
            ),
        ]
    out += [html.H3("Sources", className="rm-heading-s"), sources_list(rm, ln.sources)]
    return out


def intro_details(rm: RouteMap) -> list:
    return [
        html.H2(
            "How to read this map", id="details-heading", className="rm-heading-m", tabIndex=-1
        ),
        html.P(
            "Each coloured line is a route a team can take. Each station is a step on it: a "
            "stage, a decision, a form, a support offer, a registration or an outcome.",
            className="rm-body",
        ),
        html.Ul(
            [
                html.Li(
                    "A white pill with a black border is an interchange: lines meet there "
                    "and you can change route."
                ),
                html.Li("A dashed line is a historical route that has closed."),
                html.Li("Select a station for its details, forms, costs and sources."),
                html.Li("Select a line in the list of lines to show it on its own."),
            ],
            className="rm-list rm-list--bullet",
        ),
        html.P(
            [
                "Every line is also written out step by step in the ",
                link("step-by-step list", "/text"),
                ".",
            ],
            className="rm-body",
        ),
        html.P(rm.info.description, className="rm-body rm-muted"),
    ]


def not_found_details(kind: str, ident: str) -> list:
    return [
        html.H2(
            f"There is no {kind} called “{ident[:80]}”",
            id="details-heading",
            className="rm-heading-m",
            tabIndex=-1,
        ),
        html.P(
            [
                "Check the address, search for a station above, or go to the ",
                link("step-by-step list", "/text"),
                ".",
            ],
            className="rm-body",
        ),
        html.P(reset_link(), className="rm-actions"),
    ]


def legend(rm: RouteMap, active: str | None = None) -> list:
    items = []
    for ln in rm.lines.values():
        attrs = {"aria-current": "true"} if ln.id == active else {}
        items.append(
            html.Li(
                link(
                    [swatch(ln), html.Span(line_name_with_status(ln), className="rm-legend__name")],
                    f"/line/{ln.id}",
                    cls="rm-legend__link" + (" rm-legend__link--active" if ln.id == active else ""),
                    **attrs,
                ),
                className="rm-legend__item",
            )
        )
    return items


# ---- text view ----------------------------------------------------------------------------
def text_view(rm: RouteMap) -> list:
    toc = html.Ul(
        [
            html.Li(
                [
                    swatch(ln),
                    html.A(line_name_with_status(ln), href=f"#line-{ln.id}", className="rm-link"),
                ],
                className="rm-line-item",
            )
            for ln in rm.lines.values()
        ],
        className="rm-list rm-lines",
    )
    sections = []
    for ln in rm.lines.values():
        status = line_status_text(ln)
        sections.append(
            html.Section(
                [
                    html.H2(
                        [swatch(ln), ln.name],
                        id=f"line-{ln.id}",
                        className="rm-heading-m",
                        tabIndex=-1,
                    ),
                    html.P(
                        [tag(LINE_KINDS[ln.kind])] + ([tag(status, "grey")] if status else []),
                        className="rm-tags",
                    ),
                    html.P(ln.summary, className="rm-body"),
                    html.P(f"Regulator: {ln.regulator}.", className="rm-body rm-muted"),
                    line_stops(rm, ln.id, change_links="text"),
                    html.P(
                        link(f"Show the {ln.name} line on the map", f"/line/{ln.id}"),
                        className="rm-body",
                    ),
                ],
                className="rm-text-line",
                **{"aria-labelledby": f"line-{ln.id}"},
            )
        )
    return [
        html.H1("Step-by-step list of every route", className="rm-heading-xl"),
        html.P(
            "The same map as lists: each line is a route, written out as numbered steps. "
            "Where lines meet, the step says which routes you can change to. Select a step "
            "for its details, forms, costs and sources.",
            className="rm-body rm-lead",
        ),
        html.H2("Lines on this map", className="rm-heading-m"),
        toc,
        *sections,
    ]


def about_view(rm: RouteMap) -> list:
    info = rm.info
    return [
        html.H1("About this map", className="rm-heading-xl"),
        html.P(info.subtitle, className="rm-body rm-lead"),
        html.P(info.description, className="rm-body"),
        html.P(f"The facts hold as of {info.facts_as_of}.", className="rm-body"),
        html.H2("Corrections", className="rm-heading-m"),
        html.P(info.corrections, className="rm-body"),
        html.H2("Data and API", className="rm-heading-m"),
        html.P(
            [
                "The map is open data, served as JSON: ",
                html.A("the whole map", href="/api/v1/map", className="rm-link"),
                ", ",
                html.A("stations", href="/api/v1/stations", className="rm-link"),
                ", ",
                html.A("lines", href="/api/v1/lines", className="rm-link"),
                ". The ",
                html.A("OpenAPI document", href="/api/openapi.json", className="rm-link"),
                " describes every endpoint.",
            ],
            className="rm-body",
        ),
        html.H2("Sources", className="rm-heading-m"),
        sources_list(rm, rm.sources),
    ]


def page_not_found() -> list:
    return [
        html.H1("Page not found", className="rm-heading-xl"),
        html.P("If you typed the web address, check it is correct.", className="rm-body"),
        html.P(
            ["Go to the ", link("map", "/"), " or the ", link("step-by-step list", "/text"), "."],
            className="rm-body",
        ),
    ]
