"""`mskg sparql`: the named queries answer their questions; remote access and updates are refused."""

from __future__ import annotations

import csv
import io
import json

import pytest

from multiscale_kg.cli import main
from multiscale_kg.queries.sparql import QueryError, named_queries, prepare


def sparql(built, capsys, query: str, fmt: str = "json") -> tuple[int, str, str]:
    code = main(["sparql", query, "--db", str(built), "--format", fmt])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def rows(built, capsys, query: str) -> list[dict[str, str]]:
    code, out, _ = sparql(built, capsys, query, "json")
    assert code == 0
    data = json.loads(out)
    names = data["head"]["vars"]
    return [{n: b[n]["value"] for n in names if n in b} for b in data["results"]["bindings"]]


def test_every_named_query_has_a_question_and_answers_it(built, capsys):
    assert set(named_queries()) == {
        "drawbacks-and-causes",
        "evidence-behind-a-fact",
        "feature-mitigates-cause-of",
        "measurements-of-material",
        "measurements-per-property",
        "most-cited-references",
        "nano-vs-micro",
        "strategies-and-features",
    }
    for name, query in named_queries().items():
        assert query.title.endswith((".", "?")), name
        assert rows(built, capsys, name), name


def test_nano_vs_micro_puts_both_scales_side_by_side(built, capsys):
    found = {(r["material"], r["property"]): r for r in rows(built, capsys, "nano-vs-micro")}
    lnmo = found[("lithium nickel manganese oxide", "capacity retention over cycling")]
    assert (float(lnmo["nanoMin"]), float(lnmo["microMin"]), lnmo["unit"]) == (62, 95, "%")
    silicon = found[("silicon", "capacity retention over cycling")]
    assert (float(silicon["nanoMin"]), silicon["nanoQualifier"], float(silicon["microMax"])) == (50, ">=", 9)
    assert silicon["microQualifier"] == "<="
    assert "microMin" not in silicon  # "≤9 %" is a bound, not a point
    # 14 materials x 5 properties, less the 6 pairs with a "–" on either side: LFP cycling and first-cycle CE,
    # FeF3, C–S and TiO2 volumetric capacity, Co3O4 rate retention
    assert len(found) == 64


def test_measurements_per_property_counts_table1_cells(built, capsys):
    counts = {
        (r["property"], r["scale"]): int(r["measurements"])
        for r in rows(built, capsys, "measurements-per-property")
    }
    assert counts[("gravimetric capacity", "micro")] == 14
    assert counts[("first-cycle Coulombic efficiency", "micro")] == 14
    assert counts[("volumetric capacity", "nano")] == 11


def test_drawbacks_come_with_causes_and_quotes(built, capsys):
    found = rows(built, capsys, "drawbacks-and-causes")
    low_ce = [r for r in found if r["drawback"].startswith("Low first-cycle Coulombic efficiency")]
    assert {r["scale"] for r in low_ce} == {"nano"}
    assert any(
        r["quote"] == "electrolyte decomposition over nanoparticle surfaces is responsible" for r in low_ce
    )


def test_feature_to_drawback_in_two_hops(built, capsys):
    found = {(r["feature"], r["drawback"]) for r in rows(built, capsys, "feature-mitigates-cause-of")}
    assert (
        "Nanopores inside micrometre particles (buffer space for volume change)",
        "Cracking and pulverization of alloying microparticles (poor cycle life)",
    ) in found


def test_evidence_has_quotes_offsets_and_cited_references(built, capsys, text):
    found = rows(built, capsys, "evidence-behind-a-fact")
    assert found
    for row in found:
        assert int(row["start"]) < int(row["end"])
        assert row["quote"].split()[0] in text[int(row["start"]) : int(row["end"])]
    # GROUP_CONCAT joins in the order the store finds the values (SPARQL leaves it open): compare as sets
    cited = {r["quote"]: set(r["references"].split(",")) for r in found}
    assert cited["This SEI drastically reduces the first-cycle Coulombic efficiency of the battery"] == {
        "61",
        "62",
    }


def test_most_cited_reference_is_97(built, capsys):
    top = rows(built, capsys, "most-cited-references")[0]
    assert (top["number"], top["citedCount"]) == ("97", "9")


def test_a_query_file_and_csv_output(built, capsys, tmp_path):
    path = tmp_path / "count.rq"
    path.write_text(
        "SELECT (COUNT(?r) AS ?n) WHERE { ?r a <https://w3id.org/multiscale-kg/ontology#Reference> }",
        encoding="utf-8",
    )
    code, out, _ = sparql(built, capsys, str(path), "csv")
    assert code == 0
    assert list(csv.reader(io.StringIO(out))) == [["n"], ["138"]]


def test_no_rows_exits_1(built, capsys):
    code, out, _ = sparql(built, capsys, "SELECT ?s WHERE { ?s a <urn:nothing> }", "table")
    assert out.startswith("s\n")
    assert code == 1


@pytest.mark.parametrize(
    ("query", "message"),
    [
        (
            "SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }",
            "SERVICE is not allowed: queries never reach remote endpoints",
        ),
        (
            "SELECT * FROM <http://example.org/data.ttl> WHERE { ?s ?p ?o }",
            "FROM and FROM NAMED are not allowed: the dataset is fixed (use GRAPH for named graphs)",
        ),
        (
            "INSERT DATA { <urn:a> <urn:b> <urn:c> }",
            "updates are not allowed: this endpoint is read-only (INSERT, DELETE, LOAD, ...)",
        ),
        (
            "LOAD <http://example.org/data.ttl>",
            "updates are not allowed: this endpoint is read-only (INSERT, DELETE, LOAD, ...)",
        ),
        (
            "PREFIX ex: <urn:ex#>\nDELETE WHERE { ?s ?p ?o }",
            "updates are not allowed: this endpoint is read-only (INSERT, DELETE, LOAD, ...)",
        ),
    ],
)
def test_remote_access_and_updates_are_refused(built, capsys, query, message):
    with pytest.raises(QueryError, match="^" + message.replace("(", r"\(").replace(")", r"\)")):
        prepare(query)
    code, _, err = sparql(built, capsys, query)
    assert code == 2
    assert message in err


def test_syntax_errors_name_the_file(built, capsys, tmp_path):
    path = tmp_path / "broken.rq"
    path.write_text("SELECT ?s WHERE { ?s ?p }", encoding="utf-8")
    code, _, err = sparql(built, capsys, str(path))
    assert code == 2
    assert err.startswith(f"error: {path}: SPARQL syntax error: ")
