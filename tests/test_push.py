"""Beyond one process: N-Quads with a graph per document, and ``mskg push`` to a real Oxigraph server.

The server is the ``oxigraph`` package from PyPI (the test extra), started on 127.0.0.1 with
``oxigraph serve --location DIR --bind 127.0.0.1:PORT``. After a push, every named query is sent to it over
HTTP (SPARQL 1.1 Protocol, the union of the named graphs as the default graph) and its answers are compared
with the embedded store's, value by value.
"""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pyoxigraph as ox
import pytest
from benchmarks.sparql_engines import _value, answers
from rdflib import BNode, Literal, URIRef

from multiscale_kg.api import load_dataset
from multiscale_kg.cli import main
from multiscale_kg.graph.namespaces import PREFIXES
from multiscale_kg.graph.serialize import FORMATS
from multiscale_kg.queries.sparql import named_queries

GRAPHS = "https://w3id.org/multiscale-kg/graph/"
BY_DOCUMENT = {
    GRAPHS + "document/nano-vs-micro",
    GRAPHS + "asserted",
    GRAPHS + "inferred",
    GRAPHS + "ontology",
}
AS_BUILT = {GRAPHS + "asserted", GRAPHS + "inferred", GRAPHS + "ontology"}


def _oxigraph() -> str:
    found = shutil.which("oxigraph") or shutil.which("oxigraph", path=str(Path(sys.executable).parent))
    if found is None:
        pytest.skip("the Oxigraph server is not installed: pip install oxigraph (in the test extra)")
    return found


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture()
def server(tmp_path):
    """An empty Oxigraph server on 127.0.0.1; yields its base URL."""
    port = _free_port()
    process = subprocess.Popen(
        [_oxigraph(), "serve", "--location", str(tmp_path / "store"), "--bind", f"127.0.0.1:{port}"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(base + "/", timeout=2):
                    break
            except urllib.error.HTTPError:
                break  # it answers
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"oxigraph serve did not start: {process.stderr.read().decode()[-500:]}")
                time.sleep(0.05)
        yield base
    finally:
        process.terminate()
        process.wait(10)


def remote(base: str, query: str) -> dict:
    prefixes = "".join(f"PREFIX {p}: <{n}>\n" for p, n in PREFIXES.items())
    request = urllib.request.Request(
        base + "/query?union-default-graph",
        data=(prefixes + query).encode("utf-8"),
        headers={"Content-Type": "application/sparql-query", "Accept": "application/sparql-results+json"},
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.load(response)


def _term(binding: dict | None):
    if binding is None:
        return None
    if binding["type"] == "uri":
        return URIRef(binding["value"])
    if binding["type"] == "bnode":
        return BNode(binding["value"])
    datatype = binding.get("datatype")
    return Literal(
        binding["value"], lang=binding.get("xml:lang"), datatype=URIRef(datatype) if datatype else None
    )


def remote_answers(base: str, query: str) -> list[tuple]:
    """Rows as Python values, sorted, exactly as ``benchmarks.sparql_engines.answers`` makes them."""
    result = remote(base, query)
    variables = result["head"]["vars"]
    rows = result["results"]["bindings"]
    return sorted(tuple(_value(_term(row.get(v))) for v in variables) for row in rows)


def concat_as_set(rows: list[tuple]) -> list[tuple]:
    """Lists of numbers made by GROUP_CONCAT ("62,61") sorted: SPARQL leaves their order to the store."""

    def cell(value: str) -> str:
        parts = value.split(",")
        return (
            ",".join(sorted(parts, key=int)) if len(parts) > 1 and all(p.isdigit() for p in parts) else value
        )

    return sorted(tuple(cell(v) for v in row) for row in rows)


def graphs(base: str) -> set[str]:
    result = remote(base, "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
    return {row["g"]["value"] for row in result["results"]["bindings"]}


@pytest.fixture(scope="module")
def embedded(built):
    return load_dataset(built / FORMATS["nq"])


def test_push_per_document_answers_every_named_query_as_the_embedded_store(server, built, embedded, capsys):
    assert main(["push", "--store", server + "/store", "--graph-per-document", "--db", str(built)]) == 0
    assert "pushed 4 graph(s)" in capsys.readouterr().err
    assert graphs(server) == BY_DOCUMENT
    for name, query in named_queries().items():
        expected = concat_as_set(answers(embedded, query.text))
        assert expected, name
        assert concat_as_set(remote_answers(server, query.text)) == expected, name


def test_push_as_built_keeps_the_builds_graphs_and_replaces_them_on_a_second_push(server, built, embedded):
    for _ in range(2):
        assert main(["push", "--store", server + "/store", "--db", str(built)]) == 0
    assert graphs(server) == AS_BUILT
    count = remote(server, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")["results"]["bindings"][0]["n"][
        "value"
    ]
    assert int(count) == len(embedded)


def test_push_to_an_unreachable_store_exits_2_naming_it(built, capsys):
    url = f"http://127.0.0.1:{_free_port()}/store"
    assert main(["push", "--store", url, "--db", str(built)]) == 2
    error = capsys.readouterr().err
    assert "cannot reach the store" in error and url in error


def _kind(node) -> str:
    """ "material" for …/id/material/si; the IRI itself for anything else."""
    return node.value.split("/id/", 1)[1].split("/")[0] if "/id/" in node.value else node.value


def test_export_nquads_has_a_graph_per_document_and_the_same_statements(built, kb, tmp_path):
    target = tmp_path / "documents.nq"
    assert main(["export", "--format", "nquads", "--db", str(built), "--output", str(target)]) == 0
    exported = list(ox.parse(path=str(target), format=ox.RdfFormat.N_QUADS))
    as_built = list(ox.parse(path=str(built / FORMATS["nq"]), format=ox.RdfFormat.N_QUADS))
    assert {q.graph_name.value for q in exported} == BY_DOCUMENT
    assert len(exported) == len(as_built)
    assert {(q.subject, q.predicate, q.object) for q in exported} == {
        (q.subject, q.predicate, q.object) for q in as_built
    }
    # what belongs to no single document stays in the asserted graph: materials and the build's provenance
    left = [q.subject for q in exported if q.graph_name.value == GRAPHS + "asserted"]
    assert {_kind(s) for s in left} == {"material", "build", "agent", GRAPHS + "asserted"}
    assert len({s for s in left if _kind(s) == "material"}) == len(kb.materials)
    # the inferred and ontology graphs are the build's
    for name in ("inferred", "ontology"):
        assert sorted(str(q) for q in exported if q.graph_name.value == GRAPHS + name) == sorted(
            str(q) for q in as_built if q.graph_name.value == GRAPHS + name
        )
