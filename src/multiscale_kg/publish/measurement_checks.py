"""Other papers' values against a review's Table 1 (the ``measurement_checks`` table) on a material's page
and on a property's chart: each with the paper, the value, where it lies against the nano and micro cells,
and why."""

from __future__ import annotations

from .documents import bounds, document_url

_COLUMNS = """
select c.id, c.measurement_id, c.document_id, d.title as document_title, c.material_id, c.property,
  c.method, c.qualifier, c.value_min, c.value_max, c.unit, c.review_document_id, c.other_reviews,
  c.nano_qualifier,
  c.nano_min, c.nano_max, c.nano_position, c.nano_size_position, c.micro_qualifier, c.micro_min,
  c.micro_max, c.micro_position, c.micro_size_position, c.note
from measurement_checks c join documents d on d.id = c.document_id
"""


def _cell(qualifier: str | None, low: float | None, high: float | None) -> str:
    return "" if qualifier is None else bounds(qualifier, low, high)


async def material_checks(datasette, db, material_id: str) -> list[dict]:
    """The checks of one material's values from other papers, for its row page."""
    where = "where c.material_id = ? order by c.property, c.document_id, c.id"
    return await _checks(datasette, db, where, [material_id])


async def property_checks(datasette, db, prop: str, review: str | None) -> list[dict]:
    """Other papers' values of one property against one review's Table 1 (every review's when None), for
    the property's chart: the checks against the readings that review prints, whichever review names them."""
    where = (
        "where c.property = ? and (? is null or (c.document_id != ? and c.reading in "
        "(select reading from table1_rows where review_document_id = ?))) "
        "order by c.material_id, c.document_id, c.id"
    )
    return await _checks(datasette, db, where, [prop, review, review, review])


async def _checks(datasette, db, where: str, params: list) -> list[dict]:
    if "measurement_checks" not in await db.table_names():
        return []
    rows = await db.execute(_COLUMNS + where, params)
    return [
        {
            **dict(r),
            "value": bounds(r["qualifier"], r["value_min"], r["value_max"]),
            "nano": _cell(r["nano_qualifier"], r["nano_min"], r["nano_max"]),
            "micro": _cell(r["micro_qualifier"], r["micro_min"], r["micro_max"]),
            "document_url": document_url(datasette, r["document_id"]),
        }
        for r in rows
    ]
