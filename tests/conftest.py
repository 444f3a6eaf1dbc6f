"""One corpus parse and one built database per test session, shared by every test that needs them.

``pytest --no-network`` (or ``MSKG_TEST_NO_NETWORK=1``) runs the session with the network disabled for the
test process: a connection or name lookup that would leave the machine fails; loopback (127.0.0.0/8, ::1,
localhost) and unix sockets still work, for the servers the tests start themselves.
"""

from __future__ import annotations

import hashlib
import ipaddress
import os
import shutil
import socket
from pathlib import Path

import pytest
import sqlite_utils

from multiscale_kg.build import DB_NAME, build, store_quads
from multiscale_kg.graph.store import STORE_NAME
from multiscale_kg.ingest import ingest_corpus
from multiscale_kg.ingest.documents import read_document

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
ARTICLE = CORPUS / "nano-vs-micro"
#: uncurated test documents in layouts other than the review's (tests/test_documents.py describes them)
TEST_DOCUMENTS = Path(__file__).resolve().parent / "fixtures" / "documents"
NO_NETWORK_ENV = "MSKG_TEST_NO_NETWORK"
#: files whose tests start servers, a browser or many builds: marked ``slow``; the rest is the fast part that
#: .ci/run also runs against the declared minimum versions (``pytest -m "not slow and not fuzz"``)
SLOW_FILES = {
    "test_benchmarks.py",
    "test_browser.py",
    "test_build.py",
    "test_errors.py",
    "test_follow.py",
    "test_kill.py",
    "test_load.py",
    "test_many_documents.py",
    "test_push.py",
    "test_reproducible.py",
    "test_serving_security.py",
}


def pytest_addoption(parser):
    parser.addoption(
        "--no-network",
        action="store_true",
        help="fail every connection and name lookup that would leave the machine (loopback and unix sockets "
        f"still work); also {NO_NETWORK_ENV}=1",
    )


def _address(host) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    if isinstance(host, bytes):
        host = host.decode("ascii", "replace")
    try:
        return ipaddress.ip_address(str(host).split("%")[0])
    except ValueError:
        return None


def _is_loopback(host) -> bool:
    if host is None or str(host).lower() in ("localhost", "localhost.localdomain", "ip6-localhost"):
        return True  # getaddrinfo(None, port) is the local wildcard or loopback address
    address = _address(host)
    return address is not None and address.is_loopback


def _block_network() -> None:
    connect, connect_ex, getaddrinfo = socket.socket.connect, socket.socket.connect_ex, socket.getaddrinfo

    def refuse(address) -> OSError:
        return OSError(f"network disabled for the tests (--no-network): connection to {address!r} refused")

    def guarded_connect(self, address):
        if self.family in (socket.AF_INET, socket.AF_INET6) and not _is_loopback(address[0]):
            raise refuse(address)
        return connect(self, address)

    def guarded_connect_ex(self, address):
        if self.family in (socket.AF_INET, socket.AF_INET6) and not _is_loopback(address[0]):
            raise refuse(address)
        return connect_ex(self, address)

    def guarded_getaddrinfo(host, *args, **kwargs):
        if not _is_loopback(host) and _address(host) is None:  # an address needs no lookup; connect decides
            raise socket.gaierror(socket.EAI_NONAME, f"network disabled for the tests: no lookup of {host!r}")
        return getaddrinfo(host, *args, **kwargs)

    socket.socket.connect = guarded_connect  # type: ignore[method-assign]
    socket.socket.connect_ex = guarded_connect_ex  # type: ignore[method-assign]
    socket.getaddrinfo = guarded_getaddrinfo  # type: ignore[assignment]


def pytest_configure(config):
    if config.getoption("--no-network") or os.environ.get(NO_NETWORK_ENV) == "1":
        os.environ[NO_NETWORK_ENV] = "1"  # tests that start Python subprocesses may pass it on
        _block_network()


def pytest_collection_modifyitems(items):
    for item in items:
        if item.path.name in SLOW_FILES:
            item.add_marker(pytest.mark.slow)


def byte_digests(folder: Path) -> dict[str, str]:
    """sha256 of every file under ``folder``, the store's included, by relative path: what is on disk."""
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(Path(folder).rglob("*"))
        if p.is_file()
    }


def content_digests(folder: Path) -> dict[str, str]:
    """sha256 of each file of a build folder, and of its store's sorted quads: what the build holds (a store's
    files record their own history, so two builds of one corpus differ there in bytes, not in content)."""
    files = [p for p in sorted(folder.iterdir()) if p.is_file()]
    found = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in files}
    found[STORE_NAME] = hashlib.sha256("\n".join(store_quads(folder / STORE_NAME)).encode()).hexdigest()
    return found


@pytest.fixture(scope="session")
def article():
    """The shipped article as read from its folder (document and original text)."""
    return read_document(ARTICLE)


@pytest.fixture(scope="session")
def text(article) -> str:
    return article.text


@pytest.fixture(scope="session")
def kb():
    return ingest_corpus(CORPUS)


@pytest.fixture(scope="session")
def built(tmp_path_factory) -> Path:
    """The output folder of one build of the shipped corpus."""
    out = tmp_path_factory.mktemp("build") / "db"
    build(CORPUS, out, log=lambda line: None)
    return out


@pytest.fixture(scope="session")
def db(built) -> sqlite_utils.Database:
    return sqlite_utils.Database(built / DB_NAME)


@pytest.fixture()
def corpus_copy(tmp_path) -> Path:
    """A writable copy of the shipped corpus, for tests that break it."""
    copy = tmp_path / "corpus"
    shutil.copytree(CORPUS, copy)
    return copy


@pytest.fixture(scope="session")
def documents_corpus(tmp_path_factory) -> Path:
    """The shipped corpus plus the test documents of ``fixtures/documents`` (read-only for the tests)."""
    corpus = tmp_path_factory.mktemp("documents") / "corpus"
    shutil.copytree(CORPUS, corpus)
    for folder in sorted(TEST_DOCUMENTS.iterdir()):
        shutil.copytree(folder, corpus / folder.name)
    return corpus


@pytest.fixture(scope="session")
def built_documents(documents_corpus, tmp_path_factory) -> Path:
    """The output folder of one build of the shipped corpus plus the test documents."""
    out = tmp_path_factory.mktemp("build-documents") / "db"
    build(documents_corpus, out, log=lambda line: None)
    return out


def add_article_copy(corpus: Path, name: str) -> Path:
    """The article's folder copied into ``corpus`` as document ``name`` under another title: the same text,
    curated files and concepts, another document (the ``document`` key of its curated files renamed)."""
    folder = corpus / name
    shutil.copytree(ARTICLE, folder)
    shutil.rmtree(folder / "review")
    for curated in (folder / "annotations.yaml", folder / "reactions.yaml"):
        text = curated.read_text(encoding="utf-8")
        curated.write_text(
            text.replace("\ndocument: nano-vs-micro\n", f"\ndocument: {name}\n", 1), encoding="utf-8"
        )
    meta = folder / "document.toml"
    text = meta.read_text(encoding="utf-8")
    meta.write_text(text.replace('\ntitle = "', '\ntitle = "A copy of ', 1), encoding="utf-8")
    return folder
