"""Every document of a corpus through the per-document function: from the cache when its inputs are
unchanged, else computed (in this process, in processes or on a cluster) and stored for the next build."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ..ingest.concepts import CONCEPTS_NAME, Vocabulary, load_vocabulary
from ..ingest.documents import document_folders
from .cache import DocumentCache, document_key
from .run import run_documents
from .work import DocumentBuild, build_document


@dataclass
class DocumentsRun:
    """The documents' results in corpus order, and which of them came from the cache."""

    vocabulary: Vocabulary
    documents: list[DocumentBuild]
    cached: list[str] = field(default_factory=list)
    built: list[str] = field(default_factory=list)
    #: the cache keys of this corpus's documents (the entries a build keeps)
    keys: set[str] = field(default_factory=set)


def run_corpus(
    corpus: Path,
    cache: DocumentCache,
    jobs: int = 1,
    scheduler: str | None = None,
    progress: Callable[[str], None] = lambda name: None,
) -> DocumentsRun:
    """Each document folder of ``corpus``'s result; ``progress`` is called with each folder's name once its
    result is at hand. The results computed are staged in ``cache`` (the build commits them once it has
    published); a result with problems is not (the build fails; the next one reports them again)."""
    # the vocabulary's own problems come first: every document's items would be reported against it
    vocabulary = load_vocabulary(corpus / CONCEPTS_NAME)
    folders = document_folders(corpus)
    keys = [document_key(folder, corpus / CONCEPTS_NAME) for folder in folders] if cache.folder else []
    found: list[DocumentBuild | None] = [None] * len(folders)
    for index, key in enumerate(keys):
        entry = cache.get(key)
        if isinstance(entry, DocumentBuild) and entry.parts.name == folders[index].name:
            found[index] = entry
            progress(folders[index].name)
    missing = [index for index, entry in enumerate(found) if entry is None]
    results = run_documents(
        build_document,
        [(str(folders[index]), vocabulary) for index in missing],
        jobs,
        scheduler,
        done=lambda task: progress(folders[missing[task]].name),
    )
    for index, result in zip(missing, results, strict=True):
        found[index] = result
        if keys and not result.problems:
            cache.stage(keys[index], result)
    documents = [entry for entry in found if entry is not None]
    missed = set(missing)
    return DocumentsRun(
        vocabulary,
        documents,
        cached=[folder.name for index, folder in enumerate(folders) if index not in missed],
        built=[folders[index].name for index in missing],
        keys=set(keys),
    )
