"""The HTML route and adviser pages' throughput as a share of /healthz's, on the same run:
gunicorn with the production settings (2 gevent workers, ``gunicorn.conf.py``) on a free local
port, and 20 client threads (``http.client``, a new connection per request) asking as fast as
they are answered, with a browser's Accept-Encoding.

The pages take turns with /healthz (five rounds of 3 s each), so all see much the same
machine load; the figures are the medians of the rounds, and each page's share of /healthz's
throughput is the median of its rounds' shares (each against /healthz in the same round: the
machine is shared, and its load comes and goes). Two kinds of links for each page:

- the personas' links (tests/personas: the teams with a route open), each asked again and
  again, as a team reloads its route, comes back to it from a what-if or sends it to an
  adviser;
- varied links, never the same twice in the run: a persona's answers with another staff count
  and another progress (a random set of its steps done, in progress or skipped), so every
  request is a team the server has not seen — its route composed and its map drawn anew.

Each request composes the route once (``tests/test_web_route.py`` counts it). Target: the
route page at least 0.3 of /healthz's requests per second.
"""

from __future__ import annotations

import http.client
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from itertools import cycle
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
CLIENTS = 20
ROUNDS = 5
SECONDS = 3.0
TARGET = 0.3
HEADERS = {"Accept-Encoding": "gzip, deflate, br, zstd", "Accept": "text/html"}
VARIED = 40_000  # more links than a run asks for: none is asked twice


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def personas() -> list[tuple[dict, dict, list[str]]]:
    """Each persona with a route open: (answers, progress, its route's steps)."""
    from routemap import RouteMap
    from routemap.route import find_route, parse_answers

    rm = RouteMap.load()
    out = []
    for path in sorted((ROOT / "tests" / "personas").glob("*.yaml")):
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
        progress = {k: doc["answers"][k] for k in ("done",) if k in doc["answers"]}
        answers = {k: v for k, v in doc["answers"].items() if k not in progress}
        result = find_route(rm, parse_answers(rm, answers, progress), explain=False)
        if result.steps:
            out.append((answers, progress, [s.station for s in result.steps]))
    return out


def route_paths(page: str = "/route") -> list[str]:
    """Each persona's link (a persona with no route open is sent on to its what-if page, not
    counted here)."""
    from routemap import RouteMap
    from routemap.route import parse_answers
    from routemap.web.answerlink import profile_query

    rm = RouteMap.load()
    return [page + profile_query(rm, parse_answers(rm, a, p)) for a, p, _ in personas()]


def varied_paths(page: str, count: int = VARIED, seed: int = 21) -> list[str]:
    """``count`` different links: the personas' answers with another staff count, and a random
    progress along their route."""
    from routemap import RouteMap
    from routemap.route import parse_answers
    from routemap.web.answerlink import profile_query

    rm = RouteMap.load()
    rng = random.Random(seed)
    teams = personas()
    seen: set[str] = set()
    out: list[str] = []
    while len(out) < count:
        answers, _progress, steps = rng.choice(teams)
        answers = {**answers, "staff_count": rng.randint(5, 3000)}
        marks: dict[str, list[str]] = {"done": [], "in_progress": [], "skipped": []}
        for sid in steps:
            state = rng.choice(("done", "in_progress", "skipped", "to_do", "to_do", "to_do"))
            if state != "to_do":
                marks[state].append(sid)
        progress = {k: v for k, v in marks.items() if v}
        path = page + profile_query(rm, parse_answers(rm, answers, progress))
        if path not in seen:
            seen.add(path)
            out.append(path)
    return out


class Links:
    """The links the clients ask for: ``fixed`` in turn, or each of ``fresh`` once."""

    def __init__(self, fixed: list[str] | None = None, fresh: list[str] | None = None):
        self.fixed = fixed
        self.fresh = iter(fresh or [])
        self.lock = threading.Lock()

    def for_client(self, i: int):
        if self.fixed is not None:
            paths = self.fixed
            ask = cycle(paths[i % len(paths) :] + paths[: i % len(paths)])
            return lambda: next(ask)

        def fresh() -> str:
            with self.lock:
                return next(self.fresh)

        return fresh


