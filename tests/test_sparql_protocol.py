"""The SPARQL 1.1 Protocol at /-/sparql, everything beyond the basics of test_publish_sparql.py: XML results,
every graph format, the format parameters clients send, the protocol's dataset, relative IRIs, methods,
CORS, Vary, the Service Description, the page's table, and a failure of the worker as the server's 500."""

from __future__ import annotations

import logging
import urllib.parse
import xml.etree.ElementTree as ET

import pyoxigraph as ox
import pytest
from rdflib import Dataset, Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF

from multiscale_kg.publish import sparql_pool, sparql_worker
from multiscale_kg.publish.query_guard import BASE_IRI, in_query_order
from multiscale_kg.publish.results import GRAPH_FORMATS

from .test_publish import Site
from .test_publish_sparql import ANT_NEST, CONSTRUCT, FEATURE_BINDINGS, FEATURES, query_url

SRX = "{http://www.w3.org/2005/sparql-results#}"
SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
VOID = Namespace("http://rdfs.org/ns/void#")
GRAPH = "https://w3id.org/multiscale-kg/graph/"
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
PREFIXES = (
    "PREFIX mskg: <https://w3id.org/multiscale-kg/ontology#> "
    "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>"
)
FEATURE_PAIRS = {
    (ANT_NEST, "https://w3id.org/multiscale-kg/id/feature/internal-nanopores"),
    (ANT_NEST, "https://w3id.org/multiscale-kg/id/feature/micrometre-particle-size"),
}


@pytest.fixture(scope="module")
def site(built):
    site = Site(built)
    yield site
    site.close()


@pytest.fixture(scope="module")
def graph_sizes(built) -> dict[str, int]:
    """Triples per named graph, counted in the build's N-Quads."""
    dataset = Dataset()
    dataset.parse(built / "multiscale.nq", format="nquads")
    return {str(g.identifier): len(g) for g in dataset.graphs() if str(g.identifier).startswith(GRAPH)}


def request(site, method: str, path: str, **kwargs):
    return site.loop.run_until_complete(site.datasette.client.request(method, path, **kwargs))


def count(site, path: str) -> int:
    response = site.get(path, accept="application/sparql-results+json")
    assert response.status_code == 200, response.text
    return int(response.json()["results"]["bindings"][0]["n"]["value"])


def xml_bindings(text: str) -> tuple[list[str], list[dict[str, str]]]:
    root = ET.fromstring(text)
    variables = [v.get("name") for v in root.iter(SRX + "variable")]
    rows = [
        {b.get("name"): next(iter(b)).text for b in result.iter(SRX + "binding")}
        for result in root.iter(SRX + "result")
    ]
    return variables, rows


# -- result formats ------------------------------------------------------------------------------------------


def test_select_and_ask_answer_sparql_results_xml(site):
    response = site.get(query_url(FEATURES), accept="application/sparql-results+xml")
    assert response.headers["content-type"] == "application/sparql-results+xml; charset=utf-8"
    variables, rows = xml_bindings(response.text)
    assert variables == ["feature", "label"]
    assert rows == [{k: v["value"] for k, v in binding.items()} for binding in FEATURE_BINDINGS]
    ask = site.get(query_url(f"ASK {{ <{ANT_NEST}> ?p ?o }}"), accept="application/sparql-results+xml")
    assert ET.fromstring(ask.text).find(SRX + "boolean").text == "true"


@pytest.mark.parametrize("name", list(GRAPH_FORMATS))
def test_a_graph_answers_in_every_rdf_format(site, name):
    media = GRAPH_FORMATS[name][0]
    response = site.get(query_url(CONSTRUCT), accept=media)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == f"{media}; charset=utf-8"
    parsed = Dataset()
    parsed.parse(data=response.text, format=media)  # rdflib 7.0 returns the graph parsed into
    assert {(str(s), str(o)) for s, _, o, _ in parsed.quads()} == FEATURE_PAIRS


