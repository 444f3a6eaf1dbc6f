"""What a number with a unit measures: its unit's dimension first, then the words around it.

The dimension decides where it alone can ("mAh g−1" is a gravimetric capacity, "m2 g−1" a specific surface
area, "cm2 s−1" a diffusivity). Where several properties share a dimension (a percentage, a density, a
conductivity, a length), the keyword nearest the number decides: "ICE of 84.9%" is a first-cycle Coulombic
efficiency, "retained 91.5% of its capacity" a capacity retention, "tap density of 0.92 g cm−3" a tap
density. A percentage no keyword explains stays ``unclassified``; it is still a measurement.

Conditions are read from the same words: "after 500 cycles" gives the cycle count, "at 0.2 A g−1" or
"at 0.1C" the rate.
"""

from __future__ import annotations

import re
from functools import cache

from ..schema import Property
from ..schema.units import Unit, registry

P = Property

#: pint dimensionality → the property when the unit alone tells it, or the keyword table that decides
_BY_DIMENSION: dict[str, Property | str] = {
    "[current] * [time] / [mass]": P.GRAVIMETRIC_CAPACITY,
    "[current] * [time] / [length] ** 3": P.VOLUMETRIC_CAPACITY,
    "[current] * [time] / [length] ** 2": P.AREAL_CAPACITY,
    "[length] ** 2 / [mass]": P.SPECIFIC_SURFACE_AREA,
    "[mass] / [length] ** 2": P.MASS_LOADING,
    "[length] ** 2 / [time]": P.DIFFUSIVITY,
    "[length] ** 2 / [time] ** 2": P.GRAVIMETRIC_ENERGY,  # Wh/kg
    "[mass] / [length] / [time] ** 2": P.VOLUMETRIC_ENERGY,  # Wh/L
    "[current] / [mass]": P.CURRENT_DENSITY,
    "[current] / [length] ** 2": P.CURRENT_DENSITY,
    "[temperature]": P.TEMPERATURE,
    "[time]": P.DURATION,
    "[mass] * [length] ** 2 / [time] ** 3 / [current]": P.VOLTAGE,
    "[mass] / [length] ** 3": "density",
    "[current] ** 2 * [time] ** 3 / [mass] / [length] ** 3": "conductivity",
    "[length]": "length",
    "[mass] * [length] ** 2 / [time] ** 2": "energy",
    "dimensionless": "percent",
}

# keyword (a regular expression, lowercase text) → property, per ambiguous dimension; nearest wins
_KEYWORDS: dict[str, tuple[tuple[str, Property], ...]] = {
    "percent": (
        (r"initial coulombic efficiency|first[- ]cycle (?:coulombic )?efficiency|\bice\b", P.FIRST_CYCLE_CE),
        (r"coulombic efficiency|\bce\b", P.CE),
        (r"retention|retain|capacity retained", P.CYCLE_RETENTION),
        (r"relative density", P.RELATIVE_DENSITY),
        (r"expan|swell|volume change|thickness|grew", P.VOLUME_CHANGE),
        (r"\bwt|content|contained|loading", P.MASS_FRACTION),
    ),
    "density": ((r"tap", P.TAP_DENSITY), (r"density", P.DENSITY)),
    "conductivity": (
        (r"ionic|li\+|lithium[- ]ion", P.IONIC_CONDUCTIVITY),
        (r"electronic|electrical|electron", P.ELECTRONIC_CONDUCTIVITY),
        (r"conductiv", P.CONDUCTIVITY),
    ),
    "length": (
        (r"thick|shell", P.THICKNESS),
        (r"pore", P.PORE_SIZE),
        (r"particle|size|diameter|core|sphere|measure|grain|crystallite", P.PARTICLE_SIZE),
    ),
    "energy": ((r"activation", P.ACTIVATION_ENERGY),),
}
_MASS_PERCENT = {"wt%": P.MASS_FRACTION}
#: kinds whose keywords are tried in order (most specific first) → the property when none is printed
_ORDERED = {"density": P.DENSITY, "conductivity": P.CONDUCTIVITY}
_CYCLES = re.compile(
    r"(?:after|over|for|of)\s(\d{1,5})\s(?:charge[–-]discharge\s)?cycles?|(\d{1,5})\scycles?"
)
_RATE = re.compile(
    r"\b[Aa]t\s(?:a\s(?:rate|current density)\sof\s)?(\d+(?:\.\d+)?\s?C\b|\d+(?:\.\d+)?\s?m?A\s?(?:g|cm)\S*)"
)


@cache
def _dimension(unit: Unit) -> str:
    return str(registry().parse_units(unit.pint).dimensionality)


def classify(unit: Unit, before: str, after: str = "") -> Property:
    """The property of a value in ``unit``; ``before`` and ``after`` are the words either side of it."""
    if unit.display in _MASS_PERCENT:
        return _MASS_PERCENT[unit.display]
    kind = _BY_DIMENSION.get(_dimension(unit))
    if isinstance(kind, Property):
        return kind
    if kind is None:
        return P.UNCLASSIFIED
    if kind in _ORDERED:  # "tap density", "ionic conductivity": the qualifying word decides, before after
        for words in (before.lower(), after.lower()):
            for pattern, prop in _KEYWORDS[kind]:
                if re.search(pattern, words):
                    return prop
        return _ORDERED[kind]
    best: tuple[int, Property] | None = None
    for pattern, prop in _KEYWORDS.get(kind, ()):
        for match in re.finditer(pattern, before.lower()):
            distance = len(before) - match.end()
            if best is None or distance < best[0]:
                best = (distance, prop)
        for match in re.finditer(pattern, after.lower()):
            if best is None or match.start() < best[0]:
                best = (match.start(), prop)
    return best[1] if best else P.UNCLASSIFIED


def cycles_in(words: str) -> int | None:
    """The cycle count stated in ``words``: "after 500 cycles" → 500."""
    match = _CYCLES.search(words)
    return int(match.group(1) or match.group(2)) if match else None


def rate_in(words: str) -> str | None:
    """The rate stated in ``words``: "at 0.2 A g−1" → "0.2 A g−1", "at 0.1C" → "0.1C"."""
    match = _RATE.search(words)
    return match.group(1).rstrip(".,;") if match else None
