"""The JSON API, ``/api/v1``: the map (data + geometry), stations, one station, lines, one line.

Mounted beside Dash under ``/api`` (its own Flask app, so Dash's catch-all page route never
answers an API path). The OpenAPI document, generated from the same declarations, is at
``/api/openapi.json``. Later endpoints (``POST /api/v1/route``, ``/next``, ``GET /questions``)
are added the same way: a pydantic model in, a pydantic model out, one ``@api.endpoint``.

Everything here is read-only and derived from the one shared ``RouteMap``, so each answer is
computed once and kept as JSON bytes.
"""

from __future__ import annotations

from functools import cache
from typing import Any, Literal

from flask import redirect
from pydantic import BaseModel, Field

from ..citing import backs, source_meta
from ..core import RouteMap
from ..models import Corrections, Document, Duration, Station
from ..stationview import station_view
from .apikit import Api, ApiModel
from .routeapi import register_route_api

API_VERSION = "1.0.0"


# ---- response models ----------------------------------------------------------------------
class Links(BaseModel):
    page: str = Field(description="The page showing this item in the app")
    api: str = Field(description="This item in the API")


class StationRef(BaseModel):
    id: str
    name: str


class LineRef(BaseModel):
    id: str
    name: str
    colour: str
    historical: bool


class Step(BaseModel):
    station: StationRef
    line: str = Field(description="The id of the line this step is on")


class SourceOut(BaseModel):
    id: str
    title: str
    url: str
    kind: str = Field(description="official, archive, organisation, commentary or copy")
    publisher: str | None = None
    published: str | None = None
    checked: str = Field(description="The month the source was last confirmed")
    about: str = Field(description="Who published it, when, and when it was checked, in words")
    backs: list[str] = Field(
        [], description="The station's facts this source is cited for on its own, in words"
    )


class ExampleOut(BaseModel):
    text: str
    date: str | None = None
    sources: list[str]


class StationSummary(BaseModel):
    id: str
    name: str
    kind: str
    status: Literal["open", "historical"]
    interchange: bool = Field(description="True where two or more lines meet")
    lines: list[str] = Field(description="Ids of the lines through this station")
    form_codes: list[str] = Field(description="Official form codes produced here, e.g. CIC36")
    links: Links


class StationDetail(BaseModel):
    id: str
    name: str
    kind: str
    status: Literal["open", "historical"]
    opened: str | None = None
    closed: str | None = None
    no_end_recorded: bool = Field(
        False, description="Historical, and no source records when it ended (closed is empty)"
    )
    summary: str
    who: list[str]
    documents: list[Document]
    duration: Duration
    cost: str
    eligibility: str | None = None
    note: str | None = None
    interchange: bool
    lines: list[LineRef]
    previous: list[Step] = Field(description="Stations just before this one, by line")
    next: list[Step] = Field(description="Stations just after this one, by line")
    support: list[StationRef] = Field(description="Support offers for this step")
    supports: list[StationRef] = Field(description="For a support offer: the steps it helps")
    examples: list[ExampleOut]
    sources: list[SourceOut]
    links: Links


class LineStop(BaseModel):
    number: int = Field(description="1 for the first station of the line")
    station: StationRef
    kind: str
    status: Literal["open", "historical"]
    closed: str | None = None
    no_end_recorded: bool = Field(
        False, description="Historical, and no source records when it ended (closed is empty)"
    )
    change_for: list[LineRef] = Field(description="Other lines you can change to here")


class LineSummary(BaseModel):
    id: str
    name: str
    colour: str
    kind: str
    status: Literal["open", "historical"]
    opened: str | None = None
    closed: str | None = None
    no_end_recorded: bool = Field(
        False, description="Historical, and no source records when it ended (closed is empty)"
    )
    summary: str
    stations: list[str] = Field(description="Station ids in order")
    links: Links


class LineDetail(BaseModel):
    id: str
    name: str
    colour: str
    kind: str
    status: Literal["open", "historical"]
    opened: str | None = None
    closed: str | None = None
    no_end_recorded: bool = Field(
        False, description="Historical, and no source records when it ended (closed is empty)"
    )
    summary: str
    regulator: str
    stops: list[LineStop]
    examples: list[ExampleOut]
    sources: list[SourceOut]
    links: Links


class StationList(BaseModel):
    count: int
    stations: list[StationSummary]


class LineList(BaseModel):
    count: int
    lines: list[LineSummary]


