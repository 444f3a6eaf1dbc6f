"""The curated rows of one document in a build, and the golden file of the article's rows as built before
concepts and statements were split (``corpus/concepts.yaml``).

The golden file holds every row of the tables below as the build of the commit before the split wrote them
(one JSON object per line: table and row). ``python -m tests.curated_rows DB`` rewrites it from a build.
"""

from __future__ import annotations

import gzip
import json
import sqlite3
import sys
from pathlib import Path

GOLDEN = Path(__file__).resolve().parent / "fixtures" / "golden" / "nano-vs-micro-curated.jsonl.gz"

#: the concepts (one row per concept, no document)
CONCEPT_TABLES = ("mechanisms", "advantages", "causes", "drawbacks", "features", "strategies")
#: what a document states: its claims and context facts, curated relations, quotes and values
STATEMENT_TABLES = (
    "claims",
    "context_facts",
    "measurements",
    "materials",
    "table_notes",
    "scale_definitions",
    "evidence",
    "drawback_causes",
    "strategy_features",
    "feature_mitigates",
    "strategy_tradeoffs",
    "strategy_materials",
    "strategy_families",
    "strategy_shortfalls",
    "strategy_improves",
    "strategy_lacks_features",
    "mechanism_materials",
    "mechanism_explains",
)
#: what the rules derive from them
DERIVED_TABLES = (
    "strategy_addresses",
    "strategy_candidates",
    "strategy_profiles",
    "claim_checks",
    "theoretical_capacities",
)
TABLES = CONCEPT_TABLES + STATEMENT_TABLES + DERIVED_TABLES


def table_rows(db: sqlite3.Connection, table: str) -> list[dict]:
    db.row_factory = sqlite3.Row
    return [dict(row) for row in db.execute(f"select * from [{table}] order by id")]


def all_rows(path: Path) -> dict[str, list[dict]]:
    """Every row of the curated, statement and derived tables of the build at ``path`` (a database)."""
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return {table: table_rows(db, table) for table in TABLES}
    finally:
        db.close()


#: how ids changed when statements gained their document: table → (column, how the id was written before)
_DOCUMENT_PREFIXES = {
    **{table: (("id", "/"),) for table in STATEMENT_TABLES if table not in ("claims", "context_facts")},
    "claims": (("id", "-"),),
    "context_facts": (("id", "-"),),
    "claim_checks": (("id", "-"), ("claim_id", "-")),
}
#: columns added since the golden file was written: the document of each statement
ADDED_COLUMNS = {
    "claims": {"document_id"},
    "context_facts": {"document_id"},
    **{table: {"document_id"} for table in STATEMENT_TABLES if table.startswith(("strategy_", "mechanism_"))},
    "drawback_causes": {"document_id"},
    "feature_mitigates": {"document_id"},
    "claim_checks": {"document_id"},
}
#: columns whose values moved with the split: the line of annotations.yaml a quote is written on
MOVED_COLUMNS = {"evidence": {"annotation_line"}}


def _strip(value, document_id: str, separator: str):
    prefix = document_id + separator
    return value[len(prefix) :] if isinstance(value, str) and value.startswith(prefix) else value


def as_before(rows: dict[str, list[dict]], document_id: str, golden: dict[str, list[dict]]) -> dict:
    """One document's rows written as the golden file writes them: ids without the document that statements
    gained (``nano-vs-micro/a--causedBy--b`` → ``a--causedBy--b``, claim ``nano-vs-micro-x`` → ``x``), only
    the golden file's columns, and not the columns whose values moved (the annotation line of a quote)."""
    before = {}
    for table in TABLES:
        columns = set(golden[table][0]) - MOVED_COLUMNS.get(table, set()) if golden[table] else set()
        converted = []
        for row in rows[table]:
            row = dict(row)
            for column, separator in _DOCUMENT_PREFIXES.get(table, ()):
                row[column] = _strip(row[column], document_id, separator)
            if table == "evidence" and row["subject_kind"] in ("claim", "context"):
                kind, subject, n = row["id"].split("/")
                row["subject_id"] = _strip(row["subject_id"], document_id, "-")
                row["id"] = f"{kind}/{_strip(subject, document_id, '-')}/{n}"
            if table == "claim_checks" and row["derivation_id"]:  # a derivation's id names its claim
                row["derivation_id"] = row["derivation_id"].replace(f"--{document_id}-", "--", 1)
            converted.append({key: value for key, value in row.items() if key in columns})
        before[table] = sorted(converted, key=lambda row: row["id"])
    return before


def of_document(rows: dict[str, list[dict]], document_id: str) -> dict[str, list[dict]]:
    """The rows that belong to one document: its statements and evidence (a row with its ``document_id``),
    every concept and every derived row."""
    return {
        table: [row for row in found if row.get("document_id", document_id) == document_id]
        for table, found in rows.items()
    }


def write_golden(rows: dict[str, list[dict]], path: Path = GOLDEN) -> None:
    lines = [
        json.dumps({"table": table, "row": row}, ensure_ascii=False, sort_keys=True)
        for table in TABLES
        for row in rows[table]
    ]
    # a fixed mtime keeps the file byte-identical when it is rewritten from the same build
    with gzip.GzipFile(path, "wb", mtime=0) as handle:
        handle.write(("\n".join(lines) + "\n").encode("utf-8"))


def read_golden(path: Path = GOLDEN) -> dict[str, list[dict]]:
    rows: dict[str, list[dict]] = {table: [] for table in TABLES}
    for line in gzip.decompress(path.read_bytes()).decode("utf-8").splitlines():
        item = json.loads(line)
        rows[item["table"]].append(item["row"])
    return rows


if __name__ == "__main__":
    write_golden(all_rows(Path(sys.argv[1])))
    print(f"wrote {GOLDEN}")
