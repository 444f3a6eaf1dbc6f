"""What the public SPARQL endpoint refuses on top of ``queries.sparql.prepare`` (updates, SERVICE, FROM):
IRIs of local files.

Neither rdflib nor Oxigraph reads an IRI of a query except through SERVICE and FROM, which ``prepare``
refuses. A ``file:`` IRI anywhere else (``GRAPH <file:...>``, ``BASE <file:///etc/>`` then ``<passwd>``) is
refused as well, so that no later engine or option can turn one into a read of the server's files. The
worker process checks each query again before it runs it.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache

from rdflib import URIRef
from rdflib.plugins.sparql.sparql import Query

from ..queries.sparql import QueryError, prepare

LOCAL_SCHEMES = ("file:",)


def _iris(node, seen: set[int]) -> Iterator[URIRef]:
    """Every IRI in a parsed query's algebra (CompValues are dicts; triples are tuples)."""
    if isinstance(node, URIRef):
        yield node
    elif isinstance(node, dict | list | tuple | set | frozenset):
        if id(node) in seen:
            return
        seen.add(id(node))
        for item in node.values() if isinstance(node, dict) else node:
            yield from _iris(item, seen)


def refuse_local_iris(query: Query) -> None:
    try:
        for iri in _iris(query.algebra, set()):
            if iri.lower().startswith(LOCAL_SCHEMES):
                raise QueryError(f"file: IRIs are not allowed: queries never read local files (<{iri}>)")
    except RecursionError:  # the parser refuses deeper nesting first; this keeps it a 400 regardless
        raise QueryError("the query is nested too deeply") from None


@lru_cache(maxsize=256)
def check(text: str) -> Query:
    """``prepare`` and ``refuse_local_iris``: the query, or QueryError saying why it is refused."""
    query = prepare(text)
    refuse_local_iris(query)
    return query
