"""The rows of the derived tables (``schema/derived.py``), built from the inference and the KnowledgeBase.

Each function yields models (``measurement_check_rows``, the largest table, dicts of its model's columns);
``derived_tables.write_derived`` writes them. The rows of the rules, derivations and their premises are in
``provenance_rows``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from decimal import Decimal

from ..graph.namespaces import local, node_id
from ..schema import KnowledgeBase
from ..schema import derived as rows
from ..schema.models import Measurement
from ..schema.vocab import Support
from .claims import claim_checks, printed
from .derive import Derived
from .engine import Derivation, Triple
from .measurement_checks import measurement_checks, table1_rows
from .provenance_rows import derivation_rows, premise_rows, rule_rows


def _float(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def _premise(d: Derivation, relation: str, subject: str | None = None) -> Triple | None:
    for premise in d.premises:
        if local(premise[1]) == relation and (subject is None or node_id(premise[0]) == subject):
            return premise
    return None


def _labels(kb: KnowledgeBase) -> dict[str, str]:
    return {
        f"{kind}/{item.id}": item.label
        for attribute, kind in (
            ("strategies", "strategy"),
            ("features", "feature"),
            ("causes", "cause"),
            ("drawbacks", "drawback"),
        )
        for item in getattr(kb, attribute)
    }


def _chain_sentence(labels: dict[str, str], strategy, holder, feature, cause, drawback, family) -> str:
    sentence = f"{labels[f'strategy/{strategy}']}: "
    sentence += f"its example {labels[f'strategy/{holder}']} has " if holder != strategy else "it has "
    sentence += f"the feature “{labels[f'feature/{feature}']}”"
    if family:
        sentence += f" (inherited from the family {labels[f'strategy/{family}']})"
    return sentence + (
        f", which mitigates “{labels[f'cause/{cause}']}”, a cause of “{labels[f'drawback/{drawback}']}”."
    )


def address_rows(derived: Derived, kb: KnowledgeBase) -> Iterator[rows.StrategyAddressesRow]:
    """One row per derivation of ``strategy addresses drawback``: its grade, the pair's grade, and the
    feature and cause it goes through (none for a path the article states outright)."""
    labels = _labels(kb)
    families = {r.subject_id: r.object_id for r in kb.relations if r.relation.value == "exampleOf"}
    own = {(r.subject_id, r.object_id) for r in kb.relations if r.relation.value == "hasFeature"}
    grades = derived.grades
    for d in derived.inference.derivations.values():
        if d.id not in grades.by_derivation:
            continue
        strategy, drawback = node_id(d.conclusion[0]), node_id(d.conclusion[2])
        has = _premise(d, "hasFeature")
        if has is None:  # stated: the article says the strategy improves the drawback
            feature = cause = None
            holder, inherited = strategy, False
            sentence = (
                f"{labels[f'strategy/{strategy}']}: the article says it improves "
                f"“{labels[f'drawback/{drawback}']}”."
            )
        else:
            feature, cause = node_id(has[2]), node_id(_premise(d, "mitigates")[2])
            holder = node_id(has[0])
            inherited = (holder, feature) not in own
            family = families.get(holder, holder) if inherited else None
            sentence = _chain_sentence(labels, strategy, holder, feature, cause, drawback, family)
        path = grades.by_derivation[d.id]
        if path is Support.PROSPECT:
            sentence += " The article only proposes this strategy."
        yield rows.StrategyAddressesRow(
            id=d.id,
            strategy_id=strategy,
            drawback_id=drawback,
            rule=d.rule,
            support=grades.by_pair[(strategy, drawback)],
            path_support=path,
            via_feature_id=feature,
            via_cause_id=cause,
            via_strategy_id=families.get(holder, holder) if inherited else holder,
            inherited=inherited,
            explanation=sentence,
            derivation_id=d.id,
        )


def candidate_rows(derived: Derived, kb: KnowledgeBase) -> Iterator[rows.StrategyCandidateRow]:
    for d in derived.inference.derivations.values():
        if local(d.conclusion[1]) != "candidateFor":
            continue
        used = _premise(d, "usesMaterial")
        material = node_id(d.conclusion[2])
        yield rows.StrategyCandidateRow(
            id=d.id,
            strategy_id=node_id(d.conclusion[0]),
            material_id=material,
            via_strategy_id=node_id(used[0]),
            via_material_id=node_id(used[2]),
            chemistry=node_id(_premise(d, "chemistry", node_id(used[2]))[2]),
            role=node_id(_premise(d, "role", material)[2]),
            derivation_id=d.id,
        )


def profile_rows(derived: Derived, kb: KnowledgeBase) -> Iterator[rows.StrategyProfileRow]:
    relations: dict[tuple[str, str], set[str]] = defaultdict(set)
    for s, p, o in derived.inference.triples:
        relations[(node_id(s), local(p))].add(node_id(o))
    for r in kb.relations:
        if r.relation.value == "introduces":
            relations[(r.subject_id, "introduces")].add(r.object_id)
    for strategy in kb.strategies:
        lists = {
            name: tuple(sorted(relations[(strategy.id, relation)]))
            for name, relation in (
                ("addresses", "addresses"),
                ("introduces", "introduces"),
                ("leaves_open", "leavesOpen"),
                ("candidate_for", "candidateFor"),
            )
        }
        yield rows.StrategyProfileRow(id=strategy.id, **lists, **{f"n_{k}": len(v) for k, v in lists.items()})


def claim_rows(derived: Derived, kb: KnowledgeBase) -> Iterator[rows.ClaimCheckRow]:
    documents = {claim.id: claim.document_id for claim in kb.claims}
    for check in claim_checks(kb, derived.inference):
        nano, micro = check.nano, check.micro
        yield rows.ClaimCheckRow(
            id=check.id,
            claim_id=check.claim_id,
            document_id=documents[check.claim_id],
            material_id=check.material_id,
            property=check.property,
            better_scale=check.better_scale,
            nano_min=_float(nano.value_min) if nano else None,
            nano_max=_float(nano.value_max) if nano else None,
            nano_qualifier=nano.qualifier.value if nano else None,
            micro_min=_float(micro.value_min) if micro else None,
            micro_max=_float(micro.value_max) if micro else None,
            micro_qualifier=micro.qualifier.value if micro else None,
            unit=(nano or micro).unit if (nano or micro) else None,
            nano_measurement_id=nano.id if nano else None,
            micro_measurement_id=micro.id if micro else None,
            verdict=check.verdict,
            note=check.note,
            derivation_id=check.derivation_id,
        )


def capacity_rows(derived: Derived, kb: KnowledgeBase) -> Iterator[rows.TheoreticalCapacityRow]:
    measurements = {m.id: m for m in kb.measurements}
    above: dict[str, list[str]] = defaultdict(list)
    for s, p, o in derived.inference.triples:
        if local(p) == "exceedsTheoreticalCapacity":
            above[node_id(o)].append(node_id(s))
    for c in derived.capacities:
        r, exceeded = c.reaction, sorted(above[c.material_id])
        note = None
        if exceeded:
            values = ", ".join(
                f"{measurements[i].source.value} {measurements[i].scale.value} {printed(measurements[i])}"
                for i in exceeded
            )
            note = (
                f"above the {c.rounded} mAh g-1 of {r.reaction} ({r.electrons.normalize():f} e- per "
                f"{r.formula_unit}): {values}"
            )
        ev = r.evidence
        yield rows.TheoreticalCapacityRow(
            id=c.material_id,
            material_id=c.material_id,
            reaction=r.reaction,
            electrons=float(r.electrons),
            formula_unit=r.formula_unit,
            molar_mass=c.molar_mass,
            molar_mass_source=c.molar_mass_source,
            capacity=c.capacity,
            unit="mAh g-1",
            basis=r.basis,
            quote=ev.quote if ev else None,
            passage_id=ev.passage_id if ev else None,
            start=ev.start if ev else None,
            end=ev.end if ev else None,
            reaction_note=r.note,
            exceeded_by=tuple(exceeded),
            note=note,
        )


def _cell_columns(scale: str, row: Measurement | None) -> dict:
    """A Table 1 cell's columns of a check, less its position (the same for every value it meets)."""
    return {
        f"{scale}_measurement_id": row.id if row else None,
        f"{scale}_min": _float(row.value_min) if row else None,
        f"{scale}_max": _float(row.value_max) if row else None,
        f"{scale}_qualifier": row.qualifier.value if row else None,
    }


