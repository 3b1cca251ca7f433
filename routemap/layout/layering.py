"""Columns and rows: a layered (Sugiyama-style) placement of the flow on a grid.

Columns come from the stations' order in the flow (longest-path layering, then each station
pulled towards the side carrying more lines so long edges get shorter). An edge that spans
several columns gets a chain of dummy nodes, so the line it carries reserves its track and no
station is put in its way. Rows are integers: crossings are reduced by barycentre sweeps, then
each node is pulled to the weighted median row of its neighbours (isotonic median regression
keeps the order and one row between nodes), which makes lines run straight where they can.
"""

from __future__ import annotations

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


def build_layered(rm: RouteMap, col: dict[str, int]) -> Layered:
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

    n_cols = max(n.col for n in nodes.values()) + 1
    layers: list[list[str]] = [[] for _ in range(n_cols)]
    seen: set[str] = set()
    for ln in rm.data.lines:  # initial order: first visit along the lines, in data order
        for nid in paths[ln.id]:
            if nid not in seen:
                seen.add(nid)
                layers[nodes[nid].col].append(nid)
    layered = Layered(nodes, layers, paths, succ, pred)
    _reduce_crossings(layered)
    _exchange(layered)
    _assign_rows(layered)
    return layered


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


@dataclass(frozen=True)
class SharedRun:
    """A run of consecutive edges two lines share: its nodes, and where each line came from
    before it and goes after it (None where a line starts or ends in the run)."""

    a: str
    b: str
    nodes: tuple[str, ...]
    a_prev: str | None
    b_prev: str | None
    a_next: str | None
    b_next: str | None


def shared_runs(lay: Layered) -> list[SharedRun]:
    """Every run of edges shared by two lines (lines in data order, a before b)."""
    runs = []
    ids = list(lay.paths)
    index = {lid: {nid: i for i, nid in enumerate(p)} for lid, p in lay.paths.items()}
    for i, a in enumerate(ids):
        path_a = lay.paths[a]
        for b in ids[i + 1 :]:
            path_b, at_b = lay.paths[b], index[b]
            k = 0
            while k < len(path_a):
                if path_a[k] not in at_b:
                    k += 1
                    continue
                start, j0 = k, at_b[path_a[k]]
                j = j0
                while (
                    k + 1 < len(path_a) and j + 1 < len(path_b) and path_b[j + 1] == path_a[k + 1]
                ):
                    k += 1
                    j += 1
                runs.append(
                    SharedRun(
                        a,
                        b,
                        tuple(path_a[start : k + 1]),
                        path_a[start - 1] if start > 0 else None,
                        path_b[j0 - 1] if j0 > 0 else None,
                        path_a[k + 1] if k + 1 < len(path_a) else None,
                        path_b[j + 1] if j + 1 < len(path_b) else None,
                    )
                )
                k += 1
    return runs


def _shared_runs(lay: Layered) -> list[tuple[str, str, str, str]]:
    """The runs where both lines meet and part inside the map (only those can force a
    crossing): their two previous nodes and their two next nodes."""
    return [
        (r.a_prev, r.b_prev, r.a_next, r.b_next)
        for r in shared_runs(lay)
        if None not in (r.a_prev, r.b_prev, r.a_next, r.b_next)
    ]


