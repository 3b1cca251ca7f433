"""The HTML route page's throughput as a share of /healthz's, on the same run: gunicorn with
the production settings (2 sync workers, ``gunicorn.conf.py``) on a free local port, and 20
client threads (``http.client``, a new connection per request, as gunicorn's sync workers
close each one) asking as fast as they are answered, with a browser's Accept-Encoding.

/healthz and the route page take turns (three rounds of 5 s each), so both see the same machine
load; the figures are the medians of the rounds. The route page asks for a different persona's
link on every request (tests/personas: the teams with a route open), so the route is composed
for each request — once: the page composes it once, and nothing caches a route or a page.
Target: the route page at least 0.3 of /healthz's requests per second.
"""

from __future__ import annotations

import http.client
import os
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
ROUNDS = 3
SECONDS = 5.0
TARGET = 0.3
HEADERS = {"Accept-Encoding": "gzip, deflate, br, zstd", "Accept": "text/html"}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def route_paths() -> list[str]:
    """Each persona's route page (a persona with no route open is sent on to its what-if
    page, not counted here)."""
    from routemap import RouteMap
    from routemap.route import find_route, parse_answers
    from routemap.web.answerlink import profile_query

    rm = RouteMap.load()
    out = []
    for path in sorted((ROOT / "tests" / "personas").glob("*.yaml")):
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
        progress = {k: doc["answers"][k] for k in ("done",) if k in doc["answers"]}
        answers = {k: v for k, v in doc["answers"].items() if k not in progress}
        profile = parse_answers(rm, answers, progress)
        if find_route(rm, profile, explain=False).steps:
            out.append("/route" + profile_query(rm, profile))
    return out


def hammer(port: int, paths: list[str], seconds: float) -> tuple[float, int, float]:
    """(requests per second, failures, median ms) with CLIENTS threads for ``seconds``."""
    stop = time.perf_counter() + seconds
    done = [0] * CLIENTS
    failed = [0] * CLIENTS
    times: list[list[float]] = [[] for _ in range(CLIENTS)]

    def client(i: int) -> None:
        ask = cycle(paths[i % len(paths) :] + paths[: i % len(paths)])
        while time.perf_counter() < stop:
            start = time.perf_counter()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            try:
                conn.request("GET", next(ask), headers=HEADERS)
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
    out = [
        f"the HTML route page against /healthz: gunicorn (2 workers) and {CLIENTS} client "
        f"threads on this machine, {ROUNDS} rounds of {SECONDS:.0f} s each, medians"
    ]
    try:
        for _ in range(200):
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
                conn.request("GET", "/healthz")
                if conn.getresponse().status == 200:
                    break
            except OSError:
                time.sleep(0.1)
        paths = route_paths()
        hammer(port, paths, 1.0)  # warm: each persona's map drawn once in each worker
        health, route = [], []
        for _ in range(ROUNDS):
            health.append(hammer(port, ["/healthz"], SECONDS))
            route.append(hammer(port, paths, SECONDS))
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
    h_rps = statistics.median(r for r, _, _ in health)
    r_rps = statistics.median(r for r, _, _ in route)
    failures = sum(f for _, f, _ in health + route)
    share = r_rps / h_rps
    verdict = "ok" if share >= TARGET and not failures else "MISSED"
    out.append(
        f"  /healthz                         {h_rps:8.1f} req/s  median "
        f"{statistics.median(m for _, _, m in health):6.1f} ms"
    )
    out.append(
        f"  /route?… ({len(paths)} personas, HTML)      {r_rps:8.1f} req/s  median "
        f"{statistics.median(m for _, _, m in route):6.1f} ms"
    )
    out.append(
        f"  route page as a share of /healthz: {share:.2f} (target {TARGET}: {verdict}); "
        f"failed requests: {failures}"
    )
    return out
