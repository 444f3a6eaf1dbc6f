"""The SPARQL 1.1 Service Description of ``/-/sparql``: what a GET without a query answers, in Turtle.

It names the endpoint, the query language, the result formats, the default dataset (the union of the named
graphs, each listed with its triple count) and, in a comment, the base IRI of relative IRIs.
"""

from __future__ import annotations

from .query_guard import BASE_IRI

FORMATS_NS = "http://www.w3.org/ns/formats/"
#: result format name → its IRI in the W3C formats namespace
FORMAT_IRIS = {
    "json": "SPARQL_Results_JSON",
    "xml": "SPARQL_Results_XML",
    "csv": "SPARQL_Results_CSV",
    "tsv": "SPARQL_Results_TSV",
    "turtle": "Turtle",
    "nt": "N-Triples",
    "rdfxml": "RDF_XML",
    "jsonld": "JSON-LD",
    "nquads": "N-Quads",
    "trig": "TriG",
}
GRAPH_COUNTS = (
    "SELECT ?graph (COUNT(*) AS ?triples) WHERE { GRAPH ?graph { ?s ?p ?o } } GROUP BY ?graph ORDER BY ?graph"
)


def _literal(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def service_description(endpoint: str, graphs: list[tuple[str, int]]) -> str:
    """Turtle describing the endpoint at ``endpoint`` whose named graphs are ``graphs`` (IRI, triples)."""
    comment = (
        "Read-only SPARQL 1.1 Query endpoint of the multiscale-kg knowledge graph. The default graph is the "
        "union of the named graphs; default-graph-uri, named-graph-uri, FROM and FROM NAMED choose among the "
        f"named graphs (nothing is fetched). Relative IRIs in a query resolve against <{BASE_IRI}>. "
        "Updates, SERVICE and file: IRIs are refused."
    )
    formats = ",\n        ".join(f"<{FORMATS_NS}{name}>" for name in FORMAT_IRIS.values())
    named = ",\n        ".join(
        f"[ a sd:NamedGraph ; sd:name <{iri}> ; sd:graph [ a sd:Graph ; void:triples {count} ] ]"
        for iri, count in graphs
    )
    dataset = (
        "[ a sd:Dataset ;\n      sd:defaultGraph [ a sd:Graph ; rdfs:comment "
        + _literal("the union of the named graphs")
        + " ]"
    )
    if named:
        dataset += " ;\n      sd:namedGraph\n        " + named
    dataset += "\n    ]"
    return f"""@prefix sd: <http://www.w3.org/ns/sparql-service-description#> .
@prefix void: <http://rdfs.org/ns/void#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .

<{endpoint}> a sd:Service ;
    sd:endpoint <{endpoint}> ;
    sd:supportedLanguage sd:SPARQL11Query ;
    sd:feature sd:UnionDefaultGraph ;
    sd:defaultEntailmentRegime <http://www.w3.org/ns/entailment/Simple> ;
    sd:resultFormat
        {formats} ;
    rdfs:comment {_literal(comment)} ;
    sd:defaultDataset {dataset} .
"""