def _value_columns(m: Measurement) -> dict:
    """A value's columns of a check (the same against every review)."""
    return {
        "measurement_id": m.id,
        "document_id": m.document_id,
        "property": m.property.value,
        "method": m.method.value,
        "value_min": _float(m.value_min),
        "value_max": _float(m.value_max),
        "qualifier": m.qualifier.value,
        "unit": m.unit,
        "size_min_nm": _float(m.size_min_nm),
        "size_max_nm": _float(m.size_max_nm),
        "cycles": m.cycles,
        "rate_condition": m.rate_condition,
    }


def measurement_check_rows(derived: Derived, kb: KnowledgeBase) -> Iterator[dict]:
    """The rows of ``measurement_checks`` as dicts of the columns of ``MeasurementCheckRow``, not as models:
    a corpus of N documents that each print the article's Table 1 has about 133·N of them, and validating
    each costs more than finding it. tests/test_measurement_checks.py validates every row of its builds
    through the model."""
    # a value meets every review and a Table 1 cell every other document's values: their columns are read
    # once each (keyed by measurement id), not once per check
    values: dict[str, dict] = {}
    cells: dict[tuple[str, str | None], dict] = {}
    for check in measurement_checks(kb):
        m, nano, micro = check.measurement, check.nano, check.micro
        if m.id not in values:
            values[m.id] = _value_columns(m)
        for scale, side in (("nano", nano), ("micro", micro)):
            key = (scale, side.row.id if side.row else None)
            if key not in cells:
                cells[key] = _cell_columns(scale, side.row)
        yield {
            "id": check.id,
            "material_id": check.material_id,
            "review_document_id": check.review_document_id,
            "reading": check.reading,
            "other_reviews": check.other_reviews,
            "note": check.note,
            "nano_position": nano.value,
            "nano_size_position": nano.size,
            "micro_position": micro.value,
            "micro_size_position": micro.size,
            **values[m.id],
            **cells["nano", nano.row.id if nano.row else None],
            **cells["micro", micro.row.id if micro.row else None],
        }


def table1_row_rows(derived: Derived, kb: KnowledgeBase) -> Iterator[rows.Table1RowRow]:
    """Every review's Table 1 row of each material and property, with the reading it prints."""
    found = (row for per_pair in table1_rows(kb).values() for row in per_pair)
    for row in sorted(found, key=lambda row: row.id):
        yield rows.Table1RowRow(
            id=row.id,
            review_document_id=row.review_document_id,
            material_id=row.material_id,
            property=row.property,
            nano_measurement_id=row.nano.id if row.nano else None,
            micro_measurement_id=row.micro.id if row.micro else None,
            reading=row.reading,
        )


#: table name → the function that yields its rows
ROW_BUILDERS = {
    "rules": lambda derived, kb: rule_rows(derived.inference),
    "derivations": derivation_rows,
    "derivation_premises": premise_rows,
    "strategy_addresses": address_rows,
    "strategy_candidates": candidate_rows,
    "strategy_profiles": profile_rows,
    "claim_checks": claim_rows,
    "theoretical_capacities": capacity_rows,
    "table1_rows": table1_row_rows,
    "measurement_checks": measurement_check_rows,
}
