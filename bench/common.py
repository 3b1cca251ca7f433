"""Timing helpers shared by the benchmarks."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable


def median_time(fn: Callable[[], object], repeat: int = 7, warmup: int = 1) -> float:
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def row(name: str, seconds: float, target: float | None = None, extra: str = "") -> str:
    ms = seconds * 1000
    if target is None:
        return f"  {name:<56} {ms:9.1f} ms  {extra}"
    ratio = seconds / target
    verdict = "ok" if ratio <= 1 else "MISSED"
    return (
        f"  {name:<56} {ms:9.1f} ms  target {target * 1000:7.0f} ms  "
        f"ratio {ratio:5.2f}  {verdict}  {extra}"
    )
