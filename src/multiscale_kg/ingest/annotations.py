"""annotations.yaml → Annotations: what one document says about the corpus's concepts, every statement
checked against the text.

A concept item names a concept of the vocabulary (``concepts.yaml``, see ``concepts``) and gives this
document's quotes of it; claims, context facts, relations and measurements are the document's own statements
(a claim's or context fact's id becomes ``<document>-<id>``, a relation carries its document). Each entity
and relation carries quotes. A quote is looked up in the passages' clean text (dashes, quotes
and whitespace folded, see ``quotes``), must occur exactly once unless ``occurrence: N`` picks one, and
becomes Evidence with original offsets and the reference numbers cited in the sentence(s) it lies in. A prose
measurement or context fact names a quantity as printed inside its quote; ``quantities.find_quantities``
parses it, so values and units are never typed in. Every problem of the file is collected with the YAML line
of its item or key and raised as one IngestError. The format: docs/annotations.md.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from ..errors import IngestError, display_path
from ..schema.knowledge import (
    Advantage,
    Annotations,
    Cause,
    Claim,
    ContextFact,
    Drawback,
    EntityKind,
    Feature,
    Mechanism,
    QuantityUse,
    Relation,
    RelationType,
    Strategy,
)
from ..schema.models import Citation, Measurement, Passage
from .annotation_items import SECTION_KINDS, Problems, RawItem, read_items, statement_id
from .annotation_relations import curated_relations
from .concepts import Vocabulary, resolve_concepts
from .prose_measurements import context_facts, prose_measurements
from .quote_resolver import QuoteResolver

ANNOTATIONS_NAME = "annotations.yaml"


# ---- the loader -------------------------------------------------------------------------------------------


def load_annotations(
    path: Path,
    document_id: str,
    text: str,
    passages: Sequence[Passage],
    citations: Iterable[Citation],
    material_ids: set[str],
    vocabulary: Vocabulary | None = None,
) -> Annotations:
    """Read and check ``annotations.yaml`` against the corpus's concepts; raise one IngestError listing every
    problem found."""
    problems = Problems(display_path(path))
    vocabulary = vocabulary or Vocabulary()
    raws = read_items(path, problems, document_id)
    resolver = QuoteResolver(document_id, text, passages, citations)

    entities: dict[str, RawItem] = {}
    for raw in raws:
        if raw.kind is None:
            continue
        if raw.data.id in entities:
            problems.add(
                f"duplicate id '{raw.data.id}' (first defined at line {entities[raw.data.id].line})",
                raw.key_line("id"),
            )
        else:
            entities[raw.data.id] = raw
    resolve_concepts(raws, vocabulary, problems)
    # what a relation or measurement may name: every concept of the corpus, and this document's own items
    known = {**vocabulary.concepts, **entities}
    for raw in raws:
        if not raw.quotes:
            problems.add(f"{raw.name} has no quote; every entity and relation needs at least one", raw.line)
        raw.resolved = [resolver.resolve(q, n, line, problems, raw.name) for q, n, line in raw.quotes]
        if raw.kind == EntityKind.STRATEGY and raw.data.prospect:
            found = resolver.resolve(raw.data.prospect, None, raw.key_line("prospect"), problems, raw.name)
            raw.prospect = (found[0],) if found else ()

    relations = curated_relations(raws, known, material_ids, problems, document_id)
    measurements, uses = prose_measurements(raws, known, material_ids, resolver, problems, document_id)
    context_values, context_uses = context_facts(raws, resolver, problems, document_id)
    if problems.items:
        raise IngestError(sorted(problems.items, key=lambda p: p.line or 0))
    return _assemble(document_id, raws, relations, measurements, context_values, uses + context_uses)


def _entity(
    raw: RawItem, relations: list[Relation], context_values: dict[str, dict[str, Any]], document_id: str
):
    data = raw.definition
    common = {"id": data.id, "label": data.label, "evidence": raw.evidence}
    own = {"id": statement_id(document_id, data.id), "document_id": document_id}
    match raw.kind:
        case EntityKind.MECHANISM:
            examples = tuple(
                r.object_id
                for r in relations
                if r.relation == RelationType.EXEMPLIFIED_BY and r.subject_id == data.id
            )
            return Mechanism(
                **common,
                description=data.description,
                domain=data.domain,
                favours=data.favours,
                material_ids=examples,
            )
        case EntityKind.ADVANTAGE:
            mechanisms = tuple(
                r.subject_id
                for r in relations
                if r.relation == RelationType.EXPLAINS and r.object_id == data.id
            )
            return Advantage(**common, scale=data.scale, mechanism_ids=mechanisms)
        case EntityKind.DRAWBACK:
            return Drawback(**common, scale=data.scale, kind=data.kind)
        case EntityKind.CAUSE:
            return Cause(**common)
        case EntityKind.STRATEGY:
            return Strategy(**common, is_family=data.family, prospect_evidence=raw.prospect)
        case EntityKind.FEATURE:
            return Feature(**common)
        case EntityKind.CLAIM:
            return Claim(
                **(common | own),
                statement=data.statement,
                property=data.property,
                better_scale=data.better_scale,
            )
        case _:
            return ContextFact(**(common | own), reason=data.reason, **context_values.get(data.id, {}))


def _assemble(
    document_id: str,
    raws: list[RawItem],
    relations: list[Relation],
    measurements: list[Measurement],
    context_values: dict[str, dict[str, Any]],
    uses: list[QuantityUse],
) -> Annotations:
    groups: dict[str, list] = {section: [] for section in SECTION_KINDS}
    for raw in raws:
        if raw.kind is not None:
            groups[raw.section].append(_entity(raw, relations, context_values, document_id))
    return Annotations(
        document_id=document_id,
        defined_at={raw.data.id: raw.defined_at for raw in raws if raw.defined_at},
        **{section: tuple(items) for section, items in groups.items()},
        relations=tuple(relations),
        measurements=tuple(measurements),
        quantity_uses=tuple(uses),
    )
