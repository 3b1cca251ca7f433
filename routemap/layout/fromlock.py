"""The grid laid out from the lock: what was accepted is kept, and only the edits are placed.

A fresh layout (``layering.build_layered``) orders the whole map to cross least, and one new
station can reshuffle it all. Starting from the lock instead keeps every station's column and
row and every order of lines the lock has, unless a rule of the drawing would break:

- **columns**: a station keeps its column while the flow still runs left to right into it;
  otherwise it moves right to the first column past the stations before it. A new station
  goes in a column between the stations before and after it, where its line already passes
  (the corridor it splits) if one lies between, else in a new column numbered between the two
  (nothing else is renumbered: the lock's numbers are places on a grid, not places in a list);
- **rows**: the kept stations and corridors keep theirs; a new station takes the cell its
  line passed through, or a free row beside it, else a new row between two;
- **line orders**: kept; a line new to a station or corridor goes where it crosses fewest
  lines beside it (sifting only what is new).

No crossing reduction or row programme runs, so laying out from the lock is also cheaper.
"""

from __future__ import annotations

import bisect
from fractions import Fraction
from typing import TYPE_CHECKING

from .layering import (
    Layered,
    _column_slots,
    _gap_segments,
    _inversions,
    _set_order,
    best_place,
    skeleton,
)
from .lock import Key, LayoutLock, Room, between

if TYPE_CHECKING:  # the map is only a type here: core imports layout, not back
    from ..core import RouteMap


class _Axis:
    """The keys of the columns (or rows) in use, sorted."""

    def __init__(self, keys):
        self.keys: list[Key] = sorted(set(keys))

    def add(self, k: Key) -> None:
        i = bisect.bisect_left(self.keys, k)
        if i == len(self.keys) or self.keys[i] != k:
            self.keys.insert(i, k)

    def inside(self, lo: Key | None, hi: Key | None) -> list[Key]:
        i = 0 if lo is None else bisect.bisect_right(self.keys, lo)
        j = len(self.keys) if hi is None else bisect.bisect_left(self.keys, hi)
        return self.keys[i:j]

    def after(self, k: Key) -> Key | None:
        i = bisect.bisect_right(self.keys, k)
        return self.keys[i] if i < len(self.keys) else None

    def neighbour(self, k: Key, step: int) -> Key | None:
        i = bisect.bisect_left(self.keys, k) + step
        return self.keys[i] if 0 <= i < len(self.keys) else None


