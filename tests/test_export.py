"""Static exports: each format is what it says, deterministic, inert with hostile text, and
written atomically (a killed export leaves no file and no debris)."""

from __future__ import annotations

import errno
import json
import os
import re
import signal
import struct
import subprocess
import sys
import textwrap
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from click.testing import CliRunner

from routemap import RouteMap
from routemap.cli import cli
from routemap.export import ExportError, ExportOptions, render
from routemap.export import export as export_file
from routemap.route import parse_answers

from .conftest import DATA, MINI

HOSTILE = Path(__file__).resolve().parent / "data" / "hostile"
SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module")
def hostile():
    return RouteMap.load(HOSTILE)


def export(*args) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["export", *[str(a) for a in args]])
    return result.exit_code, result.output


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


def test_svg_is_accessible_real_text(real_map, tmp_path):
    code, out = export("--format", "svg", "-o", tmp_path / "m.svg")
    assert code == 0, out
    root = ET.parse(tmp_path / "m.svg").getroot()
    assert root.get("role") == "img"
    assert root.find(f"{SVG}title").text == real_map.info.title
    assert "Facts last checked December 2026" in (tmp_path / "m.svg").read_text()
    stations = root.findall(f".//{SVG}g[@class]")
    ids = {g.get("id") for g in stations}
    for sid in real_map.stations:
        assert f"station-{sid}" in ids
    for lid in real_map.lines:
        group = root.find(f".//{SVG}g[@id='line-{lid}']")
        assert group.find(f"{SVG}title").text.startswith(real_map.lines[lid].name)
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert real_map.stations["register-cic"].name.split()[0] in " ".join(filter(None, texts))
    assert "Routemap Sans" in root.get("font-family")


def test_png_at_any_scale(tmp_path):
    assert export("--format", "png", "-o", tmp_path / "a.png")[0] == 0
    assert export("--format", "png", "--scale", "0.5", "-o", tmp_path / "b.png")[0] == 0
    w1, h1 = png_size((tmp_path / "a.png").read_bytes())
    w2, h2 = png_size((tmp_path / "b.png").read_bytes())
    assert abs(w1 / 2 - w2) <= 1 and abs(h1 / 2 - h2) <= 1


@pytest.mark.parametrize(
    ("paper", "points"),
    [("A4", (841.89, 595.28)), ("A3", (1190.55, 841.89)), ("A2", (1683.78, 1190.55))],
)
def test_pdf_at_paper_sizes(tmp_path, paper, points):
    assert export("--format", "pdf", "--paper", paper, "-o", tmp_path / "m.pdf")[0] == 0
    data = (tmp_path / "m.pdf").read_bytes()
    assert data.startswith(b"%PDF-")
    box = data.split(b"/MediaBox [")[1].split(b"]")[0].split()
    assert float(box[2]) == pytest.approx(points[0], abs=0.5)
    assert float(box[3]) == pytest.approx(points[1], abs=0.5)


def test_html_is_self_contained(real_map, tmp_path):
    assert export("--format", "html", "-o", tmp_path / "m.html")[0] == 0
    html = (tmp_path / "m.html").read_text()
    assert "<svg" in html and "default-src &#39;none&#39;" in html
    assert 'http-equiv="Content-Security-Policy"' in html
    # nothing is loaded from anywhere: no src=, no stylesheet links, fonts embedded
    assert " src=" not in html.replace("img-src", "")
    assert "<link" not in html
    assert "data:font/ttf;base64," in html
    # readable without JavaScript: every station's details and every line as a list
    for sid in real_map.stations:
        assert f'id="st-{sid}"' in html
    for lid in real_map.lines:
        assert f'id="line-{lid}"' in html


def test_json_geometry(tmp_path):
    assert export("--format", "json", "-o", tmp_path / "m.json")[0] == 0
    doc = json.loads((tmp_path / "m.json").read_text())
    assert doc["format"] == "routemap-geometry" and doc["stations"] and doc["lines"]


