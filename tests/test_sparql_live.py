"""The SPARQL endpoint of a running `mskg serve`, as the field tests it: the W3C SPARQL 1.1 Protocol test
suite (its query-side tests and every bad_query/bad_update test; the update tests need a writable store, and
the endpoint is read-only), and the clients people use, SPARQLWrapper and rdflib's SPARQLStore, with no option
set (both ask for XML results first; SPARQLWrapper also names the format in three parameters).

The suite is tests/w3c-sparql-protocol/ (copied from w3c/rdf-tests with its licence). Its manifest describes
each test as HTTP requests and the responses they must get; its data files are served as the named graphs the
tests name, beside the build's own graphs.
"""

from __future__ import annotations

import csv
import http.client
import io
import json
import shutil
import urllib.parse
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Dataset, Graph, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, RDFS

from multiscale_kg.graph.store import STORE_NAME

from .live import serving
from .test_publish_sparql import ANT_NEST, CONSTRUCT

SUITE = Path(__file__).resolve().parent / "w3c-sparql-protocol"
MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
HT = Namespace("http://www.w3.org/2011/http#")
CNT = Namespace("http://www.w3.org/2011/content#")
UT = Namespace("http://www.w3.org/2009/sparql/tests/test-update#")
SRX = "{http://www.w3.org/2005/sparql-results#}"
STRATEGY = URIRef("https://w3id.org/multiscale-kg/ontology#Strategy")
FEATURES = {
    "https://w3id.org/multiscale-kg/id/feature/internal-nanopores",
    "https://w3id.org/multiscale-kg/id/feature/micrometre-particle-size",
}
SELECT_FEATURES = (
    "PREFIX mskg: <https://w3id.org/multiscale-kg/ontology#> "
    f"SELECT ?feature WHERE {{ <{ANT_NEST}> mskg:hasFeature ?feature }} ORDER BY ?feature"
)
ASK_DATA1 = "ASK { <http://kasei.us/2009/09/sparql/data/data1.rdf> a <http://xmlns.com/foaf/0.1/Document> }"
DESCRIBE = f"DESCRIBE <{ANT_NEST}>"
#: the tests of the suite that apply to a read-only endpoint
APPLICABLE = ("query_", "bad_")


@dataclass
class Request:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes | None
    statuses: set[str]  # first digits of the status codes allowed
    expected_format: str | None
    expected_boolean: bool | None


@dataclass
class ProtocolTest:
    name: str
    requests: list[Request]
    graphs: dict[str, str]  # graph IRI → data file name


def _request(manifest: Graph, node) -> Request:
    headers = {}
    if (header_list := manifest.value(node, HT.headers)) is not None:
        for header in Collection(manifest, header_list):
            headers[str(manifest.value(header, HT.fieldName))] = str(manifest.value(header, HT.fieldValue))
    body = None
    if (content := manifest.value(node, HT.body)) is not None:
        encoding = str(manifest.value(content, CNT.characterEncoding))
        body = str(manifest.value(content, CNT.chars)).encode(encoding)
    response = manifest.value(node, HT.resp)
    boolean = manifest.value(response, MF.expectedBoolean)
    path = str(manifest.value(node, HT.absolutePath))
    assert path.startswith("/sparql/")
    return Request(
        method=str(manifest.value(node, HT.methodName)),
        path="/-/sparql" + path.removeprefix("/sparql/"),  # the manifest's /sparql/ is where the endpoint is
        headers=headers,
        body=body,
        statuses={
            str(s).rsplit("StatusCode", 1)[1][0] for s in manifest.objects(response, MF.expectedStatus)
        },
        expected_format=str(f) if (f := manifest.value(response, MF.expectedFormat)) is not None else None,
        expected_boolean=boolean.toPython() if boolean is not None else None,
    )


def suite() -> list[ProtocolTest]:
    manifest = Graph().parse(SUITE / "manifest.ttl", publicID=(SUITE / "manifest.ttl").as_uri())
    root = next(manifest.subjects(RDF.type, MF.Manifest))
    tests = []
    for node in Collection(manifest, manifest.value(root, MF.entries)):
        action = manifest.value(node, MF.action)
        graphs = {
            str(manifest.value(data, RDFS.label)): str(manifest.value(data, UT.graph)).rsplit("/", 1)[1]
            for data in manifest.objects(node, UT.graphData)
        }
        requests = [_request(manifest, r) for r in Collection(manifest, manifest.value(action, HT.requests))]
        tests.append(ProtocolTest(str(node).rsplit("#", 1)[1], requests, graphs))
    return tests


APPLICABLE_TESTS = [t for t in suite() if t.name.startswith(APPLICABLE)]


