"""The corpus's concepts: each concept once, with the quotes of every document that discusses it.

Each document's Annotations holds the concepts it quotes, with its own quotes. Here they become one entity
per concept, its evidence the quotes of every document in corpus order (each Evidence names its document),
its examples (``exemplifiedBy``) and explaining mechanisms (``explains``) those of every document's
relations. Two documents that define one id differently, or as concepts of two kinds, are reported with both
places; so is a concept of ``concepts.yaml`` that no document quotes (a fact needs a document, a quote and
its offsets).
"""

from __future__ import annotations

from collections.abc import Sequence

from ..errors import IngestError, Problem
from ..schema.knowledge import Annotations, Entity, Relation, RelationType, concept_fields
from .annotation_items import SECTION_KINDS
from .concepts import Vocabulary

#: the Annotations fields that hold concepts (the others, claims and context, are statements)
CONCEPT_FIELDS = tuple(concept_fields(Annotations))
#: what is not part of a concept's definition: its quotes, and what relations fill in
_NOT_DEFINITION = {"evidence", "prospect_evidence", "prospect", "material_ids", "mechanism_ids"}


def _definition(entity: Entity) -> dict:
    return entity.model_dump(exclude=_NOT_DEFINITION)


def _differences(first: Entity, other: Entity) -> str:
    mine, theirs = _definition(first), _definition(other)
    return ", ".join(f"{key} {mine[key]!r} / {theirs[key]!r}" for key in mine if mine[key] != theirs[key])


def _joined(first: Entity, other: Entity) -> Entity:
    update = {"evidence": first.evidence + other.evidence}
    if hasattr(first, "prospect_evidence"):
        update["prospect_evidence"] = first.prospect_evidence + other.prospect_evidence
    return first.model_copy(update=update)


def _linked(entity: Entity, relations: Sequence[Relation]) -> Entity:
    """A mechanism's examples and an advantage's mechanisms, from every document's relations."""
    if hasattr(entity, "material_ids"):
        examples = (r for r in relations if r.relation == RelationType.EXEMPLIFIED_BY)
        found = (r.object_id for r in examples if r.subject_id == entity.id)
        return entity.model_copy(update={"material_ids": tuple(dict.fromkeys(found))})
    if hasattr(entity, "mechanism_ids"):
        explained = (r for r in relations if r.relation == RelationType.EXPLAINS)
        found = (r.subject_id for r in explained if r.object_id == entity.id)
        return entity.model_copy(update={"mechanism_ids": tuple(dict.fromkeys(found))})
    return entity


class _Merge:
    def __init__(self, vocabulary: Vocabulary):
        self.vocabulary = vocabulary
        self.problems: list[Problem] = []
        self.concepts: dict[str, dict[str, Entity]] = {name: {} for name in CONCEPT_FIELDS}
        self.first: dict[str, tuple[str, str]] = {}  # id → (field, where its first definition is written)

    def add(self, name: str, entity: Entity, where: str) -> None:
        seen = self.first.setdefault(entity.id, (name, where))
        known = self.concepts[seen[0]].get(entity.id)
        if known is None:
            self.concepts[name][entity.id] = entity
        elif seen[0] != name:
            kind, other = SECTION_KINDS[name], SECTION_KINDS[seen[0]]
            self.problem(where, f"{kind} '{entity.id}' is a {other} in {seen[1]}; one id names one concept")
        elif _definition(known) != _definition(entity):
            self.problem(
                where,
                f"{SECTION_KINDS[name]} '{entity.id}' is defined differently in {seen[1]} "
                f"({_differences(known, entity)}); define it once, in {self.vocabulary.file}",
            )
        else:
            self.concepts[name][entity.id] = _joined(known, entity)

    def problem(self, where: str, message: str) -> None:
        file, _, line = where.rpartition(":")
        self.problems.append(Problem(file, message, int(line)) if line.isdigit() else Problem(where, message))

    def unquoted(self) -> None:
        for ident, concept in self.vocabulary.concepts.items():
            if ident not in self.first:
                self.problem(
                    concept.where,
                    f"{concept.kind} '{ident}' is quoted by no document: a concept's evidence is the "
                    "quotes of the documents that discuss it; quote it in a document's annotations.yaml, "
                    "or remove it",
                )


def merge_concepts(annotations: Sequence[Annotations], vocabulary: Vocabulary) -> dict[str, list[Entity]]:
    """Concept field → its concepts, each once; one IngestError lists every conflict and unquoted concept."""
    merge = _Merge(vocabulary)
    for document in annotations:
        for name in CONCEPT_FIELDS:
            for entity in getattr(document, name):
                merge.add(name, entity, document.defined_at.get(entity.id, document.document_id))
    merge.unquoted()
    if merge.problems:
        raise IngestError(merge.problems)
    relations = [r for document in annotations for r in document.relations]
    return {name: [_linked(e, relations) for e in merge.concepts[name].values()] for name in CONCEPT_FIELDS}
