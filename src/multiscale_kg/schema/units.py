"""Units as printed in papers → pint units, a display form and QUDT unit IRIs.

The article prints units with exponents ("mAh g–1", "mg cm–2"); the PDF extraction also lowered small
capitals ("mah g–1"). Other papers print the same units in other typographies, all read alike:
"mA h g−1", "mAh g-1", "mAh·g−1", "mAh g(-1)", "mAh g^-1", "mAh g⁻¹", "mAh/g", "m2 g−1", "cm²/s",
"g cm−3", "wt%", "°C". A printed unit is first brought to one spelling (``_typeset``), then split into
symbols with exponents, each symbol resolved by pint (with the small-capital repair when pint does not know
the lowered symbol), and the product is compared with the QUDT units the project uses
(``../shared/vocabularies.md``; a unit with no checked QUDT IRI keeps ``qudt`` None).
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
# Percent of mass, volume or atoms: a percentage whose printed kind is kept in the display form.
_PERCENTS = {
    "%": "%", "wt%": "wt%", "wt.%": "wt%", "vol%": "vol%", "vol.%": "vol%", "at%": "at%", "at.%": "at%",
}  # fmt: skip
_DISPLAY = {"percent": "%", "USD": "US$", "degree_Celsius": "°C", "degC": "°C"}

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
    "g/cm**3": "GM-PER-CentiM3",
    "m**2/g": "M2-PER-GM",
    "cm**2/s": "CentiM2-PER-SEC",
    "A/cm**2": "A-PER-CentiM2",
    "mV": "MilliV",
    # checked against @qudtlib/allunits 7.1.0 (conductivity, temperature, energy of a particle)
    "S/cm": "S-PER-CentiM",
    "mS/cm": "MilliS-PER-CentiM",
    "degC": "DEG_C",
    "K": "K",
    "eV": "EV",
    "h": "HR",
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

# a symbol and its power: "g–1", "cm−3", "m2" (a positive power is glued); a zero power would crash pint
_TOKEN = re.compile(r"(US\$|°C|(?:wt|vol|at)\.?%|[A-Za-zµμΩ%]+)(?:(?:\s*[–\-−]([1-9]))|([1-9]))?")
_SUPERSCRIPTS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹⁻", "0123456789−")
# the spellings of one unit: "g(-1)", "g^-1", "g^(−1)" → "g-1"; "mAh·g−1" → "mAh g−1"; "mA h" → "mAh"
_BRACKETED_POWER = re.compile(r"\^?\(\s*([–\-−]?[1-9])\s*\)|\^\s*([–\-−]?[1-9])")
_PRODUCT = re.compile(r"\s*[·⋅•]\s*")
_SPLIT_HOUR = re.compile(r"(?<![A-Za-z])([mk]?[AW]) h(?![A-Za-z])")
_SPACED_PERCENT = re.compile(r"\b(wt|vol|at)\.? ?%")


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


def _typeset(printed: str) -> str:
    """One spelling for the typographies of a unit (see the module docstring)."""
    text = printed.translate(_SUPERSCRIPTS)
    text = _BRACKETED_POWER.sub(lambda m: m.group(1) or m.group(2), text)
    text = _PRODUCT.sub(" ", text)
    text = _SPLIT_HOUR.sub(r"\1h", text)
    return _SPACED_PERCENT.sub(r"\1%", text)


def _symbol(token: str) -> str:
    if token in _PERCENTS:
        return "percent"
    if token == "°C":
        return "degC"
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
    text = re.sub(r"\s*/\s*", " / ", _typeset(printed.strip()))
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
        token = match.group(1).replace("μ", "µ")
        symbol = _symbol(token)
        # "A/ g–1" (a printed typo) divides once, like "A g–1"
        power = int(match.group(2) or match.group(3) or 1) * (-1 if match.group(2) or divide else 1)
        factors.append(f"{symbol}**{power}")
        name = _PERCENTS.get(token) or _DISPLAY.get(symbol, symbol)
        shown.append(name + ("" if power == 1 else str(power)))
    if "degC" in " ".join(factors) and len(factors) > 1:
        raise UnitError(f"cannot read unit {printed!r}: °C is a temperature, not a factor of a unit")
    quantity = registry().parse_units("degC" if factors == ["degC**1"] else "*".join(factors))
    return Unit(
        printed=printed, display=" ".join(shown), pint=str(quantity), qudt=_qudt_by_unit().get(quantity)
    )
