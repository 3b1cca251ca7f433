"""A deterministic generator of synthetic pathway maps, for tests and benchmarks.

The maps look like spin-out maps: one origin, lines flowing left to right, lines sharing
corridors and interchanges, some skipping stages, several outcomes. They are built to be
crossing-free: the lines keep one top-to-bottom order, and every station is shared by lines
that are next to each other in that order, so a good layout needs no crossing at all.
"""

from __future__ import annotations

import random

from .models import (
    Area,
    Choice,
    ChoiceOption,
    Corrections,
    Duration,
    Line,
    MapInfo,
    Option,
    Publisher,
    Question,
    Rule,
    Source,
    Station,
    StepInfo,
)
from .validate import MapData

PALETTE = [
    "#1d70b8",
    "#d4351c",
    "#00703c",
    "#f47738",
    "#4c2c92",
    "#b58840",
    "#28a197",
    "#d53880",
    "#5694ca",
    "#85994b",
    "#912b88",
    "#505a5f",
]
WORDS = (
    "review options business case staff union engagement register company society charity "
    "contract award transfer pension admission shadow board governance legal form support "
    "diagnostic sponsorship decision procurement agreement filing annual report tender "
    "readiness funding grant lease assets partner trust consultation ballot plan model"
).split()
KINDS = ["stage", "decision", "document", "registration", "support"]


def _partition(rng: random.Random, items: list[int], k: int) -> list[list[int]]:
    """Split an ordered list into k contiguous non-empty groups."""
    k = max(1, min(k, len(items)))
    cuts = sorted(rng.sample(range(1, len(items)), k - 1)) if k > 1 else []
    bounds = [0, *cuts, len(items)]
    return [items[a:b] for a, b in zip(bounds, bounds[1:], strict=False)]


