"""Columns and rows: a layered (Sugiyama-style) placement of the flow on a grid.

Columns come from the stations' order in the flow (longest-path layering, then each station
pulled towards the side carrying more lines so long edges get shorter). An edge that spans
several columns gets a chain of dummy nodes, so the line it carries reserves its track and no
station is put in its way. The order of nodes in each column, and of lines through each node,
minimises crossings between lines (barycentre sweeps and sifting on the lines themselves; a
line may change places inside a station's marker). Rows are integers: the ones that make the
fewest lines change row (a min-cost-flow programme, as in graphviz's dot), then whole level
runs moved up or down while that straightens more lines.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the map is only a type here: core imports layout, not back
    from ..core import RouteMap


@dataclass
class Node:
    id: str
    real: bool
    col: int
    lines: list[str] = field(default_factory=list)
    row: int = 0


@dataclass
class Layered:
    nodes: dict[str, Node]
    layers: list[list[str]]  # node ids per column, top to bottom
    paths: dict[str, list[str]]  # line id -> node ids in travel order (stations and dummies)
    succ: dict[str, dict[str, list[str]]]  # node -> next node -> lines on that edge
    pred: dict[str, dict[str, list[str]]]
    order: dict[str, list[str]] = field(default_factory=dict)  # node -> lines on its left side
    order_out: dict[str, list[str]] = field(default_factory=dict)  # ... and on its right side
    # (station, next station) -> the dummy nodes between them, left to right
    chains: dict[tuple[str, str], list[str]] = field(default_factory=dict)
    # what each column and row index stands for on the lock's grid (fresh: 0, 1, 2...);
    # a layout kept from a lock may have inserted a column or row between two of its own
    col_keys: list = field(default_factory=list)
    row_keys: list = field(default_factory=list)


def assign_columns(rm: RouteMap) -> dict[str, int]:
    g = rm.graph
    order = rm.order
    weight: dict[tuple[str, str], int] = {}
    for a, b, _ in g.edges(keys=True):
        weight[(a, b)] = weight.get((a, b), 0) + 1
    preds = {v: sorted({a for a, _ in g.in_edges(v)}, key=rm.rank.__getitem__) for v in order}
    succs = {v: sorted({b for _, b in g.out_edges(v)}, key=rm.rank.__getitem__) for v in order}
    pins = {
        sid: st.pin.column
        for sid, st in rm.stations.items()
        if st.pin is not None and st.pin.column is not None
    }

    col: dict[str, int] = {}
    for v in order:
        col[v] = max((col[p] + 1 for p in preds[v]), default=0)
        if v in pins:
            col[v] = max(col[v], pins[v])

    # Pull each station towards the heavier side: the span cost is linear in its column.
    for _ in range(4):
        moved = False
        for v in reversed(order):
            if not preds[v] or not succs[v]:
                continue
            lo = max(col[p] + 1 for p in preds[v])
            hi = min(col[s] - 1 for s in succs[v])
            if lo >= hi:
                continue
            if v in pins:
                target = min(max(pins[v], lo), hi)
            else:
                w_in = sum(weight[(p, v)] for p in preds[v])
                w_out = sum(weight[(v, s)] for s in succs[v])
                target = lo if w_in > w_out else hi if w_out > w_in else (lo + hi) // 2
            if target != col[v]:
                col[v] = target
                moved = True
        if not moved:
            break
    return col


@dataclass
class Skeleton:
    """The nodes and edges of the layered graph, before any order: a dummy node in every
    column an edge passes without a station."""

    nodes: dict[str, Node]
    paths: dict[str, list[str]]
    succ: dict[str, dict[str, list[str]]]
    pred: dict[str, dict[str, list[str]]]
    chains: dict[tuple[str, str], list[str]]


def skeleton(rm: RouteMap, col: dict[str, int]) -> Skeleton:
    nodes = {sid: Node(sid, True, col[sid], list(rm.lines_at[sid])) for sid in rm.order}
    succ: dict[str, dict[str, list[str]]] = {sid: {} for sid in nodes}
    pred: dict[str, dict[str, list[str]]] = {sid: {} for sid in nodes}
    chains: dict[tuple[str, str], list[str]] = {}
    paths: dict[str, list[str]] = {}

    def link(a: str, b: str, line: str) -> None:
        succ[a].setdefault(b, []).append(line)
        pred[b].setdefault(a, []).append(line)

    for ln in rm.data.lines:
        path = [ln.stations[0]]
        for a, b in zip(ln.stations, ln.stations[1:], strict=False):
            chain = chains.get((a, b))
            if chain is None:
                chain = [f"{a}>{b}#{i}" for i in range(1, col[b] - col[a])]
                for i, d in enumerate(chain):
                    nodes[d] = Node(d, False, col[a] + 1 + i)
                    succ[d], pred[d] = {}, {}
                chains[(a, b)] = chain
            hops = [a, *chain, b]
            for x, y in zip(hops, hops[1:], strict=False):
                link(x, y, ln.id)
            for d in chain:
                nodes[d].lines.append(ln.id)
            path += [*chain, b]
        paths[ln.id] = path
    return Skeleton(nodes, paths, succ, pred, chains)


def build_layered(rm: RouteMap, col: dict[str, int]) -> Layered:
    sk = skeleton(rm, col)
    nodes, paths, succ, pred = sk.nodes, sk.paths, sk.succ, sk.pred
    n_cols = max(n.col for n in nodes.values()) + 1
    layered, best = None, 0
    for start in _starts(rm, len(nodes)):
        layers: list[list[str]] = [[] for _ in range(n_cols)]
        seen: set[str] = set()
        for lid in start:  # initial order: first visit along the lines, in this order
            for nid in paths[lid]:
                if nid not in seen:
                    seen.add(nid)
                    layers[nodes[nid].col].append(nid)
        rank = {lid: i for i, lid in enumerate(start)}
        order = {nid: sorted(n.lines, key=rank.__getitem__) for nid, n in nodes.items()}
        order_out = {nid: list(order[nid]) for nid in nodes}
        for nid, n in nodes.items():
            if not n.real:  # a dummy is a point on its line: one order for both sides
                order_out[nid] = order[nid]
        trial = Layered(nodes, layers, paths, succ, pred, order, order_out, sk.chains)
        _reduce_crossings(trial)
        _order_lines(trial)
        count = line_crossings(trial)
        if layered is None or count < best:
            layered, best = trial, count
        if best == 0:
            break
    if best:  # sifting, the costly step, only on the best start (it changes little)
        _line_exchange(layered)
    _optimal_rows(layered)
    _straighten(layered)
    layered.col_keys = list(range(n_cols))
    layered.row_keys = list(range(max(n.row for n in nodes.values()) + 1))
    return layered


RESTART_BUDGET = 440  # nodes x starts: small maps try more starting orders than large ones
RESTART_SEED = 17  # the starting orders are shuffled by a fixed seed: same map, same drawing


def _starts(rm: RouteMap, n_nodes: int) -> list[list[str]]:
    """Starting orders of the lines for the crossing reduction, which finds a local best:
    the data's order, then fixed shuffles of it, as many as the map's size allows (a few
    starts find far fewer crossings than one, as in multi-start Sugiyama heuristics)."""
    import random

    ids = [ln.id for ln in rm.data.lines]
    starts = [ids]
    rng = random.Random(RESTART_SEED)
    for _ in range(max(0, min(15, RESTART_BUDGET // max(1, n_nodes)) - 1)):
        other = list(ids)
        rng.shuffle(other)
        starts.append(other)
    return starts


# ---------------------------------------------------------------------------------------------
# crossing reduction


def _count_crossings(edges: list[tuple[int, int, int]]) -> int:
    """Crossings between the edges of one gap, given as (top position, bottom position,
    lines on the edge): two edges cross when their ends swap order; weighted by lines."""
    total = 0
    for i in range(len(edges)):
        a1, b1, w1 = edges[i]
        for j in range(i + 1, len(edges)):
            a2, b2, w2 = edges[j]
            if (a1 - a2) * (b1 - b2) < 0:
                total += w1 * w2
    return total


def _crossings(lay: Layered, pos: dict[str, int]) -> int:
    return sum(
        _count_crossings(
            [(pos[a], pos[b], len(ls)) for a in layer for b, ls in lay.succ[a].items()]
        )
        for layer in lay.layers[:-1]
    )


def _positions(layers: list[list[str]]) -> dict[str, int]:
    return {nid: i for layer in layers for i, nid in enumerate(layer)}


def _reduce_crossings(lay: Layered, sweeps: int = 12) -> None:
    pos = _positions(lay.layers)
    best = [list(layer) for layer in lay.layers]
    best_count = _crossings(lay, pos)
    for it in range(sweeps):
        if best_count == 0:
            break
        down = it % 2 == 0
        rng = range(1, len(lay.layers)) if down else range(len(lay.layers) - 2, -1, -1)
        for c in rng:
            layer = lay.layers[c]
            side = lay.pred if down else lay.succ
            keyed = []
            for i, nid in enumerate(layer):
                nbrs = side[nid]
                w = sum(len(ls) for ls in nbrs.values())
                bary = sum(pos[m] * len(ls) for m, ls in nbrs.items()) / w if w else pos[nid]
                keyed.append((bary, i, nid))
            keyed.sort()
            lay.layers[c] = [nid for _, _, nid in keyed]
            for i, nid in enumerate(lay.layers[c]):
                pos[nid] = i
        count = _crossings(lay, pos)
        if count < best_count:
            best_count = count
            best = [list(layer) for layer in lay.layers]
    lay.layers[:] = best


# ---------------------------------------------------------------------------------------------
# line-level crossing reduction (each line through a node has its own slot)
#
# A station has an order of its lines on its left side (``order``) and on its right side
# (``order_out``): lines may change places inside a station's marker, where the crossing is
# hidden, as in LOOM's line ordering. A dummy node is a point on a line, so its two orders are
# one list.


def _column_slots(lay: Layered, c: int, side: str) -> dict[tuple[str, str], int]:
    """(node, line) -> its place in column ``c`` on that side, counting every line."""
    if c < 0 or c >= len(lay.layers):
        return {}
    orders = lay.order if side == "in" else lay.order_out
    out = {}
    i = 0
    for nid in lay.layers[c]:
        for lid in orders[nid]:
            out[(nid, lid)] = i
            i += 1
    return out


def _gap_segments(lay: Layered) -> list[list[tuple[str, str, str]]]:
    """Per gap between columns: (left node, right node, line) for every line crossing it."""
    gaps: list[list[tuple[str, str, str]]] = [[] for _ in lay.layers]
    for a, nbrs in lay.succ.items():
        for b, ls in nbrs.items():
            for lid in ls:
                gaps[lay.nodes[a].col].append((a, b, lid))
    return gaps


def _inversions(pairs: list[tuple[int, int]]) -> int:
    """Pairs whose two ends come in opposite orders (merge-free count; gaps are small)."""
    pairs.sort()
    seen: list[int] = []
    total = 0
    for _, b in pairs:
        k = bisect.bisect_right(seen, b)
        total += len(seen) - k
        bisect.insort(seen, b)
    return total


def _gap_crossings(lay: Layered, segs: list[tuple[str, str, str]], c: int) -> int:
    left, right = _column_slots(lay, c, "out"), _column_slots(lay, c + 1, "in")
    return _inversions([(left[(a, lid)], right[(b, lid)]) for a, b, lid in segs])


def line_crossings(lay: Layered) -> int:
    """Crossings between lines in the gaps between columns, as the orders draw them."""
    return sum(_gap_crossings(lay, segs, c) for c, segs in enumerate(_gap_segments(lay)))


def _set_order(lay: Layered, nid: str, order: list[str], side: str) -> None:
    if not lay.nodes[nid].real:
        lay.order[nid] = lay.order_out[nid] = order
    elif side == "in":
        lay.order[nid] = order
    else:
        lay.order_out[nid] = order


def _order_lines(lay: Layered, sweeps: int = 16) -> None:
    """Barycentre sweeps on the lines themselves: each line through a node is placed by the
    slot it comes from (sweeping right) or goes to (sweeping left), a node by the mean of its
    lines. This minimises crossings between lines, not just between edges (metro-line
    crossing minimisation). The best orders seen are kept."""
    link = {"in": {}, "out": {}}  # side -> (node, line) -> the node on that side
    for lid, path in lay.paths.items():
        for a, b in zip(path, path[1:], strict=False):
            link["out"][(a, lid)] = b
            link["in"][(b, lid)] = a
    gaps = _gap_segments(lay)
    size = [max(1, sum(len(lay.order[n]) for n in layer)) for layer in lay.layers]

    def count() -> int:
        return sum(_gap_crossings(lay, segs, c) for c, segs in enumerate(gaps))

    def snapshot():
        return (
            [list(layer) for layer in lay.layers],
            {n: list(o) for n, o in lay.order.items()},
            {n: list(o) for n, o in lay.order_out.items()},
        )

    best, best_count = snapshot(), count()
    for it in range(sweeps):
        if best_count == 0:
            break
        side = "in" if it % 2 == 0 else "out"
        step = -1 if side == "in" else 1
        cols = range(1, len(lay.layers)) if side == "in" else range(len(lay.layers) - 2, -1, -1)
        for c in cols:
            there = _column_slots(lay, c + step, "out" if side == "in" else "in")
            layer = lay.layers[c]
            keyed = []
            for i, nid in enumerate(layer):
                current = lay.order[nid] if side == "in" else lay.order_out[nid]
                keys = {}
                for lid in current:
                    m = link[side].get((nid, lid))
                    if m is not None:
                        keys[lid] = there[(m, lid)] / size[c + step]
                mean = sum(keys.values()) / len(keys) if keys else None
                ranked = sorted(
                    (keys.get(lid, mean if mean is not None else 0.0), j, lid)
                    for j, lid in enumerate(current)
                )
                _set_order(lay, nid, [lid for _, _, lid in ranked], side)
                keyed.append((mean if mean is not None else i / len(layer), i, nid))
            keyed.sort()
            lay.layers[c] = [nid for _, _, nid in keyed]
        now = count()
        if now < best_count:
            best, best_count = snapshot(), now
    layers, order, order_out = best
    lay.layers[:] = layers
    for nid in lay.nodes:
        _set_order(lay, nid, order[nid], "in")
        if lay.nodes[nid].real:
            _set_order(lay, nid, order_out[nid], "out")


def best_place(items: list[str], item: str, now: int, cost) -> int:
    """Move ``item`` to the place in ``items`` where ``cost()`` is least (``now``: its cost
    where it is; it stays on a tie); the cost there."""
    i = items.index(item)
    best_at, best = i, now
    items.pop(i)
    for j in range(len(items) + 1):
        if j == i:
            continue
        items.insert(j, item)
        there = cost()
        items.pop(j)
        if there < best:
            best_at, best = j, there
    items.insert(best_at, item)
    return best


def _line_exchange(lay: Layered, passes: int = 4) -> None:
    """Move each node to the place in its column, and each line to the place in its node,
    with the fewest line crossings in the two gaps beside the column (sifting)."""
    gaps = _gap_segments(lay)
    beside: dict[str, object] = {}  # the slots of the columns either side of the one sifted

    def local(c: int) -> int:
        """Crossings in the two gaps beside column c (only column c changes while it is
        sifted, so the slots of its neighbours are kept until the next column)."""
        if beside.get("c") != c:
            beside.update(c=c, left=_column_slots(lay, c - 1, "out"))
            beside["right"] = _column_slots(lay, c + 1, "in")
        total = 0
        if c >= 1:
            here, there = _column_slots(lay, c, "in"), beside["left"]
            total += _inversions([(there[(a, lid)], here[(b, lid)]) for a, b, lid in gaps[c - 1]])
        if c < len(gaps):
            here, there = _column_slots(lay, c, "out"), beside["right"]
            total += _inversions([(here[(a, lid)], there[(b, lid)]) for a, b, lid in gaps[c]])
        return total

    def sift(items: list[str], c: int, before: int) -> tuple[int, bool]:
        improved = False
        for item in list(items):
            best = best_place(items, item, before, lambda: local(c))
            if best < before:
                before, improved = best, True
        return before, improved

    for c, layer in enumerate(lay.layers):  # a line keeps its place through a station
        before = local(c)  # unless changing it there saves a crossing
        for nid in layer:
            if lay.nodes[nid].real and lay.order[nid] != lay.order_out[nid]:
                for keep, other in (("in", lay.order[nid]), ("out", lay.order_out[nid])):
                    saved = lay.order_out[nid] if keep == "in" else lay.order[nid]
                    _set_order(lay, nid, list(other), "out" if keep == "in" else "in")
                    if local(c) <= before:
                        break
                    _set_order(lay, nid, saved, "out" if keep == "in" else "in")

    for _ in range(passes):
        improved = False
        for c, layer in enumerate(lay.layers):
            before = local(c)
            if before == 0:  # nothing to gain here
                continue
            before, moved = sift(layer, c, before)
            improved |= moved
            for nid in layer:
                sides = [lay.order[nid]]
                if lay.nodes[nid].real:
                    sides.append(lay.order_out[nid])
                for order in sides:
                    before, moved = sift(order, c, before)
                    improved |= moved
        if not improved:
            break


# ---------------------------------------------------------------------------------------------
# rows


def _bend_cost(lay: Layered, nid: str, row: dict[str, int]) -> float:
    """What the edges at a node cost: each line that changes row bends (twice), and a tall
    change costs a little more."""
    total = 0.0
    r = row[nid]
    for side in (lay.pred, lay.succ):
        for m, ls in side[nid].items():
            d = abs(row[m] - r)
            if d:
                total += len(ls) * (1.0 + 0.05 * d)
    return total


def _level_runs(lay: Layered, row: dict[str, int]) -> tuple[dict[str, str], dict[str, list]]:
    """The runs: sets of nodes joined by level edges (node -> its run, run -> its nodes)."""
    parent = {nid: nid for nid in lay.nodes}

    def find(v: str) -> str:
        while parent[v] != v:
            parent[v] = parent[parent[v]]
            v = parent[v]
        return v

    for a, nbrs in lay.succ.items():
        for b in nbrs:
            if row[a] == row[b]:
                ra, rb = find(a), find(b)
                if ra != rb:
                    parent[max(ra, rb)] = min(ra, rb)
    run_of: dict[str, str] = {}
    runs: dict[str, list[str]] = {}
    for layer in lay.layers:
        for nid in layer:
            run_of[nid] = find(nid)
            runs.setdefault(run_of[nid], []).append(nid)
    return run_of, runs


def _pushed(lay, index, row, run_of, runs, start: str, d: int) -> set[str]:
    """The nodes that must move with run ``start`` by ``d`` rows to keep every column in
    order: the run, and every run it would run into, pushed along."""
    moved: set[str] = set()
    todo, seen = [start], {start}
    while todo:
        r = todo.pop()
        moved.update(runs[r])
        for nid in runs[r]:
            c, i = index[nid]
            layer = lay.layers[c]
            j = i + (1 if d > 0 else -1)
            if 0 <= j < len(layer):
                other = layer[j]
                if other not in moved and abs(row[other] - row[nid]) <= abs(d):
                    o = run_of[other]
                    if o not in seen:
                        seen.add(o)
                        todo.append(o)
    return moved


def _straighten(lay: Layered, rounds: int = 12) -> None:
    """Move whole straight runs up or down while fewer lines change row. A run moves as one,
    so it stays level; the nodes it would run into are pushed along by the same amount, so
    no column changes order and no crossing is added. A move is kept only if it lowers the
    cost of the edges leaving the moved set."""
    row = {nid: n.row for nid, n in lay.nodes.items()}
    index = {nid: (c, i) for c, layer in enumerate(lay.layers) for i, nid in enumerate(layer)}
    sides = (lay.pred, lay.succ)
    for _ in range(rounds):
        run_of, runs = _level_runs(lay, row)
        improved = False
        for root, members in runs.items():
            inside = set(members)
            deltas = sorted(
                {
                    row[m] - row[nid]
                    for nid in members
                    for side in sides
                    for m in side[nid]
                    if m not in inside and row[m] != row[nid]
                },
                key=lambda d: (abs(d), d),
            )
            best = None
            for d in deltas:
                group = _pushed(lay, index, row, run_of, runs, root, d)
                edge = [n for n in group if any(m not in group for s in sides for m in s[n])]
                before = sum(_bend_cost(lay, nid, row) for nid in edge)
                for nid in group:
                    row[nid] += d
                after = sum(_bend_cost(lay, nid, row) for nid in edge)
                for nid in group:
                    row[nid] -= d
                if after < before - 1e-9 and (best is None or after - before < best[0]):
                    best = (after - before, d, group)
            if best is not None:
                _, d, group = best
                for nid in group:
                    row[nid] += d
                improved = True
        if not improved:
            break
    squeeze = {r: i for i, r in enumerate(sorted(set(row.values())))}
    for nid, n in lay.nodes.items():
        n.row = squeeze[row[nid]]


REWEIGH = 1  # extra solves with reweighted edges


def _optimal_rows(lay: Layered, reweigh: int = REWEIGH) -> None:
    """Rows that minimise the sum over edges of (lines) x (rows changed), with the nodes of
    each column kept in order one row apart: the coordinate-assignment problem of Gansner et
    al. (graphviz's dot), a linear programme whose dual is a min-cost flow. Long edges weigh
    more (their dummy nodes), so they run straight. The rows are the flow's potentials."""
    weight: dict[tuple[str, str], int] = {}
    for _ in range(reweigh + 1):
        _solve_rows(lay, weight)
        # reweighted L1: an edge that changes row weighs less next time, so the changes of
        # row gather on fewer edges (fewer bends), rather than spreading thin over many
        weight = {
            (a, b): max(1, round(4 / (1 + abs(lay.nodes[a].row - lay.nodes[b].row))))
            for a, nbrs in lay.succ.items()
            for b in nbrs
        }


def _solve_rows(lay: Layered, weight: dict[tuple[str, str], int]) -> None:
    import networkx as nx

    g = nx.DiGraph()
    arcs: list[tuple[str, str, int]] = []  # (tail, head, minimum length): r[head] - r[tail] >= l
    cost: dict[tuple[str, str], int] = {}
    for a, nbrs in lay.succ.items():
        for b, ls in nbrs.items():
            w = len(ls) * weight.get((a, b), 4)
            e = f"\x00{a}\x00{b}"
            for head in (a, b):
                arcs.append((e, head, 0))
                cost[(e, head)] = w
    for layer in lay.layers:
        for up, down in zip(layer, layer[1:], strict=False):
            arcs.append((up, down, 1))
            cost[(up, down)] = 0
    demand: dict[str, int] = {}
    for t, h, _ in arcs:
        demand[h] = demand.get(h, 0) + cost[(t, h)]
        demand[t] = demand.get(t, 0) - cost[(t, h)]
    for v, d in demand.items():
        g.add_node(v, demand=d)
    for t, h, length in arcs:
        g.add_edge(t, h, weight=-length)
    _, flow = nx.network_simplex(g)
    # potentials: r[h] >= r[t] + l on every arc, with equality where flow runs
    cons = [(t, h, length) for t, h, length in arcs]
    cons += [(h, t, -length) for t, h, length in arcs if flow[t][h] > 0]
    pot = {v: 0 for v in demand}
    for _ in range(len(pot) + 1):
        changed = False
        for t, h, length in cons:
            if pot[t] + length > pot[h]:
                pot[h] = pot[t] + length
                changed = True
        if not changed:
            break
    low = min(pot[nid] for nid in lay.nodes)
    for nid, n in lay.nodes.items():
        n.row = pot[nid] - low