def test_route_export_highlights_and_checklists(real_map, tmp_path):
    (tmp_path / "a.yaml").write_text(
        "parent_body: council\nservice_area: libraries_and_culture\ncommunity_ownership: 'yes'\n"
    )
    assert (
        export("--format", "svg", "--answers", tmp_path / "a.yaml", "-o", tmp_path / "r.svg")[0]
        == 0
    )
    svg = (tmp_path / "r.svg").read_text()
    assert 'class="faded"' in svg
    assert (
        export("--format", "md", "--answers", tmp_path / "a.yaml", "-o", tmp_path / "r.md")[0] == 0
    )
    md = (tmp_path / "r.md").read_text()
    assert "| Step | Station | Line | Why it is on your route | Status |" in md
    assert (
        export("--format", "csv", "--answers", tmp_path / "a.yaml", "-o", tmp_path / "r.csv")[0]
        == 0
    )
    head = (tmp_path / "r.csv").read_text().splitlines()[0]
    assert head == "step,station,station_id,line,line_id,reason,status,facts_checked"


def test_a_route_export_names_its_route_and_marks_progress(real_map, tmp_path):
    from routemap.export import ExportOptions, render
    from routemap.route import find_route, parse_answers
    from routemap.route.words import route_title

    answers = {"parent_body": "nhs", "service_area": "community_health", "asset_lock": "yes"}
    profile = parse_answers(real_map, answers, {"done": ["explore"]})
    result = find_route(real_map, profile)
    svg = render(real_map, ExportOptions(fmt="svg", answers=profile)).decode()
    name = route_title(result)
    assert name != "Your route" and f">{name}</text>" in svg  # under the heading "Your route"
    assert ">Your route</text>" in svg and name in svg.split("<title", 2)[1]
    # the choices it is made of, in words, at its foot
    award = next(c for c in result.choices if c.option_name and c.name != result.choices[0].name)
    assert f"{award.name}: {award.option_name}" in svg
    # a step done is filled; with nothing highlighted the map keeps its own title
    assert re.search(r'id="station-explore" class="station[^"]* mark-done"', svg)
    plain = render(real_map, ExportOptions(fmt="svg")).decode()
    assert f">{real_map.info.title}</text>" in plain and "mark-" not in plain


def test_line_highlight(tmp_path):
    assert export("--format", "svg", "--line", "cic", "-o", tmp_path / "l.svg")[0] == 0
    assert 'class="faded"' in (tmp_path / "l.svg").read_text()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--format", "tiff"], "Invalid value for '--format'"),
        (["--format", "png", "--scale", "0"], "scale 0.0 is out of range (0.1 to 8)"),
        (["--format", "pdf", "--paper", "A9"], "Invalid value for '--paper'"),
        (["--format", "svg", "--line", "nope"], "unknown line 'nope'"),
        (["--format", "md"], "--format md is a route checklist: give --answers FILE"),
    ],
)
def test_bad_options_are_named(tmp_path, args, message):
    code, out = export(*args, "-o", tmp_path / "x.out")
    assert code != 0
    assert message in out
    assert "Traceback" not in out
    assert not (tmp_path / "x.out").exists()


def test_unwritable_paths(tmp_path):
    code, out = export("--format", "svg", "-o", tmp_path / "missing" / "m.svg")
    assert code == 1 and "folder" in out and "does not exist" in out
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        if os.access(locked, os.W_OK):  # root ignores permissions
            pytest.skip("running as root: permissions are not enforced")
        code, out = export("--format", "svg", "-o", locked / "m.svg")
        assert code == 1 and "no permission" in out
    finally:
        locked.chmod(0o700)


@pytest.mark.skipif(not Path("/proc/self").is_dir(), reason="needs Linux /proc")
def test_a_folder_that_takes_no_files_is_named_even_as_root(tmp_path):
    code, out = export("--format", "svg", "-o", "/proc/routemap-test.svg")
    assert code == 1 and "the folder '/proc' does not take new files" in out
    assert "Traceback" not in out and "No such file" not in out


