"""The RDF and networkx projections: ontology coverage, SHACL, serialisations, and agreement with SQLite."""

from __future__ import annotations

import json

import networkx as nx
import pyoxigraph as ox
import pytest
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import PROV, RDF, RDFS, SH, SKOS

from multiscale_kg.api import KnowledgeGraph
from multiscale_kg.cli import main
from multiscale_kg.graph import shacl
from multiscale_kg.graph.namespaces import GRAPH_ASSERTED, GRAPH_ONTOLOGY, MSKG, QUDT, iri
from multiscale_kg.graph.nx import write_node_link
from multiscale_kg.graph.rdf import ontology
from multiscale_kg.graph.shacl import validate
from multiscale_kg.graph.store import oxigraph_of, to_dataset
from multiscale_kg.ingest import document_texts
from multiscale_kg.queries.derive import derive
from multiscale_kg.schema import Chemistry, Property, Role, Scale
from multiscale_kg.schema.knowledge import Domain, DrawbackKind
from multiscale_kg.schema.vocab import MetadataStatus, Support
from multiscale_kg.tables import LINKS

from .conftest import CORPUS

ECHEM = "https://w3id.org/emmo/domain/electrochemistry#electrochemistry_"


@pytest.fixture(scope="session")
def dataset(kb) -> Dataset:
    """The build's dataset: the projection plus what the rules derive into the inferred graph."""
    texts = document_texts(CORPUS, kb)
    dataset = to_dataset(kb, texts)
    derive(kb, texts, dataset)
    return dataset


@pytest.fixture(scope="session")
def kg(built) -> KnowledgeGraph:
    return KnowledgeGraph(built)


def test_every_ontology_term_the_graph_uses_is_declared_with_label_and_comment(dataset):
    onto = ontology()
    used = {p for _, p, _ in dataset.graph(GRAPH_ASSERTED) if str(p).startswith(str(MSKG))}
    used |= {o for _, p, o in dataset.graph(GRAPH_ASSERTED) if p == RDF.type and str(o).startswith(str(MSKG))}
    undeclared = sorted(
        str(t) for t in used if (t, RDFS.label, None) not in onto or (t, RDFS.comment, None) not in onto
    )
    assert undeclared == []


@pytest.mark.parametrize(
    ("scheme", "enum"),
    [
        ("scale", Scale),
        ("property", Property),
        ("domain", Domain),
        ("role", Role),
        ("chemistry", Chemistry),
        ("metadata-status", MetadataStatus),
        ("drawback-kind", DrawbackKind),
        ("support", Support),
    ],
)
def test_concept_schemes_are_the_model_vocabularies(scheme, enum):
    onto = ontology()
    scheme_iri = iri("scheme", scheme)
    concepts = {str(c) for c in onto.subjects(SKOS.inScheme, scheme_iri)}
    assert concepts == {str(iri(scheme, member.value)) for member in enum}
    assert all((URIRef(c), SKOS.prefLabel, None) in onto for c in concepts)


def test_every_unit_the_measurements_use_is_a_declared_qudt_unit(dataset, kb):
    onto = ontology()
    used = {URIRef(m.unit_qudt) for m in kb.measurements}
    assert {str(u).rsplit("/", 1)[1] for u in used} == {
        "A-HR-PER-DeciM3",
        "A-HR-PER-M3",
        "FRACTION",
        "MicroM",
        "MilliA-HR-PER-GM",
        "NanoM",
        "PER-HR",
        "PERCENT",
        "V",
        "W-HR-PER-L",
    }
    assert [str(u) for u in sorted(used) if (u, RDF.type, QUDT.Unit) not in onto] == []


