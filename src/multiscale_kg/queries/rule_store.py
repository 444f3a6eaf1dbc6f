"""Where the rules read and write: an in-memory working copy of what they can read, and the graph of record.

The rules evaluate on a pyoxigraph store in memory holding the triples some rule can read (the predicates
and classes their patterns name, about 8% of a build's quads), with the named graphs that hold them; they
read it as the union of those graphs. It is copied from the build's store (``graph/store.py``) as pyoxigraph
quads, no rdflib term made, or from an rdflib Dataset of any store. Their conclusions go into the working
copy and into the inferred graph of the graph of record (the build's store, or the dataset).
Why a copy: the rules test absences and existences per solution (``FILTER NOT EXISTS``), many small
lookups that an in-memory store answers about three times faster than the on-disk one
(benchmarks/results/scale.md); the copy costs a fraction of a second per ten documents.

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
        #: the graph of record: a pyoxigraph store, or else an rdflib dataset
        self.of_record: ox.Store | None = oxigraph_of(graph)
        self.dataset: Dataset | None = graph if self.of_record is None else None  # type: ignore[assignment]
        self.working = ox.Store()
        if self.of_record is not None:
            self.working.bulk_extend(_readable_quads(self.of_record, rules))
        else:
            self.working.extend(self._quads(_readable(graph, rules)))  # type: ignore[arg-type]

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
        """Is ``triple`` in some graph of the graph of record?"""
        if self.dataset is not None:
            return triple in self.dataset
        return next(iter(self.of_record.quads_for_pattern(*self.ox_triple(triple), None)), None) is not None

    def add(self, triples: Iterable[Triple]) -> None:
        """Add ``triples`` to the inferred graph, where the rules read them too."""
        quads = [ox.Quad(*self.ox_triple(triple), self._inferred) for triple in triples]
        self.working.extend(quads)
        self._record(quads)

    def record(self, triples: Iterable[Triple]) -> None:
        """Add ``triples`` to the inferred graph of record only (after the rules: their provenance), in one
        streamed bulk load."""
        self._record(ox.Quad(*self.ox_triple(triple), self._inferred) for triple in triples)

    def _record(self, quads: Iterable[ox.Quad]) -> None:
        if self.of_record is not None:  # a few quads in a transaction, many in a bulk load
            if isinstance(quads, list):
                self.of_record.extend(quads)
            else:
                self.of_record.bulk_extend(quads)
            return
        graph = self.dataset.graph(GRAPH_INFERRED)
        graph.addN((from_ox(q.subject), from_ox(q.predicate), from_ox(q.object), graph) for q in quads)

    def subjects(self, predicate: URIRef, obj: URIRef, graph: URIRef) -> set[URIRef]:
        """Subjects of (predicate, obj) in ``graph`` of the graph of record."""
        if self.dataset is not None:
            return set(self.dataset.graph(graph).subjects(predicate, obj))
        found = self.of_record.quads_for_pattern(None, to_ox(predicate), to_ox(obj), to_ox(graph))
        return {URIRef(quad.subject.value) for quad in found}

    def rows(self, query: str) -> tuple[list[Variable], list[list]]:
        """A SELECT's solutions over the union of the graphs, as rows of rdflib terms (None where unbound)."""
        found = self.working.query(query, prefixes=PREFIX_STRINGS, use_default_graph_as_union=True)
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


def _patterns(rules: Sequence[Rule]) -> list[tuple]:
    """(predicate, object) patterns of the triples some rule can read (None: any)."""
    sources = set().union(*(rule.sources for rule in rules))
    if (None, None) in sources:
        return [(None, None)]  # a rule that reads any predicate reads everything
    whole = sorted(p for p, o in sources if o is None)  # sorted: the same store whatever the hash seed
    return [(p, None) for p in whole] + sorted((p, o) for p, o in sources if o is not None and p not in whole)


def _readable(dataset: Dataset, rules: Sequence[Rule]) -> Iterator[tuple[Triple, Iterable]]:
    """The dataset's triples that some rule can read, each with the graphs that hold it."""
    for predicate, obj in _patterns(rules):
        yield from dataset.store.triples((None, predicate, obj), None)


def _readable_quads(store: ox.Store, rules: Sequence[Rule]) -> Iterator[ox.Quad]:
    """The store's quads that some rule can read."""
    for predicate, obj in _patterns(rules):
        pattern = (None if predicate is None else to_ox(predicate), None if obj is None else to_ox(obj))
        yield from store.quads_for_pattern(None, *pattern, None)