@pytest.mark.parametrize(
    ("err", "words"),
    [
        (errno.ENOSPC, "no space left for it in"),
        (errno.EROFS, "is on a read-only file system"),
        (errno.EACCES, "no permission to write in"),
    ],
)
def test_a_failed_write_names_its_cause_and_leaves_nothing(
    real_map, tmp_path, monkeypatch, err, words
):
    def fail(fd, data):
        raise OSError(err, os.strerror(err))

    monkeypatch.setattr(os, "write", fail)
    target = tmp_path / "m.svg"
    with pytest.raises(ExportError) as caught:
        export_file(real_map, ExportOptions(fmt="svg"), target)
    assert words in str(caught.value) and str(target) in str(caught.value)
    assert list(tmp_path.iterdir()) == []  # no half file, no temporary debris


@pytest.mark.parametrize("fmt", ["svg", "png", "pdf", "html", "json", "md", "csv"])
def test_same_data_same_bytes(real_map, fmt):
    profile = parse_answers(real_map, {"parent_body": "nhs"}) if fmt in ("md", "csv") else None
    opts = ExportOptions(fmt=fmt, answers=profile)
    assert render(real_map, opts) == render(real_map, opts)


# ---- hostile data ----------------------------------------------------------------------------


def test_hostile_text_is_inert_in_svg(hostile):
    svg = render(hostile, ExportOptions(fmt="svg")).decode()
    root = ET.fromstring(svg.split("\n", 1)[1])
    assert root.findall(f".//{SVG}script") == []
    assert not any(el.get("onload") or el.get("onerror") for el in root.iter())
    texts = " ".join(t for el in root.iter() for t in (el.text or "", el.tail or ""))
    assert "<script>alert('name')</script>" in texts  # shown as text, not run
    assert "&lt;script&gt;" in svg


def test_hostile_text_is_inert_in_html(hostile):
    html = render(hostile, ExportOptions(fmt="html")).decode()
    assert html.count("<script") == 2  # the station codes (JSON) and the page's own script
    assert "<script>alert" not in html
    assert "onerror=" not in html.replace("onerror=alert", "")  # only escaped text remains
    assert "&lt;img src=x onerror=alert(&#39;summary&#39;)&gt;" in html
    assert "javascript:alert" not in html.replace("&#39;javascript:alert", "")


def test_hostile_text_in_rasters_and_checklists(hostile):
    assert render(hostile, ExportOptions(fmt="png"))[:4] == b"\x89PNG"
    assert render(hostile, ExportOptions(fmt="pdf"))[:5] == b"%PDF-"
    profile = parse_answers(hostile, {"parent_body": "nhs"})
    csv_text = render(hostile, ExportOptions(fmt="csv", answers=profile)).decode()
    md = render(hostile, ExportOptions(fmt="md", answers=profile)).decode()
    assert "\\<script\\>" in md and "<script>" not in md
    assert ",=HYPERLINK" not in csv_text


def test_export_error_for_bad_option_object(real_map):
    with pytest.raises(ExportError, match="unknown paper 'B5'"):
        render(real_map, ExportOptions(fmt="pdf", paper="B5"))


# ---- atomic writes ---------------------------------------------------------------------------


KILLED_WRITER = textwrap.dedent("""
    import os, sys, time
    from routemap import atomic
    real_write = os.write
    def slow_write(fd, data):
        n = real_write(fd, bytes(data[: len(data) // 2]))
        print("half", flush=True)
        time.sleep(60)
        return n
    os.write = slow_write
    atomic.write_bytes_atomic(sys.argv[1], b"x" * 1_000_000)
""")


@pytest.mark.parametrize("existing", [False, True])
def test_an_export_killed_while_writing_leaves_no_partial_file(tmp_path, existing):
    target = tmp_path / "map.svg"
    if existing:
        target.write_bytes(b"old map")
    proc = subprocess.Popen(
        [sys.executable, "-c", KILLED_WRITER, str(target)], stdout=subprocess.PIPE, text=True
    )
    assert proc.stdout.readline().strip() == "half"  # killed half way through the write
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    assert sorted(p.name for p in tmp_path.iterdir()) == (["map.svg"] if existing else [])
    if existing:
        assert target.read_bytes() == b"old map"


