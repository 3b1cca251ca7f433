"""The ``routemap`` command: a thin front door over the same functions the app and API use.

No traceback ever reaches the user: bad data prints every problem and exits 1; a bad option
exits 2 with click's message; anything unexpected prints one line (set ROUTEMAP_DEBUG=1 for
the traceback).
"""

from __future__ import annotations

import os
import sys
import textwrap
from pathlib import Path

import click

from .citing import backs_words, source_meta
from .core import RouteMap, UnknownId, default_data_dir
from .layout.paper import PAPER_MM
from .problems import DataError
from .stationview import station_view

DATA_OPTION = click.option(
    "--data",
    "data_dir",
    type=click.Path(path_type=Path, file_okay=False),
    default=None,
    help="Map data directory (default: $ROUTEMAP_DATA or the repository's graph_data/).",
)


FORMAT_OPTION = click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)


def answers_option(help_text: str = "Answers file (JSON or YAML): question id -> answer."):
    """The required ``--answers FILE`` of the route, next and whatif commands."""
    return click.option(
        "--answers",
        "answers_file",
        type=click.Path(path_type=Path, dir_okay=False),
        required=True,
        help=help_text,
    )


def _refuse(problems) -> None:
    """Print each problem of the answers as the CLI words them, and exit 2."""
    for problem in problems:
        click.echo(f"routemap: {problem}", err=True)
    raise SystemExit(2)


def load_map(data_dir: Path | None) -> RouteMap:
    try:
        return RouteMap.load(data_dir or default_data_dir())
    except DataError as exc:
        _print_problems(exc)
        raise SystemExit(1) from None


def _print_problems(exc: DataError) -> None:
    for problem in exc.problems:
        click.echo(str(problem))
    n = len(exc.problems)
    click.echo(f"{n} problem{'s' if n != 1 else ''} found.", err=True)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="routemap")
@click.option(
    "--data",
    "data_dir",
    type=click.Path(path_type=Path, file_okay=False),
    default=None,
    help="Map data directory for every command (default: $ROUTEMAP_DATA or graph_data/).",
)
def cli(data_dir: Path | None) -> None:
    """routemap: the spin-out route map as data, a tube map, a route finder and exports."""
    if data_dir is not None:
        os.environ["ROUTEMAP_DATA"] = str(data_dir)


@cli.command()
@click.argument("data_dir", required=False, type=click.Path(path_type=Path))
def validate(data_dir: Path | None) -> None:
    """Check the map data and report every problem at once (exit 1 if any)."""
    directory = data_dir or default_data_dir()
    try:
        rm = RouteMap.load(directory)
    except DataError as exc:
        _print_problems(exc)
        raise SystemExit(1) from None
    for warning in rm.data.warnings:
        click.echo(str(warning))
    click.echo(f"OK: {directory}: {rm.summary_line()}")
    if n := len(rm.data.warnings):
        click.echo(
            f"{n} warning{'s' if n != 1 else ''}: worth a look, but the map loads.", err=True
        )


@cli.command()
@click.argument("station_id")
@DATA_OPTION
def inspect(station_id: str, data_dir: Path | None) -> None:
    """Print a station: its details, lines, neighbours and sources."""
    rm = load_map(data_dir)
    if station_id in rm.retired:
        from .retired import notice

        click.echo(f"routemap: note: {notice(rm, station_id)}", err=True)
    try:
        st = rm.station(rm.current_id(station_id))
    except UnknownId:
        matches = rm.search(station_id.replace("-", " "), limit=5)
        hint = f" Did you mean: {', '.join(matches)}?" if matches else ""
        raise click.ClickException(f"unknown station '{station_id}'.{hint}") from None
    # the words of the one station view (the pages and the API say the same), with ids added
    # for whoever edits the data
    view = station_view(rm, st.id)
    wrap = textwrap.TextWrapper(width=88, initial_indent="  ", subsequent_indent="  ")
    out = [
        f"{st.name}  [{st.id}]",
        f"Kind: {view.caption} ({st.kind})",
    ]
    out += ["Summary:", wrap.fill(st.summary)]
    out.append("Who is involved: " + "; ".join(st.who))
    if view.documents:
        out.append("Forms and documents:")
        out += [f"  - {text}" for text in view.documents]
    out.append(f"Duration: {st.duration.text}")
    out.append(f"Cost: {st.cost.text}")
    if st.eligibility:
        out += ["Eligibility:", wrap.fill(st.eligibility)]
    out.append("Lines: " + ", ".join(f"{ln.label} ({ln.id})" for ln in view.lines))

    def named(pairs):
        return ", ".join(f"{rm.stations[s].name} [{s}] ({k})" for s, k in pairs)

    out.append("Comes after: " + (named(view.before_by_line) or "nothing (a start)"))
    out.append("Leads to: " + (named(view.after_by_line) or "nothing (an outcome)"))
    if view.support:
        out.append("Support offers: " + ", ".join(f"{name} [{s}]" for s, name in view.support))
    for text in view.examples:
        out.append("Seen in practice: " + text)
    out.append("Sources:")
    for key in st.all_sources():
        src = rm.sources[key]
        backs = backs_words(st, key)
        out.append(
            f"  - {src.title} ({source_meta(src)}): {src.url}" + (f" {backs}" if backs else "")
        )
    click.echo("\n".join(out))


