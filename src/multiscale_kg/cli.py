"""The ``mskg`` command: a thin layer over the library. Exit 0 ok, 1 nothing found, 2 bad input or usage.

Each command module registers its own subcommand (``register(commands)``), so this file only assembles them.
``--corpus`` and ``--db`` (``--out``) default to None and are filled in here (``locations``: the environment,
then ``corpus/`` and ``db/``), so that a command knows whether it was pointed somewhere or looked itself.
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from pathlib import Path

from .errors import IngestError, UsageError
from .locations import default_corpus, default_db, no_build, no_corpus
from .version import __version__

#: the folder options, each filled in from the environment or the current folder when not given
LOCATIONS = {"corpus": default_corpus, "db": default_db, "out": default_db}


def _build(args: argparse.Namespace) -> int:
    from .build import build, check
    from .perdoc.run import default_jobs
    from .progress import Progress

    _require_corpus(args)
    jobs = default_jobs() if args.jobs is None else args.jobs
    if args.check:
        differences = check(args.corpus, args.out, jobs=jobs)
        for line in differences:
            print(line)
        print(f"{args.out}/ {'differs from' if differences else 'matches'} a fresh build", file=sys.stderr)
        return 1 if differences else 0
    started = time.perf_counter()
    # a bar per document stage on a terminal
    report = build(args.corpus, args.out, progress=Progress(), jobs=jobs, scheduler=args.scheduler)
    kb = report.kb
    print(
        f"built {args.out}/ from {len(kb.documents)} document(s): {len(kb.passages)} passages, "
        f"{len(kb.measurements)} measurements, {len(kb.citations)} citations, {len(kb.materials)} materials "
        f"in {time.perf_counter() - started:.2f} s ({len(report.built)} document(s) read, "
        f"{len(report.cached)} from the cache)",
        file=sys.stderr,
    )
    return 0


def _add(args: argparse.Namespace) -> int:
    import shutil

    from .adding import add_document, extracted, same_text, summary
    from .build import DB_NAME, build
    from .queries.measurement_checks import measurement_checks

    folder = add_document(args.path, args.corpus, args.slug)
    print(f"added {folder}/ (document.txt, and document.toml to fill in: its fields are marked unchecked)")
    for other in same_text(args.corpus, folder):
        print(f"note: {other}/document.txt holds the same text")
    if args.no_build:
        print(f"not built: run 'mskg build --corpus {args.corpus}' when the corpus is complete")
        return 0
    started = time.perf_counter()
    try:
        kb = build(args.corpus, args.out).kb
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)  # the corpus is left as it was: it built before
        print(f"removed {folder}/: the corpus does not build with it", file=sys.stderr)
        raise
    print(f"built {args.out}/ from {len(kb.documents)} document(s) in {time.perf_counter() - started:.1f} s")
    document = next(d for d in kb.documents if d.id == folder.name)
    print(f"{document.id}: {document.title}")
    print("\n".join(summary(extracted(kb, document.id, list(measurement_checks(kb))))))
    if args.metadata.exists():
        from .publish.metadata import generate, render

        args.metadata.write_text(render(generate(args.out / DB_NAME, args.corpus)), encoding="utf-8")
        print(f"updated {args.metadata} (the site's data-source line lists every document)")
    print(f"its page: /-/documents/{document.id} (mskg serve)")
    return 0


def _validate(args: argparse.Namespace) -> int:
    from .report import validation_report

    _require_corpus(args)
    report = validation_report(args.corpus)
    print("\n".join(report.lines()))
    return 0 if report.ok else 2


def _require_corpus(args: argparse.Namespace) -> None:
    """No corpus folder where none was named: say where it was looked for and how to point at it."""
    if "corpus" not in args.given and not args.corpus.is_dir():
        raise UsageError(no_corpus(args.corpus))


def open_graph(args: argparse.Namespace):
    from .api import open_build
    from .build import DB_NAME

    if not (args.db / DB_NAME).exists():
        if "db" in args.given:
            raise UsageError(f"{args.db / DB_NAME}: no database; run 'mskg build' first")
        raise UsageError(no_build(args.db))
    return open_build(args.db)


def _sql(args: argparse.Namespace) -> int:
    import sqlite3

    from .output import print_rows

    try:
        cursor = open_graph(args).execute(args.query)
    except sqlite3.Error as error:
        raise UsageError(f"SQL error: {error}") from None
    columns = [c[0] for c in cursor.description or ()]
    rows = cursor.fetchall()
    print_rows(columns, rows, args.format)
    return 0 if rows else 1


def _sparql(args: argparse.Namespace) -> int:
    from .output import print_sparql
    from .queries.sparql import QueryError, named_queries, run_store

    text, where, path = args.query, "query", Path(args.query)
    if text in named_queries():
        text, where = named_queries()[text].text, f"src/multiscale_kg/queries/sparql/{text}.rq"
    elif path.suffix == ".rq" or (len(text) < 300 and path.is_file()):
        if not path.is_file():
            raise UsageError(f"{path}: query file not found")
        text, where = path.read_text(encoding="utf-8"), str(path)
    elif _NAME.fullmatch(text):  # a word, not a query: a name that is not one of ours
        names = ", ".join(named_queries())
        raise UsageError(f"no named query {text!r}; named queries are: {names}")
    try:
        result = run_store(open_graph(args).store, text)
    except QueryError as error:
        raise UsageError(f"{where}: {error}") from None
    return 0 if print_sparql(result, args.format) else 1


def _export(args: argparse.Namespace) -> int:
    from .export import export

    export(open_graph(args), args.format, args.output)
    return 0


#: what a query name looks like (a SPARQL query has spaces or braces)
_NAME = re.compile(r"[\w.-]+")
DB_HELP = "build folder (default: $MSKG_DB, else db)"
CORPUS_HELP = "folder of document folders (default: $MSKG_CORPUS, else corpus)"


def _positive(text: str) -> int:
    try:
        number = int(text)
    except ValueError:
        number = 0
    if number < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of at least 1, not {text!r}")
    return number


def _add_db(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--db", type=Path, help=DB_HELP)


def parser() -> argparse.ArgumentParser:
    main = argparse.ArgumentParser(
        prog="mskg",
        description="Build and query the multiscale-kg knowledge graph of battery electrode particles.",
    )
    main.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = main.add_subparsers(dest="command", required=True, metavar="COMMAND")

    build = commands.add_parser("build", help="parse the corpus and write db/ (SQLite, RDF, graph)")
    build.add_argument("--corpus", type=Path, help=CORPUS_HELP)
    build.add_argument("--out", "--db", type=Path, dest="out", help="output folder (default: as --db)")
    build.add_argument(
        "--check",
        action="store_true",
        help="rebuild in a temporary folder and compare with --out (exit 1 on a difference)",
    )
    build.add_argument(
        "--jobs",
        "-j",
        type=_positive,
        metavar="N",
        help="processes for the per-document part of the build (default: the cores; 1: in this process)",
    )
    build.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        help="run the per-document part on the Dask scheduler at ADDRESS, e.g. tcp://host:8786 "
        "(needs the cluster extra: pip install 'multiscale-kg[cluster]')",
    )
    build.set_defaults(run=_build)

    add = commands.add_parser(
        "add",
        help="add a paper's text to the corpus (a folder with document.toml to fill in), build, summarise",
    )
    add.add_argument("path", type=Path, help="the paper's text (UTF-8), e.g. paper.txt")
    add.add_argument("--slug", help="the document's name in the corpus (default: from the file name)")
    add.add_argument("--corpus", type=Path, help=CORPUS_HELP)
    add.add_argument("--out", "--db", type=Path, dest="out", help="build folder (default: as --db)")
    add.add_argument("--no-build", action="store_true", help="only add the folder (build later)")
    add.add_argument(
        "--metadata",
        type=Path,
        default=Path("datasette_metadata.json"),
        help="Datasette metadata file, regenerated when it exists (default: datasette_metadata.json)",
    )
    add.set_defaults(run=_add)

    validate = commands.add_parser(
        "validate", help="check the corpus: counts, SHACL, unbound numbers, coverage"
    )
    validate.add_argument("--corpus", type=Path, help=CORPUS_HELP)
    validate.set_defaults(run=_validate)

    sql = commands.add_parser("sql", help="run an SQL query on db/multiscale.db")
    sql.add_argument("query", help="an SQL query")
    _add_db(sql)
    sql.add_argument("--format", choices=["table", "json", "csv", "tsv"], default="table")
    sql.set_defaults(run=_sql)

    sparql = commands.add_parser("sparql", help="run a SPARQL query (text, .rq file or a named query)")
    sparql.add_argument(
        "query", help="SPARQL text, a .rq file, or the name of a query in src/multiscale_kg/queries/sparql/"
    )
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


def locate(args: argparse.Namespace) -> argparse.Namespace:
    """Fill in the folder options not given; ``args.given`` names those that were."""
    args.given = {name for name in LOCATIONS if getattr(args, name, None) is not None}
    for name, default in LOCATIONS.items():
        if hasattr(args, name) and getattr(args, name) is None:
            setattr(args, name, default())
    return args


def main(argv: list[str] | None = None) -> int:
    args = locate(parser().parse_args(argv))
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