def hammer(port: int, links: Links, seconds: float) -> tuple[float, int, float]:
    """(requests per second, failures, median ms) with CLIENTS threads for ``seconds``."""
    stop = time.perf_counter() + seconds
    done = [0] * CLIENTS
    failed = [0] * CLIENTS
    times: list[list[float]] = [[] for _ in range(CLIENTS)]

    def client(i: int) -> None:
        ask = links.for_client(i)
        while time.perf_counter() < stop:
            start = time.perf_counter()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            try:
                conn.request("GET", ask(), headers=HEADERS)
                response = conn.getresponse()
                response.read()
                ok = response.status == 200
            except OSError:
                ok = False
            finally:
                conn.close()
            if ok:
                done[i] += 1
                times[i].append(time.perf_counter() - start)
            else:
                failed[i] += 1

    threads = [threading.Thread(target=client, args=(i,)) for i in range(CLIENTS)]
    began = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    took = time.perf_counter() - began
    every = [x for ts in times for x in ts]
    median = statistics.median(every) * 1000 if every else float("nan")
    return sum(done) / took, sum(failed), median


def run() -> list[str]:
    port = free_port()
    env = {**os.environ, "ROUTEMAP_BIND": f"127.0.0.1:{port}", "WEB_CONCURRENCY": "2"}
    gunicorn = Path(sys.executable).with_name("gunicorn")
    server = subprocess.Popen(
        [str(gunicorn), "-c", "gunicorn.conf.py", "--access-logfile", "/dev/null", "app:server"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    load = os.getloadavg()[0]
    out = [
        f"the HTML route and adviser pages against /healthz: gunicorn (2 workers) and "
        f"{CLIENTS} client threads on this machine (load average {load:.1f} before), "
        f"{ROUNDS} rounds of {SECONDS:.0f} s each, medians"
    ]
    pages = {
        "route": "/route?… (personas' links, HTML)",
        "route_varied": "/route?… (varied links, each once)",
        "adviser": "/adviser?… (personas' links, HTML)",
        "adviser_varied": "/adviser?… (varied links, each once)",
    }
    figures: dict[str, list[tuple[float, int, float]]] = {"healthz": [], **{k: [] for k in pages}}
    try:
        for _ in range(200):
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
                conn.request("GET", "/healthz")
                if conn.getresponse().status == 200:
                    break
            except OSError:
                time.sleep(0.1)
        links = {
            "healthz": Links(["/healthz"]),
            "route": Links(route_paths("/route")),
            "route_varied": Links(fresh=varied_paths("/route", seed=21)),
            "adviser": Links(route_paths("/adviser")),
            "adviser_varied": Links(fresh=varied_paths("/adviser", seed=22)),
        }
        # warm: each persona's page made once in each worker
        hammer(port, links["route"], 1.0)
        hammer(port, links["adviser"], 1.0)
        for _ in range(ROUNDS):
            for name, asked in links.items():
                figures[name].append(hammer(port, asked, SECONDS))
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
    rps = {k: statistics.median(r for r, _, _ in v) for k, v in figures.items()}
    failures = sum(f for v in figures.values() for _, f, _ in v)
    out.append(
        f"  {'/healthz':<40} {rps['healthz']:8.1f} req/s  median "
        f"{statistics.median(m for _, _, m in figures['healthz']):6.1f} ms"
    )
    for name, label in pages.items():
        shares = sorted(
            r / h for (r, _, _), (h, _, _) in zip(figures[name], figures["healthz"], strict=True)
        )
        share = statistics.median(shares)
        verdict = "ok" if share >= TARGET else "MISSED"
        target = f" (target {TARGET}: {verdict})" if name.startswith("route") else ""
        out.append(
            f"  {label:<40} {rps[name]:8.1f} req/s  median "
            f"{statistics.median(m for _, _, m in figures[name]):6.1f} ms  "
            f"share of /healthz {share:.2f}{target}, rounds {shares[0]:.2f}-{shares[-1]:.2f}"
        )
    out.append(f"  failed requests: {failures}")
    return out
