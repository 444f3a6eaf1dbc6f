"""The rules: which strategy addresses which drawback, why, at what cost; the engine that runs them."""

from __future__ import annotations

import json
from pathlib import Path

import networkx as nx
import pytest
from rdflib import Dataset, Literal, URIRef
from rdflib.namespace import PROV, RDF

from multiscale_kg.build import GRAPH_NAME
from multiscale_kg.cli import main
from multiscale_kg.errors import IngestError
from multiscale_kg.graph.namespaces import GRAPH_ASSERTED, GRAPH_INFERRED, GRAPH_ONTOLOGY, MSKG, iri, node_id
from multiscale_kg.graph.rdf import asserted_triples, ontology
from multiscale_kg.graph.store import to_dataset
from multiscale_kg.ingest import document_texts
from multiscale_kg.queries.derive import derive
from multiscale_kg.queries.engine import run_rules, stratify
from multiscale_kg.queries.explain import explain, strategies_for
from multiscale_kg.queries.rule_files import load_rule, load_rules
from multiscale_kg.schema.vocab import Support

from .conftest import CORPUS


@pytest.fixture(scope="module")
def derived(kb):
    texts = document_texts(CORPUS, kb)
    dataset = to_dataset(kb, texts)
    return dataset, derive(kb, texts, dataset)


def addressing(db, drawback: str) -> set[str]:
    return {row["strategy_id"] for row in strategies_for(db, drawback)}


# ---- the issue's expected answers --------------------------------------------------------------------------


def test_what_addresses_micro_fracture(db):
    # porous silicon, the nanoporosity family and the tunnel oxides (open tunnels buffer volume expansion)
    # mitigate the stress that cracks microparticles
    assert {
        "ant-nest-si",
        "engineered-nanoporosity",
        "nb16w5o55",
        "nb18w16o93",
    } <= addressing(db, "micro-fracture")
    # the nickel scaffold accommodates the volume change of its ~20 nm particles: not said to stop cracking
    assert "fe2o3-ni-inverse-opal" not in addressing(db, "micro-fracture")


def test_what_addresses_slow_kinetics_of_microparticles(db):
    assert {"natural-nanoporosity", "nb16w5o55", "aligned-particles"} <= addressing(db, "micro-slow-kinetics")


def test_what_addresses_the_poor_volumetric_density_of_nanoparticles(db):
    found = addressing(db, "nano-poor-volumetric-density")
    # the cluster's high tap density, and its family through it
    assert {"pedot-cs-cluster", "nanoscale-assembly"} <= found
    assert "calendering" not in found  # the article says it falls short


def test_natural_nanoporosity_pays_with_heavy_elements_and_a_high_potential(db):
    entry = next(
        e for e in strategies_for(db, "micro-slow-kinetics") if e["strategy_id"] == "natural-nanoporosity"
    )
    assert {"tradeoff-heavy-elements", "tradeoff-high-potential"} <= set(entry["tradeoffs"])
    assert entry["features"] == ["intrinsic-fast-li-pathways"]
    assert entry["causes"] == ["long-diffusion-length"]


