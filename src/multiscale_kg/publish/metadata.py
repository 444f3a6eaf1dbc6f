"""``datasette_metadata.json``, generated from one source each: ``descriptions.yaml`` (what every table and
column means), ``queries/sql/*.sql`` (the canned queries), the corpus (the article as the source) and the
built database (which tables and columns exist).

    python -m multiscale_kg.publish.metadata            # rewrite datasette_metadata.json
    python -m multiscale_kg.publish.metadata --check    # exit 1 when the file is out of date

``problems`` lists every table or column left undescribed and every description of something that does not
exist, so the metadata cannot drift from the schema.
"""

from __future__ import annotations

import argparse
import html
import json
import sqlite3
import sys
from functools import cache
from importlib.resources import files
from pathlib import Path

import yaml

from ..schema.vocab import TABLE1_COLUMNS
from .canned import canned_queries
from .documents import DOCUMENTS_PATH
from .settings import DATABASE, DEFAULTS, METADATA_NAME, PLUGIN

#: SQLite's own FTS5 shadow tables: internal storage, hidden by Datasette, never described
_FTS_SHADOWS = ("_data", "_idx", "_docsize", "_config", "_content")

_TABLE_KEYS = ("label_column", "sort", "sort_desc", "facets", "hidden")


@cache
def descriptions() -> dict:
    text = files("multiscale_kg.publish").joinpath("descriptions.yaml").read_text(encoding="utf-8")
    return yaml.safe_load(text)


def schema_of(db_path: Path) -> dict[str, list[str]]:
    """Table → columns of a built database, FTS shadow tables left out."""
    conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    try:
        tables = conn.execute("select name from sqlite_master where type = 'table' order by name")
        names = [r[0] for r in tables]
        fts = {n for n in names if "_fts" in n}
        shadows = {n for n in fts for s in _FTS_SHADOWS if n.endswith(s) and n[: -len(s)] in fts}
        return {
            name: [r[1] for r in conn.execute(f"pragma table_info([{name}])")]
            for name in names
            if name not in shadows
        }
    finally:
        conn.close()


def problems(schema: dict[str, list[str]]) -> list[str]:
    """Every table or column without a description, and every description naming something missing."""
    found = []
    common, tables = descriptions()["common"], descriptions()["tables"]
    for table, columns in schema.items():
        spec = tables.get(table)
        if spec is None or not spec.get("description"):
            found.append(f"table {table}: no description in descriptions.yaml")
            continue
        for column in columns:
            if not (spec.get("columns", {}).get(column) or common.get(column)):
                found.append(f"column {table}.{column}: no description in descriptions.yaml")
    for table, spec in tables.items():
        if table not in schema:
            found.append(f"descriptions.yaml describes table {table}, which the database does not have")
            continue
        named = set(spec.get("columns", {})) | set(spec.get("units", {})) | set(spec.get("facets", []))
        named |= {spec[key] for key in ("label_column", "sort", "sort_desc") if key in spec}
        for column in sorted(named - set(schema[table])):
            found.append(f"descriptions.yaml names column {table}.{column}, which does not exist")
    return found


def _documents(corpus: Path) -> list:
    from ..ingest.documents import document_folders, read_document

    return [read_document(folder).document for folder in document_folders(corpus)]


def cited(doc) -> str:
    """A document as a reference: "Jain et al. Title. Journal 7, 736–746 (2022)"; missing fields left out."""
    authors = f"{doc.authors[0].split()[-1]} et al. " if doc.authors else ""
    where = ", ".join(part for part in (" ".join(filter(None, (doc.journal, doc.volume))), doc.pages) if part)
    year = f"({doc.year})" if doc.year else ""
    if where:
        return f"{authors}{doc.title}. {where} {year}".strip()
    return f"{authors}{doc.title} {year}".strip()


