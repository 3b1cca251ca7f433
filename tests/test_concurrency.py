"""Concurrent route and what-next requests on one shared RouteMap give the same answers as
serial ones (the map is built once and read-only; per-request state lives in plain objects)."""

from __future__ import annotations

import itertools
import json
from concurrent.futures import ThreadPoolExecutor

from routemap import RouteMap
from routemap.route import find_route, parse_answers
from routemap.route.nextsteps import what_next

from .conftest import DATA

ANSWERS = [
    dict(zip(("parent_body", "commissioner_support", "asset_lock"), combo, strict=True))
    for combo in itertools.product(
        ["council", "nhs", "central_government", "other_public"],
        ["yes", "no", "not_sure"],
        ["yes", "no"],
    )
]


def _answer(rm: RouteMap, answers: dict) -> str:
    profile = parse_answers(rm, answers)
    doc = {
        "route": find_route(rm, profile).model_dump(mode="json"),
        "next": what_next(rm, profile).model_dump(mode="json"),
    }
    return json.dumps(doc, sort_keys=True)


def test_concurrent_answers_equal_serial_answers():
    serial_map = RouteMap.load(DATA)
    serial = [_answer(serial_map, a) for a in ANSWERS]
    shared = RouteMap.load(DATA)  # fresh: its caches are built under contention
    with ThreadPoolExecutor(max_workers=8) as pool:
        concurrent = list(pool.map(lambda a: _answer(shared, a), ANSWERS * 3))
    assert concurrent == serial * 3
