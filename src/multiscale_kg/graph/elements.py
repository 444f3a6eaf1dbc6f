"""Nodes and edges of the knowledge graph, computed once from the KnowledgeBase.

networkx and the SQLite ``edges`` table are both built from these lists, and the RDF projection uses the
same relation names (``mskg:<relation>``), so the three agree by construction and the tests check it.
Node keys are the short forms of the RDF ids: ``material/si``, ``drawback/micro-fracture``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from ..schema import KnowledgeBase

#: KnowledgeBase field → node kind (the IRI path segment).
NODE_KINDS = {
    "documents": "document",
    "references": "reference",
    "materials": "material",
    "measurements": "measurement",
    "mechanisms": "mechanism",
    "advantages": "advantage",
    "drawbacks": "drawback",
    "causes": "cause",
    "strategies": "strategy",
    "features": "feature",
    "claims": "claim",
    "context": "context",
}
_LABEL_FIELDS = ("label", "name", "title")


@dataclass(frozen=True)
class Node:
    key: str
    kind: str
    label: str
    attributes: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Edge:
    source: str
    relation: str
    target: str
    inferred: bool = False
    quote: str | None = None
    ref_numbers: tuple[int, ...] = ()


def key(kind: str, identifier: str) -> str:
    return f"{kind}/{identifier}"


def _label(item) -> str:
    for name in _LABEL_FIELDS:
        value = getattr(item, name, None)
        if value:
            return str(value)
    if hasattr(item, "number"):
        return f"[{item.number}]"
    return item.id


def nodes(kb: KnowledgeBase) -> Iterator[Node]:
    for attribute, kind in NODE_KINDS.items():
        for item in getattr(kb, attribute):
            attributes = item.model_dump(mode="json", exclude={"evidence"})
            yield Node(key(kind, item.id), kind, _label(item), attributes)


def kind_of(kb: KnowledgeBase) -> dict[str, str]:
    """Entity id → node kind, for the entities relations may name."""
    kinds = {}
    for attribute, kind in NODE_KINDS.items():
        if attribute in ("documents", "references", "measurements"):
            continue
        kinds.update({item.id: kind for item in getattr(kb, attribute)})
    return kinds


def asserted_edges(kb: KnowledgeBase) -> Iterator[Edge]:
    kinds = kind_of(kb)
    for relation in kb.relations:
        first = relation.evidence[0]
        yield Edge(
            key(kinds[relation.subject_id], relation.subject_id),
            relation.relation.value,
            key(kinds[relation.object_id], relation.object_id),
            quote=first.quote,
            ref_numbers=tuple(sorted({n for ev in relation.evidence for n in ev.ref_numbers})),
        )
    for m in kb.measurements:
        source = key("measurement", m.id)
        yield Edge(
            source, "ofMaterial", key("material", m.material_id), quote=m.quote, ref_numbers=m.ref_numbers
        )
        if m.strategy_id:
            yield Edge(source, "ofStrategy", key("strategy", m.strategy_id), quote=m.quote)
    for ref in kb.references:
        yield Edge(key("document", ref.document_id), "cites", key("reference", ref.id))


def all_edges(kb: KnowledgeBase, inferred: Iterable[Edge] = ()) -> list[Edge]:
    return sorted(
        [*asserted_edges(kb), *inferred], key=lambda e: (e.source, e.relation, e.target, e.inferred)
    )
