"""Namespaces and IRIs of the knowledge graph (ours and the reused vocabularies)."""

from __future__ import annotations

from functools import cache, lru_cache
from urllib.parse import quote, unquote

from rdflib import Namespace, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS, XSD


class _Namespace(Namespace):
    """An rdflib Namespace whose terms are made once: rdflib makes and checks a new URIRef at every
    ``MSKG.quote``, which projecting a document does tens of thousands of times."""

    def term(self, name: str) -> URIRef:
        return _term(str(self), name)


@cache
def _term(namespace: str, name: str) -> URIRef:
    return Namespace(namespace).term(name)


BASE = "https://w3id.org/multiscale-kg/"
MSKG = _Namespace(BASE + "ontology#")
OA = _Namespace("http://www.w3.org/ns/oa#")
CITO = _Namespace("http://purl.org/spar/cito/")
FABIO = _Namespace("http://purl.org/spar/fabio/")
BIRO = _Namespace("http://purl.org/spar/biro/")
C4O = _Namespace("http://purl.org/spar/c4o/")
BIBO = _Namespace("http://purl.org/ontology/bibo/")
QUDT = _Namespace("http://qudt.org/schema/qudt/")
UNIT = _Namespace("http://qudt.org/vocab/unit/")
ECHEM = _Namespace("https://w3id.org/emmo/domain/electrochemistry#")
EMMO = _Namespace("https://w3id.org/emmo#")
CHEMSUB = _Namespace("https://w3id.org/emmo/domain/chemical-substance#")
VANN = _Namespace("http://purl.org/vocab/vann/")

GRAPH_ASSERTED = URIRef(BASE + "graph/asserted")
GRAPH_INFERRED = URIRef(BASE + "graph/inferred")
GRAPH_ONTOLOGY = URIRef(BASE + "graph/ontology")

PREFIXES = {
    "mskg": MSKG,
    "id": _Namespace(BASE + "id/"),
    "rdf": RDF,
    "rdfs": RDFS,
    "owl": OWL,
    "xsd": XSD,
    "skos": SKOS,
    "prov": PROV,
    "dcterms": DCTERMS,
    "oa": OA,
    "cito": CITO,
    "fabio": FABIO,
    "biro": BIRO,
    "c4o": C4O,
    "bibo": BIBO,
    "qudt": QUDT,
    "unit": UNIT,
    "echem": ECHEM,
    "emmo": EMMO,
    "chemsub": CHEMSUB,
    "vann": VANN,
}


def iri(kind: str, identifier: str) -> URIRef:
    """``iri("material", "si")`` → https://w3id.org/multiscale-kg/id/material/si"""
    return URIRef(f"{BASE}id/{kind}/{quote(identifier, safe='-._~')}")


def short(node: URIRef) -> str:
    """The networkx key of an entity IRI: "material/si"."""
    text = str(node)
    prefix = BASE + "id/"
    return text[len(prefix) :] if text.startswith(prefix) else text


@lru_cache(maxsize=1 << 16)  # the rows of a build ask for the same IRIs' ids again and again
def node_id(node) -> str:
    """The id part of one of our IRIs ("…/id/strategy/ant-nest-si" → "ant-nest-si"); a literal as written."""
    text = str(node)
    return unquote(text.rsplit("/", 1)[-1]) if text.startswith(BASE) else text


@cache  # a corpus has a few dozen predicates, asked for in every row
def local(predicate: URIRef) -> str:
    """The local name of a predicate: ``mskg:addresses`` → "addresses"."""
    return str(predicate).rsplit("#", 1)[-1].rsplit("/", 1)[-1]