def synthetic_map(
    n_stations: int, n_lines: int = 8, seed: int = 1, skip_rate: float = 0.08
) -> MapData:
    if n_stations < n_lines + 2:
        raise ValueError("need at least n_lines + 2 stations")
    if not 1 <= n_lines <= 40:
        raise ValueError("n_lines must be between 1 and 40")
    rng = random.Random(seed)
    lines = list(range(n_lines))
    paths: dict[int, list[str]] = {i: ["origin"] for i in lines}
    stations: list[Station] = []
    src = ["synthetic"]

    def station(sid: str, kind: str, historical: bool = False) -> None:
        n_words = rng.randint(1, 5)
        name = " ".join(rng.choice(WORDS) for _ in range(n_words)).capitalize()
        stations.append(
            Station(
                id=sid,
                name=f"{name} {len(stations)}"[:60],
                kind=kind,
                summary=f"Synthetic station {sid}.",
                who=["a team"],
                duration=Duration(text="Not published", max_days=rng.randint(1, 120)),
                cost="Not published",
                status="historical" if historical else "open",
                closed="2010" if historical else None,
                sources=src,
            )
        )

    station("origin", "origin")
    previous: list[list[int]] | None = None
    column = 0
    while True:
        column += 1
        remaining = n_stations - len(stations)
        if remaining <= n_lines:
            groups = _partition(rng, lines, remaining)
            for g_i, group in enumerate(groups):
                sid = f"outcome-{g_i + 1}"
                station(sid, "outcome")
                for ln in group:
                    paths[ln].append(sid)
            break
        if previous is not None and rng.random() < 0.45:
            groups = previous
        else:
            mean = max(1.2, min(1.8, n_lines / 5))
            k = max(1, min(n_lines, remaining - 1, round(rng.gauss(n_lines / mean, 1.5))))
            groups = _partition(rng, lines, k)
        previous = groups
        placed = 0
        for g_i, group in enumerate(groups):
            if len(stations) >= n_stations - 1:
                break
            if len(group) == 1 and rng.random() < skip_rate and len(paths[group[0]]) > 1:
                continue  # this line skips the stage: a long edge on its own track
            sid = f"s{column}-{g_i + 1}"
            station(sid, rng.choice(KINDS), historical=rng.random() < 0.05)
            placed += 1
            for ln in group:
                paths[ln].append(sid)
        if placed == 0:
            column -= 1

    line_models = []
    for i in lines:
        historical = i % 5 == 4
        line_models.append(
            Line(
                id=f"line-{i + 1}",
                name=f"Line {i + 1} " + rng.choice(WORDS),
                colour=PALETTE[i % 12],
                kind="legal_form",
                summary="Synthetic line.",
                regulator="None",
                status="historical" if historical else "open",
                opened="2008" if historical else None,
                closed="2012" if historical else None,
                sources=src,
                stations=paths[i],
            )
        )
    # drop stations no line reached (a skipped singleton group can leave none)
    used = {sid for p in paths.values() for sid in p}
    stations = [s for s in stations if s.id in used]
    # a route model: the first open line is the spine; a choice of one option per other open
    # line (each putting a few of that line's own stations on the route); answering "yes"
    # favours the second line's option, "no" rules it out
    kinds = {s.id: s for s in stations}
    open_lines = [m for m in line_models if m.status == "open"]

    def usable(sid: str) -> bool:
        return kinds[sid].status == "open" and kinds[sid].kind not in ("origin", "outcome")

    spine = [sid for sid in open_lines[0].stations if usable(sid)] if open_lines else []
    on_spine = set(spine)
    options = []
    for m in open_lines[1:]:
        own = [sid for sid in m.stations if usable(sid) and sid not in on_spine][:3]
        if own:
            options.append(
                ChoiceOption(
                    id=f"option-{m.id}",
                    name=f"Option {m.name}",
                    summary="Synthetic option.",
                    stations=own,
                    sources=src,
                )
            )
    choices = (Choice(id="choice", name="Synthetic choice", options=options),) if options else ()
    described = on_spine | {sid for o in options for sid in o.stations}
    steps = tuple(
        StepInfo(
            station=sid,
            topic="set_up",
            spine=sid in on_spine,
            reason="Synthetic reason.",
            grounds="practice",
            sources=src,
        )
        for sid in [s.id for s in stations]
        if sid in described
    )
    rules = []
    if options:
        rules.append(
            Rule(
                id="favour-second",
                when={"q": ["yes"]},
                favour=[options[0].id],
                reason="Synthetic rule: this option suits you.",
            )
        )
        rules.append(
            Rule(
                id="rule-out-second",
                when={"q": ["no"]},
                rule_out=[options[0].id],
                reason="Synthetic rule: this option is closed to you.",
            )
        )
    return MapData(
        info=MapInfo(
            title=f"Synthetic map {n_stations}/{n_lines}/{seed}",
            subtitle="Generated for tests and benchmarks",
            facts_as_of="2025-01",
            description="Synthetic.",
            corrections=Corrections(tell="Not applicable.", steps=["Not applicable."]),
        ),
        sources=(
            Source(
                id="synthetic",
                title="Synthetic data",
                url="https://example.org/",
                kind="organisation",
                publisher="Example",
                checked="2025-01",
                note="Made up for tests and benchmarks.",
            ),
        ),
        publishers=(Publisher(name="Example", hosts=["example.org"]),),
        stations=tuple(stations),
        lines=tuple(line_models),
        areas=(Area(id="area", name="Area", summary="Synthetic."),),
        questions=(
            Question(
                id="q",
                text="Q?",
                hint="Synthetic.",
                area="area",
                options=[Option(value="yes", label="Yes"), Option(value="no", label="No")],
            ),
        ),
        rules=tuple(rules),
        choices=choices,
        steps=steps,
    )


def write_data(data: MapData, directory) -> None:
    """Write map data as the YAML files of a data directory (what ``validate`` reads)."""
    from pathlib import Path

    import yaml

    from .atomic import write_text_atomic

    directory = Path(directory)

    def dump(objs) -> list[dict]:
        return [o.model_dump(mode="json", exclude_defaults=True) for o in objs]

    files = {
        "map.yaml": {"map": data.info.model_dump(mode="json", exclude_defaults=True)},
        "sources.yaml": {"sources": dump(data.sources), "publishers": dump(data.publishers)},
        "stations.yaml": {"stations": dump(data.stations)},
        "lines.yaml": {"lines": dump(data.lines)},
        "questions.yaml": {"areas": dump(data.areas), "questions": dump(data.questions)},
        "rules.yaml": {
            "choices": dump(data.choices),
            "steps": dump(data.steps),
            "rules": dump(data.rules),
        },
    }
    for name, doc in files.items():
        write_text_atomic(
            directory / name, yaml.safe_dump(doc, sort_keys=False, allow_unicode=True, width=100)
        )
