"""Adding a paper: its text becomes ``corpus/<slug>/document.txt`` beside a ``document.toml`` to fill in, and
a summary says what the build read from it.

``add_document`` only writes the folder; ``mskg add`` (``cli.py``) then builds and prints ``summary``. The
metadata file starts with the text's first line as title and every other field commented out: nothing in it
is checked until a person confirms it against the publisher and lists the field in ``checked``.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import textwrap
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from .errors import UsageError, display_path
from .ingest.documents import META_NAME, TEXT_NAME, read_document, read_text
from .schema import KnowledgeBase

SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
#: the sections and tables a summary names before it says "and N more"; the width of its wrapped lines
SHOWN = 12
WIDTH = 110


def slug_of(path: Path) -> str:
    """A folder name from a file name: "Yolk_Shell Si (2024).txt" → "yolk-shell-si-2024"."""
    return "-".join(re.findall(r"[a-z0-9]+", path.stem.lower()))


def title_of(text: str) -> str:
    """The text's first non-empty line: the title of most extracted papers, to be checked."""
    return next((line.strip() for line in text.splitlines() if line.strip()), "")


def _toml_string(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)  # a JSON string is a TOML basic string


def document_toml(source: Path, text: str) -> str:
    """The metadata of a new document: the title guessed, every field unchecked, the text's digest."""
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    return f"""# Bibliographic metadata of {TEXT_NAME}, added by `mskg add` from {source.name}.
# Every field is unchecked: fill in what is missing, correct what is wrong, and list in `checked` the fields
# you confirmed against the publisher. Unchecked fields are shown on the site as unchecked, never as fact.
title = {_toml_string(title_of(text))}  # unchecked: the text's first line
# journal = ""  # unchecked
# article_type = ""  # unchecked: Research article, Review, Perspective, ...
# year = YYYY  # unchecked: a number
# volume = ""  # unchecked
# pages = ""  # unchecked
# doi = ""  # unchecked
# authors = ["", ""]  # unchecked, in printed order
# corresponding_author = ""  # unchecked
checked = []
source_format = {_toml_string(f"plain text added with mskg add from {source.name}")}
sha256 = "{digest}"
"""


def add_document(source: Path, corpus: Path, slug: str | None = None) -> Path:
    """Copy ``source`` into ``corpus/<slug>/`` with a new ``document.toml``; returns the folder.

    Refuses (UsageError) a missing source, a slug that is not one, and a folder that already exists; a text
    that is not UTF-8 or is empty is an IngestError naming the file.
    """
    if not source.is_file():
        raise UsageError(f"{display_path(source)}: file not found (expected a paper's text, UTF-8)")
    name = slug if slug is not None else slug_of(source)
    if not SLUG.fullmatch(name):
        raise UsageError(
            f"{name!r} is not a document name: use lowercase letters, digits and single hyphens "
            "(--slug yolk-shell-si-anode)"
        )
    if not corpus.is_dir():
        raise UsageError(f"{display_path(corpus)}: corpus folder not found (expected a folder of documents)")
    folder = corpus / name
    if folder.exists():
        raise UsageError(
            f"{display_path(folder)}: a document named {name!r} is already in the corpus; "
            "choose another name with --slug NAME, or remove the folder to add it again"
        )
    text = read_text(source)
    folder.mkdir()
    try:
        shutil.copyfile(source, folder / TEXT_NAME)  # the text exactly as given: offsets point into it
        (folder / META_NAME).write_text(document_toml(source, text), encoding="utf-8")
        read_document(folder)  # what was written reads back
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return folder


def same_text(corpus: Path, folder: Path) -> list[str]:
    """Other documents of the corpus whose text is byte for byte the new one's."""
    digest = hashlib.sha256((folder / TEXT_NAME).read_bytes()).hexdigest()
    return [
        other.name
        for other in sorted(corpus.iterdir())
        if other != folder
        and (other / TEXT_NAME).is_file()
        and hashlib.sha256((other / TEXT_NAME).read_bytes()).hexdigest() == digest
    ]


def _names(items: list[str]) -> str:
    shown = " · ".join(items[:SHOWN])
    return shown + (f" · and {len(items) - SHOWN} more" if len(items) > SHOWN else "")


@dataclass(frozen=True)
class Extracted:
    """What the build read from one document, counted for the summary."""

    sections: list[str]
    tables: list[str]
    measurements: Counter
    properties: Counter
    without_material: int
    references: int
    with_year: int
    citations: int
    markers: int
    checks: Counter


def extracted(kb: KnowledgeBase, document_id: str, checks: list) -> Extracted:
    mine = [m for m in kb.measurements if m.document_id == document_id]
    references = [r for r in kb.references if r.document_id == document_id]
    citations = [c for c in kb.citations if c.document_id == document_id]
    tables = [
        f"{t.label} ({t.profile.value}: {t.rows} rows × {t.columns} columns)"
        if t.rows
        else f"{t.label} ({t.profile.value}{': ' + t.note if t.note else ''})"
        for t in kb.tables
        if t.document_id == document_id
    ]
    return Extracted(
        sections=[s.title for s in kb.sections if s.document_id == document_id],
        tables=tables,
        measurements=Counter((m.method.value, m.source.value) for m in mine),
        properties=Counter(m.property.value for m in mine),
        without_material=sum(1 for m in mine if m.material_id is None),
        references=len(references),
        with_year=sum(1 for r in references if r.year is not None),
        citations=len(citations),
        markers=len({c.start for c in citations}),
        checks=Counter(
            (c.nano.value or "not compared", c.micro.value or "not compared")
            for c in checks
            if c.measurement.document_id == document_id
        ),
    )


def summary(found: Extracted) -> list[str]:
    """The summary lines ``mskg add`` prints: one line per kind of thing read, and what it holds."""
    values = sum(found.measurements.values())
    by_source = ", ".join(
        f"{n} {method} from {source}" for (method, source), n in sorted(found.measurements.items())
    )
    properties = ", ".join(
        f"{prop} {n}" for prop, n in sorted(found.properties.items(), key=lambda i: (-i[1], i[0]))
    )
    checked = sum(found.checks.values())
    positions = "; ".join(
        f"{n} nano {nano}, micro {micro}" for (nano, micro), n in sorted(found.checks.items())
    )
    lines = [
        f"  sections      {len(found.sections):>4}  {_names(found.sections)}",
        f"  tables        {len(found.tables):>4}  {_names(found.tables)}",
        f"  measurements  {values:>4}  {by_source or 'none'}; {found.without_material} without a material",
    ]
    if properties:
        indent = " " * 22
        lines += textwrap.wrap(properties, WIDTH, initial_indent=indent, subsequent_indent=indent)
    lines += [
        f"  references    {found.references:>4}  {found.with_year} with a year",
        f"  citations     {found.citations:>4}  at {found.markers} markers",
        f"  vs Table 1    {checked:>4}  {positions or 'no value of a Table 1 material and property'}",
    ]
    return lines
