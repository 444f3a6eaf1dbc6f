"""The answer to "which strategies address this drawback, and at what cost", as a researcher reads it.

Strategies grouped by support grade (stated first); each with its paths as steps, every step with its quotes
and cited references; its trade-offs with their quotes; the materials it (or its examples) is made with and
their Table 1 and prose numbers. Built from ``explain`` and the tables, so the page, the CLI and the API
give one answer.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

import sqlite_utils

from ..schema.vocab import Support
from .explain import Step, explain, strategies_for


@dataclass
class Cost:
    drawback_id: str
    label: str
    quote: str | None
    ref_numbers: list[int]


@dataclass
class Value:
    """One number of a material: Table 1's or the prose's."""

    material_id: str
    material: str
    property: str
    scale: str
    printed: str
    source: str
    quote: str
    #: the general notes of its table that condition the value; where its size disagrees with its scale
    conditions: list[str] = field(default_factory=list)
    scale_conflict: str | None = None


@dataclass
class Answer:
    strategy_id: str
    label: str
    support: str
    is_family: bool
    prospect_quote: str | None
    paths: list[tuple[str, str, list[Step]]]  # (grade, explanation, steps)
    costs: list[Cost]
    values: list[Value]


@dataclass
class AnswerPage:
    drawback_id: str
    label: str
    scale: str | None
    quotes: list[str]
    #: grade → answers of that grade, best grade first; grades without answers are left out
    groups: dict[str, list[Answer]] = field(default_factory=dict)
    falls_short: list[dict] = field(default_factory=list)


def _printed(row: dict) -> str:
    low, high, qualifier = row["value_min"], row["value_max"], row["qualifier"]
    bounds = [f"{value:g}" for value in dict.fromkeys((low, high)) if value is not None]
    number = "–".join(bounds)
    sign = {"=": "", "~": "~", "<=": "≤", ">=": "≥", "<": "<", ">": ">"}.get(qualifier, "")
    text = f"{sign}{number} {row['unit'] or ''}".strip()
    if row["cycles"]:
        text += f" after {row['cycles']} cycles"
    if row["rate_condition"]:
        text += f" at {row['rate_condition']}"
    return text


def _costs(db: sqlite_utils.Database, strategy_id: str) -> list[Cost]:
    rows = db.query(
        "select t.drawback_id, d.label, t.quote, t.ref_numbers from strategy_tradeoffs t "
        "join drawbacks d on d.id = t.drawback_id "
        "where t.strategy_id = ? or t.strategy_id in "
        "(select family_id from strategy_families where strategy_id = ?) "
        "order by d.label, t.strategy_id <> ?",
        [strategy_id, strategy_id, strategy_id],
    )
    costs: dict[str, Cost] = {}  # the strategy's own statement of a cost first, then its family's
    for r in rows:
        costs.setdefault(
            r["drawback_id"],
            Cost(r["drawback_id"], r["label"], r["quote"], json.loads(r["ref_numbers"] or "[]")),
        )
    return list(costs.values())


def _values(db: sqlite_utils.Database, strategy_id: str) -> list[Value]:
    """Numbers of the materials the strategy or its examples use (Table 1 first), and the strategy's own."""
    rows = db.query(
        "select m.*, mat.name from measurements m join materials mat on mat.id = m.material_id "
        "where m.strategy_id = :s or (m.source = 'table1' and m.material_id in ("
        "  select material_id from strategy_materials where strategy_id = :s or strategy_id in "
        "  (select strategy_id from strategy_families where family_id = :s))) "
        "order by m.source <> 'table1', m.material_id, m.property, m.scale desc, m.id",
        {"s": strategy_id},
    )
    notes = {r["id"]: r["text"] for r in db.query("select id, text from table_notes")}
    return [
        Value(
            r["material_id"],
            r["name"],
            r["property"],
            r["scale"],
            _printed(r),
            r["source"],
            r["quote"],
            [notes[n] for n in json.loads(r["table_note_ids"] or "[]")],
            r["scale_conflict"],
        )
        for r in rows
    ]


def answer_page(db: sqlite_utils.Database, drawback_id: str, min_support: str | None = None) -> AnswerPage:
    found = strategies_for(db, drawback_id, min_support)  # raises KeyError naming the known ids
    drawback = next(db.query("select * from drawbacks where id = ?", [drawback_id]))
    quotes = [
        r["quote"]
        for r in db.query(
            "select quote from evidence where subject_kind = 'drawback' and subject_id = ? order by start",
            [drawback_id],
        )
    ]
    page = AnswerPage(drawback_id, drawback["label"], drawback["scale"], quotes)
    for grade in Support:
        page.groups[grade.value] = []
    for entry in found:
        why = explain(db, entry["strategy_id"], drawback_id, min_support)
        prospect = next(
            db.query(
                "select quote from evidence where subject_kind = 'prospect' and subject_id = ? limit 1",
                [entry["strategy_id"]],
            ),
            None,
        )
        page.groups[entry["support"]].append(
            Answer(
                entry["strategy_id"],
                entry["label"],
                entry["support"],
                entry["is_family"],
                prospect["quote"] if prospect else None,
                [(c.support, c.explanation, c.steps) for c in why.chains],
                _costs(db, entry["strategy_id"]),
                _values(db, entry["strategy_id"]),
            )
        )
    page.groups = {grade: answers for grade, answers in page.groups.items() if answers}
    page.falls_short = list(
        db.query(
            "select x.strategy_id, s.label, x.quote, x.ref_numbers from strategy_shortfalls x "
            "join strategies s on s.id = x.strategy_id where x.drawback_id = ? order by x.strategy_id",
            [drawback_id],
        )
    )
    return page