@cli.command()
@click.argument("data_dir", required=False, type=click.Path(path_type=Path, file_okay=False))
@click.option("--check", is_flag=True, help="Exit 1 if the committed schemas are out of date.")
def schema(data_dir: Path | None, check: bool) -> None:
    """Write the JSON Schemas of the data files to DATA_DIR/schema/ (for editors)."""
    from .schema import stale_schemas, write_schemas

    directory = data_dir or default_data_dir()
    if check:
        stale = stale_schemas(directory)
        if stale:
            raise click.ClickException(
                "out of date: " + ", ".join(stale) + "; run 'routemap schema' to refresh them"
            )
        click.echo("schemas are current")
        return
    for path in write_schemas(directory):
        click.echo(f"wrote {path}")


@cli.command()
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["svg", "png", "pdf", "html", "json", "md", "csv"]),
    required=True,
    help="svg, png, pdf, html (offline, interactive), json (the geometry), or with "
    "--answers a route checklist as md or csv.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path, dir_okay=False),
    required=True,
    help="File to write (written atomically).",
)
@click.option(
    "--answers",
    "answers_file",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help="Answers file: highlight the personalised route.",
)
@click.option("--line", "line_id", default=None, help="Highlight one line (others faded).")
@click.option(
    "--scale",
    type=float,
    default=1.0,
    show_default=True,
    help="PNG scale (1 = one pixel per SVG unit).",
)
@click.option(
    "--paper",
    type=click.Choice(list(PAPER_MM)),
    default="A3",
    show_default=True,
    help="PDF paper size (landscape); A4 is an overview unless its labels print at 6 pt.",
)
@click.option("--title", default=None, help="Title printed on the map.")
@DATA_OPTION
def export(
    fmt: str,
    output: Path,
    answers_file: Path | None,
    line_id: str | None,
    scale: float,
    paper: str,
    title: str | None,
    data_dir: Path | None,
) -> None:
    """Export the map as a static file for print or a website."""
    from .export import ExportError, ExportOptions
    from .export import export as do_export

    rm = load_map(data_dir)
    profile = _load_profile(rm, answers_file, None) if answers_file else None
    opts = ExportOptions(
        fmt=fmt, answers=profile, line=line_id, scale=scale, paper=paper, title=title
    )
    stages = ["route"] if profile else []
    stages += ["checklist"] if fmt in ("md", "csv") else ["layout", fmt, "write"]
    try:
        if sys.stderr.isatty():
            with click.progressbar(
                length=len(stages), label=f"Exporting {fmt}", file=sys.stderr
            ) as bar:
                path = do_export(rm, opts, output, progress=lambda stage: bar.update(1))
        else:
            path = do_export(rm, opts, output)
    except ExportError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"wrote {path} ({path.stat().st_size:,} bytes)", err=True)


def _laid_out(data_dir: Path | None, fresh: bool):
    """The map and its layout now: from its lock, or from scratch (``fresh``: the lock is
    not read at all, so a broken one cannot stop it); and the lock as it was, if any."""
    from .layout import compute_layout
    from .layout.lock import read_lock
    from .validate import load_data

    directory = data_dir or default_data_dir()
    if not fresh:
        rm = load_map(directory)
        return rm, rm.data.lock, rm.geometry, directory
    try:
        rm = RouteMap(load_data(directory, with_lock=False))
    except DataError as exc:
        _print_problems(exc)
        raise SystemExit(1) from None
    old, _ = read_lock(directory)
    return rm, old, compute_layout(rm, fresh=True), directory


