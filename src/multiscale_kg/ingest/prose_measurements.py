"""The measurements and context facts of the prose: the quantity a curator names, found inside its quote
and parsed (value, unit, particle size, conditions), never typed in; each number used is recorded."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from ..ids import slugify
from ..schema.knowledge import EntityKind, QuantityUse
from ..schema.models import Measurement
from ..schema.units import DIMENSIONLESS, registry
from ..schema.vocab import Qualifier, Source
from .annotation_items import Problems, RawItem, Resolved, statement_id
from .annotation_relations import Known, expected_id
from .quantities import Kind, Quantity
from .quote_resolver import QuoteResolver
from .quotes import normalise_quote

#: quantity kinds with no unit of their own: bound to a property, they are dimensionless ratios
_RATIO_KINDS = {Kind.RATIO, Kind.COMPOSITION_RANGE, Kind.NUMBER}


def _same(printed: str, wanted: str) -> bool:
    return normalise_quote(printed) == normalise_quote(wanted)


def _quantity_in(
    resolver: QuoteResolver, found: Resolved, wanted: str, problems: Problems, where: str, line: int
) -> Quantity | None:
    """The one quantity printed as ``wanted`` inside a resolved quote."""
    evidence, low, high = found
    inside = [q for q in resolver.quantities(evidence.passage_id) if low <= q.start and q.end <= high]
    matching = [q for q in inside if _same(q.printed, wanted)]
    if len(matching) == 1:
        return matching[0]
    if matching:
        problems.add(
            f'{where}: quantity "{wanted}" occurs {len(matching)} times in its quote; shorten it', line
        )
    else:
        listed = ", ".join(f'"{q.printed}"' for q in inside) or "none"
        problems.add(
            f'{where}: quantity "{wanted}" not found in its quote (quantities there: {listed})', line
        )
    return None


def _in_condition(printed: str, condition: str) -> bool:
    """Whether a quantity is the condition or one of its comma- or 'and'-separated parts ("1C, aqueous")."""
    parts = [part for chunk in condition.split(",") for part in chunk.split(" and ")]
    return any(_same(printed, part) for part in [condition, *parts])


def _nanometres(quantity: Quantity) -> tuple[Decimal | None, Decimal | None]:
    """A particle size's bounds in nm (None when it has no length unit)."""
    if quantity.unit is None:
        return None, None
    length = registry().parse_units(quantity.unit.pint)
    if not length.is_compatible_with("nanometer"):
        return None, None
    # pint's factor is a float (999.9999999999999 for µm → nm); 12 significant digits drop the noise
    factor = Decimal(f"{registry().Quantity(1, length).to('nanometer').magnitude:.12g}")

    def scaled(value: Decimal | None) -> Decimal | None:
        if value is None:
            return None
        nm = value * factor
        return nm.quantize(Decimal(1)) if nm == nm.to_integral_value() else nm.normalize()

    return scaled(quantity.value_min), scaled(quantity.value_max)