@pytest.mark.parametrize(
    ("params", "query", "media"),
    [
        # SPARQLWrapper's defaults: XML, named in three parameters
        ({"format": "xml", "output": "xml", "results": "xml"}, FEATURES, "application/sparql-results+xml"),
        ({"format": "xml", "output": "xml", "results": "xml"}, CONSTRUCT, "application/rdf+xml"),
        ({"format": ["tsv", "text/tab-separated-values"]}, FEATURES, "text/tab-separated-values"),
        ({"format": ["json-ld", "application/ld+json"]}, CONSTRUCT, "application/ld+json"),
        ({"format": ["rdf+xml", "application/rdf+xml"]}, CONSTRUCT, "application/rdf+xml"),
        ({"output": "json"}, FEATURES, "application/sparql-results+json"),
        ({"results": "csv"}, FEATURES, "text/csv"),
        ({"format": "n3"}, CONSTRUCT, "text/turtle"),
        ({"format": "application/n-quads"}, CONSTRUCT, "application/n-quads"),
    ],
)
def test_format_parameters_as_clients_send_them(site, params, query, media):
    path = "/-/sparql?" + urllib.parse.urlencode({"query": query, **params}, doseq=True)
    response = site.get(path, accept="application/sparql-results+xml")
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == f"{media}; charset=utf-8"


def test_an_unknown_format_is_refused_with_the_known_ones(site):
    response = site.get(query_url(FEATURES, format="yaml"))
    assert response.status_code == 400
    assert response.text == (
        "format 'yaml' is not available for SELECT and ASK; expected one of application/json, "
        "application/sparql-results+json, application/sparql-results+xml, application/xhtml+xml, "
        "application/xml, csv, html, json, text/csv, text/html, text/tab-separated-values, text/xml, tsv, "
        "xml\n"
    )


# -- the query -----------------------------------------------------------------------------------------------


def test_relative_iris_resolve_against_the_documented_base(site):
    assert BASE_IRI == "https://w3id.org/multiscale-kg/id/"
    response = site.get(query_url("CONSTRUCT { <s> <p> 1 } WHERE {}"), accept="application/n-triples")
    assert response.status_code == 200, response.text
    assert response.text == f'<{BASE_IRI}s> <{BASE_IRI}p> "1"^^<http://www.w3.org/2001/XMLSchema#integer> .\n'
    described = Graph().parse(
        data=site.get(query_url("DESCRIBE <strategy/ant-nest-si>")).text, format="turtle"
    )
    assert (
        URIRef(ANT_NEST),
        RDF.type,
        URIRef("https://w3id.org/multiscale-kg/ontology#Strategy"),
    ) in described
    # a BASE in the query wins
    based = site.get(
        query_url("BASE <http://example.org/> CONSTRUCT { <s> <p> 1 } WHERE {}"), accept="text/turtle"
    )
    assert (URIRef("http://example.org/s"), URIRef("http://example.org/p"), Literal(1)) in Graph().parse(
        data=based.text, format="turtle"
    )


def test_select_star_keeps_the_variables_in_the_order_of_the_query(site):
    query = (
        f"{PREFIXES} SELECT * WHERE {{ ?strategy mskg:hasFeature ?feature . ?feature rdfs:label ?label }} "
        "LIMIT 1"
    )
    assert site.get(query_url(query)).json()["head"]["vars"] == ["strategy", "feature", "label"]
    assert in_query_order('SELECT * { ?b <x?a> "?c" . ?a ?c ?b } # ?z', ["a", "b", "c"]) == ["b", "a", "c"]


def test_a_query_the_engine_cannot_evaluate_is_the_clients_400(site):
    response = site.get(query_url("SELECT (<http://example.org/f>(1) AS ?x) WHERE {}"))
    assert response.status_code == 400
    assert response.text == "query failed: The custom function <http://example.org/f> is not supported\n"


# -- the dataset ---------------------------------------------------------------------------------------------