@pytest.mark.parametrize(
    ("ours", "battinfo"),
    [
        ("property/gravimetric_capacity", "1e3dc60d_dd6b_47d6_8161_70004fc5ee30"),  # SpecificCapacity
        ("property/first_cycle_ce", "469b9516_a96d_4aa2_b8e5_05ae982e2084"),  # InitialCoulombicEfficiency
        ("property/ce", "a5962e05_466d_46a4_8951_bea59d7326e5"),  # CoulombicEfficiency
        ("property/particle_size", "128ec7dc_04e3_48ff_86ac_f0f9896ad9cc"),  # ParticleSize
        ("property/rate_capability", "e1fd84eb_acdb_4b2c_b90c_e899d552a3ee"),  # CRate
        ("role/cathode", "aff732a9_238a_4734_977c_b2ba202af126"),  # PositiveElectrode
        ("role/anode", "c94c041b_8ea6_43e7_85cc_d2bce7785b4c"),  # NegativeElectrode
        ("role/cathode", "0f007072_a8dd_4798_b865_1bf9363be627"),  # Electrode
        ("cause/sei-reformation", "ecf136cb_2584_4cb1_98b7_2d2b3d22e40d"),  # SolidElectrolyteInterphase
    ],
)
def test_battinfo_mappings(ours, battinfo):
    onto = ontology()
    kind, _, ident = ours.partition("/")
    matches = set(onto.objects(iri(kind, ident), SKOS.exactMatch | SKOS.closeMatch | SKOS.broadMatch))
    assert URIRef(ECHEM + battinfo) in matches


def test_active_material_mapping_and_the_charge_retention_trap():
    onto = ontology()
    assert (MSKG.Material, SKOS.closeMatch, URIRef(ECHEM + "79d1b273_58cd_4be6_a250_434817f7c261")) in onto
    charge_retention = URIRef(ECHEM + "49efb72a_f8e6_4f50_acac_975302200d47")
    assert not list(onto.subjects(None, charge_retention))  # cycling retention is not ChargeRetention


def test_the_shipped_build_conforms_to_the_shapes(dataset):
    report = validate(dataset)
    assert report.conforms, report.text


def test_a_broken_graph_reports_the_expected_violations(dataset):
    broken = Dataset(default_union=True)
    for name in (GRAPH_ASSERTED, GRAPH_ONTOLOGY):
        target = broken.graph(name)
        for triple in dataset.graph(name):
            target.add(triple)
    asserted = broken.graph(GRAPH_ASSERTED)
    measurement = iri("measurement", "nano-vs-micro-t1-si-nano-gravimetric-capacity")
    asserted.remove((measurement, MSKG.ofMaterial, None))
    drawback = iri("drawback", "micro-fracture")
    asserted.remove((drawback, MSKG.causedBy, None))
    cause = iri("cause", "void-space-between-particles")
    asserted.remove((cause, PROV.wasDerivedFrom, None))
    lonely = iri("strategy", "lonely")
    asserted.add((lonely, RDF.type, MSKG.Strategy))
    asserted.add((lonely, RDFS.label, Literal("a strategy with no feature and no evidence")))
    report = validate(broken)
    found = {(v.focus, v.message) for v in report.violations}
    assert found == {
        (str(measurement), "a curated measurement has a material"),
        (str(drawback), "a drawback has at least one cause"),
        (str(cause), "a fact has evidence: a Web Annotation quoting the document"),
        (str(lonely), "a strategy has a feature, is a family or is an example of one"),
        (str(lonely), "a fact has evidence: a Web Annotation quoting the document"),
    }


