"""Load ``graph_data/`` and check it completely: every problem at once, none fatal to the check.

Two passes. First each file is read (UTF-8, YAML, size) and each item validated on its own
against its pydantic model, so one bad station does not hide the next. Then the items that
passed are checked across files: ids, references, the shape of each line, the flow as a whole.
"""

from __future__ import annotations

import difflib
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, get_args, get_origin

import networkx as nx
from pydantic import BaseModel, ValidationError

from .archivelinks import captured_address, dated_capture, is_capture_list
from .models import (
    ARCHIVE_HOSTS,
    MAX_LIST,
    Area,
    Choice,
    Future,
    JourneyFigure,
    LegalCondition,
    Line,
    MapInfo,
    NumberRange,
    Publisher,
    Question,
    RetiredQuestion,
    RetiredStation,
    Rule,
    Source,
    Station,
    StepInfo,
    captured_host,
    host_of,
    is_official_host,
)
from .problems import DataError, Problem, format_path
from .problems import kind_of as _kind_of
from .retired import check_retired
from .yamlsrc import YamlDoc, read_yaml

if TYPE_CHECKING:  # the lock is read by its own module (layout/lock.py)
    from .layout.lock import LayoutLock

# file -> {top-level key: (item model, is_list, max items)}
LAYOUT: dict[str, dict[str, tuple[type[BaseModel], bool, int]]] = {
    "map.yaml": {"map": (MapInfo, False, 1)},
    "sources.yaml": {
        "sources": (Source, True, MAX_LIST),
        "publishers": (Publisher, True, MAX_LIST),
    },
    "stations.yaml": {
        "stations": (Station, True, MAX_LIST),
        "retired": (RetiredStation, True, MAX_LIST),
    },
    "lines.yaml": {"lines": (Line, True, 200)},
    "questions.yaml": {
        "areas": (Area, True, 50),
        "questions": (Question, True, 200),
        "retired_questions": (RetiredQuestion, True, 50),
    },
    "rules.yaml": {
        "choices": (Choice, True, 20),
        "steps": (StepInfo, True, MAX_LIST),
        "rules": (Rule, True, 1000),
        "conditions": (LegalCondition, True, 100),
        "futures": (Future, True, 50),
        "journey": (JourneyFigure, True, 50),
    },
}
# keys a file may leave out (a map without a route model still draws)
OPTIONAL_KEYS = {
    "choices",
    "steps",
    "futures",
    "journey",
    "publishers",
    "conditions",
    "retired_questions",
    "retired",
}
_TAGS = {"answers", "range"}  # discriminator tags pydantic adds to error locations
# what to do about a source nobody has checked
NO_CHECK = (
    "confirm the address, and what the map takes from it, at the "
    "original publisher and add 'checked: YYYY-MM'; a source nobody could confirm cannot be "
    "cited: cite a checked source that says the same, or write the fact as not published"
)


@dataclass(frozen=True)
class MapData:
    """Everything in ``graph_data/``, validated; the input of :class:`routemap.core.RouteMap`."""

    info: MapInfo
    sources: tuple[Source, ...]
    stations: tuple[Station, ...]
    lines: tuple[Line, ...]
    areas: tuple[Area, ...]
    questions: tuple[Question, ...]
    rules: tuple[Rule, ...] = ()
    choices: tuple[Choice, ...] = ()
    # legal conditions that tie the choices together (rules.yaml's conditions)
    conditions: tuple[LegalCondition, ...] = ()
    # questions no longer asked, and how their answers are read now
    retired_questions: tuple[RetiredQuestion, ...] = ()
    steps: tuple[StepInfo, ...] = ()
    futures: tuple[Future, ...] = ()
    journey: tuple[JourneyFigure, ...] = ()
    # organisations and the hosts of their own sites (sources.yaml's publishers)
    publishers: tuple[Publisher, ...] = ()
    # problems that do not stop the map loading (routemap validate prints them)
    warnings: tuple[Problem, ...] = ()
    # station ids taken off the map, each with the station that replaces it (stations.yaml)
    retired: tuple[RetiredStation, ...] = ()
    # the accepted layout (layout.lock.yaml; layout/lock.py), where the folder has one
    lock: LayoutLock | None = None


# ---------------------------------------------------------------------------------------------
# pydantic errors -> plain messages


def _models_in(tp: Any) -> list[type[BaseModel]]:
    if isinstance(tp, type) and issubclass(tp, BaseModel):
        return [tp]
    if get_origin(tp) is Annotated:
        return _models_in(get_args(tp)[0])
    found: list[type[BaseModel]] = []
    for arg in get_args(tp):
        found += _models_in(arg)
    return found


def _allowed_keys(model: type[BaseModel], loc: tuple) -> list[str]:
    candidates: list[type[BaseModel]] = [model]
    for part in loc:
        if not isinstance(part, str):
            continue
        nxt: list[type[BaseModel]] = []
        for cand in candidates:
            if part in cand.model_fields:
                nxt += _models_in(cand.model_fields[part].annotation)
        if nxt:
            candidates = nxt
    keys: list[str] = []
    for cand in candidates:
        keys += [k for k in cand.model_fields if k not in keys]
    return keys


