"""Query files: ``queries/sparql/*.rq``, ``queries/sql/*.sql`` and ``queries/rules/*.rq`` each open with
comment lines saying what the query answers (the first line is its title), then the query. One reader for
all of them, so the CLI, the API, the rules, the tests and Datasette read a query the same way."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path


def package_folder(name: str) -> Path:
    """A folder of query files shipped with the package: ``sparql``, ``sql`` or ``rules``."""
    return Path(str(files("multiscale_kg.queries").joinpath(name)))


def query_texts(folder: Path, suffix: str) -> dict[str, str]:
    """Each ``*{suffix}`` file of ``folder`` by name (its stem), in file-name order."""
    return {path.stem: path.read_text(encoding="utf-8") for path in sorted(folder.glob(f"*{suffix}"))}


def split_header(text: str, marker: str) -> tuple[list[str], str]:
    """The leading comment lines (``marker`` and surrounding blanks removed) and the query after them."""
    lines = text.splitlines()
    header = []
    while lines and lines[0].startswith(marker):
        header.append(lines.pop(0)[len(marker) :].strip())
    return header, "\n".join(lines)
