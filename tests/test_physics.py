"""The article's equations with units, and theoretical capacities from the materials' stated reactions."""

from __future__ import annotations

import json

import pytest

from multiscale_kg.errors import IngestError
from multiscale_kg.ingest import ingest_corpus
from multiscale_kg.ingest.quotes import normalise_quote
from multiscale_kg.queries.physics import (
    diffusion_limited_c_rate,
    diffusion_time,
    theoretical_capacities,
    theoretical_capacity,
)
from multiscale_kg.schema.units import registry


def test_theoretical_capacity_of_lithium_titanate(db):
    row = db["theoretical_capacities"].get("lto")
    assert (row["reaction"], row["electrons"], row["formula_unit"]) == (
        "Li4Ti5O12 + 3 Li+ + 3 e− → Li7Ti5O12",
        3.0,
        "Li4Ti5O12",
    )
    assert row["molar_mass"] == pytest.approx(459.083)
    assert row["capacity"] == pytest.approx(175, abs=0.5)
    assert row["basis"] == "standard"


def test_theoretical_capacity_of_lithium_iron_phosphate(db):
    row = db["theoretical_capacities"].get("lfp")
    assert (row["electrons"], row["capacity"]) == (1.0, pytest.approx(170, abs=0.5))
    assert json.loads(row["exceeded_by"]) == []  # Table 1's best LFP, 169 mAh/g, stays below 169.9


def test_the_formula_n_f_over_3_6_m():
    assert theoretical_capacity(3, 459.083).to("mA*h/g").magnitude == pytest.approx(175.14, abs=0.01)
    assert theoretical_capacity(1, registry().Quantity(157.7548, "g/mol")).magnitude == pytest.approx(
        169.9, abs=0.05
    )


def test_every_table1_material_has_a_reaction_and_a_capacity(db):
    table1 = {
        r["material_id"]
        for r in db.query("select distinct material_id from measurements where source = 'table1'")
    }
    assert table1 <= {row["material_id"] for row in db["theoretical_capacities"].rows}


def test_values_above_the_theoretical_capacity_are_flagged(db):
    flagged = {
        row["material_id"]: (json.loads(row["exceeded_by"]), row["note"])
        for row in db.query("select * from theoretical_capacities where note is not null order by id")
    }
    # a conversion oxide above its 8-electron conversion capacity, carbon nanosheets beyond LiC6
    assert flagged == {
        "c": (
            ["nano-vs-micro-t1-c-nano-gravimetric-capacity"],
            "above the 372 mAh g-1 of C6 + Li+ + e− → LiC6 (1 e- per C6): table1 nano 567",
        ),
        "co3o4": (
            [
                "nano-vs-micro-t1-co3o4-micro-gravimetric-capacity",
                "nano-vs-micro-t1-co3o4-nano-gravimetric-capacity",
            ],
            "above the 890 mAh g-1 of Co3O4 + 8 Li+ + 8 e− → 3 Co + 4 Li2O (8 e- per Co3O4): "
            "table1 micro 1,539, table1 nano 1,068",
        ),
    }


def test_a_reaction_the_article_states_keeps_its_quote(db, text):
    row = db["theoretical_capacities"].get("fe2o3")
    assert (row["basis"], row["electrons"], row["capacity"]) == ("article", 6.0, pytest.approx(1007.0))
    assert row["quote"] == "the close-packed structure converts to Li2O and Fe0"
    assert normalise_quote(text[row["start"] : row["end"]]) == row["quote"]


def test_diffusion_time_and_c_rate_with_units():
    tau = diffusion_time("1 µm", "1e-10 cm^2/s")
    assert (tau.magnitude, str(tau.units)) == (pytest.approx(100), "second")
    c_rate = diffusion_limited_c_rate("1 µm", "1e-10 cm^2/s")
    assert (c_rate.magnitude, str(c_rate.units)) == (pytest.approx(36), "1 / hour")  # 3,600·D/λ²
    assert diffusion_time(1e-4, 1e-10).magnitude == pytest.approx(100)  # bare: cm and cm²/s


def test_the_articles_hundredfold_follows_from_its_transverse_lengths(kb):
    """λ ≈ 1 μm → λ ≈ 100 nm "can reduce τ and increase CD by about 100-fold": τ = λ²/D says exactly 100."""
    facts = {c.id.removeprefix("nano-vs-micro-"): c for c in kb.context}
    ureg = registry()
    micro, nano = (
        ureg.Quantity(float(facts[name].value_min), facts[name].unit)
        for name in ("micro-transverse-length", "nano-transverse-length")
    )
    d = "1e-12 cm^2/s"
    assert diffusion_time(micro, d) / diffusion_time(nano, d) == pytest.approx(
        float(facts["diffusion-speedup"].value_min)
    )
    assert diffusion_limited_c_rate(nano, d) / diffusion_limited_c_rate(micro, d) == pytest.approx(100)


BAD_REACTIONS = """document: nano-vs-micro
reactions:
  - material: unobtainium
    reaction: "X → Y"
    electrons: 1
    basis: standard
  - material: lfp
    reaction: "LiFePO4 → FePO4 + Li+ + e−"
    electrons: 0
    basis: standard
  - material: lco
    reaction: "LiCoO2 → CoO2 + Li+ + e−"
    electrons: 1
    basis: article
  - material: nca
    reaction: "…"
    electrons: 1
    basis: article
    quote: "a sentence the article never wrote"
  - material: c-s
    reaction: "S + 2 Li+ + 2 e− → Li2S"
    electrons: 2
    basis: textbook
"""


def test_a_broken_reactions_file_lists_every_problem_with_its_line(kb, corpus_copy):
    (corpus_copy / "nano-vs-micro" / "reactions.yaml").write_text(BAD_REACTIONS, encoding="utf-8")
    with pytest.raises(IngestError) as error:
        ingest_corpus(corpus_copy)
    assert [(p.line, p.message) for p in error.value.problems] == [
        (3, "unknown material 'unobtainium' (not in the materials of the corpus)"),
        (9, "electrons must be a positive number, not '0'"),
        (11, "basis 'article' needs the quote that states the reaction"),
        (19, 'quote not found in the text: "a sentence the article never wrote"'),
        (
            20,
            "'c-s' has no formula a molar mass can be computed from ('C–S'); give formula_unit (e.g. S for a "
            "sulfur composite)",
        ),
        (23, "basis must be one of ['article', 'standard'], not 'textbook'"),
    ]
    assert all(p.file.endswith("nano-vs-micro/reactions.yaml") for p in error.value.problems)


def test_capacities_are_computed_from_the_materials_molar_mass(kb):
    found = {c.material_id: c for c in theoretical_capacities(kb, kb.reactions)}
    assert (found["si"].molar_mass_source, found["si"].capacity) == ("materials", 3578.6)
    assert (found["c"].molar_mass_source, found["c"].molar_mass) == ("formula_unit", pytest.approx(72.066))
    assert found["c-s"].capacity == 1672.0  # per gram of sulfur
