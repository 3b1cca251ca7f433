"""Apply a broken-data case (tests/broken/*.yaml) to a copy of the mini map."""

from __future__ import annotations

from pathlib import Path

import yaml

CASES = Path(__file__).resolve().parent / "broken"


def load_case(name: str) -> dict:
    return yaml.safe_load((CASES / f"{name}.yaml").read_text(encoding="utf-8"))


def apply_case(case: dict, directory: Path) -> None:
    for edit in case.get("patch", []):
        path = directory / edit["file"]
        text = path.read_text(encoding="utf-8")
        if edit["old"] not in text:
            raise AssertionError(f"patch target not found in {edit['file']}: {edit['old']!r}")
        path.write_text(text.replace(edit["old"], edit["new"], 1), encoding="utf-8")
    for file, extra in case.get("append", {}).items():
        with (directory / file).open("a", encoding="utf-8") as fh:
            fh.write(extra)
    for file, text in case.get("replace", {}).items():
        (directory / file).write_text(text, encoding="utf-8")
    for file in case.get("remove", []):
        (directory / file).unlink()
    for file in case.get("encode_latin1", []):
        path = directory / file
        path.write_bytes(path.read_text(encoding="utf-8").encode("latin-1"))
    for file, size in case.get("pad", {}).items():
        with (directory / file).open("a", encoding="utf-8") as fh:
            fh.write("#" + "x" * size + "\n")
