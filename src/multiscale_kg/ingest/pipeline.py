"""Corpus → KnowledgeBase: every document folder parsed, every problem collected before failing."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

from pydantic import ValidationError

from ..errors import IngestError, Problem, display_path
from ..schema import KnowledgeBase, Material, Passage, Source
from ..schema.knowledge import Annotations
from ..schema.reactions import Reaction
from .annotations import ANNOTATIONS_NAME, load_annotations
from .citations import parse_citations
from .cleantext import word_counts
from .concept_merge import CONCEPT_FIELDS, merge_concepts
from .concepts import CONCEPTS_NAME, Vocabulary, load_vocabulary
from .documents import TEXT_NAME, SourceDocument, document_folders, read_document
from .layout import regions
from .material_merge import merge_materials
from .materials import build_materials
from .quantities_auto import automatic_measurements
from .quantities_subjects import MaterialMentions
from .reactions import REACTIONS_NAME, load_reactions, one_reaction_per_material
from .references import find_reference_list
from .structure import parse_structure
from .table_notes import condition, footnotes_of, scale_definitions, table_notes
from .table_reader import read_tables, table1_profile

MATERIALS_NAME = "materials.yaml"
#: the Annotations fields that go into the KnowledgeBase as they are
CURATED_PARTS = tuple(name for name in Annotations.model_fields if name in KnowledgeBase.model_fields)


def _optional(path: Path) -> Path | None:
    return path if path.exists() else None


def ingest_document(source: SourceDocument, vocabulary: Vocabulary | None = None) -> dict[str, list]:
    """Everything one document folder yields, its annotations' concepts with this document's quotes only."""
    parts, curated = _ingest(source, vocabulary or Vocabulary())
    if curated is not None:
        for name in CURATED_PARTS:
            parts.setdefault(name, []).extend(getattr(curated, name))
    return parts


def _ingest(source: SourceDocument, concepts: Vocabulary) -> tuple[dict[str, list], Annotations | None]:
    """What one document folder yields as parsed, and its annotations. A document without
    ``annotations.yaml`` is uncurated: the numbers with units in its prose become automatic measurements (a
    curated one's are bound by hand)."""
    doc, text = source.document, source.text
    path = display_path(source.folder / TEXT_NAME)
    vocabulary = word_counts(text)
    sections, passages = parse_structure(doc.id, text, regions(text), vocabulary)
    reference_list = find_reference_list(text)
    citations, references = parse_citations(
        doc.id, text, passages, source=path, reference_list=reference_list
    )
    table = table1_profile(doc.id, text, passages, path)
    materials = build_materials(
        doc.id, text, passages, table.materials if table else (), _optional(source.folder / MATERIALS_NAME)
    )
    notes = []
    if table and table.measurements:  # the general notes under the table the Table 1 profile read
        footnotes = footnotes_of(passages, table.measurements[0].passage_id)
        notes = table_notes(doc.id, text, footnotes, citations, Source.TABLE1.value)
    definitions = scale_definitions(doc.id, text, passages)
    mentions = MaterialMentions(materials)
    tables = read_tables(doc.id, text, passages, mentions, table)
    annotations_path = source.folder / ANNOTATIONS_NAME
    automatic = []
    if not annotations_path.exists():
        body_end = reference_list.start if reference_list else None
        automatic = automatic_measurements(doc.id, text, passages, mentions, vocabulary, body_end)
    parts = {
        "documents": [doc],
        "sections": sections,
        "passages": passages,
        "citations": citations,
        "references": references,
        "materials": materials,
        "measurements": [
            *(condition(table.measurements, notes, definitions) if table else ()),
            *tables.measurements,
            *automatic,
        ],
        "tables": list(tables.tables),
        "table_cells": list(tables.cells),
        "table_notes": notes,
        "scale_definitions": definitions,
    }
    curated = None
    if annotations_path.exists():
        material_ids = {m.id for m in materials}
        curated = load_annotations(
            annotations_path, doc.id, text, passages, citations, material_ids, concepts
        )
    return parts, curated


@dataclass
class DocumentParts:
    """What one document folder yields (picklable: a worker process returns it): its source, parsed parts and
    annotations, or the problems that stopped it, collected so that every document's are reported together."""

    name: str
    source: SourceDocument | None = None
    parsed: dict[str, list] = field(default_factory=dict)
    curated: Annotations | None = None
    problems: list[Problem] = field(default_factory=list)


def ingest_folder(folder: Path, vocabulary: Vocabulary) -> DocumentParts:
    """One document folder parsed against the corpus's concepts; its problems returned, not raised."""
    try:
        source = read_document(folder)
        parsed, curated = _ingest(source, vocabulary)
    except IngestError as error:
        return DocumentParts(folder.name, problems=list(error.problems))
    return DocumentParts(folder.name, source, parsed, curated)


def ingest_corpus(corpus: Path, progress: Callable[[str], None] | None = None) -> KnowledgeBase:
    """Parse every document folder of ``corpus`` against the corpus's concepts (``concepts.yaml``): each
    concept once with every document's quotes; each material once, with every document's facts about it.
    ``progress`` is called with each folder's name once it is read."""
    # the vocabulary's own problems come first: every document's items would be reported against it
    vocabulary = load_vocabulary(corpus / CONCEPTS_NAME)
    documents = []
    for folder in document_folders(corpus):
        documents.append(ingest_folder(folder, vocabulary))
        if progress is not None:
            progress(folder.name)
    return merge_documents(corpus, vocabulary, documents)


def merge_documents(corpus: Path, vocabulary: Vocabulary, documents: list[DocumentParts]) -> KnowledgeBase:
    """The corpus-wide part of ingesting: the documents' parts (in corpus order) joined, concepts and
    materials merged, reactions checked against every material. Raises one IngestError with every
    document's problems."""
    problems = [problem for document in documents for problem in document.problems]
    if problems:
        raise IngestError(problems)
    parts: dict[str, list] = {}
    # a document's result may come from another place (a cache, a worker): its folder is the one in ``corpus``
    sources = [replace(d.source, folder=corpus / d.name) for d in documents if d.source is not None]
    annotations = [d.curated for d in documents if d.curated is not None]
    for document in documents:
        for name, items in document.parsed.items():
            parts.setdefault(name, []).extend(items)
    parts.update(merge_concepts(annotations, vocabulary))
    for name in CURATED_PARTS:
        if name not in CONCEPT_FIELDS:
            parts.setdefault(name, []).extend(item for a in annotations for item in getattr(a, name))
    curated_materials = {
        s.document.id
        for s in sources
        if (s.folder / MATERIALS_NAME).exists() or (s.folder / ANNOTATIONS_NAME).exists()
    }
    parts["materials"], parts["material_facts"] = merge_materials(
        parts.get("materials", []), curated_materials
    )
    parts["reactions"] = corpus_reactions(sources, parts["materials"], parts.get("passages", []))
    try:
        return KnowledgeBase(**{name: tuple(items) for name, items in parts.items()})
    except ValidationError as error:  # ids of two documents that meet (a-b + c and a + b-c): say which
        raise IngestError(
            [
                Problem(display_path(corpus), str(e["msg"]).removeprefix("Value error, "))
                for e in error.errors()
            ]
        ) from None


def corpus_reactions(
    sources: list[SourceDocument], materials: list[Material], passages: list[Passage]
) -> list[Reaction]:
    """Every document's ``reactions.yaml``, checked against the materials of the whole corpus."""
    by_document: dict[str, list] = {}
    for passage in passages:
        by_document.setdefault(passage.document_id, []).append(passage)
    found, problems = [], []
    for source in sources:
        path = source.folder / REACTIONS_NAME
        if not path.exists():
            continue
        own = by_document.get(source.document.id, [])
        try:
            found += load_reactions(path, source.document.id, source.text, own, materials)
        except IngestError as error:
            problems += error.problems
    if problems:
        raise IngestError(problems)
    return one_reaction_per_material(found)


def document_texts(corpus: Path, kb: KnowledgeBase) -> dict[str, str]:
    """Document id → original text, for the projections that quote it (read again: the KB keeps no text)."""
    return {doc.id: (corpus / doc.id / TEXT_NAME).read_text(encoding="utf-8") for doc in kb.documents}
