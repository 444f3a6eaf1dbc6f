"""``mskg serve``: build ``db/`` when it is missing or stale, then browse it with Datasette."""

from __future__ import annotations

import argparse
import errno
import os
import socket
import sys
from pathlib import Path

#: Datasette's SQL time limit for table pages and canned queries
SQL_TIME_LIMIT_MS = 2000
#: Datasette's settings for the site: no facet suggestions, bounded SQL and facets
SETTINGS = {"suggest_facets": False, "sql_time_limit_ms": SQL_TIME_LIMIT_MS, "facet_time_limit_ms": 400}


def datasette_arguments(db: Path, metadata: Path, host: str, port: int) -> list[str]:
    """The ``datasette serve`` command line: immutable database, our metadata, bounded SQL."""
    from ..build import DB_NAME

    arguments = ["serve", "-i", str(db / DB_NAME), "--metadata", str(metadata)]
    arguments += ["--host", host, "--port", str(port)]
    for name, value in SETTINGS.items():
        shown = ("on" if value else "off") if isinstance(value, bool) else str(value)
        arguments += ["--setting", name, shown]
    return arguments


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


#: benchmarks/results/load.md: under load one process keeps fast requests at p99 8-13x p50, two at ~4x
DEFAULT_PROCESSES = min(2, os.cpu_count() or 1)


def port_in_use(host: str, port: int) -> bool:
    """Would the server fail to listen on ``host:port``? (Bound as uvicorn binds: with SO_REUSEADDR.)"""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as error:
            if error.errno == errno.EADDRINUSE:
                return True
            raise
    return False


def free_port_near(host: str, port: int, tries: int = 20) -> int:
    """The first free port after ``port`` (or one the system picks), to suggest instead of a busy one."""
    for candidate in range(port + 1, min(port + 1 + tries, 65536)):
        if not port_in_use(host, candidate):
            return candidate
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
        probe.bind((host, 0))
        return probe.getsockname()[1]


def _serve(args: argparse.Namespace) -> int:
    from datasette.cli import cli

    from ..build import build, is_current
    from ..errors import UsageError
    from ..locations import no_corpus_nor_build

    if port_in_use(args.host, args.port):
        raise UsageError(f"port {args.port} is in use; try --port {free_port_near(args.host, args.port)}")
    if not is_current(args.corpus, args.db):
        if not args.corpus.is_dir():
            raise UsageError(no_corpus_nor_build(args.corpus, args.db))
        print(f"building {args.db}/ (missing or older than its inputs)", file=sys.stderr)
        build(args.corpus, args.db)
    metadata = metadata_file(args.db, args.corpus, args.metadata)
    print(f"serving http://{args.host}:{args.port}/  (Ctrl-C stops)", file=sys.stderr)
    if args.processes > 1:
        from ..build import DB_NAME
        from .asgi import serve_processes

        return serve_processes(args.db / DB_NAME, metadata, SETTINGS, args.host, args.port, args.processes)
    return cli.main(datasette_arguments(args.db, metadata, args.host, args.port), standalone_mode=False) or 0


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of processes, at least 1; got {text}")
    return value


def register(commands) -> None:
    from .settings import METADATA_NAME

    serve = commands.add_parser(
        "serve", help="browse the knowledge graph in Datasette, with SPARQL and charts (builds db/ if needed)"
    )
    serve.add_argument("--port", type=int, default=8001, help="port (default: 8001)")
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)")
    serve.add_argument("--db", type=Path, help="build folder (default: $MSKG_DB, else db)")
    serve.add_argument(
        "--corpus", type=Path, help="folder of document folders (default: $MSKG_CORPUS, else corpus)"
    )
    serve.add_argument("--metadata", type=Path, default=Path(METADATA_NAME), help="Datasette metadata file")
    serve.add_argument(
        "--processes",
        type=_positive,
        default=DEFAULT_PROCESSES,
        help="server processes answering side by side, each with its own SPARQL workers (default: 2, or 1 on "
        "one core: one process draws pages one at a time, so cheap requests wait behind table pages)",
    )
    serve.set_defaults(run=_serve)