def prose_measurements(
    raws: list[RawItem],
    entities: Known,
    material_ids: set[str],
    resolver: QuoteResolver,
    problems: Problems,
    document_id: str,
) -> tuple[list[Measurement], list[QuantityUse]]:
    measurements: list[Measurement] = []
    uses: list[QuantityUse] = []
    counts: dict[tuple[str, str], int] = {}
    for raw in (r for r in raws if r.section == "measurements"):
        data, ok = raw.data, True
        if data.material not in material_ids:
            expected = expected_id(data.material, {EntityKind.MATERIAL}, entities, material_ids)
            message = f"{raw.name}: unknown material '{data.material}' ({expected})"
            problems.add(message, raw.key_line("material"))
            ok = False
        strategy = entities.get(data.strategy or "")
        if data.strategy is not None and (strategy is None or strategy.kind != EntityKind.STRATEGY):
            expected = expected_id(data.strategy, {EntityKind.STRATEGY}, entities, material_ids)
            message = f"{raw.name}: unknown strategy '{data.strategy}' ({expected})"
            problems.add(message, raw.key_line("strategy"))
            ok = False
        if len(raw.quotes) > 1:
            problems.add(
                f"{raw.name}: a measurement has one quote, the one containing its quantity", raw.line
            )
            continue
        if not raw.resolved or raw.resolved[0] is None:
            continue  # no quote, or its problem is already reported
        found = raw.resolved[0]
        value = _quantity_in(resolver, found, data.quantity, problems, raw.name, raw.key_line("quantity"))
        size = None
        if data.particle_size is not None:
            size = _quantity_in(
                resolver, found, data.particle_size, problems, raw.name, raw.key_line("particle_size")
            )
            ok = ok and size is not None
        if value is None or not ok:
            continue
        evidence, low, high = found
        subject = data.strategy or data.material
        counts[(subject, data.property)] = n = counts.get((subject, data.property), 0) + 1
        ident = f"{document_id}-prose-{subject}-{slugify(data.property)}-{n}"
        used = resolver.use(evidence.passage_id, value, ident, "value")
        size_min, size_max = _nanometres(size) if size else (None, None)
        unit = value.unit or (DIMENSIONLESS if value.kind in _RATIO_KINDS else None)
        measurements.append(
            Measurement(
                id=ident,
                document_id=document_id,
                material_id=data.material,
                scale=data.scale,
                property=data.property,
                value_min=value.value_min,
                value_max=value.value_max,
                qualifier=Qualifier(value.qualifier),
                unit_printed=unit.printed if unit else None,
                unit=unit.display if unit else None,
                unit_qudt=unit.qudt if unit else None,
                particle_size_text=size.printed if size else None,
                size_min_nm=size_min,
                size_max_nm=size_max,
                cycles=data.cycles,
                source=Source.PROSE,
                passage_id=evidence.passage_id,
                quote=evidence.quote,
                start=evidence.start,
                end=evidence.end,
                value_text=used.printed,
                value_start=used.start,
                value_end=used.end,
                ref_numbers=evidence.ref_numbers,
                strategy_id=data.strategy,
                condition=data.condition,
            )
        )
        uses.append(used)
        if size:
            uses.append(resolver.use(evidence.passage_id, size, ident, "particle_size"))
        for q in resolver.quantities(evidence.passage_id) if data.condition else ():
            inside = low <= q.start and q.end <= high and q is not value
            if inside and _in_condition(q.printed, data.condition):
                uses.append(resolver.use(evidence.passage_id, q, ident, "condition"))
    return measurements, uses


def context_facts(
    raws: list[RawItem], resolver: QuoteResolver, problems: Problems, document_id: str
) -> tuple[dict[str, dict[str, Any]], list[QuantityUse]]:
    """Parsed values of the context facts that name a quantity (found in their first quote)."""
    values: dict[str, dict[str, Any]] = {}
    uses: list[QuantityUse] = []
    for raw in (r for r in raws if r.section == "context" and r.data.quantity is not None):
        if not raw.resolved or raw.resolved[0] is None:
            continue  # no quote, or its problem is already reported
        q = _quantity_in(
            resolver, raw.resolved[0], raw.data.quantity, problems, raw.name, raw.key_line("quantity")
        )
        if q is None:
            continue
        values[raw.data.id] = {
            "quantity": q.printed,
            "value_min": q.value_min,
            "value_max": q.value_max,
            "qualifier": Qualifier(q.qualifier),
            "unit_printed": q.unit.printed if q.unit else None,
            "unit": q.unit.display if q.unit else None,
            "unit_qudt": q.unit.qudt if q.unit else None,
        }
        used_by = statement_id(document_id, raw.data.id)
        uses.append(resolver.use(raw.resolved[0][0].passage_id, q, used_by, "context"))
    return values, uses
