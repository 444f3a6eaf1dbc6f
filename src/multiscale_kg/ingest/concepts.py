"""``corpus/concepts.yaml``: the corpus-wide vocabulary, and a document's items checked against it.

A concept (a mechanism, advantage, drawback, cause, strategy or feature) is defined once for the corpus: its
id, label and the keys of its kind (a drawback's scale, a strategy's ``family``, ...). A concept has no
document, so it has no quote of its own: each document that discusses it quotes it in its
``annotations.yaml`` (an item with the concept's id and the document's quotes), and those quotes are the
concept's evidence, each with its document, passage and offsets.

A document's item may repeat keys of the definition; they must agree with it. A concept only one document
discusses may be defined in that document's item instead (all its keys there); when two documents define one
id, the definitions must agree. One id defined two different ways is a problem naming both files and lines.
"""

from __future__ import annotations

from dataclasses import dataclass
from difflib import get_close_matches
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from ..errors import IngestError, display_path
from ..schema.knowledge import EntityKind
from .annotation_items import (
    DEFINITIONS,
    SECTION_KINDS,
    Problems,
    RawItem,
    read_definitions,
    validation_messages,
)

CONCEPTS_NAME = "concepts.yaml"


@dataclass(frozen=True)
class Concept:
    """A concept's definition and where it is written."""

    section: str
    #: the section's definition schema (``annotation_items.DEFINITIONS``)
    definition: Any
    file: str
    line: int

    @property
    def kind(self) -> EntityKind:
        return SECTION_KINDS[self.section]

    @property
    def where(self) -> str:
        return f"{self.file}:{self.line}"


class Vocabulary:
    """The concepts of ``concepts.yaml`` by id; empty when the corpus has none."""

    def __init__(self, concepts: dict[str, Concept] | None = None, file: str | None = None):
        self.concepts = concepts or {}
        self.file = file or CONCEPTS_NAME

    def __contains__(self, ident: str) -> bool:
        return ident in self.concepts

    def get(self, ident: str) -> Concept | None:
        return self.concepts.get(ident)


def load_vocabulary(path: Path) -> Vocabulary:
    """Read ``concepts.yaml``; an absent file is an empty vocabulary. One IngestError lists every problem."""
    file = display_path(path)
    if not path.exists():
        return Vocabulary(file=file)
    problems = Problems(file)
    concepts: dict[str, Concept] = {}
    for raw in read_definitions(path, problems):
        ident = raw.data.id
        first = concepts.get(ident)
        if first is not None:
            problems.add(
                f"{raw.name}: the id '{ident}' is defined twice (also as a {first.kind} at line "
                f"{first.line}); one id names one concept",
                raw.key_line("id"),
            )
            continue
        concepts[ident] = Concept(raw.section, raw.data, file, raw.key_line("id"))
    if problems.items:
        raise IngestError(sorted(problems.items, key=lambda p: p.line or 0))
    return Vocabulary(concepts, file)


# ---- a document's items ---------------------------------------------------------------------------------


def _given(raw: RawItem) -> dict[str, Any]:
    """The definition keys a document's concept item states."""
    keys = set(DEFINITIONS[raw.section].model_fields) - {"id"}
    return {name: getattr(raw.data, name) for name in raw.data.model_fields_set if name in keys}


def _shown(value: Any) -> str:
    """A value as the YAML writes it."""
    if value is None or isinstance(value, bool):
        return {None: "null", True: "true", False: "false"}[value]
    return str(getattr(value, "value", value))


def _suggestion(ident: str, kind: EntityKind, vocabulary: Vocabulary) -> str:
    same_kind = [key for key, concept in vocabulary.concepts.items() if concept.kind == kind]
    close = get_close_matches(ident, same_kind, n=1)
    return f"did you mean '{close[0]}'? " if close else ""


def resolve_concepts(raws: list[RawItem], vocabulary: Vocabulary, problems: Problems) -> None:
    """Give each concept item of a document its definition (``raw.definition``, ``raw.defined_at``), and each
    statement item its own data; report an item that disagrees with the vocabulary."""
    for raw in raws:
        if raw.kind is None:
            continue
        if raw.section not in DEFINITIONS:
            raw.definition = raw.data
            concept = vocabulary.get(raw.data.id)
            if concept is not None:
                problems.add(
                    f"{raw.name}: the id '{raw.data.id}' is a {concept.kind} in {concept.where}; one id "
                    f"names one thing: give the {raw.kind} another id",
                    raw.key_line("id"),
                )
            continue
        given, concept = _given(raw), vocabulary.get(raw.data.id)
        if concept is not None:
            _agree(raw, given, concept, problems)
        elif given:
            _own_definition(raw, given, problems)
        else:
            problems.add(
                f"{raw.name}: unknown {raw.kind}: {_suggestion(raw.data.id, raw.kind, vocabulary)}define it "
                f"in {vocabulary.file} (id, label, ...), or give its label and keys here when only this "
                "document discusses it",
                raw.key_line("id"),
            )


def _agree(raw: RawItem, given: dict[str, Any], concept: Concept, problems: Problems) -> None:
    if concept.section != raw.section:
        problems.add(
            f"{raw.section} item '{raw.data.id}': '{raw.data.id}' is a {concept.kind} in {concept.where}, "
            f"not a {raw.kind}",
            raw.key_line("id"),
        )
        return
    for name, value in sorted(given.items()):
        theirs = getattr(concept.definition, name)
        if value != theirs:
            problems.add(
                f"{raw.name} is defined differently in {concept.where}: {name} is {_shown(theirs)!r} there "
                f"and {_shown(value)!r} here (remove '{name}' here, or make the two agree)",
                raw.key_line(name),
            )
    raw.definition, raw.defined_at = concept.definition, concept.where


def _own_definition(raw: RawItem, given: dict[str, Any], problems: Problems) -> None:
    schema = DEFINITIONS[raw.section]
    try:
        raw.definition = schema.model_validate({"id": raw.data.id, **given})
    except ValidationError as error:
        for message, key in validation_messages(error, schema):
            problems.add(f"{raw.name}: {message}", raw.key_line(key or "id"))
        return
    raw.defined_at = f"{problems.file}:{raw.key_line('id')}"
