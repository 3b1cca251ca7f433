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


# ---- framework internals stay in their one module --------------------------------------------
QUARANTINE = PACKAGE / "web" / "explorer" / "dashfix.py"
ASSETS = PACKAGE.parent / "assets"
# dash-cytoscape's and Cytoscape.js's internals the browser code reaches (assets/dashfix.js)
JS_INTERNALS = ("_cyreg", "_dashprivate", "lyrTxrCache", "_private", "emitter().listeners")


def dash_private_names() -> set[str]:
    """Every private name of Dash and dash-cytoscape a module could reach: the attributes of
    their app and component classes (and of an app and a component once built), and their
    private modules."""
    import dash
    import dash_cytoscape
    from dash import html
    from dash.development.base_component import Component

    def private(names) -> set[str]:
        return {n for n in names if n.startswith("_") and not n.startswith("__")}

    found: set[str] = set()
    for cls in (dash.Dash, Component, dash_cytoscape.Cytoscape, html.Div):
        for klass in cls.__mro__:
            if klass.__module__.split(".")[0] in ("dash", "dash_cytoscape"):
                found |= private(vars(klass))
    found |= private(vars(dash.Dash(__name__)))
    found |= private(vars(html.Div("x", id="x")))
    found |= private(dir(dash)) | private(dir(dash_cytoscape))
    return found


def dash_private_uses(path: Path, names: set[str]) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr in names:
            found.append(f"{path.name}:{node.lineno}: .{node.attr}")
        elif (  # getattr(node, "_type"), hasattr(...): the same reach, spelt as a string
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in ("getattr", "hasattr", "setattr")
            and len(node.args) > 1
            and isinstance(node.args[1], ast.Constant)
            and node.args[1].value in names
        ):
            found.append(f"{path.name}:{node.lineno}: {node.func.id}(…, {node.args[1].value!r})")
        elif isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] in (
            "dash",
            "dash_cytoscape",
        ):
            parts = (node.module or "").split(".")[1:] + [a.name for a in node.names]
            found += [f"{path.name}:{node.lineno}: {p}" for p in parts if p.startswith("_")]
    return found


def test_no_dash_private_name_outside_the_quarantined_module():
    names = dash_private_names()
    assert {"_dev_tools", "_generate_scripts_html", "_prop_names", "_type"} <= names
    found = []
    for path in PACKAGE.rglob("*.py"):
        if path != QUARANTINE:
            found += dash_private_uses(path, names)
    assert not found, "Dash's private names outside dashfix.py:\n" + "\n".join(found)
    # the check can fail: the quarantined module itself uses them
    assert dash_private_uses(QUARANTINE, names)
    scripts = {p.name: p.read_text(encoding="utf-8") for p in ASSETS.glob("*.js")}
    outside = [
        f"{name}: {word}"
        for name, text in scripts.items()
        if name != "dashfix.js"
        for word in JS_INTERNALS
        if word in text
    ]
    assert not outside, outside
    assert all(word in scripts["dashfix.js"] for word in ("_cyreg", "lyrTxrCache"))