@cli.group(invoke_without_command=True)
@click.option(
    "--fresh",
    is_flag=True,
    help="Lay the map out from scratch, not from the lock (anything may move).",
)
@click.option(
    "--check",
    is_flag=True,
    help="Write nothing; exit 1 if the lock is missing or behind the data (for CI).",
)
@DATA_OPTION
@click.pass_context
def layout(ctx: click.Context, fresh: bool, check: bool, data_dir: Path | None) -> None:
    """Accept the map's layout: lay it out from the layout lock, say what moved, and write the
    lock (DATA/layout.lock.yaml, atomically). The app and the exports only read the lock."""
    from .layout.diff import diff_lines, diff_locks
    from .layout.lock import LOCK_FILE, lock_text, same_layout, write_lock
    from .layout.quality import evaluate

    ctx.ensure_object(dict)["data_dir"] = data_dir
    if ctx.invoked_subcommand is not None:
        return
    rm, old, geometry, directory = _laid_out(data_dir, fresh)
    lines = diff_lines(rm, diff_locks(rm, old, geometry.lock))
    if old is None:
        lines = [f"There was no layout lock in {directory}: every station is new to it."]
    click.echo("\n".join(lines))
    current = old is not None and lock_text(old) == lock_text(geometry.lock)
    if check:  # a station renamed in the data moves nothing: the check is of the layout
        if old is None or not same_layout(old, geometry.lock):
            raise click.ClickException(
                f"{directory / LOCK_FILE} is not the layout of this data: run 'routemap layout' "
                "and review what moves"
            )
        click.echo(f"{LOCK_FILE} is current.")
        return
    report = evaluate(geometry)
    missed = [f"{n}: {f}" for n, f, ok in report.targets if not ok]
    missed += [f"broken: {b}" for b in report.broken_rules]
    if missed:
        click.echo("Worth a look before publishing: " + "; ".join(missed), err=True)
        if not fresh:  # the publisher's other choice: what a new edition would give
            from .layout import compute_layout

            other = evaluate(compute_layout(rm, fresh=True))
            met = "; ".join(f"{n} {f} {'met' if ok else 'MISSED'}" for n, f, ok in other.targets)
            click.echo(
                f"Laid out from scratch instead ('routemap layout --fresh': anything may "
                f"move): {met}",
                err=True,
            )
    if current:
        click.echo(f"{directory / LOCK_FILE} is already this layout: nothing written.")
        return
    path = write_lock(directory, geometry.lock)
    click.echo(f"wrote {path}: review it with the data and commit it together.", err=True)


@layout.command("diff")
@click.option("--fresh", is_flag=True, help="What a layout from scratch would move instead.")
@click.option("--json", "as_json", is_flag=True, help="Print the changes as JSON (with ids).")
@DATA_OPTION
@click.pass_context
def layout_diff(ctx: click.Context, fresh: bool, as_json: bool, data_dir: Path | None) -> None:
    """What an edit moves: the stations that move and the lines that run in another order,
    from the accepted layout (the lock) to the layout of the data now. Writes nothing."""
    import json

    from .layout.diff import diff_lines, diff_locks

    rm, old, geometry, directory = _laid_out(data_dir or ctx.obj.get("data_dir"), fresh)
    if old is None:
        click.echo(f"There is no layout lock in {directory} yet: 'routemap layout' writes one.")
        return
    diff = diff_locks(rm, old, geometry.lock)
    if as_json:
        click.echo(json.dumps(diff.as_dict(), indent=1))
    else:
        click.echo("\n".join(diff_lines(rm, diff)))


@cli.command("layout-report")
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
@click.option(
    "--synthetic",
    type=click.IntRange(10, 5000),
    default=None,
    help="Report on a synthetic map of N stations instead of the data.",
)
@click.option(
    "--lines",
    "n_lines",
    type=click.IntRange(1, 40),
    default=12,
    show_default=True,
    help="Lines in the synthetic map.",
)
@click.option("--seed", type=int, default=1, show_default=True, help="Synthetic map seed.")
@DATA_OPTION
def layout_report(
    as_json: bool, synthetic: int | None, n_lines: int, seed: int, data_dir: Path | None
) -> None:
    """Print the layout quality figures: octilinearity, crossings, overlaps, bends, spacing."""
    import json
    import time

    from .layout import compute_layout
    from .layout.diff import diff_lines, diff_locks
    from .layout.quality import evaluate

    if synthetic:
        from .synthetic import synthetic_map

        try:
            rm = RouteMap.from_data(synthetic_map(synthetic, n_lines, seed))
        except ValueError as exc:
            raise click.ClickException(str(exc)) from None
    else:
        rm = load_map(data_dir)
    start = time.perf_counter()
    geometry = compute_layout(rm)
    report = evaluate(geometry, time.perf_counter() - start)
    lock = getattr(rm.data, "lock", None)
    diff = diff_locks(rm, lock, geometry.lock) if lock is not None else None
    if as_json:
        doc = report.as_dict()
        doc["since_the_lock"] = diff.as_dict() if diff is not None else None
        click.echo(json.dumps(doc, indent=1))
    else:
        click.echo(f"{rm.info.title}\n{report.text()}")
        click.echo("since the layout lock:" if diff is not None else "since the layout lock: none")
        if diff is not None:
            click.echo("\n".join("  " + line for line in diff_lines(rm, diff)))