def describe(err: dict, model: type[BaseModel]) -> tuple[tuple, str]:
    """Turn one pydantic error into (location, message) in words a data editor can act on."""
    loc = tuple(p for p in err["loc"] if p not in _TAGS)
    kind = err["type"]
    ctx = err.get("ctx") or {}
    value = err.get("input")
    if kind == "missing":
        return loc, "is required"
    if kind == "extra_forbidden":
        allowed = _allowed_keys(model, loc[:-1])
        key = str(loc[-1])
        if key == "unconfirmed" and "checked" in allowed:
            # a source's old way of saying it was not checked (until December 2026)
            return loc, "a source can no longer be left unconfirmed: " + NO_CHECK
        close = difflib.get_close_matches(key, allowed, n=1)
        hint = f"did you mean '{close[0]}'?" if close else "allowed: " + ", ".join(allowed)
        return loc, f"unknown key ({hint})"
    if kind == "string_type":
        if value is None:
            return loc, "must not be empty"
        return loc, f"must be text, not {_kind_of(value)}"
    if kind == "string_too_short":
        return loc, "must not be empty"
    if kind == "string_too_long":
        return loc, f"is too long ({len(value)} characters; at most {ctx['max_length']})"
    if kind == "list_type":
        return loc, f"must be a list, not {_kind_of(value)}"
    if kind == "too_short":
        n = ctx.get("min_length")
        return loc, f"must have at least {n} item{'s' if n != 1 else ''}"
    if kind == "too_long":
        return loc, f"has too many items ({ctx.get('actual_length')}; at most {ctx['max_length']})"
    if kind in {"model_type", "model_attributes_type", "dict_type"}:
        return loc, f"must be a mapping of keys to values, not {_kind_of(value)}"
    if kind in {"int_type", "int_parsing", "int_from_float"}:
        return loc, "must be a whole number"
    if kind == "bool_type":
        return loc, "must be true or false"
    if kind == "literal_error":
        return loc, f"'{value}' is not one of: {ctx['expected']}"
    if kind == "greater_than_equal":
        return loc, f"must be at least {ctx['ge']}"
    if kind == "less_than_equal":
        return loc, f"must be at most {ctx['le']}"
    return loc, err["msg"]


# ---------------------------------------------------------------------------------------------
# the report: problems with file, path and line


@dataclass
class Report:
    docs: dict[str, YamlDoc] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)

    def add(self, file: str, path: Iterable, message: str, *, warning: bool = False) -> None:
        path = tuple(path)
        doc = self.docs.get(file)
        line = doc.line(path) if doc else None
        problem = Problem(file, format_path(path), message, line, warning)
        (self.warnings if warning else self.problems).append(problem)


def _suggest(name: str, known: Iterable[str]) -> str:
    close = difflib.get_close_matches(name, list(known), n=1)
    return f" (did you mean '{close[0]}'?)" if close else ""


# ---------------------------------------------------------------------------------------------
# pass 1: files and items


@dataclass
class _Items:
    """Items that passed their own model, with their index in the file, plus every raw id seen."""

    valid: dict[str, list[tuple[int, BaseModel]]] = field(default_factory=lambda: defaultdict(list))
    raw_ids: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    # every line's station list as written, valid or not, so one bad line does not make its
    # stations look orphaned or unreachable
    raw_lines: list[tuple[int, str, list[str]]] = field(default_factory=list)
    single: dict[str, BaseModel] = field(default_factory=dict)
    failed: set[str] = field(default_factory=set)  # files or keys that could not be read


def _read_items(directory: Path, report: Report) -> _Items:
    items = _Items()
    for file, keys in LAYOUT.items():
        doc, problems = read_yaml(directory, file)
        report.problems += problems
        if doc is None:
            items.failed.add(file)
            items.failed.update(keys)
            continue
        report.docs[file] = doc
        data = doc.data
        if not isinstance(data, dict):
            wanted = ", ".join(f"'{k}'" for k in keys)
            report.add(
                file,
                (),
                f"must be a mapping with the key{'s' if len(keys) > 1 else ''} "
                f"{wanted}, not {_kind_of(data)}",
            )
            items.failed.update(keys)
            continue
        for key in data:
            if key not in keys:
                hint = _suggest(str(key), keys) or f" (allowed: {', '.join(keys)})"
                report.add(file, (str(key),), f"unknown key{hint}")
        for key, (model, is_list, limit) in keys.items():
            if key not in data and key in OPTIONAL_KEYS:
                continue
            if key not in data:
                report.add(file, (key,), "is required")
                items.failed.add(key)
                continue
            value = data[key]
            if not is_list:
                _validate_one(report, file, (key,), model, value, items, key)
                continue
            if not isinstance(value, list):
                report.add(file, (key,), f"must be a list, not {_kind_of(value)}")
                items.failed.add(key)
                continue
            if len(value) > limit:
                report.add(file, (key,), f"has too many items ({len(value):,}; at most {limit:,})")
                items.failed.add(key)
                continue
            if not value and key != "rules" and key not in OPTIONAL_KEYS:
                report.add(file, (key,), "must have at least 1 item")
            for i, raw in enumerate(value):
                if isinstance(raw, dict) and isinstance(raw.get("id"), str):
                    items.raw_ids[key].add(raw["id"])
                if (
                    key == "lines"
                    and isinstance(raw, dict)
                    and isinstance(raw.get("stations"), list)
                ):
                    names = [x for x in raw["stations"] if isinstance(x, str)]
                    items.raw_lines.append((i, str(raw.get("id", f"lines[{i}]")), names))
                _validate_one(report, file, (key, i), model, raw, items, key, i)
    return items


def _validate_one(report, file, path, model, raw, items: _Items, key, index=None) -> None:
    try:
        obj = model.model_validate(raw)
    except ValidationError as exc:
        for err in exc.errors():
            loc, message = describe(err, model)
            report.add(file, (*path, *loc), message)
        return
    if index is None:
        items.single[key] = obj
    else:
        items.valid[key].append((index, obj))


