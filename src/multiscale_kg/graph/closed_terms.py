"""rdflib's closed namespaces (RDF, RDFS, PROV, ...), each term looked up once, for the projection's loops.

rdflib checks the name against its closed namespace at every ``RDF.type``: projecting one document asks for
such terms thousands of times, and the checks were a third of the projection's own time.
"""

from __future__ import annotations

from rdflib import namespace


class Terms:
    """The terms of a closed namespace; an unknown name raises AttributeError as the namespace does."""

    def __init__(self, closed: type[namespace.DefinedNamespace]):
        self._closed = closed

    def __getattr__(self, name: str):
        term = getattr(self._closed, name)
        setattr(self, name, term)  # found as a plain attribute from now on
        return term


DCTERMS = Terms(namespace.DCTERMS)
PROV = Terms(namespace.PROV)
RDF = Terms(namespace.RDF)
RDFS = Terms(namespace.RDFS)
SKOS = Terms(namespace.SKOS)
XSD = Terms(namespace.XSD)
