"""Builds are reproducible: a build made "on another day" gives the same bytes; ``build.check`` compares.

The other day is simulated in a subprocess: its clock runs 400 days and 7 hours ahead (``time`` and
``datetime`` patched before the package is imported), it lives in another time zone, under another
``SOURCE_DATE_EPOCH`` and another string hash seed. Its build is compared with the session's build.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from multiscale_kg.build import DB_NAME, MANIFEST_NAME, check, store_quads
from multiscale_kg.errors import UsageError
from multiscale_kg.graph.store import STORE_NAME

CORPUS = Path(__file__).resolve().parent.parent / "corpus"

# Runs the CLI with the wall clock shifted; the build has no business reading it, and this proves it.
# pandas' C extensions crash on a subclassed datetime at import, so they are imported before the patch:
# everything imported after it (the package included) sees the shifted classes.
ANOTHER_DAY = """
import datetime, sys, time

import pandas


SHIFT = (400 * 24 + 7) * 3600.0
real_time, real_time_ns = time.time, time.time_ns
real_localtime, real_gmtime = time.localtime, time.gmtime
time.time = lambda: real_time() + SHIFT
time.time_ns = lambda: real_time_ns() + int(SHIFT * 1e9)
time.localtime = lambda secs=None: real_localtime(time.time() if secs is None else secs)
time.gmtime = lambda secs=None: real_gmtime(time.time() if secs is None else secs)


class ShiftedDatetime(datetime.datetime):
    @classmethod
    def now(cls, tz=None):
        return cls.fromtimestamp(time.time(), tz)

    @classmethod
    def utcnow(cls):
        return cls.utcfromtimestamp(time.time())

    @classmethod
    def today(cls):
        return cls.fromtimestamp(time.time())


class ShiftedDate(datetime.date):
    @classmethod
    def today(cls):
        return cls.fromtimestamp(time.time())


datetime.datetime, datetime.date = ShiftedDatetime, ShiftedDate
assert datetime.date.today() > datetime.date.fromtimestamp(real_time())

from multiscale_kg.cli import main

sys.exit(main(["build", "--corpus", sys.argv[1], "--out", sys.argv[2]]))
"""

ENV = {
    **os.environ,
    "TZ": "Pacific/Kiritimati",  # UTC+14, so the local date differs from the session's
    "SOURCE_DATE_EPOCH": "1700000000",
    "PYTHONHASHSEED": "4242",
    "LC_ALL": "C",
}


def dump(path: Path) -> list[str]:
    with sqlite3.connect(path) as conn:
        return list(conn.iterdump())


def sorted_lines(path: Path) -> list[str]:
    return sorted(path.read_text(encoding="utf-8").splitlines())


def file_digests(folder: Path) -> dict[str, str]:
    """sha256 of every file of a build folder but the store's (a store's files record their own history:
    ids, logs; ``test_the_store_holds_the_same_quads_on_another_day`` compares its content)."""
    return {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir()) if p.is_file()
    }


@pytest.fixture(scope="module")
def other_day(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("another-day") / "db"
    subprocess.run([sys.executable, "-c", ANOTHER_DAY, str(CORPUS), str(out)], env=ENV, check=True)
    return out


def test_the_database_content_is_the_same_on_another_day(built, other_day):
    assert dump(other_day / DB_NAME) == dump(built / DB_NAME)


def test_the_sorted_n_quads_are_the_same_on_another_day(built, other_day):
    assert sorted_lines(other_day / "multiscale.nq") == sorted_lines(built / "multiscale.nq")


def test_the_store_holds_the_same_quads_on_another_day(built, other_day):
    assert store_quads(other_day / STORE_NAME) == store_quads(built / STORE_NAME)
    assert len(store_quads(built / STORE_NAME)) == len(sorted_lines(built / "multiscale.nq"))


def test_every_artefact_is_byte_identical_on_another_day(built, other_day):
    # build.json lists the digests of the package's own files as well, which may change between the
    # session's build and this one while the package is being edited; its corpus part is compared instead
    ours, theirs = file_digests(built), file_digests(other_day)
    assert sorted(ours) == sorted(theirs) == ["build.json", "graph.json", "multiscale.db", "multiscale.nq"]
    assert {k: v for k, v in theirs.items() if k != MANIFEST_NAME} == {
        k: v for k, v in ours.items() if k != MANIFEST_NAME
    }


def test_check_finds_no_difference_on_an_unchanged_corpus(other_day):
    assert check(CORPUS, other_day, log=lambda line: None) == []


def test_check_names_the_difference_after_a_change(built, corpus_copy):
    meta = corpus_copy / "nano-vs-micro" / "document.toml"
    text = meta.read_text(encoding="utf-8")
    assert text.count("year = 2022") == 1
    meta.write_text(text.replace("year = 2022", "year = 2023"), encoding="utf-8")
    differences = check(corpus_copy, built, log=lambda line: None)
    metadata = "INSERT INTO \"document_metadata\" VALUES('nano-vs-micro:year','nano-vs-micro','year',"
    document = (
        "INSERT INTO \"documents\" VALUES('nano-vs-micro','Nanostructuring versus microstructuring in "
        "battery electrodes','Nature Reviews Materials','Perspective',"
    )
    issued = "<https://w3id.org/multiscale-kg/id/document/nano-vs-micro> <http://purl.org/dc/terms/issued>"
    assert len(differences) == 11
    assert differences[0] == f"{DB_NAME}: 2 line(s) only in {built}, 2 only in the rebuild"
    assert differences[1] == f"{DB_NAME}: - {metadata}'2022','unchecked');"
    assert differences[2].startswith(f"{DB_NAME}: - {document}2022,'7','736–746',")
    assert differences[3] == f"{DB_NAME}: + {metadata}'2023','unchecked');"
    assert differences[4].startswith(f"{DB_NAME}: + {document}2023,'7','736–746',")
    # a long line is cut
    assert len(differences[4]) == len(f"{DB_NAME}: ") + 240
    assert differences[4].endswith("…")
    year = "<http://www.w3.org/2001/XMLSchema#integer> <https://w3id.org/multiscale-kg/graph/asserted> ."
    assert differences[5:] == [
        f"{name}: {line}"
        for name in ("store", "multiscale.nq")
        for line in (
            f"1 line(s) only in {built}, 1 only in the rebuild",
            f'- {issued} "2022"^^{year}',
            f'+ {issued} "2023"^^{year}',
        )
    ]


def test_check_needs_a_build_to_compare_with(tmp_path):
    with pytest.raises(UsageError) as caught:
        check(CORPUS, tmp_path / "db", log=lambda line: None)
    assert str(caught.value) == f"{tmp_path / 'db' / DB_NAME}: no database to check; run 'mskg build' first"
