"""The published JSON-LD keeps the named graphs: read by pyld (an independent JSON-LD processor, offline),
it gives exactly the quads of the N-Quads file."""

from __future__ import annotations

import json

from pyld import jsonld

from multiscale_kg.export import serialized
from multiscale_kg.graph.serialize import FORMATS

GRAPH = "https://w3id.org/multiscale-kg/graph/"


def _no_remote_documents(url, options=None):
    raise AssertionError(f"the JSON-LD asked for a remote document: {url}")


def _quads(nquads: str) -> set[str]:
    return {line.strip() for line in nquads.splitlines() if line.strip()}


def test_json_ld_has_a_graph_object_per_named_graph(built):
    document = json.loads(serialized(built, "jsonld"))
    names = [node["@id"] for node in document["@graph"]]
    assert names == [GRAPH + "asserted", GRAPH + "inferred", GRAPH + "ontology"]
    assert all(node["@graph"] for node in document["@graph"])


def test_json_ld_round_trips_through_pyld_to_the_n_quads(built):
    document = json.loads(serialized(built, "jsonld"))
    read = jsonld.to_rdf(document, {"format": "application/n-quads", "documentLoader": _no_remote_documents})
    expected = _quads((built / FORMATS["nq"]).read_text(encoding="utf-8"))
    assert _quads(read) == expected
