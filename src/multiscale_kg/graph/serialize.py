"""Writing the dataset: TriG (named graphs), N-Quads, Turtle, N-Triples and JSON-LD (inline context).

pyoxigraph writes every format (rdflib's Turtle writer is superlinear: minutes at corpus scale). Quads are
sorted before writing, so the same dataset always gives the same bytes. The dataset formats (TriG, N-Quads,
JSON-LD, whose top-level ``@graph`` holds one ``{"@id": graph, "@graph": [...]}`` object per named graph)
keep the named graphs; the single-graph formats (Turtle, N-Triples) hold their union.
"""

from __future__ import annotations

import json
from pathlib import Path

import pyoxigraph as ox
from rdflib import BNode, Dataset, Literal, URIRef

from .namespaces import PREFIXES

FORMATS = {
    "trig": "multiscale.trig",
    "ttl": "multiscale.ttl",
    "nt": "multiscale.nt",
    "nq": "multiscale.nq",
    "jsonld": "multiscale.jsonld",
}
_OX_FORMATS = {
    "trig": ox.RdfFormat.TRIG,
    "nq": ox.RdfFormat.N_QUADS,
    "ttl": ox.RdfFormat.TURTLE,
    "nt": ox.RdfFormat.N_TRIPLES,
    "jsonld": ox.RdfFormat.JSON_LD,
}
_PREFIXES = {prefix: str(namespace) for prefix, namespace in PREFIXES.items()}
#: formats that carry the named graphs
DATASET_FORMATS = ("trig", "nq", "jsonld")


def to_ox(term) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise TypeError(f"not an RDF term: {term!r}")


def _graph_name(context) -> ox.NamedNode | ox.DefaultGraph:
    name = getattr(context, "identifier", context)
    if name is None or str(name).startswith("urn:x-rdflib:"):
        return ox.DefaultGraph()
    return ox.NamedNode(str(name))


def quads(dataset: Dataset) -> list[ox.Quad]:
    """The dataset's quads in a fixed order (graph, subject, predicate, object by their N-Quads form)."""
    found = {ox.Quad(to_ox(s), to_ox(p), to_ox(o), _graph_name(g)) for s, p, o, g in dataset.quads()}
    return sorted(found, key=lambda q: (str(q.graph_name), str(q.subject), str(q.predicate), str(q.object)))


def triples(dataset: Dataset) -> list[ox.Triple]:
    found = {ox.Triple(q.subject, q.predicate, q.object) for q in quads(dataset)}
    return sorted(found, key=lambda t: (str(t.subject), str(t.predicate), str(t.object)))


def serialize(dataset: Dataset, fmt: str) -> bytes:
    if fmt not in _OX_FORMATS:
        raise ValueError(f"unknown RDF format {fmt!r}; expected one of {sorted(_OX_FORMATS)}")
    return _serialized(quads(dataset) if fmt in DATASET_FORMATS else triples(dataset), fmt)


def write_all(dataset: Dataset, folder: Path) -> None:
    ordered = quads(dataset)
    single = sorted(
        {ox.Triple(q.subject, q.predicate, q.object) for q in ordered},
        key=lambda t: (str(t.subject), str(t.predicate), str(t.object)),
    )
    for fmt, name in FORMATS.items():
        statements = ordered if fmt in DATASET_FORMATS else single
        (folder / name).write_bytes(_serialized(statements, fmt))


def _serialized(statements: list, fmt: str) -> bytes:
    if fmt == "jsonld":  # expanded JSON-LD under an inline context of our prefixes: nothing to fetch
        expanded = json.loads(ox.serialize(statements, format=ox.RdfFormat.JSON_LD))
        document = {"@context": dict(sorted(_PREFIXES.items())), "@graph": expanded}
        return (json.dumps(document, ensure_ascii=False, indent=1) + "\n").encode("utf-8")
    prefixes = None if fmt in ("nt", "nq") else _PREFIXES
    return ox.serialize(statements, format=_OX_FORMATS[fmt], prefixes=prefixes)
