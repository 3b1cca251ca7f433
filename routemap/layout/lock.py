"""The layout lock: the accepted layout, kept in the data folder and reviewed like data.

It holds the map's grid as it was last accepted: each station's column and row and the order
of the lines through it, and each corridor that passes a column without a station (its row
there and its lines' order). Laying the map out starts from it (``fromlock``), so an edit to
the data moves little else; ``diff`` says what would move. Only ``routemap layout`` writes it;
the app, the exports and the preview read it.

Columns and rows are numbers, not places in a list: a column or row made for a new station
between two others is numbered between them (12.5), so nothing else is renumbered and the
file's own diff shows only what moved. ``routemap layout --fresh`` numbers them 0, 1, 2 again.

The file is read with the same safe YAML reader as the other data files, and checked by hand
rather than by a model: every problem is said with its path and line, never a traceback.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from ..problems import Problem, format_path, kind_of
from ..yamlsrc import YamlDoc, read_yaml

if TYPE_CHECKING:  # types only: the lock is read before any map exists
    from .layering import Layered

LOCK_FILE = "layout.lock.yaml"
VERSION = 1
MAX_SPREAD = 2  # times a too-flat drawing is given more room between its rows (engine)
REWRITE = "run 'routemap layout --fresh' to write a new lock"

HEADER = """\
# The layout lock: the accepted layout of this map. Written by `routemap layout`; do not edit.
#
# Each station's place on the map's grid (column: left to right; row: top to bottom) and the
# order of the lines through it, top to bottom (lines_out: on its right side, where lines change
# places inside its marker); each corridor that passes a column without a station: its row in
# each column it passes (points: [column, row]) and its lines, top to bottom. Laying the map out
# starts from this file, so an edit to the data moves little else: a station keeps its place
# unless a rule of the drawing would break or a new station needs room, and a column or row
# made between two others is numbered between them (12.5), so nothing else is renumbered.
# room: the room labels asked for (units) — above a row, before a column, and between two
# stations or corridor points (from>to@column) — kept so nothing shifts when laid out again.
#
# Review a change to this file like a change to the data. `routemap layout diff` says in words
# what an edit would move; `routemap layout` accepts it and rewrites this file; `routemap layout
# --fresh` lays the map out from scratch (anything may move). The app, the exports and
# `routemap preview` only read it.
"""

Key = Fraction  # a column or row: a number on the lock's grid


@dataclass(frozen=True)
class Cell:
    """A station as the lock keeps it. ``name`` is what it was called when accepted (for
    the words of a diff or a problem about a station the data no longer has)."""

    name: str
    column: Key
    row: Key
    lines: tuple[str, ...]  # top to bottom on its left side
    lines_out: tuple[str, ...]  # ... and on its right side (usually the same)


@dataclass(frozen=True)
class Corridor:
    """Track from one station to the next that passes columns without a station."""

    start: str
    end: str
    points: tuple[tuple[Key, Key], ...]  # (column, row), left to right
    lines: tuple[tuple[str, ...], ...]  # the lines top to bottom at each point


@dataclass(frozen=True)
class Room:
    """The room labels asked for when the layout was made (units), kept so that laying it
    out again starts with it and nothing shifts: extra height above a row, extra width
    before a column, and how far apart two nodes must be (a station, or a corridor's point
    written ``from>to@column``)."""

    rows: Mapping[Key, float] = field(default_factory=dict)
    columns: Mapping[Key, float] = field(default_factory=dict)
    apart: tuple[tuple[str, str, float], ...] = ()


@dataclass(frozen=True)
class LayoutLock:
    stations: Mapping[str, Cell]
    corridors: Mapping[tuple[str, str], Corridor] = field(default_factory=dict)
    spread_rows: int = 0  # times the rows were given more room (the drawing was too flat)
    room: Room = field(default_factory=Room)
    # where each station's entry is in the file (station id -> line), for problems
    lines_of: Mapping[str, int] = field(default_factory=dict, compare=False, repr=False)

    def cell(self, sid: str) -> tuple[Key, Key]:
        c = self.stations[sid]
        return c.column, c.row


# ---------------------------------------------------------------------------------------------
# numbers on the grid


def between(lo: Key | None, hi: Key | None) -> Key:
    """The shortest decimal strictly between ``lo`` and ``hi`` (either may be open), nearest
    their middle: 5 and 6 give 5.5, 5 and 5.5 give 5.2, nothing and 0 gives -1."""
    if lo is None and hi is None:
        return Fraction(0)
    if lo is None:
        return Fraction(math.ceil(hi) - 1)
    if hi is None:
        return Fraction(math.floor(lo) + 1)
    if hi <= lo:
        raise ValueError(f"nothing lies between {lo} and {hi}")
    middle = (lo + hi) / 2
    for digits in range(0, 30):
        step = Fraction(1, 10**digits)
        first, last = math.floor(lo / step) + 1, math.ceil(hi / step) - 1
        if first <= last:
            m = min(max(round(middle / step), first), last)
            return m * step
    return middle  # pragma: no cover - 30 digits always find one


def _number(k: Key) -> int | float:
    """A grid number as YAML writes it: 12, or 12.5 (between() only makes short decimals,
    which a float's shortest repr keeps exactly)."""
    if k.denominator == 1:
        return k.numerator
    if Fraction(repr(float(k))) != k:  # pragma: no cover - between() only makes short decimals
        raise ValueError(f"{k} is not a short decimal")
    return float(k)


def _number_text(k: Key) -> str:
    return str(_number(k))


def _key(value: Any) -> Key | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return Fraction(repr(value)) if isinstance(value, float) else Fraction(value)


# ---------------------------------------------------------------------------------------------
# writing


def _flow(value: Any) -> str:
    """One YAML value on one line (flow style), quoted where YAML needs it."""
    text = yaml.safe_dump(
        value, default_flow_style=True, width=10**9, allow_unicode=True, sort_keys=False
    )
    return text.strip().removesuffix("...").strip()


def lock_text(lock: LayoutLock) -> str:
    """The lock as its file: a header saying what it is, then sorted entries, one a line (so
    the file's own diff shows each station that moved as one changed line)."""
    out = [HEADER, f"version: {VERSION}", f"spread_rows: {lock.spread_rows}", "stations:"]
    for sid in sorted(lock.stations):
        c = lock.stations[sid]
        entry = {
            "name": c.name,
            "column": _number(c.column),
            "row": _number(c.row),
            "lines": list(c.lines),
        }
        if c.lines_out != c.lines:
            entry["lines_out"] = list(c.lines_out)
        out.append(f"  {_flow({sid: entry})[1:-1]}")
    out.append("corridors:" if lock.corridors else "corridors: []")
    for key in sorted(lock.corridors):
        cor = lock.corridors[key]
        same = all(ls == cor.lines[0] for ls in cor.lines)
        entry = {
            "from": cor.start,
            "to": cor.end,
            "lines": list(cor.lines[0]) if same else [list(ls) for ls in cor.lines],
            "points": [[_number(c), _number(r)] for c, r in cor.points],
        }
        out.append(f"  - {_flow(entry)}")
    room = lock.room
    out.append("room:")
    for key, values in (("rows", room.rows), ("columns", room.columns)):
        entry = {_number(k): v for k, v in sorted(values.items())}
        out.append(f"  {key}: {_flow(entry)}")
    out.append("  apart:" if room.apart else "  apart: []")
    out += [f"    - {_flow([u, v, sep])}" for u, v, sep in sorted(room.apart)]
    return "\n".join(out) + "\n"


def same_layout(a: LayoutLock, b: LayoutLock) -> bool:
    """The same grid, orders and room: the names the lock remembers aside."""

    def unnamed(lock: LayoutLock) -> LayoutLock:
        cells = {sid: replace(c, name="") for sid, c in lock.stations.items()}
        return replace(lock, stations=cells)

    return unnamed(a) == unnamed(b)


def write_lock(directory: Path, lock: LayoutLock) -> Path:
    """Write the lock into the data folder atomically (the old file or the new, never half)."""
    from ..atomic import write_text_atomic

    return write_text_atomic(Path(directory) / LOCK_FILE, lock_text(lock))


def point_name(a: str, b: str, column: Key) -> str:
    """A corridor's point as the lock's room names it."""
    return f"{a}>{b}@{_number_text(column)}"


def lock_of(
    lay: Layered,
    names: Mapping[str, str],
    spread_rows: int,
    room: tuple[dict, list, list] | None = None,
) -> LayoutLock:
    """The lock of a laid-out grid: what ``fromlock`` needs to draw it again exactly;
    ``room`` is the engine's (node pairs -> x apart, extra per row, extra per gap)."""
    ck, rk = lay.col_keys, lay.row_keys
    stations = {}
    for nid, n in lay.nodes.items():
        if n.real:
            stations[nid] = Cell(
                names[nid],
                Fraction(ck[n.col]),
                Fraction(rk[n.row]),
                tuple(lay.order[nid]),
                tuple(lay.order_out[nid]),
            )
    corridors = {}
    for (a, b), chain in lay.chains.items():
        if chain:
            corridors[(a, b)] = Corridor(
                a,
                b,
                tuple(
                    (Fraction(ck[lay.nodes[d].col]), Fraction(rk[lay.nodes[d].row])) for d in chain
                ),
                tuple(tuple(lay.order[d]) for d in chain),
            )
    return LayoutLock(stations, corridors, spread_rows, _room_of(lay, room))


def _room_of(lay: Layered, room: tuple[dict, list, list] | None) -> Room:
    if room is None:
        return Room()
    push, row_extra, col_extra = room
    name = {nid: nid for nid, n in lay.nodes.items() if n.real}
    for (a, b), chain in lay.chains.items():
        for d in chain:
            name[d] = point_name(a, b, Fraction(lay.col_keys[lay.nodes[d].col]))
    n_rows, n_cols = len(lay.row_keys), len(lay.col_keys)
    return Room(
        {Fraction(lay.row_keys[r]): v for r, v in enumerate(row_extra) if 0 < r < n_rows and v},
        {Fraction(lay.col_keys[c]): v for c, v in enumerate(col_extra) if 0 < c < n_cols and v},
        tuple(sorted((name[u], name[v], sep) for (u, v), sep in push.items())),
    )


# ---------------------------------------------------------------------------------------------
# reading and checking


class _Check:
    def __init__(self, doc: YamlDoc):
        self.doc = doc
        self.problems: list[Problem] = []

    def add(self, path: tuple, message: str, hint: bool = True) -> None:
        text = f"{message}; {REWRITE}" if hint else message
        self.problems.append(Problem(LOCK_FILE, format_path(path), text, self.doc.line(path)))


def _kebab_list(check: _Check, path: tuple, value: Any) -> tuple[str, ...] | None:
    if not isinstance(value, list) or not value:
        check.add(path, "must be a list of line ids, not " + kind_of(value))
        return None
    if not all(isinstance(v, str) and v for v in value):
        check.add(path, "must be a list of line ids")
        return None
    if len(set(value)) != len(value):
        check.add(path, "names a line twice")
        return None
    return tuple(value)


def _keys(check: _Check, path: tuple, value: dict, allowed: tuple, required: tuple) -> bool:
    ok = True
    for key in value:
        if key not in allowed:
            check.add((*path, str(key)), f"unknown key (allowed: {', '.join(allowed)})")
            ok = False
    for key in required:
        if key not in value:
            check.add(path, f"'{key}' is required")
            ok = False
    return ok


def _station(check: _Check, sid: Any, raw: Any) -> Cell | None:
    path = ("stations", str(sid))
    if not isinstance(sid, str) or not sid:
        check.add(("stations",), f"'{sid}' is not a station id")
        return None
    if not isinstance(raw, dict):
        check.add(path, f"must be a mapping (name, column, row, lines), not {kind_of(raw)}")
        return None
    allowed = ("name", "column", "row", "lines", "lines_out")
    if not _keys(check, path, raw, allowed, allowed[:4]):
        return None
    name = raw["name"]
    if not isinstance(name, str) or not name.strip():
        check.add((*path, "name"), "must be the station's name")
        return None
    column, row = _key(raw["column"]), _key(raw["row"])
    if column is None or column < 0:
        check.add((*path, "column"), "must be a number, 0 or more")
        return None
    if row is None:
        check.add((*path, "row"), "must be a number")
        return None
    lines = _kebab_list(check, (*path, "lines"), raw["lines"])
    if lines is None:
        return None
    out = lines
    if "lines_out" in raw:
        out = _kebab_list(check, (*path, "lines_out"), raw["lines_out"])
        if out is None:
            return None
        if set(out) != set(lines):
            check.add((*path, "lines_out"), "must name the same lines as 'lines'")
            return None
    return Cell(name, column, row, lines, out)


def _corridor(check: _Check, i: int, raw: Any) -> Corridor | None:
    path = ("corridors", i)
    if not isinstance(raw, dict):
        check.add(path, f"must be a mapping (from, to, lines, points), not {kind_of(raw)}")
        return None
    allowed = ("from", "to", "lines", "points")
    if not _keys(check, path, raw, allowed, allowed):
        return None
    start, end = raw["from"], raw["to"]
    for key, value in (("from", start), ("to", end)):
        if not isinstance(value, str) or not value:
            check.add((*path, key), "must be a station id")
            return None
    points_raw = raw["points"]
    if not isinstance(points_raw, list) or not points_raw:
        check.add((*path, "points"), "must be a list of [column, row] pairs")
        return None
    points = []
    for j, p in enumerate(points_raw):
        pair = [_key(v) for v in p] if isinstance(p, list) and len(p) == 2 else [None]
        if None in pair:
            check.add((*path, "points", j), "must be a [column, row] pair of numbers")
            return None
        points.append((pair[0], pair[1]))
    if any(b[0] <= a[0] for a, b in zip(points, points[1:], strict=False)):
        check.add((*path, "points"), "columns must run left to right")
        return None
    lines_raw = raw["lines"]
    if isinstance(lines_raw, list) and lines_raw and all(isinstance(v, list) for v in lines_raw):
        if len(lines_raw) != len(points):
            check.add((*path, "lines"), "needs one list of lines for each point")
            return None
        per = [_kebab_list(check, (*path, "lines", j), v) for j, v in enumerate(lines_raw)]
        if any(v is None for v in per):
            return None
        if any(set(v) != set(per[0]) for v in per):
            check.add((*path, "lines"), "must name the same lines at every point")
            return None
        lines = tuple(per)
    else:
        one = _kebab_list(check, (*path, "lines"), lines_raw)
        if one is None:
            return None
        lines = tuple(one for _ in points)
    return Corridor(start, end, tuple(points), lines)


def parse_lock(doc: YamlDoc) -> tuple[LayoutLock | None, list[Problem]]:
    """The lock in a read file, or None and every problem that breaks it."""
    check = _Check(doc)
    data = doc.data
    if not isinstance(data, dict):
        keys = "version, spread_rows, stations, corridors, room"
        check.add((), f"must be a mapping ({keys}), not {kind_of(data)}")
        return None, check.problems
    allowed = ("version", "spread_rows", "stations", "corridors", "room")
    _keys(check, (), data, allowed, ("version", "stations"))
    version = data.get("version")
    if "version" in data and version != VERSION:
        check.add(("version",), f"is {version!r}: this routemap reads version {VERSION}")
    spread = data.get("spread_rows", 0)
    if isinstance(spread, bool) or not isinstance(spread, int) or not 0 <= spread <= MAX_SPREAD:
        check.add(("spread_rows",), f"must be a whole number from 0 to {MAX_SPREAD}")
        spread = 0
    raw_stations = data.get("stations")
    stations: dict[str, Cell] = {}
    lines_of: dict[str, int] = {}
    taken: dict[tuple[Key, Key], str] = {}  # cell -> what is there
    if "stations" in data and not isinstance(raw_stations, dict):
        check.add(
            ("stations",), f"must be a mapping of station id to place, not {kind_of(raw_stations)}"
        )
    elif isinstance(raw_stations, dict):
        for sid, raw in raw_stations.items():
            cell = _station(check, sid, raw)
            if cell is None:
                continue
            other = taken.get((cell.column, cell.row))
            if other is not None:
                check.add(
                    ("stations", sid),
                    f"is in the same place as '{other}' (column {_number_text(cell.column)}, "
                    f"row {_number_text(cell.row)})",
                )
                continue
            taken[(cell.column, cell.row)] = sid
            stations[sid] = cell
            lines_of[sid] = doc.line(("stations", sid)) or 0
    corridors: dict[tuple[str, str], Corridor] = {}
    raw_corridors = data.get("corridors", [])
    if not isinstance(raw_corridors, list):
        check.add(("corridors",), f"must be a list, not {kind_of(raw_corridors)}")
        raw_corridors = []
    for i, raw in enumerate(raw_corridors):
        cor = _corridor(check, i, raw)
        if cor is None:
            continue
        path = ("corridors", i)
        if (cor.start, cor.end) in corridors:
            check.add(path, f"the corridor from '{cor.start}' to '{cor.end}' is listed twice")
            continue
        ends = [stations.get(cor.start), stations.get(cor.end)]
        for key, sid, cell in (("from", cor.start, ends[0]), ("to", cor.end, ends[1])):
            if cell is None and isinstance(raw_stations, dict) and sid not in raw_stations:
                check.add((*path, key), f"'{sid}' is not a station of the lock")
        if None in ends:
            continue
        if cor.points[0][0] <= ends[0].column or cor.points[-1][0] >= ends[1].column:
            check.add((*path, "points"), "must lie between the columns of its two stations")
            continue
        mine = f"{cor.start}>{cor.end}"
        clash = next((p for p in cor.points if taken.setdefault(p, mine) != mine), None)
        if clash is not None:
            check.add(
                (*path, "points"),
                f"passes column {_number_text(clash[0])}, row {_number_text(clash[1])}, where "
                "something else is",
            )
            continue
        corridors[(cor.start, cor.end)] = cor
    room = _room(check, data.get("room", {}))
    if check.problems:
        return None, check.problems
    return LayoutLock(stations, corridors, spread, room or Room(), lines_of), []


def _room(check: _Check, raw: Any) -> Room | None:
    if not isinstance(raw, dict):
        check.add(("room",), f"must be a mapping (rows, columns, apart), not {kind_of(raw)}")
        return None
    if not _keys(check, ("room",), raw, ("rows", "columns", "apart"), ()):
        return None
    extra: dict[str, dict[Key, float]] = {}
    for key in ("rows", "columns"):
        values = raw.get(key, {})
        if not isinstance(values, dict):
            check.add(("room", key), f"must be a mapping of {key[:-1]} to units")
            return None
        out = {}
        for k, v in values.items():
            where = _key(k)
            if where is None or isinstance(v, bool) or not isinstance(v, int | float) or v < 0:
                check.add(("room", key, k), "must be a number of units, 0 or more")
                return None
            out[where] = float(v)
        extra[key] = out
    apart = raw.get("apart", [])
    if not isinstance(apart, list):
        check.add(("room", "apart"), "must be a list of [node, node, units]")
        return None
    pairs = []
    for i, item in enumerate(apart):
        ok = (
            isinstance(item, list)
            and len(item) == 3
            and all(isinstance(x, str) and x for x in item[:2])
            and not isinstance(item[2], bool)
            and isinstance(item[2], int | float)
        )
        if not ok:
            check.add(("room", "apart", i), "must be [node, node, units]")
            return None
        pairs.append((item[0], item[1], float(item[2])))
    return Room(extra["rows"], extra["columns"], tuple(pairs))


def read_lock(directory: Path) -> tuple[LayoutLock | None, list[Problem]]:
    """The data folder's lock (None where there is none yet), or its problems."""
    if not (Path(directory) / LOCK_FILE).is_file():
        return None, []
    doc, problems = read_yaml(Path(directory), LOCK_FILE)
    if doc is None or problems:
        return None, [
            Problem(p.file, p.path, f"{p.message}; {REWRITE}", p.line, p.warning) for p in problems
        ]
    return parse_lock(doc)


def check_against(
    lock: LayoutLock,
    stations: Mapping[str, str],
    lines_at: Mapping[str, tuple[str, ...]],
    retired: Mapping[str, str],
) -> tuple[list[Problem], list[Problem]]:
    """The lock against the data (station id -> name, and the lines at each): a station the
    lock has that the data dropped without naming its successor is a problem (saved links
    and progress name it); a lock that is behind the data is a warning (the map still draws,
    starting from it)."""
    problems, behind = [], []
    for sid, cell in lock.stations.items():
        if sid not in stations and sid not in retired:
            problems.append(
                Problem(
                    "stations.yaml",
                    "retired",
                    f"station '{sid}' ({cell.name}) was taken off the map without a successor: "
                    f"add it under 'retired' with 'now:' naming the station that replaces it, "
                    f"so saved links, answers files and progress that name it keep working (the "
                    f"layout lock, {LOCK_FILE} line {lock.lines_of.get(sid, 0)}, still has it)",
                )
            )
    new = [name for sid, name in stations.items() if sid not in lock.stations]
    gone = [sid for sid in lock.stations if sid not in stations]
    changed = [
        sid
        for sid, cell in lock.stations.items()
        if sid in lines_at and set(cell.lines) != set(lines_at[sid])
    ]
    if new or gone or changed:
        parts = []
        if new:
            parts.append(f"{len(new)} new station{'s' if len(new) != 1 else ''} to place")
        if gone:
            parts.append(f"{len(gone)} station{'s' if len(gone) != 1 else ''} gone")
        if changed:
            parts.append(
                f"{len(changed)} station{'s' if len(changed) != 1 else ''} with other lines"
            )
        behind.append(
            Problem(
                LOCK_FILE,
                "",
                f"the layout lock is behind the data ({', '.join(parts)}): the map is drawn "
                "from it with the changes placed; 'routemap layout diff' says what moves, "
                "'routemap layout' accepts it",
                None,
                warning=True,
            )
        )
    return problems, behind
