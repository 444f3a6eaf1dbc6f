"""Where the commands and ``load()`` find the corpus and the build, and what they say when they do not.

An explicit ``--corpus``/``--db`` (or ``load(folder, corpus)``) wins; otherwise the environment variables
``MSKG_CORPUS`` and ``MSKG_DB``; otherwise ``corpus/`` and ``db/`` in the current folder, which is where they
are in the project folder.
"""

from __future__ import annotations

import os
from pathlib import Path

CORPUS_ENV = "MSKG_CORPUS"
DB_ENV = "MSKG_DB"


def default_corpus() -> Path:
    return Path(os.environ.get(CORPUS_ENV) or "corpus")


def default_db() -> Path:
    return Path(os.environ.get(DB_ENV) or "db")


def _project(what: str) -> str:
    return f"run mskg in the project folder (the one holding corpus/), or point at {what}"


def no_corpus(corpus: Path) -> str:
    """No corpus where none was named: where it was looked for, and how to point at it."""
    return (
        f"no corpus found: looked for it in {corpus.absolute()}; "
        f"{_project(f'it with --corpus DIR or the environment variable {CORPUS_ENV}')}"
    )


def no_corpus_nor_build(corpus: Path, db: Path, options: str = "--db DIR and --corpus DIR") -> str:
    """Neither a build nor a corpus to build one from: where both were looked for, how to point at them."""
    return (
        f"no build and no corpus to build one from: looked for the build in {db.absolute()} and for the "
        f"corpus in {corpus.absolute()}; {_project(f'them with {options}, or the environment variables')} "
        f"{DB_ENV} and {CORPUS_ENV}"
    )


def no_build(db: Path) -> str:
    return (
        f"no build found: looked for {db.absolute() / 'multiscale.db'}; run 'mskg build' first, or "
        f"{_project(f'the build with --db DIR or the environment variable {DB_ENV}')}"
    )
