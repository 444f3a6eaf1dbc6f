"""A material's facts per document on its row page: what each document says it is (names, formula as
printed, role, chemistry, each with its quote), curated or automatic, and where curated documents disagree."""

from __future__ import annotations

from ..schema.material_facts import COMPARED, disagreements

_COLUMNS = """
select f.id, f.document_id, d.title as document_title, f.method, f.name, f.abbreviation, f.formula, f.role,
  f.chemistry, f.formula_quote, f.role_quote, f.chemistry_quote, f.material_id
from material_facts f join documents d on d.id = f.document_id
where f.material_id = ? order by f.method <> 'curated', f.document_id
"""


async def material_facts(db, material_id: str) -> dict | None:
    """Each document's facts about the material, and the fields its curated documents disagree on; None when
    the build has no facts table."""
    if "material_facts" not in await db.table_names():
        return None
    rows = [dict(r) for r in await db.execute(_COLUMNS, [material_id])]
    found = disagreements(rows)
    disagreeing = {d.field for d in found}
    for row in rows:
        row["disagrees"] = [f for f in COMPARED if f in disagreeing and row["method"] == "curated"]
    return {"rows": rows, "disagreements": [str(d) for d in found]}
