"""The per-document part of a build, as one pure function of a document folder and the shared concepts.

``build_document`` runs in this process, in a worker process or on a cluster's worker: it takes the folder's
path and the corpus's ``Vocabulary`` and returns a picklable ``DocumentBuild``, its problems collected in it
rather than raised, so that a build reports every document's problems together.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..ingest.concepts import Vocabulary
from ..ingest.pipeline import DocumentParts, ingest_folder


@dataclass
class DocumentBuild:
    """One document's share of a build."""

    parts: DocumentParts

    @property
    def problems(self) -> list:
        return self.parts.problems


def build_document(folder: str, vocabulary: Vocabulary) -> DocumentBuild:
    """The document in ``folder`` parsed against ``vocabulary``. Pure: the same files give the same result."""
    return DocumentBuild(ingest_folder(Path(folder), vocabulary))
