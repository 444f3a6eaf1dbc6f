"""One material, facts per document: the materials of every document merged into one entity per id.

Each document's view of a material (names, formula as printed, role, chemistry, their quotes, where it first
names it) is kept as a ``MaterialFact``, curated when the document's materials are curated (it has
``materials.yaml`` or ``annotations.yaml``), automatic otherwise. The material itself is the first curated
document's view, else the first document's: a curated value is never replaced by an automatic one, and a
paper nobody curated never changes the row of one that was. Curated documents that disagree are reported
(``schema.material_facts.disagreements``), not merged.
"""

from __future__ import annotations

from collections.abc import Sequence

from ..schema import Material
from ..schema.models import MaterialFact, MaterialView
from ..schema.vocab import Method

#: the fields a document's view shares with the material row, the id aside
_VIEW = set(MaterialView.model_fields) - {"id"}


def material_fact(material: Material, curated: bool) -> MaterialFact:
    return MaterialFact(
        id=f"{material.document_id}-{material.id}",
        document_id=material.document_id,
        material_id=material.id,
        method=Method.CURATED if curated else Method.AUTOMATIC,
        **material.model_dump(include=_VIEW),
    )


def merge_materials(
    materials: Sequence[Material], curated: set[str]
) -> tuple[list[Material], list[MaterialFact]]:
    """One material per id (the first curated document's, else the first document's, in corpus order) and
    every document's facts; ``curated`` names the documents whose materials are curated."""
    chosen: dict[str, Material] = {}
    for material in materials:
        current = chosen.get(material.id)
        if current is None or (material.document_id in curated and current.document_id not in curated):
            chosen[material.id] = material
    # the order a single document's materials always had: each id by its last mention, last first
    order = dict.fromkeys(m.id for m in reversed(materials))
    facts = [material_fact(m, m.document_id in curated) for m in materials]
    return [chosen[ident] for ident in order], facts
