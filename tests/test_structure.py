"""The package's shape: no import cycle between its modules (counting imports made inside
functions, which only hide a cycle until the function runs; ``if TYPE_CHECKING:`` imports,
which never run, are left out)."""

from __future__ import annotations

import ast
from pathlib import Path

import networkx as nx

PACKAGE = Path(__file__).resolve().parent.parent / "routemap"


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def imports_of(path: Path, modules: set[str]) -> set[str]:
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()

    def visit(node: ast.AST) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and _type_checking(child):
                for other in child.orelse:
                    visit(other)
                continue
            if isinstance(child, ast.Import):
                found.update(a.name for a in child.names)
            elif isinstance(child, ast.ImportFrom):
                base = child.module or ""
                if child.level:
                    up = package.split(".")[: len(package.split(".")) - child.level + 1]
                    base = ".".join(up + ([base] if base else []))
                members = {f"{base}.{a.name}" for a in child.names}
                if not members <= modules:  # names from the module itself, not submodules
                    found.add(base)
                found.update(members)
            visit(child)

    visit(ast.parse(path.read_text(encoding="utf-8")))
    # an import of a package's member counts as an import of the module that holds it
    # a package is always set up before its modules: importing it from one is no cycle
    return {m for m in found if m in modules and m != name and not name.startswith(m + ".")}


def import_graph() -> nx.DiGraph:
    paths = list(PACKAGE.rglob("*.py"))
    modules = {module_name(p) for p in paths}
    graph = nx.DiGraph()
    for path in paths:
        for target in imports_of(path, modules):
            graph.add_edge(module_name(path), target)
    return graph


def test_no_import_cycle_between_modules():
    graph = import_graph()
    cycles = list(nx.simple_cycles(graph))
    assert not cycles, "import cycles: " + "; ".join(" -> ".join(c + c[:1]) for c in cycles[:10])


def test_the_graph_sees_imports_inside_functions():
    # the test above would pass trivially if it missed the lazy imports it is meant to catch
    graph = import_graph()
    assert graph.has_edge("routemap.core", "routemap.layout")
