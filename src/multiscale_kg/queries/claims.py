"""The article's claims checked against its own Table 1: one row per claim and Table 1 material.

The verdict comes from the claim rules (``claim-supports.rq``, ``claim-contradicts.rq``,
``claim-overlaps.rq``, ``claim-insufficient.rq``); this module lays them out as rows with both scales' values
and a note saying what the comparison rests on (different cycle counts or rates, a footnote, a missing
value). ``verdict`` restates the rules' comparison in Python from the qualifiers, and the tests check that
both give the same answer for every row.

Qualitative claims (no property) cannot be compared with Table 1: each gets one row without a material,
verdict ``insufficient``, saying so.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

from ..schema import KnowledgeBase
from ..schema.knowledge import Claim
from ..schema.models import Measurement
from ..schema.vocab import TABLE1_COLUMNS, Qualifier, Scale
from .derive import node_id
from .engine import Inference

#: the claim rules' predicates → the verdict each states
VERDICTS = {
    "supportedBy": "supports",
    "contradictedBy": "contradicts",
    "overlapsFor": "overlaps",
    "insufficientFor": "insufficient",
}
_OTHER = {Scale.NANO: Scale.MICRO, Scale.MICRO: Scale.NANO}


@dataclass(frozen=True)
class Bounds:
    """What a printed value says about the quantity: a "≤" value has no lower bound, "≥" no upper one."""

    low: Decimal | None
    high: Decimal | None

    @classmethod
    def of(cls, m: Measurement) -> Bounds:
        if m.qualifier in (Qualifier.LE, Qualifier.LT):
            return cls(None, m.value_max if m.value_max is not None else m.value_min)
        if m.qualifier in (Qualifier.GE, Qualifier.GT):
            return cls(m.value_min if m.value_min is not None else m.value_max, None)
        low = m.value_min if m.value_min is not None else m.value_max
        return cls(low, m.value_max if m.value_max is not None else low)


def verdict(better: Bounds | None, other: Bounds | None) -> str:
    """Is the value at the better scale wholly above (supports) or below (contradicts) the other's?"""
    if better is None or other is None:
        return "insufficient"
    if better.low is not None and other.high is not None and better.low > other.high:
        return "supports"
    if better.high is not None and other.low is not None and better.high < other.low:
        return "contradicts"
    return "overlaps"


def table1_materials(kb: KnowledgeBase) -> dict[str, list[str]]:
    """document → the materials of its Table 1 (a claim is checked against its own article's table)."""
    found: dict[str, set[str]] = {}
    for m in kb.measurements:
        if m.source == "table1":
            found.setdefault(m.document_id, set()).add(m.material_id)
    return {document: sorted(materials) for document, materials in found.items()}


def table1_rows(kb: KnowledgeBase) -> dict[tuple[str, str, str, Scale], Measurement]:
    """(document, material, property, scale) → its Table 1 measurement (Table 1 has one per cell)."""
    return {
        (m.document_id, m.material_id, m.property.value, m.scale): m
        for m in kb.measurements
        if m.source == "table1"
    }


def _number(value: Decimal | None) -> str:
    return "" if value is None else f"{value.normalize():,f}"


def printed(m: Measurement) -> str:
    """A Table 1 value as a reader would say it: "≤690", "65–80", "≥95"."""
    signs = {
        Qualifier.LE: "≤",
        Qualifier.LT: "<",
        Qualifier.GE: "≥",
        Qualifier.GT: ">",
        Qualifier.APPROX: "~",
    }
    if m.qualifier in (Qualifier.LE, Qualifier.LT):
        return signs[m.qualifier] + _number(m.value_max if m.value_max is not None else m.value_min)
    if m.qualifier in (Qualifier.GE, Qualifier.GT):
        return signs[m.qualifier] + _number(m.value_min if m.value_min is not None else m.value_max)
    sign = signs.get(m.qualifier, "")
    if m.value_min is not None and m.value_max is not None and m.value_min != m.value_max:
        return f"{sign}{_number(m.value_min)}–{_number(m.value_max)}"
    return sign + _number(m.value_min if m.value_min is not None else m.value_max)


