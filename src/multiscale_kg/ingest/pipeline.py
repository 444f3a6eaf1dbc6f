"""Corpus → KnowledgeBase: every document folder parsed, every problem collected before failing."""

from __future__ import annotations

from pathlib import Path

from ..errors import IngestError, Problem
from ..schema import KnowledgeBase
from .cleantext import word_counts
from .documents import SourceDocument, document_folders, read_document
from .layout import regions
from .structure import parse_structure


def ingest_document(source: SourceDocument) -> dict[str, list]:
    doc, text = source.document, source.text
    sections, passages = parse_structure(doc.id, text, regions(text), word_counts(text))
    return {"documents": [doc], "sections": sections, "passages": passages}


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
