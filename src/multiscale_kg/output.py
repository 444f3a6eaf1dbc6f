"""Printing query results: an aligned table for people, JSON, CSV or TSV for programs."""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Sequence

from tabulate import tabulate

ENTITY_BASE = "https://w3id.org/multiscale-kg/id/"


def print_rows(columns: Sequence[str], rows: Sequence[Sequence], fmt: str = "table") -> None:
    out = sys.stdout
    if fmt == "json":
        json.dump([dict(zip(columns, row, strict=True)) for row in rows], out, ensure_ascii=False, indent=1)
        out.write("\n")
    elif fmt in ("csv", "tsv"):
        writer = csv.writer(out, delimiter="," if fmt == "csv" else "\t", lineterminator="\n")
        writer.writerow(columns)
        writer.writerows(rows)
    else:
        out.write(tabulate(rows, headers=list(columns), tablefmt="simple", disable_numparse=True) + "\n")


def _term(node, namespace_manager) -> str:
    from rdflib import Literal, URIRef

    if node is None:
        return ""
    if isinstance(node, URIRef):
        if str(node).startswith(ENTITY_BASE):  # our ids read best as kind/id: "id:drawback/micro-fracture"
            return "id:" + str(node)[len(ENTITY_BASE) :]
        try:
            return namespace_manager.normalizeUri(node)
        except Exception:
            return str(node)
    if isinstance(node, Literal):
        return str(node)
    return node.n3()


def print_sparql(result, fmt: str = "table") -> bool:
    """Print a SPARQL result; True when it has rows (SELECT), is true (ASK) or has triples (CONSTRUCT).

    JSON, CSV and TSV are written by the SPARQL endpoint's writers (``publish/results.py``), so the command
    line and the endpoint give the same bytes (CSV with plain line ends here)."""
    from rdflib import Graph

    from .graph.namespaces import PREFIXES
    from .publish.results import TABLE_FORMATS, term

    out = sys.stdout
    if result.type == "ASK":
        answer = bool(result.askAnswer)
        if fmt == "json":
            out.write(TABLE_FORMATS["json"][1]({"type": "ASK", "boolean": answer}).decode() + "\n")
        else:
            out.write(("true" if answer else "false") + "\n")
        return answer
    if result.type in ("CONSTRUCT", "DESCRIBE"):
        graph = result.graph
        out.write(graph.serialize(format="nt" if fmt in ("csv", "tsv") else "turtle"))
        return len(graph) > 0
    names = [str(v) for v in result.vars]
    rows = list(result)
    if fmt in TABLE_FORMATS:
        table = {"type": "SELECT", "vars": names, "rows": [[term(row[n]) for n in names] for row in rows]}
        written = TABLE_FORMATS[fmt][1](table).decode("utf-8")
        out.write(written.replace("\r\n", "\n") + ("\n" if fmt == "json" else ""))
    else:
        prefixes = Graph()
        for prefix, namespace in PREFIXES.items():
            prefixes.bind(prefix, namespace)
        table = [[_term(row[n], prefixes.namespace_manager) for n in names] for row in rows]
        print_rows(names, table, "table")
    return bool(rows)
