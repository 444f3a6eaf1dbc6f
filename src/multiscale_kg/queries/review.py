"""The reviewed answer table: every derived ``strategy addresses drawback`` of a document with its grade and
the article's sentences that support it, as a reader checks them (``corpus/<doc>/review/answers.tsv``).

The build's answers are compared with the committed table by a test, so a change to the rules or the
annotations that changes an answer shows up as a diff someone reviews. A reader's verdict on each row
(``reader``: confirmed, or not confirmed with a ``note``) is kept when the table is written again
(``mskg review-answers``).
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import sqlite_utils

from ..schema.vocab import Support

REVIEW_NAME = "review/answers.tsv"
#: the columns the build decides; a reader adds the last two
DERIVED_COLUMNS = ("strategy_id", "drawback_id", "support", "evidence")
READER_COLUMNS = ("reader", "note")
NOT_STATED = "not stated"
#: the order of a path's steps, as the article argues them
_STEPS = ("improves", "hasFeature", "mitigates", "causedBy")


def _best_path(db: sqlite_utils.Database, strategy_id: str, drawback_id: str, support: str) -> list[dict]:
    rows = db.query(
        "select derivation_id from strategy_addresses where strategy_id = ? and drawback_id = ? "
        "and path_support = ? order by id limit 1",
        [strategy_id, drawback_id, support],
    )
    derivation = next(rows)["derivation_id"]
    premises = db.query(
        "select relation, quotes from derivation_premises where derivation_id = ?", [derivation]
    )
    return sorted(premises, key=lambda p: _STEPS.index(p["relation"]) if p["relation"] in _STEPS else 9)


def answer_rows(db: sqlite_utils.Database, document_id: str) -> list[dict]:
    """One row per answer of the document's strategies: the grade, and for a stated or chained answer the
    quotes of its best path in the order the article argues (the statement, feature, mitigation, cause)."""
    pairs = db.query(
        "select distinct a.strategy_id, a.drawback_id, a.support from strategy_addresses a "
        "where a.strategy_id in (select subject_id from evidence where subject_kind = 'strategy' "
        "and document_id = ?) order by a.strategy_id, a.drawback_id",
        [document_id],
    )
    rows = []
    for pair in pairs:
        evidence = NOT_STATED
        if pair["support"] in (Support.STATED, Support.CHAINED):
            steps = _best_path(db, pair["strategy_id"], pair["drawback_id"], pair["support"])
            evidence = " | ".join(
                f"{p['relation']}: " + " / ".join(json.loads(p["quotes"])) for p in steps if p["quotes"]
            )
        rows.append({**dict(pair), "evidence": evidence})
    return rows


def read_review(path: Path) -> list[dict]:
    if not path.exists():
        return []
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter="\t"))


def render(rows: list[dict], reviewed: list[dict]) -> str:
    """The table, keeping a reader's verdict where the derived columns did not change."""
    verdicts = {tuple(r[c] for c in DERIVED_COLUMNS): r for r in reviewed}
    out = io.StringIO()
    writer = csv.DictWriter(
        out, fieldnames=[*DERIVED_COLUMNS, *READER_COLUMNS], delimiter="\t", lineterminator="\n"
    )
    writer.writeheader()
    for row in rows:
        kept = verdicts.get(tuple(row[c] for c in DERIVED_COLUMNS), {})
        writer.writerow({**row, **{c: kept.get(c, "") for c in READER_COLUMNS}})
    return out.getvalue()


def write_reviews(db: sqlite_utils.Database, corpus: Path) -> list[Path]:
    """Write the answer table of every curated document of ``corpus``; the paths written."""
    written = []
    for (document_id,) in db.execute("select id from documents order by id").fetchall():
        if not (corpus / document_id / "annotations.yaml").exists():
            continue
        path = corpus / document_id / REVIEW_NAME
        path.parent.mkdir(exist_ok=True)
        path.write_text(render(answer_rows(db, document_id), read_review(path)), encoding="utf-8")
        written.append(path)
    return written