def test_each_focus_node_is_validated_with_its_document(tmp_path):
    """Two copies of the article: every node a shape targets is in the pass of the one document it belongs
    to; nothing is left for the corpus-wide pass (materials, shared, are no target)."""
    from benchmarks.synth import make_corpus

    from multiscale_kg.ingest import ingest_corpus

    corpus = tmp_path / "corpus"
    make_corpus(2, corpus, CORPUS / "nano-vs-micro")
    kb = ingest_corpus(corpus)
    store = oxigraph_of(to_dataset(kb, document_texts(corpus, kb)))
    graph, reads = shacl._Graph(store), shacl._Reads.of(shacl.shapes())
    passes = shacl.focus_nodes(graph, reads)
    assert sorted(passes) == [str(iri("document", d.id)) for d in kb.documents]
    one, two = (set(passes[str(iri("document", d.id))]) for d in kb.documents)
    assert not one & two
    rdf_type, asserted = ox.NamedNode(str(RDF.type)), ox.NamedNode(str(GRAPH_ASSERTED))
    typed = {
        quad.subject
        for c in reads.classes
        for quad in store.quads_for_pattern(None, rdf_type, ox.NamedNode(c), asserted)
    }
    assert one | two == typed
    assert len(one) == len(two) == 540


def test_the_corpus_wide_pass_is_cut_into_chunks_that_go_first():
    """Two processes: the corpus-wide pass's 10 focus nodes become 8 tasks ahead of the documents' passes,
    each node in exactly one of them."""
    nodes = [ox.NamedNode(f"https://example.org/concept/{n}") for n in range(10)]
    own = [ox.NamedNode("https://example.org/measurement/1")]
    tasks = shacl._tasks([("https://example.org/document/a", own), (shacl.CORPUS_WIDE, nodes)], jobs=2)
    assert [document for document, _ in tasks] == [shacl.CORPUS_WIDE] * 8 + ["https://example.org/document/a"]
    chunked = [node for _, chunk in tasks[:8] for node in chunk]
    assert sorted(chunked, key=str) == sorted(nodes, key=str) and len(chunked) == 10


def test_passes_validated_in_processes_report_what_one_process_reports(tmp_path):
    """Two copies sharing concepts, on disk, broken in a shared concept (the corpus-wide pass) and in the
    second copy's measurement (its own pass): two validating processes find the same violations as one."""
    from benchmarks.synth import make_corpus

    from multiscale_kg.graph.store import fill, open_store
    from multiscale_kg.ingest import ingest_corpus

    corpus = tmp_path / "corpus"
    make_corpus(2, corpus, CORPUS / "nano-vs-micro", shared=True)
    kb = ingest_corpus(corpus)
    store = open_store(tmp_path / "store")
    fill(store, kb, document_texts(corpus, kb))
    drawback = ox.NamedNode(str(iri("drawback", "micro-fracture")))
    measurement = ox.NamedNode(str(iri("measurement", "nano-vs-micro-s0001-t1-si-nano-gravimetric-capacity")))
    for subject, predicate in ((drawback, MSKG.causedBy), (measurement, MSKG.ofMaterial)):
        for quad in list(store.quads_for_pattern(subject, ox.NamedNode(str(predicate)), None, None)):
            store.remove(quad)
    store.flush()
    one = validate(store)
    assert [(v.focus, v.message) for v in one.violations] == [
        (drawback.value, "a drawback has at least one cause"),
        (measurement.value, "a curated measurement has a material"),
    ]
    assert validate(store, jobs=2, store_path=tmp_path / "store") == one


@pytest.mark.parametrize(
    "broken",
    [
        "no exact quote",
        "start not an integer",
        "value not a decimal",
        "second property",
        "unknown method",
        "material not a Material",
    ],
)
def test_the_build_validator_flags_what_pyshacl_flags(kb, broken):
    """The build validates with the ``shacl`` package; pyshacl, the reference, gives the same violations on
    broken copies of the graph (pyshacl also reports the nested results of ``sh:node`` on an annotation,
    a node no shape targets: left out), compared by focus node, path and the shape's own message."""
    from benchmarks.shacl import broken_copies, closure_ntriples

    store = ox.Store()
    text = broken_copies(closure_ntriples(CORPUS))[broken]
    store.load(
        text.encode("utf-8"), format=ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode(str(GRAPH_ASSERTED))
    )
    own = {str(m) for m in shacl.shapes().objects(None, SH.message)}

    def keys(engine: str) -> set:
        report = shacl.validate(store, engine=engine)
        assert not report.conforms
        return {(v.focus, v.path, v.message if v.message in own else None) for v in report.violations}

    passes = shacl.focus_nodes(shacl._Graph(store), shacl._Reads.of(shacl.shapes()))
    targeted = {node.value for nodes in passes.values() for node in nodes}
    assert keys("shacl") == {key for key in keys("pyshacl") if key[0] in targeted}


