"""Every document of the corpus on the site: ``/-/documents`` lists them, ``/-/documents/<id>`` shows one
(its metadata with what is checked, sections, tables as printed, extracted values with how each compares
with a review's Table 1, references), and the home page and the ``documents`` table link to them.

The page data is read with plain SQL from the built database (``document_summaries``, ``document_page``),
so the tests and the views read the same thing.
"""

from __future__ import annotations

import json
import sqlite3
import urllib.parse
from decimal import Decimal

from datasette.utils import tilde_encode
from datasette.utils.asgi import NotFound, Response
from markupsafe import Markup, escape

from .settings import settings

DOCUMENTS_PATH = "/-/documents"
#: the bibliographic fields of document.toml, in the order the page shows them
FIELDS = (
    "title",
    "authors",
    "journal",
    "article_type",
    "year",
    "volume",
    "pages",
    "doi",
    "corresponding_author",
)
SIGNS = {"<=": "≤", "<": "<", ">=": "≥", ">": ">", "~": "~"}

_SUMMARY_SQL = """
select d.id, d.title, d.year, d.article_type, d.journal,
  (select count(*) from sections where document_id = d.id) as sections,
  (select count(*) from document_tables where document_id = d.id) as tables,
  (select count(*) from measurements where document_id = d.id and method = 'curated') as curated,
  (select count(*) from measurements where document_id = d.id and method = 'automatic') as automatic,
  (select count(*) from refs where document_id = d.id) as refs,
  (select count(*) from citations where document_id = d.id) as citations
from documents d order by d.id
"""

_MEASUREMENTS_SQL = """
select ms.id, ms.material_id, mat.name as material, ms.property, ms.scale, ms.qualifier, ms.value_min,
  ms.value_max, ms.unit, ms.value_text, ms.unit_printed, ms.sample, ms.particle_size_text, ms.cycles,
  ms.rate_condition, ms.source, ms.method, ms.table_id, ms.quote, ms.start
from measurements ms left join materials mat on mat.id = ms.material_id
where ms.document_id = ? order by ms.method = 'automatic', ms.start, ms.id
"""


def document_url(datasette, document_id: str) -> str:
    return datasette.urls.path(f"{DOCUMENTS_PATH}/{urllib.parse.quote(document_id)}")


def number(value: float | None) -> str:
    """A stored float as the decimal it was parsed from: 0.0013, not 1.3e-03; 151, not 151.0; powers of ten
    beyond 10−4 as 2.1e-06."""
    if value is None:
        return ""
    if value != 0 and abs(value) < 1e-4:  # 1e-14, not 0.00000000000001
        return f"{value:.3g}"
    return f"{Decimal(repr(value)).normalize():f}"


def bounds(qualifier: str, low: float | None, high: float | None) -> str:
    """A value's bounds as a reader says them: "≤690", "65–80", "≥95", "~0.000001"."""
    if qualifier in ("<=", "<"):
        return SIGNS[qualifier] + number(high if high is not None else low)
    if qualifier in (">=", ">"):
        return SIGNS[qualifier] + number(low if low is not None else high)
    sign = SIGNS.get(qualifier, "")
    if low is not None and high is not None and low != high:
        return f"{sign}{number(low)}–{number(high)}"
    return sign + number(low if low is not None else high)


def _rows(conn: sqlite3.Connection, sql: str, params=()) -> list[sqlite3.Row]:
    """Rows by column name, on a cursor of its own (Datasette's connection keeps its plain tuples)."""
    cursor = conn.cursor()
    cursor.row_factory = sqlite3.Row
    return cursor.execute(sql, params).fetchall()


def document_summaries(conn: sqlite3.Connection) -> list[dict]:
    """One row per document: title, year, type and how much was read from it."""
    return [dict(r) for r in _rows(conn, _SUMMARY_SQL)]


def _metadata(conn: sqlite3.Connection, document: dict) -> list[dict]:
    status = {
        r["field"]: r["status"]
        for r in _rows(
            conn, "select field, status from document_metadata where document_id = ?", [document["id"]]
        )
    }
    found = []
    for name in FIELDS:
        value = document[name]
        if name == "authors":
            value = ", ".join(json.loads(value)) if value else None
        found.append({"field": name, "value": value, "status": status.get(name) if value else "missing"})
    return found


def _grid(conn: sqlite3.Connection, table_id: str) -> dict:
    """A table read as cells, as printed: its headers and rows of cell texts."""
    headers: dict[int, str] = {}
    rows: dict[int, dict[int, str]] = {}
    cells = _rows(
        conn,
        'select row, "column", header, text from table_cells where table_id = ? order by row, "column"',
        [table_id],
    )
    for cell in cells:
        headers.setdefault(cell["column"], cell["header"])
        rows.setdefault(cell["row"], {})[cell["column"]] = cell["text"]
    columns = sorted(headers)
    return {
        "headers": [headers[c] for c in columns],
        "rows": [[row.get(c, "") for c in columns] for _, row in sorted(rows.items())],
    }


