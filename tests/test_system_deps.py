"""The Makefile's ``system-deps`` recipe, run for real with stand-ins for apt-get, sudo and id.

A fresh clone on a machine that already has chromium never runs the install branch, so CI
stayed green while the recipe was broken for every new machine. Here the packages are reported
missing and the stand-ins, first on PATH, record what they were asked to do and with which
environment, so a broken recipe fails this test on any machine.
"""

from __future__ import annotations

import shutil
import stat
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
MAKE = shutil.which("make")

pytestmark = pytest.mark.skipif(MAKE is None, reason="make is not installed")

RECORDER = """#!/bin/sh
# stand-in for {name}: record the arguments and the environment's DEBIAN_FRONTEND
printf '%s|%s|%s\\n' "{name}" "${{DEBIAN_FRONTEND-<unset>}}" "$*" >> "{log}"
{tail}
"""


def _tool(bin_dir: Path, name: str, log: Path, tail: str = "exit 0") -> None:
    path = bin_dir / name
    path.write_text(RECORDER.format(name=name, log=log, tail=tail))
    path.chmod(path.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)


def _run(
    tmp_path: Path, *, uid: int = 0, sudo: bool = False, apt_fails: bool = False, present=False
):
    """``make system-deps`` with the stand-ins first on PATH; the packages are reported
    missing, or (``present``) both there."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    log = tmp_path / "calls.log"
    log.touch()
    _tool(bin_dir, "apt-get", log, "exit 1" if apt_fails else "exit 0")
    _tool(bin_dir, "id", log, f"echo {uid}")
    if sudo:
        # password-less sudo: `sudo -n true` succeeds; anything else runs as asked
        _tool(bin_dir, "sudo", log, '[ "$1" = -n ] && shift; exec "$@"')
    else:
        _tool(bin_dir, "sudo", log, "exit 1")  # sudo that asks for a password
    chromium = tmp_path / ("chromium" if present else "no-chromium-here")
    if present:
        _tool(tmp_path, "chromium", log)
    env = {
        "PATH": f"{bin_dir}:/usr/bin:/bin",
        "HOME": str(tmp_path),
        "LC_ALL": "C",
    }
    proc = subprocess.run(
        [
            MAKE,
            "--no-print-directory",
            "-C",
            str(ROOT),
            "system-deps",
            f"CHROMIUM={chromium}",
            f"CAIRO_CHECK={'true' if present else 'false'}",
            f"NGINX={chromium}",
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    calls = [line.split("|", 2) for line in log.read_text().splitlines()]
    return proc, calls


def _apt_calls(calls):
    return [(frontend, args.split()) for name, frontend, args in calls if name == "apt-get"]


@pytest.mark.parametrize("uid, sudo", [(0, False), (1000, True)], ids=["root", "sudo"])
def test_missing_packages_are_installed_with_apt_non_interactively(tmp_path, uid, sudo):
    proc, calls = _run(tmp_path, uid=uid, sudo=sudo)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    apt = _apt_calls(calls)
    assert [args[0] for _, args in apt] == ["update", "install"], calls
    assert all(frontend == "noninteractive" for frontend, _ in apt), apt
    install = apt[1][1]
    assert "-y" in install
    packages = [a for a in install if not a.startswith("-")]
    assert packages == ["install", "chromium", "libcairo2", "nginx-core"]
    sudo_calls = [args for name, _, args in calls if name == "sudo" and args != "-n true"]
    assert len(sudo_calls) == (2 if sudo else 0), calls
    assert "Installing chromium libcairo2 nginx-core with apt" in proc.stdout


def test_no_permission_to_install_says_what_to_do_and_does_not_fail(tmp_path):
    proc, calls = _run(tmp_path, uid=1000, sudo=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert _apt_calls(calls) == []
    assert "no permission to install" in proc.stdout
    assert "sudo apt-get install -y chromium libcairo2 nginx-core" in proc.stdout


def test_a_failing_apt_stops_the_recipe_with_a_clear_message(tmp_path):
    proc, calls = _run(tmp_path, uid=0, sudo=False, apt_fails=True)
    assert proc.returncode != 0
    assert "'apt-get update' failed" in proc.stdout
    assert "apt-get install -y chromium libcairo2 nginx-core" in proc.stdout


def test_nothing_is_installed_when_nothing_is_missing(tmp_path):
    proc, calls = _run(tmp_path, present=True)
    assert proc.returncode == 0, proc.stderr
    assert calls == []
    assert proc.stdout == ""