@cli.command()
@click.argument("n_stations", type=click.IntRange(10, 20000))
@click.option("--lines", "n_lines", type=click.IntRange(1, 40), default=12, show_default=True)
@click.option("--seed", type=int, default=1, show_default=True)
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path, file_okay=False),
    required=True,
    help="Directory to write the YAML data files into.",
)
def synthetic(n_stations: int, n_lines: int, seed: int, output: Path) -> None:
    """Write a synthetic pathway map (for benchmarks and tests) as a data directory."""
    from .synthetic import synthetic_map, write_data

    try:
        data = synthetic_map(n_stations, n_lines, seed)
    except ValueError as exc:
        raise click.ClickException(str(exc)) from None
    output.mkdir(parents=True, exist_ok=True)
    write_data(data, output)
    click.echo(f"wrote {output}: {len(data.stations)} stations, {len(data.lines)} lines", err=True)


def _csv_ids(value: str | None) -> list[str]:
    return [v.strip() for v in (value or "").split(",") if v.strip()]


def _load_profile(
    rm: RouteMap, answers_file: Path, done: str | None, in_progress: str | None = None
):
    from .route import AnswersError, parse_answers, read_answers_file

    try:
        answers = read_answers_file(answers_file)
        progress = {}
        if done:
            progress["done"] = _csv_ids(done)
        if in_progress:
            progress["in_progress"] = _csv_ids(in_progress)
        profile = parse_answers(rm, answers, progress or None)
    except AnswersError as exc:
        _refuse(exc.problems)
    from .retired import notice

    for old in profile.retired:  # a saved id the map has since retired: say what it reads
        click.echo(f"routemap: note: {notice(rm, old)}", err=True)
    return profile


@cli.command()
@answers_option()
@click.option("--done", default=None, help="Stations already done, comma-separated ids.")
@FORMAT_OPTION
@DATA_OPTION
def route(answers_file: Path, done: str | None, fmt: str, data_dir: Path | None) -> None:
    """The personalised route for a set of answers, with the reason for every step."""
    import json

    from .route import find_route
    from .route.text import route_text

    rm = load_map(data_dir)
    profile = _load_profile(rm, answers_file, done)
    result = find_route(rm, profile)
    if fmt == "json":
        click.echo(json.dumps(result.model_dump(mode="json"), indent=1, ensure_ascii=False))
    else:
        click.echo(route_text(rm, result))


@cli.command("next")
@answers_option("Answers file (JSON or YAML), may hold done/in_progress/skipped.")
@click.option("--done", default=None, help="Stations done, comma-separated ids.")
@click.option(
    "--in-progress", "in_progress", default=None, help="Stations in progress, comma-separated ids."
)
@FORMAT_OPTION
@DATA_OPTION
def next_steps(
    answers_file: Path, done: str | None, in_progress: str | None, fmt: str, data_dir: Path | None
) -> None:
    """What next? Progress, the stations that can start now, what blocks the rest."""
    import json

    from .route.nextsteps import what_next
    from .route.text import next_text

    rm = load_map(data_dir)
    profile = _load_profile(rm, answers_file, done, in_progress)
    result = what_next(rm, profile)
    if fmt == "json":
        doc = result.model_dump(mode="json", exclude={"route"})
        click.echo(json.dumps(doc, indent=1, ensure_ascii=False))
    else:
        click.echo(next_text(rm, result))


@cli.command("whatif")
@answers_option()
@click.option(
    "--change",
    required=True,
    metavar="QUESTION=ANSWER",
    help="The one answer to change, e.g. commissioner_support=no.",
)
@FORMAT_OPTION
@DATA_OPTION
def whatif(answers_file: Path, change: str, fmt: str, data_dir: Path | None) -> None:
    """What changes on the route if one answer were different, and why."""
    import json

    from .route.answerproblems import problem
    from .route.profile import AnswersError
    from .route.text import whatif_text
    from .route.whatif import check_change, compare

    rm = load_map(data_dir)
    profile = _load_profile(rm, answers_file, None)
    qid, sep, raw = change.partition("=")
    try:
        if not sep:
            raise AnswersError([problem("bad_change", "--change")])
        value = check_change(rm, qid.strip(), raw.strip())
    except AnswersError as exc:
        _refuse(exc.problems)
    result = compare(rm, profile, qid.strip(), value)
    if fmt == "json":
        click.echo(json.dumps(result.model_dump(mode="json"), indent=1, ensure_ascii=False))
    else:
        click.echo(whatif_text(result))


