"""The article's equations as calculators with units (pint), and the theoretical capacities they give.

- Einstein's diffusion time τ = λ²/D and the bulk-diffusion-limited C-rate C_D = 3,600·D/λ² (the 3,600
  turns D/λ² from per second into per hour, i.e. a C-rate);
- the theoretical specific capacity n·F/(3.6·M) of a reaction exchanging n electrons per formula unit of
  molar mass M (F/3.6 turns coulombs per gram into mAh per gram).

>>> round(theoretical_capacity(3, 459.083).magnitude, 1)  # Li4Ti5O12 → Li7Ti5O12
175.1
>>> round(diffusion_limited_c_rate("1 µm", "1e-10 cm^2/s").magnitude, 6)  # per hour: 36C
36.0
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

import pint

from ..schema import KnowledgeBase, Material
from ..schema.formulas import parse_formula
from ..schema.reactions import Reaction
from ..schema.units import registry

Quantity = pint.Quantity


def _quantity(value: Quantity | str | float, unit: str) -> Quantity:
    """A pint quantity in ``unit``'s dimension; a bare number is taken to be in ``unit``."""
    ureg = registry()
    quantity = ureg.Quantity(value) if isinstance(value, str) else value
    if not isinstance(quantity, ureg.Quantity):
        quantity = ureg.Quantity(quantity, unit)
    return quantity.to(unit)


def diffusion_time(length: Quantity | str | float, diffusivity: Quantity | str | float) -> Quantity:
    """τ = λ²/D, in seconds. A bare ``length`` is in cm and a bare ``diffusivity`` in cm²/s."""
    lam = _quantity(length, "cm")
    d = _quantity(diffusivity, "cm**2/s")
    return (lam**2 / d).to("s")


def diffusion_limited_c_rate(length: Quantity | str | float, diffusivity: Quantity | str | float) -> Quantity:
    """C_D = 3,600·D/λ² with D in cm²/s and λ in cm: the highest C-rate bulk diffusion allows, per hour."""
    return (1 / diffusion_time(length, diffusivity)).to("1/hour")


def theoretical_capacity(electrons: float | Decimal, molar_mass: float | Quantity) -> Quantity:
    """n·F/(3.6·M) in mAh/g, for ``electrons`` per formula unit of ``molar_mass`` (g/mol when bare)."""
    ureg = registry()
    mass = _quantity(molar_mass, "g/mol")
    return (float(electrons) * ureg.faraday_constant / mass).to("mA*h/g")


@dataclass(frozen=True)
class TheoreticalCapacity:
    """A derived fact: the theoretical capacity of a material's stated reaction."""

    material_id: str
    reaction: Reaction
    molar_mass: float  # g/mol of the formula unit
    molar_mass_source: str  # "materials" (the material's formula) or "formula_unit"
    capacity: float  # mAh/g

    @property
    def rounded(self) -> int:
        """Whole mAh/g, the precision Table 1 prints: a value is above the capacity only beyond this."""
        return int(Decimal(self.capacity).quantize(Decimal(1), rounding="ROUND_HALF_UP"))


def _molar_mass(material: Material, reaction: Reaction) -> tuple[float, str]:
    if material.molar_mass is not None and reaction.formula_unit == material.formula:
        return material.molar_mass, "materials"
    formula = parse_formula(reaction.formula_unit)
    if (
        formula is None
    ):  # ingest/reactions.py refuses such entries; kept for callers that build reactions by hand
        raise ValueError(
            f"{reaction.file}:{reaction.line}: cannot compute a molar mass of {reaction.formula_unit!r}"
        )
    return formula.molar_mass, "formula_unit"


def theoretical_capacities(kb: KnowledgeBase, reactions: Iterable[Reaction]) -> list[TheoreticalCapacity]:
    """The theoretical capacity of every material that has a reaction, in material id order."""
    materials = {m.id: m for m in kb.materials}
    found = []
    for reaction in sorted(reactions, key=lambda r: r.material_id):
        molar_mass, source = _molar_mass(materials[reaction.material_id], reaction)
        capacity = theoretical_capacity(reaction.electrons, molar_mass).magnitude
        found.append(
            TheoreticalCapacity(reaction.material_id, reaction, molar_mass, source, round(capacity, 1))
        )
    return found
