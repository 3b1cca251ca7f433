"""Load test: map, station, route and what-next requests against gunicorn (2 workers).

Run with ``make loadtest`` (it starts the server, runs locust headless, bounded in time and
requests, and prints the figures). Fails (exit 1) on any failed request or a 95th percentile
above the target.
"""

from __future__ import annotations

import os
import random

from locust import FastHttpUser, between, events, task

P95_TARGET_MS = float(os.environ.get("ROUTEMAP_P95_MS", "100"))
MAX_REQUESTS = int(os.environ.get("ROUTEMAP_MAX_REQUESTS", "20000"))

PROFILES = [
    {
        "parent_body": "nhs",
        "service_area": "community_health",
        "commissioner_support": "yes",
        "asset_lock": "yes",
    },
    {
        "parent_body": "council",
        "service_area": "libraries_and_culture",
        "community_ownership": "yes",
        "charitable_status": "yes",
    },
    {"parent_body": "central_government", "private_partner": "yes", "staff_profit_share": "yes"},
    {"parent_body": "council", "commissioner_support": "no"},
    {"parent_body": "other_public"},
]
STATIONS = [
    "register-cic",
    "tupe",
    "lgps-admission",
    "options-appraisal",
    "go-live",
    "register-society",
    "psr-award",
    "business-case",
]
DONE = [[], ["explore"], ["explore", "readiness-diagnostic", "senior-sponsorship"]]


class Applicant(FastHttpUser):
    wait_time = between(0.05, 0.2)

    @task(2)
    def map(self):
        self.client.get("/api/v1/map", name="/api/v1/map")

    @task(4)
    def station(self):
        self.client.get(f"/api/v1/stations/{random.choice(STATIONS)}", name="/api/v1/stations/[id]")

    @task(4)
    def route(self):
        self.client.post(
            "/api/v1/route", json={"answers": random.choice(PROFILES)}, name="/api/v1/route"
        )

    @task(3)
    def next(self):
        self.client.post(
            "/api/v1/next",
            json={"answers": random.choice(PROFILES), "done": random.choice(DONE)},
            name="/api/v1/next",
        )

    @task(2)
    def health(self):
        self.client.get("/healthz", name="/healthz")


@events.request.add_listener
def _bound(request_type, name, response_time, response_length, exception, context, **kwargs):
    runner = _bound.environment.runner if hasattr(_bound, "environment") else None
    if runner is not None and runner.stats.total.num_requests >= MAX_REQUESTS:
        runner.quit()


@events.init.add_listener
def _remember(environment, **kwargs):
    _bound.environment = environment


@events.quitting.add_listener
def _verdict(environment, **kwargs):
    stats = environment.stats
    total = stats.total
    p95 = total.get_response_time_percentile(0.95)
    lines = [
        f"requests {total.num_requests}, failures {total.num_failures}, "
        f"overall p95 {p95:.0f} ms (target {P95_TARGET_MS:.0f} ms), "
        f"{total.total_rps:.1f} req/s"
    ]
    by_name = {e.name: e for e in stats.entries.values()}
    for name in sorted(by_name):
        e = by_name[name]
        lines.append(
            f"  {name:<28} n={e.num_requests:<6} median {e.median_response_time:.0f} ms"
            f"  p95 {e.get_response_time_percentile(0.95):.0f} ms"
            f"  {e.total_rps:.1f} req/s"
        )
    route, health = by_name.get("/api/v1/route"), by_name.get("/healthz")
    if route and health and route.avg_response_time and health.avg_response_time:
        ratio = health.avg_response_time / route.avg_response_time
        lines.append(
            f"route throughput as a share of /healthz (1/mean time): {ratio:.2f}"
            f" (route mean {route.avg_response_time:.1f} ms, healthz mean "
            f"{health.avg_response_time:.1f} ms)"
        )
    print("\n".join(lines))
    if total.num_failures > 0 or p95 > P95_TARGET_MS:
        environment.process_exit_code = 1