class MapInfoOut(BaseModel):
    title: str
    subtitle: str
    facts_as_of: str = Field(description="The month the facts were last checked (YYYY-MM)")
    facts_checked: str = Field(description="The same month in words, e.g. December 2026")
    description: str
    corrections: Corrections


class MapOut(BaseModel):
    info: MapInfoOut
    stations: list[StationDetail]
    lines: list[LineDetail]
    sources: list[SourceOut]
    geometry: dict[str, Any] = Field(
        description="The drawn map (routemap export --format json): positions in SVG units, "
        "y down; stations with marker and label boxes; lines with their strokes"
    )


# ---- request models -------------------------------------------------------------------------
class StationQuery(ApiModel):
    q: str | None = Field(
        None,
        min_length=1,
        max_length=100,
        description="Find stations by name, a word of a name, or a form code such as CIC36",
    )
    kind: (
        Literal["origin", "stage", "decision", "document", "registration", "support", "outcome"]
        | None
    ) = Field(None, description="Only stations of this kind")
    line: str | None = Field(None, max_length=80, description="Only stations on this line (id)")


# ---- building the answers -------------------------------------------------------------------
class Views:
    """Every answer of the API, derived from one ``RouteMap``."""

    def __init__(self, rm: RouteMap):
        self.rm = rm

    def station_ref(self, sid: str) -> StationRef:
        return StationRef(id=sid, name=self.rm.stations[sid].name)

    def line_ref(self, lid: str) -> LineRef:
        ln = self.rm.lines[lid]
        return LineRef(id=ln.id, name=ln.name, colour=ln.colour, historical=ln.status != "open")

    def sources(self, ids, station: Station | None = None) -> list[SourceOut]:
        out = []
        for key in ids:
            s = self.rm.sources[key]
            out.append(
                SourceOut(
                    id=s.id,
                    title=s.title,
                    url=s.url,
                    kind=s.kind,
                    publisher=s.publisher,
                    published=s.published,
                    checked=s.checked,
                    about=source_meta(s),
                    backs=backs(station, key) if station else [],
                )
            )
        return out

    @staticmethod
    def examples(items) -> list[ExampleOut]:
        return [ExampleOut(text=e.text, date=e.date, sources=list(e.sources)) for e in items]

    def station_summary(self, sid: str) -> StationSummary:
        st = self.rm.station(sid)
        return StationSummary(
            id=st.id,
            name=st.name,
            kind=st.kind,
            status=st.status,
            interchange=sid in self.rm.interchanges,
            lines=list(self.rm.lines_at[sid]),
            form_codes=[d.code for d in st.documents if d.code],
            links=Links(page=f"/station/{sid}", api=f"/api/v1/stations/{sid}"),
        )

    @cache  # noqa: B019 - one Views per app, kept for its lifetime
    def station_detail(self, sid: str) -> StationDetail:
        view = station_view(self.rm, sid)  # the facts every front door shows of a station
        st = view.station
        return StationDetail(
            id=st.id,
            name=st.name,
            kind=st.kind,
            status=st.status,
            opened=st.opened,
            closed=st.closed,
            no_end_recorded=st.no_end_recorded,
            summary=st.summary,
            who=list(st.who),
            documents=list(st.documents),
            duration=st.duration,
            cost=st.cost.text,
            eligibility=st.eligibility,
            note=st.note,
            interchange=view.interchange,
            lines=[
                LineRef(id=ln.id, name=ln.name, colour=ln.colour, historical=ln.historical)
                for ln in view.lines
            ],
            previous=[Step(station=self.station_ref(s), line=k) for s, k in view.before_by_line],
            next=[Step(station=self.station_ref(s), line=k) for s, k in view.after_by_line],
            support=[StationRef(id=s, name=name) for s, name in view.support],
            supports=[StationRef(id=s, name=name) for s, name in view.supports],
            examples=self.examples(st.examples),
            sources=self.sources(st.all_sources(), st),
            links=Links(page=f"/station/{sid}", api=f"/api/v1/stations/{sid}"),
        )

    def line_summary(self, lid: str) -> LineSummary:
        ln = self.rm.line(lid)
        return LineSummary(
            id=ln.id,
            name=ln.name,
            colour=ln.colour,
            kind=ln.kind,
            status=ln.status,
            opened=ln.opened,
            closed=ln.closed,
            no_end_recorded=ln.no_end_recorded,
            summary=ln.summary,
            stations=list(ln.stations),
            links=Links(page=f"/line/{lid}", api=f"/api/v1/lines/{lid}"),
        )

    @cache  # noqa: B019
    def line_detail(self, lid: str) -> LineDetail:
        rm = self.rm
        ln = rm.line(lid)
        stops = [
            LineStop(
                number=i,
                station=self.station_ref(sid),
                kind=rm.stations[sid].kind,
                status=rm.stations[sid].status,
                closed=rm.stations[sid].closed,
                no_end_recorded=rm.stations[sid].no_end_recorded,
                change_for=[self.line_ref(o) for o in rm.lines_at[sid] if o != lid],
            )
            for i, sid in enumerate(ln.stations, start=1)
        ]
        return LineDetail(
            id=ln.id,
            name=ln.name,
            colour=ln.colour,
            kind=ln.kind,
            status=ln.status,
            opened=ln.opened,
            closed=ln.closed,
            no_end_recorded=ln.no_end_recorded,
            summary=ln.summary,
            regulator=ln.regulator,
            stops=stops,
            examples=self.examples(ln.examples),
            sources=self.sources(ln.sources),
            links=Links(page=f"/line/{lid}", api=f"/api/v1/lines/{lid}"),
        )

    def map(self) -> MapOut:
        rm = self.rm
        info = rm.info
        return MapOut(
            info=MapInfoOut(
                title=info.title,
                subtitle=info.subtitle,
                facts_as_of=info.facts_as_of,
                facts_checked=info.facts_checked,
                description=info.description,
                corrections=info.corrections,
            ),
            stations=[self.station_detail(sid) for sid in rm.stations],
            lines=[self.line_detail(lid) for lid in rm.lines],
            sources=self.sources(rm.sources),
            geometry=rm.geometry.to_json(),
        )


