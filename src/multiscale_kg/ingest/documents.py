"""A corpus is a folder of document folders, each with ``document.txt`` and ``document.toml``."""

from __future__ import annotations

import hashlib
import tomllib
from dataclasses import dataclass
from pathlib import Path

from pydantic import BaseModel, ConfigDict, ValidationError

from ..errors import IngestError, Problem, display_path
from ..schema import Document
from ..schema.models import SLUG
from ..schema.vocab import MetadataStatus

TEXT_NAME = "document.txt"
META_NAME = "document.toml"


class DocumentMeta(BaseModel):
    """What ``document.toml`` may say. Unknown keys are errors, so typos do not pass silently."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    title: str
    journal: str | None = None
    article_type: str | None = None
    year: int | None = None
    volume: int | str | None = None
    pages: str | None = None
    doi: str | None = None
    authors: list[str] = []
    corresponding_author: str | None = None
    checked: list[str] = []
    source_format: str | None = None
    sha256: str | None = None


@dataclass(frozen=True)
class SourceDocument:
    document: Document
    text: str
    folder: Path


def document_folders(corpus: Path) -> list[Path]:
    if not corpus.is_dir():
        raise IngestError(
            Problem(
                display_path(corpus),
                "corpus folder not found (expected a folder of "
                "document folders, each with document.txt and document.toml)",
            )
        )
    folders = sorted(p for p in corpus.iterdir() if p.is_dir() and not p.name.startswith("."))
    if not folders:
        raise IngestError(Problem(display_path(corpus), "no document folders in the corpus"))
    return folders


def read_text(path: Path) -> str:
    """A document's text: UTF-8 and not empty, or an IngestError naming the file and what is wrong."""
    if not path.is_file():
        raise IngestError(Problem(display_path(path), "file not found (every document folder needs one)"))
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        raise IngestError(
            Problem(
                display_path(path),
                f"not valid UTF-8 (byte 0x{raw[error.start]:02x} at "
                f"offset {error.start}); expected UTF-8 text",
                line,
            )
        ) from None
    if not text.strip():
        raise IngestError(Problem(display_path(path), "the document is empty; expected the article's text"))
    return text


def _read_meta(path: Path) -> DocumentMeta:
    where = display_path(path)
    if not path.is_file():
        raise IngestError(Problem(where, "file not found (expected the document's bibliographic metadata)"))
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as error:
        raise IngestError(
            Problem(where, f"TOML syntax error: {error}", getattr(error, "lineno", None))
        ) from None
    try:
        return DocumentMeta.model_validate(data)
    except ValidationError as error:
        problems = []
        for item in error.errors():
            key = ".".join(str(part) for part in item["loc"])
            problems.append(Problem(where, f"field '{key}': {item['msg']}", _key_line(path, key)))
        raise IngestError(problems) from None


def _key_line(path: Path, key: str) -> int | None:
    top = key.split(".")[0]
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if line.split("=")[0].strip() == top:
            return number
    return None


def read_document(folder: Path) -> SourceDocument:
    if not SLUG.fullmatch(folder.name):
        raise IngestError(
            Problem(
                display_path(folder),
                f"the folder's name is the document's id: expected a slug of lowercase letters, digits and "
                f"single hyphens (e.g. 'nano-vs-micro'), not {folder.name!r}",
            )
        )
    text_path, meta_path = folder / TEXT_NAME, folder / META_NAME
    text = read_text(text_path)
    meta = _read_meta(meta_path)
    digest = hashlib.sha256(text_path.read_bytes()).hexdigest()
    if meta.sha256 and meta.sha256 != digest:
        raise IngestError(
            Problem(
                display_path(meta_path),
                f"sha256 {meta.sha256} does not match "
                f"{TEXT_NAME} (its sha256 is {digest}); the text changed or the hash is wrong",
                _key_line(meta_path, "sha256"),
            )
        )
    fields = [
        "title",
        "journal",
        "article_type",
        "year",
        "volume",
        "pages",
        "doi",
        "authors",
        "corresponding_author",
    ]
    unknown_checked = sorted(set(meta.checked) - set(fields))
    if unknown_checked:
        raise IngestError(
            Problem(
                display_path(meta_path),
                f"'checked' names unknown fields {unknown_checked}; expected some of {fields}",
                _key_line(meta_path, "checked"),
            )
        )
    status = {
        name: MetadataStatus.CHECKED if name in meta.checked else MetadataStatus.UNCHECKED
        for name in fields
        if getattr(meta, name) not in (None, [])
    }
    document = Document(
        id=folder.name,
        title=meta.title,
        journal=meta.journal,
        article_type=meta.article_type,
        year=meta.year,
        volume=None if meta.volume is None else str(meta.volume),
        pages=meta.pages,
        doi=meta.doi,
        authors=tuple(meta.authors),
        corresponding_author=meta.corresponding_author,
        metadata_status=status,
        source_format=meta.source_format,
        sha256=digest,
        path=f"{folder.name}/{TEXT_NAME}",
        length=len(text),
    )
    return SourceDocument(document, text, folder)
