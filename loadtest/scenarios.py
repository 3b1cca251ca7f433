"""The two hostile scenarios of ``make loadtest`` (issue 24), against a running server on
127.0.0.1 only, bounded in time:

1. 50 slow connections open (half trickling a header, half a declared body, a byte every
   2 s, reopened when the server closes them) while 2 clients load the route page and one asks
   /healthz 10 times a second: /healthz p95 under 100 ms, the route page at least half the
   throughput it had without them.
2. Two clients asking for PNG exports of varied routes (each a different drawing), while one
   asks /healthz: /healthz p95 under 100 ms.

Prints the figures; exits 1 when a target is missed. ``python loadtest/scenarios.py PORT``.
"""

from __future__ import annotations

import asyncio
import itertools
import random
import sys
import time

HOST = "127.0.0.1"
HEALTH_P95_MS = 100.0
ROUTE_SHARE = 0.5
PHASE_S = 10.0
SLOW = 50
ROUTES = [
    "/route?parent_body=nhs&service_area=community_health&asset_lock=yes",
    "/route?parent_body=council&commissioner_support=no",
    "/route?parent_body=central_government&private_partner=yes",
    "/route?parent_body=council&community_ownership=yes&charitable_status=yes",
]
# varied PNG exports: each combination draws a different route
VARIED = [
    f"/api/v1/export?format=png&parent_body={p}&asset_lock={a}&commissioner_support={c}"
    f"&charitable_status={h}"
    for p, a, c, h in itertools.product(
        ["nhs", "council", "central_government", "other_public"],
        ["yes", "no"],
        ["yes", "no", "not_sure"],
        ["yes", "no"],
    )
]


async def get(port: int, path: str, headers: str = "") -> int:
    reader, writer = await asyncio.open_connection(HOST, port)
    try:
        writer.write(
            f"GET {path} HTTP/1.1\r\nHost: {HOST}:{port}\r\n{headers}Connection: close\r\n\r\n"
            .encode()
        )
        await writer.drain()
        data = await reader.read()
    finally:
        writer.close()
    return int(data[9:12]) if data[:5] == b"HTTP/" else 0


async def poll_health(port: int, stop: asyncio.Event, times: list[float]) -> None:
    while not stop.is_set():
        started = time.perf_counter()
        try:
            status = await asyncio.wait_for(get(port, "/healthz"), 10)
        except (TimeoutError, OSError):
            status = 0
        times.append((time.perf_counter() - started) * 1000 if status == 200 else 10_000)
        await asyncio.sleep(0.1)


async def load(port: int, stop: asyncio.Event, paths, counts: dict, headers: str = "") -> None:
    while not stop.is_set():
        try:
            status = await asyncio.wait_for(get(port, random.choice(paths), headers), 30)
        except (TimeoutError, OSError):
            status = 0
        counts[status] = counts.get(status, 0) + 1


async def trickle(port: int, head: bytes, stop: asyncio.Event, opened: list) -> None:
    """Keep one slow connection open: reopened whenever the server closes it."""
    while not stop.is_set():
        try:
            reader, writer = await asyncio.open_connection(HOST, port)
            writer.write(head)
            await writer.drain()
            opened.append(1)
            while not stop.is_set() and not reader.at_eof():
                await asyncio.sleep(2)
                writer.write(b"X")
                await writer.drain()
            writer.close()
        except OSError:
            await asyncio.sleep(0.2)


def p95(times: list[float]) -> float:
    ordered = sorted(times)
    return ordered[max(0, int(len(ordered) * 0.95) - 1)] if ordered else float("nan")


def median(times: list[float]) -> float:
    ordered = sorted(times)
    return ordered[len(ordered) // 2] if ordered else float("nan")


async def phase(port: int, name: str, paths, clients: int, extra=None, headers=None):
    stop = asyncio.Event()
    times: list[float] = []
    counts: dict[int, int] = {}
    tasks = [asyncio.create_task(poll_health(port, stop, times))]
    for i in range(clients):
        header = headers(i) if headers else ""
        tasks.append(asyncio.create_task(load(port, stop, paths, counts, header)))
    started = time.perf_counter()
    await asyncio.sleep(PHASE_S)
    stop.set()
    await asyncio.gather(*tasks, return_exceptions=True)
    elapsed = time.perf_counter() - started
    rate = counts.get(200, 0) / elapsed
    print(
        f"{name}: /healthz n={len(times)} median {median(times):.0f} ms p95 {p95(times):.0f} ms;"
        f" {rate:.1f} answers/s (statuses {dict(sorted(counts.items()))})",
        flush=True,
    )
    return p95(times), rate


async def main(port: int) -> int:
    missed = []
    await phase(port, "warm-up", ROUTES, 2)
    _, base = await phase(port, "route page, no slow clients", ROUTES, 2)
    stop = asyncio.Event()
    opened: list = []
    heads = [
        b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n",
        b"POST /route/questions/staff_count HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        b"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 1000\r\n\r\n",
    ]
    slow = [asyncio.create_task(trickle(port, heads[i % 2], stop, opened)) for i in range(SLOW)]
    await asyncio.sleep(1)
    health, rate = await phase(port, f"route page, {SLOW} slow connections open", ROUTES, 2)
    stop.set()
    for task in slow:
        task.cancel()
    share = rate / base if base else 0.0
    print(
        f"  slow connections opened: {len(opened)}; route page throughput {share:.2f} of "
        f"before (target {ROUTE_SHARE}); /healthz p95 {health:.0f} ms (target "
        f"{HEALTH_P95_MS:.0f} ms)"
    )
    if share < ROUTE_SHARE:
        missed.append("route page throughput with slow clients")
    if not health < HEALTH_P95_MS:
        missed.append("/healthz p95 with slow clients")
    health, _ = await phase(
        port,
        "two clients asking for varied PNG exports",
        VARIED,
        2,
        headers=lambda i: f"X-Forwarded-For: 10.0.0.{i + 1}\r\n",
    )
    print(f"  /healthz p95 {health:.0f} ms (target {HEALTH_P95_MS:.0f} ms)")
    if not health < HEALTH_P95_MS:
        missed.append("/healthz p95 under PNG exports")
    if missed:
        print("MISSED: " + "; ".join(missed))
        return 1
    print("targets met")
    return 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main(int(sys.argv[1]))))