# ---------------------------------------------------------------------------------------------
# pass 2: across items and files


def _check_ids(report: Report, file: str, key: str, entries: list[tuple[int, Any]]) -> None:
    first: dict[str, int] = {}
    for i, obj in entries:
        if obj.id in first:
            report.add(
                file, (key, i, "id"), f"duplicate id '{obj.id}' (also {key}[{first[obj.id]}])"
            )
        else:
            first[obj.id] = i


def _check_refs(report, file, path, refs, known: set[str], what: str, also=None) -> None:
    """Each reference names a known id; ``also(ref)``: a further problem with a known one
    (a message), or None."""
    for j, ref in enumerate(refs):
        if ref not in known:
            report.add(file, (*path, j), f"unknown {what} '{ref}'{_suggest(ref, known)}")
        elif also is not None and (message := also(ref)):
            report.add(file, (*path, j), message)


def _not_support(kind_of: dict[str, str]):
    def check(ref: str) -> str | None:
        if ref in kind_of and kind_of[ref] != "support":
            return f"'{ref}' is a {kind_of[ref]} station, not a support offer"
        return None

    return check


def _check_dates(report, file, path, obj, what: str) -> None:
    if obj.status == "historical" and not obj.closed and not obj.no_end_recorded:
        report.add(
            file,
            (*path, "closed"),
            f"a historical {what} needs the date it closed (or, where no source records an "
            "end, no_end_recorded: true)",
        )
    if obj.no_end_recorded and obj.closed:
        report.add(
            file,
            (*path, "no_end_recorded"),
            f"the {what} has a closing date ({obj.closed}): leave out no_end_recorded",
        )
    if obj.no_end_recorded and obj.status == "open":
        report.add(
            file,
            (*path, "no_end_recorded"),
            f"an open {what} has not ended: leave out no_end_recorded",
        )
    if obj.status == "open" and obj.closed:
        report.add(
            file, (*path, "closed"), f"an open {what} has no closing date; set status: historical"
        )
    if obj.opened and obj.closed and obj.opened > obj.closed:
        report.add(file, (*path, "opened"), f"opened ({obj.opened}) is after closed ({obj.closed})")


def _month(date: str) -> str:
    """A partial date's month, for comparing: 2024 -> 2024-01 (its first month)."""
    return (date + "-01")[:7] if len(date) == 4 else date[:7]


def _check_source(
    report: Report, i: int, src: Source, facts_as_of: str | None, owners: dict[str, str]
) -> None:
    """A source says when it was checked and what kind it is; a host that is not an official
    publisher's is an original only where it is its publisher's own site (``owners``: host ->
    publisher, from sources.yaml's publishers)."""
    base = ("sources", i)
    if src.checked is None:
        report.add("sources.yaml", (*base, "checked"), "has no checked date: " + NO_CHECK)
    if src.checked and facts_as_of and _month(src.checked) > facts_as_of:
        report.add(
            "sources.yaml",
            (*base, "checked"),
            f"checked ({src.checked}) is after the month the map's facts hold for "
            f"(facts_as_of {facts_as_of} in map.yaml)",
        )
    if src.checked and src.published and _month(src.published) > _month(src.checked):
        report.add(
            "sources.yaml",
            (*base, "published"),
            f"published ({src.published}) is after it was checked ({src.checked})",
        )
    _check_read_page(report, base, src)
    if src.kind == "copy" and not src.note:
        report.add(
            "sources.yaml",
            (*base, "note"),
            "a copy needs a note saying whose document it is and why the original's address "
            "is not used",
        )
    host = host_of(src.url)
    if src.kind == "official" and not is_official_host(src.url):
        report.add(
            "sources.yaml",
            (*base, "kind"),
            f"marked official, but '{host}' is not an official publisher's host: point it at "
            "the original (gov.uk, legislation.gov.uk, the regulator), or mark it kind: copy, "
            "commentary or organisation",
            warning=True,
        )
    if src.kind == "archive" and host not in ARCHIVE_HOSTS:
        report.add(
            "sources.yaml",
            (*base, "kind"),
            f"marked archive, but '{host}' is not the National Archives web archive "
            "(webarchive.nationalarchives.gov.uk)",
            warning=True,
        )
    if src.kind == "organisation":
        host = captured_host(src.url)
        owner = owner_of(host, owners)
        if owner is None:
            report.add(
                "sources.yaml",
                (*base, "kind"),
                f"marked organisation, but '{host}' is not listed as an organisation's own "
                "site: add it under 'publishers' with the organisation it belongs to if it is, "
                "or mark the source kind: copy (with a note saying whose document it is) or "
                "commentary",
                warning=True,
            )
        elif owner != src.publisher:
            report.add(
                "sources.yaml",
                (*base, "publisher"),
                f"'{host}' belongs to {owner} (publishers), but the source names "
                f"{src.publisher or 'no publisher'}: an organisation's page is an original only "
                "on its own site; correct the publisher, or mark it kind: copy or commentary",
                warning=True,
            )


# A sentence of a note that says the fact was read somewhere other than the source's address:
# "read in a stored copy at ...", "read during the check of another source", "seen on a mirror".
_READ_WORD = re.compile(r"\b(?:read|seen)\b", re.IGNORECASE)
_ELSEWHERE_WORD = re.compile(
    r"\b(?:cop(?:y|ies|ied)|mirror|stored|cached|elsewhere|"
    r"(?:another|other|different) (?:host|page|site|source|address|version))\b",
    re.IGNORECASE,
)


