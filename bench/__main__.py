"""Run the benchmarks: python -m bench [layout ...]. Prints figures and ratios to targets."""

from __future__ import annotations

import importlib
import os
import platform
import sys

SUITES = ["layout", "stability", "route", "export", "browser", "pages", "throughput"]


def main(argv: list[str]) -> int:
    names = argv or SUITES
    unknown = [n for n in names if n not in SUITES]
    if unknown:
        print(f"unknown benchmark(s): {', '.join(unknown)}; choose from {', '.join(SUITES)}")
        return 2
    print(
        f"routemap benchmarks on {platform.node()}: {os.cpu_count()} cores, "
        f"Python {platform.python_version()}"
    )
    for name in names:
        module = importlib.import_module(f"bench.{name}")
        print()
        print("\n".join(module.run()))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