def _source(documents: list) -> dict:
    """The data-source line: the document, or every document with a link to the list of documents."""
    if len(documents) > 1:
        return {"source": "; ".join(cited(doc) for doc in documents), "source_url": DOCUMENTS_PATH}
    doc = documents[0]
    source = {"source": cited(doc)}
    if doc.doi:
        source["source_url"] = f"https://doi.org/{doc.doi}"
    return source


def _description(documents: list) -> dict:
    what = "one document" if len(documents) == 1 else f"{len(documents)} documents"
    text = (
        "A knowledge graph of nano-, micro- and multiscale particles in Li-ion battery electrodes, "
        f"parsed from {what}: tables, the numbers of the prose, size effects, drawbacks, their causes and "
        "the strategies that address them, each fact traced to an exact quote."
    )
    links = "; ".join(
        f'<a href="{DOCUMENTS_PATH}/{html.escape(doc.id)}">{html.escape(doc.title)}</a>'
        + (f" ({doc.year})" if doc.year else "")
        for doc in documents
    )
    return {"description": text, "description_html": f"{html.escape(text)} Documents: {links}."}


def _chart_links() -> str:
    links = ", ".join(
        f'<a href="/-/charts/{p.value}">{html.escape(p.value.replace("_", " "))}</a>'
        for p in TABLE1_COLUMNS.values()
    )
    return f"Charts of nano vs micro per material: {links}."


def _table(name: str, columns: list[str]) -> dict:
    common, spec = descriptions()["common"], descriptions()["tables"][name]
    meta: dict = {"description": spec["description"]}
    if name == "measurements":
        meta["description_html"] = f"{html.escape(spec['description'])} {_chart_links()}"
    meta.update({key: spec[key] for key in _TABLE_KEYS if key in spec})
    own = spec.get("columns", {})
    meta["columns"] = {c: own.get(c) or common[c] for c in columns}
    if spec.get("units"):
        meta["units"] = dict(spec["units"])
    return meta


def _queries() -> dict:
    found = {}
    for q in canned_queries().values():
        found[q.name] = {"title": q.title, "description": q.description}
        if "property" in q.params:  # the same comparison drawn
            found[q.name]["description_html"] = f"{html.escape(q.description)} {_chart_links()}"
        found[q.name] |= {"sql": q.sql, "params": list(q.params), "hide_sql": True}
    return found


def generate(db_path: Path, corpus: Path) -> dict:
    """The metadata for the database at ``db_path`` built from ``corpus``; ValueError lists any drift."""
    schema = schema_of(db_path)
    found = problems(schema)
    if found:
        raise ValueError("datasette metadata out of sync with the schema:\n  " + "\n  ".join(found))
    documents = _documents(corpus)
    return {
        "title": "multiscale-kg: nano vs micro battery electrode particles",
        **_description(documents),
        **_source(documents),
        "license": "MIT (software and curated data); quotations belong to the article",
        "license_url": "https://opensource.org/licenses/MIT",
        "databases": {
            DATABASE: {
                "description": "Tables of the build; start with the questions on the home page.",
                "tables": {name: _table(name, columns) for name, columns in schema.items()},
                "queries": _queries(),
            }
        },
        "plugins": {PLUGIN: dict(DEFAULTS)},
    }


def render(metadata: dict) -> str:
    return json.dumps(metadata, indent=2, ensure_ascii=False) + "\n"


def main(argv: list[str] | None = None) -> int:
    from ..build import DB_NAME, build, is_current

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="exit 1 when the file is out of date")
    parser.add_argument("--corpus", type=Path, default=Path("corpus"))
    parser.add_argument("--db", type=Path, default=Path("db"), help="build folder (built when stale)")
    parser.add_argument("--output", type=Path, default=Path(METADATA_NAME))
    args = parser.parse_args(argv)
    if not is_current(args.corpus, args.db):
        build(args.corpus, args.db)
    text = render(generate(args.db / DB_NAME, args.corpus))
    if args.check:
        current = args.output.read_text(encoding="utf-8") if args.output.exists() else ""
        if current != text:
            print(f"{args.output} is out of date: run {__spec__.name}", file=sys.stderr)
            return 1
        return 0
    args.output.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
