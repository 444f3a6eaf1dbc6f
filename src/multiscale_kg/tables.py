"""The SQLite projection: one table per model, columns and types derived from the pydantic fields.

Entity tables come from the models; each curated relation type becomes a link table, one row per document's
statement (its id ``<document>/<subject>--<relation>--<object>``); every quote goes to ``evidence`` (its id
``<document>/<kind>/<subject>/<n>``); ``edges`` mirrors the graph. Rows are written in id order, so the same
KnowledgeBase always gives the same database.
"""

from __future__ import annotations

import functools
import json
import sqlite3
import types
import typing
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from enum import Enum
from operator import attrgetter, itemgetter
from pathlib import Path

from pydantic import BaseModel

from . import sqlite_file
from .schema import KnowledgeBase
from .schema import knowledge as k
from .schema import models as m
from .schema.elements import Edge, kinds_of, relation_kinds
from .schema.kb import CURATED
from .sqlite_file import create_index, create_table, enable_fts


@dataclass(frozen=True)
class TableSpec:
    name: str
    model: type[BaseModel]
    attribute: str  # the KnowledgeBase field holding the rows
    foreign_keys: tuple[tuple[str, str, str], ...] = ()
    drop: tuple[str, ...] = ()
    fts: tuple[str, ...] = ()


@dataclass(frozen=True)
class LinkSpec:
    """A curated relation type as a link table: subject column → object column."""

    name: str
    relation: k.RelationType
    subject: tuple[str, str]  # (column, table)
    object: tuple[str, str | None]  # table None: the object may be of several kinds


_DOC = ("document_id", "documents", "id")
_EVIDENCE = ("evidence",)
_PASSAGE = ("passage_id", "passages", "id")

TABLES = [
    TableSpec("documents", m.Document, "documents"),
    TableSpec("sections", m.Section, "sections", (_DOC, ("parent_id", "sections", "id"))),
    TableSpec("passages", m.Passage, "passages", (_DOC, ("section_id", "sections", "id")), fts=("text",)),
    TableSpec("materials", m.Material, "materials", (_DOC,)),
    TableSpec("material_facts", m.MaterialFact, "material_facts", (_DOC, ("material_id", "materials", "id"))),
    TableSpec("refs", m.Reference, "references", (_DOC,)),
    TableSpec(
        "citations",
        m.Citation,
        "citations",
        (_DOC, ("ref_id", "refs", "id"), ("passage_id", "passages", "id")),
    ),
    TableSpec("table_notes", m.TableNote, "table_notes", (_DOC, ("passage_id", "passages", "id"))),
    TableSpec(
        "scale_definitions", m.ScaleDefinition, "scale_definitions", (_DOC, ("passage_id", "passages", "id"))
    ),
    TableSpec("mechanisms", k.Mechanism, "mechanisms", drop=_EVIDENCE),
    TableSpec("advantages", k.Advantage, "advantages", drop=_EVIDENCE),
    TableSpec("causes", k.Cause, "causes", drop=_EVIDENCE),
    TableSpec("drawbacks", k.Drawback, "drawbacks", drop=_EVIDENCE),
    TableSpec("features", k.Feature, "features", drop=_EVIDENCE),
    TableSpec("strategies", k.Strategy, "strategies", drop=(*_EVIDENCE, "prospect_evidence")),
    TableSpec("claims", k.Claim, "claims", (_DOC,), drop=_EVIDENCE),
    TableSpec("context_facts", k.ContextFact, "context", (_DOC,), drop=_EVIDENCE),
    TableSpec("document_tables", m.Table, "tables", (_DOC, ("passage_id", "passages", "id"))),
    TableSpec(
        "table_cells",
        m.TableCell,
        "table_cells",
        (_DOC, ("table_id", "document_tables", "id"), ("passage_id", "passages", "id")),
    ),
    TableSpec(
        "measurements",
        m.Measurement,
        "measurements",
        (
            _DOC,
            ("material_id", "materials", "id"),
            ("passage_id", "passages", "id"),
            ("strategy_id", "strategies", "id"),
            ("table_id", "document_tables", "id"),
        ),
    ),
]