def test_a_whole_export_killed_leaves_the_old_file(tmp_path):
    target = tmp_path / "map.png"
    target.write_bytes(b"old")
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "routemap",
            "--data",
            str(DATA),
            "export",
            "--format",
            "png",
            "--scale",
            "6",
            "-o",
            str(target),
        ],
        stderr=subprocess.DEVNULL,
    )
    time.sleep(1.0)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == ["map.png"]
    data = target.read_bytes()
    assert data == b"old" or data[:8] == b"\x89PNG\r\n\x1a\n"  # old, or the whole new one


@pytest.mark.parametrize(
    ("paper", "points"), [("A1", (2383.94, 1683.78)), ("A0", (3370.39, 2383.94))]
)
def test_pdf_at_the_large_paper_sizes(tmp_path, paper, points):
    assert export("--format", "pdf", "--paper", paper, "-o", tmp_path / "m.pdf")[0] == 0
    box = (tmp_path / "m.pdf").read_bytes().split(b"/MediaBox [")[1].split(b"]")[0].split()
    assert float(box[2]) == pytest.approx(points[0], abs=0.5)
    assert float(box[3]) == pytest.approx(points[1], abs=0.5)


def test_a_paper_too_small_for_legible_labels_says_it_is_an_overview(real_map):
    """Where the smallest labels print under 6 pt the page says so, with their size and the
    smallest paper that prints them at 6 pt or more; where they print larger it says nothing."""
    from routemap.export import _footer
    from routemap.layout.paper import LEGIBLE_PT, label_points

    points = label_points(real_map.geometry)
    small = [p for p, pt in points.items() if pt < LEGIBLE_PT]
    big = [p for p, pt in points.items() if pt >= LEGIBLE_PT]
    assert small and big  # the real map needs a large sheet for 6 pt
    note = _footer(real_map, small[0])[-1]
    assert note.startswith(f"An overview: on {small[0]} the smallest labels print at ")
    assert f"print on {big[0]} or larger" in note
    assert len(_footer(real_map, big[0])) == len(_footer(real_map)) == 1


def test_offline_html_opens_at_a_readable_zoom_and_zooms(real_map):
    from routemap.export import ExportOptions, render

    html = render(real_map, ExportOptions(fmt="html")).decode()
    for action in ("in", "out", "fit"):
        assert f'data-zoom-action="{action}"' in html
    assert "var READABLE = 0.75;" in html  # 12.5-unit labels at 9.4 px
    assert "setZoom(READABLE);" in html


@pytest.mark.parametrize(
    "date, stamp",
    [("2026-12", "20261201000000"), ("2025", "20250101000000"), ("2026-12-05", "20261205000000")],
)
def test_the_pdf_date_is_a_real_day(date, stamp):
    from routemap.render.raster import pdf_stamp

    assert pdf_stamp(date) == stamp


# ---- targets that are not regular files; debris of interrupted writes (issue 24) --------------


def _special(tmp_path, kind):
    target = tmp_path / "out.png"
    if kind == "symlink":
        (tmp_path / "real.png").write_bytes(b"real")
        target.symlink_to(tmp_path / "real.png")
    elif kind == "dangling symlink":
        target.symlink_to(tmp_path / "nowhere.png")
    elif kind == "fifo":
        os.mkfifo(target)
    elif kind == "directory":
        target.mkdir()
    elif kind == "device":
        return Path("/dev/null")
    return target


@pytest.mark.parametrize(
    ("kind", "words"),
    [
        ("symlink", "it is a symbolic link, not a regular file"),
        ("dangling symlink", "it is a symbolic link"),
        ("fifo", "it is a named pipe (FIFO), not a regular file"),
        ("device", "it is a device, not a regular file"),
        ("directory", "is a directory"),  # click refuses it first (exit 2)
    ],
)
def test_export_refuses_a_target_that_is_not_a_regular_file(tmp_path, kind, words):
    target = _special(tmp_path, kind)
    before = os.lstat(target).st_mode
    code, out = export("--format", "svg", "-o", target)
    assert code == (2 if kind == "directory" else 1)
    assert words in out and str(target) in out
    assert "Traceback" not in out
    assert os.lstat(target).st_mode == before  # still what it was
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".part")]
    if kind == "symlink":
        assert (tmp_path / "real.png").read_bytes() == b"real"


