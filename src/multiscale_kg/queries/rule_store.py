"""Where the rules read and write: the graph of record's pyoxigraph store, with rdflib terms at the edges.

The build's graph is a pyoxigraph store (``graph/store.py``), so the rules query it directly: SELECTs over
the union of its named graphs, conclusions added to its inferred graph. An rdflib Dataset over such a store
(oxrdflib) is used the same way, through the store it wraps. Any other rdflib Dataset (rdflib's Memory store)
is mirrored: the triples some rule can read go into an in-memory pyoxigraph store with the graphs that hold
them, and what the rules conclude is added to both.

Terms are converted once each way: a term the store returns converts back to the rdflib term it came from
(a literal that pyoxigraph keeps in canonical form, "1.50" as "1.5", comes back in that form).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence

import pyoxigraph as ox
from rdflib import Dataset, Literal, URIRef, Variable

from ..graph.namespaces import GRAPH_INFERRED
from ..graph.serialize import to_ox
from ..graph.store import from_ox, oxigraph_of
from .rule_files import PREFIX_STRINGS, Rule

Triple = tuple[URIRef, URIRef, URIRef | Literal]


class RuleStore:
    def __init__(self, graph: Dataset | ox.Store, rules: Sequence[Rule]):
        self._to_ox: dict = {}
        self._to_rdflib: dict = {}
        self._inferred = ox.NamedNode(str(GRAPH_INFERRED))
        store = oxigraph_of(graph)
        self.mirrored: Dataset | None = None
        if store is None:
            self.mirrored = graph  # type: ignore[assignment]
            store = ox.Store()
            store.extend(self._quads(_readable(graph, rules)))  # type: ignore[arg-type]
        self.store: ox.Store = store

    def _quads(self, triples: Iterable[tuple[Triple, Iterable]]) -> Iterator[ox.Quad]:
        graphs: dict = {}
        for triple, contexts in triples:
            s, p, o = self.ox_triple(triple)
            for context in contexts:
                if context not in graphs:
                    graphs[context] = _graph_name(context)
                yield ox.Quad(s, p, o, graphs[context])

    def ox_triple(self, triple: Triple) -> tuple:
        converted = []
        for term in triple:
            found = self._to_ox.get(term)
            if found is None:
                found = self._to_ox[term] = to_ox(term)
                self._to_rdflib.setdefault(found, term)
            converted.append(found)
        return tuple(converted)

    def holds(self, triple: Triple) -> bool:
        """Is ``triple`` in some graph?"""
        if self.mirrored is not None:
            return triple in self.mirrored
        return next(iter(self.store.quads_for_pattern(*self.ox_triple(triple), None)), None) is not None

    def add(self, triples: Iterable[Triple], bulk: bool = False) -> None:
        """Add ``triples`` to the inferred graph; ``bulk``: many, streamed (a bulk load, one per build)."""
        if self.mirrored is not None:
            triples = list(triples)
            graph = self.mirrored.graph(GRAPH_INFERRED)
            graph.addN((s, p, o, graph) for s, p, o in triples)
        inferred = self._inferred
        quads = (ox.Quad(*self.ox_triple(triple), inferred) for triple in triples)
        if bulk:
            self.store.bulk_extend(quads)
        else:
            self.store.extend(quads)

    def subjects(self, predicate: URIRef, obj: URIRef, graph: URIRef) -> set[URIRef]:
        if self.mirrored is not None:  # the mirror holds only what the rules read
            return set(self.mirrored.graph(graph).subjects(predicate, obj))
        found = self.store.quads_for_pattern(None, to_ox(predicate), to_ox(obj), to_ox(graph))
        return {URIRef(quad.subject.value) for quad in found}

    def rows(self, query: str) -> tuple[list[Variable], list[list]]:
        """A SELECT's solutions over the union of the graphs, as rows of rdflib terms (None where unbound)."""
        found = self.store.query(query, prefixes=PREFIX_STRINGS, use_default_graph_as_union=True)
        terms = self._to_rdflib
        rows = []
        for values in found:
            row = []
            for value in values:
                if value is not None:
                    term = terms.get(value)
                    if term is None:
                        term = terms[value] = from_ox(value)
                    value = term
                row.append(value)
            rows.append(row)
        return [Variable(v.value) for v in found.variables], rows


def _graph_name(context) -> ox.NamedNode | ox.DefaultGraph:
    name = str(getattr(context, "identifier", context))
    return ox.DefaultGraph() if name.startswith("urn:x-rdflib:") else ox.NamedNode(name)


def _readable(dataset: Dataset, rules: Sequence[Rule]) -> Iterator[tuple[Triple, Iterable]]:
    """The dataset's triples that some rule can read, each with the graphs that hold it."""
    sources = set().union(*(rule.sources for rule in rules))
    patterns: list = [(None, None)]  # a rule that reads any predicate reads everything
    if (None, None) not in sources:
        whole = sorted(p for p, o in sources if o is None)  # sorted: the same store whatever the hash seed
        patterns = [(p, None) for p in whole]
        patterns += sorted((p, o) for p, o in sources if o is not None and p not in whole)
    for predicate, obj in patterns:
        yield from dataset.store.triples((None, predicate, obj), None)
