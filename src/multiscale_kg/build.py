"""A build: ingest → KnowledgeBase → projections → files, swapped into place only when all succeeded.

``db`` is a symbolic link to a complete build folder; a new build is written to a fresh folder beside it
and the link is replaced with one ``rename``, so a reader (or a killed build) sees either the old or the new
build, never a mix.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from . import __version__
from .errors import IngestError, Problem
from .graph.elements import all_edges
from .graph.nx import to_networkx, write_node_link
from .graph.rdf import to_dataset
from .graph.serialize import write_all
from .graph.shacl import validate
from .ingest import document_texts, ingest_corpus
from .schema import KnowledgeBase
from .tables import write_database

DB_NAME = "multiscale.db"
GRAPH_NAME = "graph.json"
MANIFEST_NAME = "build.json"


def input_digests(corpus: Path) -> dict[str, str]:
    """sha256 of every corpus file and of the package's own rules, queries and shapes (a build's inputs)."""
    package = Path(__file__).parent
    files = [(f"corpus/{p.relative_to(corpus)}", p) for p in sorted(corpus.rglob("*")) if p.is_file()]
    files += [
        (f"package/{p.relative_to(package)}", p)
        for p in sorted(package.rglob("*"))
        if p.is_file() and p.suffix in (".py", ".ttl", ".rq", ".sql", ".json", ".yaml")
    ]
    return {name: hashlib.sha256(path.read_bytes()).hexdigest() for name, path in files}


def manifest(corpus: Path) -> dict:
    return {"multiscale_kg": __version__, "inputs": input_digests(corpus)}


def is_current(corpus: Path, out: Path) -> bool:
    """Does ``out`` hold a complete build of exactly these inputs? (No corpus at hand: any build will do.)"""
    path = out / MANIFEST_NAME
    if not path.exists() or not (out / DB_NAME).exists():
        return False
    if not corpus.is_dir():
        return True
    return json.loads(path.read_text(encoding="utf-8")) == manifest(corpus)


@dataclass
class BuildReport:
    kb: KnowledgeBase | None = None
    stages: list[tuple[str, float]] = field(default_factory=list)


@contextmanager
def _stage(report: BuildReport, name: str, log: Callable[[str], None]) -> Iterator[None]:
    started = time.perf_counter()
    yield
    seconds = time.perf_counter() - started
    report.stages.append((name, seconds))
    log(f"{name:<10} {seconds * 1000:8.1f} ms")


def _stderr(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


def write_outputs(
    kb: KnowledgeBase,
    texts: dict[str, str],
    corpus: Path,
    folder: Path,
    report: BuildReport,
    log: Callable[[str], None],
) -> None:
    with _stage(report, "rdf", log):
        dataset = to_dataset(kb, texts)
    with _stage(report, "shacl", log):
        shacl = validate(dataset)
    if not shacl.conforms:
        raise IngestError([Problem("shapes.ttl", f"SHACL violation: {v}") for v in shacl.violations])
    edges = all_edges(kb)
    with _stage(report, "sqlite", log):
        write_database(kb, folder / DB_NAME, edges).close()
    with _stage(report, "networkx", log):
        write_node_link(to_networkx(kb), folder / GRAPH_NAME)
    with _stage(report, "serialise", log):
        write_all(dataset, folder)
    (folder / MANIFEST_NAME).write_text(
        json.dumps(manifest(corpus), indent=1, sort_keys=True) + "\n", encoding="utf-8"
    )


def publish(staging: Path, out: Path) -> None:
    """Point ``out`` at ``staging`` atomically; remove the build it pointed to before."""
    previous = out.resolve() if out.is_symlink() else None
    if out.exists() and not out.is_symlink():  # a plain folder from elsewhere: keep it aside, never mix
        out.rename(out.with_name(f".{out.name}-replaced-{time.time_ns()}"))
    link = out.with_name(f".{out.name}-link-{os.getpid()}")
    link.symlink_to(staging.name)
    os.replace(link, out)
    if previous and previous != staging.resolve() and previous.parent == staging.parent:
        shutil.rmtree(previous, ignore_errors=True)


def build(corpus: Path, out: Path, log: Callable[[str], None] = _stderr) -> BuildReport:
    """Build the corpus into ``out``; on any error ``out`` is left exactly as it was."""
    report = BuildReport()
    with _stage(report, "ingest", log):
        report.kb = ingest_corpus(corpus)
        texts = document_texts(corpus, report.kb)
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}-build-", dir=out.parent))
    staging.chmod(0o755)
    try:
        write_outputs(report.kb, texts, corpus, staging, report, log)
        publish(staging, out)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return report
