"""Prose quantities: every example is a sentence of the article, with values read off the page."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from multiscale_kg.ingest.cleantext import word_counts
from multiscale_kg.ingest.layout import regions
from multiscale_kg.ingest.quantities import Kind, Quantity, find_quantities
from multiscale_kg.ingest.structure import parse_structure
from multiscale_kg.schema.vocab import PassageKind

QUDT = "http://qudt.org/vocab/unit/"


def row(q: Quantity) -> tuple:
    """printed, min, max, qualifier, unit as displayed, QUDT unit, kind."""
    return (
        q.printed,
        q.value_min,
        q.value_max,
        q.qualifier,
        q.unit.display if q.unit else None,
        q.unit.qudt if q.unit else None,
        q.kind,
    )


def D(value: str) -> Decimal:
    return Decimal(value)


EXAMPLES = {
    "reversible capacities of ~1,000 mAh g–1 and ~450 mAh g–1 at 0.2C and 20C, respectively.": [
        ("~1,000 mAh g–1", D("1000"), D("1000"), "~", "mAh g-1", QUDT + "MilliA-HR-PER-GM", "measure"),
        ("~450 mAh g–1", D("450"), D("450"), "~", "mAh g-1", QUDT + "MilliA-HR-PER-GM", "measure"),
        ("0.2C", D("0.2"), D("0.2"), "=", "C", QUDT + "PER-HR", "c_rate"),
        ("20C", D("20"), D("20"), "=", "C", QUDT + "PER-HR", "c_rate"),
    ],
    "delivered higher capacity at low rates (520–530 Ah l–1 at 1C) and": [
        ("520–530 Ah l–1", D("520"), D("530"), "=", "Ah l-1", QUDT + "A-HR-PER-DeciM3", "measure"),
        ("1C", D("1"), D("1"), "=", "C", QUDT + "PER-HR", "c_rate"),
    ],
    "with excellent Coulombic efficiency (>99.5 %).": [
        (">99.5 %", D("99.5"), D("99.5"), ">", "%", QUDT + "PERCENT", "measure"),
    ],
    "high capacity retention (~0.025% capacity decay per cycle) and very high Coulombic efficiency (~100%)": [
        ("~0.025%", D("0.025"), D("0.025"), "~", "%", QUDT + "PERCENT", "measure"),
        ("~100%", D("100"), D("100"), "~", "%", QUDT + "PERCENT", "measure"),
    ],
    "The cost of LIBs is at present about US$150 kWh–1 but it is dropping": [
        ("about US$150 kWh–1", D("150"), D("150"), "~", "US$ kWh-1", None, "measure"),
    ],
    "global LIB demand is expected to soar to 1,200–1,600 GWh, roughly ten times the demand in 2020 "
    "(ref.1).": [
        ("1,200–1,600 GWh", D("1200"), D("1600"), "=", "GWh", QUDT + "GigaW-HR", "measure"),
    ],
    "the industrial standard for electrode mass loading lies in the range 20–30 mg cm–2.": [
        ("20–30 mg cm–2", D("20"), D("30"), "=", "mg cm-2", QUDT + "MilliGM-PER-CentiM2", "measure"),
    ],
    "when the current density is increased to 100C (that is, 36 seconds charging time)": [
        ("100C", D("100"), D("100"), "=", "C", QUDT + "PER-HR", "c_rate"),
        ("36 seconds", D("36"), D("36"), "=", "seconds", QUDT + "SEC", "measure"),
    ],
    "is less than 5 minutes, whereas the best-performing Tesla cars still take about 15 minutes at a "
    "supercharging station to allow a driving range of around 320 kilometres.": [
        ("less than 5 minutes", D("5"), D("5"), "<", "minutes", QUDT + "MIN", "measure"),
        ("about 15 minutes", D("15"), D("15"), "~", "minutes", QUDT + "MIN", "measure"),
        ("around 320 kilometres", D("320"), D("320"), "~", "kilometres", QUDT + "KiloM", "measure"),
    ],
    "and driving range (from ~120 to ~570 km)70,75 (fig. 2c).": [
        ("~120", D("120"), D("120"), "~", "km", QUDT + "KiloM", "measure"),
        ("~570 km", D("570"), D("570"), "~", "km", QUDT + "KiloM", "measure"),
    ],
    "improvement in gravimetric energy density (from ~120 to ~260 Wh kg–1), volumetric": [
        ("~120", D("120"), D("120"), "~", "Wh kg-1", QUDT + "W-HR-PER-KiloGM", "measure"),
        ("~260 Wh kg–1", D("260"), D("260"), "~", "Wh kg-1", QUDT + "W-HR-PER-KiloGM", "measure"),
    ],
    "active at safe potentials above 1 V (versus Li/Li+)97.": [
        ("above 1 V", D("1"), D("1"), ">", "V", QUDT + "V", "measure"),
    ],
    "carbon cluster (diameter ~1–2 μm) that is composed of many smaller hollow carbon nanospheres "
    "(diameter ~120 nm)104.": [
        ("~1–2 μm", D("1"), D("2"), "~", "µm", QUDT + "MicroM", "measure"),
        ("~120 nm", D("120"), D("120"), "~", "nm", QUDT + "NanoM", "measure"),
    ],
    "nanometre-sized LTO with an average particle size of 15–55 nm delivers approximately 70 mAh g–1 "
    "capacity at 100C": [
        ("15–55 nm", D("15"), D("55"), "=", "nm", QUDT + "NanoM", "measure"),
        ("approximately 70 mAh g–1", D("70"), D("70"), "~", "mAh g-1", QUDT + "MilliA-HR-PER-GM", "measure"),
        ("100C", D("100"), D("100"), "=", "C", QUDT + "PER-HR", "c_rate"),
    ],
    "ultrafast rates of up to 400C (9 seconds charging time) while delivering about 72% of its": [
        ("up to 400C", D("400"), D("400"), "<=", "C", QUDT + "PER-HR", "c_rate"),
        ("9 seconds", D("9"), D("9"), "=", "seconds", QUDT + "SEC", "measure"),
        ("about 72%", D("72"), D("72"), "~", "%", QUDT + "PERCENT", "measure"),
    ],
    "a microstructured electrode uses micrometre-sized (≥1 µm) particles.": [
        ("≥1 µm", D("1"), D("1"), ">=", "µm", QUDT + "MicroM", "measure"),
    ],
    "For NbSe3 nanoribbons (diameter < 50 nm) the entire nanoribbon": [
        ("< 50 nm", D("50"), D("50"), "<", "nm", QUDT + "NanoM", "measure"),
    ],
    "superior rate capability (~322 mAh g–1 at ~32 A g–1 current density).": [
        ("~322 mAh g–1", D("322"), D("322"), "~", "mAh g-1", QUDT + "MilliA-HR-PER-GM", "measure"),
        ("~32 A g–1", D("32"), D("32"), "~", "A g-1", QUDT + "A-PER-GM", "measure"),
    ],
    "increase CD by about 100-fold, enabling quick charging": [
        ("about 100-fold", D("100"), D("100"), "~", None, None, "factor"),
    ],
    "1,000 charge–discharge steps105. Multiscale nano- and micro-architectures": [
        ("1,000 charge–discharge steps", D("1000"), D("1000"), "=", None, None, "count"),
    ],
    "expected to see explosive growth to about 30 million units per year by 2030 (refs.1,4).": [
        ("about 30 million units", D("30000000"), D("30000000"), "~", None, None, "count"),
    ],
    "Volumetric and gravimetric energy density require a fourfold to fivefold improvement between now "
    "and 2030 in order to displace petrol-powered vehicles.": [],
}


@pytest.mark.parametrize("sentence", list(EXAMPLES))
def test_examples(sentence):
    assert [row(q) for q in find_quantities(sentence)] == EXAMPLES[sentence]


def test_plus_minus_before_the_unit():
    (q,) = find_quantities("had an average diameter of 3 ± 0.2 µm and contained")
    assert (q.printed, q.value_min, q.value_max, q.uncertainty) == ("3 ± 0.2 µm", D("3"), D("3"), D("0.2"))
    assert (q.unit.display, q.unit.qudt) == ("µm", QUDT + "MicroM")


def test_plus_minus_after_the_unit():
    (q,) = find_quantities("below a critical diameter of ~150 nm ± 10 nm (fig. 1i), silicon")
    assert (q.printed, q.value_min, q.uncertainty, q.qualifier) == ("~150 nm ± 10 nm", D("150"), D("10"), "~")
    assert q.unit.display == "nm"


def test_composition_ranges_keep_the_symbol():
    text = "(LiαFePO4 where 0 < α < 0.05) or the Li-rich phase (LiβFePO4 where 0.89 < β < 1.0) exists30."
    assert [(q.printed, q.value_min, q.value_max, q.variable, q.kind) for q in find_quantities(text)] == [
        ("0 < α < 0.05", D("0"), D("0.05"), "α", "composition_range"),
        ("0.89 < β < 1.0", D("0.89"), D("1.0"), "β", "composition_range"),
    ]
    (q,) = find_quantities("(0.05 < x < 0.89 in the case of LixFePO4)30.")
    assert (q.printed, q.value_min, q.value_max, q.variable) == ("0.05 < x < 0.89", D("0.05"), D("0.89"), "x")
    assert (q.qualifier, q.unit, q.kind) == ("=", None, "composition_range")


def test_ratios_and_hyphenated_sizes():
    text = "small ~7-nm TiO2 particles (Li/Ti ~0.22) is much higher than that in bigger ~120-nm particles"
    assert [(q.printed, q.value_min, q.kind, q.variable) for q in find_quantities(text)] == [
        ("~7-nm", D("7"), "measure", None),
        ("Li/Ti ~0.22", D("0.22"), "ratio", "Li/Ti"),
        ("~120-nm", D("120"), "measure", None),
    ]
    text = "Xc ≈ 1 for 20-nm particles and 0.03 for 0.5-µm particles49."
    assert [(q.printed, q.value_min, q.qualifier, q.kind, q.variable) for q in find_quantities(text)] == [
        ("Xc ≈ 1", D("1"), "~", "ratio", "Xc"),
        ("20-nm", D("20"), "=", "measure", None),
        ("0.03", D("0.03"), "=", "number", None),
        ("0.5-µm", D("0.5"), "=", "measure", None),
    ]


def test_a_symbol_before_a_measure_is_its_variable():
    text = "switching from microparticles (λ ≈ 1 μm) to nanoparticles (λ ≈ 100 nm)"
    assert [(q.printed, q.variable, q.qualifier, q.unit.display) for q in find_quantities(text)] == [
        ("λ ≈ 1 μm", "λ", "~", "µm"),
        ("λ ≈ 100 nm", "λ", "~", "nm"),
    ]


def test_currency_is_a_unit_pint_can_carry():
    (q,) = find_quantities("below a threshold of around US$100 kWh–1, LIBs will be")
    assert (q.printed, q.value_min, q.qualifier) == ("around US$100 kWh–1", D("100"), "~")
    assert (q.unit.display, q.unit.pint, q.unit.qudt) == ("US$ kWh-1", "US_dollar / kilowatt_hour", None)


def test_a_range_may_repeat_its_unit():
    (q,) = find_quantities("pores of 5 nm–10 nm in size")
    assert (q.printed, q.value_min, q.value_max, q.unit.display) == ("5 nm–10 nm", D("5"), D("10"), "nm")


def test_c_rates_are_per_hour():
    (q,) = find_quantities("at 0.05C.")
    assert (q.unit.display, q.unit.pint, q.unit.qudt) == ("C", "1 / hour", QUDT + "PER-HR")


NOT_QUANTITIES = [
    "than an internal combustion engine vehicle1–3. As a result",
    "the rate-limiting step, determining the rate capability of the battery18.",
    "Cathode LCO112",
    "lithium titanium oxide (Li4Ti5O12 (LTO)) electrodes22,23.",
    "like Nb16W5O55 and Nb18W16O93.",
    "into the active material particle (fig. 1a) can be predicted",
    "figure 2e and Table 1 compare the performance",
    "In step 1, lithium intercalates; step 2 involves",
    "composed of blocks of (4 × 5) MO6 (M = Nb, W) octahedra97",
    "particles that contain 1D migration channels and (3D architecture)55, and",
    "Data in panel a adapted from ref.61, CC BY 4.0 (https://creativecommons.org/licenses/by/4.0/).",
    "the conductive polymer poly(3,4-ethylenedioxythiopene) (PEDOT).",
    "as particle size is reduced to nanometres (refs.22,23).",
    "gravimetric energy density (Wh kg–1), the volumetric energy density (Wh l–1)",
    "(4Li+ + SO + 4e- ↔ Li2S + Li2O)",
    "(3Ωσ/r, where σ is the surface free energy",
    "taken from the literature41,49,63,97,112–138.",
    "and chemical changes (such as fluorination)56,57 are needed",
    "LiMn0.85Fe0.15PO4 (LMFP)",
    "Panel e adapted with permission from ref.37, copyright 2007 American Chemical Society.",
    "Fig. 1 | Kinetic, thermodynamic and mechanical properties",
    "require a fourfold to fivefold improvement",
    "in the 1990s",
]


@pytest.mark.parametrize("text", NOT_QUANTITIES)
def test_not_quantities(text):
    assert find_quantities(text) == []


def test_the_years_are_dropped_but_the_units_stay():
    assert [q.printed for q in find_quantities("units per year by 2030 (refs.1,4).")] == []


@pytest.fixture(scope="module")
def passages(article):
    text = article.text
    _, found = parse_structure(article.document.id, text, regions(text), word_counts(text))
    return found


def test_assembly_of_nanoscale_constituents(passages):
    (passage,) = [p for p in passages if p.text.startswith("High-energy-conversion cathodes")]
    assert [q.printed for q in find_quantities(passage.text)] == [
        "~1–2 μm",
        "~120 nm",
        "~1,000 mAh g–1",
        "up to 3C",
        ">99.5 %",
        "~1,290 Wh l–1",
        "3C",
    ]


def test_the_only_bare_number_in_the_prose_is_xc_for_half_micron_particles(passages):
    """Every other number in the paragraphs and captions has a unit, a symbol, a noun or a C."""
    prose = [p for p in passages if p.kind in (PassageKind.PARAGRAPH, PassageKind.CAPTION)]
    bare = [q.printed for p in prose for q in find_quantities(p.text) if q.kind == Kind.NUMBER]
    assert bare == ["0.03"]


def test_current_industrial_scenario(passages):
    (passage,) = [p for p in passages if p.text.startswith("Although many industries have benefited")]
    assert [(q.printed, q.unit.display if q.unit else None) for q in find_quantities(passage.text)] == [
        ("~120", "Wh kg-1"),
        ("~260 Wh kg–1", "Wh kg-1"),
        ("~200", "Wh l-1"),
        ("~680 Wh l–1", "Wh l-1"),
        ("~120", "km"),
        ("~570 km", "km"),
        ("less than 5 minutes", "minutes"),
        ("about 15 minutes", "minutes"),
        ("around 320 kilometres", "kilometres"),
    ]


TRICKY = "0123456789,.–-−~≈<>≤≥=±%$US xXα/()×CmAhgnlµμkWVKs fold times million Table fig. refs.\n"
PIECES = st.sampled_from(
    ["mAh g–1", "V–0", "kWh–1", "nm", "%", "A/ g–1", "US$", "C", "-fold", " cycles", " ± 3"]
)
TEXTS = st.one_of(
    st.text(),
    st.text(alphabet=TRICKY, max_size=80),
    st.lists(st.one_of(st.text(alphabet=TRICKY, max_size=6), PIECES)).map("".join),
)


@settings(max_examples=600, deadline=None, database=None)
@given(TEXTS)
def test_never_raises_and_offsets_hold(text):
    found = find_quantities(text)
    previous_end = 0
    for q in found:
        assert 0 <= previous_end <= q.start < q.end <= len(text)
        assert text[q.start : q.end] == q.printed
        assert q.kind in set(Kind)
        previous_end = q.end
