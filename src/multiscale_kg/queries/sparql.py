"""Read-only SPARQL over the knowledge graph: named queries from files, remote access refused.

Queries run on the rdflib Dataset with the default graph as the union of the named graphs. A query that
would reach outside the process (``SERVICE``, ``FROM``/``FROM NAMED`` IRIs, which rdflib would fetch) or
change data (any update: ``INSERT``, ``DELETE``, ``LOAD``, ``CLEAR``...) is refused before it runs.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from rdflib import Dataset, Graph, Variable
from rdflib.plugins.sparql import prepareQuery
from rdflib.plugins.sparql.parserutils import CompValue
from rdflib.plugins.sparql.sparql import Query
from rdflib.query import Result

from ..graph.namespaces import PREFIXES
from ..graph.store import from_ox
from .files import package_folder, query_texts, split_header

_UPDATE = re.compile(
    r"^\s*(?:(?:PREFIX|BASE)\s+[^\n]*\n\s*)*(INSERT|DELETE|LOAD|CLEAR|DROP|CREATE|ADD|MOVE|COPY|WITH)\b",
    re.IGNORECASE,
)


class QueryError(ValueError):
    """A query that is malformed or not allowed; the message says which and why."""


@dataclass(frozen=True)
class NamedQuery:
    name: str
    title: str  # the file's first comment line: the question it answers
    text: str


def _walk(node) -> Iterator[CompValue]:
    if isinstance(node, CompValue):
        yield node
        for value in node.values():
            yield from _walk(value)
    elif isinstance(node, list | tuple):
        for item in node:
            yield from _walk(item)


def prepare(text: str, base: str | None = None, allow_dataset_clause: bool = False) -> Query:
    """Parse and check a query; raise QueryError with the parser's message when it is refused.

    ``base`` resolves relative IRIs (a ``BASE`` in the query still wins). ``allow_dataset_clause``: FROM and
    FROM NAMED are accepted, for an engine that takes them as names of graphs it holds (the public endpoint
    runs Oxigraph that way); rdflib's own engine would fetch them, so they are refused by default.
    """
    if _UPDATE.match(_strip_comments(text)):
        raise QueryError("updates are not allowed: this endpoint is read-only (INSERT, DELETE, LOAD, ...)")
    try:
        query = prepareQuery(text, initNs=PREFIXES, base=base)
    except Exception as error:  # rdflib raises pyparsing and plain exceptions alike
        message = str(error).strip() or type(error).__name__
        if re.search(r"\b(INSERT|DELETE|LOAD|CLEAR|DROP)\b", text, re.IGNORECASE):
            message = "updates are not allowed: this endpoint is read-only"
        raise QueryError(f"SPARQL syntax error: {message}") from None
    for node in _walk(query.algebra):
        if node.name == "ServiceGraphPattern":
            raise QueryError("SERVICE is not allowed: queries never reach remote endpoints")
    if getattr(query.algebra, "datasetClause", None) and not allow_dataset_clause:
        raise QueryError(
            "FROM and FROM NAMED are not allowed: the dataset is fixed (use GRAPH for named graphs)"
        )
    return query


def _strip_comments(text: str) -> str:
    return "\n".join(
        line.split("#", 1)[0] if not line.lstrip().startswith("PREFIX") else line
        for line in text.splitlines()
    )


@lru_cache(maxsize=256)
def checked(text: str) -> Query:
    """``prepare`` once per query text (rdflib would parse it again on every call)."""
    return prepare(text)


def run(dataset: Dataset, text: str):
    """Run a SELECT, ASK, CONSTRUCT or DESCRIBE query; returns rdflib's Result.

    The query is parsed and checked by rdflib first, whatever the store; an Oxigraph-backed store then runs
    the text with its own engine (which needs prefixes as plain strings).
    """
    query = checked(text)
    if type(dataset.store).__name__ == "OxigraphStore":
        return dataset.query(text, initNs=_PREFIX_STRINGS)
    return dataset.query(query)


_PREFIX_STRINGS = {prefix: str(namespace) for prefix, namespace in PREFIXES.items()}


def run_store(store: ox.Store, text: str) -> Result:
    """``run`` on a pyoxigraph store itself (a build's graph of record), without an rdflib store between:
    the query is checked as ``run`` checks it, answered over the union of the named graphs, and returned as
    rdflib's Result (a plain string as a plain literal)."""
    checked(text)
    found = store.query(text, prefixes=_PREFIX_STRINGS, use_default_graph_as_union=True)
    if isinstance(found, ox.QueryBoolean):
        result = Result("ASK")
        result.askAnswer = bool(found)
    elif isinstance(found, ox.QuerySolutions):
        result = Result("SELECT")
        result.vars = [Variable(v.value) for v in found.variables]
        result.bindings = [
            {name: from_ox(value) for name, value in zip(result.vars, row, strict=True) if value is not None}
            for row in found
        ]
    else:
        result = Result("CONSTRUCT")
        result.graph = Graph()
        result.graph += ((from_ox(t.subject), from_ox(t.predicate), from_ox(t.object)) for t in found)
    return result


def run_values(store: ox.Store, text: str) -> list[dict[str, Any]] | bool | Graph:
    """``run_store`` for the API: SELECT → rows of Python values (as rdflib's ``toPython`` gives them), ASK →
    bool, CONSTRUCT/DESCRIBE → an rdflib Graph. A SELECT's terms go from pyoxigraph to Python values without a
    Result between, each distinct term converted once (labels, units and concepts recur row after row)."""
    checked(text)
    found = store.query(text, prefixes=_PREFIX_STRINGS, use_default_graph_as_union=True)
    if not isinstance(found, ox.QuerySolutions):
        result = run_store(store, text)
        return bool(result.askAnswer) if result.type == "ASK" else result.graph
    names = [v.value for v in found.variables]
    values: dict = {None: None}
    rows = []
    for row in found:
        cells = {}
        for name, term in zip(names, row, strict=True):
            value = values.get(term, values)
            if value is values:
                value = values[term] = from_ox(term).toPython()
            cells[name] = value
        rows.append(cells)
    return rows


def queries_dir() -> Path:
    return package_folder("sparql")


@cache
def named_queries() -> dict[str, NamedQuery]:
    found = {}
    for name, text in query_texts(queries_dir(), ".rq").items():
        header, _ = split_header(text, "#")
        found[name] = NamedQuery(name, header[0] if header else name, text)
    return found
