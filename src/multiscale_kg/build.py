"""A build: ingest → KnowledgeBase → projections → files, swapped into place only when all succeeded.

``db`` is a symbolic link to a complete build folder; a new build is written to a fresh folder beside it
and the link is replaced with one ``rename``, so a reader (or a killed build) sees either the old or the new
build, never a mix. Builds of one output folder take turns (a lock file beside it, released by the kernel
even when a build is killed), and each build first removes the staging folders that killed builds left.
``check`` rebuilds into a temporary folder and compares the result with a build folder.
"""

from __future__ import annotations

import gc
import hashlib
import json
import os
import shutil
import sqlite3
import sys
import tempfile
import time
import traceback
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import IngestError, Problem, ReadOnlyError, UsageError
from .leases import remove_unless_held
from .progress import Progress
from .version import __version__

if TYPE_CHECKING:
    from .schema import KnowledgeBase

# The stages' modules (rdflib, pyshacl, sqlite-utils and pandas, networkx, ...) are imported by the functions
# that run them: reading the constants, ``is_current`` or ``check``'s comparison costs no import of them.

DB_NAME = "multiscale.db"
GRAPH_NAME = "graph.json"
MANIFEST_NAME = "build.json"


def input_digests(corpus: Path) -> dict[str, str]:
    """sha256 of every corpus file and of the package's own rules, queries and shapes (a build's inputs)."""
    from .perdoc.cache import package_files

    files = [(f"corpus/{p.relative_to(corpus)}", p) for p in sorted(corpus.rglob("*")) if p.is_file()]
    files += package_files()
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
    #: the documents whose per-document results came from the cache, and those computed by this build
    cached: list[str] = field(default_factory=list)
    built: list[str] = field(default_factory=list)


