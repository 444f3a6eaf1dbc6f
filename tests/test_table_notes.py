"""Table 1's general notes as conditions of its values, and the article's own definitions of the scales."""

from __future__ import annotations

from decimal import Decimal

from multiscale_kg.ingest.table_notes import footnotes_of, scale_definitions, table_notes
from multiscale_kg.schema import Passage, PassageKind


def test_the_general_notes_under_table1_are_parsed_with_the_column_they_condition(kb, text):
    notes = [(n.text, n.property.value if n.property else None) for n in kb.table_notes]
    assert notes == [
        ("The table shows typical values taken from the literature41,49,63,97,112–138.", None),
        ("All data are produced from lithium half-cell configurations.", None),
        ("Retention values in the cycling stability column are at low C-rates.", "cycle_retention"),
        ("The number of cycles over which the retention is averaged is specified in the column.", None),
        (
            "In the C-rate column, the maximum reported C-rate or operating current density is specified "
            "along with the capacity retention at that particular C-rate or current density.",
            "rate_retention",
        ),
    ]
    first = kb.table_notes[0]
    assert first.ref_numbers == (41, 49, 63, 97, *range(112, 139))
    for note in kb.table_notes:
        assert " ".join(text[note.start : note.end].split()) == note.text


def test_every_table1_value_carries_the_notes_of_the_table_and_of_its_column(kb):
    by_id = {n.id: n for n in kb.table_notes}
    for m in kb.measurements:
        properties = {by_id[i].property for i in m.table_note_ids}
        if m.source.value != "table1":
            assert m.table_note_ids == ()
            continue
        assert properties <= {None, m.property}
        assert len(m.table_note_ids) == 3 + (m.property.value in ("cycle_retention", "rate_retention"))


def test_the_scales_are_defined_by_the_article_itself(kb):
    defined = {(d.scale.value, d.quote, d.size_min_nm, d.size_max_nm) for d in kb.scale_definitions}
    assert defined == {
        (
            "nano",
            "nanostructured electrode contains active material particles in the size range 1–100 nm",
            Decimal(1),
            Decimal(100),
        ),
        ("micro", "micrometre-sized (≥1 µm)", Decimal(1000), None),
    }


def test_table1_rows_outside_the_articles_own_scale_definition_are_flagged(kb):
    flagged = {
        (m.material_id, m.scale.value, m.particle_size_text)
        for m in kb.measurements
        if m.source.value == "table1" and m.scale_conflict
    }
    assert flagged == {
        ("c-s", "micro", "150 nm"),  # wholly below 1 µm
        ("fe2o3", "micro", "0.5–5 µm"),
        ("lfp", "micro", "0.4–6 µm"),
        ("tio2", "micro", "0.3–5 µm"),
        ("lco", "nano", "300 nm"),  # Table 1 nano rows beyond the 1–100 nm of the definition
        ("nca", "nano", "200–500 nm"),
        ("lfp", "nano", "20–200 nm"),
        ("fe2o3", "nano", "4–200 nm"),
    }
    cs = next(m for m in kb.measurements if m.material_id == "c-s" and m.scale.value == "micro")
    assert cs.scale_conflict == (
        "particles of 150 nm are below the micro scale as the document defines it "
        "(“micrometre-sized (≥1 µm)”)"
    )


def test_glossaries_and_lettered_footnotes_are_not_notes():
    text = "Note. All values are typical. LCO, lithium cobalt oxide; LFP, lithium iron phosphate. aBallpark."
    passage = Passage(
        id="d-p001",
        document_id="d",
        section_id=None,
        kind=PassageKind.TABLE_FOOTNOTE,
        ordinal=1,
        text=text,
        start=0,
        end=len(text),
    )
    assert [n.text for n in table_notes("d", text, [passage], [], "table1")] == [
        "Note.",
        "All values are typical.",
    ]
    assert scale_definitions("d", text, [passage]) == []


def test_the_notes_are_those_under_the_table_that_holds_the_row():
    def passage(n: int, kind: PassageKind, text: str) -> Passage:
        return Passage(
            id=f"d-p{n:03d}",
            document_id="d",
            section_id=None,
            kind=kind,
            ordinal=n,
            text=text,
            start=n,
            end=n,
        )

    passages = [
        passage(1, PassageKind.TABLE_TITLE, "Table 1 | Other"),
        passage(2, PassageKind.TABLE_FOOTNOTE, "Not ours."),
        passage(3, PassageKind.TABLE_TITLE, "Table 2 | Ours"),
        passage(4, PassageKind.TABLE_ROW, "LCO 140"),
        passage(5, PassageKind.TABLE_FOOTNOTE, "Ours."),
        passage(6, PassageKind.TABLE_TITLE, "Table 3 | Later"),
        passage(7, PassageKind.TABLE_FOOTNOTE, "Not ours either."),
    ]
    assert [p.id for p in footnotes_of(passages, "d-p004")] == ["d-p005"]
