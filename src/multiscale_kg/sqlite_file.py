"""Writing a new SQLite file: tables with ``id`` as primary key, their indexes and full-text indexes.

The schema text is the one sqlite-utils writes (``Table.create``, ``create_index``, ``enable_fts``), so a
build's database reads as before; rows go in with one ``executemany`` per table, inside one transaction
whose foreign keys are checked when it commits. The file is a build's staging copy, removed when the build
fails, so it is written without a journal on disk and without syncs: a crash leaves nothing anyone reads.
Neither setting is stored in the file, which opens afterwards like any other.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from operator import itemgetter
from pathlib import Path

#: a column's Python type → its SQLite type
COLUMN_TYPES = {str: "TEXT", int: "INTEGER", float: "REAL"}

ForeignKey = tuple[str, str, str]  # (column, other table, other column)


def quote(identifier: str) -> str:
    return '"{}"'.format(identifier.replace('"', '""'))


def _string(text: str) -> str:
    return "'{}'".format(text.replace("'", "''"))


def open_new(path: Path) -> sqlite3.Connection:
    """A connection to a new database file at ``path``, in autocommit mode (``transaction`` opens one)."""
    connection = sqlite3.connect(path, isolation_level=None)
    connection.execute("PRAGMA foreign_keys = ON")
    connection.execute("PRAGMA journal_mode = MEMORY")
    connection.execute("PRAGMA synchronous = OFF")
    return connection


@contextmanager
def transaction(connection: sqlite3.Connection) -> Iterator[None]:
    """One transaction; foreign keys are checked when it commits, so rows may name rows written later
    (a parent section in a later row, a table written after this one)."""
    connection.execute("BEGIN")
    connection.execute("PRAGMA defer_foreign_keys = ON")
    try:
        yield
    except BaseException:
        connection.execute("ROLLBACK")
        raise
    connection.execute("COMMIT")


def create_table_sql(name: str, columns: dict[str, type], foreign_keys: Iterable[ForeignKey] = ()) -> str:
    references = {column: (table, other) for column, table, other in foreign_keys}
    lines = []
    for column, kind in columns.items():
        extras = " PRIMARY KEY" if column == "id" else ""
        if column in references:
            table, other = references.pop(column)
            extras += f" REFERENCES {quote(table)}({quote(other)})"
        lines.append(f"   {quote(column)} {COLUMN_TYPES[kind]}{extras}")
    if "id" not in columns or references:
        raise ValueError(f"table {name}: no id column, or a foreign key on no column: {sorted(references)}")
    return f"CREATE TABLE {quote(name)} (\n" + ",\n".join(lines) + "\n)"


def create_index(connection: sqlite3.Connection, table: str, columns: Sequence[str]) -> None:
    name = f"idx_{table.replace(' ', '_')}_{'_'.join(columns)}"
    listed = ", ".join(quote(c) for c in columns)
    connection.execute(f"CREATE INDEX {quote(name)}\n    ON {quote(table)} ({listed});")


def create_table(
    connection: sqlite3.Connection,
    name: str,
    columns: dict[str, type],
    rows: Iterable[Sequence],
    foreign_keys: Iterable[ForeignKey] = (),
    sorted_by_sqlite: bool = False,
) -> None:
    """A table with ``id`` as primary key, its rows (values in ``columns`` order) in id order, and an index on
    each foreign key (made after the rows: one sort, not one b-tree insert per row).

    ``sorted_by_sqlite``: the rows are streamed into a temporary table and copied in id order by SQLite,
    whose sort spills to a temporary file, so a table of a million rows is never held in Python (about 10%
    more time than sorting them in Python). ``ORDER BY id`` compares UTF-8 bytes, the order of Python's
    ``sorted`` on the strings; the temporary table's columns have no type, so each value is converted once,
    by the table's own column types, as a direct insert would.
    """
    foreign_keys = list(foreign_keys)
    connection.execute(create_table_sql(name, columns, foreign_keys))
    slots = ", ".join("?" * len(columns))
    if sorted_by_sqlite:
        staged = quote(f"staged_{name}")
        connection.execute(f"CREATE TEMP TABLE {staged} ({', '.join(quote(c) for c in columns)})")
        connection.executemany(f"INSERT INTO temp.{staged} VALUES ({slots})", rows)
        connection.execute(f'INSERT INTO {quote(name)} SELECT * FROM temp.{staged} ORDER BY "id"')
        connection.execute(f"DROP TABLE temp.{staged}")
    else:
        ordered = sorted(rows, key=itemgetter(list(columns).index("id")))
        connection.executemany(f"INSERT INTO {quote(name)} VALUES ({slots})", ordered)
    for column, _, _ in foreign_keys:
        create_index(connection, name, [column])


def enable_fts(connection: sqlite3.Connection, table: str, columns: Sequence[str], tokenize: str) -> None:
    """An FTS5 index over ``columns`` of ``table`` (external content), filled from its rows."""
    listed = ", ".join(quote(c) for c in columns)
    fts = quote(f"{table}_fts")
    connection.execute(
        f"CREATE VIRTUAL TABLE {fts} USING FTS5 (\n    {listed},\n    tokenize={_string(tokenize)},\n"
        f"    content={quote(table)}\n)"
    )
    connection.execute(
        f"INSERT INTO {fts} (rowid, {listed})\n    SELECT rowid, {listed} FROM {quote(table)};"
    )