_R = k.RelationType
#: each curated relation type as a link table (name, relation, subject and object: column, table)
LINKS = [
    LinkSpec("drawback_causes", _R.CAUSED_BY, ("drawback_id", "drawbacks"), ("cause_id", "causes")),
    LinkSpec("strategy_features", _R.HAS_FEATURE, ("strategy_id", "strategies"), ("feature_id", "features")),
    LinkSpec("feature_mitigates", _R.MITIGATES, ("feature_id", "features"), ("cause_id", "causes")),
    LinkSpec(
        "strategy_tradeoffs", _R.INTRODUCES, ("strategy_id", "strategies"), ("drawback_id", "drawbacks")
    ),
    LinkSpec(
        "strategy_materials", _R.USES_MATERIAL, ("strategy_id", "strategies"), ("material_id", "materials")
    ),
    LinkSpec("strategy_families", _R.EXAMPLE_OF, ("strategy_id", "strategies"), ("family_id", "strategies")),
    LinkSpec(
        "strategy_shortfalls", _R.FALLS_SHORT_ON, ("strategy_id", "strategies"), ("drawback_id", "drawbacks")
    ),
    LinkSpec("strategy_improves", _R.IMPROVES, ("strategy_id", "strategies"), ("drawback_id", "drawbacks")),
    LinkSpec(
        "strategy_lacks_features", _R.LACKS_FEATURE, ("strategy_id", "strategies"), ("feature_id", "features")
    ),
    LinkSpec(
        "mechanism_materials", _R.EXEMPLIFIED_BY, ("mechanism_id", "mechanisms"), ("material_id", "materials")
    ),
    LinkSpec("mechanism_explains", _R.EXPLAINS, ("mechanism_id", "mechanisms"), ("target_id", None)),
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


#: values stored as they are (checked by exact type first: most cells are one of these)
_PLAIN = frozenset({str, int, float, bool, type(None)})
#: ``json.dumps(value, ensure_ascii=False)``, with its encoder made once
_json = json.JSONEncoder(ensure_ascii=False).encode


def _cell(value: typing.Any) -> typing.Any:
    if type(value) in _PLAIN:
        return value
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, tuple | list):
        return _json([v if type(v) in _PLAIN else _cell(v) for v in value])
    if isinstance(value, dict):
        return _json({str(key): _cell(v) for key, v in sorted(value.items())})
    return value


def model_columns(model: type[BaseModel], drop: Iterable[str] = ()) -> dict[str, type]:
    """A table's columns and their SQLite types, from the fields (and computed fields) of its rows' model."""
    types = {name: info.annotation for name, info in model.model_fields.items()}
    types.update({name: info.return_type for name, info in model.model_computed_fields.items()})
    return {name: _column_type(annotation) for name, annotation in types.items() if name not in drop}


@functools.cache
def _values_of(model: type[BaseModel], drop: tuple[str, ...]) -> attrgetter:
    """Reads a row's values, in column order, in one call (a table has at least two columns)."""
    return attrgetter(*model_columns(model, drop))


def model_row(item: BaseModel, drop: Iterable[str] = ()) -> tuple:
    """A model's cells, in the order of ``model_columns``."""
    return tuple([v if type(v) in _PLAIN else _cell(v) for v in _values_of(type(item), tuple(drop))(item)])


def columns_of(spec: TableSpec) -> dict[str, type]:
    return model_columns(spec.model, spec.drop)


def rows_of(spec: TableSpec, items: Iterable[BaseModel]) -> Iterator[tuple]:
    for item in sorted(items, key=lambda i: i.id):
        yield model_row(item, spec.drop)


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


def _evidence_rows(kb: KnowledgeBase) -> Iterator[dict]:
    def rows(kind: str, subject_id: str, evidence: Iterable[k.Evidence]) -> Iterator[dict]:
        counts: dict[str, int] = {}
        for ev in evidence:  # numbered per document: a document's rows do not depend on the others
            counts[ev.document_id] = n = counts.get(ev.document_id, 0) + 1
            yield {
                "id": f"{ev.document_id}/{kind}/{subject_id}/{n}",
                "document_id": ev.document_id,
                "subject_kind": kind,
                "subject_id": subject_id,
                "passage_id": ev.passage_id,
                "quote": ev.quote,
                "start": ev.start,
                "end": ev.end,
                "ref_numbers": _cell(ev.ref_numbers),
                "annotation_line": ev.line,
            }

    for attribute, kind in CURATED.items():
        for entity in getattr(kb, attribute):
            yield from rows(kind, entity.id, entity.evidence)
    for strategy in kb.strategies:
        yield from rows("prospect", strategy.id, strategy.prospect_evidence)
    for relation in kb.relations:
        yield from rows("statement", relation.key, relation.evidence)
    for ms in kb.measurements:
        yield {
            "id": f"{ms.document_id}/measurement/{ms.id}/1",
            "document_id": ms.document_id,
            "subject_kind": "measurement",
            "subject_id": ms.id,
            "passage_id": ms.passage_id,
            "quote": ms.quote,
            "start": ms.start,
            "end": ms.end,
            "ref_numbers": _cell(ms.ref_numbers),
            "annotation_line": None,
        }


