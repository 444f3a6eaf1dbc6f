"""Where curated documents disagree about a material: two curated values of its formula, role or chemistry.

A material is one entity whose facts are kept per document (``MaterialFact``). Papers name a material in
their own words, so names and abbreviations never disagree; a formula, a role or a chemistry can. Only curated
facts are compared: an automatic one is a parser's reading and never stands against a person's.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

#: the facts two documents can contradict each other on
COMPARED = ("formula", "role", "chemistry")


@dataclass(frozen=True)
class Disagreement:
    material_id: str
    field: str
    #: each value (as stored) → the documents that state it, in corpus order
    values: dict[str, tuple[str, ...]]

    def __str__(self) -> str:
        stated = "; ".join(f"{value!r} in {', '.join(documents)}" for value, documents in self.values.items())
        return f"material '{self.material_id}': curated {self.field} disagrees: {stated}"


def disagreements(facts: Iterable[Mapping[str, Any]]) -> list[Disagreement]:
    """Every (material, field) whose curated facts give two values or more, in material id order; ``facts``
    are material facts as rows (``material_id``, ``document_id``, ``method`` and the compared fields)."""
    stated: dict[tuple[str, str], dict[str, list[str]]] = {}
    for fact in facts:
        if str(fact["method"]) != "curated":
            continue
        for field in COMPARED:
            value = fact[field]
            if value is not None:
                documents = stated.setdefault((fact["material_id"], field), {}).setdefault(str(value), [])
                documents.append(fact["document_id"])
    return [
        Disagreement(material, field, {value: tuple(docs) for value, docs in values.items()})
        for (material, field), values in sorted(
            stated.items(), key=lambda item: (item[0][0], COMPARED.index(item[0][1]))
        )
        if len(values) > 1
    ]