# ... unless the sentence says the copy read was of this very address
_HERE = re.compile(r"\b(?:at|on) this (?:address|page)\b", re.IGNORECASE)


def note_says_read_elsewhere(note: str | None) -> bool:
    """True if one sentence of a source's note says its fact was read on another page."""
    for sentence in re.split(r"(?<=[.;])\s+", note or ""):
        if (
            _READ_WORD.search(sentence)
            and _ELSEWHERE_WORD.search(sentence)
            and not _HERE.search(sentence)
        ):
            return True
    return False


def _check_read_page(report: Report, base: tuple, src: Source) -> None:
    """A source names the page a person read: its address is a page (or one dated capture of
    it), not a web archive's list of captures; a fact read elsewhere names where (read_at)."""
    for key in ("url", "read_at"):
        address = getattr(src, key)
        if address is None:
            continue
        what = "links to" if key == "url" else "names as the page read"
        if is_capture_list(address):
            report.add(
                "sources.yaml",
                (*base, key),
                f"{what} a web archive's list of captures of {captured_address(address)}, not "
                "one dated capture of it: give the capture that was read "
                "(web.archive.org/web/YYYYMMDDhhmmss/ and the page's address) or the page "
                "itself where it still exists",
                warning=True,
            )
            continue
        capture = dated_capture(address)
        if capture and src.checked and capture.month > _month(src.checked):
            report.add(
                "sources.yaml",
                (*base, key),
                f"{what} a capture taken in {capture.month}, after the source was checked "
                f"({src.checked}): it cannot be the page that was read",
                warning=True,
            )
    if src.read_at is not None and src.read_at == src.url:
        report.add(
            "sources.yaml",
            (*base, "read_at"),
            "repeats url: read_at is for a page read somewhere other than url; leave it out",
            warning=True,
        )
    if not src.checked or src.read_at is not None:
        return
    if is_capture_list(src.url):
        why = "its address is a list of web archive captures, which nobody reads"
    elif src.kind != "copy" and note_says_read_elsewhere(src.note):
        why = "its note says the fact was read somewhere else"
    else:
        return
    report.add(
        "sources.yaml",
        (*base, "checked"),
        f"is marked checked ({src.checked}), but names no page it was read on ({why}): "
        "add read_at with the address that was read, and keep url for the original",
        warning=True,
    )


def owner_of(host: str, owners: dict[str, str]) -> str | None:
    """The publisher whose own site ``host`` is (a listed host or a subdomain of one)."""
    parts = host.split(".")
    for k in range(len(parts) - 1):
        owner = owners.get(".".join(parts[k:]))
        if owner is not None:
            return owner
    return None


def _site_owners(report: Report, publishers) -> dict[str, str]:
    """host -> publisher; a host claimed by two publishers is a problem."""
    owners: dict[str, str] = {}
    for i, pub in publishers:
        for j, host in enumerate(pub.hosts):
            h = host[4:] if host.startswith("www.") else host
            if h in owners and owners[h] != pub.name:
                report.add(
                    "sources.yaml",
                    ("publishers", i, "hosts", j),
                    f"'{h}' already belongs to {owners[h]}; a host has one owner",
                )
            owners.setdefault(h, pub.name)
    return owners