def _exchange(lay: Layered, passes: int = 4) -> None:
    """Swap neighbours in a layer while that lowers edge crossings plus line-pair conflicts
    (two lines that share a run of edges but meet and part in opposite orders must cross).
    Only the terms a swap can change are recounted: the two gaps beside its layer and the
    runs that meet or part there."""
    pos = _positions(lay.layers)
    col = {nid: n.col for nid, n in lay.nodes.items()}
    runs = _shared_runs(lay)
    runs_at: dict[int, list[tuple[str, str, str, str]]] = {}
    for run in runs:
        for c in {col[run[0]], col[run[2]]}:
            runs_at.setdefault(c, []).append(run)
    gap_edges = [
        [(a, b, len(ls)) for a in layer for b, ls in lay.succ[a].items()] for layer in lay.layers
    ]

    def gap_crossings(c: int) -> int:
        if c < 0 or c >= len(gap_edges):
            return 0
        return _count_crossings([(pos[a], pos[b], w) for a, b, w in gap_edges[c]])

    def local(c: int) -> int:
        conflicts = sum(
            1
            for pa, pb, na, nb in runs_at.get(c, ())
            if (pos[pa] - pos[pb]) * (pos[na] - pos[nb]) < 0
        )
        return gap_crossings(c - 1) + gap_crossings(c) + conflicts

    for _ in range(passes):
        improved = False
        for c, layer in enumerate(lay.layers):
            for i in range(len(layer) - 1):
                before = local(c)
                a, b = layer[i], layer[i + 1]
                layer[i], layer[i + 1] = b, a
                pos[a], pos[b] = i + 1, i
                if local(c) < before:
                    improved = True
                else:
                    layer[i], layer[i + 1] = a, b
                    pos[a], pos[b] = i, i + 1
        if not improved:
            break


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
# rows


def _weighted_median(values: list[tuple[float, float]]) -> float:
    values = sorted(values)
    total = sum(w for _, w in values)
    acc = 0.0
    for v, w in values:
        acc += w
        if acc * 2 >= total:
            return v
    return values[-1][0]


def _isotonic_median(targets: list[float], weights: list[float]) -> list[float]:
    """Non-decreasing fit minimising the weighted absolute error (pool adjacent violators)."""
    blocks: list[tuple[float, list[tuple[float, float]]]] = []
    for t, w in zip(targets, weights, strict=True):
        items = [(t, w)]
        value = t
        while blocks and blocks[-1][0] > value:
            prev_value, prev_items = blocks.pop()
            items = prev_items + items
            value = _weighted_median(items)
        blocks.append((value, items))
    out: list[float] = []
    for value, items in blocks:
        out += [value] * len(items)
    return out


def _row_cost(lay: Layered) -> float:
    """Sum over edges of (lines on the edge) x (rows changed): what straight lines minimise."""
    nodes = lay.nodes
    return sum(
        len(ls) * abs(nodes[a].row - nodes[b].row)
        for a, nbrs in lay.succ.items()
        for b, ls in nbrs.items()
    )


def _assign_rows(lay: Layered, passes: int = 10) -> None:
    """Median placement from two starts (sweeping one side at a time, or both sides at once);
    the straighter result wins."""
    nodes = lay.nodes

    def reset() -> None:
        for layer in lay.layers:
            for i, nid in enumerate(layer):
                nodes[nid].row = i - (len(layer) - 1) // 2

    def place(layer: list[str], sides: list[dict[str, dict[str, list[str]]]]) -> None:
        targets, weights = [], []
        for i, nid in enumerate(layer):
            pulls = [(nodes[m].row, len(ls)) for side in sides for m, ls in side[nid].items()]
            desired = _weighted_median(pulls) if pulls else nodes[nid].row
            weight = sum(w for _, w in pulls) or 0.5
            targets.append(desired - i)
            weights.append(weight)
        fitted = _isotonic_median(targets, weights)
        for i, nid in enumerate(layer):
            nodes[nid].row = int(round(fitted[i])) + i

    def one_side() -> None:
        for it in range(passes):
            if it % 2 == 0:
                for layer in lay.layers[1:]:
                    place(layer, [lay.pred])
            else:
                for layer in reversed(lay.layers[:-1]):
                    place(layer, [lay.succ])
        both()

    def both() -> None:
        for it in range(passes):
            seq = lay.layers if it % 2 == 0 else list(reversed(lay.layers))
            for layer in seq:
                place(layer, [lay.pred, lay.succ])

    results = []
    for strategy in (one_side, both):
        reset()
        strategy()
        results.append((_row_cost(lay), {nid: n.row for nid, n in nodes.items()}))
    _, best = min(results, key=lambda r: r[0])
    low = min(best.values())
    for nid, n in nodes.items():
        n.row = best[nid] - low
