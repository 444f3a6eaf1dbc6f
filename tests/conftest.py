"""One corpus parse and one built database per test session, shared by every test that needs them."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import sqlite_utils

from multiscale_kg.build import DB_NAME, build
from multiscale_kg.ingest import ingest_corpus
from multiscale_kg.ingest.documents import read_document

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
ARTICLE = CORPUS / "nano-vs-micro"


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
