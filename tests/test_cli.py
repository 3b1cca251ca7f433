"""The command line: validate and inspect (later commands have their own test files)."""

from __future__ import annotations

from click.testing import CliRunner

from routemap.cli import cli

from .conftest import DATA, MINI


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


def test_validate_real_data_exits_zero_with_summary(real_map):
    result = run("validate", DATA)
    assert result.exit_code == 0
    assert result.stdout.strip() == f"OK: {DATA}: {real_map.summary_line()}"


def test_validate_missing_directory():
    result = run("validate", "/no/such/dir")
    assert result.exit_code == 1
    assert result.stdout.strip() == "/no/such/dir: data directory not found"


def test_inspect_prints_station_lines_neighbours_sources():
    result = run("inspect", "go-live", "--data", MINI)
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert out.startswith("Go-live  [go-live]\n")
    assert "Lines: Community interest company (cic), Registered society (society)" in out
    assert (
        "Comes after: Register a CIC [register-cic] (cic), Register a society "
        "[register-society] (society)" in out
    )
    assert "Leads to: Contract renewed [renewed] (cic), Contract renewed [renewed] (society)" in out
    assert (
        "Template legal documents for mutualisation (checked November 2025): "
        "https://gov.uk/guidance/" in out
    )


def test_inspect_unknown_station_suggests():
    result = run("inspect", "register", "--data", MINI)
    assert result.exit_code == 1
    assert (
        "unknown station 'register'. Did you mean: register-cic, register-society?" in result.output
    )
    assert "Traceback" not in result.output


def test_inspect_on_broken_data_prints_problems(tmp_path):
    result = run("inspect", "go-live", "--data", tmp_path)
    assert result.exit_code == 1
    assert "map.yaml: file is missing" in result.stdout