def test_default_graph_uri_and_from_choose_among_the_named_graphs(site, graph_sizes):
    ontology = GRAPH + "ontology"
    assert count(site, query_url(COUNT, **{"default-graph-uri": ontology})) == graph_sizes[ontology]
    assert count(site, query_url(COUNT.replace("WHERE", f"FROM <{ontology}> WHERE"))) == graph_sizes[ontology]
    both = "/-/sparql?" + urllib.parse.urlencode(
        {"query": COUNT, "default-graph-uri": [ontology, GRAPH + "inferred"]}, doseq=True
    )
    assert count(site, both) == graph_sizes[ontology] + graph_sizes[GRAPH + "inferred"]
    # not one of ours: an empty default graph, nothing fetched
    assert count(site, query_url(COUNT, **{"default-graph-uri": "http://example.org/elsewhere"})) == 0
    # without either: the union of all graphs
    assert count(site, query_url(COUNT)) == count(
        site, query_url(COUNT.replace("?s ?p ?o", "GRAPH ?g { ?s ?p ?o }"))
    )


def test_named_graph_uri_limits_graph_and_the_protocol_overrides_from(site):
    graphs = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } } ORDER BY ?g"
    everything = site.get(query_url(graphs)).json()["results"]["bindings"]
    assert [b["g"]["value"] for b in everything] == [
        GRAPH + "asserted",
        GRAPH + "inferred",
        GRAPH + "ontology",
    ]
    named = site.get(query_url(graphs, **{"named-graph-uri": GRAPH + "inferred"})).json()["results"][
        "bindings"
    ]
    assert [b["g"]["value"] for b in named] == [GRAPH + "inferred"]
    overridden = query_url(
        COUNT.replace("WHERE", f"FROM <{GRAPH}ontology> WHERE"), **{"named-graph-uri": GRAPH + "inferred"}
    )
    assert count(site, overridden) == 0  # the protocol's dataset has no default graph here


# -- methods, CORS, Vary -------------------------------------------------------------------------------------


@pytest.mark.parametrize("method", ["PUT", "DELETE", "PATCH"])
def test_other_methods_get_405_with_allow(site, method):
    response = request(site, method, query_url(FEATURES))
    assert response.status_code == 405
    assert response.headers["allow"] == "GET, HEAD, POST, OPTIONS"
    assert response.text == f"method {method} is not allowed: SPARQL queries are GET or POST\n"


def test_cors_preflight_and_headers_on_every_answer(site):
    preflight = request(
        site,
        "OPTIONS",
        "/-/sparql",
        headers={
            "origin": "https://notebook.example",
            "access-control-request-method": "POST",
            "access-control-request-headers": "content-type",
        },
    )
    assert preflight.status_code == 204
    assert preflight.headers["access-control-allow-origin"] == "*"
    assert preflight.headers["access-control-allow-methods"] == "GET, POST, OPTIONS"
    assert preflight.headers["access-control-allow-headers"] == "content-type"
    assert preflight.headers["access-control-max-age"] == "86400"
    for response in (
        site.get(query_url(FEATURES), origin="https://notebook.example"),
        site.get(query_url("SELEKT"), origin="https://notebook.example"),
        site.post(
            "/-/sparql",
            content=FEATURES.encode(),
            headers={"content-type": "application/sparql-query", "origin": "https://notebook.example"},
        ),
    ):
        assert response.headers["access-control-allow-origin"] == "*"
        assert response.headers["vary"].split(", ")[0] == "Accept"


# -- malformed requests --------------------------------------------------------------------------------------


def test_a_query_given_twice_is_refused_however_it_comes(site):
    form = site.post(
        query_url("ASK {}"),
        content=urllib.parse.urlencode({"query": FEATURES}),
        headers={"content-type": "application/x-www-form-urlencoded"},
    )
    assert (form.status_code, form.text) == (400, "2 query parameters: send exactly one query\n")
    direct = site.post(
        query_url("ASK {}"), content=b"ASK {}", headers={"content-type": "application/sparql-query"}
    )
    assert direct.status_code == 400


