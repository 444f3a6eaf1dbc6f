"""The ``mskg`` command: a thin layer over the library. Exit 0 ok, 1 nothing found, 2 bad input or usage.

Each command module registers its own subcommand (``register(commands)``), so this file only assembles them.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from .errors import IngestError, UsageError
from .version import __version__

DEFAULT_CORPUS = Path("corpus")
DEFAULT_OUT = Path("db")


def _build(args: argparse.Namespace) -> int:
    from .build import build, check
    from .progress import Progress

    if args.check:
        differences = check(args.corpus, args.out)
        for line in differences:
            print(line)
        print(f"{args.out}/ {'differs from' if differences else 'matches'} a fresh build", file=sys.stderr)
        return 1 if differences else 0
    started = time.perf_counter()
    report = build(args.corpus, args.out, progress=Progress())  # a bar per document stage on a terminal
    kb = report.kb
    print(
        f"built {args.out}/ from {len(kb.documents)} document(s): {len(kb.passages)} passages, "
        f"{len(kb.measurements)} measurements, {len(kb.citations)} citations, {len(kb.materials)} materials "
        f"in {time.perf_counter() - started:.2f} s",
        file=sys.stderr,
    )
    return 0


def _validate(args: argparse.Namespace) -> int:
    from .report import validation_report

    report = validation_report(args.corpus)
    print("\n".join(report.lines()))
    return 0 if report.ok else 2


def _sql(args: argparse.Namespace) -> int:
    import sqlite3

    from .api import open_build
    from .output import print_rows

    try:
        cursor = open_build(args.db).execute(args.query)
    except sqlite3.Error as error:
        raise UsageError(f"SQL error: {error}") from None
    columns = [c[0] for c in cursor.description or ()]
    rows = cursor.fetchall()
    print_rows(columns, rows, args.format)
    return 0 if rows else 1


def _sparql(args: argparse.Namespace) -> int:
    from .api import open_build
    from .output import print_sparql
    from .queries.sparql import QueryError, named_queries, run_store

    text, where, path = args.query, "query", Path(args.query)
    if text in named_queries():
        text, where = named_queries()[text].text, f"queries/sparql/{text}.rq"
    elif path.suffix == ".rq" or (len(text) < 300 and path.is_file()):
        if not path.is_file():
            raise UsageError(f"{path}: query file not found")
        text, where = path.read_text(encoding="utf-8"), str(path)
    try:
        result = run_store(open_build(args.db).store, text)
    except QueryError as error:
        raise UsageError(f"{where}: {error}") from None
    return 0 if print_sparql(result, args.format) else 1


def _export(args: argparse.Namespace) -> int:
    from .api import open_build
    from .export import export

    export(open_build(args.db), args.format, args.output)
    return 0


def _add_db(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--db", type=Path, default=DEFAULT_OUT, help="build folder (default: db)")


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
    build.add_argument(
        "--check",
        action="store_true",
        help="rebuild in a temporary folder and compare with --out (exit 1 on a difference)",
    )
    build.set_defaults(run=_build)

    validate = commands.add_parser(
        "validate", help="check the corpus: counts, SHACL, unbound numbers, coverage"
    )
    validate.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS, help="folder of document folders")
    validate.set_defaults(run=_validate)

    sql = commands.add_parser("sql", help="run an SQL query on db/multiscale.db")
    sql.add_argument("query", help="an SQL query")
    _add_db(sql)
    sql.add_argument("--format", choices=["table", "json", "csv", "tsv"], default="table")
    sql.set_defaults(run=_sql)

    sparql = commands.add_parser("sparql", help="run a SPARQL query (text, .rq file or a named query)")
    sparql.add_argument("query", help="SPARQL text, a .rq file, or the name of a query in queries/sparql/")
    _add_db(sparql)
    sparql.add_argument("--format", choices=["table", "json", "csv", "tsv"], default="table")
    sparql.set_defaults(run=_sparql)

    export = commands.add_parser("export", help="write the graph in one format to a file or stdout")
    export.add_argument(
        "--format",
        required=True,
        choices=["ttl", "nt", "nq", "nquads", "trig", "jsonld", "graphml", "json"],
        help="nq: the build's graphs (asserted, inferred, ontology); nquads: one named graph per document",
    )
    export.add_argument("--output", "-o", type=Path, help="file to write (default: stdout)")
    _add_db(export)
    export.set_defaults(run=_export)

    for register in _registered():
        register(commands)
    return main


def _registered():
    """Subcommands that live with their implementation (rules, serving, benchmarks)."""
    from importlib import import_module

    found = []
    for name in (
        "multiscale_kg.commands.explain",
        "multiscale_kg.publish.commands",
        "multiscale_kg.commands.push",
        "multiscale_kg.commands.review",
    ):
        try:
            module = import_module(name)
        except ModuleNotFoundError as error:
            if not name.startswith(error.name or "?"):
                raise
            continue
        found.append(module.register)
    return found


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return args.run(args)
    except IngestError as error:
        for problem in error.problems:
            print(f"error: {problem}", file=sys.stderr)
        return 2
    except UsageError as error:  # ReadOnlyError and UnknownIdError among them; any other error is a bug
        print(f"error: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
