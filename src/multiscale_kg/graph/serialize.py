"""Writing the dataset: TriG (named graphs), N-Quads, Turtle, N-Triples and JSON-LD (inline context).

A build writes N-Quads only (``BUILT``); the other formats are written on demand by ``mskg export`` from the
build's quads (``serialize_quads``). pyoxigraph writes every format (rdflib's Turtle writer is superlinear:
minutes at corpus scale). Quads are sorted before writing, so the same dataset always gives the same bytes.
The dataset formats (TriG, N-Quads, JSON-LD, whose top-level ``@graph`` holds one ``{"@id": graph, "@graph":
[...]}`` object per named graph) keep the named graphs; the single-graph formats (Turtle, N-Triples) hold
their union.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path

import pyoxigraph as ox
from rdflib import BNode, Dataset, Literal, URIRef

from .namespaces import PREFIXES

#: the file name of each format
FORMATS = {
    "trig": "multiscale.trig",
    "ttl": "multiscale.ttl",
    "nt": "multiscale.nt",
    "nq": "multiscale.nq",
    "jsonld": "multiscale.jsonld",
}
#: the formats a build writes; ``mskg export`` makes the others from them
BUILT = ("nq",)
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


def _ordered(found: Iterable[ox.Quad]) -> list[ox.Quad]:
    """Quads in a fixed order (graph, subject, predicate, object by their N-Quads form), each once."""
    return sorted(
        set(found), key=lambda q: (str(q.graph_name), str(q.subject), str(q.predicate), str(q.object))
    )


def quads(dataset: Dataset) -> list[ox.Quad]:
    """The dataset's quads in a fixed order."""
    return _ordered(ox.Quad(to_ox(s), to_ox(p), to_ox(o), _graph_name(g)) for s, p, o, g in dataset.quads())


def _triples(ordered: Iterable[ox.Quad]) -> list[ox.Triple]:
    found = {ox.Triple(q.subject, q.predicate, q.object) for q in ordered}
    return sorted(found, key=lambda t: (str(t.subject), str(t.predicate), str(t.object)))


def serialize_quads(found: Iterable[ox.Quad], fmt: str) -> bytes:
    """``found`` in one format: the quads (TriG, N-Quads) or the union of their graphs (the others)."""
    if fmt not in _OX_FORMATS:
        raise ValueError(f"unknown RDF format {fmt!r}; expected one of {sorted(_OX_FORMATS)}")
    ordered = _ordered(found)
    return _serialized(ordered if fmt in DATASET_FORMATS else _triples(ordered), fmt)


def write_built(dataset: Dataset, folder: Path) -> None:
    """The serialisations a build writes (``BUILT``): N-Quads, from which ``mskg export`` makes the others."""
    ordered = quads(dataset)
    for fmt in BUILT:
        (folder / FORMATS[fmt]).write_bytes(_serialized(ordered, fmt))


def _serialized(statements: list, fmt: str) -> bytes:
    if fmt == "jsonld":  # expanded JSON-LD under an inline context of our prefixes: nothing to fetch
        expanded = json.loads(ox.serialize(statements, format=ox.RdfFormat.JSON_LD))
        document = {"@context": dict(sorted(_PREFIXES.items())), "@graph": expanded}
        return (json.dumps(document, ensure_ascii=False, indent=1) + "\n").encode("utf-8")
    prefixes = None if fmt in ("nt", "nq") else _PREFIXES
    return ox.serialize(statements, format=_OX_FORMATS[fmt], prefixes=prefixes)
