"""What the public SPARQL endpoint refuses on top of ``queries.sparql.prepare`` (updates, SERVICE): IRIs of
local files; its base IRI; and the order of a query's variables.

FROM and FROM NAMED are accepted here: the endpoint's engine (Oxigraph, in the worker) takes them as names
of graphs it holds, as it takes ``default-graph-uri`` and ``named-graph-uri``, and never fetches them.

Neither rdflib nor Oxigraph reads an IRI of a query except through SERVICE and FROM, which ``prepare``
refuses. A ``file:`` IRI anywhere else (``GRAPH <file:...>``, ``BASE <file:///etc/>`` then ``<passwd>``) is
refused as well, so that no later engine or option can turn one into a read of the server's files. The
worker process checks each query again before it runs it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

from rdflib import URIRef
from rdflib.plugins.sparql.sparql import Query

from ..graph.namespaces import BASE
from ..queries.sparql import QueryError, prepare

LOCAL_SCHEMES = ("file:",)
#: relative IRIs of a query resolve against this base (a BASE in the query wins): <strategy/ant-nest-si>
#: is https://w3id.org/multiscale-kg/id/strategy/ant-nest-si
BASE_IRI = BASE + "id/"


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
    query = prepare(text, base=BASE_IRI, allow_dataset_clause=True)
    refuse_local_iris(query)
    return query


#: what may hide a ``?name`` that is not a variable: long and short strings, IRIs, comments
_NOT_VARIABLES = re.compile(
    r'"""[\s\S]*?"""'
    r"|'''[\s\S]*?'''"
    r'|"(?:[^"\\\n]|\\.)*"'
    r"|'(?:[^'\\\n]|\\.)*'"
    r"|<[^<>\"{}|^`\\\s]*>"
    r"|#[^\n]*"
)
_VARIABLE = re.compile(r"[?$]([A-Za-z0-9_\u00b7\u00c0-\ufffd]+)")


def in_query_order(text: str, variables: list[str]) -> list[str]:
    """``variables`` (in an engine's order: Oxigraph sorts those of ``SELECT *`` by name) in the order they
    first appear in the query's text: the order of an explicit SELECT list, and the reading order of ``*``."""
    seen = _VARIABLE.findall(_NOT_VARIABLES.sub(" ", text))
    position = {name: index for index, name in reversed(list(enumerate(seen)))}
    return sorted(variables, key=lambda name: (position.get(name, len(seen)), variables.index(name)))