def _conditions(nano: Measurement, micro: Measurement) -> list[str]:
    notes = []
    if nano.cycles != micro.cycles:
        notes.append(f"cycles differ (nano {nano.cycles}, micro {micro.cycles})")
    if nano.rate_condition != micro.rate_condition:
        notes.append(f"rates differ (nano {nano.rate_condition}, micro {micro.rate_condition})")
    for scale, m in (("nano", nano), ("micro", micro)):
        if m.footnote:
            notes.append(f"{scale} footnote {m.footnote}: {m.footnote_text}")
    return notes


def note_for(
    claim: Claim, material_id: str, found: str, nano: Measurement | None, micro: Measurement | None
) -> str:
    prop = claim.property.value if claim.property else ""
    if prop not in TABLE1_COLUMNS.values():
        return f"Table 1 has no {prop.replace('_', ' ')} column"
    if nano is None or micro is None:
        missing = " and ".join(s for s, m in (("nano", nano), ("micro", micro)) if m is None)
        return f"Table 1 gives no {missing} value of {prop.replace('_', ' ')} for {material_id}"
    better = claim.better_scale
    parts = [f"nano {printed(nano)} vs micro {printed(micro)} {nano.unit or ''}".rstrip()]
    if found == "overlaps":
        parts.append(
            f"the ranges overlap, so {better.value if better else 'neither scale'} is not shown better"
        )
    parts += _conditions(nano, micro)
    return "; ".join(parts)


@dataclass(frozen=True)
class ClaimCheck:
    id: str
    claim_id: str
    material_id: str | None
    property: str | None
    better_scale: str | None
    nano: Measurement | None
    micro: Measurement | None
    verdict: str
    note: str
    derivation_id: str | None


def _derived(inference: Inference) -> dict[tuple[str, str], tuple[str, str]]:
    """(claim, material) → (verdict, derivation id) from the claim rules' conclusions."""
    found = {}
    for derivation in sorted(inference.derivations.values(), key=lambda d: d.id):
        s, p, o = derivation.conclusion
        name = str(p).rsplit("#", 1)[-1]
        if name in VERDICTS:
            found.setdefault((node_id(s), node_id(o)), (VERDICTS[name], derivation.id))
    return found


def claim_checks(kb: KnowledgeBase, inference: Inference) -> Iterator[ClaimCheck]:
    """Every claim with a property against every Table 1 material; one row per qualitative claim."""
    derived = _derived(inference)
    rows = table1_rows(kb)
    materials = table1_materials(kb)  # once, not once per claim: every claim would scan every measurement
    for claim in sorted(kb.claims, key=lambda c: c.id):
        if claim.property is None:
            note = "qualitative claim: it names no property, so Table 1 cannot test it"
            yield ClaimCheck(
                claim.id,
                claim.id,
                None,
                None,
                _value(claim.better_scale),
                None,
                None,
                "insufficient",
                note,
                None,
            )
            continue
        document_id = claim.document_id
        for material_id in materials.get(document_id, ()):
            nano = rows.get((document_id, material_id, claim.property.value, Scale.NANO))
            micro = rows.get((document_id, material_id, claim.property.value, Scale.MICRO))
            found, derivation_id = derived.get((claim.id, material_id), ("insufficient", None))
            yield ClaimCheck(
                f"{claim.id}--{material_id}",
                claim.id,
                material_id,
                claim.property.value,
                _value(claim.better_scale),
                nano,
                micro,
                found,
                note_for(claim, material_id, found, nano, micro),
                derivation_id,
            )


def _value(scale: Scale | None) -> str | None:
    return scale.value if scale is not None else None


def python_verdict(check: ClaimCheck) -> str:
    """The verdict ``verdict`` gives for a row (the cross-check of the rules)."""
    if check.better_scale not in ("nano", "micro"):
        return "insufficient"
    sides = {"nano": check.nano, "micro": check.micro}
    better = sides[check.better_scale]
    other = sides[_OTHER[Scale(check.better_scale)].value]
    return verdict(Bounds.of(better) if better else None, Bounds.of(other) if other else None)
