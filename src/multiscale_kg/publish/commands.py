"""``mskg serve``: build ``db/`` when it is missing or stale, then browse it with Datasette."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

#: Datasette's SQL time limit for table pages and canned queries
SQL_TIME_LIMIT_MS = 2000


def datasette_arguments(db: Path, metadata: Path, host: str, port: int) -> list[str]:
    """The ``datasette serve`` command line: immutable database, our metadata, bounded SQL."""
    from ..build import DB_NAME

    return [
        "serve",
        "-i",
        str(db / DB_NAME),
        "--metadata",
        str(metadata),
        "--host",
        host,
        "--port",
        str(port),
        "--setting",
        "suggest_facets",
        "off",
        "--setting",
        "sql_time_limit_ms",
        str(SQL_TIME_LIMIT_MS),
        "--setting",
        "facet_time_limit_ms",
        "400",
    ]


def metadata_file(db: Path, corpus: Path, given: Path) -> Path:
    """The committed datasette_metadata.json when it is here; otherwise one generated for this build."""
    if given.exists():
        return given
    import tempfile

    from ..build import DB_NAME
    from .metadata import generate, render

    path = Path(tempfile.mkdtemp(prefix="mskg-serve-")) / given.name
    path.write_text(render(generate(db / DB_NAME, corpus)), encoding="utf-8")
    return path


def _serve(args: argparse.Namespace) -> int:
    from datasette.cli import cli

    from ..build import build, is_current

    if not is_current(args.corpus, args.db):
        print(f"building {args.db}/ (missing or older than its inputs)", file=sys.stderr)
        build(args.corpus, args.db)
    metadata = metadata_file(args.db, args.corpus, args.metadata)
    print(f"serving http://{args.host}:{args.port}/  (Ctrl-C stops)", file=sys.stderr)
    return cli.main(datasette_arguments(args.db, metadata, args.host, args.port), standalone_mode=False) or 0


def register(commands) -> None:
    from .settings import METADATA_NAME

    serve = commands.add_parser(
        "serve", help="browse the knowledge graph in Datasette, with SPARQL and charts (builds db/ if needed)"
    )
    serve.add_argument("--port", type=int, default=8001, help="port (default: 8001)")
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)")
    serve.add_argument("--db", type=Path, default=Path("db"), help="build folder (default: db)")
    serve.add_argument("--corpus", type=Path, default=Path("corpus"), help="folder of document folders")
    serve.add_argument("--metadata", type=Path, default=Path(METADATA_NAME), help="Datasette metadata file")
    serve.set_defaults(run=_serve)
