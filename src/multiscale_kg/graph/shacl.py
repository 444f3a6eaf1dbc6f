"""SHACL validation of the asserted graph, document by document, on what the shapes constrain.

The shapes (``schema/shapes.ttl``) target classes; every node of such a class (or of a subclass) in the
asserted graph is a focus node, and each is validated once: with its document when it belongs to exactly
one (``dcterms:isPartOf``, or the source of its evidence), else in one corpus-wide pass after the
documents. A pass's data graph holds only what the shapes read, taken from the asserted graph and the
ontology of the whole store: the statements of the focus nodes along the shapes' paths, the nodes those
paths reach (evidence annotations, their targets and selectors, materials, causes, concepts) with their
statements along the same paths, and the classes of every node reached with their superclasses (for
``sh:class``). Passages, citations and references, which no shape reads, are never loaded, and a pass
holds one document's nodes, so memory stays that of one document.

This is as strict as validating the whole graph at once: a shape reads a node's statements only along its
paths, and those are taken from the whole store whichever pass the node is in (a concept several documents
share keeps all its statements). A pass validates every targeted node of its data: the nodes reached from
its focus nodes (a cause of another document's drawback) are complete there too, since the closure follows
every path from each node it reaches, and report alike in either pass. Shapes that read anything else (an
inverse path, a target other than a class, SPARQL constraints) are refused, so a new shape cannot be
skipped unnoticed.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from pathlib import Path

import pyoxigraph as ox
from rdflib import BNode, Dataset, Graph, URIRef
from rdflib.collection import Collection
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, SH

from .namespaces import GRAPH_ASSERTED, GRAPH_ONTOLOGY, OA
from .serialize import to_ox
from .store import oxigraph_of

#: what a pass's data graph can be built from: shapes that read anything else are refused
_UNSUPPORTED = (SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf, SH.target, SH.sparql, SH.inversePath)
#: the paths from a focus node to its documents
_TO_DOCUMENT = ((DCTERMS.isPartOf,), (PROV.wasDerivedFrom, OA.hasTarget, OA.hasSource))
#: every node with the documents it reaches along ``_TO_DOCUMENT``: one query, not a lookup per step
_DOCUMENTS_QUERY = "SELECT DISTINCT ?node ?document WHERE {{ {} }}".format(
    " UNION ".join(
        "{ ?node " + "/".join(f"<{step}>" for step in path) + " ?document }" for path in _TO_DOCUMENT
    )
)
CORPUS_WIDE = ""


@dataclass(frozen=True, order=True)
class Violation:
    focus: str
    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.focus} {self.path}: {self.message}"


@dataclass(frozen=True)
class ShaclReport:
    conforms: bool
    violations: tuple[Violation, ...]
    text: str


@cache
def shapes() -> Graph:
    return Graph().parse(
        data=files("multiscale_kg.schema").joinpath("shapes.ttl").read_text(encoding="utf-8"), format="turtle"
    )


@dataclass(frozen=True)
class _Reads:
    """What the shapes read: the classes they target, the predicates on their paths."""

    classes: frozenset[str]
    predicates: frozenset[str]

    @classmethod
    def of(cls, graph: Graph) -> _Reads:
        for predicate in _UNSUPPORTED:
            if (None, predicate, None) in graph:
                raise ValueError(f"shapes.ttl uses {predicate}, which per-document validation cannot read")
        predicates = set()
        for path in graph.objects(None, SH.path):
            steps = list(Collection(graph, path)) if isinstance(path, BNode) else [path]
            if not all(isinstance(step, URIRef) for step in steps):
                raise ValueError(f"shapes.ttl has a path per-document validation cannot read: {steps}")
            predicates |= {str(step) for step in steps}
        classes = {str(c) for c in graph.objects(None, SH.targetClass)}
        return cls(frozenset(classes), frozenset(predicates))


class _Graph:
    """The asserted graph and the ontology of a store, read node by node (other graphs are not read)."""

    def __init__(self, store: ox.Store):
        self.store = store
        self.graphs = (ox.NamedNode(str(GRAPH_ASSERTED)), ox.NamedNode(str(GRAPH_ONTOLOGY)))

    def statements(self, node: ox.NamedNode, predicate: ox.NamedNode | None = None) -> Iterator[ox.Quad]:
        for graph in self.graphs:
            yield from self.store.quads_for_pattern(node, predicate, None, graph)

    def subjects(self, predicate: ox.NamedNode, obj: ox.NamedNode) -> Iterator[ox.NamedNode]:
        for graph in self.graphs:
            for quad in self.store.quads_for_pattern(None, predicate, obj, graph):
                yield quad.subject

    def documents(self) -> dict[ox.NamedNode, set]:
        """Each node that reaches a document along ``_TO_DOCUMENT`` → those documents."""
        found: dict[ox.NamedNode, set] = {}
        for node, document in self.store.query(_DOCUMENTS_QUERY, default_graph=list(self.graphs)):
            found.setdefault(node, set()).add(document)
        return found


def focus_nodes(graph: _Graph, reads: _Reads) -> dict[str, list[ox.NamedNode]]:
    """The focus nodes of the shapes by document (``CORPUS_WIDE`` for those of none or of several)."""
    classes = {ox.NamedNode(c) for c in reads.classes}
    subclass = ox.NamedNode(str(RDFS.subClassOf))
    pending = list(classes)
    while pending:  # a class's subclasses are targeted too
        for sub in graph.subjects(subclass, pending.pop()):
            if sub not in classes:
                classes.add(sub)
                pending.append(sub)
    rdf_type = ox.NamedNode(str(RDF.type))
    nodes = {n for c in classes for n in graph.subjects(rdf_type, c) if isinstance(n, ox.NamedNode)}
    of_node = graph.documents()
    by_document: dict[str, list[ox.NamedNode]] = {}
    for node in sorted(nodes, key=lambda n: n.value):
        documents = of_node.get(node, ())
        key = next(iter(documents)).value if len(documents) == 1 else CORPUS_WIDE
        by_document.setdefault(key, []).append(node)
    return by_document


def closure(graph: _Graph, reads: _Reads, focus: Iterable[ox.NamedNode]) -> list[ox.Triple]:
    """What the shapes read about ``focus`` (see the module's docstring), each statement once."""
    followed = {ox.NamedNode(p) for p in reads.predicates | {str(RDF.type), str(RDFS.subClassOf)}}
    graphs = set(graph.graphs)
    found: dict[ox.Triple, None] = {}
    seen = set(focus)
    frontier = list(seen)
    while frontier:
        reached = []
        for node in frontier:
            for quad in graph.store.quads_for_pattern(node, None, None, None):  # one lookup per node
                if quad.predicate not in followed or quad.graph_name not in graphs:
                    continue
                found[ox.Triple(node, quad.predicate, quad.object)] = None
                if isinstance(quad.object, ox.NamedNode) and quad.object not in seen:
                    seen.add(quad.object)
                    reached.append(quad.object)
        frontier = reached
    return list(found)


def _own_message(messages: Iterable[str], own: frozenset[str]) -> str | None:
    found = [m for m in messages if m in own]
    return found[0] if found else None


@cache
def _own_messages() -> frozenset[str]:
    return frozenset(str(m) for m in shapes().objects(None, SH.message))


@cache
def _compiled():
    import shacl  # imported here: only builds and `mskg validate` need it

    return shacl.Shapes.from_turtle(shapes().serialize(format="turtle"))


def _with_shacl(data: bytes) -> list[Violation]:
    """The ``shacl`` package (Rust)."""
    report = _compiled().validate_text(data.decode("utf-8"), "nt")
    own = _own_messages()
    return [
        Violation(
            r.focus_node.strip("<>"),
            (r.path or "").strip("<>"),
            _own_message(r.messages, own) or r.message or r.component,
        )
        for r in report.results
        if r.severity == "Violation"
    ]


def _with_pyshacl(data: bytes) -> list[Violation]:
    """pyshacl, the reference (it also reports the nested results of ``sh:node`` on an evidence annotation
    as results of their own). Not given the pass's focus nodes: pyshacl would then skip the annotations
    ``sh:node`` reaches, which are not among them, and pass a broken quote."""
    import pyshacl

    conforms, results, _ = pyshacl.validate(
        Graph().parse(data=data, format="nt"), shacl_graph=shapes(), inference="none"
    )
    return [] if conforms else _violations(results)


def _violations(results: Graph) -> list[Violation]:
    return [
        Violation(
            str(results.value(r, SH.focusNode)),
            str(results.value(r, SH.resultPath) or ""),
            str(results.value(r, SH.resultMessage) or results.value(r, SH.sourceConstraintComponent)),
        )
        for r in results.subjects(SH.resultSeverity, SH.Violation)
    ]


#: validator name → validate(N-Triples of a pass's data) → violations
ENGINES: dict[str, Callable[[bytes], list[Violation]]] = {
    "shacl": _with_shacl,
    "pyshacl": _with_pyshacl,
}


def _store_of(graph: Dataset | ox.Store) -> ox.Store:
    store = oxigraph_of(graph)
    if store is not None:
        return store
    store = ox.Store()  # an rdflib Memory dataset: its asserted graph and ontology, in a store
    for name in (GRAPH_ASSERTED, GRAPH_ONTOLOGY):
        named = ox.NamedNode(str(name))
        store.extend(ox.Quad(to_ox(s), to_ox(p), to_ox(o), named) for s, p, o in graph.graph(name))
    return store


def validate(
    graph: Dataset | ox.Store,
    progress: Callable[[str], None] | None = None,
    engine: str = "shacl",
    jobs: int = 1,
    store_path: Path | None = None,
) -> ShaclReport:
    """Validate the asserted graph of ``graph`` (a build's store, or a dataset) against the shapes, one
    document at a time, with the validator ``engine`` (a key of ``ENGINES``; benchmarks/results/shacl.md
    compares them); ``progress`` is called with each document's IRI once it is validated.

    With ``store_path`` (the folder of ``graph``'s store, flushed) and ``jobs`` > 1, the passes run in that
    many processes, each reading the store read-only: a pass reads only the store, and its result does not
    depend on the others."""
    data = _Graph(_store_of(graph))
    passes = sorted(focus_nodes(data, _reads()).items(), key=lambda item: item[0] == CORPUS_WIDE)
    violations: set[Violation] = set()

    def done(document: str, found: list[Violation]) -> None:
        violations.update(found)
        if progress is not None and document != CORPUS_WIDE:
            progress(document)

    if jobs > 1 and store_path is not None and len(passes) > 2:
        context = multiprocessing.get_context("spawn")  # not forked: the parent's store runs threads
        with ProcessPoolExecutor(max_workers=min(jobs, len(passes)), mp_context=context) as pool:
            futures = {
                pool.submit(validate_pass, str(store_path), [node.value for node in nodes], engine): document
                for document, nodes in _tasks(passes, jobs)
            }
            for future in as_completed(futures):
                done(futures[future], future.result())
    else:
        for document, nodes in passes:
            done(document, _validate_pass(data, nodes, engine))
    found = tuple(sorted(violations))
    return ShaclReport(not found, found, "\n".join(map(str, found)) or "Conforms")


#: the corpus-wide pass is cut into this many tasks per process
CORPUS_CHUNKS_PER_JOB = 4


def _tasks(passes: list[tuple[str, list[ox.NamedNode]]], jobs: int) -> list[tuple[str, list[ox.NamedNode]]]:
    """The passes as tasks for ``jobs`` processes. The corpus-wide pass (the shared concepts, each with every
    document's evidence: the largest, and growing with the corpus) is cut into chunks of its focus nodes and
    goes first, so that no process is left validating it alone at the end. A chunk is a pass of its own: the
    closure of its focus nodes, which is what they are validated against in the whole pass too."""
    tasks = []
    for document, nodes in passes:
        if document == CORPUS_WIDE:
            chunks = max(1, min(len(nodes), jobs * CORPUS_CHUNKS_PER_JOB))
            tasks[:0] = [(CORPUS_WIDE, nodes[k::chunks]) for k in range(chunks)]
        else:
            tasks.append((document, nodes))
    return tasks


@cache
def _read_only(path: str) -> _Graph:
    return _Graph(ox.Store.read_only(path))


@cache
def _reads() -> _Reads:
    return _Reads.of(shapes())


def _validate_pass(data: _Graph, nodes: list[ox.NamedNode], engine: str) -> list[Violation]:
    """The violations of the focus nodes ``nodes``, validated by ``engine`` against what the shapes read
    about them (``closure``)."""
    return ENGINES[engine](ox.serialize(closure(data, _reads(), nodes), format=ox.RdfFormat.N_TRIPLES))


def validate_pass(store_path: str, focus: list[str], engine: str = "shacl") -> list[Violation]:
    """One pass of ``validate`` in a worker process: the focus nodes ``focus`` (IRIs) of the store in the
    folder ``store_path``, opened read-only once per process."""
    return _validate_pass(_read_only(store_path), [ox.NamedNode(iri) for iri in focus], engine)
