"""The curated relations of ``annotations.yaml``: each subject and object of a kind the relation accepts
(``RELATION_KINDS``), exampleOf only up to a family and never in a cycle, no relation twice in a document.

The ids a relation names are ``known``: every concept of the corpus and the document's own items, each with
its ``kind`` and ``definition``."""

from __future__ import annotations

from collections.abc import Mapping
from difflib import get_close_matches
from typing import Any

from ..schema.knowledge import RELATION_KINDS, EntityKind, Relation, RelationType
from .annotation_items import Problems, RawItem

#: id → a concept or item: anything with a ``kind`` and a ``definition``
Known = Mapping[str, Any]


def expected_id(name: str, expected: set[EntityKind], entities: Known, material_ids: set[str]) -> str:
    """What an unknown id should have been: its kinds, and the closest id of those kinds if one is close."""
    known = [key for key, raw in entities.items() if raw.kind in expected]
    if EntityKind.MATERIAL in expected:
        known += sorted(material_ids)
    wanted = f"expected the id of a {' or '.join(sorted(expected))}"
    # an id cut short ("void-space") is found by containment, a typo by similarity; a letter or two is neither
    cut_short = [key for key in known if name in key] if len(name) >= 4 else []
    close = cut_short or get_close_matches(name, known, n=1)
    return f"{wanted}; did you mean '{close[0]}'?" if close else wanted


def _kind_of(
    name: str, expected: set[EntityKind], entities: Known, material_ids: set[str]
) -> EntityKind | None:
    """An id's kind. Materials are a namespace of their own (strategy nb16w5o55 uses material nb16w5o55):
    where a material is expected, a material id wins."""
    if EntityKind.MATERIAL in expected and name in material_ids:
        return EntityKind.MATERIAL
    if name in entities:
        return entities[name].kind
    return EntityKind.MATERIAL if name in material_ids else None


def curated_relations(
    raws: list[RawItem], entities: Known, material_ids: set[str], problems: Problems, document_id: str
) -> list[Relation]:
    relations: list[Relation] = []
    first_line: dict[tuple[str, str, str], int] = {}
    examples: dict[str, list[tuple[str, int]]] = {}
    for raw in (r for r in raws if r.section == "relations"):
        data, ok = raw.data, True
        allowed = RELATION_KINDS[data.relation]
        for role, name, side in (("subject", data.subject, 0), ("object", data.object, 1)):
            expected = {pair[side] for pair in allowed}
            kind = _kind_of(name, expected, entities, material_ids)
            if kind is None:
                problems.add(
                    f"{raw.name}: unknown {role} id '{name}' "
                    f"({expected_id(name, expected, entities, material_ids)})",
                    raw.key_line(role),
                )
                ok = False
            elif kind not in expected:
                problems.add(
                    f"{raw.name}: {data.relation} needs a {' or '.join(sorted(expected))} as its "
                    f"{role}, but '{name}' is a {kind}",
                    raw.key_line(role),
                )
                ok = False
        if ok and data.relation == RelationType.EXAMPLE_OF:
            family = entities[data.object].definition
            if family is None:  # its own problem is reported
                ok = False
            elif family.family:
                examples.setdefault(data.subject, []).append((data.object, raw.line))
            else:
                problems.add(
                    f"{raw.name}: '{data.object}' is not a family (give it 'family: true')",
                    raw.key_line("object"),
                )
                ok = False
        triple = (data.subject, str(data.relation), data.object)
        if triple in first_line:
            problems.add(
                f"{raw.name}: duplicate relation (first at line {first_line[triple]}); "
                "give one relation several quotes instead",
                raw.line,
            )
            ok = False
        first_line.setdefault(triple, raw.line)
        if ok and raw.evidence:
            relations.append(
                Relation(
                    document_id=document_id,
                    subject_id=data.subject,
                    relation=data.relation,
                    object_id=data.object,
                    evidence=raw.evidence,
                    note=data.note,
                )
            )
    for cycle, line in _cycles(examples):
        problems.add(
            f"exampleOf cycle: {' → '.join(cycle)} (expected exampleOf to lead from an example up to its "
            "family, never back)",
            line,
        )
    return relations


def _cycles(edges: dict[str, list[tuple[str, int]]]) -> list[tuple[list[str], int]]:
    """Each cycle of the graph once, as a path back to its start, with the line of the path's first edge."""
    found, seen = [], set()
    for start in sorted(edges):
        stack: list[tuple[str, list[str], int | None]] = [(start, [start], None)]
        while stack:
            node, path, line = stack.pop()
            for target, edge_line in edges.get(node, []):
                if target == start and frozenset(path) not in seen:
                    seen.add(frozenset(path))
                    found.append(([*path, start], line or edge_line))
                elif target not in path:
                    stack.append((target, [*path, target], line or edge_line))
    return found
