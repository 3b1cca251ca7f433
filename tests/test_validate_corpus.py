"""The corpus of broken data sets: each prints exactly its expected problems and exits 1."""

from __future__ import annotations

import subprocess
import sys

import pytest
from click.testing import CliRunner

from routemap.cli import cli

from .broken_cases import CASES, apply_case, load_case

NAMES = sorted(p.stem for p in CASES.glob("*.yaml"))
# cases that load with warnings (exit 0) rather than fail
WARNING_CASES = [n for n in NAMES if "warnings" in load_case(n)]
NAMES = [n for n in NAMES if n not in WARNING_CASES]


def test_corpus_is_large_enough():
    assert len(NAMES) >= 25


@pytest.mark.parametrize("name", NAMES)
def test_broken_case(name, data_copy):
    case = load_case(name)
    directory = data_copy()
    apply_case(case, directory)
    result = CliRunner().invoke(cli, ["validate", str(directory)])
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    assert case["expected"], f"{name}: no expected messages recorded"
    assert result.stdout.splitlines() == case["expected"]
    n = len(case["expected"])
    assert result.stderr.strip() == f"{n} problem{'s' if n != 1 else ''} found."


@pytest.mark.parametrize("name", WARNING_CASES)
def test_warning_case(name, data_copy):
    """A warning is printed with its file, key and line, and the map still loads."""
    case = load_case(name)
    directory = data_copy()
    apply_case(case, directory)
    result = CliRunner().invoke(cli, ["validate", str(directory)])
    assert result.exit_code == 0, result.output
    assert case["warnings"], f"{name}: no expected warnings recorded"
    *warnings, ok = result.stdout.splitlines()
    assert warnings == case["warnings"]
    assert ok.startswith("OK: ")
    n = len(case["warnings"])
    plural = "s" if n != 1 else ""
    assert result.stderr.strip() == f"{n} warning{plural}: worth a look, but the map loads."


def test_valid_mini_map_passes(data_copy):
    result = CliRunner().invoke(cli, ["validate", str(data_copy())])
    assert result.exit_code == 0
    assert result.stdout.startswith("OK: ")
    assert result.stderr == ""  # no warnings either
    assert "6 stations, 2 lines, 3 interchanges, 2 questions, 2 rules" in result.stdout


def test_real_entry_point_prints_no_traceback(data_copy):
    directory = data_copy()
    apply_case(load_case("invalid-yaml"), directory)
    proc = subprocess.run(
        [sys.executable, "-m", "routemap", "validate", str(directory)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 1
    assert "Traceback" not in proc.stdout + proc.stderr
    assert proc.stdout.startswith("lines.yaml: ")
