"""Imports only point down the layers, and no module imports itself back through others.

Layers, lowest first: errors, ids, version, locations, progress, leases, sqlite_file ← schema ← ingest ←
graph | tables ← queries | perdoc ← build | push | report ← api | export ← publish ← output ← cli | commands ←
the package's own ``__init__``. A module may import a module of its own top-level package or of a lower
layer; two parts of one layer (graph and tables, build and push) do not import each other. Every import
counts, at module level or inside a function.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = "multiscale_kg"
SOURCE = Path(__file__).resolve().parent.parent / "src" / PACKAGE
#: top-level part of the package → its layer; parts of one layer must not import each other
LAYERS = {
    "errors": 0,
    "ids": 0,
    "version": 0,
    "locations": 0,
    "progress": 0,
    "leases": 0,
    "sqlite_file": 0,  # writing a new SQLite file: knows no model, used by tables and queries
    "schema": 1,
    "ingest": 2,
    "graph": 3,
    "tables": 3,
    "queries": 4,
    "perdoc": 4,
    "build": 5,
    "adding": 5,
    "push": 5,
    "report": 5,
    "api": 6,
    "export": 6,
    "publish": 7,
    "output": 8,
    "cli": 9,
    "commands": 9,
    "": 10,  # multiscale_kg/__init__.py: the package's face, mskg.load()
}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(SOURCE).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join([PACKAGE, *parts])


MODULES = {module_name(path): path for path in sorted(SOURCE.rglob("*.py"))}


def imports_of(name: str) -> set[str]:
    """The package's modules that ``name`` imports anywhere in its code (a package means its __init__)."""
    path = MODULES[name]
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                source = ".".join(base + ([node.module] if node.module else []))
            else:
                source = node.module or ""
            targets = [f"{source}.{alias.name}" for alias in node.names] + [source]
            targets = [t for t in targets if t in MODULES][:1] or [source]
        else:
            continue
        for target in targets:
            while target and target not in MODULES:  # "multiscale_kg.schema.knowledge.Claim" → its module
                target = target.rpartition(".")[0]
            if target.startswith(PACKAGE) and target != name:
                found.add(target)
    return found


def part(name: str) -> str:
    return name.split(".")[1] if "." in name else ""


GRAPH = {name: imports_of(name) for name in MODULES}


def test_every_part_of_the_package_has_a_layer():
    assert {part(name) for name in MODULES} - set(LAYERS) == set()


@pytest.mark.parametrize("name", sorted(MODULES))
def test_imports_point_down(name):
    wrong = []
    for target in sorted(GRAPH[name]):
        if part(target) == part(name):
            continue
        if LAYERS[part(target)] >= LAYERS[part(name)]:
            wrong.append(f"{target} (layer {LAYERS[part(target)]} ≥ {LAYERS[part(name)]})")
    assert wrong == [], f"{name} imports upwards or sideways"


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph[node]):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_no_import_cycles_lazy_or_not():
    assert cycles(GRAPH) == []


def test_the_walker_sees_function_level_imports_and_finds_a_cycle():
    assert "multiscale_kg.queries.explain" in GRAPH["multiscale_kg.api"]  # imported inside methods
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
