"""The ``mskg`` command: a thin layer over the library. Exit 0 ok, 1 nothing found, 2 bad input or usage."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from . import __version__
from .errors import IngestError, UsageError

DEFAULT_CORPUS = Path("corpus")
DEFAULT_OUT = Path("db")


def _build(args: argparse.Namespace) -> int:
    from .build import build

    started = time.perf_counter()
    report = build(args.corpus, args.out)
    kb = report.kb
    print(
        f"built {args.out}/ from {len(kb.documents)} document(s): {len(kb.passages)} passages, "
        f"{len(kb.measurements)} measurements, {len(kb.citations)} citations, {len(kb.materials)} materials "
        f"in {time.perf_counter() - started:.2f} s",
        file=sys.stderr,
    )
    return 0


def _database(args: argparse.Namespace):
    import sqlite_utils

    from .build import DB_NAME

    path = args.db / DB_NAME
    if not path.exists():
        raise UsageError(f"{path}: no database; run 'mskg build' first")
    return sqlite_utils.Database(path)


def _sql(args: argparse.Namespace) -> int:
    import sqlite3

    from .output import print_rows

    db = _database(args)
    try:
        cursor = db.execute(args.query)
    except sqlite3.Error as error:
        raise UsageError(f"SQL error: {error}") from None
    columns = [c[0] for c in cursor.description or ()]
    rows = cursor.fetchall()
    print_rows(columns, rows, args.format)
    return 0 if rows else 1


def parser() -> argparse.ArgumentParser:
    main = argparse.ArgumentParser(
        prog="mskg",
        description="Build and query the multiscale-kg knowledge graph of battery electrode particles.",
    )
    main.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = main.add_subparsers(dest="command", required=True, metavar="COMMAND")

    build = commands.add_parser("build", help="parse the corpus and write db/ (SQLite, RDF, graph)")
    build.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS, help="folder of document folders")
    build.add_argument("--out", type=Path, default=DEFAULT_OUT, help="output folder (default: db)")
    build.set_defaults(run=_build)

    sql = commands.add_parser("sql", help="run a read-only SQL query on db/multiscale.db")
    sql.add_argument("query", help="an SQL query")
    sql.add_argument("--db", type=Path, default=DEFAULT_OUT, help="build folder (default: db)")
    sql.add_argument("--format", choices=["table", "json", "csv", "tsv"], default="table")
    sql.set_defaults(run=_sql)
    return main


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return args.run(args)
    except IngestError as error:
        for problem in error.problems:
            print(f"error: {problem}", file=sys.stderr)
        return 2
    except UsageError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
