"""The comparison of routes in words: its sources numbered as a board paper's notes, as plain
text (the CLI) and as CSV (the board paper's spreadsheet). Sources are named by publisher and
title, never by id; the page (``compare.html``) numbers them the same way."""

from __future__ import annotations

import csv
import io
import textwrap
from dataclasses import dataclass

from ..citing import source_meta
from ..core import RouteMap
from . import results as R

WIDTH = 92


@dataclass(frozen=True)
class Note:
    number: int
    title: str
    url: str
    meta: str  # publisher, kind, dates


@dataclass(frozen=True)
class Notes:
    """Every source the comparison cites, numbered in the order first cited, and each cell's
    numbers (rows' ids -> one list per column)."""

    notes: list[Note]
    cells: dict[str, list[list[int]]]


def notes(rm: RouteMap, result: R.CompareResult, rows: list[R.CompareRow] | None = None) -> Notes:
    number: dict[str, int] = {}
    cells: dict[str, list[list[int]]] = {}
    for row in rows if rows is not None else result.rows:
        cells[row.row] = []
        for cell in row.cells:
            for sid in cell.sources:
                number.setdefault(sid, len(number) + 1)
            cells[row.row].append([number[s] for s in cell.sources])
    out = []
    for sid, n in number.items():
        src = rm.sources[sid]
        out.append(Note(n, src.title, src.url, source_meta(src)))
    return Notes(out, cells)


def shown_rows(result: R.CompareResult) -> list[R.CompareRow]:
    keep = set(result.shown)
    return [r for r in result.rows if r.row in keep]


def refs(numbers: list[int]) -> str:
    return " ".join(f"[{n}]" for n in numbers)


def column_title(col: R.CompareColumn) -> str:
    return f"{col.name} (your route)" if col.own else col.name


def compare_text(rm: RouteMap, result: R.CompareResult) -> str:
    """The comparison as text: each row, then each route's cell under it, then the notes."""
    if not result.columns:
        return _nothing(result)
    rows = shown_rows(result)
    numbered = notes(rm, result, rows)
    out = ["Routes side by side: " + "; ".join(column_title(c) for c in result.columns)]
    if result.only_differences:
        hidden = len(result.rows) - len(rows)
        out.append(
            f"Only the differences: {hidden} rows where every route says the same are hidden."
        )
    for row in rows:
        out += ["", row.name.upper()]
        for col, cell, nums in zip(result.columns, row.cells, numbered.cells[row.row], strict=True):
            out.append(_wrap(f"{col.name}: {cell.text} {refs(nums)}".rstrip(), "  - ", "    "))
    out += ["", "SOURCES"]
    for n in numbered.notes:
        out.append(_wrap(f"[{n.number}] {n.title} ({n.meta}) {n.url}", "  ", "      "))
    closed = [r for r in result.routes if not r.open]
    if closed:
        out += ["", "NOT OPEN WITH YOUR ANSWERS"]
        out += [_wrap(f"{r.name}: {r.why}", "  - ", "    ") for r in closed]
    return "\n".join(out)


NOTHING = "No route to a mutual is open with these answers, so there are no routes to compare."


def _nothing(result: R.CompareResult) -> str:
    return NOTHING + " 'routemap route' with the same answers says why, and the nearest routes."


def compare_csv(rm: RouteMap, result: R.CompareResult) -> str:
    """One line per row: the row's name, then each route's cell and its sources (publisher,
    title and address), for a spreadsheet or a board paper's appendix."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    if not result.columns:
        w.writerow([NOTHING])
        return buf.getvalue()
    head = ["Row"]
    for col in result.columns:
        head += [column_title(col), f"{col.name}: sources"]
    w.writerow(head)
    for row in shown_rows(result):
        line = [row.name]
        for cell in row.cells:
            line.append("\n".join(cell.lines))
            line.append(
                "\n".join(
                    f"{rm.sources[s].title} ({rm.sources[s].publisher or 'publisher not named'}) "
                    f"{rm.sources[s].url}"
                    for s in cell.sources
                )
            )
        w.writerow(line)
    return buf.getvalue()


def _wrap(text: str, indent: str, rest: str) -> str:
    return textwrap.fill(text, WIDTH, initial_indent=indent, subsequent_indent=rest)