def test_the_atomic_writer_itself_refuses_special_files(tmp_path):
    from routemap import atomic

    os.mkfifo(tmp_path / "pipe")
    with pytest.raises(atomic.NotRegular, match="named pipe"):
        atomic.write_bytes_atomic(tmp_path / "pipe", b"x")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pipe"]


def _dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def test_debris_of_a_killed_write_is_cleaned_on_the_next_run(tmp_path):
    dead = tmp_path / f".map.svg.{_dead_pid()}.0123456789ab.part"
    dead.write_bytes(b"half")
    live = tmp_path / f".map.svg.{os.getppid()}.0123456789ab.part"  # a writer still running
    live.write_bytes(b"busy")
    other = tmp_path / ".notes.part"  # not ours
    other.write_bytes(b"keep")
    assert export("--format", "svg", "-o", tmp_path / "map.svg")[0] == 0
    assert not dead.exists()
    assert live.exists() and other.exists()


KILLED_BEFORE_RENAME = textwrap.dedent("""
    import os, sys, time
    from routemap import atomic
    def slow_replace(src, dst):
        print("linked", flush=True)
        time.sleep(60)
    atomic.os.replace = slow_replace
    sys.argv = ["routemap", "--data", sys.argv[1], "export", "--format", "svg", "-o", sys.argv[2]]
    from routemap.cli import main
    main()
""")


def _start_killed_before_rename(target):
    proc = subprocess.Popen(
        [sys.executable, "-c", KILLED_BEFORE_RENAME, str(MINI), str(target)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout.readline().strip() == "linked"
    return proc


def test_sigterm_between_link_and_rename_leaves_no_part_file(tmp_path):
    target = tmp_path / "map.svg"
    target.write_bytes(b"old map")
    proc = _start_killed_before_rename(target)
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=30)
    assert proc.returncode == 128 + signal.SIGTERM
    assert "Traceback" not in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["map.svg"]
    assert target.read_bytes() == b"old map"


def test_sigkill_between_link_and_rename_leaves_debris_that_the_next_run_removes(tmp_path):
    target = tmp_path / "map.svg"
    proc = _start_killed_before_rename(target)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    left = [p.name for p in tmp_path.iterdir()]
    assert len(left) == 1 and left[0].endswith(".part")  # what no process can clean up itself
    assert export("--format", "svg", "-o", target)[0] == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["map.svg"]


def test_a_checklist_names_only_the_lines_of_the_options_chosen(real_map):
    """Central Surrey Health (a staff-owned company, the Provider Selection Regime): every step
    is on the employee-owned company's line, the Provider Selection Regime's, or none (a plain
    stop); go-live on the legal form's line; the Markdown says the same."""
    import csv
    import io

    from routemap.route import parse_answers

    answers = {
        "parent_body": "nhs",
        "service_area": "community_health",
        "regulated_activities": ["treatment"],
        "staff_count": 600,
        "commissioner_support": "yes",
        "ownership": "staff",
        "staff_control": "by_shares",
        "asset_lock": "no",
        "charitable_status": "no",
    }
    profile = parse_answers(real_map, answers)
    rows = list(
        csv.DictReader(
            io.StringIO(render(real_map, ExportOptions("csv", answers=profile)).decode())
        )
    )
    lines = {r["line_id"] for r in rows}
    assert lines <= {"employee-owned-company", "provider-selection-regime", ""}
    go_live = next(r for r in rows if r["station_id"] == "go-live")
    assert go_live["line"] == "Employee-owned company"
    md = render(real_map, ExportOptions("md", answers=profile)).decode()
    assert "Charitable company" not in md
