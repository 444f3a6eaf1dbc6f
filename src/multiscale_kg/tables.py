"""The SQLite projection: one table per model, columns and types derived from the pydantic fields.

Rows are written in id order, so the same KnowledgeBase always gives the same database content.
"""

from __future__ import annotations

import json
import types
import typing
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from enum import Enum
from pathlib import Path

import sqlite_utils
from pydantic import BaseModel

from .schema import KnowledgeBase


@dataclass(frozen=True)
class TableSpec:
    name: str
    model: type[BaseModel]
    attribute: str  # the KnowledgeBase field holding the rows
    foreign_keys: tuple[tuple[str, str, str], ...] = ()
    rename: dict[str, str] = field(default_factory=dict)  # model field → column
    drop: tuple[str, ...] = ()
    fts: tuple[str, ...] = ()


def _specs() -> list[TableSpec]:
    from .schema import models as m

    doc = ("document_id", "documents", "id")
    return [
        TableSpec("documents", m.Document, "documents"),
        TableSpec("sections", m.Section, "sections", (doc, ("parent_id", "sections", "id"))),
        TableSpec("passages", m.Passage, "passages", (doc, ("section_id", "sections", "id")), fts=("text",)),
        TableSpec("materials", m.Material, "materials", (doc,)),
        TableSpec("refs", m.Reference, "references", (doc,)),
        TableSpec(
            "citations",
            m.Citation,
            "citations",
            (doc, ("ref_id", "refs", "id"), ("passage_id", "passages", "id")),
        ),
        TableSpec(
            "measurements",
            m.Measurement,
            "measurements",
            (doc, ("material_id", "materials", "id"), ("passage_id", "passages", "id")),
        ),
    ]


def _column_type(annotation: typing.Any) -> type:
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        members = [a for a in typing.get_args(annotation) if a is not type(None)]
        return _column_type(members[0])
    if origin in (tuple, list, dict) or annotation in (tuple, list, dict):
        return str
    if isinstance(annotation, type):
        if issubclass(annotation, bool):
            return int
        if issubclass(annotation, Enum | str):
            return str
        if issubclass(annotation, int):
            return int
        if issubclass(annotation, float | Decimal):
            return float
    return str


def _cell(value: typing.Any) -> typing.Any:
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, tuple | list):
        return json.dumps([_cell(v) for v in value], ensure_ascii=False)
    if isinstance(value, dict):
        return json.dumps({str(k): _cell(v) for k, v in sorted(value.items())}, ensure_ascii=False)
    return value


def columns_of(spec: TableSpec) -> dict[str, type]:
    return {
        spec.rename.get(name, name): _column_type(info.annotation)
        for name, info in spec.model.model_fields.items()
        if name not in spec.drop
    }


def rows_of(spec: TableSpec, items: Iterable[BaseModel]) -> Iterator[dict]:
    for item in sorted(items, key=lambda i: i.id):
        yield {
            spec.rename.get(name, name): _cell(getattr(item, name))
            for name in spec.model.model_fields
            if name not in spec.drop
        }


def _document_metadata(kb: KnowledgeBase) -> Iterator[dict]:
    for doc in sorted(kb.documents, key=lambda d: d.id):
        for name, status in sorted(doc.metadata_status.items()):
            yield {
                "id": f"{doc.id}:{name}",
                "document_id": doc.id,
                "field": name,
                "value": _cell(getattr(doc, name)),
                "status": status.value,
            }


def write_database(kb: KnowledgeBase, path: Path) -> None:
    """Write ``kb`` to a new SQLite file at ``path`` (which must not exist)."""
    db = sqlite_utils.Database(path)
    db.conn.execute("PRAGMA foreign_keys = ON")
    for spec in _specs():
        table = db[spec.name]
        table.create(columns_of(spec), pk="id", foreign_keys=list(spec.foreign_keys))
        table.insert_all(rows_of(spec, getattr(kb, spec.attribute)))
        for column, _, _ in spec.foreign_keys:
            table.create_index([column])
        if spec.fts:
            table.enable_fts(list(spec.fts), tokenize="porter")
    meta = db["document_metadata"]
    meta.create(
        {"id": str, "document_id": str, "field": str, "value": str, "status": str},
        pk="id",
        foreign_keys=[("document_id", "documents", "id")],
    )
    meta.insert_all(_document_metadata(kb))
    db["citations"].create_index(["ref_number"])
    db["measurements"].create_index(["property", "scale"])
    db.conn.commit()
    db.close()