def _link_rows(kb: KnowledgeBase, link: LinkSpec) -> Iterator[dict]:
    kinds = kinds_of(kb)
    for relation in sorted(kb.relations, key=lambda r: r.id):
        if relation.relation != link.relation:
            continue
        row = {
            "id": relation.id,
            "document_id": relation.document_id,
            link.subject[0]: relation.subject_id,
            link.object[0]: relation.object_id,
        }
        if link.object[1] is None:
            row["target_kind"] = relation_kinds(kinds, relation)[1]
        row["quote"] = relation.evidence[0].quote
        row["ref_numbers"] = _cell(sorted({n for ev in relation.evidence for n in ev.ref_numbers}))
        row["note"] = relation.note
        yield row


def _in_order(columns: dict[str, type], rows: Iterable[dict]) -> Iterator[tuple]:
    """Rows built as dicts, as tuples in the order of ``columns``."""
    return map(itemgetter(*columns), rows)


EDGE_COLUMNS = {
    "id": str,
    "source": str,
    "relation": str,
    "target": str,
    "inferred": int,
    "quote": str,
    "ref_numbers": str,
    "support": str,
}


def write_edges(db: sqlite3.Connection, edges: Iterable[Edge]) -> None:
    rows = (
        (
            f"{e.source} {e.relation} {e.target}",
            e.source,
            e.relation,
            e.target,
            int(e.inferred),
            e.quote,
            _cell(e.ref_numbers),
            e.support,
        )
        for e in edges
    )
    create_table(db, "edges", EDGE_COLUMNS, rows)
    for column in ("source", "target", "relation"):
        create_index(db, "edges", [column])


def write_database(kb: KnowledgeBase, path: Path, edges: Iterable[Edge] = ()) -> sqlite3.Connection:
    """Write ``kb`` to a new SQLite file at ``path`` in one transaction; returns the open connection for the
    derived tables."""
    db = sqlite_file.open_new(path)
    with sqlite_file.transaction(db):
        _write_tables(db, kb, edges)
    return db


def _write_tables(db: sqlite3.Connection, kb: KnowledgeBase, edges: Iterable[Edge]) -> None:
    for spec in TABLES:
        create_table(
            db, spec.name, columns_of(spec), rows_of(spec, getattr(kb, spec.attribute)), spec.foreign_keys
        )
        if spec.fts:
            enable_fts(db, spec.name, spec.fts, tokenize="porter")
    metadata = {"id": str, "document_id": str, "field": str, "value": str, "status": str}
    create_table(db, "document_metadata", metadata, _in_order(metadata, _document_metadata(kb)), [_DOC])
    evidence = {
        "id": str,
        "document_id": str,
        "subject_kind": str,
        "subject_id": str,
        "passage_id": str,
        "quote": str,
        "start": int,
        "end": int,
        "ref_numbers": str,
        "annotation_line": int,
    }
    create_table(
        db,
        "evidence",
        evidence,
        _in_order(evidence, _evidence_rows(kb)),
        [_DOC, ("passage_id", "passages", "id")],
    )
    create_index(db, "evidence", ["subject_kind", "subject_id"])
    enable_fts(db, "evidence", ["quote"], tokenize="porter")
    for link in LINKS:
        columns = {"id": str, "document_id": str, link.subject[0]: str, link.object[0]: str}
        if link.object[1] is None:
            columns["target_kind"] = str
        columns.update({"quote": str, "ref_numbers": str, "note": str})
        keys = [_DOC, (link.subject[0], link.subject[1], "id")]
        if link.object[1]:
            keys.append((link.object[0], link.object[1], "id"))
        create_table(db, link.name, columns, _in_order(columns, _link_rows(kb, link)), keys)
    write_edges(db, edges)
    create_index(db, "citations", ["ref_number"])
    create_index(db, "measurements", ["property", "scale"])
    create_index(db, "measurements", ["method"])
