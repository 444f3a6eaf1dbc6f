"""What the rules derive, as rows: the models the derived SQLite tables are declared from.

The entity tables take their columns from the models in ``models.py`` and ``knowledge.py``; these models do
the same for rules, derivations and their answers, so every table of the build is declared once, here or
there. ``FOREIGN_KEYS`` names each model's references to other tables.
"""

from __future__ import annotations

from typing import ClassVar

from .models import Model
from .vocab import Support


class DerivedRow(Model):
    id: str
    #: (column, table, table column)
    FOREIGN_KEYS: ClassVar[tuple[tuple[str, str, str], ...]] = ()


class RuleRow(DerivedRow):
    file: str
    statement: str
    stratum: int
    concludes: str
    reads: tuple[str, ...]
    negates: tuple[str, ...]
    derivations: int


class DerivationRow(DerivedRow):
    rule_id: str
    subject: str
    relation: str
    object: str
    statement_id: str
    premises: int
    #: the grade of a derived answer (``addresses``); None for other conclusions
    support: Support | None
    explanation: str
    FOREIGN_KEYS = (("rule_id", "rules", "id"),)


class PremiseRow(DerivedRow):
    derivation_id: str
    position: int
    subject: str
    relation: str
    object: str
    statement_id: str
    #: a premise the rules concluded (its quotes are those of its own derivations)
    inferred: bool
    quotes: tuple[str, ...]
    ref_numbers: tuple[int, ...]
    FOREIGN_KEYS = (("derivation_id", "derivations", "id"),)


class StrategyAddressesRow(DerivedRow):
    """One path by which a strategy addresses a drawback."""

    strategy_id: str
    drawback_id: str
    rule: str
    #: the pair's grade: the best of its paths
    support: Support
    #: this path's grade: its weakest link
    path_support: Support
    via_feature_id: str | None
    via_cause_id: str | None
    #: whose curated statement the path rests on: the strategy, its family (an inherited feature) or, for a
    #: family, the example that has the feature
    via_strategy_id: str
    inherited: bool
    explanation: str
    derivation_id: str
    FOREIGN_KEYS = (
        ("strategy_id", "strategies", "id"),
        ("drawback_id", "drawbacks", "id"),
        ("via_feature_id", "features", "id"),
        ("via_cause_id", "causes", "id"),
        ("via_strategy_id", "strategies", "id"),
        ("derivation_id", "derivations", "id"),
    )


class StrategyCandidateRow(DerivedRow):
    strategy_id: str
    material_id: str
    via_strategy_id: str
    via_material_id: str
    chemistry: str
    role: str
    derivation_id: str
    FOREIGN_KEYS = (
        ("strategy_id", "strategies", "id"),
        ("material_id", "materials", "id"),
        ("via_strategy_id", "strategies", "id"),
        ("via_material_id", "materials", "id"),
        ("derivation_id", "derivations", "id"),
    )


class StrategyProfileRow(DerivedRow):
    addresses: tuple[str, ...]
    introduces: tuple[str, ...]
    leaves_open: tuple[str, ...]
    candidate_for: tuple[str, ...]
    n_addresses: int
    n_introduces: int
    n_leaves_open: int
    n_candidate_for: int
    FOREIGN_KEYS = (("id", "strategies", "id"),)


class ClaimCheckRow(DerivedRow):
    claim_id: str
    #: the claim's document: a claim is checked against its own document's Table 1
    document_id: str
    material_id: str | None
    property: str | None
    better_scale: str | None
    nano_min: float | None
    nano_max: float | None
    nano_qualifier: str | None
    micro_min: float | None
    micro_max: float | None
    micro_qualifier: str | None
    unit: str | None
    nano_measurement_id: str | None
    micro_measurement_id: str | None
    verdict: str
    note: str | None
    derivation_id: str | None
    FOREIGN_KEYS = (
        ("claim_id", "claims", "id"),
        ("document_id", "documents", "id"),
        ("material_id", "materials", "id"),
        ("nano_measurement_id", "measurements", "id"),
        ("micro_measurement_id", "measurements", "id"),
        ("derivation_id", "derivations", "id"),
    )


class TheoreticalCapacityRow(DerivedRow):
    material_id: str
    reaction: str
    electrons: float
    formula_unit: str
    molar_mass: float
    molar_mass_source: str
    capacity: float
    unit: str
    basis: str
    quote: str | None
    passage_id: str | None
    start: int | None
    end: int | None
    reaction_note: str | None
    exceeded_by: tuple[str, ...]
    note: str | None
    FOREIGN_KEYS = (("material_id", "materials", "id"), ("passage_id", "passages", "id"))


class Table1RowRow(DerivedRow):
    """One review's Table 1 row for a material and property, and the reading it shares with every review
    that prints the same cells (``reading``: the first such row's id, in review order)."""

    review_document_id: str
    material_id: str
    property: str
    nano_measurement_id: str | None
    micro_measurement_id: str | None
    reading: str
    FOREIGN_KEYS = (
        ("review_document_id", "documents", "id"),
        ("material_id", "materials", "id"),
        ("nano_measurement_id", "measurements", "id"),
        ("micro_measurement_id", "measurements", "id"),
        ("reading", "table1_rows", "id"),
    )


class MeasurementCheckRow(DerivedRow):
    """Another paper's value against a review's Table 1 row for the same material and property."""

    measurement_id: str
    document_id: str
    material_id: str
    property: str
    method: str
    value_min: float | None
    value_max: float | None
    qualifier: str
    unit: str | None
    size_min_nm: float | None
    size_max_nm: float | None
    cycles: int | None
    rate_condition: str | None
    #: the first review other than the value's own that prints the row; the reading it prints
    #: (``table1_rows``); how many further reviews, besides these two documents, print the same cells
    review_document_id: str
    reading: str
    other_reviews: int
    #: per scale: the Table 1 cell, its bounds, where the value lies (within, above, below, overlaps) and
    #: where the value's particle size lies against the cell's size range
    nano_measurement_id: str | None
    nano_min: float | None
    nano_max: float | None
    nano_qualifier: str | None
    nano_position: str | None
    nano_size_position: str | None
    micro_measurement_id: str | None
    micro_min: float | None
    micro_max: float | None
    micro_qualifier: str | None
    micro_position: str | None
    micro_size_position: str | None
    note: str
    FOREIGN_KEYS = (
        ("measurement_id", "measurements", "id"),
        ("document_id", "documents", "id"),
        ("material_id", "materials", "id"),
        ("review_document_id", "documents", "id"),
        ("reading", "table1_rows", "id"),
        ("nano_measurement_id", "measurements", "id"),
        ("micro_measurement_id", "measurements", "id"),
    )


#: table name → the model of its rows, in the order the tables are written
DERIVED_TABLES: dict[str, type[DerivedRow]] = {
    "rules": RuleRow,
    "derivations": DerivationRow,
    "derivation_premises": PremiseRow,
    "strategy_addresses": StrategyAddressesRow,
    "strategy_candidates": StrategyCandidateRow,
    "strategy_profiles": StrategyProfileRow,
    "claim_checks": ClaimCheckRow,
    "theoretical_capacities": TheoreticalCapacityRow,
    "table1_rows": Table1RowRow,
    "measurement_checks": MeasurementCheckRow,
}