def test_a_body_must_be_utf8(site):
    utf16 = site.post(
        "/-/sparql",
        content="ASK {}".encode("utf-16"),
        headers={"content-type": "application/sparql-query; charset=UTF-16"},
    )
    assert (utf16.status_code, utf16.text) == (
        415,
        "charset 'utf-16' is not supported: send the request body as UTF-8\n",
    )
    broken = site.post(
        "/-/sparql", content=b"ASK {} #\xff", headers={"content-type": "application/sparql-query"}
    )
    assert (broken.status_code, broken.text) == (
        400,
        "the request body is not UTF-8 (invalid start byte at byte 8)\n",
    )


# -- the service description ---------------------------------------------------------------------------------


def test_a_get_without_a_query_describes_the_service(site, graph_sizes):
    response = site.get("/-/sparql", accept="text/turtle")
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/turtle; charset=utf-8"
    description = Graph().parse(data=response.text, format="turtle")
    service = URIRef("http://localhost/-/sparql")
    assert (service, RDF.type, SD.Service) in description
    assert (service, SD.endpoint, service) in description
    assert (service, SD.supportedLanguage, SD.SPARQL11Query) in description
    assert (service, SD.feature, SD.UnionDefaultGraph) in description
    assert len(list(description.objects(service, SD.resultFormat))) == 10
    named = {
        str(description.value(g, SD.name)): description.value(
            description.value(g, SD.graph), VOID.triples
        ).toPython()
        for g in description.subjects(RDF.type, SD.NamedGraph)
    }
    assert named == graph_sizes
    assert BASE_IRI in str(description.value(service, URIRef("http://www.w3.org/2000/01/rdf-schema#comment")))
    # curl's */* gets it too; a browser gets the page
    assert site.get("/-/sparql", accept="*/*").headers["content-type"] == "text/turtle; charset=utf-8"
    assert '<textarea name="query"' in site.get("/-/sparql", accept="text/html").text


# -- the page ------------------------------------------------------------------------------------------------


def test_the_page_shows_labels_beside_our_iris_and_language_tags_as_small_marks(site):
    query = (
        f"{PREFIXES} SELECT * WHERE {{ <{ANT_NEST}> mskg:hasFeature ?feature . ?feature rdfs:label ?label }} "
        "ORDER BY ?feature"
    )
    page = site.get(query_url(query), accept="text/html").text
    assert "<thead><tr><th>feature</th><th>label</th></tr></thead>" in page
    assert (
        '<td class="mskg-uri"><a href="/multiscale/features/internal-nanopores">feature/internal-nanopores'
        '</a> <span class="mskg-label">'
        "Nanopores inside micrometre particles (buffer space for volume change)</span></td>"
    ) in page
    tagged = site.get(
        query_url("SELECT ?x WHERE { BIND(STRLANG('grain', 'en') AS ?x) }"), accept="text/html"
    ).text
    assert '<td class="mskg-literal">grain <span class="mskg-lang" title="language">en</span></td>' in tagged


# -- failures of the server ----------------------------------------------------------------------------------


class _BrokenStore:
    def query(self, *args, **kwargs):
        raise OSError("storage unreadable")


def test_a_failure_in_the_worker_is_a_500_with_a_log_line(site, monkeypatch, caplog):
    request_ = {"query": "ASK {}", "format": "json", "max_rows": 10, "time_limit_s": 5, "dataset": None}
    reply = sparql_worker.answer(_BrokenStore(), request_)
    assert reply["status"] == 500
    assert reply["error"] == "internal error in the SPARQL worker (the server log has the details)"
    assert reply["detail"].startswith("OSError: storage unreadable\n")
    assert sparql_worker.answer(ox.Store(), request_) == {
        "status": 200,
        "table": {"type": "ASK", "vars": [], "rows": [], "boolean": True},
    }
    monkeypatch.setattr(sparql_pool.WorkerPool, "run", lambda self, query, fmt, dataset=None: reply)
    with caplog.at_level(logging.ERROR, logger="multiscale_kg.publish.sparql_endpoint"):
        response = site.get(query_url("ASK {}"))
    assert (response.status_code, response.text) == (500, reply["error"] + "\n")
    assert [r.getMessage().splitlines()[0] for r in caplog.records] == [
        "SPARQL worker failed on the query 'ASK {}': OSError: storage unreadable"
    ]
