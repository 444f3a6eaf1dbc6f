"""Each document's result by the digest of its inputs: a rebuild redoes only the documents that changed.

A document's key digests everything its result depends on: the files of its folder (names and bytes), the
corpus's ``concepts.yaml``, the package's own code, rules and shapes, the versions of Python and of the
libraries whose objects the result holds, and the folder's path as problems and definitions name it. An
entry is a header, the sha256 of its payload and the pickled payload: an entry whose digest does not match,
or that does not unpickle, is ignored (and rebuilt), never trusted. Entries are written to temporary names
and renamed only once the build has published its output, so a failed or killed build leaves no entry (and
no half entry under a key).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
import sys
from functools import cache
from importlib.metadata import version
from pathlib import Path

from ..errors import display_path

#: the first line of every entry; a new layout of the result changes it (and so every key)
HEADER = b"multiscale-kg document result 3\n"
#: the libraries whose objects a result holds (a new version may pickle them differently)
LIBRARIES = ("pydantic", "pydantic-core", "pyoxigraph")
SUFFIX = ".pickle"
TEMPORARY = ".tmp"
#: the package's files a result depends on (its code and the data files it reads)
PACKAGE_SUFFIXES = (".py", ".ttl", ".rq", ".sql", ".json", ".yaml")


def cache_folder(out: Path) -> Path:
    """The cache of the builds of ``out``: ``.<name>-cache`` beside it (``db`` → ``.db-cache``)."""
    return out.with_name(f".{out.name}-cache")


def package_files() -> list[tuple[str, Path]]:
    package = Path(__file__).resolve().parent.parent
    return [
        (f"package/{p.relative_to(package)}", p)
        for p in sorted(package.rglob("*"))
        if p.is_file() and p.suffix in PACKAGE_SUFFIXES
    ]


@cache
def environment_digest() -> str:
    """The package's code, rules and shapes, Python's and the libraries' versions, as one digest."""
    digest = hashlib.sha256(HEADER + sys.version.encode())
    for name in LIBRARIES:
        digest.update(f"\n{name}=={version(name)}".encode())
    for name, path in package_files():
        digest.update(f"\n{name}\n".encode() + hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def document_key(folder: Path, concepts: Path) -> str:
    """The digest of everything the result of the document in ``folder`` depends on."""
    digest = hashlib.sha256(environment_digest().encode())
    digest.update(f"\n{display_path(folder)}\n".encode())
    digest.update(concepts.read_bytes() if concepts.is_file() else b"(no concepts file)")
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            digest.update(f"\n{path.relative_to(folder).as_posix()}\n".encode())
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


class DocumentCache:
    """Results by key in ``folder`` (None: no cache, every document is built).

    A build stages the results it computed (``stage``: written to temporary files as they arrive, so they need
    not be held in memory) and commits them once it has published its output (``commit``, under the build's
    lock): a failed build leaves the cache as it was (``discard``).
    """

    def __init__(self, folder: Path | None):
        self.folder = folder
        self._staged: list[tuple[Path, Path]] = []
        #: the folders this build made for the cache (the innermost last)
        self._created: list[Path] = []

    def _path(self, key: str) -> Path:
        assert self.folder is not None
        return self.folder / f"{key}{SUFFIX}"

    def get(self, key: str) -> object | None:
        """The result stored under ``key``; None when there is none or it is damaged."""
        if self.folder is None:
            return None
        try:
            data = self._path(key).read_bytes()
        except OSError:
            return None
        head, _, rest = data.partition(b"\n")
        expected, _, payload = rest.partition(b"\n")
        if head + b"\n" != HEADER or hashlib.sha256(payload).hexdigest().encode() != expected:
            return None
        try:
            return pickle.loads(payload)
        except Exception:  # a payload of an older layout: rebuilt, like a damaged one
            return None

    def stage(self, key: str, result: object) -> None:
        """Write ``result`` for ``key`` to a temporary file; a cache that cannot be written costs a rebuild
        next time, not this build."""
        if self.folder is None:
            return
        payload = pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL)
        temporary = self.folder / f".{key}.{os.getpid()}{TEMPORARY}"
        try:
            self._make_folder()
            temporary.write_bytes(HEADER + hashlib.sha256(payload).hexdigest().encode() + b"\n" + payload)
        except OSError:
            temporary.unlink(missing_ok=True)
            return
        self._staged.append((temporary, self._path(key)))

    def _make_folder(self) -> None:
        assert self.folder is not None
        missing = [self.folder, *self.folder.parents]
        missing = missing[: next(i for i, folder in enumerate(missing) if folder.is_dir())]
        for folder in reversed(missing):
            folder.mkdir(exist_ok=True)
            self._created.append(folder)

    def commit(self, keys: set[str]) -> None:
        """Put the staged results under their keys; remove the entries not under ``keys`` (documents no longer
        in the corpus, or changed) and the temporary files of builds that were killed."""
        for temporary, path in self._staged:
            try:
                os.replace(temporary, path)
            except OSError:
                temporary.unlink(missing_ok=True)
        self._staged, self._created = [], []
        if self.folder is None or not self.folder.is_dir():
            return
        kept = {self._path(key).name for key in keys}
        for path in self.folder.iterdir():
            stale = path.name.endswith(SUFFIX) and path.name not in kept
            if stale or (path.name.endswith(TEMPORARY) and not _running(path)):
                path.unlink(missing_ok=True)

    def discard(self) -> None:
        """Remove the staged results (and the cache folder, when this build made it and it is empty)."""
        for temporary, _ in self._staged:
            temporary.unlink(missing_ok=True)
        self._staged = []
        for folder in reversed(self._created):  # only when empty: another build may have staged there
            with contextlib.suppress(OSError):
                folder.rmdir()
        self._created = []


def _running(temporary: Path) -> bool:
    """Is the build that writes ``temporary`` (``.<key>.<pid>.tmp``) still running?"""
    pid = temporary.name.removesuffix(TEMPORARY).rpartition(".")[2]
    if not pid.isdigit():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process
        return True
    return True
