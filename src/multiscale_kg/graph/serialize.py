"""Writing the dataset: TriG (named graphs), Turtle, N-Triples and N-Quads (sorted), JSON-LD (inline context).

N-Triples and N-Quads are sorted line by line, so a rebuild of the same input gives the same bytes.
"""

from __future__ import annotations

import json
from pathlib import Path

from rdflib import Dataset, Graph
from rdflib.plugins.serializers.nt import _nt_row

from .namespaces import PREFIXES

FORMATS = {
    "trig": "multiscale.trig",
    "ttl": "multiscale.ttl",
    "nt": "multiscale.nt",
    "nq": "multiscale.nq",
    "jsonld": "multiscale.jsonld",
}


def union(dataset: Dataset) -> Graph:
    graph = Graph()
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace)
    for s, p, o, _ in dataset.quads():
        graph.add((s, p, o))
    return graph


def ntriples(dataset: Dataset) -> str:
    return "".join(sorted({_nt_row((s, p, o)) for s, p, o, _ in dataset.quads()}))


def nquads(dataset: Dataset) -> str:
    lines = set()
    for s, p, o, g in dataset.quads():
        row = _nt_row((s, p, o))
        name = getattr(g, "identifier", g)
        lines.add(
            row if name is None or str(name).startswith("urn:x-rdflib:") else f"{row[:-3]} <{name}> .\n"
        )
    return "".join(sorted(lines))


def jsonld(dataset: Dataset) -> str:
    context = {prefix: str(namespace) for prefix, namespace in PREFIXES.items()}
    data = json.loads(union(dataset).serialize(format="json-ld", context=context, auto_compact=True))
    graph = data.get("@graph", [])
    graph.sort(key=lambda node: node.get("@id", ""))
    return json.dumps(data, ensure_ascii=False, sort_keys=True, indent=1) + "\n"


def serialize(dataset: Dataset, fmt: str) -> str:
    if fmt == "nt":
        return ntriples(dataset)
    if fmt == "nq":
        return nquads(dataset)
    if fmt == "jsonld":
        return jsonld(dataset)
    if fmt == "ttl":
        return union(dataset).serialize(format="turtle")
    if fmt == "trig":
        return dataset.serialize(format="trig")
    raise ValueError(f"unknown RDF format {fmt!r}; expected one of {sorted(FORMATS)}")


def write_all(dataset: Dataset, folder: Path) -> None:
    for fmt, name in FORMATS.items():
        (folder / name).write_text(serialize(dataset, fmt), encoding="utf-8")
