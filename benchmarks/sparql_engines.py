"""rdflib's default (Memory) store against the Oxigraph-backed store (oxrdflib), on every named query.

Run: python -m benchmarks.sparql_engines [--db db]  → benchmarks/results/sparql-engines.md
"""

from __future__ import annotations

import argparse
from decimal import Decimal
from pathlib import Path

import pyoxigraph as ox

from multiscale_kg.api import load_dataset
from multiscale_kg.graph.serialize import FORMATS
from multiscale_kg.queries.sparql import checked, named_queries, run, run_store

from .common import header, measure, write


def _value(term) -> str:
    if term is None:
        return ""
    value = term.toPython()
    return format(value.normalize(), "f") if isinstance(value, Decimal) else str(value)


def _joined(value: str) -> str:
    """A list of numbers made by GROUP_CONCAT ("62,61") sorted: SPARQL leaves their order to the store."""
    parts = value.split(",")
    return ",".join(sorted(parts, key=int)) if len(parts) > 1 and all(p.isdigit() for p in parts) else value


def answers(graph, text: str) -> list[tuple]:
    """Rows as Python values, sorted: the stores differ only in literal spelling (xsd:string, "62.0") and
    in the order GROUP_CONCAT joins values. ``graph``: an rdflib Dataset, or a pyoxigraph store queried
    directly (a build's store)."""
    result = run_store(graph, text) if isinstance(graph, ox.Store) else run(graph, text)
    return sorted(tuple(_joined(_value(v)) for v in row) for row in result)


def main(argv: list[str] | None = None) -> Path:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", type=Path, default=Path("db"))
    args = parser.parse_args(argv)
    nq = args.db / FORMATS["nq"]
    load_memory = measure(lambda: load_dataset(nq, store="default"), runs=5)
    load_ox = measure(lambda: load_dataset(nq), runs=5)
    memory, oxigraph = load_dataset(nq, store="default"), load_dataset(nq)
    lines = header(
        "SPARQL engines: rdflib Memory store vs Oxigraph-backed store", ["rdflib", "oxrdflib", "pyoxigraph"]
    )
    lines += [
        f"Dataset: {nq} ({len(oxigraph)} quads).",
        "",
        "| query | rdflib Memory | Oxigraph store | speed-up | same answers |",
        "|---|---|---|---|---|",
        f"| load N-Quads | {load_memory.ms()} | {load_ox.ms()} | {load_memory.median / load_ox.median:.1f}x |"
        " |",
    ]
    for name, query in named_queries().items():
        checked(query.text)
        slow = measure(lambda q=query.text: list(run(memory, q)))
        fast = measure(lambda q=query.text: list(run(oxigraph, q)))
        same = answers(memory, query.text) == answers(oxigraph, query.text)
        lines.append(f"| {name} | {slow.ms()} | {fast.ms()} | {slow.median / fast.median:.1f}x | {same} |")
    lines += ["", "Kept: the Oxigraph-backed store (api.load_dataset), which gives the same answers."]
    path = write("sparql-engines", lines)
    print("\n".join(lines))
    return path


if __name__ == "__main__":
    main()
