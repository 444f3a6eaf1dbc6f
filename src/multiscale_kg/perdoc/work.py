"""The per-document part of a build, as one pure function of a document folder and the shared concepts.

``build_document`` runs in this process, in a worker process or on a cluster's worker: it takes the folder's
path and the corpus's ``Vocabulary`` and returns a picklable ``DocumentBuild``, its problems collected in it
rather than raised, so that a build reports every document's problems together. Besides the parsed parts
and annotations it projects the document's own share of the asserted graph (``rdf.DOCUMENT_PARTS``) to
N-Quads, which the build bulk-loads as bytes; the corpus-wide parts (merged materials and concepts, facts
several documents state) are projected once the documents are merged.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..graph.store import document_nquads
from ..ingest.concepts import Vocabulary
from ..ingest.pipeline import DocumentParts, ingest_folder
from ..schema import KnowledgeBase
from ..schema.kb import CURATED


@dataclass
class DocumentBuild:
    """One document's share of a build."""

    parts: DocumentParts
    #: its share of the asserted graph as zlib-compressed N-Quads (empty when it has problems)
    nquads: bytes = b""

    @property
    def problems(self) -> list:
        return self.parts.problems

    def take_nquads(self) -> bytes:
        """The N-Quads, let go of here (the store loads them once; the cache has its own copy)."""
        nquads, self.nquads = self.nquads, b""
        return nquads


def document_view(parts: DocumentParts) -> KnowledgeBase:
    """A KnowledgeBase of one document's own items, its curated concepts and facts with its own quotes
    only (not validated: the merged one is)."""
    items = dict(parts.parsed)
    if parts.curated is not None:
        items["measurements"] = [*items.get("measurements", ()), *parts.curated.measurements]
        for name in (*CURATED, "relations"):
            items[name] = getattr(parts.curated, name)
    return KnowledgeBase.model_construct(**{name: tuple(found) for name, found in items.items()})


def build_document(folder: str, vocabulary: Vocabulary) -> DocumentBuild:
    """The document in ``folder`` parsed against ``vocabulary``. Pure: the same files give the same result."""
    parts = ingest_folder(Path(folder), vocabulary)
    if parts.problems or parts.source is None:
        return DocumentBuild(parts)
    return DocumentBuild(parts, document_nquads(document_view(parts), parts.source.text))
