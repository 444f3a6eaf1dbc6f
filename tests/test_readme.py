"""The README's commands are the ones CI runs, and its example outputs are what the commands print."""

from __future__ import annotations

import doctest
import re
import shlex
from pathlib import Path

import pytest

from multiscale_kg.cli import main

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def console_examples() -> list[tuple[str, str]]:
    examples = []
    for block in re.findall(r"```console\n(.*?)```", README, flags=re.S):
        command, _, output = block.partition("\n")
        examples.append((command.removeprefix("$ "), output))
    return examples


def test_ci_runs_the_readme_test_command_exactly():
    ci_lines = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    sh_blocks = re.findall(r"```sh\n(.*?)\n```", README, flags=re.S)
    readme_commands = [line for line in ci_lines if line in sh_blocks]
    assert len(readme_commands) == 1
    assert readme_commands[0].startswith("python3 -m venv .venv && ")
    assert 'pip install -q -e ".[test,cluster]"' in readme_commands[0]  # the LocalCluster test runs in CI
    assert readme_commands[0].endswith("&& pytest -q -n auto")  # one process per core: CI stays in its time


@pytest.mark.parametrize(("command", "output"), console_examples(), ids=lambda v: v[:40])
def test_readme_example_prints_what_the_readme_shows(built, capsys, command, output):
    argv = shlex.split(command)
    assert argv[0] == "mskg"
    if argv[1] in ("sql", "sparql", "explain", "strategies-for"):
        argv += ["--db", str(built)]
    main(argv[1:])
    assert capsys.readouterr().out == output


def test_readme_python_example_runs(built, monkeypatch):
    monkeypatch.chdir(built.parent)  # load() finds the session's build as db/ and no corpus to rebuild from
    if not (built.parent / "db").exists():
        (built.parent / "db").symlink_to(built.name)
    parser = doctest.DocTestParser()
    test = parser.get_doctest(README, {}, "README.md", str(ROOT / "README.md"), 0)
    runner = doctest.DocTestRunner(optionflags=doctest.NORMALIZE_WHITESPACE)
    runner.run(test)
    assert runner.summarize(verbose=False) == doctest.TestResults(failed=0, attempted=4)


#: paths the docs name that a build or a test run makes (not in a fresh clone)
GENERATED = ("db/", "tests/artifacts/")


@pytest.mark.parametrize("doc", ["README.md", "docs/publish.md"])
def test_every_path_the_docs_name_exists(doc):
    text = (ROOT / doc).read_text(encoding="utf-8")
    named = set(re.findall(r"`((?:src|tests|docs|benchmarks|corpus|\.ci|queries|publish)/[^`\s<>]*)`", text))
    assert named, doc
    missing = [p for p in sorted(named) if not p.startswith(GENERATED) and not list(ROOT.glob(p.rstrip("/")))]
    assert missing == [], f"{doc} names paths that do not exist"


def test_the_images_the_readme_shows_are_committed():
    images = re.findall(r"!\[[^\]]*\]\(([^)]+)\)", README)
    assert "docs/screenshots/home.png" in images  # tests/test_browser.py takes it: tests/artifacts/1-home.png
    for image in images:
        assert (ROOT / image).is_file(), image
