"""Automatic measurements from the prose of the two uncurated test documents, against lists read by hand.

Each list holds every quantity with a unit printed in a document's prose (not its tables or references),
in text order, as (printed, value_min, value_max, unit as displayed). A quantity counts as found when an
automatic measurement has its value and unit; a condition ("at 0.2 A g−1", "at 0.1C") counts as found when
it is the rate condition of a measurement, which is where it belongs. The issue asks for 7 in 10; the
measured recall is printed (``pytest -s``) and must stay at least that.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from multiscale_kg.ingest.documents import read_document
from multiscale_kg.ingest.pipeline import ingest_document
from multiscale_kg.ingest.quantities import find_quantities
from multiscale_kg.schema import Method, Property, Source
from multiscale_kg.schema.units import parse_unit

DOCUMENTS = Path(__file__).resolve().parent / "fixtures" / "documents"
SI, GARNET = "yolk-shell-si-anode", "garnet-lfp-cathode"
D = Decimal
RATE = "rate"  # a condition: found as a measurement's rate_condition

EXPECTED = {
    SI: [
        ("3579 mA h g−1", D("3579"), D("3579"), "mAh g-1"),
        ("~300%", D("300"), D("300"), "%"),
        ("0.92 g cm−3", D("0.92"), D("0.92"), "g cm-3"),
        ("1320 mAh g-1", D("1320"), D("1320"), "mAh g-1"),
        ("0.2 A g−1", None, None, RATE),
        ("86.4%", D("86.4"), D("86.4"), "%"),
        ("372 mA h g−1", D("372"), D("372"), "mAh g-1"),
        ("~150 nm", D("150"), D("150"), "nm"),
        (">100 m2 g−1", D("100"), None, "m2 g-1"),
        ("60–70%", D("60"), D("70"), "%"),
        ("50–80 nm", D("50"), D("80"), "nm"),
        ("800 °C", D("800"), D("800"), "°C"),
        ("2 h", D("2"), D("2"), "h"),
        ("5 wt%", D("5"), D("5"), "wt%"),
        ("28 ± 2 wt%", D("28"), D("28"), "wt%"),
        ("38.5 m2 g−1", D("38.5"), D("38.5"), "m2 g-1"),
        ("80 wt%", D("80"), D("80"), "wt%"),
        ("10 wt%", D("10"), D("10"), "wt%"),
        ("10 wt%", D("10"), D("10"), "wt%"),
        ("1.5–2.0 mg cm−2", D("1.5"), D("2.0"), "mg cm-2"),
        ("up to 3.1 mg cm−2", None, D("3.1"), "mg cm-2"),
        ("0.01", D("0.01"), D("0.01"), "V"),
        ("1.5 V", D("1.5"), D("1.5"), "V"),
        ("25 °C", D("25"), D("25"), "°C"),
        ("65 ± 10 nm", D("65"), D("65"), "nm"),
        ("about 8 nm", D("8"), D("8"), "nm"),
        ("3–5 µm", D("3"), D("5"), "µm"),
        ("1845 mAh·g−1", D("1845"), D("1845"), "mAh g-1"),
        ("1320 mAh/g", D("1320"), D("1320"), "mAh g-1"),
        ("84.9%", D("84.9"), D("84.9"), "%"),
        ("2 A g−1", None, None, RATE),
        ("780 mA h g-1", D("780"), D("780"), "mAh g-1"),
        ("above 99.6%", D("99.6"), None, "%"),
        ("1050 mAh cm−3", D("1050"), D("1050"), "mAh cm-3"),
        ("3.2 × 10−11 cm2 s−1", D("3.2E-11"), D("3.2E-11"), "cm2 s-1"),
        ("~10–13 cm2 s−1", D("1E-13"), D("1E-13"), "cm2 s-1"),
        ("2.1 × 10−2 S cm−1", D("0.021"), D("0.021"), "S cm-1"),
        ("86.4%", D("86.4"), D("86.4"), "%"),
        ("18%", D("18"), D("18"), "%"),
    ],
    GARNET: [
        ("above 10−4 S cm−1", D("1E-4"), None, "S cm-1"),
        ("1.3 × 10−3 S cm−1", D("0.0013"), D("0.0013"), "S cm-1"),
        ("25 °C", D("25"), D("25"), "°C"),
        ("~10–6 S cm–1", D("1E-6"), D("1E-6"), "S cm-1"),
        ("15 wt%", D("15"), D("15"), "wt%"),
        ("151 mAh g(-1)", D("151"), D("151"), "mAh g-1"),
        ("0.1C", None, None, RATE),
        ("60 °C", D("60"), D("60"), "°C"),
        ("170 mAh g–1", D("170"), D("170"), "mAh g-1"),
        ("3.45 V", D("3.45"), D("3.45"), "V"),
        ("~10–9 S cm–1", D("1E-9"), D("1E-9"), "S cm-1"),
        ("10−14", D("1E-14"), D("1E-14"), "cm2 s-1"),
        ("10−16 cm2·s−1", D("1E-16"), D("1E-16"), "cm2 s-1"),
        ("about 10−2 S cm−1", D("0.01"), D("0.01"), "S cm-1"),
        ("about 6 V", D("6"), D("6"), "V"),
        ("1100 °C", D("1100"), D("1100"), "°C"),
        ("12 h", D("12"), D("12"), "h"),
        ("94%", D("94"), D("94"), "%"),
        ("14.2 m2/g", D("14.2"), D("14.2"), "m2 g-1"),
        ("1.1 g/cm3", D("1.1"), D("1.1"), "g cm-3"),
        ("10.5 mg·cm−2", D("10.5"), D("10.5"), "mg cm-2"),
        ("120 °C", D("120"), D("120"), "°C"),
        ("151 mAh·g−1", D("151"), D("151"), "mAh g-1"),
        ("0.1C", None, None, RATE),
        ("132 mAh g−1", D("132"), D("132"), "mAh g-1"),
        ("1C", None, None, RATE),
        ("96.8%", D("96.8"), D("96.8"), "%"),
        ("0.5C", None, None, RATE),
        ("91.5%", D("91.5"), D("91.5"), "%"),
        ("≥99.5%", D("99.5"), None, "%"),
        ("385 Wh kg−1", D("385"), D("385"), "Wh kg-1"),
        ("1.6 mAh cm−2", D("1.6"), D("1.6"), "mAh cm-2"),
        ("(2.4 ± 0.3) × 10−12 cm2 s−1", D("2.4E-12"), D("2.4E-12"), "cm2 s-1"),
        ("10–14 cm2 s–1", D("1E-14"), D("1E-14"), "cm2 s-1"),
        ("60 °C", D("60"), D("60"), "°C"),
    ],
}


@pytest.fixture(scope="module")
def automatic() -> dict[str, list]:
    out = {}
    for name in (SI, GARNET):
        measurements = ingest_document(read_document(DOCUMENTS / name))["measurements"]
        out[name] = [m for m in measurements if m.source is Source.PROSE]
    return out


def _recall(name: str, found: list) -> tuple[int, int, list[str]]:
    pool = [(m.value_min, m.value_max, m.unit) for m in found]
    rates = [m.rate_condition for m in found if m.rate_condition]
    hits, missed = 0, []
    for printed, low, high, unit in EXPECTED[name]:
        if unit == RATE:
            hit = printed in rates
        else:
            hit = (low, high, unit) in pool
            if hit:
                pool.remove((low, high, unit))
        hits += hit
        if not hit:
            missed.append(printed)
    return hits, len(EXPECTED[name]), missed


@pytest.mark.parametrize("name", [SI, GARNET])
def test_prose_quantities_recall(automatic, name):
    hits, total, missed = _recall(name, automatic[name])
    print(f"{name}: {hits}/{total} prose quantities with units found ({hits / total:.0%}); missed {missed}")
    assert hits / total >= 0.7
    assert missed == []  # today every one is found; a regression shows here first


def test_automatic_measurements_are_automatic_prose_with_offsets(automatic):
    for name in (SI, GARNET):
        text = read_document(DOCUMENTS / name).text
        for m in automatic[name]:
            assert (m.method, m.scale) == (Method.AUTOMATIC, None)
            assert text[m.value_start : m.value_end] == m.value_text
            assert m.start <= m.value_start < m.value_end <= m.end
            assert m.id.startswith(f"{name}-q")


def test_ten_to_a_minus_power_is_a_value_not_a_range(automatic):
    found = {m.value_text: m for m in automatic[GARNET]}
    sigma = found["~10–9 S cm–1"]
    assert (sigma.value_min, sigma.value_max, sigma.qualifier.value, sigma.unit) == (
        D("1E-9"),
        D("1E-9"),
        "~",
        "S cm-1",
    )
    assert sigma.property is Property.ELECTRONIC_CONDUCTIVITY  # "Its electronic conductivity is poor"
    assert sigma.unit_qudt == "http://qudt.org/vocab/unit/S-PER-CentiM"


@pytest.mark.parametrize(
    ("name", "printed", "prop", "material", "cycles", "rate"),
    [
        (SI, "0.92 g cm−3", Property.TAP_DENSITY, None, None, None),
        (SI, "1320 mAh g-1", Property.GRAVIMETRIC_CAPACITY, None, None, "0.2 A g−1"),
        (SI, ">100 m2 g−1", Property.SPECIFIC_SURFACE_AREA, None, None, None),
        (SI, "60–70%", Property.FIRST_CYCLE_CE, None, None, None),
        (SI, "1.5–2.0 mg cm−2", Property.MASS_LOADING, None, None, None),
        (SI, "84.9%", Property.FIRST_CYCLE_CE, None, None, None),
        (SI, "above 99.6%", Property.CE, None, 10, None),
        (SI, "780 mA h g-1", Property.GRAVIMETRIC_CAPACITY, None, None, "2 A g−1"),
        (SI, "1050 mAh cm−3", Property.VOLUMETRIC_CAPACITY, None, None, None),
        (SI, "3.2 × 10−11 cm2 s−1", Property.DIFFUSIVITY, None, None, None),
        (SI, "2.1 × 10−2 S cm−1", Property.ELECTRONIC_CONDUCTIVITY, None, None, None),
        (GARNET, "1.3 × 10−3 S cm−1", Property.CONDUCTIVITY, "ga-llzo", None, None),
        (GARNET, "151 mAh g(-1)", Property.GRAVIMETRIC_CAPACITY, "lfp", None, "0.1C"),
        (GARNET, "1.1 g/cm3", Property.TAP_DENSITY, "lfp", None, None),
        (GARNET, "96.8%", Property.FIRST_CYCLE_CE, "ga-llzo", None, None),
        (GARNET, "91.5%", Property.CYCLE_RETENTION, None, 300, "0.5C"),
        (GARNET, "1.6 mAh cm−2", Property.AREAL_CAPACITY, None, None, None),
        (GARNET, "385 Wh kg−1", Property.GRAVIMETRIC_ENERGY, None, None, None),
    ],
)
def test_property_subject_and_conditions(automatic, name, printed, prop, material, cycles, rate):
    m = next(m for m in automatic[name] if m.value_text == printed)
    assert (m.property, m.material_id, m.cycles, m.rate_condition) == (prop, material, cycles, rate)


@pytest.mark.parametrize(
    ("printed", "display", "qudt"),
    [
        ("mA h g−1", "mAh g-1", "MilliA-HR-PER-GM"),
        ("mAh g-1", "mAh g-1", "MilliA-HR-PER-GM"),
        ("mAh·g−1", "mAh g-1", "MilliA-HR-PER-GM"),
        ("mAh g(-1)", "mAh g-1", "MilliA-HR-PER-GM"),
        ("mAh g^-1", "mAh g-1", "MilliA-HR-PER-GM"),
        ("mAh g⁻¹", "mAh g-1", "MilliA-HR-PER-GM"),
        ("mAh/g", "mAh g-1", "MilliA-HR-PER-GM"),
        ("S cm−1", "S cm-1", "S-PER-CentiM"),
        ("m2 g−1", "m2 g-1", "M2-PER-GM"),
        ("g cm−3", "g cm-3", "GM-PER-CentiM3"),
        ("g/cm3", "g cm-3", "GM-PER-CentiM3"),
        ("mg·cm−2", "mg cm-2", "MilliGM-PER-CentiM2"),
        ("cm2 s−1", "cm2 s-1", "CentiM2-PER-SEC"),
        ("cm²/s", "cm2 s-1", "CentiM2-PER-SEC"),
        ("wt%", "wt%", "PERCENT"),
        ("wt %", "wt%", "PERCENT"),
        ("°C", "°C", "DEG_C"),
    ],
)
def test_unit_typographies(printed, display, qudt):
    unit = parse_unit(printed)
    assert (unit.display, unit.qudt) == (display, "http://qudt.org/vocab/unit/" + qudt)


@pytest.mark.parametrize(
    ("text", "printed", "value"),
    [
        ("stays near ~10–6 S cm–1 in", "~10–6 S cm–1", D("1E-6")),
        ("between 10−14 and", "10−14", D("1E-14")),
        ("reaches 1.3 × 10−3 S cm−1 at", "1.3 × 10−3 S cm−1", D("0.0013")),
        ("of (2.4 ± 0.3) × 10−12 cm2 s−1 from", "(2.4 ± 0.3) × 10−12 cm2 s−1", D("2.4E-12")),
        ("against ~10–13 cm2 s−1 for", "~10–13 cm2 s−1", D("1E-13")),
    ],
)
def test_powers_of_ten(text, printed, value):
    (quantity,) = find_quantities(text)
    assert (quantity.printed, quantity.value_min, quantity.value_max) == (printed, value, value)


def test_a_range_from_ten_stays_a_range():
    (quantity,) = find_quantities("particles of 10–20 nm")
    assert (quantity.value_min, quantity.value_max, quantity.unit.display) == (D(10), D(20), "nm")
