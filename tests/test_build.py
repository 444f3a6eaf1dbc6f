"""`mskg build`: output tables, determinism, atomicity, a second document. Bad input: tests/test_errors.py."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from multiscale_kg.build import DB_NAME, build
from multiscale_kg.cli import main

from .conftest import byte_digests, content_digests

SECOND_DOCUMENT = """Silicon anodes at two scales

Introduction to the test
Silicon particles below a critical size survive lithiation1. Larger
particles crack (refs.2,3).
"""

SECOND_META = """title = "A second, tiny document"
year = 2024
checked = ["title"]
"""


def dump(path: Path) -> list[str]:
    with sqlite3.connect(path) as conn:
        return list(conn.iterdump())


def quiet(line: str) -> None:
    pass


def test_the_build_writes_the_design_tables(db):
    expected = {
        "documents",
        "document_metadata",
        "sections",
        "passages",
        "materials",
        "measurements",
        "refs",
        "citations",
    }
    assert expected <= set(db.table_names())
    assert db["passages"].detect_fts() == "passages_fts"
    assert {fk.column: fk.other_table for fk in db["measurements"].foreign_keys} == {
        "document_id": "documents",
        "material_id": "materials",
        "passage_id": "passages",
        "strategy_id": "strategies",
        "table_id": "document_tables",
    }
    assert "idx_measurements_material_id" in {i.name for i in db["measurements"].indexes}


def test_metadata_keeps_checked_and_unchecked_fields_apart(db):
    rows = {r["field"]: r["status"] for r in db.query("select field, status from document_metadata")}
    assert rows == {
        "title": "unchecked",
        "journal": "checked",
        "article_type": "checked",
        "year": "unchecked",
        "volume": "unchecked",
        "pages": "unchecked",
        "doi": "unchecked",
        "authors": "unchecked",
        "corresponding_author": "checked",
    }


def test_full_text_search_finds_passages(db):
    rows = list(
        db.query(
            "select passages.id from passages_fts join passages on passages.rowid = "
            "passages_fts.rowid where passages_fts match 'tortuosity' order by passages.id"
        )
    )
    assert [r["id"] for r in rows] == ["nano-vs-micro-p011", "nano-vs-micro-p095"]


def test_two_builds_give_identical_databases(built, tmp_path):
    again = tmp_path / "db"
    build(Path(__file__).parent.parent / "corpus", again, log=quiet)
    assert dump(again / DB_NAME) == dump(built / DB_NAME)
    assert content_digests(again) == content_digests(built)


def test_a_second_document_is_added_by_adding_a_folder(corpus_copy, tmp_path):
    folder = corpus_copy / "tiny"
    folder.mkdir()
    (folder / "document.txt").write_text(SECOND_DOCUMENT, encoding="utf-8")
    (folder / "document.toml").write_text(SECOND_META, encoding="utf-8")
    report = build(corpus_copy, tmp_path / "db", log=quiet)
    assert [d.id for d in report.kb.documents] == ["nano-vs-micro", "tiny"]
    tiny = [p for p in report.kb.passages if p.document_id == "tiny"]
    assert [p.text for p in tiny] == [
        "Silicon anodes at two scales",
        "Introduction to the test",
        "Silicon particles below a critical size survive lithiation1. Larger particles crack (refs.2,3).",
    ]


def test_a_failed_build_leaves_the_previous_db_untouched(corpus_copy, tmp_path):
    out = tmp_path / "db"
    build(corpus_copy, out, log=quiet)
    before = byte_digests(out)
    (corpus_copy / "nano-vs-micro" / "document.txt").write_bytes(b"\xff\xfe not utf-8")
    assert main(["build", "--corpus", str(corpus_copy), "--out", str(out)]) == 2
    assert byte_digests(out) == before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".db-build")] == [out.resolve().name]


def test_a_shape_violation_fails_the_build_and_leaves_the_previous_db_untouched(
    corpus_copy, tmp_path, monkeypatch, capsys
):
    """What SHACL finds fails the build before its folder is published: the previous build stays as it was."""
    from multiscale_kg.graph import shacl

    out = tmp_path / "db"
    build(corpus_copy, out, log=quiet)
    before = byte_digests(out)
    broken = shacl.Violation("https://example.org/drawback", "https://example.org/causedBy", "no cause")
    monkeypatch.setattr(shacl, "validate", lambda *args, **kwargs: shacl.ShaclReport(False, (broken,), ""))
    assert main(["build", "--corpus", str(corpus_copy), "--out", str(out), "--jobs", "2"]) == 2
    err = capsys.readouterr().err
    assert "SHACL violation: https://example.org/drawback https://example.org/causedBy: no cause" in err
    assert byte_digests(out) == before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".db-build")] == [out.resolve().name]


def test_a_failed_build_closes_its_store_before_removing_its_folder(corpus_copy, tmp_path, monkeypatch):
    """The store of a failed build is closed (its lock free) when its folder is removed: an open store's own
    threads could write into the folder while it goes and leave part of it behind."""
    import shutil

    import pyoxigraph as ox

    from multiscale_kg import build as building
    from multiscale_kg.graph import shacl

    broken = shacl.Violation("https://example.org/drawback", "https://example.org/causedBy", "no cause")
    monkeypatch.setattr(shacl, "validate", lambda *args, **kwargs: shacl.ShaclReport(False, (broken,), ""))
    removed, rmtree = [], shutil.rmtree

    def remove(path, ignore_errors=False):
        ox.Store(str(Path(path) / "store"))  # raises while another handle holds the store's lock
        removed.append(Path(path).name)
        rmtree(path, ignore_errors=ignore_errors)

    monkeypatch.setattr(building.shutil, "rmtree", remove)
    assert main(["build", "--corpus", str(corpus_copy), "--out", str(tmp_path / "db")]) == 2
    assert len(removed) == 1 and removed[0].startswith(".db-build-")
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".db-build")]