def _stderr(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


def write_outputs(
    kb: KnowledgeBase,
    texts: dict[str, str],
    corpus: Path,
    folder: Path,
    progress: Progress,
    documents: list[bytes] | None = None,
    jobs: int = 1,
) -> None:
    """Every output of ``kb`` in ``folder``; ``documents``: each document's share of the asserted graph as
    N-Quads (``perdoc.work``), loaded as they are (None: the whole graph is projected here); ``jobs``: the
    processes that validate it."""
    from .graph.nx import to_networkx, write_node_link
    from .graph.serialize import FORMATS
    from .graph.shacl import validate
    from .graph.store import STORE_NAME, fill, open_store, write_nquads
    from .queries.derive import derive
    from .queries.derived_tables import write_derived
    from .schema.elements import all_edges
    from .tables import write_database

    with progress.stage("rdf"):  # the graph of record: a store on disk, bulk-loaded from a generator
        store = open_store(folder / STORE_NAME)
        fill(store, kb, texts, documents=documents)
    with progress.stage("rules"):  # fills the inferred graph; its edges and tables follow below
        derived = derive(kb, texts, store)
    store.flush()  # the validating processes read the store as it is on disk
    with progress.documents("shacl", len(kb.documents)) as validated:
        shacl = validate(store, progress=validated, jobs=jobs, store_path=folder / STORE_NAME)
    if not shacl.conforms:
        raise IngestError([Problem("shapes.ttl", f"SHACL violation: {v}") for v in shacl.violations])
    edges = all_edges(kb, derived.edges)
    # Nothing writes the store from here on. Its N-Quads dump runs in Rust without the GIL, so it goes on in
    # a thread beside the SQLite and networkx stages; "serialise" waits for what is left of it.
    with ThreadPoolExecutor(max_workers=1) as dumping:
        nquads = dumping.submit(write_nquads, store, folder / FORMATS["nq"])
        with progress.stage("sqlite"):
            db = write_database(kb, folder / DB_NAME, edges)
            write_derived(db, kb, derived)
            db.close()
        with progress.stage("networkx"):
            write_node_link(to_networkx(kb, derived.edges), folder / GRAPH_NAME)
        with progress.stage("serialise"):
            nquads.result()
            store.flush()
    del store  # closes the store: nothing writes it once the build is published
    (folder / MANIFEST_NAME).write_text(
        json.dumps(manifest(corpus), indent=1, sort_keys=True) + "\n", encoding="utf-8"
    )


def is_build_folder(folder: Path, out: Path) -> bool:
    """Is ``folder`` one of the build folders a build of ``out`` writes beside it (``.db-build-*``)?"""
    folder = folder.resolve()
    return folder.parent == out.parent.resolve() and folder.name.startswith(f".{out.name}-build-")


def publish(staging: Path, out: Path) -> None:
    """Point ``out`` at ``staging`` atomically; remove the build it pointed to before, unless a server still
    reads it (``leases``): that server removes it once it has moved to the new build."""
    previous = out.resolve() if out.is_symlink() else None
    if out.exists() and not out.is_symlink():  # a plain folder from elsewhere: keep it aside, never mix
        out.rename(out.with_name(f".{out.name}-replaced-{time.time_ns()}"))
    link = out.with_name(f".{out.name}-link-{os.getpid()}")
    link.symlink_to(staging.name)
    os.replace(link, out)
    if previous and previous != staging.resolve() and is_build_folder(previous, out):
        remove_unless_held(previous)


def build(
    corpus: Path,
    out: Path,
    log: Callable[[str], None] = _stderr,
    progress: Progress | None = None,
    jobs: int = 1,
    scheduler: str | None = None,
    cache: bool = True,
) -> BuildReport:
    """Build the corpus into ``out``; on any error ``out`` is left exactly as it was. Stage lines go to
    ``log``, unless ``progress`` (which also draws document bars on a terminal) is given.

    Each document's part of the build runs in ``jobs`` processes (1: in this process), or on the Dask
    scheduler at ``scheduler``; with ``cache``, its result is kept in ``.<out>-cache/`` beside ``out`` and a
    rebuild computes only the documents whose inputs changed. The output is the same in every case."""
    from .ingest.documents import document_folders
    from .ingest.pipeline import merge_documents
    from .perdoc.cache import DocumentCache, cache_folder
    from .perdoc.corpus import run_corpus

    progress = progress if progress is not None else Progress(log=log, bar=False)
    report = BuildReport(stages=progress.stages)
    results = DocumentCache(cache_folder(out) if cache else None)
    gc_frozen = False
    try:
        with progress.documents("ingest", len(document_folders(corpus))) as read:
            run = run_corpus(corpus, results, jobs, scheduler, progress=read)
            parts = [document.parts for document in run.documents]
            report.kb = merge_documents(corpus, run.vocabulary, parts)
            texts = {part.source.document.id: part.source.text for part in parts if part.source is not None}
        nquads = [document.take_nquads() for document in run.documents]
        report.cached, report.built = run.cached, run.built
        gc.freeze()  # the KnowledgeBase lives for the whole build: keep the collector from re-scanning it
        gc_frozen = True
        out.parent.mkdir(parents=True, exist_ok=True)
        with _exclusive(out, progress.log):
            remove_leftovers(out)
            staging = Path(tempfile.mkdtemp(prefix=f".{out.name}-build-", dir=out.parent))
            staging.chmod(0o755)
            try:
                write_outputs(report.kb, texts, corpus, staging, progress, nquads, jobs)
                publish(staging, out)
            except BaseException as error:
                # The failed stages' frames hold the store open; let go of them first, or the store's own
                # threads can write into the folder while it is removed and leave it behind.
                traceback.clear_frames(error.__traceback__)
                shutil.rmtree(staging, ignore_errors=True)
                raise
            results.commit(run.keys)  # only a published build's results, only this corpus's documents
    except BaseException:
        results.discard()
        raise
    finally:
        if gc_frozen:
            gc.unfreeze()
    return report


@contextmanager
def _exclusive(out: Path, log: Callable[[str], None]) -> Iterator[None]:
    """One build at a time writes beside ``out``; the kernel releases the lock when its holder dies."""
    try:
        import fcntl
    except ModuleNotFoundError:  # Windows: querying a build works there, building does not
        raise UsageError(
            "mskg build needs POSIX file locks (the fcntl module), which this system does not have: "
            "build on Linux or macOS (or WSL) and copy the build folder; querying a build works anywhere"
        ) from None
    with open(out.with_name(f".{out.name}-lock"), "a") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            log(f"waiting for another build of {out.name}/ to finish")
            fcntl.flock(lock, fcntl.LOCK_EX)
        yield


def remove_leftovers(out: Path) -> list[str]:
    """Remove the staging folders and temporary links that killed builds left beside ``out``, and the old
    builds no server reads any more.

    Called with the build lock held, so none of them belongs to a running build; the folder ``out`` points
    to is kept, and so is every folder a server holds a lease on. Returns the names removed.
    """
    current = out.resolve() if out.is_symlink() else None
    removed = []
    for path in sorted(out.parent.glob(f".{out.name}-link-*")):
        if path.is_symlink():
            path.unlink()
            removed.append(path.name)
    for path in sorted(out.parent.glob(f".{out.name}-build-*")):
        if path.is_dir() and not path.is_symlink() and path.resolve() != current and remove_unless_held(path):
            removed.append(path.name)
    return removed


# ---- reading a build: never writing it ------------------------------------------------------------------


def _refuse_attach(action: int, *_: object) -> int:
    # ATTACH would open another file, the build's own included, read-write on this connection
    return sqlite3.SQLITE_DENY if action == sqlite3.SQLITE_ATTACH else sqlite3.SQLITE_OK


def read_only_connection(path: Path, check_same_thread: bool = True) -> sqlite3.Connection:
    """A connection to a build's database that cannot change it: opened read-only, ATTACH refused."""
    connection = sqlite3.connect(
        Path(path).resolve().as_uri() + "?mode=ro", uri=True, check_same_thread=check_same_thread
    )
    connection.set_authorizer(_refuse_attach)
    return connection


def refused_write(error: sqlite3.Error, path: Path) -> ReadOnlyError | None:
    """The ReadOnlyError for an SQLite error that a read-only connection raised for a write; else None."""
    name = getattr(error, "sqlite_errorname", "")
    if name.startswith("SQLITE_READONLY"):
        return ReadOnlyError(str(path), "a statement that writes was refused")
    if name == "SQLITE_AUTH":
        return ReadOnlyError(str(path), "ATTACH was refused: it could open a database for writing")
    return None


# ---- checking a build against a rebuild ------------------------------------------------------------------

#: at most this many differing lines are shown per artefact, each cut to SHOWN_WIDTH characters
SHOWN_LINES = 10
SHOWN_WIDTH = 240


def database_dump(path: Path) -> list[str]:
    """The SQL text of a database's schema and rows (``iterdump``): its content, whatever the file layout."""
    connection = read_only_connection(path)
    try:
        return list(connection.iterdump())
    finally:
        connection.close()


def sorted_lines(path: Path) -> list[str]:
    return sorted(path.read_text(encoding="utf-8").splitlines())


def _line_differences(name: str, built: list[str], rebuilt: list[str], where: str) -> list[str]:
    """'-' lines only in the build at ``where``, '+' lines only in the rebuild (repeated lines counted)."""
    only_built = Counter(built) - Counter(rebuilt)
    only_rebuilt = Counter(rebuilt) - Counter(built)
    if not only_built and not only_rebuilt:
        return []
    lines = [f"- {line}" for line in built if line in only_built]
    lines += [f"+ {line}" for line in rebuilt if line in only_rebuilt]
    differences = [
        f"{name}: {only_built.total()} line(s) only in {where}, {only_rebuilt.total()} only in the rebuild"
    ]
    for line in lines[:SHOWN_LINES]:
        shown = line if len(line) <= SHOWN_WIDTH else line[: SHOWN_WIDTH - 1] + "…"
        differences.append(f"{name}: {shown}")
    if len(lines) > SHOWN_LINES:
        differences.append(f"{name}: … {len(lines) - SHOWN_LINES} more line(s)")
    return differences


def store_quads(path: Path) -> list[str]:
    """The sorted N-Quads of a build's store: its content (its files' bytes differ from build to build)."""
    import pyoxigraph as ox

    store = ox.Store.read_only(str(path))
    return sorted(store.dump(format=ox.RdfFormat.N_QUADS).decode("utf-8").splitlines())


def compare(built: Path, rebuilt: Path) -> list[str]:
    """Differences between two build folders: the database's content, the store's quads and the N-Quads file
    (sorted lines)."""
    from .graph.serialize import FORMATS
    from .graph.store import STORE_NAME

    differences = []
    for name, read in ((DB_NAME, database_dump), (STORE_NAME, store_quads), (FORMATS["nq"], sorted_lines)):
        if not (built / name).exists():
            differences.append(f"{name}: missing from {built}")
            continue
        differences += _line_differences(name, read(built / name), read(rebuilt / name), str(built))
    return differences


def check(corpus: Path, out: Path, log: Callable[[str], None] = _stderr, jobs: int = 1) -> list[str]:
    """Rebuild ``corpus`` in a temporary folder and compare it with the build in ``out``; [] when equal.

    Raises UsageError when ``out`` holds no build, IngestError when the corpus does not build.
    """
    if not (out / DB_NAME).is_file():
        raise UsageError(f"{out / DB_NAME}: no database to check; run 'mskg build' first")
    with tempfile.TemporaryDirectory(prefix="mskg-check-") as folder:
        rebuilt = Path(folder) / out.name
        build(corpus, rebuilt, log, jobs=jobs)  # a cold build: its cache is in the temporary folder
        return compare(out, rebuilt)
