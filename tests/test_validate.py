"""`mskg validate`: counts, coverage, unbound numbers and SHACL on the shipped corpus; exit 2 when broken."""

from __future__ import annotations

from multiscale_kg.cli import main


def test_validate_passes_on_the_shipped_corpus(capsys):
    assert main(["validate"]) == 0
    out = capsys.readouterr().out
    assert "  measurements:table1   130" in out
    assert "  references         138\n" in out
    assert "coverage: 62 of 62 body paragraphs carry an annotation (100%)" in out
    assert "unbound quantities: 0" in out
    assert out.rstrip().endswith("SHACL: conforms")


def test_validate_exits_2_on_a_corrupted_copy_naming_every_problem(corpus_copy, capsys):
    annotations = corpus_copy / "nano-vs-micro" / "annotations.yaml"
    text = annotations.read_text(encoding="utf-8")
    broken = text.replace(
        '"This SEI drastically reduces the first-cycle Coulombic efficiency of the battery"',
        '"This SEI gently improves the first-cycle Coulombic efficiency"',
        1,
    )
    assert broken != text
    line = text[: text.index("This SEI drastically")].count("\n") + 1
    annotations.write_text(broken, encoding="utf-8")
    assert main(["validate", "--corpus", str(corpus_copy)]) == 2
    err = capsys.readouterr().err
    assert f"annotations.yaml:{line}: " in err
    assert "This SEI gently improves the first-cycle Coulombic efficiency" in err


def test_validate_reports_a_bad_reactions_entry_with_its_file_and_line(corpus_copy, capsys, monkeypatch):
    monkeypatch.chdir(corpus_copy.parent)
    reactions = corpus_copy / "nano-vs-micro" / "reactions.yaml"
    text = reactions.read_text(encoding="utf-8")
    assert text.count("  - material: lfp\n") == 1
    line = text[: text.index("  - material: lfp\n")].count("\n") + 1
    reactions.write_text(text.replace("  - material: lfp\n", "  - material: unobtainium\n"), encoding="utf-8")
    assert main(["validate", "--corpus", "corpus"]) == 2
    assert capsys.readouterr().err == (
        f"error: corpus/nano-vs-micro/reactions.yaml:{line}: unknown material 'unobtainium' (not in the "
        "materials of the corpus)\n"
    )