def build_api(rm: RouteMap) -> Api:
    api = Api(
        "routemap.api",
        title=f"routemap API: {rm.info.title}",
        version=API_VERSION,
        description=(
            "Read-only JSON for the routemap tube map of the routes by which a public-sector "
            "team can spin out as a public service mutual. Errors always have the shape "
            '{"error": {"status", "code", "message", "kind"?, "details"?}} with a 4xx status.'
        ),
    )
    views = Views(rm)
    map_json = views.map().model_dump_json().encode()
    all_stations = [views.station_summary(sid) for sid in rm.stations]

    @api.endpoint(
        "GET",
        "/v1/map",
        response=MapOut,
        summary="The whole map: data and geometry",
        tags=("map",),
    )
    def get_map():
        """Every station and line with their details, the sources, and the drawn geometry."""
        return map_json

    @api.endpoint(
        "GET",
        "/v1/stations",
        response=StationList,
        query=StationQuery,
        summary="Stations, optionally searched or filtered",
        errors=(404,),
        tags=("stations",),
    )
    def list_stations(query: StationQuery):
        """Stations in data order; with ``q``, the best matches first (as the app's search)."""
        if query.line is not None:
            rm.line(query.line)  # 404 for an unknown line
        if query.q:
            chosen = [views.station_summary(sid) for sid in rm.search(query.q, limit=1000)]
        else:
            chosen = list(all_stations)
        if query.kind:
            chosen = [s for s in chosen if s.kind == query.kind]
        if query.line:
            chosen = [s for s in chosen if query.line in s.lines]
        return StationList(count=len(chosen), stations=chosen)

    @api.endpoint(
        "GET",
        "/v1/stations/<station_id>",
        response=StationDetail,
        summary="One station",
        errors=(404,),
        tags=("stations",),
        params={"station_id": "A station id, e.g. register-cic"},
    )
    def get_station(station_id: str):
        """A station with its lines, neighbours, support offers and sources (a retired id
        redirects to its successor)."""
        if station_id in rm.retired:
            return redirect(f"{api.mount_prefix}/v1/stations/{rm.retired[station_id]}", 301)
        return views.station_detail(station_id)

    @api.endpoint("GET", "/v1/lines", response=LineList, summary="Lines (routes)", tags=("lines",))
    def list_lines():
        """Every line, in data order."""
        lines = [views.line_summary(lid) for lid in rm.lines]
        return LineList(count=len(lines), lines=lines)

    @api.endpoint(
        "GET",
        "/v1/lines/<line_id>",
        response=LineDetail,
        summary="One line",
        errors=(404,),
        tags=("lines",),
        params={"line_id": "A line id, e.g. cic"},
    )
    def get_line(line_id: str):
        """A line with its stations in order and where you can change."""
        return views.line_detail(line_id)

    register_route_api(api, rm)  # questions, route, next, export (routeapi.py)
    return api