def _cross_check(report: Report, items: _Items) -> None:
    stations = items.valid["stations"]
    lines = items.valid["lines"]
    questions = items.valid["questions"]
    areas = items.valid["areas"]
    items.valid["rules"]
    sources = items.valid["sources"]

    for file, keys in LAYOUT.items():
        for key in keys:
            if key != "map" and "id" in model_of(file, key).model_fields:
                _check_ids(report, file, key, items.valid[key])

    station_ids = items.raw_ids["stations"] | {s.id for _, s in stations}
    line_ids = items.raw_ids["lines"] | {ln.id for _, ln in lines}
    source_ids = items.raw_ids["sources"] | {s.id for _, s in sources}
    area_ids = items.raw_ids["areas"] | {a.id for _, a in areas}
    kind_of = {s.id: s.kind for _, s in stations}
    line_stops = {lid: set(names) for _, lid, names in items.raw_lines} or {
        ln.id: set(ln.stations) for _, ln in lines
    }
    sources_known = "sources" not in items.failed
    # the legal forms an example can name (the comparison of routes lists it under each)
    form_ids = {o.id for _, c in items.valid["choices"] if c.id == "legal-form" for o in c.options}
    info = items.single.get("map")
    owners = _site_owners(report, items.valid["publishers"])
    for i, src in sources:
        _check_source(report, i, src, info.facts_as_of if info else None, owners)

    # stations
    prereq_checks: list[tuple[int, int, str, str]] = []
    for i, st in stations:
        base = ("stations", i)
        if sources_known:
            _check_refs(
                report, "stations.yaml", (*base, "sources"), st.sources, source_ids, "source"
            )
            for fact, ids in (("duration", st.duration.sources), ("cost", st.cost.sources)):
                _check_refs(
                    report, "stations.yaml", (*base, fact, "sources"), ids, source_ids, "source"
                )
            for k, ex in enumerate(st.examples):
                _check_refs(
                    report,
                    "stations.yaml",
                    (*base, "examples", k, "sources"),
                    ex.sources,
                    source_ids,
                    "source",
                )
        if "choices" not in items.failed:
            for k, ex in enumerate(st.examples):
                _check_refs(
                    report,
                    "stations.yaml",
                    (*base, "examples", k, "forms"),
                    ex.forms,
                    form_ids,
                    "legal form",
                )
        if "stations" not in items.failed:
            _check_refs(
                report,
                "stations.yaml",
                (*base, "support"),
                st.support,
                station_ids,
                "station",
                _not_support(kind_of),
            )
        if "lines" not in items.failed:
            for k, doc in enumerate(st.documents):
                _check_refs(
                    report,
                    "stations.yaml",
                    (*base, "documents", k, "lines"),
                    doc.lines,
                    line_ids,
                    "line",
                    lambda ref, sid=st.id: (
                        f"line '{ref}' does not pass '{sid}'"
                        if ref in line_stops and sid not in line_stops[ref]
                        else None
                    ),
                )
        if "stations" not in items.failed:
            _check_refs(
                report,
                "stations.yaml",
                (*base, "prerequisites"),
                st.prerequisites,
                station_ids,
                "station",
                lambda ref, sid=st.id: (
                    "a station cannot be its own prerequisite" if ref == sid else None
                ),
            )
            prereq_checks += [
                (i, j, ref, st.id)
                for j, ref in enumerate(st.prerequisites)
                if ref in station_ids and ref != st.id
            ]
        _check_dates(report, "stations.yaml", base, st, "station")
        d = st.duration
        if d.min_days is not None and d.max_days is not None and d.min_days > d.max_days:
            report.add(
                "stations.yaml",
                (*base, "duration", "min_days"),
                f"min_days ({d.min_days}) is more than max_days ({d.max_days})",
            )

    # lines
    on_a_line: set[str] = {sid for _, _, names in items.raw_lines for sid in names}
    flow = nx.DiGraph()
    for i, lid, names in items.raw_lines or [(i, ln.id, ln.stations) for i, ln in lines]:
        for a, b in zip(names, names[1:], strict=False):
            if a != b:
                if flow.has_edge(a, b):
                    flow[a][b]["lines"].append((i, lid))
                else:
                    flow.add_edge(a, b, lines=[(i, lid)])
    for i, ln in lines:
        base = ("lines", i)
        if sources_known:
            _check_refs(report, "lines.yaml", (*base, "sources"), ln.sources, source_ids, "source")
            for k, ex in enumerate(ln.examples):
                _check_refs(
                    report,
                    "lines.yaml",
                    (*base, "examples", k, "sources"),
                    ex.sources,
                    source_ids,
                    "source",
                )
        _check_dates(report, "lines.yaml", base, ln, "line")
        seen: dict[str, int] = {}
        for j, sid in enumerate(ln.stations):
            on_a_line.add(sid)
            if "stations" not in items.failed and sid not in station_ids:
                report.add(
                    "lines.yaml",
                    (*base, "stations", j),
                    f"unknown station '{sid}'{_suggest(sid, station_ids)}",
                )
            if sid in seen:
                report.add(
                    "lines.yaml",
                    (*base, "stations", j),
                    f"station '{sid}' is already on this line at stations[{seen[sid]}]",
                )
            else:
                seen[sid] = j
        first, last = ln.stations[0], ln.stations[-1]
        if kind_of.get(first, "origin") != "origin":
            report.add(
                "lines.yaml",
                (*base, "stations", 0),
                f"a line must start at an origin station; '{first}' is a {kind_of[first]}",
            )
        if kind_of.get(last, "outcome") != "outcome":
            report.add(
                "lines.yaml",
                (*base, "stations", len(ln.stations) - 1),
                f"a line must end at an outcome station; '{last}' is a {kind_of[last]}",
            )

    if "lines" not in items.failed:
        for i, st in stations:
            if st.id not in on_a_line:
                report.add(
                    "stations.yaml", ("stations", i, "id"), f"station '{st.id}' is on no line"
                )

    # the flow must run one way: no cycles
    try:
        cycle = nx.find_cycle(flow)
    except nx.NetworkXNoCycle:
        cycle = None
    if cycle:
        names = [a for a, _ in cycle] + [cycle[0][0]]
        on = sorted({ln_id for a, b in cycle for _, ln_id in flow[a][b]["lines"]})
        idx = min(i for a, b in cycle for i, _ in flow[a][b]["lines"])
        report.add(
            "lines.yaml",
            ("lines", idx, "stations"),
            f"the lines make the flow go round in a circle: {' → '.join(names)} "
            f"(lines {', '.join(on)})",
        )

    # a prerequisite must come earlier in the flow
    for i, j, ref, sid in prereq_checks:
        if ref in flow and sid in flow and not nx.has_path(flow, ref, sid):
            report.add(
                "stations.yaml",
                ("stations", i, "prerequisites", j),
                f"'{ref}' does not come before '{sid}' on any line",
            )

    # every station reachable from an origin
    if stations and "lines" not in items.failed:
        origins = [s.id for _, s in stations if s.kind == "origin"]
        if not origins:
            report.add("stations.yaml", ("stations",), "no station has kind 'origin'")
        elif not any(s.kind == "outcome" for _, s in stations):
            report.add("stations.yaml", ("stations",), "no station has kind 'outcome'")
        reach: set[str] = set(origins)
        for o in origins:
            if o in flow:
                reach |= nx.descendants(flow, o)
        if origins:
            for i, st in stations:
                if st.id in on_a_line and st.id not in reach:
                    report.add(
                        "stations.yaml",
                        ("stations", i, "id"),
                        f"station '{st.id}' cannot be reached from any origin",
                    )

    # areas: their support offers
    for i, area in areas:
        if "stations" not in items.failed:
            _check_refs(
                report,
                "questions.yaml",
                ("areas", i, "support"),
                area.support,
                station_ids,
                "station",
                _not_support(kind_of),
            )

    # questions
    qmap: dict[str, Question] = {}
    for i, q in questions:
        qmap.setdefault(q.id, q)
        base = ("questions", i)
        if "areas" not in items.failed and q.area not in area_ids:
            report.add(
                "questions.yaml",
                (*base, "area"),
                f"unknown area '{q.area}'{_suggest(q.area, area_ids)}",
            )
        if q.kind in ("choice", "several"):
            if len(q.options) < 2:
                report.add(
                    "questions.yaml",
                    (*base, "options"),
                    f"a {q.kind} question needs at least 2 options",
                )
            for j, opt in enumerate(q.options):
                if opt.alone and q.kind != "several":
                    report.add(
                        "questions.yaml",
                        (*base, "options", j, "alone"),
                        "'alone' is for a question of several answers (kind: several)",
                    )
            seen_values: dict[str, int] = {}
            for j, opt in enumerate(q.options):
                if opt.value in seen_values:
                    report.add(
                        "questions.yaml",
                        (*base, "options", j, "value"),
                        f"duplicate answer '{opt.value}' (also options[{seen_values[opt.value]}])",
                    )
                seen_values.setdefault(opt.value, j)
            for j, old in enumerate(q.retired):
                where = (*base, "retired", j)
                if old.value in seen_values:
                    report.add(
                        "questions.yaml",
                        (*where, "value"),
                        f"'{old.value}' is still an answer (options[{seen_values[old.value]}]): "
                        "a retired answer is one the question no longer offers",
                    )
                for v in old.now:
                    if v not in seen_values:
                        report.add(
                            "questions.yaml",
                            (*where, "now"),
                            f"'{v}' is not an answer to this question{_suggest(v, seen_values)}",
                        )
            if q.minimum is not None or q.maximum is not None or q.scores:
                report.add(
                    "questions.yaml",
                    base,
                    "minimum, maximum and scores are for number questions only",
                )
        else:
            if q.options:
                report.add(
                    "questions.yaml",
                    (*base, "options"),
                    "a number question has no options; use minimum and maximum",
                )
            if q.minimum is not None and q.maximum is not None and q.minimum > q.maximum:
                report.add(
                    "questions.yaml",
                    (*base, "minimum"),
                    f"minimum ({q.minimum}) is more than maximum ({q.maximum})",
                )

    # questions asked only after some answers: those answers come from earlier questions
    order = {q.id: n for n, (_, q) in enumerate(questions)}
    for i, q in questions:
        if not q.asked_when:
            continue
        _check_conditions(
            report, "questions.yaml", ("questions", i, "asked_when"), q.asked_when, qmap
        )
        for qid in q.asked_when:
            if qid in order and order[qid] >= order[q.id]:
                report.add(
                    "questions.yaml",
                    ("questions", i, "asked_when", qid),
                    f"'{qid}' is not asked before '{q.id}': a question can depend only on "
                    "earlier answers",
                )
    for i, old in items.valid["retired_questions"]:
        base = ("retired_questions", i)
        if old.id in qmap:
            report.add(
                "questions.yaml",
                (*base, "id"),
                f"'{old.id}' is still a question: a retired question is one the map no longer asks",
            )
        now = qmap.get(old.now)
        if now is None:
            report.add(
                "questions.yaml",
                (*base, "now"),
                f"unknown question '{old.now}'{_suggest(old.now, qmap)}",
            )
            continue
        allowed = [o.value for o in now.options]
        for value, new in old.answers.items():
            if new not in allowed:
                report.add(
                    "questions.yaml",
                    (*base, "answers", value),
                    f"'{new}' is not an answer to '{old.now}' (allowed: {', '.join(allowed)})",
                )
    check_retired(report, items.valid["retired"], station_ids)
    _check_route_model(report, items, qmap, station_ids, line_ids, source_ids, sources_known)
    # lines: the options they draw
    option_ids = {o.id for _, c in items.valid["choices"] for o in c.options}
    if "choices" not in items.failed:
        for i, ln in lines:
            _check_refs(
                report, "lines.yaml", ("lines", i, "choices"), ln.choices, option_ids, "option"
            )
            _check_refs(
                report,
                "lines.yaml",
                ("lines", i, "stands_for"),
                ln.stands_for,
                option_ids,
                "option",
            )
            for j, oid in enumerate(ln.stands_for):
                if oid in option_ids and oid not in ln.choices:
                    report.add(
                        "lines.yaml",
                        ("lines", i, "stands_for", j),
                        f"'{oid}' is not among the options the line draws (its 'choices')",
                    )


