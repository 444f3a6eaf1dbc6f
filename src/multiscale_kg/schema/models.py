"""The one source of truth: every entity of the knowledge base, validated and immutable.

RDF, SQLite and networkx are projections of these models. Offsets are 0-based Python ``str`` indices into
the document's ``document.txt`` decoded as UTF-8; ``end`` is exclusive, so ``text[start:end]`` is the span.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Annotated, ClassVar

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator

from .vocab import (
    Chemistry,
    MetadataStatus,
    Method,
    PassageKind,
    Property,
    Qualifier,
    Role,
    Scale,
    Source,
    TableProfile,
)

SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


def check_slug(value: str) -> str:
    """``value`` when it is a slug; ValueError saying what a slug is otherwise."""
    if not SLUG.fullmatch(value):
        raise ValueError(
            f"{value!r} is not a valid id: expected a slug of lowercase letters, digits and single hyphens, "
            "e.g. 'ant-nest-si'"
        )
    return value


#: an id: lowercase, hyphenated, typeable ("ant-nest-si", "nano-vs-micro-p012")
Slug = Annotated[str, AfterValidator(check_slug)]


class Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", use_enum_values=False)


class Span(Model):
    """A character range of the original text."""

    start: int = Field(ge=0)
    end: int = Field(ge=0)

    @model_validator(mode="after")
    def _ordered(self) -> Span:
        if self.end < self.start:
            raise ValueError(f"span end {self.end} is before its start {self.start}")
        return self


class Document(Model):
    #: the node kind of its rows in the graph (the IRI path segment)
    KIND: ClassVar[str] = "document"

    id: Slug
    title: str
    journal: str | None = None
    article_type: str | None = None
    year: int | None = None
    volume: str | None = None
    pages: str | None = None
    doi: str | None = None
    authors: tuple[str, ...] = ()
    corresponding_author: str | None = None
    #: field name → whether the publisher confirmed it ("checked") or it comes from unverified records.
    metadata_status: dict[str, MetadataStatus]
    source_format: str | None = None
    sha256: str
    path: str
    length: int


class Section(Model):
    id: Slug
    document_id: Slug
    title: str
    level: int = Field(ge=1, le=2)
    parent_id: Slug | None = None
    ordinal: int
    #: the heading as printed (original offsets); the front matter has no heading.
    start: int | None = None
    end: int | None = None


class Passage(Span):
    """A contiguous run of the original text: a heading, a paragraph block, a caption or a table part."""

    id: Slug
    document_id: Slug
    section_id: Slug | None
    kind: PassageKind
    ordinal: int
    #: the text normalised for search and quotes (hyphenation, wraps and broken words undone).
    text: str
    figure: int | None = None
    #: caption panels: letter → panel text (clean).
    panels: dict[str, str] = Field(default_factory=dict)


class Reference(Model):
    """A numbered entry of a document's reference list, or a number its citations imply when the extracted
    text has no list (the review's). The bibliographic fields are as printed; None where the entry does not
    print them or the text has no list."""

    #: the node kind of its rows in the graph (the IRI path segment)
    KIND: ClassVar[str] = "reference"

    id: Slug
    document_id: Slug
    number: int = Field(ge=1)
    cited_count: int = Field(ge=0)
    authors: tuple[str, ...] = ()
    title: str | None = None
    journal: str | None = None
    year: int | None = None
    volume: str | None = None
    pages: str | None = None
    doi: str | None = None
    #: the whole entry (clean text) and its span in the original text
    text: str | None = None
    start: int | None = None
    end: int | None = None


class Citation(Span):
    """One reference number at one citation marker; a marker citing 3 numbers gives 3 citations."""

    id: Slug
    document_id: Slug
    ref_number: int = Field(ge=1)
    ref_id: Slug  # the Reference row of ref_number
    passage_id: Slug
    marker: str
    sentence: str


class MaterialView(Model):
    """What a text says a material is: its names, formula, role and chemistry, each with its quote, and where
    the text first names it. ``Material`` (the corpus's entity) and ``MaterialFact`` (one document's view)
    share these fields."""

    id: Slug
    name: str
    abbreviation: str | None = None
    formula: str | None = None
    elements: tuple[str, ...] = ()
    role: Role | None = None
    chemistry: Chemistry | None = None
    #: how the abbreviation maps to the formula: "stated" (the text says it) or "assumed" (usual meaning).
    formula_source: str | None = None
    #: the text that states the formula, role and chemistry; None when the formula is the printed name, the
    #: role is Table 1's type column, or the statement is standard knowledge the text takes for granted.
    formula_quote: str | None = None
    role_quote: str | None = None
    chemistry_quote: str | None = None
    #: where the text first names the material.
    start: int | None = None
    end: int | None = None


class Material(MaterialView):
    #: the node kind of its rows in the graph (the IRI path segment)
    KIND: ClassVar[str] = "material"

    molar_mass: float | None = None
    #: the document whose view the material row is (the first curated document's)
    document_id: Slug | None = None


class MaterialFact(MaterialView):
    """One document's view of one material. A material is one entity (``Material``); its facts are kept per
    document, and a curated document's never yield to an uncurated one's."""

    # id: "<document>-<material>"
    document_id: Slug
    material_id: Slug
    #: curated when the document's materials are curated (its materials.yaml or annotations.yaml), else
    #: automatic: read by the parsers alone
    method: Method


class Measurement(Span):
    #: the node kind of its rows in the graph (the IRI path segment)
    KIND: ClassVar[str] = "measurement"

    id: Slug
    document_id: Slug
    #: None for an automatic measurement with no clear material mention near it
    material_id: Slug | None = None
    #: None when nothing states the particle scale (automatic measurements)
    scale: Scale | None = None
    property: Property
    value_min: Decimal | None = None
    value_max: Decimal | None = None
    qualifier: Qualifier = Qualifier.EQ
    #: unit as printed (e.g. "mah g–1"), normalised display form, and its QUDT IRI.
    unit_printed: str | None = None
    unit: str | None = None
    unit_qudt: str | None = None
    particle_size_text: str | None = None
    size_min_nm: Decimal | None = None
    size_max_nm: Decimal | None = None
    cycles: int | None = None
    rate_condition: str | None = None
    footnote: str | None = None
    footnote_text: str | None = None
    source: Source
    #: curated: checked by a person or read by a hand-checked profile, fed to the rules; automatic: read
    #: by a parser alone, shown apart and never fed to the rules
    method: Method = Method.CURATED
    #: the subject as printed: a table's row label or the material mention the value was read beside
    sample: str | None = None
    #: the table a table measurement comes from
    table_id: Slug | None = None
    passage_id: Slug
    #: the evidence: start/end are the offsets of ``quote``, a Table 1 cell or a clause of prose
    quote: str
    #: the number itself as printed, and its offsets (inside the quote; the whole cell for Table 1)
    value_text: str
    value_start: int = Field(ge=0)
    value_end: int = Field(ge=0)
    ref_numbers: tuple[int, ...] = ()
    strategy_id: Slug | None = None
    condition: str | None = None
    #: the general notes printed under the measurement's table that condition its value (``TableNote`` ids)
    table_note_ids: tuple[Slug, ...] = ()
    #: where the row's particle size disagrees with the document's own definition of its scale
    scale_conflict: str | None = None

    @model_validator(mode="after")
    def _has_value(self) -> Measurement:
        if self.value_min is None and self.value_max is None:
            raise ValueError(f"measurement {self.id} has no value")
        if self.value_min is not None and self.value_max is not None and self.value_max < self.value_min:
            raise ValueError(f"measurement {self.id}: range {self.value_min}–{self.value_max} is reversed")
        return self


class TableNote(Span):
    """A general note printed under a table that conditions every value of the table, or of one column
    ("All data are produced from lithium half-cell configurations")."""

    KIND: ClassVar[str] = "table-note"

    id: Slug
    document_id: Slug
    #: the table it is printed under, as its measurements' ``source`` names it
    table: str
    passage_id: Slug
    #: the note as it reads in the clean text; start/end are its original offsets
    text: str
    #: the column (property) it conditions; None for every value of the table
    property: Property | None = None
    ref_numbers: tuple[int, ...] = ()


class ScaleDefinition(Span):
    """How a document defines a particle scale ("micrometre-sized (≥1 µm) particles"), in nanometres."""

    KIND: ClassVar[str] = "scale-definition"

    id: Slug
    document_id: Slug
    scale: Scale
    passage_id: Slug
    quote: str
    size_min_nm: Decimal | None = None
    size_max_nm: Decimal | None = None


class Table(Span):
    """A table of a document: its caption opens it; ``profile`` says how it was read."""

    id: Slug  # "<document>-table-2"
    document_id: Slug
    label: str  # as printed: "Table 2"
    number: str  # "2", "S1"
    caption: str  # clean text, without the label
    profile: TableProfile
    #: why a table is kept as text, or what was left out of its cells
    note: str | None = None
    passage_id: Slug  # the title passage
    rows: int = Field(ge=0)  # data rows cut into cells
    columns: int = Field(ge=0)


class TableCell(Span):
    """One cell of a table read as cells (profile ``cells``); ``start``/``end`` are its original offsets."""

    id: Slug  # "<table id>-r01-c2"
    document_id: Slug
    table_id: Slug
    passage_id: Slug  # the row's passage
    row: int = Field(ge=1)
    column: int = Field(ge=1)
    header: str  # the column's header, clean text ("Reversible capacity (mA h g−1)")
    text: str
