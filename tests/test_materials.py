"""Materials of the article: Table 1, defined abbreviations, formula tokens and materials.yaml, merged by id.

Expected values are transcribed from corpus/nano-vs-micro/document.txt (line numbers are 1-based lines of that
file) and from periodictable's atomic masses.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from multiscale_kg.errors import IngestError, line_of
from multiscale_kg.ingest.cleantext import word_counts
from multiscale_kg.ingest.layout import regions
from multiscale_kg.ingest.material_text import _WholeWords, composite_elements, compound_formula
from multiscale_kg.ingest.materials import build_materials
from multiscale_kg.ingest.structure import parse_structure
from multiscale_kg.ingest.table import parse_table1
from multiscale_kg.schema import Chemistry, Role
from multiscale_kg.schema.formulas import parse_formula

CURATED = Path(__file__).resolve().parent.parent / "corpus" / "nano-vs-micro" / "materials.yaml"


@pytest.fixture(scope="module")
def parsed(article):
    text = article.text
    _, passages = parse_structure(article.document.id, text, regions(text), word_counts(text))
    table = parse_table1(article.document.id, text, passages, "document.txt")
    return article.document.id, text, passages, table.materials


@pytest.fixture(scope="module")
def materials(parsed):
    return {m.id: m for m in build_materials(*parsed, CURATED)}


def build_with(parsed, tmp_path: Path, yaml_text: str):
    path = tmp_path / "materials.yaml"
    path.write_text(yaml_text, encoding="utf-8")
    return build_materials(*parsed, path)


# ---- Table 1 --------------------------------------------------------------------------------------------

# id: (name, abbreviation, formula, elements, formula_source, role)
TABLE1 = {
    "lco": ("lithium cobalt oxide", "LCO", "LiCoO2", ("Co", "Li", "O"), "assumed", Role.CATHODE),
    "lfp": ("lithium iron phosphate", "LFP", "LiFePO4", ("Fe", "Li", "O", "P"), "assumed", Role.CATHODE),
    "nca": (
        "lithium nickel cobalt aluminium oxide",
        "NCA",
        "LiNi0.8Co0.15Al0.05O2",
        ("Al", "Co", "Li", "Ni", "O"),
        "assumed",
        Role.CATHODE,
    ),
    "lnmo": (
        "lithium nickel manganese oxide",
        "LNMO",
        "LiNi0.5Mn1.5O4",
        ("Li", "Mn", "Ni", "O"),
        "assumed",
        Role.CATHODE,
    ),
    "fef3": ("FeF3", None, "FeF3", ("F", "Fe"), "stated", Role.CATHODE),
    "lmfp": (
        "lithium manganese iron phosphate",
        "LMFP",
        "LiMn0.85Fe0.15PO4",
        ("Fe", "Li", "Mn", "O", "P"),
        "stated",
        Role.CATHODE,
    ),
    "c-s": ("carbon–sulfur", "C–S", "C–S", ("C", "S"), "stated", Role.CATHODE),
    "si": ("silicon", None, "Si", ("Si",), "stated", Role.ANODE),
    "fe2o3": ("Fe2O3", None, "Fe2O3", ("Fe", "O"), "stated", Role.ANODE),
    "nb2o5": ("Nb2O5", None, "Nb2O5", ("Nb", "O"), "stated", Role.ANODE),
    "v2o5": ("V2O5", None, "V2O5", ("O", "V"), "stated", Role.ANODE),
    "co3o4": ("Co3O4", None, "Co3O4", ("Co", "O"), "stated", Role.ANODE),
    "c": ("carbon", None, "C", ("C",), "stated", Role.ANODE),
    "tio2": ("TiO2", None, "TiO2", ("O", "Ti"), "stated", Role.ANODE),
}


@pytest.mark.parametrize("ident", sorted(TABLE1))
def test_table1_material(materials, ident):
    m = materials[ident]
    assert (m.name, m.abbreviation, m.formula, m.elements, m.formula_source, m.role) == TABLE1[ident]


def test_every_table1_material_has_a_formula_and_elements(materials):
    assert all(materials[i].elements and materials[i].formula for i in TABLE1)
    # the composite's formula is its printed notation: its ratio is not stated, so it has no molar mass
    assert [i for i in sorted(TABLE1) if materials[i].molar_mass is None] == ["c-s"]


# ---- the whole article ----------------------------------------------------------------------------------

EXPECTED_IDS = {
    # Table 1
    "lco",
    "lfp",
    "nca",
    "lnmo",
    "fef3",
    "lmfp",
    "c-s",
    "si",
    "fe2o3",
    "nb2o5",
    "v2o5",
    "co3o4",
    "c",
    "tio2",
    # defined in the prose: "lithium titanium oxide (Li4Ti5O12 (LTO))"
    "lto",
    # formula tokens of the prose and captions
    "limnbo3",
    "lifeso4f",
    "fepo4",
    "nbse3",
    "alpha-fe2o3",
    "li2o",
    "li2fe2o3",
    "mg3n2",
    "gamma-fe2o3",
    "nb16w5o55",
    "nb18w16o93",
    "reo3",
    "nanb3o8",
    "knb3o8",
    "li2s",
    "mo6s8",
    # named in words (materials.yaml)
    "s",
    "pedot",
    "graphite",
    "red-phosphorus",
    "al",
    "sn",
    "sb",
    "bi",
    "ni",
    "li",
    "fe",
    "lithium-polysulfides",
    "mg-si-alloy",
    "polystyrene",
    "toluene",
    "tetrahydrofuran",
    "cdc",
    "cnt",
    "rgo",
}


def test_the_article_names_exactly_these_materials(materials):
    assert set(materials) == EXPECTED_IDS


def test_materials_are_sorted_by_id_and_unique(parsed):
    ids = [m.id for m in build_materials(*parsed, CURATED)]
    assert ids == sorted(set(ids))


def test_lto_is_defined_in_the_prose(materials):
    lto = materials["lto"]
    assert (lto.name, lto.abbreviation, lto.formula, lto.elements) == (
        "lithium titanium oxide",
        "LTO",
        "Li4Ti5O12",
        ("Li", "O", "Ti"),
    )
    assert round(lto.molar_mass, 2) == 459.08
    assert lto.formula_source == "stated"
    assert lto.formula_quote == "lithium titanium oxide (Li4Ti5O12 (LTO))"


def test_lmfp_formula_is_stated_in_the_fig2_caption(materials):
    assert materials["lmfp"].formula_quote == "LiMn0.85Fe0.15PO4 (LMFP)"
    assert round(materials["lmfp"].molar_mass, 2) == 156.98


def test_polymorphs_are_materials_of_their_own(materials):
    for ident, name in (("alpha-fe2o3", "α-Fe2O3"), ("gamma-fe2o3", "γ-Fe2O3"), ("fe2o3", "Fe2O3")):
        assert (materials[ident].name, materials[ident].formula) == (name, "Fe2O3")


def test_names_come_from_definitions_and_glossaries(materials):
    assert materials["pedot"].name == "poly(3,4-ethylenedioxythiopene)"
    assert materials["cnt"].name == "carbon nanotube"
    assert materials["cdc"].name == "carbide derived carbon"
    assert materials["rgo"].name == "reduced graphene oxide"


NOT_MATERIALS = [
    "nbo6",
    "wo6",
    "wo4",
    "mo6",
    "o6",  # polyhedra: "NbO6 and WO6 octahedra", "(Nb,W)O6 octahedra"
    "nb4",
    "nb5",
    "w6",  # ions of the redox couples "Nb4+/Nb5+", "W5+/W6+"
    "s2",
    "s3",  # sulfur molecules inside the C–S composite
    "lixfepo4",
    "lixsi",  # variable compositions
    "ns",
    "nt",
    "nw",
    "so",
    "cc",  # capitals that spell symbols
    "li4ti5o12",
    "lifepo4",
    "limn0-85fe0-15po4",  # the formulas of lto, lfp and lmfp
]


@pytest.mark.parametrize("ident", NOT_MATERIALS)
def test_not_a_material(materials, ident):
    assert ident not in materials


# id: (first mention as printed, its line)
FIRST_MENTIONS = {
    "lfp": ("LiFePO4", 203),  # prose, before Table 1's "LFP"
    "lto": ("lithium titanium oxide", 170),
    "si": ("silicon", 362),  # Fig. 1 caption, panel i
    "ni": ("nickel", 793),  # Fig. 3 caption; "lithium nickel manganese oxide" (line 514) names LNMO
    "al": ("aluminium", 527),  # not inside "lithium nickel cobalt aluminium oxide" (line 514)
    "li": ("lithium metal", 172),
    "s": ("sulfur", 975),
    "c-s": ("C–S", 479),
    "alpha-fe2o3": ("α-Fe2O3", 376),
    "fe2o3": ("Fe2O3", 375),
    "gamma-fe2o3": ("γ-Fe2O3", 795),
    "mg3n2": ("Mg3N2", 777),
    "fe": ("Fe0", 384),
    "pedot": ("poly(3,4-ethylenedioxythiopene)", 989),
    "nb16w5o55": ("Nb16W5O55", 813),
    "red-phosphorus": ("red phosphorus", 840),
}


@pytest.mark.parametrize("ident", sorted(FIRST_MENTIONS))
def test_first_mention(parsed, materials, ident):
    text = parsed[1]
    m = materials[ident]
    assert (text[m.start : m.end], line_of(text, m.start)) == FIRST_MENTIONS[ident]


def test_every_first_mention_prints_a_designation(parsed, materials):
    text = parsed[1]
    for m in materials.values():
        printed = text[m.start : m.end]
        assert printed in {m.abbreviation, m.formula} or printed.lower() == m.name.lower(), m.id


# ---- roles and chemistries -------------------------------------------------------------------------------

# id: (role, role_quote, chemistry, chemistry_quote)
ROLES = {
    "si": (
        Role.ANODE,
        None,
        Chemistry.ALLOYING,
        "alloying materials (such as silicon, phosphorus, aluminium, tin, antimony or bismuth)",
    ),
    "s": (
        Role.CATHODE,
        "Conversion cathodes based on materials such as sulfur",
        Chemistry.CONVERSION,
        "Conversion cathodes based on materials such as sulfur",
    ),
    "c-s": (
        Role.CATHODE,
        None,
        Chemistry.CONVERSION,
        "Microscale particles assembled using nanoscale building blocks for high-energy conversion cathodes",
    ),
    "pedot": (
        Role.COATING,
        "The resulting C–S cluster is coated with a polymer, poly(3,4-ethylenedioxythiopene) (PEDOT)",
        None,
        None,
    ),
    "mg3n2": (Role.BY_PRODUCT, "removal of Mg3N2 byproducts", None, None),
    "ni": (Role.SCAFFOLD, "γ-Fe2O3 particles on a nickel scaffold", None, None),
    "li2o": (
        Role.BY_PRODUCT,
        None,
        Chemistry.CONVERSION,
        "the close-packed structure converts to Li2O and Fe0",
    ),
    "fe2o3": (Role.ANODE, None, Chemistry.CONVERSION, "conversion-based electrodes such as Fe2O3 and NbSe3"),
    "lco": (Role.CATHODE, None, Chemistry.INTERCALATION, None),
    "graphite": (Role.ANODE, "low-voltage anodes such as graphite", Chemistry.INTERCALATION, None),
    "red-phosphorus": (
        Role.ANODE,
        None,
        Chemistry.ALLOYING,
        "other alloying materials such as red phosphorus",
    ),
    "li": (None, None, None, None),
}


@pytest.mark.parametrize("ident", sorted(ROLES))
def test_role_and_chemistry(materials, ident):
    m = materials[ident]
    assert (m.role, m.role_quote, m.chemistry, m.chemistry_quote) == ROLES[ident]


def test_curated_compositions(materials):
    assert (materials["s"].formula, materials["s"].formula_source) == ("S", "assumed")
    assert (materials["pedot"].formula, materials["pedot"].elements) == (None, ("C", "H", "O", "S"))
    assert materials["mg-si-alloy"].elements == ("Mg", "Si")  # printed in the name "Mg–Si alloy"
    assert materials["mg-si-alloy"].formula_source == "stated"
    assert materials["lithium-polysulfides"].elements == ("Li", "S")
    assert (materials["graphite"].formula, materials["graphite"].formula_source) == ("C", "assumed")


# ---- the formula parser --------------------------------------------------------------------------------


def test_parse_formula_is_strict():
    assert parse_formula("Li4Ti5O12").atoms == (("Li", 4.0), ("O", 12.0), ("Ti", 5.0))
    assert parse_formula("LiMn0.85Fe0.15PO4").elements == ("Fe", "Li", "Mn", "O", "P")
    for printed in ("MO6", "LixFePO4", "Nb4+", "Fe0", "Xc", "Li4Ti5O12 ", "H2O//D2O", "LTO", "C–S"):
        assert parse_formula(printed) is None, printed


def test_compound_formula_needs_two_elements_and_is_not_an_abbreviation():
    assert compound_formula("α-Fe2O3").printed == "Fe2O3"
    # a polyhedron only in context: "NbO6 and WO6 octahedra"
    assert compound_formula("NbO6").printed == "NbO6"
    for token in ("S2", "S3", "Si", "CNT", "NS", "CC", "SO", "Fe0"):
        assert compound_formula(token) is None, token


def test_composite_elements():
    assert composite_elements("C–S") == ("C", "S")
    assert composite_elements("Mg–Si") == ("Mg", "Si")
    assert composite_elements("Li–X") is None
    assert composite_elements("LCO") is None


# ---- materials.yaml problems ------------------------------------------------------------------------------


def test_unknown_quote_names_file_line_and_quote(parsed, tmp_path):
    with pytest.raises(IngestError) as caught:
        build_with(
            parsed,
            tmp_path,
            (
                "materials:\n"
                "  - id: si\n"
                "    chemistry: alloying\n"
                '    chemistry_quote: "silicon alloys with cheese"\n'
            ),
        )
    [problem] = caught.value.problems
    assert problem.file.endswith("materials.yaml")
    assert problem.line == 4
    assert problem.message == 'si: chemistry_quote not found in the text: "silicon alloys with cheese"'


def test_every_problem_is_reported(parsed, tmp_path):
    with pytest.raises(IngestError) as caught:
        build_with(
            parsed,
            tmp_path,
            (
                "materials:\n"
                "  - id: si\n"
                "    chemistry: alloying\n"
                "    chemistry_quote: alloying materials\n"  # 4: occurs three times (lines 525, 549, 840)
                "  - id: s\n"
                "    name: sulfur\n"
                "    role: cathode\n"
                '    role_quote: "materials such as sulfur"\n'  # 8: does not say cathode
                "    colour: yellow\n"  # 9
                "  - id: ni\n"
                "    name: nickle\n"  # 11
                "    role: scaffold\n"  # 12: neither quote nor basis
                "  - id: lco\n"
                "    role: binder\n"  # 14
                "    role_basis: standard\n"
                "  - id: fef3\n"
                "    formula: FeF3\n"  # 17: stated by Table 1 already
                "    formula_basis: standard\n"
                "  - id: si\n"  # 19
            ),
        )
    assert [(p.line, p.message) for p in caught.value.problems] == [
        (4, 'si: chemistry_quote occurs 3 times in the text, expected once: "alloying materials"'),
        (
            9,
            "unknown key 'colour' (expected one of: abbreviation, chemistry, chemistry_basis, "
            "chemistry_quote, elements, elements_basis, elements_quote, formula, formula_basis, "
            "formula_quote, id, name, note, role, role_basis, role_quote)",
        ),
        (8, 's: role_quote does not state cathode (no cathode): "materials such as sulfur"'),
        (11, "ni: name 'nickle' does not occur in the text"),
        (12, "ni: role needs either role_quote (an exact quote from the text) or role_basis: standard"),
        (
            14,
            "lco: unknown role 'binder' (expected one of: cathode, anode, coating, scaffold, electrolyte, "
            "by-product, additive, active)",
        ),
        (17, "fef3: the text already states the formula FeF3; remove the curated formula"),
        (19, "si: duplicate id (first at line 2)"),
        (10, "ni: the text never names this material; give a name or abbreviation that occurs in the text"),
    ]


def test_role_must_agree_with_table1(parsed, tmp_path):
    with pytest.raises(IngestError) as caught:
        build_with(parsed, tmp_path, "materials:\n  - id: lco\n    role: anode\n    role_basis: standard\n")
    assert [(p.line, p.message) for p in caught.value.problems] == [
        (3, "lco: role 'anode' contradicts Table 1's 'cathode'")
    ]


def test_not_yaml(parsed, tmp_path):
    with pytest.raises(IngestError) as caught:
        build_with(parsed, tmp_path, "materials:\n  - id: [unclosed\n")
    [problem] = caught.value.problems
    assert problem.file.endswith("materials.yaml")
    assert problem.message.startswith("YAML syntax error")


def test_without_curation_the_parsed_materials_remain(parsed):
    ids = {m.id for m in build_materials(*parsed, None)}
    # without the curated formula LiFePO4 of LFP the prose's LiFePO4 is a material of its own
    assert {"lfp", "lto", "lifepo4"} <= ids
    assert "pedot" not in ids and "s" not in ids


@pytest.mark.parametrize(
    ("phrase", "text", "spans"),
    [
        ("silicon", "Silicon, nanosilicon and SILICON2", [(0, 7), (25, 32)]),  # a digit may follow a name
        ("a a", "ba a a", [(3, 6)]),  # not whole words at 1; the occurrence overlapping it is
        ("nickel", "lithium nickel manganese oxide", [(8, 14)]),
    ],
)
def test_a_name_is_found_as_whole_words_ignoring_case(phrase, text, spans):
    assert list(_WholeWords(phrase).spans(text)) == spans
