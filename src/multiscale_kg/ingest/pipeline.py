"""Corpus → KnowledgeBase: every document folder parsed, every problem collected before failing."""

from __future__ import annotations

from pathlib import Path

from ..errors import IngestError, Problem, display_path
from ..schema import KnowledgeBase
from .citations import parse_citations
from .cleantext import word_counts
from .documents import TEXT_NAME, SourceDocument, document_folders, read_document
from .layout import regions
from .structure import parse_structure


def ingest_document(source: SourceDocument) -> dict[str, list]:
    doc, text = source.document, source.text
    path = display_path(source.folder / TEXT_NAME)
    sections, passages = parse_structure(doc.id, text, regions(text), word_counts(text))
    citations, references = parse_citations(doc.id, text, passages, source=path)
    return {
        "documents": [doc],
        "sections": sections,
        "passages": passages,
        "citations": citations,
        "references": references,
    }


def ingest_corpus(corpus: Path) -> KnowledgeBase:
    parts: dict[str, list] = {}
    problems: list[Problem] = []
    for folder in document_folders(corpus):
        try:
            for name, items in ingest_document(read_document(folder)).items():
                parts.setdefault(name, []).extend(items)
        except IngestError as error:
            problems.extend(error.problems)
    if problems:
        raise IngestError(problems)
    return KnowledgeBase(**{name: tuple(items) for name, items in parts.items()})
