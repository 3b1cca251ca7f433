"""Read one YAML data file safely, keeping line numbers so every problem can point at its line.

``yaml.safe_load`` alone would silently keep the last of two duplicate keys and expand
aliases without limit; an adviser editing a file deserves to hear about both. Nesting depth,
long numbers and aliases are refused first (``boundedparse.check_yaml``).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from .boundedparse import TooComplex, YamlLoader, check_yaml
from .problems import Problem

MAX_FILE_BYTES = 5_000_000

@dataclass(frozen=True)
class YamlDoc:
    file: str
    data: Any
    root: yaml.Node

    def line(self, path: tuple | list) -> int | None:
        """The 1-based line of the deepest node on ``path`` that exists."""
        node = self.root
        best = node.start_mark.line + 1
        for part in path:
            child = None
            if isinstance(node, yaml.MappingNode) and isinstance(part, str):
                for key, value in node.value:
                    if isinstance(key, yaml.ScalarNode) and key.value == part:
                        child = value
                        break
            elif isinstance(node, yaml.SequenceNode) and isinstance(part, int):
                if 0 <= part < len(node.value):
                    child = node.value[part]
            if child is None:
                break
            node = child
            best = node.start_mark.line + 1
        return best


def _duplicate_keys(file: str, node: yaml.Node, path: list) -> list[Problem]:
    from .problems import format_path

    problems: list[Problem] = []
    if isinstance(node, yaml.MappingNode):
        seen: dict[str, int] = {}
        for key, value in node.value:
            name = key.value if isinstance(key, yaml.ScalarNode) else None
            if name is not None:
                if name in seen:
                    problems.append(
                        Problem(
                            file,
                            format_path([*path, name]),
                            f"duplicate key '{name}' (first at line {seen[name]}); "
                            "the earlier value would be lost",
                            key.start_mark.line + 1,
                        )
                    )
                else:
                    seen[name] = key.start_mark.line + 1
            problems += _duplicate_keys(file, value, [*path, name if name is not None else "?"])
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            problems += _duplicate_keys(file, item, [*path, i])
    return problems


def read_yaml(directory: Path, name: str) -> tuple[YamlDoc | None, list[Problem]]:
    path = directory / name
    if not path.is_file():
        return None, [Problem(name, "", "file is missing")]
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        return None, [
            Problem(name, "", f"file is too large ({size:,} bytes; at most {MAX_FILE_BYTES:,})")
        ]
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        bad = raw[exc.start]
        return None, [
            Problem(name, "", f"not valid UTF-8 (byte 0x{bad:02x}); save the file as UTF-8", line)
        ]
    if text.startswith("\ufeff"):
        text = text[1:]
    try:
        check_yaml(text)  # depth, long numbers and aliases, before anything recurses
        loader = YamlLoader(text)
        try:
            root = loader.get_single_node()
            data = loader.construct_document(root) if root is not None else None
        finally:
            loader.dispose()
    except TooComplex as exc:
        return None, [Problem(name, "", exc.message, exc.line)]
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or exc.context or "cannot be read"
        line = mark.line + 1 if mark else None
        col = f", column {mark.column + 1}" if mark else ""
        return None, [
            Problem(
                name,
                "",
                f"invalid YAML{col}: {problem} (check the indentation, colons and quotes)",
                line,
            )
        ]
    except yaml.YAMLError as exc:  # pragma: no cover - loaders raise marked errors for text
        return None, [Problem(name, "", f"invalid YAML: {exc}")]
    if root is None or data is None:
        return None, [Problem(name, "", "file is empty")]
    problems = _duplicate_keys(name, root, [])
    return YamlDoc(name, data, root), problems