def _triples(graph: Graph) -> set:
    return set(graph)


def test_a_build_writes_the_store_the_database_the_node_link_graph_and_n_quads(built):
    assert sorted(p.name for p in built.iterdir()) == [
        "build.json",
        "graph.json",
        "multiscale.db",
        "multiscale.nq",
        "store",
    ]


def _exported(built, tmp_path, fmt: str):
    target = tmp_path / f"exported.{fmt}"
    assert main(["export", "--format", fmt, "--db", str(built), "--output", str(target)]) == 0
    return target


@pytest.mark.parametrize("fmt", ["ttl", "nt"])
def test_every_single_graph_export_reparses_to_the_same_graph(built, dataset, tmp_path, fmt):
    expected = {(s, p, o) for s, p, o, _ in dataset.quads()}
    parsed = Graph().parse(_exported(built, tmp_path, fmt), format={"ttl": "turtle", "nt": "nt"}[fmt])
    assert _triples(parsed) == expected


@pytest.mark.parametrize("fmt", ["trig", "nq", "jsonld"])
def test_every_dataset_export_reparses_to_the_same_named_graphs(built, dataset, tmp_path, fmt):
    parsed = Dataset()
    parsed.parse(
        _exported(built, tmp_path, fmt), format={"trig": "trig", "nq": "nquads", "jsonld": "json-ld"}[fmt]
    )
    for name in (GRAPH_ASSERTED, GRAPH_ONTOLOGY):
        assert _triples(parsed.graph(name)) == _triples(dataset.graph(name)), name


def test_an_export_gives_the_same_bytes_each_time(built, tmp_path):
    first = _exported(built, tmp_path, "ttl").read_bytes()
    assert _exported(built, tmp_path, "ttl").read_bytes() == first


def test_node_link_json_names_its_edges_key(built):
    data = json.loads((built / "graph.json").read_text(encoding="utf-8"))
    assert "edges" in data and "links" not in data


def test_networkx_nodes_are_kind_slash_id_with_attributes(kg):
    graph = kg.nx
    node = graph.nodes["strategy/ant-nest-si"]
    assert node["kind"] == "strategy"
    assert node["label"] == "Ant-nest-like porous silicon microparticles"
    assert graph.nodes["material/nb16w5o55"]["kind"] == "material"
    assert graph.nodes["strategy/nb16w5o55"]["kind"] == "strategy"
    edge = graph.get_edge_data("strategy/ant-nest-si", "feature/internal-nanopores")["hasFeature"]
    assert edge == {
        "relation": "hasFeature",
        "inferred": False,
        "quote": "contained a multitude of ~50-nm nanopores",
        "ref_numbers": [],
    }