@pytest.fixture(scope="module")
def endpoint(built, tmp_path_factory) -> str:
    """`mskg serve` of a copy of the session's build whose store also holds the suite's data graphs."""
    folder = tmp_path_factory.mktemp("w3c") / "db"
    shutil.copytree(built, folder)
    graphs = {iri: name for test in APPLICABLE_TESTS for iri, name in test.graphs.items()}
    store = ox.Store(str(folder / STORE_NAME))  # the workers answer from the build's store
    for iri, name in sorted(graphs.items()):
        store.load(path=str(SUITE / name), format=ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode(iri))
    store.flush()
    del store  # closed: the server's workers open it read-only
    with serving(folder) as base:
        yield base + "/-/sparql"


def send(endpoint: str, request: Request) -> tuple[int, str, bytes]:
    where = urllib.parse.urlsplit(endpoint)
    connection = http.client.HTTPConnection(where.hostname, where.port, timeout=60)
    try:
        connection.request(request.method, request.path, body=request.body, headers=request.headers)
        response = connection.getresponse()
        return response.status, response.getheader("content-type", ""), response.read()
    finally:
        connection.close()


def parsed_boolean(media: str, body: bytes) -> bool:
    if media == "application/sparql-results+json":
        return json.loads(body)["boolean"]
    assert media == "application/sparql-results+xml", media
    return ET.fromstring(body).find(SRX + "boolean").text == "true"


def parsed_table(media: str, body: bytes) -> list[str]:
    """The variables of a tabular answer in any of the four result formats."""
    if media == "application/sparql-results+json":
        return json.loads(body)["head"]["vars"]
    if media == "application/sparql-results+xml":
        return [v.get("name") for v in ET.fromstring(body).iter(SRX + "variable")]
    if media == "text/csv":
        return next(csv.reader(io.StringIO(body.decode("utf-8"))))
    assert media == "text/tab-separated-values", media
    return [v.removeprefix("?") for v in body.decode("utf-8").splitlines()[0].split("\t")]


def test_the_suite_has_the_tests_a_read_only_endpoint_must_pass():
    names = [t.name for t in APPLICABLE_TESTS]
    assert len(names) == 27
    assert sum(name.startswith("query_") for name in names) == 13
    assert sum(name.startswith("bad_") for name in names) == 14
    skipped = sorted(t.name for t in suite() if t not in APPLICABLE_TESTS)
    assert all(name.startswith("update_") for name in skipped) and len(skipped) == 7


@pytest.mark.parametrize("test", APPLICABLE_TESTS, ids=lambda t: t.name)
def test_w3c_protocol(endpoint, test):
    for request in test.requests:
        status, content_type, body = send(endpoint, request)
        assert str(status)[0] in request.statuses, (status, body[:300])
        media = content_type.split(";")[0].strip()
        if request.expected_format == "boolean":
            answer = parsed_boolean(media, body)
            assert request.expected_boolean is None or answer is request.expected_boolean
        elif request.expected_format == "tabular":
            assert parsed_table(media, body) == ["value"]
        elif request.expected_format == "RDF":
            assert media in ("application/rdf+xml", "text/turtle", "application/n-triples")
            Graph().parse(data=body, format=media)


# -- SPARQLWrapper, as it comes ------------------------------------------------------------------------------


#: SPARQLWrapper parses RDF/XML into rdflib's ConjunctiveGraph, which rdflib now deprecates
pytestmark = pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning")


def _wrapper(endpoint: str, query: str):
    from SPARQLWrapper import SPARQLWrapper

    client = SPARQLWrapper(endpoint)
    client.setQuery(query)
    return client.query().convert()


def test_sparqlwrapper_select_and_ask(endpoint):
    document = _wrapper(endpoint, SELECT_FEATURES)  # XML results, as a DOM
    assert [u.firstChild.data for u in document.getElementsByTagName("uri")] == sorted(FEATURES)
    answer = _wrapper(endpoint, ASK_DATA1)
    assert answer.getElementsByTagName("boolean")[0].firstChild.data == "true"


def test_sparqlwrapper_construct_and_describe(endpoint):
    constructed = _wrapper(endpoint, CONSTRUCT)  # RDF/XML, parsed by rdflib
    assert {str(o) for _, _, o in constructed} == FEATURES
    described = _wrapper(endpoint, DESCRIBE)
    assert (URIRef(ANT_NEST), RDF.type, STRATEGY) in described
    assert {str(s) for s, _, _ in described} == {ANT_NEST}


# -- rdflib's SPARQLStore, as it comes -----------------------------------------------------------------------


@pytest.mark.parametrize("kind", [Graph, Dataset])
def test_rdflib_sparqlstore(endpoint, kind):
    from rdflib.plugins.stores.sparqlstore import SPARQLStore

    graph = kind(SPARQLStore(endpoint))
    assert [str(row[0]) for row in graph.query(SELECT_FEATURES)] == sorted(FEATURES)
    assert graph.query(ASK_DATA1).askAnswer is True
    assert {str(o) for _, _, o in graph.query(CONSTRUCT)} == FEATURES
    assert (URIRef(ANT_NEST), RDF.type, STRATEGY) in set(graph.query(DESCRIBE))
