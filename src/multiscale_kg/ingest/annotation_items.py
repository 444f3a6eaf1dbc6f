"""The items of ``annotations.yaml``: what an item of each section may say (unknown keys are errors), read
from the YAML with the lines of its item and keys, and validated one by one."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, create_model
from yaml.constructor import SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from ..errors import IngestError, Problem
from ..schema.knowledge import (
    Annotations,
    Domain,
    DrawbackKind,
    EntityKind,
    Evidence,
    RelationType,
    entity_fields,
)
from ..schema.models import Slug
from ..schema.vocab import Property, Scale
from . import yaml_lines
from .yaml_lines import line as node_line

# ---- what an item of each section may say (unknown keys are errors) ---------------------------------------


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class _QuoteItem(_Strict):
    quote: str
    occurrence: int | None = Field(None, ge=1)


class _Item(_Strict):
    quote: str | None = None
    occurrence: int | None = Field(None, ge=1)
    quotes: list[str | _QuoteItem] = []


# -- concepts: what a concept is (in corpus/concepts.yaml, or in the one document that discusses it) --------


class _Definition(_Strict):
    id: Slug
    label: str


class _Mechanism(_Definition):
    description: str | None = None
    domain: Domain
    favours: Scale | None


class _Advantage(_Definition):
    scale: Scale


class _Drawback(_Definition):
    scale: Scale | None
    kind: DrawbackKind = DrawbackKind.DRAWBACK


class _Strategy(_Definition):
    family: bool = False


#: concept section (the Annotations model's concept fields) → the schema of its definitions
DEFINITIONS: dict[str, type[_Definition]] = {
    "mechanisms": _Mechanism,
    "advantages": _Advantage,
    "drawbacks": _Drawback,
    "causes": _Definition,
    "strategies": _Strategy,
    "features": _Definition,
}


def _use_schema(section: str, definition: type[_Definition]) -> type[_Item]:
    """What a document's item of a concept section says: the concept's id and its quotes in this document;
    optionally its definition's keys, which must then agree with the concept's definition."""
    keys: dict[str, Any] = {
        name: (info.annotation | None, None) for name, info in definition.model_fields.items() if name != "id"
    }
    if section == "strategies":
        #: the quote that shows the text only proposes the strategy
        keys["prospect"] = (str | None, None)
    return create_model(f"_{definition.__name__.strip('_')}Item", __base__=_Item, id=(Slug, ...), **keys)


# -- statements: what one document says ----------------------------------------------------------------------


class _Claim(_Item):
    id: Slug
    label: str
    statement: str
    property: Property | None = None
    better_scale: Scale | None = None


class _Context(_Item):
    id: Slug
    label: str
    reason: str
    quantity: str | None = None


class _Relation(_Item):
    subject: str
    relation: RelationType
    object: str
    note: str | None = None


class _Measurement(_Item):
    quantity: str
    material: str
    strategy: str | None = None
    scale: Scale
    property: Property
    condition: str | None = None
    cycles: int | None = Field(None, ge=1)
    particle_size: str | None = None


#: section → the schema of a document's items
_SECTIONS: dict[str, type[_Item]] = {
    **{section: _use_schema(section, schema) for section, schema in DEFINITIONS.items()},
    "claims": _Claim,
    "context": _Context,
    "relations": _Relation,
    "measurements": _Measurement,
}
#: section → the kind of the entities it names (the Annotations model's entity fields)
SECTION_KINDS = entity_fields(Annotations)


def statement_id(document_id: str, local_id: str) -> str:
    """The id of a document's claim or context fact: ids of statements never collide across documents."""
    return f"{document_id}-{local_id}"


# (evidence, clean start, clean end) of a resolved quote in its passage's clean text
Resolved = tuple[Evidence, int, int]


@dataclass
class RawItem:
    """One validated item of the file, the lines its problems are reported at, and its resolved quotes."""

    section: str
    data: Any  # the section's item schema
    line: int
    key_lines: dict[str, int]
    quotes: list[tuple[str, int | None, int]]  # (quote, occurrence, line)
    resolved: list[Resolved | None] = field(default_factory=list)
    prospect: tuple[Evidence, ...] = ()
    #: a concept item's definition (the vocabulary's, or the item's own) and where it is written
    #: ("file:line"); a statement's own data
    definition: Any = None
    defined_at: str | None = None

    @property
    def kind(self) -> EntityKind | None:
        return SECTION_KINDS.get(self.section)

    @property
    def name(self) -> str:
        if self.kind is not None:
            return f"{self.kind} '{self.data.id}'"
        if self.section == "relations":
            return f"relation '{self.data.subject} {self.data.relation} {self.data.object}'"
        return f"measurement '{self.data.quantity}'"

    def key_line(self, key: str) -> int:
        return self.key_lines.get(key, self.line)

    @property
    def evidence(self) -> tuple[Evidence, ...]:
        return tuple(found[0] for found in self.resolved if found)


@dataclass
class Problems:
    file: str
    items: list[Problem] = field(default_factory=list)

    def add(self, message: str, line: int | None) -> None:
        self.items.append(Problem(self.file, message, line))


