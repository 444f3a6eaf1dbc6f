"""Honest dependencies: every package the library imports is declared, nothing declared goes unused, and
the library imports where a POSIX-only module (fcntl) is missing, saying what needs it when it is used."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
import tomllib
from importlib.metadata import packages_distributions
from pathlib import Path

import pytest

from multiscale_kg.build import build
from multiscale_kg.errors import UsageError

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "src" / "multiscale_kg"
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
#: extras the library imports only when a feature that needs them is used → the modules they provide (the
#: README's test install has them; an environment without them still passes)
RUNTIME_EXTRAS = {"cluster": {"distributed"}}


def _name(requirement: str) -> str:
    return re.split(r"[<>=!~;\s\[]", requirement, maxsplit=1)[0].lower().replace("_", "-")


def imported_top_modules() -> set[str]:
    """Top-level modules the package's source imports, at module level or inside functions."""
    found = set()
    for path in SOURCE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                found |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                found.add(node.module.split(".")[0])
    return found - set(sys.stdlib_module_names) - {"multiscale_kg"}


def test_every_imported_package_is_declared_and_every_declared_one_is_used():
    distributions = packages_distributions()
    optional = set().union(*RUNTIME_EXTRAS.values())
    imported = {
        _name(distributions[module][0]) if module in distributions else module  # an extra not installed
        for module in imported_top_modules()
        if module in distributions or module in optional
    }
    unknown = imported_top_modules() - set(distributions) - optional
    assert unknown == set(), f"imported but not installed: {unknown}"
    extras = [r for extra in RUNTIME_EXTRAS for r in PROJECT["optional-dependencies"][extra]]
    declared = {_name(requirement) for requirement in PROJECT["dependencies"] + extras}
    assert imported - declared == set(), "imported but not declared in pyproject.toml"
    assert declared - imported == set(), "declared but never imported"


def test_development_tools_are_not_test_dependencies():
    extras = PROJECT["optional-dependencies"]
    assert {_name(r) for r in extras["dev"]} == {"ruff"}
    assert "ruff" not in {_name(r) for r in extras["test"]}
    assert "click" not in {_name(r) for r in PROJECT["dependencies"]}


def test_every_requirement_has_a_floor_for_the_minimum_versions_step():
    floors = subprocess.run(
        [sys.executable, str(ROOT / ".ci" / "floors.py"), "test", *RUNTIME_EXTRAS],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    extras = ("test", *RUNTIME_EXTRAS)
    names = [_name(r) for r in PROJECT["dependencies"]]
    names += [_name(r) for extra in extras for r in PROJECT["optional-dependencies"][extra]]
    assert [_name(line.split("==")[0]) for line in floors] == names


def test_the_library_imports_without_fcntl():
    code = (
        "import sys; sys.modules['fcntl'] = None\n"
        "import multiscale_kg.api, multiscale_kg.build, multiscale_kg.cli\n"
        "print('imported')"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout == "imported\n"


def test_building_without_fcntl_says_what_needs_it(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "fcntl", None)
    with pytest.raises(UsageError, match=r"mskg build needs POSIX file locks \(the fcntl module\)"):
        build(ROOT / "corpus", tmp_path / "db", log=lambda line: None)
    assert not (tmp_path / "db").exists()
