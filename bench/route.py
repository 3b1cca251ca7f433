"""Route computation (the route model: choices, steps and reasons, the drawing, what each
answer changes): the real map and a 2,000-station synthetic map, each as a ratio to a plain
networkx.dijkstra_path on the same graph."""

from __future__ import annotations

from pathlib import Path

import networkx as nx
import yaml

from routemap import RouteMap
from routemap.route import find_route, parse_answers
from routemap.route.compose import kept_routes
from routemap.route.nextsteps import probe_routes, what_next
from routemap.synthetic import synthetic_map

from .common import median_time, row

PERSONAS = Path(__file__).resolve().parent.parent / "tests" / "personas"


def _baseline(rm: RouteMap) -> float:
    """A plain shortest path from the origin to the farthest outcome, weighted by duration."""
    origin = rm.origins[0]
    outcome = max(rm.outcomes, key=rm.rank.__getitem__)
    weight = {
        sid: float(st.duration.max_days or st.duration.min_days or 30)
        for sid, st in rm.stations.items()
    }

    def w(_u, v, _d):
        return weight[v]

    return median_time(lambda: nx.dijkstra_path(rm.graph, origin, outcome, weight=w), repeat=21)


def uncomposed(rm: RouteMap, fn, probes: bool = True):
    """``fn`` with nothing composed before kept: the routes a server keeps (``KeptRoutes``)
    and (``probes``) what next's probes' route keys would otherwise answer every repeat but
    the first."""

    def go(p):
        kept_routes(rm).clear()
        if probes:
            probe_routes(rm).clear()
        return fn(p)

    return go


def run() -> list[str]:
    out = ["route computation (median; ratio to plain networkx.dijkstra_path on the same graph)"]
    rm = RouteMap.load()
    base = _baseline(rm)
    out.append(row(f"networkx.dijkstra_path, real map ({len(rm.stations)} stations)", base))
    profiles = []
    for path in sorted(PERSONAS.glob("*.yaml")):
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
        profiles.append(parse_answers(rm, doc["answers"]))

    def each(fn):
        return lambda: [fn(p) for p in profiles]

    n = len(profiles)
    main = median_time(each(uncomposed(rm, lambda p: find_route(rm, p))), repeat=9) / n
    bare = median_time(each(uncomposed(rm, lambda p: find_route(rm, p, explain=False))), repeat=9)
    bare /= n
    nxt = median_time(each(uncomposed(rm, lambda p: what_next(rm, p))), repeat=5) / n
    warm = median_time(each(uncomposed(rm, lambda p: what_next(rm, p), False)), repeat=5) / n
    out.append(
        row(
            f"route + reasons, real map ({n} personas)",
            main,
            0.005,
            f"x{main / base:.0f} the plain path",
        )
    )
    out.append(
        row("  ... without nearest routes and answer effects", bare, None, f"x{bare / base:.0f}")
    )
    out.append(row("what next (route + not-sure probes)", nxt, None, f"x{nxt / base:.0f}"))
    out.append(
        row(
            "  ... the probes' routes kept from other teams (a server's usual state)",
            warm,
            None,
            f"x{warm / base:.0f}",
        )
    )

    out += _compare_rows(rm, profiles)

    big = RouteMap.from_data(synthetic_map(2000, 12, 1))
    base_big = _baseline(big)
    out.append(row("networkx.dijkstra_path, 2,000-station map", base_big))
    for answer in ("yes", "no"):
        p = parse_answers(big, {"q": answer})
        t = median_time(lambda p=p: uncomposed(big, lambda q: find_route(big, q))(p), repeat=7)
        what = "an option favoured" if answer == "yes" else "an option ruled out"
        out.append(
            row(
                f"route + reasons, 2,000 stations ({what})",
                t,
                0.100,
                f"x{t / base_big:.0f} the plain path",
            )
        )
    return out


def _compare_rows(rm: RouteMap, profiles) -> list[str]:
    """The compare page's server render (GET /compare with a persona's answers, through the
    app: the comparison, its template and headers), median per page, beside the route page's
    render for the same answers; and the comparison alone."""
    from routemap.route.compare import compare
    from routemap.web import create_app
    from routemap.web.answerlink import profile_query

    client = create_app({"ROUTEMAP": rm}).test_client()
    links = [profile_query(rm, p, progress=False) for p in profiles]

    def pages(path: str):
        def go():
            for q in links:
                r = client.get(path + q)
                assert r.status_code in (200, 303), (path, r.status_code)

        return go

    n = len(links)
    page = median_time(pages("/compare"), repeat=9) / n
    route = median_time(pages("/route"), repeat=9) / n
    alone = median_time(lambda: [compare(rm, p) for p in profiles], repeat=9) / n
    return [
        row(
            f"compare page, server render ({n} personas, 3 columns)",
            page,
            0.100,
            f"x{page / route:.1f} the route page's render ({route * 1000:.1f} ms)",
        ),
        row("  ... the comparison alone (3 routes composed)", alone, None),
    ]