@cli.command("compare")
@click.option(
    "--answers",
    "answers_file",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help="Answers file (JSON or YAML); without one, every answer counts as not sure.",
)
@click.option(
    "--route",
    "routes",
    multiple=True,
    help="A legal form to compare (its option id, as in rules.yaml): up to 3, in column "
    "order; one alone is followed by the best others. Default: your route and the two best "
    "alternatives from your answers.",
)
@click.option(
    "--only-differences", is_flag=True, help="Leave out the rows where every route says the same."
)
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json", "csv"]), default="text", show_default=True
)
@DATA_OPTION
def compare_routes(
    answers_file: Path | None,
    routes: tuple[str, ...],
    only_differences: bool,
    fmt: str,
    data_dir: Path | None,
) -> None:
    """Routes side by side (one per legal form), every fact with its sources, for an options
    appraisal."""
    import json

    from .route import parse_answers
    from .route.compare import CompareError, compare
    from .route.comparewords import compare_csv, compare_text

    rm = load_map(data_dir)
    if answers_file is None:
        profile = parse_answers(rm, {})
    else:
        profile = _load_profile(rm, answers_file, None)
    try:
        result = compare(rm, profile, list(routes), only_differences)
    except CompareError as exc:
        _refuse([p.id_words(exc.known) for p in exc.problems])
    if fmt == "json":
        click.echo(json.dumps(result.model_dump(mode="json"), indent=1, ensure_ascii=False))
    elif fmt == "csv":
        click.echo(compare_csv(rm, result), nl=False)
    else:
        click.echo(compare_text(rm, result))


@cli.command()
@click.option("--port", default=8060, show_default=True, type=click.IntRange(1, 65535))
@DATA_OPTION
def preview(port: int, data_dir: Path | None) -> None:
    """Watch the data folder and redraw the map in the browser as it is saved (on
    http://127.0.0.1:PORT/ only; it only reads, and is not part of the app)."""
    from .preview import serve

    directory = data_dir or default_data_dir()
    if not directory.is_dir():
        raise click.ClickException(f"{directory}: data directory not found")

    def ready(server) -> None:
        state = server.preview.drawing
        shown = "the map" if not state.problems else f"{len(state.problems) - 1} problems"
        click.echo(
            f"routemap: previewing {directory} on http://127.0.0.1:{port}/ ({shown}); "
            "save a file to redraw, Ctrl+C to stop",
            err=True,
        )

    try:
        serve(directory, port, ready)
    except OSError as exc:
        raise click.ClickException(f"cannot listen on 127.0.0.1:{port}: {exc.strerror}") from None


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8050, show_default=True, type=click.IntRange(1, 65535))
@click.option(
    "--debug",
    is_flag=True,
    help="Dash's development server with dev tools and hot reload (development only).",
)
@click.option(
    "--workers",
    type=click.IntRange(1, 64),
    default=None,
    help="gunicorn workers (default: $WEB_CONCURRENCY or 2).",
)
@DATA_OPTION
def serve(host: str, port: int, debug: bool, workers: int | None, data_dir: Path | None) -> None:
    """Serve the app on http://HOST:PORT with gunicorn (--debug: Dash's development server)."""
    from . import server
    from .web import create_app

    rm = load_map(data_dir)
    app = create_app({"ROUTEMAP": rm, "DEBUG": debug})
    shown = f"[{host}]" if ":" in host else host
    click.echo(f"routemap: serving {rm.summary_line()} on http://{shown}:{port}/", err=True)
    if debug:
        server.serve_debug(app, host, port)
    else:
        server.serve_production(app, f"{shown}:{port}", workers)


def _terminated(signum, frame) -> None:
    # SIGTERM ends the command like Ctrl-C does, so a write in progress cleans up after itself
    raise SystemExit(128 + signum)


def main() -> None:
    import signal

    signal.signal(signal.SIGTERM, _terminated)
    try:
        cli.main(standalone_mode=True)
    except SystemExit:
        raise
    except KeyboardInterrupt:
        click.echo("routemap: interrupted", err=True)
        sys.exit(130)
    except Exception as exc:  # the last line of defence: no traceback reaches a user
        if os.environ.get("ROUTEMAP_DEBUG"):
            raise
        click.echo(f"routemap: internal error: {type(exc).__name__}: {exc}", err=True)
        sys.exit(2)