def test_three_projections_agree(kg, dataset, db):
    """Every link-table row is a triple in RDF and an edge in networkx; counts per kind agree."""
    graph = kg.nx
    for link in LINKS:
        predicate = MSKG[link.relation.value]
        rows = list(db[link.name].rows)
        triples = list(dataset.graph(GRAPH_ASSERTED).triples((None, predicate, None)))
        edges = [
            (s, t)
            for s, t, k, inferred in graph.edges(keys=True, data="inferred")
            if k == link.relation.value and not inferred
        ]
        assert len(rows) == len(triples) == len(edges), link.name
        for row in rows:
            source_id, target_id = row[link.subject[0]], row[link.object[0]]
            matching = [
                (s, t) for s, t in edges if s.endswith("/" + source_id) and t.endswith("/" + target_id)
            ]
            assert len(matching) == 1, (link.name, row["id"])
            s, t = matching[0]
            assert (iri(*s.split("/", 1)), predicate, iri(*t.split("/", 1))) in dataset
    for table, kind, rdf_class in [
        ("materials", "material", MSKG.Material),
        ("measurements", "measurement", MSKG.Measurement),
        ("drawbacks", "drawback", MSKG.Drawback),
        ("causes", "cause", MSKG.Cause),
        ("strategies", "strategy", MSKG.Strategy),
        ("features", "feature", MSKG.Feature),
        ("mechanisms", "mechanism", MSKG.Mechanism),
        ("claims", "claim", MSKG.Claim),
        ("refs", "reference", MSKG.Reference),
    ]:
        in_nx = sum(1 for _, data in graph.nodes(data=True) if data["kind"] == kind)
        in_rdf = len(set(dataset.graph(GRAPH_ASSERTED).subjects(RDF.type, rdf_class)))
        assert db[table].count == in_nx == in_rdf, table
    assert db["edges"].count == graph.number_of_edges()


def test_graphml_export_opens_with_list_attributes_as_json(kg, tmp_path):
    from multiscale_kg.graph.nx import write_graphml

    path = tmp_path / "graph.graphml"
    write_graphml(kg.nx, path)
    again = nx.read_graphml(path)
    assert again.number_of_nodes() == kg.nx.number_of_nodes()
    assert json.loads(again.nodes["material/lfp"]["elements"]) == ["Fe", "Li", "O", "P"]


def test_three_projections_agree_on_every_answer_and_its_support(kg, dataset, db):
    """Each strategy→drawback answer has one grade: the SQLite row's, the RDF statement's, the nx edge's;
    each path's grade is its RDF derivation's."""
    rows = list(
        db.query("select strategy_id, drawback_id, support, path_support, id from strategy_addresses")
    )
    by_sql = {(r["strategy_id"], r["drawback_id"]): r["support"] for r in rows}
    by_rdf = {
        (str(s).rsplit("/", 1)[1].split("--addresses--")[0], str(s).rsplit("--", 1)[1]): str(o).rsplit(
            "/", 1
        )[1]
        for s, o in dataset.subject_objects(MSKG.support)
        if "/id/statement/" in str(s)
    }
    by_nx = {
        (s.split("/", 1)[1], t.split("/", 1)[1]): support
        for s, t, k, support in kg.nx.edges(keys=True, data="support")
        if k == "addresses"
    }
    assert by_sql == by_rdf == by_nx
    assert set(by_sql.values()) >= {"chained", "inherited"}
    for row in rows:
        graded = dataset.value(iri("derivation", row["id"]), MSKG.support)
        assert graded == iri("support", row["path_support"]), row["id"]


def test_the_node_link_file_holds_the_graphs_node_link_data_one_node_or_edge_a_line(tmp_path):
    graph = nx.MultiDiGraph()
    graph.add_node("b")
    graph.add_node("a", label="Li₄Ti₅O₁₂")
    graph.add_edge("a", "b", key="causedBy", relation="causedBy", ref_numbers=[3, 4])
    path = tmp_path / "graph.json"
    write_node_link(graph, path)
    text = path.read_text(encoding="utf-8")
    assert json.loads(text) == nx.node_link_data(graph, edges="edges")
    assert text.splitlines() == [
        "{",
        '"directed": true,',
        '"edges": [',
        '{"key": "causedBy", "ref_numbers": [3, 4], "relation": "causedBy", "source": "a", "target": "b"}',
        "],",
        '"graph": {},',
        '"multigraph": true,',
        '"nodes": [',
        '{"id": "b"},',
        '{"id": "a", "label": "Li₄Ti₅O₁₂"}',
        "]",
        "}",
    ]
