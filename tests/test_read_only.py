"""A build is read-only to every face that queries it: `mskg sql`, `kg.sql`, `kg.execute` and `kg.db` refuse
writes, say how data changes (edit the corpus, rebuild), and leave the database byte for byte as it was."""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
from pathlib import Path

import pytest

from multiscale_kg.api import KnowledgeGraph
from multiscale_kg.build import DB_NAME
from multiscale_kg.cli import main
from multiscale_kg.errors import ReadOnlyError

WRITES = [
    "delete from measurements",
    "update materials set name = 'x'",
    "drop table measurements",
    "create table extra (id integer)",
]


@pytest.fixture()
def folder(built, tmp_path) -> Path:
    """A copy of the session's build: were a write to get through, only the copy would be damaged."""
    copy = tmp_path / "db"
    shutil.copytree(built.resolve(), copy)
    return copy


def digest(folder: Path) -> str:
    return hashlib.sha256((folder / DB_NAME).read_bytes()).hexdigest()


def measurement_count(folder: Path) -> int:
    connection = sqlite3.connect(folder / DB_NAME)
    try:
        return connection.execute("select count(*) from measurements").fetchone()[0]
    finally:
        connection.close()


@pytest.mark.parametrize("statement", WRITES)
def test_mskg_sql_refuses_a_write_with_exit_2_and_leaves_the_build_unchanged(statement, folder, capsys):
    before, count = digest(folder), measurement_count(folder)
    assert main(["sql", statement, "--db", str(folder)]) == 2
    assert capsys.readouterr().err == (
        f"error: {folder / DB_NAME} is read-only (a statement that writes was refused): a build is never "
        "changed in place; to change its data, edit the corpus (corpus/<document>/annotations.yaml, "
        "materials.yaml, ...) and run 'mskg build'\n"
    )
    assert digest(folder) == before
    assert main(["sql", "select count(*) as n from measurements", "--db", str(folder)]) == 0
    assert capsys.readouterr().out == f"n\n---\n{count}\n"


@pytest.mark.parametrize("statement", WRITES)
def test_kg_sql_and_execute_raise_read_only_error_and_leave_the_build_unchanged(statement, folder):
    before, count = digest(folder), measurement_count(folder)
    kg = KnowledgeGraph(folder)
    with pytest.raises(ReadOnlyError, match=r"is read-only .* edit the corpus .* run 'mskg build'"):
        kg.sql(statement)
    with pytest.raises(ReadOnlyError):
        kg.execute(statement)
    assert digest(folder) == before
    assert kg.sql("select count(*) as n from measurements") == [{"n": count}]


def test_kg_db_refuses_writes_through_sqlite_utils(folder):
    before, count = digest(folder), measurement_count(folder)
    kg = KnowledgeGraph(folder)
    with pytest.raises(sqlite3.OperationalError, match="readonly database"):
        kg.db["measurements"].delete_where()
    with pytest.raises(sqlite3.OperationalError, match="readonly database"):
        kg.db["materials"].insert({"id": "new-material", "name": "new"})
    assert digest(folder) == before
    assert kg.db["measurements"].count == count


def test_attach_is_refused_so_the_build_cannot_be_opened_again_for_writing(folder, capsys):
    before = digest(folder)
    kg = KnowledgeGraph(folder)
    attach = f"attach database '{(folder / DB_NAME).as_uri()}' as writable"
    with pytest.raises(ReadOnlyError, match="ATTACH was refused"):
        kg.sql(attach)
    assert main(["sql", attach, "--db", str(folder)]) == 2
    assert "ATTACH was refused" in capsys.readouterr().err
    assert digest(folder) == before


def test_a_bad_query_is_still_a_plain_sql_error(folder, capsys):
    assert main(["sql", "select name from nowhere", "--db", str(folder)]) == 2
    assert capsys.readouterr().err == "error: SQL error: no such table: nowhere\n"
    with pytest.raises(sqlite3.OperationalError, match="no such table"):
        KnowledgeGraph(folder).sql("select name from nowhere")
