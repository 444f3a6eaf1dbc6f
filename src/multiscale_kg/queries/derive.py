"""The derive stage of a build: theoretical capacities, the rules run to a fixpoint, and their provenance.

Everything derived goes into the inferred named graph of the graph of record (the build's store):

1. the theoretical capacity of each material with a stated reaction (``physics.py``), seeded before the
   rules because ``above-theoretical.rq`` compares measurements with it;
2. the rules' conclusions (``mskg:addresses``, ``mskg:leavesOpen``, ...);
3. their provenance: each rule as an ``mskg:Rule``, each derivation as an ``mskg:Derivation`` with its
   ``mskg:rule``, its ``mskg:conclusion`` and its ``mskg:premise`` statements. A premise that is a curated
   relation points at that relation's own ``rdf:Statement``, which carries the quotes (``prov:wasDerivedFrom``
   an ``oa:Annotation``); any other premise or conclusion gets an ``rdf:Statement`` here;
4. the corpus-wide aggregates the named queries read (``aggregates.py``), counted once here.

The same conclusions become inferred Edges for networkx and the SQLite ``edges`` table.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

import pyoxigraph as ox
from rdflib import Dataset, Literal, URIRef
from rdflib.namespace import PROV, RDF, RDFS

from ..graph.namespaces import (
    GRAPH_ASSERTED,
    MSKG,
    OA,
    QUDT,
    UNIT,
    iri,
    local,
    node_id,
    short,
)
from ..graph.rdf import literal
from ..schema import KnowledgeBase
from ..schema.elements import Edge, nodes, statement_key
from .aggregates import measurement_counts
from .engine import Inference, Triple, run_rules
from .physics import TheoreticalCapacity, theoretical_capacities
from .rule_files import Rule, load_rules, rules_dir
from .rule_store import RuleStore
from .support import GRADED, Grades, grade


@dataclass
class Derived:
    inference: Inference
    capacities: list[TheoreticalCapacity]
    edges: list[Edge]
    #: the triples put into the inferred graph before the rules ran (the theoretical capacities)
    seeded: set[Triple]
    #: the support grade of every ``addresses`` derivation and pair
    grades: Grades


def statement_id(triple: Triple) -> str:
    """The id of a triple's rdf:Statement, as the RDF projection names curated relations."""
    s, p, o = triple
    return statement_key(node_id(s), local(p), node_id(o))


def rule_file(rule: Rule) -> str:
    return f"queries/rules/{rule.path.name}" if rule.path.parent == rules_dir() else rule.file


# ---- theoretical capacities ------------------------------------------------------------------------------


def capacity_node(material_id: str) -> URIRef:
    return iri("theoretical-capacity", material_id)


def capacity_triples(capacity: TheoreticalCapacity, texts: dict[str, str]) -> Iterator[Triple]:
    reaction = capacity.reaction
    node = capacity_node(capacity.material_id)
    yield iri("material", capacity.material_id), MSKG.theoreticalCapacity, node
    yield node, RDF.type, MSKG.TheoreticalCapacity
    yield node, RDFS.label, Literal(f"Theoretical capacity of {capacity.material_id}: {reaction.reaction}")
    yield node, QUDT.numericValue, literal(Decimal(str(capacity.capacity)))
    yield node, QUDT.unit, UNIT["MilliA-HR-PER-GM"]
    yield node, MSKG.reaction, Literal(reaction.reaction)
    yield node, MSKG.electrons, literal(reaction.electrons)
    yield node, MSKG.formulaUnit, Literal(reaction.formula_unit)
    yield node, MSKG.molarMass, literal(capacity.molar_mass)
    yield node, MSKG.basis, Literal(reaction.basis)
    if reaction.evidence is not None:
        ev = reaction.evidence
        annotation = URIRef(f"{node}/evidence/1")
        target, selector = URIRef(f"{annotation}/target"), URIRef(f"{annotation}/quote")
        position = URIRef(f"{annotation}/position")
        yield node, PROV.wasDerivedFrom, annotation
        yield annotation, RDF.type, OA.Annotation
        yield annotation, OA.hasBody, node
        yield annotation, OA.hasTarget, target
        yield annotation, MSKG.quote, Literal(ev.quote)
        yield annotation, MSKG.inPassage, iri("passage", ev.passage_id)
        yield target, OA.hasSource, iri("document", ev.document_id)
        yield target, OA.hasSelector, selector
        yield target, OA.hasSelector, position
        yield selector, RDF.type, OA.TextQuoteSelector
        yield selector, OA.exact, Literal(texts[ev.document_id][ev.start : ev.end])
        yield position, RDF.type, OA.TextPositionSelector
        yield position, OA.start, literal(ev.start)
        yield position, OA.end, literal(ev.end)