def test_explain_prints_the_chain_with_quotes_and_references(built, capsys):
    assert main(["explain", "ant-nest-si", "micro-fracture", "--db", str(built)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("ant-nest-si addresses micro-fracture [stated]\n")
    chain = [
        "    strategy/ant-nest-si —hasFeature→ feature/internal-nanopores",
        "        “contained a multitude of ~50-nm nanopores”",
        "    feature/internal-nanopores —mitigates→ cause/volume-change-stress",
        "        “mitigated by engineering nanometre-sized pores”  [refs 84]",
        "    drawback/micro-fracture —causedBy→ cause/volume-change-stress",
        "        “The cracking of the microparticle relieves this stress.”",
    ]
    lines = out.splitlines()
    assert [line for line in lines if line in chain] == chain


def test_explain_says_which_link_is_missing_for_calendering(built, capsys):
    assert main(["explain", "calendering", "nano-poor-volumetric-density", "--db", str(built)]) == 1
    out = capsys.readouterr().out
    assert out.startswith("calendering does not address nano-poor-volumetric-density\n")
    assert "    - nano-poor-volumetric-density is caused by: void-space-between-particles\n" in out
    assert (
        "    - calendering has pressure-induced-compaction, which mitigates no cause "
        "(no mitigates link in the curated data)\n"
    ) in out
    assert "features that would mitigate a cause of nano-poor-volumetric-density: high-tap-density" in out
    assert "    strategy/calendering —fallsShortOn→ drawback/nano-poor-volumetric-density\n" in out
    assert "“their volumetric performance still falls well short of industrial standards”  [refs 64]" in out


def test_an_example_inherits_the_features_its_family_has_as_a_whole(db):
    # the text gives porous red phosphorus its nanopores; its micrometre size comes from its family
    derivation = "inherit-features--porous-red-p--micrometre-particle-size--engineered-nanoporosity"
    premises = db.query(
        "select subject, relation, object from derivation_premises where derivation_id = ? order by position",
        [derivation],
    )
    assert [tuple(p.values()) for p in premises] == [
        ("strategy/engineered-nanoporosity", "hasFeature", "feature/micrometre-particle-size"),
        ("strategy/porous-red-p", "exampleOf", "strategy/engineered-nanoporosity"),
    ]
    # the nickel-scaffold Fe2O3 is filed under its own family: it has no pores inside micrometre particles
    assert "internal-nanopores" not in {
        c.feature_id for c in explain(db, "fe2o3-ni-inverse-opal", "micro-fracture").chains
    }


def test_a_family_addresses_what_an_example_fixes_with_a_feature_of_its_own(db):
    found = explain(db, "natural-nanoporosity", "lithium-plating-risk")
    assert [(c.rule, c.via_strategy_id, c.feature_id) for c in found.chains] == [
        ("family-addresses", "nb16w5o55", "redox-above-1v"),
        ("family-addresses", "nb18w16o93", "redox-above-1v"),
    ]


def test_unknown_ids_exit_2_with_the_known_ones(built, capsys):
    assert main(["explain", "ant-nest", "micro-fracture", "--db", str(built)]) == 2
    assert (
        "error: no strategy 'ant-nest'; strategy ids are: aligned-particles, ant-nest-si,"
        in capsys.readouterr().err
    )


def test_strategies_for_prints_strategies_with_their_trade_offs(built, capsys):
    assert main(["strategies-for", "nano-poor-volumetric-density", "--db", str(built)]) == 0
    out = capsys.readouterr().out
    assert "  [stated] pedot-cs-cluster: PEDOT-coated carbon–sulfur cluster" in out
    assert "    the article says it improves this drawback  [stated]" in out
    assert "    via high-tap-density → void-space-between-particles  [addresses]" in out
    assert "falls short (the article says): calendering:" in out


def test_strategies_for_sorts_by_support_and_filters_by_a_floor(built, capsys):
    assert main(["strategies-for", "micro-fracture", "--db", str(built), "--format", "json"]) == 0
    found = json.loads(capsys.readouterr().out)["strategies"]
    ranks = [Support(entry["support"]).rank for entry in found]
    assert ranks == sorted(ranks)
    args = ["strategies-for", "micro-fracture", "--db", str(built), "--format", "json", "--min-support"]
    assert main([*args, "chained"]) == 0
    kept = json.loads(capsys.readouterr().out)["strategies"]
    assert {e["support"] for e in kept} <= {"stated", "chained"}
    assert [e["strategy_id"] for e in kept] == [
        e["strategy_id"] for e in found if e["support"] in ("stated", "chained")
    ]
    with pytest.raises(SystemExit) as exited:
        main([*args, "certain"])
    assert exited.value.code == 2


def test_the_api_gives_the_same_answers(built):
    from multiscale_kg.api import KnowledgeGraph

    kg = KnowledgeGraph(built)
    assert [s["strategy_id"] for s in kg.strategies_for("micro-fracture")] == [
        row["strategy_id"] for row in strategies_for(kg.db, "micro-fracture")
    ]
    assert not kg.explain("calendering", "nano-poor-volumetric-density").addressed


# ---- profiles and applicability ----------------------------------------------------------------------------


def test_net_profile_of_ant_nest_silicon(db):
    row = db["strategy_profiles"].get("ant-nest-si")
    assert json.loads(row["addresses"]) == ["micro-fracture"]
    assert json.loads(row["introduces"]) == ["tradeoff-complex-costly-synthesis"]
    # the other micro drawbacks: the article says nothing of ant-nest silicon about them
    assert json.loads(row["leaves_open"]) == [
        "micro-channel-blocking",
        "micro-inhomogeneous-lithiation",
        "micro-low-conductivity",
        "micro-memory-effect",
        "micro-miscibility-gap",
        "micro-sei-reformation",
        "micro-slow-kinetics",
    ]


def test_applicability_by_chemistry_and_electrode_role(db):
    rows = db.query(
        "select material_id, via_material_id, chemistry, role from strategy_candidates "
        "where strategy_id = 'ant-nest-si' order by material_id"
    )
    # silicon is an alloying anode: the other alloying anodes are candidates
    assert [tuple(r.values()) for r in rows] == [
        ("al", "si", "alloying", "anode"),
        ("bi", "si", "alloying", "anode"),
        ("red-phosphorus", "si", "alloying", "anode"),
        ("sb", "si", "alloying", "anode"),
        ("sn", "si", "alloying", "anode"),
    ]
    family = {
        r["material_id"]
        for r in db.query(
            "select material_id from strategy_candidates where strategy_id = 'engineered-nanoporosity'"
        )
    }
    # its examples use silicon and red phosphorus: the other alloying anodes
    assert family == {"al", "bi", "sb", "sn"}  # silicon and red phosphorus: an example already uses them
    scaffold = {
        r["material_id"]
        for r in db.query(
            "select material_id from strategy_candidates where strategy_id = 'nanoparticles-on-scaffold'"
        )
    }
    # its example uses γ-Fe2O3, an active conversion material of no stated side
    assert {"fe2o3", "co3o4", "fef3"} <= scaffold


# ---- the three routes agree --------------------------------------------------------------------------------

SQL_ROUTE = """
with own as (
  select strategy_id, feature_id from strategy_features
),
inherited as (
  select f.strategy_id, sf.feature_id from strategy_families f
  join strategy_features sf on sf.strategy_id = f.family_id
  where not exists (
    select 1 from strategy_lacks_features l
    where l.strategy_id = f.strategy_id and l.feature_id = sf.feature_id
  )
),
fixes as (
  select strategy_id, feature_id, dc.drawback_id from (
    select strategy_id, feature_id, 0 as borrowed from own
    union all select strategy_id, feature_id, 1 from inherited
  ) f
  join feature_mitigates fm using (feature_id)
  join drawback_causes dc on dc.cause_id = fm.cause_id
),
paths as (
  select strategy_id, drawback_id, 1 as grade from strategy_improves
  union all
  select o.strategy_id, dc.drawback_id, 2 from own o
  join feature_mitigates fm using (feature_id) join drawback_causes dc on dc.cause_id = fm.cause_id
  union all
  select i.strategy_id, dc.drawback_id, 3 from inherited i
  join feature_mitigates fm using (feature_id) join drawback_causes dc on dc.cause_id = fm.cause_id
  union all
  select f.family_id, dc.drawback_id, 3 from strategy_families f
  join own o on o.strategy_id = f.strategy_id
  join feature_mitigates fm on fm.feature_id = o.feature_id
  join drawback_causes dc on dc.cause_id = fm.cause_id
  where o.feature_id not in (select feature_id from own where strategy_id = f.family_id)
),
costs as (
  select strategy_id, drawback_id from strategy_tradeoffs
  union select strategy_id, drawback_id from strategy_shortfalls
),
blocked as (
  select strategy_id, drawback_id from costs
  union select f.strategy_id, c.drawback_id from strategy_families f
  join costs c on c.strategy_id = f.family_id
),
kept as (
  select * from paths p where grade = 1 or not exists (
    select 1 from blocked b where b.strategy_id = p.strategy_id and b.drawback_id = p.drawback_id
  )
)
select kept.strategy_id, drawback_id,
  case when s.prospect then 'prospect' else
    case min(grade) when 1 then 'stated' when 2 then 'chained' else 'inherited' end end as support
from kept join strategies s on s.id = kept.strategy_id
group by kept.strategy_id, drawback_id
"""


def networkx_route(graph: nx.MultiDiGraph) -> dict[tuple[str, str], str]:
    """Walk the curated edges only: what a strategy is said to improve; its own features, and its family's
    that the text does not deny it; what they mitigate, whose cause it is; the best grade of each pair."""

    def out(node: str, relation: str) -> set[str]:
        return {
            t
            for _, t, k, d in graph.out_edges(node, keys=True, data=True)
            if k == relation and not d["inferred"]
        }

    def into(node: str, relation: str) -> set[str]:
        return {
            s
            for s, _, k, d in graph.in_edges(node, keys=True, data=True)
            if k == relation and not d["inferred"]
        }

    def fixes(with_features: set[str]) -> set[str]:
        return {d for f in with_features for c in out(f, "mitigates") for d in into(c, "causedBy")}

    def blocked(strategy: str) -> set[str]:
        mine = out(strategy, "introduces") | out(strategy, "fallsShortOn")
        return mine.union(*(blocked(family) for family in out(strategy, "exampleOf")))

    grades: dict[tuple[str, str], int] = {}

    def add(strategy: str, drawbacks: set[str], grade: int) -> None:
        for drawback in drawbacks - (blocked(strategy) if grade > 1 else set()):
            grades[(strategy, drawback)] = min(grade, grades.get((strategy, drawback), grade))

    strategies = [n for n, kind in graph.nodes(data="kind") if kind == "strategy"]
    for strategy in strategies:
        own = out(strategy, "hasFeature")
        borrowed = set().union(*(out(f, "hasFeature") for f in out(strategy, "exampleOf")))
        add(strategy, out(strategy, "improves"), 1)
        add(strategy, fixes(own), 2)
        add(strategy, fixes(borrowed - out(strategy, "lacksFeature")), 3)
        for family in out(strategy, "exampleOf"):
            add(family, fixes(own - out(family, "hasFeature")), 3)
    names = {1: "stated", 2: "chained", 3: "inherited"}
    return {
        (s.split("/", 1)[1], d.split("/", 1)[1]): "prospect" if graph.nodes[s].get("prospect") else names[g]
        for (s, d), g in grades.items()
    }


def test_rules_sql_and_networkx_give_the_same_pairs_and_grades(db, built):
    by_rules = {(r["strategy_id"], r["drawback_id"]): r["support"] for r in db["strategy_addresses"].rows}
    by_sql = {(r["strategy_id"], r["drawback_id"]): r["support"] for r in db.query(SQL_ROUTE)}
    data = json.loads((built / GRAPH_NAME).read_text(encoding="utf-8"))
    by_networkx = networkx_route(nx.node_link_graph(data, directed=True, multigraph=True, edges="edges"))
    assert by_rules == by_sql == by_networkx
    assert len(by_rules) == 44


# ---- provenance in RDF, SQLite and networkx ----------------------------------------------------------------


def test_addresses_triples_are_inferred_only(derived):
    dataset, _ = derived
    pair = (iri("strategy", "ant-nest-si"), MSKG.addresses, iri("drawback", "micro-fracture"))
    assert pair in dataset.graph(GRAPH_INFERRED)
    assert pair not in dataset.graph(GRAPH_ASSERTED)


def test_a_derivation_names_its_rule_conclusion_and_premises_with_their_quotes(derived):
    dataset, _ = derived
    node = iri(
        "derivation", "addresses--ant-nest-si--micro-fracture--internal-nanopores--volume-change-stress"
    )
    assert (node, MSKG.rule, iri("rule", "addresses")) in dataset
    assert (node, MSKG.conclusion, iri("statement", "ant-nest-si--addresses--micro-fracture")) in dataset
    premises = set(dataset.objects(node, MSKG.premise))
    assert premises == {
        iri("statement", "ant-nest-si--hasFeature--internal-nanopores"),
        iri("statement", "internal-nanopores--mitigates--volume-change-stress"),
        iri("statement", "micro-fracture--causedBy--volume-change-stress"),
    }
    quotes = {
        str(q)
        for premise in premises
        for annotation in dataset.objects(premise, PROV.wasDerivedFrom)
        for q in dataset.objects(annotation, MSKG.quote)
    }
    assert "contained a multitude of ~50-nm nanopores" in quotes
    assert "The cracking of the microparticle relieves this stress." in quotes


def test_every_rule_is_described_and_no_blank_nodes_are_made(derived):
    dataset, found = derived
    inferred = dataset.graph(GRAPH_INFERRED)
    rules = {r.id for r in found.inference.rules}
    assert rules == {p.stem for p in Path(load_rules()[0].path).parent.glob("*.rq")}
    for rule in rules:
        assert (iri("rule", rule), RDF.type, MSKG.Rule) in inferred
    assert all(isinstance(term, URIRef | Literal) for triple in inferred for term in triple)


def test_derivation_tables_keep_every_premise_and_its_quotes(db):
    premises = list(
        db.query(
            "select relation, inferred, quotes, ref_numbers from derivation_premises where derivation_id = ? "
            "order by position",
            ["addresses--nb16w5o55--micro-fracture--open-tunnel-buffer-space--volume-change-stress"],
        )
    )
    assert {p["relation"] for p in premises} == {"hasFeature", "mitigates", "causedBy"}
    mitigates = next(p for p in premises if p["relation"] == "mitigates")
    assert json.loads(mitigates["quotes"]) == [
        "provides buffer space for volume expansion, which mitigates stress-induced fracture"
    ]
    assert (
        db["derivations"].count
        == db.execute("select count(distinct derivation_id) from derivation_premises").fetchone()[0]
    )


def test_networkx_has_the_inferred_edges(built):
    data = json.loads((built / GRAPH_NAME).read_text(encoding="utf-8"))
    graph = nx.node_link_graph(data, directed=True, multigraph=True, edges="edges")
    edge = graph.get_edge_data("strategy/ant-nest-si", "drawback/micro-fracture")["addresses"]
    assert edge["inferred"] is True
    assert (
        graph.get_edge_data("strategy/ant-nest-si", "feature/internal-nanopores")["hasFeature"]["inferred"]
        is False
    )


def test_the_tables_the_publish_layer_queries_keep_their_columns(db):
    addresses = db["strategy_addresses"]
    assert {"strategy_id", "drawback_id", "rule", "via_feature_id", "via_cause_id", "explanation"} <= set(
        addresses.columns_dict
    )
    assert addresses.pks == ["id"]
    assert {(fk.column, fk.other_table) for fk in addresses.foreign_keys} >= {
        ("strategy_id", "strategies"),
        ("drawback_id", "drawbacks"),
        ("via_feature_id", "features"),
        ("via_cause_id", "causes"),
    }


# ---- the engine ------------------------------------------------------------------------------------------

PREFIX = "PREFIX mskg: <https://w3id.org/multiscale-kg/ontology#>\n"


def write(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def tiny() -> Dataset:
    """Strategy s has feature f, f mitigates cause c, drawback d comes from c; e is an example of s."""
    dataset = Dataset(default_union=True)
    asserted = dataset.graph(GRAPH_ASSERTED)
    for s, p, o in [
        ("strategy/s", "hasFeature", "feature/f"),
        ("feature/f", "mitigates", "cause/c"),
        ("drawback/d", "causedBy", "cause/c"),
        ("strategy/e", "exampleOf", "strategy/s"),
    ]:
        asserted.add((iri(*s.split("/")), MSKG[p], iri(*o.split("/"))))
    return dataset


def test_the_package_rules_on_a_tiny_graph():
    dataset = tiny()
    inference = run_rules(dataset)
    assert sorted(inference.derivations) == [
        "addresses--e--d--f--c",
        "addresses--s--d--f--c",
        "inherit-features--e--f--s",
    ]
    derivation = inference.derivations["addresses--e--d--f--c"]
    assert set(derivation.premises) == {
        (iri("strategy", "e"), MSKG.hasFeature, iri("feature", "f")),
        (iri("feature", "f"), MSKG.mitigates, iri("cause", "c")),
        (iri("drawback", "d"), MSKG.causedBy, iri("cause", "c")),
    }
    assert inference.strata == (
        (
            "above-theoretical",
            "addresses",
            "applicability",
            "claim-contradicts",
            "claim-supports",
            "inherit-features",
            "stated",
        ),
        ("claim-overlaps", "family-addresses"),
        ("claim-insufficient", "leaves-open"),
    )


def test_text_that_denies_a_feature_states_a_fix_or_names_a_cost_shapes_the_answers():
    """Example t is denied its family's feature f; u is said to improve d; s introduces d2 (also from c)."""
    dataset = tiny()
    asserted = dataset.graph(GRAPH_ASSERTED)
    for s, p, o in [
        ("strategy/t", "exampleOf", "strategy/s"),
        ("strategy/t", "lacksFeature", "feature/f"),
        ("strategy/u", "improves", "drawback/d"),
        ("drawback/d2", "causedBy", "cause/c"),
        ("strategy/s", "introduces", "drawback/d2"),
    ]:
        asserted.add((iri(*s.split("/")), MSKG[p], iri(*o.split("/"))))
    inference = run_rules(dataset)
    addresses = sorted(
        (node_id(d.conclusion[0]), node_id(d.conclusion[2]))
        for d in inference.derivations.values()
        if d.conclusion[1] == MSKG.addresses
    )
    # t inherits nothing; neither s nor its example e addresses what s introduces
    assert addresses == [("e", "d"), ("s", "d"), ("u", "d")]
    stated = inference.derivations["stated--u--d"]
    assert stated.premises == ((iri("strategy", "u"), MSKG.improves, iri("drawback", "d")),)


def test_a_rule_with_a_syntax_error_is_named_with_its_line(tmp_path):
    write(
        tmp_path,
        "broken.rq",
        f"# Never closed.\n{PREFIX}CONSTRUCT {{ ?s mskg:p ?o }}\nWHERE {{ ?s mskg:q ?o .\n",
    )
    with pytest.raises(IngestError) as error:
        load_rules(tmp_path)
    (problem,) = error.value.problems
    assert problem.file.endswith("broken.rq")
    assert problem.line == 5
    assert problem.message.startswith("SPARQL syntax error: Expected ConstructQuery, found end of text")


def test_a_rule_that_never_terminates_is_named(tmp_path):
    path = write(
        tmp_path,
        "endless.rq",
        f"# Each strategy, and each resource made here, gets a successor.\n{PREFIX}"
        "CONSTRUCT { ?next mskg:successorOf ?node }\n"
        "WHERE { { ?node mskg:hasFeature ?f } UNION { ?node mskg:successorOf ?before }\n"
        '  BIND(IRI(CONCAT(STR(?node), "-next")) AS ?next) }\n',
    )
    with pytest.raises(IngestError) as error:
        run_rules(tiny(), [load_rule(path)], max_rounds=5)
    (problem,) = error.value.problems
    assert problem.file.endswith("endless.rq")
    assert "does not reach a fixpoint: it still concludes new triples after 5 rounds" in problem.message


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (f"{PREFIX}CONSTRUCT {{ ?s mskg:p ?o }} WHERE {{ ?s mskg:q ?o }}\n", "a rule starts with a comment"),
        (
            f"# Two.\n{PREFIX}CONSTRUCT {{ ?s mskg:p ?o . ?o mskg:p ?s }} WHERE {{ ?s mskg:q ?o }}\n",
            "a rule concludes one triple pattern; its template has 2",
        ),
        (f"# Select.\n{PREFIX}SELECT ?s WHERE {{ ?s mskg:q ?o }}\n", "a rule is a CONSTRUCT query"),
        (f"# Update.\n{PREFIX}INSERT DATA {{ <urn:a> mskg:p <urn:b> }}\n", "updates are not allowed"),
    ],
)
def test_malformed_rules_are_refused_with_the_reason(tmp_path, text, message):
    write(tmp_path, "bad.rq", text)
    with pytest.raises(IngestError) as error:
        load_rules(tmp_path)
    assert message in error.value.problems[0].message


def test_a_rule_negating_its_own_conclusion_cannot_be_ordered(tmp_path):
    write(
        tmp_path,
        "flip.rq",
        f"# Flip.\n{PREFIX}CONSTRUCT {{ ?s mskg:p ?o }}\n"
        "WHERE { ?s mskg:q ?o FILTER NOT EXISTS { ?s mskg:p ?o } }\n",
    )
    with pytest.raises(IngestError) as error:
        stratify(load_rules(tmp_path))
    assert "no stratification exists" in error.value.problems[0].message


def test_docs_describe_every_rule_file():
    docs = (CORPUS.parent / "docs" / "rules.md").read_text(encoding="utf-8")
    for rule in load_rules():
        assert f"`{rule.path.name}`" in docs, rule.path.name


def test_a_rule_reads_only_the_named_graph_its_graph_pattern_names(tmp_path):
    path = write(
        tmp_path,
        "asserted-features.rq",
        f"# A feature asserted in the asserted graph is noted as such.\n{PREFIX}"
        "CONSTRUCT { ?s mskg:assertedFeature ?f }\n"
        "WHERE { GRAPH <https://w3id.org/multiscale-kg/graph/asserted> { ?s mskg:hasFeature ?f } }\n",
    )
    dataset = tiny()
    dataset.graph(URIRef("urn:x-test:elsewhere")).add(
        (iri("strategy", "x"), MSKG.hasFeature, iri("feature", "y"))
    )
    inference = run_rules(dataset, [load_rule(path)])
    assert {(s, o) for s, _, o in dataset.graph(GRAPH_INFERRED)} == {
        (iri("strategy", "s"), iri("feature", "f"))
    }
    assert len(inference.derivations) == 1


def test_a_class_test_loads_only_members_of_that_class(tmp_path):
    path = write(
        tmp_path,
        "typed.rq",
        f"# A typed strategy is marked.\n{PREFIX}"
        "CONSTRUCT { ?s mskg:marked mskg:yes } WHERE { ?s a mskg:Strategy }\n",
    )
    dataset = tiny()
    asserted = dataset.graph(GRAPH_ASSERTED)
    asserted.add((iri("strategy", "s"), RDF.type, MSKG.Strategy))
    asserted.add((iri("feature", "f"), RDF.type, MSKG.Feature))
    run_rules(dataset, [load_rule(path)])
    assert set(dataset.graph(GRAPH_INFERRED).subjects(MSKG.marked, MSKG.yes)) == {iri("strategy", "s")}


def test_predicates_inside_exists_count_as_read(tmp_path):
    rule = load_rule(
        write(
            tmp_path,
            "exists.rq",
            f"# A strategy with a feature that mitigates something is useful.\n{PREFIX}"
            "CONSTRUCT { ?s mskg:useful mskg:yes }\n"
            "WHERE { ?s mskg:hasFeature ?f FILTER EXISTS { ?f mskg:mitigates ?c . ?c mskg:source ?x } }\n",
        )
    )
    assert {MSKG.hasFeature, MSKG.mitigates, MSKG.source} <= set(rule.reads)


def test_derivations_grow_linearly_with_the_number_of_documents(tmp_path, derived):
    """Two copies of the article derive exactly twice what one does: no rule joins across documents."""
    from collections import Counter

    from benchmarks.synth import make_corpus

    from multiscale_kg.ingest import ingest_corpus

    corpus = tmp_path / "corpus"
    make_corpus(2, corpus, CORPUS / "nano-vs-micro")
    kb = ingest_corpus(corpus)
    texts = document_texts(corpus, kb)
    dataset = to_dataset(kb, texts)
    inference = derive(kb, texts, dataset).inference
    one = Counter(d.rule for d in derived[1].inference.derivations.values())
    two = Counter(d.rule for d in inference.derivations.values())
    assert two == {rule: 2 * n for rule, n in one.items()}


def test_the_rules_derive_the_same_on_the_store_as_on_rdflib_memory(kb, derived):
    """The build runs the rules on its pyoxigraph store; an rdflib Memory dataset (mirrored into an in-memory
    store) gives the same conclusions and derivations."""
    texts = document_texts(CORPUS, kb)
    memory = Dataset(default_union=True)
    for name, triples in ((GRAPH_ASSERTED, asserted_triples(kb, texts)), (GRAPH_ONTOLOGY, ontology())):
        graph = memory.graph(name)
        graph.addN((s, p, o, graph) for s, p, o in triples)
    inference = derive(kb, texts, memory).inference
    assert inference.triples == derived[1].inference.triples
    assert inference.derivations == derived[1].inference.derivations

    def by_value(graph) -> set:  # the store keeps numbers in canonical form ("1.0" as "1")
        return {(s, p, o.toPython() if isinstance(o, Literal) else o) for s, p, o in graph}

    assert by_value(memory.graph(GRAPH_INFERRED)) == by_value(derived[0].graph(GRAPH_INFERRED))


def test_a_sub_select_of_every_variable_gives_the_premises_of_the_inline_pattern(tmp_path):
    """Grouping a rule's patterns in ``{ SELECT * WHERE { ... } }`` fixes the order of its joins only: the
    derivations, their names and their premises (in order) are those of the pattern written inline."""
    head = f"# A strategy with a feature that mitigates a cause of a drawback helps with it.\n{PREFIX}"
    head += "CONSTRUCT { ?s mskg:helpsWith ?d }\n"
    inline = write(
        tmp_path / "inline",
        "helps.rq",
        head + "WHERE { ?s mskg:hasFeature ?f . ?f mskg:mitigates ?c . ?d mskg:causedBy ?c . }\n",
    )
    grouped = write(
        tmp_path / "grouped",
        "helps.rq",
        head + "WHERE { { SELECT * WHERE { ?s mskg:hasFeature ?f . ?f mskg:mitigates ?c . } }\n"
        "        { SELECT * WHERE { ?d mskg:causedBy ?c . } } }\n",
    )
    kept_apart = write(
        tmp_path / "kept-apart",
        "helps.rq",
        head + "WHERE { ?s mskg:hasFeature ?f . { SELECT DISTINCT ?f WHERE { ?f mskg:mitigates ?c } }\n"
        "        ?d mskg:causedBy ?any . }\n",
    )
    by_inline = run_rules(tiny(), [load_rule(inline)]).derivations
    assert run_rules(tiny(), [load_rule(grouped)]).derivations == by_inline
    assert [d.premises for d in by_inline.values()] == [
        (
            (iri("feature", "f"), MSKG.mitigates, iri("cause", "c")),
            (iri("drawback", "d"), MSKG.causedBy, iri("cause", "c")),
            (iri("strategy", "s"), MSKG.hasFeature, iri("feature", "f")),
        )
    ]
    apart = load_rule(kept_apart)  # ?c stays inside its sub-select: its pattern is no premise
    assert [p.triple[1] for p in apart.patterns] == [MSKG.hasFeature, MSKG.causedBy]


def test_documents_sharing_concepts_join_their_own_premises(tmp_path, derived):
    """Two copies of the article annotating the same concepts: a shared strategy and drawback are part of
    both documents, and each document's rules join them within that document (twice the per-document
    derivations, the concept-level ones once)."""
    from collections import Counter

    from benchmarks.synth import make_corpus

    from multiscale_kg.ingest import ingest_corpus

    corpus = tmp_path / "corpus"
    make_corpus(2, corpus, CORPUS / "nano-vs-micro", shared=True)
    kb = ingest_corpus(corpus)
    texts = document_texts(corpus, kb)
    inference = derive(kb, texts, to_dataset(kb, texts)).inference
    one = Counter(d.rule for d in derived[1].inference.derivations.values())
    two = Counter(d.rule for d in inference.derivations.values())
    per_document = {"above-theoretical", "claim-contradicts", "claim-insufficient", "claim-overlaps"}
    per_document |= {"claim-supports", "leaves-open"}
    assert two == {rule: n * (2 if rule in per_document else 1) for rule, n in one.items()}
    is_part_of = URIRef("http://purl.org/dc/terms/isPartOf")
    for derivation in inference.derivations.values():
        if derivation.rule in per_document - {"above-theoretical"}:
            documents = {o for _, p, o in derivation.premises if p == is_part_of}
            assert len(documents) == 1, derivation.id
            assert derivation.id.split("--")[1:].count(node_id(next(iter(documents)))) >= 1
