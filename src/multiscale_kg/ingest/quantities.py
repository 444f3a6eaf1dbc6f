"""Quantities in prose: numbers with their units, ranges, qualifiers and uncertainties.

``find_quantities(text)`` reads a passage's clean text left to right. One quantity is

    [symbol sign | sign | word] [US$] number[–number] [± number] [million]
        [unit[–number unit] | C | -fold | noun] [± number unit]

and has one of these kinds:

    measure            a number with a unit: "~1,000 mAh g–1", "20-nm", ">99.5 %", "about US$150 kWh–1"
    c_rate             a rate printed as nC: "0.2C", "up to 400C" (unit C, i.e. per hour)
    ratio              a bare number stated for a symbol: "Li/Ti ~0.22", "Xc ≈ 1"
    composition_range  "0.05 < x < 0.89": the bounds in value_min/value_max, the symbol in variable
    count              things counted: "1,000 charge–discharge steps", "50 cycles", "about 30 million units"
    factor             "about 100-fold", "3 times"
    number             a bare number nothing above explains ("0.03 for 0.5-µm particles"), left for curators

A range keeps its bounds; a single value has value_min == value_max; the qualifier says how the value
relates to what was measured ("<50 nm" is value 50, qualifier "<"). The bounds of a composition range are
kept as printed in ``printed`` only (strict or not). A bare number directly followed by a list word and a
quantity with a unit takes that unit ("~120 to ~260 Wh kg–1", "0.2 and 20C").

Not quantities: digits glued to a word, formula or closing bracket (citation superscripts "battery18",
"Li4Ti5O12", "(3D architecture)55"), numbers after a label ("fig. 1a", "Table 1", "step 1", "CC BY 4.0"),
reference and locant lists ("refs.22,23", "(3,4-ethylenedioxythiopene)"), unit exponents ("g–1"), shapes
("4 × 5"), numbers written as words ("fourfold"), and unitless years 1900–2100 ("by 2030"): a year dates a
statement, it does not measure anything.

Units come only from a closed list of symbols and words, because pint alone would read "at", "in" or
"cycles" as units; ``units.parse_unit`` then normalises them. An unknown word after a number just ends
the quantity. Nothing here raises, whatever the input.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from functools import cache

import pint

from ..schema.units import QUDT_UNIT, Unit, UnitError, parse_unit, registry
from ..schema.vocab import Qualifier


class Kind(StrEnum):
    MEASURE = "measure"
    C_RATE = "c_rate"
    RATIO = "ratio"
    COMPOSITION_RANGE = "composition_range"
    COUNT = "count"
    FACTOR = "factor"
    NUMBER = "number"


@dataclass(frozen=True)
class Quantity:
    start: int  # offsets in the text given to find_quantities
    end: int
    printed: str  # text[start:end]
    value_min: Decimal | None
    value_max: Decimal | None
    qualifier: str  # a schema.vocab.Qualifier value
    unit: Unit | None  # None for counts, factors, ratios and bare numbers
    uncertainty: Decimal | None  # "3 ± 0.2 µm" → 0.2
    kind: str  # a Kind value
    variable: str | None  # the symbol a value is stated for: "x" in "0.05 < x < 0.89"


_LETTER = r"[^\W\d_]"
_NUMBER = r"[0-9]{1,3}(?:,[0-9]{3})+(?![0-9])(?:\.[0-9]+)?|[0-9]+(?:\.[0-9]+)?"
_NUMBER_AT = re.compile(_NUMBER)
# a unit's power as papers print it: "g–1", "g−1", "g-1", "g^-1", "g(-1)", "g⁻¹"
_EXPONENT = r"(?:[–\-−][1-9]|\^\(?[–\-−]?[1-9]\)?|\([–\-−][1-9]\)|⁻?[¹²³])(?!\d)"
_POSITIVE_POWER = r"[23](?!\d|[.,]\d)"  # "m2 g−1", "cm2 s−1", "g/cm3"

# Unit symbols and words a number may carry; longest first so "min" is not read as "m".
_UNIT_WORDS = [
    *("seconds", "second", "minutes", "minute", "hours", "hour", "days", "day", "years", "year"),
    *(f"{prefix}{metre}" for prefix in ("", "kilo", "nano", "micro", "milli")
      for metre in ("metres", "metre", "meters", "meter")),
]  # fmt: skip
_UNIT_SYMBOLS = [
    *("mAh", "Ah", "mah", "ah", "Wh", "mWh", "kWh", "MWh", "GWh", "TWh", "wh", "kwh", "gwh"),
    *("mA", "µA", "μA", "A", "mV", "kV", "V", "mW", "kW", "MW", "GW", "W", "eV", "meV"),
    *("nm", "µm", "μm", "mm", "cm", "km", "m", "mg", "µg", "μg", "kg", "g", "mL", "ml", "L", "l"),
    *("ms", "min", "s", "h", "K", "Pa", "kPa", "MPa", "GPa", "Hz", "kHz", "%"),
    *("mA h", "A h", "S", "mS", "µS", "μS", "°C", "wt%", "wt.%", "vol%", "at%"),
]
_SYMBOL = "|".join(re.escape(s) for s in sorted(_UNIT_WORDS + _UNIT_SYMBOLS, key=len, reverse=True))
_TERM = rf"(?:{_SYMBOL})(?:{_EXPONENT}|{_POSITIVE_POWER}|(?!{_LETTER}))"
_DIVISOR = rf"(?:\s?/\s?{_TERM}|(?:\s|\s?[·⋅]\s?)(?:{_SYMBOL}){_EXPONENT})"
_UNIT = re.compile(rf"(?P<sep>\s?|-)(?P<unit>{_TERM}(?:{_DIVISOR})*)")
_C_RATE = re.compile(rf"C(?!{_LETTER}|\d)")
_FOLD = re.compile(r"(?:-?fold|\stimes)(?![\w-])")
_COUNT = re.compile(rf"\s(?:[a-z]+[–-][a-z]+\s)?(?:cycles?|steps?|units?)(?!{_LETTER})")
_SCALE = re.compile(rf"\s(thousand|million|billion)(?!{_LETTER})")
_SCALES = {"thousand": Decimal(10**3), "million": Decimal(10**6), "billion": Decimal(10**9)}

_RANGE = re.compile(rf"[–\-−]({_NUMBER})")  # unspaced: a spaced dash is a clause or a table column
# "× 10−3", "x 10^-3", ") × 10–12": a power of ten after the number (or its uncertainty)
_TIMES_TEN = re.compile(r"\)?\s?[×x·]\s?10(?:\^|\s?)(?P<sign>[–\-−]?)(?P<power>\d{1,2})(?![\d.,])")
# "10−9", "10–13": ten to a negative power printed without a base number
_BARE_POWER = re.compile(r"(?P<dash>[–\-−])(?P<power>\d{1,2})(?![\d.,])")
#: units whose values are powers of ten so small that "10–13" before them is 1e-13, never a range
_TINY_DIMENSIONS = ("[length] ** 2 / [time]", "[current] ** 2 * [time] ** 3 / [mass] / [length] ** 3")
_SIGNS = {
    "~": "~", "∼": "~", "≈": "~", "≃": "~", "<=": "<=", ">=": ">=", "≤": "<=", "≥": ">=",
    "⩽": "<=", "⩾": ">=", "<": "<", ">": ">", "=": "=",
}  # fmt: skip
_SIGN = "|".join(re.escape(s) for s in sorted(_SIGNS, key=len, reverse=True))
_LESS = r"<=|<|≤|⩽"
_VARIABLE = r"(?<![\w/])(?:[A-Z][a-z]?(?:/[A-Z][a-z]?)?|[a-zα-ωΑ-Ω])"
_NOT_VARIABLES = {"a", "A", "I", "An", "As", "At", "Be", "By", "If", "In", "Is", "It", "No", "Of", "On",
                  "Or", "So", "To", "Up", "We"}  # fmt: skip
_BETWEEN = re.compile(rf"\s?(?:{_LESS})\s?(?P<var>{_VARIABLE})\s?(?:{_LESS})\s?(?P<high>{_NUMBER})")
_UNCERTAINTY = re.compile(rf"\s?±\s?({_NUMBER})")
_TRAILING_UNCERTAINTY = re.compile(rf"\s?±\s?(?P<value>{_NUMBER})(?:\s?(?P<unit>{_TERM}(?:{_DIVISOR})*))?")

_PREFIX_SIGN = re.compile(rf"(?:(?P<var>{_VARIABLE})\s?)?(?P<sign>{_SIGN})\s?\Z")
_WORDS = {
    "about": "~", "approximately": "~", "around": "~", "roughly": "~", "nearly": "~", "circa": "~",
    "up to": "<=", "at most": "<=", "at least": ">=", "less than": "<", "fewer than": "<",
    "below": "<", "more than": ">", "greater than": ">", "above": ">",
}  # fmt: skip
_PREFIX_WORD = re.compile(rf"(?<!\w)(?P<word>{'|'.join(_WORDS)})\s\Z", re.IGNORECASE)
_LABEL = re.compile(
    r"(?:(?<!\w)(?:fig|figs|figure|figures|table|tables|step|steps|ref|refs|panel|panels|eq|eqs|"
    r"equation|equations|section|sections|chapter|version)\.?|(?<!\w)(?:no|vol|p|pp)\.|CC BY)\s?\Z",
    re.IGNORECASE,
)
_GLUED_BEFORE = set(".,/)]’”'_")
_CONNECTOR = re.compile(r",\s|,?\s(?:and|or|to)\s")
_REACH = 32  # how far before a number its qualifier, symbol or label may start


def find_quantities(text: str) -> list[Quantity]:
    """Every quantity in ``text``, in order and non-overlapping (see the module docstring)."""
    found: list[Quantity] = []
    pos = floor = 0
    while (match := _NUMBER_AT.search(text, pos)) is not None:
        quantity = _read(text, match, floor)
        if quantity is None:
            pos = match.end()
            continue
        found.append(quantity)
        pos = floor = quantity.end
    return _share_units(text, [q for q in found if not _is_year(q)])


def _read(text: str, match: re.Match[str], floor: int) -> Quantity | None:
    """The quantity whose number ``match`` found, or None when the digits are not a quantity."""
    start = match.start()
    negative = _minus_at(text, start - 1, floor)
    start -= negative
    if not _free_before(text, start):
        return None
    low = _decimal(match.group()) * (-1 if negative else 1)
    if match.group() == "10" and (power := _bare_power(text, match.end())) is not None:
        low, match = Decimal(10) ** -power[0], _Shifted(match, power[1])
    currency = "US$" if text[max(floor, start - 3) : start] == "US$" else ""
    start -= len(currency)
    if between := _BETWEEN.match(text, match.end()):
        high, end, variable = _decimal(between["high"]), between.end(), between["var"]
        kind, unit, uncertainty = Kind.COMPOSITION_RANGE, None, None
    else:
        low, high, uncertainty, kind, unit, end = _value(text, match.end(), low, currency)
        variable = None
    if _glued_after(text, end):
        return None
    if start > floor and text[start - 1] == "(" and text.count(")", start, end) > text.count("(", start, end):
        start -= 1  # "(2.4 ± 0.3) × 10−12": the bracket opened before the number closes inside the quantity
    qualifier, start, named = _prefix(text, start, floor)
    variable = variable or named
    if kind == Kind.NUMBER and variable:
        kind = Kind.RATIO
    return Quantity(start, end, text[start:end], low, high, qualifier, unit, uncertainty, kind, variable)


def _value(
    text: str, end: int, low: Decimal, currency: str
) -> tuple[Decimal, Decimal, Decimal | None, Kind, Unit | None, int]:
    """Range, uncertainty, scale word and tail after the first number, which ends at ``end``."""
    high, uncertainty = low, None
    if dash := _RANGE.match(text, end):
        high, end = _decimal(dash.group(1)), dash.end()
    if plus_minus := _UNCERTAINTY.match(text, end):
        uncertainty, end = _decimal(plus_minus.group(1)), plus_minus.end()
    if times := _TIMES_TEN.match(text, end):
        factor = Decimal(10) ** (int(times["power"]) * (-1 if times["sign"] else 1))
        low, high, end = low * factor, high * factor, times.end()
        uncertainty = uncertainty * factor if uncertainty is not None else None
    if scale := _SCALE.match(text, end):
        factor = _SCALES[scale.group(1)]
        low, high, end = low * factor, high * factor, scale.end()
    kind, unit, end = _tail(text, end, currency)
    if unit is not None and low == high and (dash := _RANGE.match(text, end)):
        stop = _unit_repeated(text, dash, unit)
        high, end = (_decimal(dash.group(1)), stop) if stop is not None else (high, end)
    if unit is not None and uncertainty is None:
        uncertainty, end = _trailing_uncertainty(text, end, unit)
    return low, high, uncertainty, kind, unit, end


def _tail(text: str, end: int, currency: str) -> tuple[Kind, Unit | None, int]:
    """What follows the number: a C-rate, a factor, a unit or a counted noun."""
    if not currency:
        if c_rate := _C_RATE.match(text, end):
            return Kind.C_RATE, _c_rate_unit(), c_rate.end()
        if fold := _FOLD.match(text, end):
            return Kind.FACTOR, None, fold.end()
    printed = _UNIT.match(text, end)
    if printed and not _decade(printed) and (unit := _unit(f"{currency} {printed['unit']}".strip())):
        return Kind.MEASURE, unit, printed.end()
    if currency:
        return Kind.MEASURE, _unit(currency), end
    if count := _COUNT.match(text, end):
        return Kind.COUNT, None, count.end()
    return Kind.NUMBER, None, end


class _Shifted:
    """A number match whose end is moved past a power ("10" of "10−9" ends after "−9")."""

    def __init__(self, match: re.Match[str], end: int):
        self._match, self._end = match, end

    def start(self) -> int:
        return self._match.start()

    def end(self) -> int:
        return self._end

    def group(self) -> str:
        return self._match.string[self._match.start() : self._end]


def _bare_power(text: str, end: int) -> tuple[int, int] | None:
    """(n, end) when the "10" ending at ``end`` is 10 to the power −n: "10−9" (a minus sign), "10–9" (a
    range would be reversed), or "10–13 cm2 s–1" (a unit whose values are that small)."""
    match = _BARE_POWER.match(text, end)
    if match is None:
        return None
    power = int(match["power"])
    if match["dash"] == "−" or power < 10:
        return power, match.end()
    printed = _UNIT.match(text, match.end())
    unit = _unit(printed["unit"]) if printed and printed["sep"] != "-" else None
    if unit is not None and str(registry().parse_units(unit.pint).dimensionality) in _TINY_DIMENSIONS:
        return power, match.end()
    return None


def _decade(printed: re.Match[str]) -> bool:
    """Whether a glued "s" makes a decade ("1990s") rather than seconds."""
    return printed["sep"] == "" and printed["unit"] == "s"


def _unit_repeated(text: str, dash: re.Match[str], unit: Unit) -> int | None:
    """Where a range whose upper bound repeats the unit ("5 nm–10 nm") ends; None if it is no such range."""
    match = _UNIT.match(text, dash.end())
    if match is None or match["sep"] == "-":
        return None
    repeated = _unit(match["unit"])
    return match.end() if repeated is not None and repeated.display == unit.display else None


def _trailing_uncertainty(text: str, end: int, unit: Unit) -> tuple[Decimal | None, int]:
    """The uncertainty after the unit ("150 nm ± 10 nm"), which must repeat the unit or omit it."""
    match = _TRAILING_UNCERTAINTY.match(text, end)
    if match is None:
        return None, end
    if match["unit"] is not None:
        repeated = _unit(match["unit"])
        if repeated is None or repeated.display != unit.display:
            return None, end
    return _decimal(match["value"]), match.end()


def _prefix(text: str, start: int, floor: int) -> tuple[str, int, str | None]:
    """The qualifier before the number (a sign, maybe after a symbol, or a word) and where it starts."""
    floor = max(floor, start - _REACH)
    if sign := _PREFIX_SIGN.search(text, floor, start):
        variable = sign["var"]
        if variable in _NOT_VARIABLES:
            variable = None
        begin = sign.start("var") if variable else sign.start("sign")
        return _SIGNS[sign["sign"]], begin, variable
    if word := _PREFIX_WORD.search(text, floor, start):
        return _WORDS[word["word"].lower()], word.start(), None
    return Qualifier.EQ.value, start, None


def _minus_at(text: str, i: int, floor: int) -> bool:
    """A minus sign at ``i`` that starts a number (not a dash joining words or a range)."""
    if i < max(floor, 0) or text[i] not in "−-":
        return False
    return i == 0 or text[i - 1].isspace() or text[i - 1] == "("


def _free_before(text: str, start: int) -> bool:
    """False for digits that continue a word, formula, list or label: superscripts, subscripts, exponents."""
    if start == 0:
        return True
    before = text[start - 1]
    if before.isalnum() or before in _GLUED_BEFORE:
        return False
    if before in "–-−" and start >= 2 and (text[start - 2].isalnum() or text[start - 2] in ")]"):
        return False
    head = text[max(0, start - _REACH) : start]
    return not (head.rstrip().endswith("×") or _LABEL.search(head))


def _glued_after(text: str, end: int) -> bool:
    """True when the quantity runs on into a word, formula or list: "1D", "4-ethylene", "3,4", "4 × 5"."""
    rest = text[end : end + 4]
    if not rest or not text[end - 1].isdigit():
        return bool(rest) and rest[0].isalpha()
    return bool(re.match(rf"{_LETTER}|[-–‑]{_LETTER}|[,.]\d|\s?×\s?\d", rest))


def _share_units(text: str, found: list[Quantity]) -> list[Quantity]:
    """A bare number listed before a quantity with a unit takes that unit ("~120 to ~260 Wh kg–1")."""
    shared = list(found)
    for k in range(len(shared) - 2, -1, -1):
        here, after = shared[k], shared[k + 1]
        listed = _CONNECTOR.fullmatch(text, here.end, after.start)
        bare = here.kind == Kind.NUMBER and not here.variable
        if listed and bare and after.kind in (Kind.MEASURE, Kind.C_RATE):
            shared[k] = replace(here, unit=after.unit, kind=after.kind)
    return shared


def _is_year(quantity: Quantity) -> bool:
    if quantity.kind != Kind.NUMBER or "," in quantity.printed or "." in quantity.printed:
        return False
    values = (quantity.value_min, quantity.value_max)
    return all(v is not None and v == v.to_integral_value() and 1900 <= v <= 2100 for v in values)


def _decimal(printed: str) -> Decimal:
    try:
        return Decimal(printed.replace(",", ""))
    except InvalidOperation:  # the patterns only pass digits; kept so no input can raise
        return Decimal(0)


def _unit(printed: str) -> Unit | None:
    try:
        return parse_unit(printed)
    except (UnitError, pint.errors.PintError, ValueError, TypeError, KeyError, AssertionError):
        return None


@cache
def _c_rate_unit() -> Unit:
    """nC charges fully in 1/n hours: a rate per hour. QUDT has no C-rate unit; PER-HR is the nearest."""
    per_hour = str(registry().parse_units("1/hour"))
    return Unit(printed="C", display="C", pint=per_hour, qudt=QUDT_UNIT + "PER-HR")
