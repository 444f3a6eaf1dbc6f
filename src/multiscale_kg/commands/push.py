"""``mskg push``: send the build's graphs to a SPARQL 1.1 Graph Store (see ``push.py``)."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path


def _push_command(args: argparse.Namespace) -> int:
    from ..api import open_build
    from ..push import push

    started = time.perf_counter()
    pushed = push(open_build(args.db).folder, args.store, args.graph_per_document)
    triples = sum(p.triples for p in pushed)
    print(
        f"pushed {len(pushed)} graph(s), {triples} triples, to {args.store} "
        f"in {time.perf_counter() - started:.2f} s",
        file=sys.stderr,
    )
    return 0


def register(commands) -> None:
    push_parser = commands.add_parser(
        "push", help="send the graph to a SPARQL 1.1 Graph Store (Oxigraph, Fuseki, ...) over HTTP"
    )
    push_parser.add_argument(
        "--store", required=True, help="the store's Graph Store URL, e.g. http://127.0.0.1:7878/store"
    )
    push_parser.add_argument(
        "--graph-per-document",
        action="store_true",
        help="split the asserted graph into one named graph per document (as 'mskg export --format nquads')",
    )
    push_parser.add_argument("--db", type=Path, help="build folder (default: $MSKG_DB, else db)")
    push_parser.set_defaults(run=_push_command)
