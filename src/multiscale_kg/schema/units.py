"""Units as printed in the article → pint units, a display form and QUDT unit IRIs.

The article prints units with exponents ("mAh g–1", "mg cm–2"); the PDF extraction also lowered small
capitals ("mah g–1"). A printed unit is split into symbols with exponents, each symbol resolved by pint
(with the small-capital repair when pint does not know the lowered symbol), and the product is compared
with the QUDT units the project uses (``../shared/vocabularies.md``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

import pint

QUDT_UNIT = "http://qudt.org/vocab/unit/"

# Symbols whose small capitals the extraction lowered; pint would read them differently (or not at all).
_SMALL_CAPS = {"mah": "mAh", "ah": "Ah", "wh": "Wh", "kwh": "kWh", "gwh": "GWh"}

# Currency is no physical dimension; the registry gets one so that "US$ kWh–1" stays a unit pint can carry.
_CURRENCY = {"US$": "USD"}
_DISPLAY = {"percent": "%", "USD": "US$"}

# pint expression → QUDT unit local name. mAh/L is numerically Ah/m³, the QUDT unit that fits it.
_QUDT = {
    "mAh/g": "MilliA-HR-PER-GM",
    "mAh/L": "A-HR-PER-M3",
    "Ah/L": "A-HR-PER-DeciM3",
    "mAh/cm**3": "A-HR-PER-DeciM3",
    "Wh/kg": "W-HR-PER-KiloGM",
    "Wh/L": "W-HR-PER-L",
    "A/g": "A-PER-GM",
    "mA/g": "A-PER-KiloGM",
    "mg/cm**2": "MilliGM-PER-CentiM2",
    "nm": "NanoM",
    "µm": "MicroM",
    "km": "KiloM",
    "percent": "PERCENT",
    "GWh": "GigaW-HR",
    "kWh": "KiloW-HR",
    "s": "SEC",
    "min": "MIN",
    "V": "V",
}

_TOKEN = re.compile(r"(US\$|[A-Za-zµμ%]+)(?:\s*[–\-−]([1-9]))?")  # a zero power would crash pint


class UnitError(ValueError):
    """A printed unit that no known unit matches."""


@dataclass(frozen=True)
class Unit:
    printed: str
    display: str  # "mAh g-1": the printed form with small capitals and dashes repaired
    pint: str  # pint's canonical spelling, e.g. "milliampere_hour / gram"
    qudt: str | None


#: a ratio with no unit (x in LixFePO4, Li/Ti, a critical concentration): QUDT's dimensionless FRACTION
DIMENSIONLESS = Unit(printed="", display="1", pint="dimensionless", qudt=QUDT_UNIT + "FRACTION")


@cache
def registry() -> pint.UnitRegistry:
    ureg = pint.UnitRegistry()
    ureg.define("US_dollar = [currency] = USD")
    return ureg


def _symbol(token: str) -> str:
    if token == "%":
        return "percent"
    if token in _CURRENCY:
        return _CURRENCY[token]
    ureg = registry()
    try:
        ureg.parse_units(token)
        return _SMALL_CAPS.get(token, token)
    except (pint.errors.UndefinedUnitError, pint.errors.DefinitionSyntaxError, AssertionError, ValueError):
        if token.lower() in _SMALL_CAPS:
            return _SMALL_CAPS[token.lower()]
        raise UnitError(f"unknown unit symbol {token!r}") from None


@cache
def _qudt_by_unit() -> dict[pint.Unit, str]:
    ureg = registry()
    return {ureg.parse_units(expr): QUDT_UNIT + name for expr, name in _QUDT.items()}


def parse_unit(printed: str) -> Unit:
    """``"mah g–1"`` → Unit(display "mAh g-1", pint "milliampere_hour / gram", QUDT MilliA-HR-PER-GM)."""
    text = re.sub(r"\s*/\s*", " / ", printed.strip())
    if not text:
        raise UnitError("empty unit")
    factors, shown, divide = [], [], False
    for part in text.split():
        if part == "/":
            divide = True
            continue
        match = _TOKEN.fullmatch(part)
        if not match:
            raise UnitError(f"cannot read unit {printed!r} at {part!r}")
        symbol = _symbol(match.group(1).replace("μ", "µ"))
        # "A/ g–1" (a printed typo) divides once, like "A g–1"
        power = int(match.group(2) or 1) * (-1 if match.group(2) or divide else 1)
        factors.append(f"{symbol}**{power}")
        shown.append(_DISPLAY.get(symbol, symbol) + ("" if power == 1 else str(power)))
    quantity = registry().parse_units("*".join(factors))
    return Unit(
        printed=printed, display=" ".join(shown), pint=str(quantity), qudt=_qudt_by_unit().get(quantity)
    )