def _check_conditions(report, file, path, conds, qmap) -> None:
    """Each condition names a question and answers (or a range) it can take."""
    for qid, cond in conds.items():
        q = qmap.get(qid)
        if q is None:
            report.add(file, (*path, qid), f"unknown question '{qid}'{_suggest(qid, qmap)}")
            continue
        if isinstance(cond, NumberRange):
            if q.kind != "number":
                report.add(
                    file, (*path, qid), f"'{qid}' is a choice question; list the answers that apply"
                )
            elif cond.at_least is None and cond.at_most is None:
                report.add(file, (*path, qid), "a range needs at_least or at_most")
            continue
        if q.kind == "number":
            if list(cond) != ["not_sure"]:  # no answer yet is the one list a number takes
                report.add(
                    file,
                    (*path, qid),
                    f"'{qid}' is a number question; use a range like {{at_least: 10}} "
                    "(or [not_sure] for no answer)",
                )
            continue
        allowed = [o.value for o in q.options]
        if "not_sure" not in allowed:  # always an answer, whether or not the options list it
            allowed.append("not_sure")
        for j, value in enumerate(cond):
            if value not in allowed:
                report.add(
                    file,
                    (*path, qid, j),
                    f"'{value}' is not an answer to '{qid}' (allowed: {', '.join(allowed)})",
                )