# ---- provenance -------------------------------------------------------------------------------------------


def _statement(triple: Triple) -> Iterator[Triple]:
    node = iri("statement", statement_id(triple))
    yield node, RDF.type, RDF.Statement
    yield node, RDF.subject, triple[0]
    yield node, RDF.predicate, triple[1]
    yield node, RDF.object, triple[2]


def provenance_triples(inference: Inference, asserted: set[URIRef], grades: Grades) -> Iterator[Triple]:
    """Rules, derivations and the statements they link, with the support grade of each graded derivation
    and of the statement it concludes; ``asserted`` are the curated statements' IRIs."""
    stratum = {rule_id: n for n, ids in enumerate(inference.strata) for rule_id in ids}
    for rule in inference.rules:
        node = iri("rule", rule.id)
        yield node, RDF.type, MSKG.Rule
        yield node, RDFS.label, Literal(rule.id)
        yield node, RDFS.comment, Literal(rule.statement)
        yield node, MSKG.ruleFile, Literal(rule_file(rule))
        yield node, MSKG.stratum, literal(stratum[rule.id])
    stated: set[Triple] = set()
    for derivation in inference.derivations.values():
        node = iri("derivation", derivation.id)
        yield node, RDF.type, MSKG.Derivation
        yield node, MSKG.rule, iri("rule", derivation.rule)
        yield node, MSKG.conclusion, iri("statement", statement_id(derivation.conclusion))
        if derivation.id in grades.by_derivation:
            yield node, MSKG.support, iri("support", grades.by_derivation[derivation.id])
        stated.add(derivation.conclusion)
        for premise in derivation.premises:
            statement = iri("statement", statement_id(premise))
            yield node, MSKG.premise, statement
            if statement not in asserted:
                stated.add(premise)
    for triple in stated:
        yield from _statement(triple)
    for (strategy, drawback), support in grades.by_pair.items():
        conclusion = iri("statement", statement_key(strategy, GRADED, drawback))
        yield conclusion, MSKG.support, iri("support", support)


def inferred_edges(kb: KnowledgeBase, inference: Inference, grades: Grades) -> list[Edge]:
    """An inferred Edge for every concluded link between two nodes of the graph; a graded one (``addresses``)
    carries its pair's support grade."""
    keys = {node.key for node in nodes(kb)}
    edges = []
    for s, p, o in inference.triples:
        source, target = short(s), short(o)
        if source in keys and target in keys:
            support = grades.by_pair.get((node_id(s), node_id(o))) if local(p) == GRADED else None
            edges.append(Edge(source, local(p), target, inferred=True, support=support))
    return sorted(edges, key=lambda e: (e.source, e.relation, e.target))


def derive(kb: KnowledgeBase, texts: dict[str, str], graph: Dataset | ox.Store) -> Derived:
    """Add everything derived to ``graph``'s inferred graph; return it for the other projections."""
    capacities = theoretical_capacities(kb, kb.reactions)
    rules = load_rules()
    store = RuleStore(graph, rules)
    seeded = {triple for c in capacities for triple in capacity_triples(c, texts)}
    store.add(sorted(seeded))
    inference = run_rules(store, rules)
    grades = grade(kb, inference.derivations.values(), inference.triples | seeded)
    asserted = store.subjects(RDF.type, RDF.Statement, GRAPH_ASSERTED)
    store.record(provenance_triples(inference, asserted, grades))
    store.record(measurement_counts(kb))
    return Derived(inference, capacities, inferred_edges(kb, inference, grades), seeded, grades)