# ---- reading the YAML with line numbers -------------------------------------------------------------------


def _number(node: Node | None) -> int | None:
    return int(node.value) if isinstance(node, ScalarNode) and node.value.isdigit() else None


def _quote_specs(node: MappingNode) -> list[tuple[str, int | None, int]]:
    """Every quote of an item with its occurrence and the line it is written on."""
    values = yaml_lines.entries(node)
    specs = []
    if isinstance(values.get("quote"), ScalarNode):
        specs.append(
            (str(values["quote"].value), _number(values.get("occurrence")), node_line(values["quote"]))
        )
    if isinstance(values.get("quotes"), SequenceNode):
        for entry in values["quotes"].value:
            if isinstance(entry, ScalarNode):
                specs.append((str(entry.value), None, node_line(entry)))
            elif isinstance(entry, MappingNode):
                inner = yaml_lines.entries(entry)
                if isinstance(inner.get("quote"), ScalarNode):
                    specs.append(
                        (
                            str(inner["quote"].value),
                            _number(inner.get("occurrence")),
                            node_line(inner["quote"]),
                        )
                    )
    return specs


def _key_lines(node: MappingNode, problems: Problems, where: str) -> dict[str, int]:
    lines, repeated = yaml_lines.key_lines(node)
    for name, line, first in repeated:
        problems.add(f"{where}: duplicate key '{name}' (also at line {first})", line)
    return lines


def validation_messages(error: ValidationError, schema: type[BaseModel]) -> list[tuple[str, str | None]]:
    """(message, offending key) for each error of an item, worded for a curator."""
    messages = []
    for item in error.errors():
        key = str(item["loc"][0]) if item["loc"] else None
        if item["type"] == "extra_forbidden":
            expected = ", ".join(sorted(schema.model_fields))
            messages.append((f"unknown key '{key}' (expected one of: {expected})", key))
        elif item["type"] == "missing":
            messages.append((f"missing key '{key}'", None))
        else:
            where = ".".join(str(part) for part in item["loc"])
            message = item["msg"].removeprefix("Value error, ")
            messages.append((f"key '{where}': {message}", key))
    return messages


def _item_label(section: str, data: dict) -> str:
    if section == "relations":
        return f"{section} item '{data.get('subject')} {data.get('relation')} {data.get('object')}'"
    label = data.get("id") or data.get("quantity")
    return f"{section} item '{label}'" if label else f"{section} item"


def read_items(path: Path, problems: Problems, document_id: str) -> list[RawItem]:
    """The items of a document's ``annotations.yaml``, each validated against its section's schema."""
    return read_sections(path, problems, _SECTIONS, document_id)


def read_definitions(path: Path, problems: Problems) -> list[RawItem]:
    """The concept definitions of ``concepts.yaml`` (no quotes: a concept has no document)."""
    return read_sections(path, problems, DEFINITIONS)


def read_sections(
    path: Path, problems: Problems, schemas: dict[str, type[BaseModel]], document_id: str | None = None
) -> list[RawItem]:
    """The items of a file of sections, each validated against its section's schema; a ``document`` key is
    allowed where ``document_id`` is given and must name it."""
    try:
        root = yaml_lines.read(path)
    except IngestError as error:
        problems.items += error.problems
        return []
    if not isinstance(root, MappingNode):
        problems.add(
            f"expected a mapping of sections ({', '.join(list(schemas)[:3])}, ...)",
            node_line(root) if root else None,
        )
        return []
    constructor = SafeConstructor()
    _key_lines(root, problems, "top level")
    top_keys = {*schemas, *(("document",) if document_id else ())}
    raws: list[RawItem] = []
    for key, value in root.value:
        section = str(key.value)
        if section not in top_keys:
            problems.add(
                f"unknown section '{section}' (expected one of: {', '.join(sorted(top_keys))})",
                node_line(key),
            )
        elif section == "document":
            if value.value != document_id:
                problems.add(
                    f"document '{value.value}' is not this folder's document '{document_id}'",
                    node_line(value),
                )
        elif not isinstance(value, SequenceNode):
            problems.add(f"section '{section}' must be a list of items", node_line(value))
        else:
            raws += _read_section(section, schemas[section], value, constructor, problems)
    return raws


def _read_section(
    section: str,
    schema: type[BaseModel],
    sequence: SequenceNode,
    constructor: SafeConstructor,
    problems: Problems,
) -> list[RawItem]:
    raws = []
    for node in sequence.value:
        if not isinstance(node, MappingNode):
            problems.add(f"{section}: each item must be a mapping of keys", node_line(node))
            continue
        lines = _key_lines(node, problems, f"{section} item")
        data = constructor.construct_object(node, deep=True)
        try:
            item = schema.model_validate(data)
        except ValidationError as error:
            for message, key in validation_messages(error, schema):
                problems.add(
                    f"{_item_label(section, data)}: {message}", lines.get(key or "", node_line(node))
                )
            continue
        raws.append(RawItem(section, item, node_line(node), lines, _quote_specs(node)))
    return raws