def _check_route_model(report, items, qmap, station_ids, line_ids, source_ids, sources_known):
    """rules.yaml: rules, choices, steps, futures and journey name what exists."""
    F = "rules.yaml"
    rules = items.valid["rules"]
    choices = items.valid["choices"]
    stations_ok = "stations" not in items.failed
    questions_ok = "questions" not in items.failed
    options: dict[str, int] = {}
    choice_of: dict[str, int] = {}
    for ci, (i, c) in enumerate(choices):
        for j, o in enumerate(c.options):
            if o.id in options:
                report.add(F, ("choices", i, "options", j, "id"), f"duplicate option id '{o.id}'")
            options.setdefault(o.id, ci)
            choice_of.setdefault(o.id, ci)
    option_ids = set(options)
    seen_choice: dict[str, int] = {}
    for ci, (i, c) in enumerate(choices):
        base = ("choices", i)
        if c.id in seen_choice:
            report.add(
                F, (*base, "id"), f"duplicate id '{c.id}' (also choices[{seen_choice[c.id]}])"
            )
        seen_choice.setdefault(c.id, i)
        if not c.required and not c.undecided:
            report.add(F, (*base, "undecided"), "a choice that is not required needs 'undecided'")
        for j, o in enumerate(c.options):
            ob = (*base, "options", j)
            if questions_ok:
                _check_conditions(report, F, (*ob, "when"), o.when, qmap)
                _check_conditions(report, F, (*ob, "unless"), o.unless, qmap)
            if (o.when or o.unless) and not o.closed_reason:
                report.add(F, ob, "an option with when or unless needs 'closed_reason'")
            if o.only_with and not o.only_with_reason:
                report.add(F, ob, "an option with only_with needs 'only_with_reason'")
            if o.leaves_out and not o.leaves_out_reason:
                report.add(F, ob, "an option with leaves_out needs 'leaves_out_reason'")
            for k, ref in enumerate(o.only_with):
                if ref not in option_ids:
                    report.add(
                        F,
                        (*ob, "only_with", k),
                        f"unknown option '{ref}'{_suggest(ref, option_ids)}",
                    )
                elif choice_of[ref] >= ci:
                    report.add(
                        F, (*ob, "only_with", k), f"'{ref}' is not an option of an earlier choice"
                    )
            if stations_ok:
                _check_refs(report, F, (*ob, "stations"), o.stations, station_ids, "station")
                _check_refs(report, F, (*ob, "leaves_out"), o.leaves_out, station_ids, "station")
            if sources_known:
                _check_refs(report, F, (*ob, "sources"), o.sources, source_ids, "source")
            for name, fact in o.facts if o.facts is not None else ():
                if fact is None:
                    continue
                fb = (*ob, "facts", name)
                if not fact.sources and not fact.text.lower().startswith("not published"):
                    report.add(F, fb, "a fact with no sources must say 'Not published'")
                if sources_known:
                    _check_refs(report, F, (*fb, "sources"), fact.sources, source_ids, "source")
    seen_steps: dict[str, int] = {}
    for i, st in items.valid["steps"]:
        if st.station in seen_steps:
            report.add(
                F,
                ("steps", i, "station"),
                f"'{st.station}' is already described (also steps[{seen_steps[st.station]}])",
            )
        seen_steps.setdefault(st.station, i)
        if stations_ok and st.station not in station_ids:
            report.add(
                F,
                ("steps", i, "station"),
                f"unknown station '{st.station}'{_suggest(st.station, station_ids)}",
            )
        if sources_known:
            _check_refs(report, F, ("steps", i, "sources"), st.sources, source_ids, "source")
        if questions_ok:
            _check_conditions(report, F, ("steps", i, "duration_when"), st.duration_when, qmap)
    station_effects = ("require", "not_needed", "settles", "explains")
    option_effects = ("rule_out", "favour", "disfavour")
    for i, r in rules:
        base = ("rules", i)
        if not any(getattr(r, e) for e in (*station_effects, *option_effects)):
            report.add(
                F,
                base,
                "a rule needs at least one effect: "
                + ", ".join((*station_effects, *option_effects)),
            )
        if questions_ok:
            _check_conditions(report, F, (*base, "when"), r.when, qmap)
            _check_conditions(report, F, (*base, "unless"), r.unless, qmap)
        if stations_ok:
            for eff in station_effects:
                _check_refs(report, F, (*base, eff), getattr(r, eff), station_ids, "station")
            for j, sid in enumerate(r.require):
                if sid in r.not_needed:
                    report.add(
                        F, (*base, "require", j), f"station '{sid}' is both required and not needed"
                    )
        if "choices" not in items.failed:
            for eff in option_effects:
                _check_refs(report, F, (*base, eff), getattr(r, eff), option_ids, "option")
            _check_refs(report, F, (*base, "with"), r.with_, option_ids, "option")
        if r.with_ and any(getattr(r, e) for e in option_effects):
            report.add(
                F,
                (*base, "with"),
                "a rule with 'with' acts only on stations: the choices are made before it",
            )
        if sources_known:
            _check_refs(report, F, (*base, "sources"), r.sources, source_ids, "source")
    for i, cond in items.valid["conditions"]:
        base = ("conditions", i)
        if "choices" not in items.failed:
            _check_refs(report, F, (*base, "of"), cond.of, option_ids, "option")
        if not cond.met and not cond.broken:
            report.add(
                F, base, "a condition needs cases that meet it ('met') or break it ('broken')"
            )
        if questions_ok:
            _check_conditions(report, F, (*base, "when"), cond.when, qmap)
        for part in ("met", "broken"):
            for k, case in enumerate(getattr(cond, part)):
                cb = (*base, part, k)
                if questions_ok:
                    _check_conditions(report, F, (*cb, "when"), case.when, qmap)
                    _check_conditions(report, F, (*cb, "unless"), case.unless, qmap)
                if "choices" not in items.failed:
                    _check_refs(report, F, (*cb, "with"), case.with_, option_ids, "option")
                if not (case.when or case.unless or case.with_):
                    report.add(F, cb, "a case needs when, unless or with (else it always holds)")
        if sources_known:
            _check_refs(report, F, (*base, "sources"), cond.sources, source_ids, "source")
    for i, fu in items.valid["futures"]:
        if stations_ok and fu.station not in station_ids:
            report.add(
                F,
                ("futures", i, "station"),
                f"unknown station '{fu.station}'{_suggest(fu.station, station_ids)}",
            )
        _check_refs(report, F, ("futures", i, "only_with"), fu.only_with, option_ids, "option")
    for i, jf in items.valid["journey"]:
        _check_refs(report, F, ("journey", i, "only_with"), jf.only_with, option_ids, "option")
        _check_refs(report, F, ("journey", i, "unless_with"), jf.unless_with, option_ids, "option")
        if (
            jf.min_months is not None
            and jf.max_months is not None
            and jf.min_months > jf.max_months
        ):
            report.add(F, ("journey", i, "min_months"), "min_months is more than max_months")
        if sources_known:
            _check_refs(report, F, ("journey", i, "sources"), jf.sources, source_ids, "source")