def _columns(rm: RouteMap, lock: LayoutLock) -> tuple[dict[str, Key], _Axis]:
    g = rm.graph
    preds = {v: {a for a, _ in g.in_edges(v)} for v in rm.order}
    succs = {v: {b for _, b in g.out_edges(v)} for v in rm.order}
    edges = set(g.edges())
    axis = _Axis(lock.stations[s].column for s in rm.order if s in lock.stations)
    for (a, b), cor in lock.corridors.items():
        if (a, b) in edges and a in lock.stations and b in lock.stations:
            for k, _ in cor.points:
                axis.add(k)

    upper: dict[str, Key | None] = {}

    def bound(v: str) -> Key | None:
        """The column a new station must stay left of: its next kept station's, or the
        bound of the new station after it."""
        if v not in upper:
            found = None
            for s in succs[v]:
                k = lock.stations[s].column if s in lock.stations else bound(s)
                if k is not None and (found is None or k < found):
                    found = k
            upper[v] = found
        return upper[v]

    col: dict[str, Key] = {}
    for v in rm.order:
        lo = max((col[p] for p in preds[v]), default=None)
        if v in lock.stations:
            k = lock.stations[v].column
            if lo is None or k > lo:
                col[v] = k
                continue
            # the flow would run backwards into it: the first column past what comes before
            k = axis.after(lo)
            col[v] = k if k is not None else between(lo, None)
            axis.add(col[v])
            continue
        hi = bound(v)
        if lo is not None and hi is not None and hi <= lo:
            hi = axis.after(lo)  # no room left before the next kept station: it moves on
        free = axis.inside(lo, hi)
        if free:
            passing = set()  # columns where its line already ran, as a corridor it splits
            for p in preds[v]:
                for s in succs[v]:
                    cor = lock.corridors.get((p, s))
                    if cor is not None:
                        passing.update(k for k, _ in cor.points)
            pool = [k for k in free if k in passing] or free
            k = pool[0] if lo is None else pool[-1] if hi is None else pool[(len(pool) - 1) // 2]
        else:
            k = between(lo, hi)
            axis.add(k)
        col[v] = k
    return col, axis


def _was(rm: RouteMap, lock: LayoutLock, a: str, b: str) -> dict[Key, tuple[Key, tuple | None]]:
    """Where the lines of this edge ran in the lock, column -> (row, lines top to bottom):
    its own corridor; or, where a new station split a corridor or a station was taken off
    between two, the way its lines ran from the kept station before to the kept one after,
    through the cells of the stations taken off."""
    own = lock.corridors.get((a, b))
    if own is not None and a in lock.stations and b in lock.stations:
        return {k: (r, ls) for (k, r), ls in zip(own.points, own.lines, strict=True)}
    found: dict[Key, tuple[Key, tuple | None]] = {}
    for lid in rm.graph[a][b]:
        stops = rm.lines[lid].stations
        i, j = stops.index(a), stops.index(b)
        while i > 0 and stops[i] not in lock.stations:
            i -= 1
        while j < len(stops) - 1 and stops[j] not in lock.stations:
            j += 1
        p, s = stops[i], stops[j]
        if p not in lock.stations or s not in lock.stations:
            continue
        lo, hi = lock.stations[p].column, lock.stations[s].column
        gone = sorted(
            (cell.column, sid)
            for sid, cell in lock.stations.items()
            if sid not in rm.stations and lid in cell.lines and lo < cell.column < hi
        )
        path = [p, *(sid for _, sid in gone), s]
        for sid in path[1:-1]:  # its lines changed places inside its marker, if at all: with
            cell = lock.stations[sid]  # no marker now, they carry on in the order they come
            found.setdefault(cell.column, (cell.row, None))
        for u, v in zip(path, path[1:], strict=False):
            cor = lock.corridors.get((u, v))
            if cor is not None:
                for (k, r), ls in zip(cor.points, cor.lines, strict=True):
                    found.setdefault(k, (r, ls))
    return found


def layered_from_lock(rm: RouteMap, lock: LayoutLock) -> Layered:
    col_key, axis = _columns(rm, lock)
    index = {k: i for i, k in enumerate(axis.keys)}
    sk = skeleton(rm, {sid: index[k] for sid, k in col_key.items()})
    nodes = sk.nodes
    keys_of = axis.keys

    # rows: the kept first, then what is new, each in a free cell of its column
    rows = _Axis(
        [lock.stations[s].row for s in rm.order if s in lock.stations]
        + [
            r
            for (a, b), cor in lock.corridors.items()
            if (a, b) in sk.chains
            for _, r in cor.points
        ]
    )
    occupied: dict[int, dict[Key, str]] = {}
    row: dict[str, Key] = {}

    def claim(nid: str, r: Key) -> None:
        occupied.setdefault(nodes[nid].col, {})[r] = nid
        row[nid] = r
        rows.add(r)

    def free(nid: str, r: Key) -> bool:
        return r not in occupied.get(nodes[nid].col, {})

    def near(nid: str, r: Key, up: bool) -> Key:
        """A free row for ``nid`` at or beside ``r``: r, a row next to it, or a new row
        between r and its neighbour (on the side ``up`` asks for first)."""
        if free(nid, r):
            return r
        first, second = (-1, 1) if up else (1, -1)
        for step in (first, second):
            other = rows.neighbour(r, step)
            if other is not None and free(nid, other):
                return other
        other = rows.neighbour(r, first)
        return between(other, r) if up else between(r, other)

    moved = []
    for sid in rm.order:
        cell = lock.stations.get(sid)
        if cell is None:
            continue
        if col_key[sid] == cell.column and free(sid, cell.row):
            claim(sid, cell.row)
        else:
            moved.append(sid)
    for sid in moved:
        claim(sid, near(sid, lock.stations[sid].row, True))
    was: dict[str, tuple] = {}  # point -> the lines' order where its line ran in the lock
    for (a, b), chain in sk.chains.items():
        at = _was(rm, lock, a, b) if chain else {}
        for d in chain:
            old = at.get(keys_of[nodes[d].col])
            if old is not None and free(d, old[0]):
                claim(d, old[0])
                if old[1] is not None:
                    was[d] = old[1]

    def points(keys: list[tuple[str, str]]) -> None:
        """Rows for the points of these corridors that have none, where one is free: first
        where the line runs level through (the row before it is the row after it), then the
        row before it or the row after it."""
        for level in (True, False):
            for key in keys:
                hops = [key[0], *sk.chains[key], key[1]]
                for i in range(1, len(hops) - 1):
                    d = hops[i]
                    if d in row or hops[i - 1] not in row:
                        continue
                    before = row[hops[i - 1]]
                    after = next((row[h] for h in hops[i + 1 :] if h in row), None)
                    wants = [before] if before == after else [] if level else [before, after]
                    r = next((w for w in wants if w is not None and free(d, w)), None)
                    if r is not None:
                        claim(d, r)

    # a corridor the lock had, now passing a new column, goes on through it as it ran
    points(
        [
            (a, b)
            for (a, b) in sk.chains
            if a in lock.stations and b in lock.stations and a not in moved and b not in moved
        ]
    )
    g = rm.graph
    for sid in rm.order:
        if sid in row:
            continue
        wants: list[Key] = []
        up = True
        for ln in rm.data.lines:  # the cell its line ran through, where it splits a corridor
            stops = ln.stations
            if sid in stops[1:-1]:
                i = stops.index(sid)
                before, after = stops[i - 1], stops[i + 1]
                cor = lock.corridors.get((before, after))
                if cor is not None:
                    wants += [r for k, r in cor.points if k == col_key[sid]]
                cell = lock.stations.get(before)
                if cell is not None and ln.id in cell.lines_out:  # beside the bundle, on
                    up = cell.lines_out.index(ln.id) < len(cell.lines_out) / 2  # its line's side
        wants += [row[a] for a, _ in g.in_edges(sid) if a in row]
        wants += [row[b] for _, b in g.out_edges(sid) if b in row]
        if not wants:
            wants = [rows.keys[0] if rows.keys else Fraction(0)]
        r = next((w for w in wants if free(sid, w)), None)
        claim(sid, r if r is not None else near(sid, wants[0], up))
    points(list(sk.chains))
    _stack(sk, row, occupied, rows, claim)

    # line orders: the lock's, with what is new sifted in where it crosses least
    order: dict[str, list[str]] = {}
    order_out: dict[str, list[str]] = {}
    new: list[tuple[str, str, str]] = []  # (node, side, line) to place
    rank = {ln.id: i for i, ln in enumerate(rm.data.lines)}
    kept_orders: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {}
    for sid, cell in lock.stations.items():
        if sid in nodes:
            kept_orders[sid] = (cell.lines, cell.lines_out)
    for d, ls in was.items():
        kept_orders[d] = (ls, ls)
    joined: dict[str, list[str]] = {}  # point -> lines new to its corridor
    for nid, n in nodes.items():
        have = set(n.lines)
        kept = kept_orders.get(nid)
        if not n.real and kept is None:  # a new point on a corridor: set below, once the
            order[nid] = order_out[nid] = list(n.lines)  # point before it has its order
            continue
        for side, base in zip(("in", "out") if n.real else ("in",), kept or ((), ()), strict=False):
            mine = [lid for lid in base if lid in have]
            extra = sorted(have - set(mine), key=rank.__getitem__)
            (order if side == "in" else order_out)[nid] = mine + extra
            if n.real:
                new += [(nid, side, lid) for lid in extra]
            elif extra:
                joined[nid] = extra
        if not n.real:
            order_out[nid] = order[nid]

    n_cols = len(axis.keys)
    layers = [[] for _ in range(n_cols)]
    for nid, n in nodes.items():
        layers[n.col].append(nid)
    for layer in layers:
        layer.sort(key=row.__getitem__)
    row_index = {r: i for i, r in enumerate(sorted(set(row.values())))}
    for nid, n in nodes.items():
        n.row = row_index[row[nid]]
    lay = Layered(
        nodes,
        layers,
        sk.paths,
        sk.succ,
        sk.pred,
        order,
        order_out,
        sk.chains,
        list(axis.keys),
        sorted(row_index, key=row_index.__getitem__),
    )
    # a new point on a corridor carries on the order it comes in with: where the lines must
    # change places, the station at the corridor's end takes them in another order and they
    # change places inside its marker (sifted below), not in the open
    for (a, _), chain in sk.chains.items():
        prev = a
        for d in chain:
            before = lay.order_out[prev]
            if d not in kept_orders:
                ls = sorted(nodes[d].lines, key=lambda lid, b=before: b.index(lid))
                _set_order(lay, d, ls, "in")
            elif d in joined:  # a line new to a kept corridor joins it on its own side
                ls = [lid for lid in lay.order[d] if lid not in joined[d]]
                for lid in joined[d]:
                    at = before.index(lid)
                    ls.insert(sum(1 for m in ls if before.index(m) < at), lid)
                _set_order(lay, d, ls, "in")
            prev = d
    # a line that now stops at a new station may move to the edge of its bundle on the way
    # there and back (else it crosses the lines beside it twice to reach the station)
    for sid in rm.order:
        if sid in lock.stations:
            continue
        for a, _, lid in rm.graph.in_edges(sid, keys=True):
            if a in kept_orders:
                new.append((a, "out", lid))
        for _, b, lid in rm.graph.out_edges(sid, keys=True):
            if b in kept_orders:
                new.append((b, "in", lid))
    # ... and so may a line whose corridor now runs where the lock had none (a station taken
    # off between two kept ones, its lines going on past its column)
    for (a, b), chain in sk.chains.items():
        own = lock.corridors.get((a, b))
        if chain and (own is None or any(d not in kept_orders for d in chain)):
            lines = nodes[chain[0]].lines
            new += [(a, "out", lid) for lid in lines if a in kept_orders]
            new += [(b, "in", lid) for lid in lines if b in kept_orders]
    _sift(lay, new)
    return lay


def _stack(sk, row, occupied, rows: _Axis, claim) -> None:
    """The points still without a row, column by column from the left: those coming from
    the same row fan out from it in the order of the rows they head for (the one heading
    most nearly level keeps the row if it is free), each in the row next to the last, or a
    new row between, so they do not cross one another."""
    todo: dict[int, list[tuple[str, str, str]]] = {}  # column -> (point, before, end)
    for (a, b), chain in sk.chains.items():
        hops = [a, *chain, b]
        for i, d in enumerate(chain, start=1):
            if d not in row:
                todo.setdefault(sk.nodes[d].col, []).append((d, hops[i - 1], hops[i + 1 :]))

    def after_of(rest: list[str]) -> Key:
        return next(row[h] for h in rest if h in row)

    def slot(c: int, anchor: Key, up: bool, toward: Key) -> Key:
        """The row next to ``anchor`` if free; else the nearest free row on the way to the
        row the line heads for (it passes those rows anyway); else a new row between (a new
        row costs the whole map its height, so it is the last resort)."""
        taken = occupied.get(c, {})
        other = rows.neighbour(anchor, -1 if up else 1)
        if other is not None and other not in taken:
            return other
        on_the_way = [
            r for r in rows.keys if (toward <= r < anchor if up else anchor < r <= toward)
        ]
        for r in sorted(on_the_way, key=lambda r: abs(r - anchor)):
            if r not in taken:
                return r
        return between(other, anchor) if up else between(anchor, other)

    for c in sorted(todo):
        items = sorted(
            ((row[before], after_of(rest), d) for d, before, rest in todo[c]),
            key=lambda t: (t[0], t[1], t[2]),
        )
        groups: dict[Key, list[tuple[Key, str]]] = {}
        for before, after, d in items:
            groups.setdefault(before, []).append((after, d))
        pivots: dict[Key, Key] = {}  # the row each group fans out from -> where that heads
        for before, group in groups.items():
            if before not in occupied.get(c, {}):
                after, d = min(group, key=lambda t: (abs(t[0] - before), t[0], t[1]))
                claim(d, before)
                group.remove((after, d))
                pivots[before] = after
        for before, group in groups.items():
            if before in pivots:
                level = pivots[before]
            else:
                there = occupied[c][before]
                level = (
                    next((row[h] for h in sk.succ[there] if h in row), before)
                    if not sk.nodes[there].real
                    else before
                )
            ups = sorted((t for t in group if t[0] < level), reverse=True)
            downs = sorted(t for t in group if t[0] >= level)
            for side, up in ((ups, True), (downs, False)):
                anchor = before
                for toward, d in side:
                    anchor = slot(c, anchor, up, toward)
                    claim(d, anchor)


def _sift(lay: Layered, items: list[tuple[str, str, str]]) -> None:
    """Move each new (node, side, line) to the place in its node's order with the fewest
    crossings in the gaps either side of its column; everything else stays."""
    if not items:
        return
    gaps = _gap_segments(lay)

    def local(c: int) -> int:
        total = 0
        if c >= 1:
            there, here = _column_slots(lay, c - 1, "out"), _column_slots(lay, c, "in")
            total += _inversions([(there[(a, lid)], here[(b, lid)]) for a, b, lid in gaps[c - 1]])
        if c < len(gaps):
            here, there = _column_slots(lay, c, "out"), _column_slots(lay, c + 1, "in")
            total += _inversions([(here[(a, lid)], there[(b, lid)]) for a, b, lid in gaps[c]])
        return total

    todo = sorted(items, key=lambda t: (lay.nodes[t[0]].col, lay.nodes[t[0]].row, t[1]))
    for _ in range(2):
        for nid, side, lid in todo:
            c = lay.nodes[nid].col
            current = lay.order[nid] if side == "in" else lay.order_out[nid]
            if len(current) > 1:
                best_place(current, lid, local(c), lambda c=c: local(c))


def room_for(lay: Layered, room: Room) -> tuple[dict, list, list]:
    """The lock's room on this grid, as the engine keeps it: (node pairs -> x apart, extra
    above each row, extra before each column). Room for what the grid no longer has is
    dropped; room the grid still has is kept, so what did not change does not shift."""
    row_at = {Fraction(k): i for i, k in enumerate(lay.row_keys)}
    col_at = {Fraction(k): i for i, k in enumerate(lay.col_keys)}
    row_extra = [0.0] * (len(lay.row_keys) + 1)
    col_extra = [0.0] * (len(lay.col_keys) + 1)
    for k, v in room.rows.items():
        if k in row_at:
            row_extra[row_at[k]] = v
    for k, v in room.columns.items():
        if k in col_at:
            col_extra[col_at[k]] = v
    node: dict[str, str] = {nid: nid for nid, n in lay.nodes.items() if n.real}
    for (a, b), chain in lay.chains.items():
        for d in chain:
            k = Fraction(lay.col_keys[lay.nodes[d].col])
            node[f"{a}>{b}@{_text(k)}"] = d
    push = {}
    for u, v, sep in room.apart:
        if u in node and v in node:
            push[(node[u], node[v])] = sep
    return push, row_extra, col_extra


def _text(k: Key) -> str:
    from .lock import point_name

    return point_name("", "", k)[2:]
