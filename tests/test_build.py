"""`mskg build`: output tables, determinism, atomicity, a second document, and bad input."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import pytest

from multiscale_kg.build import DB_NAME, build
from multiscale_kg.cli import main

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


def tree_digest(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


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
    assert len(rows) >= 2


def test_two_builds_give_identical_databases(built, tmp_path):
    again = tmp_path / "db"
    build(Path(__file__).parent.parent / "corpus", again, log=quiet)
    assert dump(again / DB_NAME) == dump(built / DB_NAME)
    assert tree_digest(again) == tree_digest(built)


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
    before = tree_digest(out)
    (corpus_copy / "nano-vs-micro" / "document.txt").write_bytes(b"\xff\xfe not utf-8")
    assert main(["build", "--corpus", str(corpus_copy), "--out", str(out)]) == 2
    assert tree_digest(out) == before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".db-build")] == [out.resolve().name]


@pytest.mark.parametrize(
    ("breakage", "message"),
    [
        ("missing-corpus", "corpus folder not found"),
        ("not-utf8", "document.txt:1: not valid UTF-8 (byte 0xff at offset 0); expected UTF-8 text"),
        ("empty", "document.txt: the document is empty; expected the article's text"),
        ("no-toml", "document.toml: file not found (expected the document's bibliographic metadata)"),
        ("bad-type", "document.toml:8: field 'year': Input should be a valid integer"),
        (
            "bad-hash",
            "document.toml:20: sha256 63f4e7af1c898f8822ee10411ddb7af90d3d89a306b079d96f75e093c9edd2ff "
            "does not match document.txt",
        ),
    ],
)
def test_bad_input_exits_2_naming_the_file_and_line(corpus_copy, tmp_path, capsys, breakage, message):
    folder = corpus_copy / "nano-vs-micro"
    meta = folder / "document.toml"
    if breakage == "missing-corpus":
        corpus_copy = tmp_path / "nowhere"
    elif breakage == "not-utf8":
        (folder / "document.txt").write_bytes(b"\xff text")
    elif breakage == "empty":
        (folder / "document.txt").write_text("\n \n", encoding="utf-8")
    elif breakage == "no-toml":
        meta.unlink()
    elif breakage == "bad-type":
        meta.write_text(
            meta.read_text(encoding="utf-8").replace("year = 2022", 'year = "twenty"'), encoding="utf-8"
        )
    elif breakage == "bad-hash":
        (folder / "document.txt").write_text("Changed text\n", encoding="utf-8")
    assert main(["build", "--corpus", str(corpus_copy), "--out", str(tmp_path / "db")]) == 2
    err = capsys.readouterr().err
    assert message in err
    assert not (tmp_path / "db").exists()