def model_of(file: str, key: str) -> type[BaseModel]:
    return LAYOUT[file][key][0]


def _in_reading_order(problems: list[Problem]) -> list[Problem]:
    """Files in their usual order, then by line, as a compiler lists errors."""
    order = {name: i for i, name in enumerate(LAYOUT)}
    return sorted(problems, key=lambda p: (order.get(p.file, -1), p.line or 0))


def load_data(directory: str | Path, with_lock: bool = True) -> MapData:
    """Read and validate a data directory; raise :class:`DataError` with every problem.
    ``with_lock``: read and check its layout lock too (``routemap layout --fresh`` does not)."""
    directory = Path(directory)
    report = Report()
    if not directory.is_dir():
        raise DataError([Problem(str(directory), "", "data directory not found")])
    items = _read_items(directory, report)
    _cross_check(report, items)
    lock = _read_lock(directory, report, items) if with_lock else None
    if report.problems:
        raise DataError(_in_reading_order(report.problems))

    def objs(key: str) -> tuple:
        return tuple(obj for _, obj in items.valid[key])

    return MapData(
        info=items.single["map"],
        sources=objs("sources"),
        stations=objs("stations"),
        lines=objs("lines"),
        areas=objs("areas"),
        questions=objs("questions"),
        rules=objs("rules"),
        choices=objs("choices"),
        conditions=objs("conditions"),
        retired_questions=objs("retired_questions"),
        steps=objs("steps"),
        futures=objs("futures"),
        journey=objs("journey"),
        publishers=objs("publishers"),
        warnings=tuple(_in_reading_order(report.warnings)),
        retired=objs("retired"),
        lock=lock,
    )


def _read_lock(directory: Path, report: Report, items: _Items) -> LayoutLock | None:
    """The layout lock, checked on its own and against the stations (layout/lock.py)."""
    from .layout.lock import check_against, read_lock
    from .retired import successors

    lock, problems = read_lock(directory)
    report.problems += problems
    if lock is None or {"stations", "lines"} & items.failed:
        return lock
    lines_at: dict[str, list[str]] = {}
    for _, ln in items.valid["lines"]:
        for sid in ln.stations:
            lines_at.setdefault(sid, []).append(ln.id)
    # every station the file names counts as on the map, even one with a problem of its own
    names = {sid: sid for sid in items.raw_ids["stations"]}
    names.update((st.id, st.name) for _, st in items.valid["stations"])
    retired = successors([r for _, r in items.valid["retired"]])
    problems, warnings = check_against(
        lock, names, {k: tuple(v) for k, v in lines_at.items()}, retired
    )
    doc = report.docs.get("stations.yaml")
    for problem in problems:  # the fix is in stations.yaml: point at its 'retired' list
        line = doc.line(("retired",)) if doc and "retired" in doc.data else None
        report.problems.append(replace(problem, line=line))
    report.warnings += warnings
    return lock


def check_data(data: MapData) -> list[Problem]:
    """The cross-file checks on data built in code (e.g. a synthetic map)."""
    report = Report()
    items = _Items()
    for key, objs in (
        ("sources", data.sources),
        ("stations", data.stations),
        ("lines", data.lines),
        ("areas", data.areas),
        ("questions", data.questions),
        ("rules", data.rules),
        ("choices", data.choices),
        ("conditions", data.conditions),
        ("retired_questions", data.retired_questions),
        ("steps", data.steps),
        ("futures", data.futures),
        ("journey", data.journey),
        ("publishers", data.publishers),
        ("retired", data.retired),
    ):
        items.valid[key] = list(enumerate(objs))
    _cross_check(report, items)
    return report.problems
