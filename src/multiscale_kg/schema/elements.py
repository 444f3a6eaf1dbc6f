"""Nodes and edges of the knowledge graph, computed once from the KnowledgeBase.

networkx and the SQLite ``edges`` table are both built from these lists, and the RDF projection uses the
same relation names (``mskg:<relation>``), so the three agree by construction and the tests check it.
Node keys are the short forms of the RDF ids: ``material/si``, ``drawback/micro-fracture``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from .kb import CURATED, NODE_KINDS, KnowledgeBase
from .knowledge import RELATION_KINDS, Relation, statement_key  # noqa: F401  (re-exported)

_LABEL_FIELDS = ("label", "name", "title", "text", "quote")


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
    #: the support grade of a derived answer (``addresses``); None for every other edge
    support: str | None = None


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
            attributes = item.model_dump(mode="json", exclude={"evidence", "prospect_evidence", "label"})
            if "kind" in attributes:  # a drawback's or passage's own kind; "kind" is the node kind
                attributes[f"{kind}_kind"] = attributes.pop("kind")
            yield Node(key(kind, item.id), kind, _label(item), attributes)


def kinds_of(kb: KnowledgeBase) -> dict[str, set[str]]:
    """Entity id → the node kinds it names (a strategy and a material may share an id: nb16w5o55)."""
    kinds: dict[str, set[str]] = {}
    for attribute, kind in NODE_KINDS.items():
        if attribute not in CURATED and attribute != "materials":
            continue
        for item in getattr(kb, attribute):
            kinds.setdefault(item.id, set()).add(kind)
    return kinds


def relation_kinds(kinds: dict[str, set[str]], relation: Relation) -> tuple[str, str]:
    """The (subject kind, object kind) of a relation: the pair its type allows among the ids' kinds."""
    for subject_kind, object_kind in sorted(RELATION_KINDS[relation.relation]):
        if (
            subject_kind.value in kinds[relation.subject_id]
            and object_kind.value in kinds[relation.object_id]
        ):
            return subject_kind.value, object_kind.value
    raise ValueError(
        f"relation {relation.subject_id} {relation.relation.value} {relation.object_id}: no kinds fit"
    )


def relation_keys(kinds: dict[str, set[str]], relation: Relation) -> tuple[str, str]:
    subject_kind, object_kind = relation_kinds(kinds, relation)
    return key(subject_kind, relation.subject_id), key(object_kind, relation.object_id)


def facts(relations: Iterable[Relation]) -> dict[str, list[Relation]]:
    """The curated facts: each (subject, relation, object) key with the statements of every document that
    states it, in corpus order."""
    found: dict[str, list[Relation]] = {}
    for relation in relations:
        found.setdefault(relation.key, []).append(relation)
    return found


def asserted_edges(kb: KnowledgeBase) -> Iterator[Edge]:
    """One edge per curated fact (its first statement's first quote, every statement's references), one per
    measurement's material, strategy and table note, one per cited reference."""
    kinds = kinds_of(kb)
    for statements in facts(kb.relations).values():
        first = statements[0]
        source, target = relation_keys(kinds, first)
        yield Edge(
            source,
            first.relation.value,
            target,
            quote=first.evidence[0].quote,
            ref_numbers=tuple(sorted({n for r in statements for ev in r.evidence for n in ev.ref_numbers})),
        )
    for m in kb.measurements:
        source = key("measurement", m.id)
        if m.material_id:  # an automatic measurement may have no clear material
            yield Edge(
                source, "ofMaterial", key("material", m.material_id), quote=m.quote, ref_numbers=m.ref_numbers
            )
        if m.strategy_id:
            yield Edge(source, "ofStrategy", key("strategy", m.strategy_id), quote=m.quote)
        for note_id in m.table_note_ids:
            yield Edge(source, "tableNote", key("table-note", note_id))
    for ref in kb.references:
        yield Edge(key("document", ref.document_id), "cites", key("reference", ref.id))


def all_edges(kb: KnowledgeBase, inferred: Iterable[Edge] = ()) -> list[Edge]:
    return sorted(
        [*asserted_edges(kb), *inferred], key=lambda e: (e.source, e.relation, e.target, e.inferred)
    )