def _checks(conn: sqlite3.Connection, document_id: str) -> dict[str, list[dict]]:
    """measurement id → its comparisons with a review's Table 1."""
    found: dict[str, list[dict]] = {}
    rows = _rows(
        conn,
        "select id, measurement_id, review_document_id, material_id, nano_position, micro_position, note "
        "from measurement_checks where document_id = ? order by id",
        [document_id],
    )
    for r in rows:
        found.setdefault(r["measurement_id"], []).append(dict(r))
    return found


def _conditions(m: sqlite3.Row) -> str:
    parts = [
        m["particle_size_text"] and f"particles {m['particle_size_text']}",
        m["cycles"] and f"{m['cycles']} cycles",
        m["rate_condition"],
    ]
    return ", ".join(p for p in parts if p)


def document_page(conn: sqlite3.Connection, document_id: str) -> dict | None:
    """Everything the page of one document shows; None when there is no such document."""
    found = _rows(conn, "select * from documents where id = ?", [document_id])
    if not found:
        return None
    document = dict(found[0])
    tables = [
        dict(t)
        for t in _rows(
            conn, "select * from document_tables where document_id = ? order by start", [document_id]
        )
    ]
    for table in tables:
        table["grid"] = _grid(conn, table["id"]) if table["profile"] == "cells" else None
    checks = _checks(conn, document_id)
    measurements = [
        {
            **dict(m),
            "value": bounds(m["qualifier"], m["value_min"], m["value_max"]),
            "conditions": _conditions(m),
            "checks": checks.get(m["id"], []),
        }
        for m in _rows(conn, _MEASUREMENTS_SQL, [document_id])
    ]
    sections = _rows(
        conn,
        "select id, title, level, start from sections where document_id = ? order by ordinal",
        [document_id],
    )
    refs = _rows(
        conn,
        "select id, number, authors, title, journal, year, volume, pages, doi, cited_count from refs "
        "where document_id = ? order by number",
        [document_id],
    )
    passages, citations = conn.execute(
        "select (select count(*) from passages where document_id = :d), "
        "(select count(*) from citations where document_id = :d)",
        {"d": document_id},
    ).fetchone()
    return {
        "document": document,
        "metadata": _metadata(conn, document),
        "sections": [dict(s) for s in sections],
        "tables": tables,
        "measurements": measurements,
        "checked": sum(1 for m in measurements if m["checks"]),
        "refs": [{**dict(r), "authors": ", ".join(json.loads(r["authors"] or "[]"))} for r in refs],
        "passages": passages,
        "citations": citations,
    }


async def _database(datasette):
    name = settings(datasette)["database"]
    try:
        return name, datasette.get_database(name)
    except KeyError:
        raise NotFound(f"database {name} is not served") from None


async def documents_index(datasette, request):
    name, db = await _database(datasette)
    documents = await db.execute_fn(document_summaries)
    for d in documents:
        d["url"] = document_url(datasette, d["id"])
    context = {"documents": documents, "table_url": datasette.urls.table(name, "documents")}
    return Response.html(await datasette.render_template("mskg_documents.html", context, request=request))


def _filtered(datasette, database: str, table: str, **params: str) -> str:
    return datasette.urls.table(database, table) + "?" + urllib.parse.urlencode(params)


async def document_view(datasette, request):
    name, db = await _database(datasette)
    document_id = urllib.parse.unquote(request.url_vars["id"])
    page = await db.execute_fn(lambda conn: document_page(conn, document_id))
    if page is None:
        raise NotFound(f"no document {document_id!r}")
    by_document = {"document_id": document_id}
    links = {
        table: _filtered(datasette, name, table, **by_document)
        for table in ("sections", "passages", "document_tables", "measurements", "refs", "citations")
    }
    links["measurement_checks"] = _filtered(datasette, name, "measurement_checks", **by_document)
    links["row"] = datasette.urls.row(name, "documents", tilde_encode(document_id))
    context = {
        "page": page,
        "database": name,
        "links": links,
        "index_url": datasette.urls.path(DOCUMENTS_PATH),
    }
    return Response.html(await datasette.render_template("mskg_document.html", context, request=request))


async def home_documents(datasette) -> list[dict] | None:
    """The documents for the home page; None on a Datasette that does not serve the database."""
    name = settings(datasette)["database"]
    try:
        db = datasette.get_database(name)
    except KeyError:
        return None
    if "documents" not in await db.table_names():
        return None
    documents = await db.execute_fn(document_summaries)
    return [{**d, "url": document_url(datasette, d["id"])} for d in documents]


def title_link(datasette, row, value) -> Markup:
    """A document's title in the ``documents`` table, linked to its page."""
    return Markup(f'<a href="{escape(document_url(datasette, row["id"]))}">{escape(value)}</a>')
