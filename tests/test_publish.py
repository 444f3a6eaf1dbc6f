"""The Datasette site: generated metadata in sync with the schema, canned queries, home page, entity pages,
charts and causal-graph pictures, all through Datasette's in-process client."""

from __future__ import annotations

import asyncio
import json
import os
import re
from pathlib import Path

import httpx
import pytest
from datasette.app import Datasette

from multiscale_kg.build import DB_NAME
from multiscale_kg.cli import locate, main, parser
from multiscale_kg.publish import commands
from multiscale_kg.publish.canned import canned_queries, parse
from multiscale_kg.publish.charts import Bar, chart_svg
from multiscale_kg.publish.graph_picture import PictureEdge, picture_svg
from multiscale_kg.publish.metadata import generate, problems, render, schema_of
from multiscale_kg.publish.sparql_pool import close_all
from multiscale_kg.schema.vocab import Support

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"


class Site:
    """A Datasette over a build folder, queried in-process on one event loop."""

    def __init__(self, folder: Path, plugin_settings: dict | None = None, corpus: Path = CORPUS):
        metadata = generate(folder / DB_NAME, corpus)
        metadata["plugins"]["multiscale-kg"].update(plugin_settings or {})
        self.datasette = Datasette(
            immutables=[str(folder / DB_NAME)],
            metadata=metadata,
            settings={"suggest_facets": False, "sql_time_limit_ms": 2000},
        )
        self.loop = asyncio.new_event_loop()

    def get(self, path: str, **headers: str) -> httpx.Response:
        return self.loop.run_until_complete(self.datasette.client.get(path, headers=headers))

    def post(self, path: str, **kwargs) -> httpx.Response:
        return self.loop.run_until_complete(self.datasette.client.post(path, **kwargs))

    def rows(self, path: str) -> list[dict]:
        response = self.get(path + ("&" if "?" in path else "?") + "_shape=array")
        assert response.status_code == 200, response.text
        return response.json()

    def close(self) -> None:
        close_all()  # the SPARQL worker processes: not kept past the tests that use them
        self.loop.close()


@pytest.fixture(scope="module")
def site(built):
    site = Site(built)
    yield site
    site.close()


def hrefs(html: str) -> list[str]:
    return [h.replace("&amp;", "&") for h in re.findall(r'href="([^"]+)"', html)]


# -- metadata ------------------------------------------------------------------------------------------------


def test_every_table_and_column_is_described_and_nothing_else(built):
    assert problems(schema_of(built / DB_NAME)) == []


def test_the_committed_metadata_is_the_generated_one(built):
    committed = (ROOT / "datasette_metadata.json").read_text(encoding="utf-8")
    assert committed == render(generate(built / DB_NAME, CORPUS)), (
        "datasette_metadata.json is out of date: run python -m multiscale_kg.publish.metadata"
    )


def test_drift_is_named_table_by_table_and_column_by_column():
    schema = {"measurements": ["id", "value_min", "new_column"], "surprise": ["id"]}
    found = problems(schema)
    assert "column measurements.new_column: no description in descriptions.yaml" in found
    assert "table surprise: no description in descriptions.yaml" in found
    assert "descriptions.yaml describes table strategies, which the database does not have" in found
    assert "descriptions.yaml names column measurements.material_id, which does not exist" in found


def test_metadata_has_source_license_facets_labels_units_and_hidden_fts(built):
    metadata = generate(built / DB_NAME, CORPUS)
    assert metadata["source"] == (
        "Jain et al. Nanostructuring versus microstructuring in battery electrodes. "
        "Nature Reviews Materials 7, 736–746 (2022)"
    )
    assert metadata["source_url"] == "https://doi.org/10.1038/s41578-022-00454-9"
    assert metadata["license"].startswith("MIT")
    tables = metadata["databases"]["multiscale"]["tables"]
    assert tables["measurements"]["facets"] == [
        "document_id",
        "method",
        "material_id",
        "scale",
        "property",
        "source",
    ]
    assert tables["strategies"]["facets"] == ["is_family"]
    assert tables["strategy_families"]["facets"] == ["family_id"]
    assert tables["drawbacks"]["facets"] == ["scale", "kind"]
    assert tables["measurements"]["units"] == {"size_min_nm": "nm", "size_max_nm": "nm"}
    assert tables["materials"]["units"] == {"molar_mass": "g/mol"}
    assert tables["materials"]["label_column"] == "name"
    assert tables["strategies"]["label_column"] == "label"
    assert tables["passages_fts"]["hidden"] is True
    assert tables["evidence_fts"]["hidden"] is True
    assert tables["measurements"]["columns"]["qualifier"].startswith("How the bounds read")
    assert (
        '<a href="/-/charts/first_cycle_ce">first cycle ce</a>' in tables["measurements"]["description_html"]
    )


def test_datasette_shows_column_descriptions_and_units(site):
    html = site.get("/multiscale/measurements?material_id=si&source=table1").text
    assert "<dt>size_min_nm</dt><dd>Lower bound of the particle size</dd>" in html
    assert "1.0&nbsp;µm" in html  # size_min_nm 1000 (Table 1's "≥1 µm") shown with its unit
    page = site.get("/multiscale/materials/si").text
    assert "28.085&nbsp;g/mol" in page


# -- canned queries ------------------------------------------------------------------------------------------


def test_canned_queries_are_the_sql_files_with_titles_and_parameters():
    queries = canned_queries()
    assert {name: (q.title, q.params) for name, q in queries.items()} == {
        "claim-checks": ("Claims of the article checked against Table 1", ()),
        "evidence-behind-a-fact": ("Evidence behind a fact: quote, passage, cited references", ("fact",)),
        "material": ("Everything about material :material", ("material",)),
        "nano-vs-micro": ("Nano vs micro for :property, material by material", ("property",)),
        "reference-citations": ("Where is reference :n cited?", ("n",)),
        "strategies-for-drawback": (
            "Which strategies address drawback :drawback, and what do they cost?",
            ("drawback",),
        ),
    }
    assert not any(q.sql.startswith("--") for q in queries.values())


def test_a_query_file_without_a_title_is_refused():
    with pytest.raises(ValueError, match=r"queries/sql/untitled.sql: expected a first line '-- <title>'"):
        parse("untitled", "select 1")
    assert parse("q", "-- Title :x\n-- more\nselect ':y', :x -- :z\n").params == ("x",)


def test_nano_vs_micro_puts_both_scales_of_a_property_side_by_side(site):
    rows = site.rows("/multiscale/nano-vs-micro.json?property=first_cycle_ce")
    assert len(rows) == 14
    si = next(r for r in rows if r["material_id"] == "si")
    assert {
        k: si[k] for k in ("nano_printed", "nano_min", "nano_max", "micro_printed", "micro_qualifier")
    } == {
        "nano_printed": "65–80",
        "nano_min": 65.0,
        "nano_max": 80.0,
        "micro_printed": "≥90",
        "micro_qualifier": ">=",
    }
    assert si["micro_max"] is None
    lfp = next(r for r in rows if r["material_id"] == "lfp")
    assert (lfp["nano_printed"], lfp["micro_printed"]) == (None, "≥97")


def test_strategies_for_the_slow_kinetics_of_microparticles(site):
    rows = site.rows("/multiscale/strategies-for-drawback.json?drawback=micro-slow-kinetics")
    # best supported first: what the article says outright, then chains of the strategy's own statements,
    # then a family credited with its example's feature; one row per path
    assert [(r["support"], r["strategy_id"]) for r in rows] == [
        ("stated", "molecular-cs-composite"),
        ("stated", "molecular-cs-composite"),
        ("stated", "nanostructuring"),
        ("stated", "nanostructuring"),
        ("stated", "nb16w5o55"),
        ("stated", "nb16w5o55"),
        ("stated", "nb18w16o93"),
        ("stated", "nb18w16o93"),
        ("chained", "nanoparticles-on-scaffold"),
        ("chained", "nanoscale-assembly"),
        ("chained", "natural-nanoporosity"),
        ("chained", "aligned-particles"),
        ("chained", "fe2o3-ni-inverse-opal"),
        ("inherited", "electrode-level-porosity"),
        ("inherited", "chevrel-mo6s8-s"),
        ("inherited", "pedot-cs-cluster"),
    ]
    oxides = next(r for r in rows if r["strategy_id"] == "natural-nanoporosity")
    assert oxides["drawback"] == "Slow kinetics and poor rate capability"
    assert (
        oxides["via_feature"]
        == "Built-in nanoscale channels and tunnels in the crystal structure (fast Li+ transport)"
    )
    assert (
        oxides["via_cause"] == "Long solid-state Li+ diffusion length across a micrometre particle (τ = λ²/D)"
    )
    assert oxides["feature_from"] is None
    assert oxides["tradeoffs"] == (
        "Expensive elements raise cost; Heavy elements lower gravimetric performance; "
        "High anode potential lowers cell voltage and energy density"
    )
    family = next(r for r in rows if r["strategy_id"] == "electrode-level-porosity")
    assert (
        family["feature_from"]
        == "Sheet-like microparticles aligned through the electrode thickness (magnetic field)"
    )
    assert [r["strategy_id"] for r in rows if r["feature_from"]] == [
        "electrode-level-porosity",
        "chevrel-mo6s8-s",
        "pedot-cs-cluster",
    ]
    pedot = next(r for r in rows if r["strategy_id"] == "pedot-cs-cluster")
    assert pedot["feature_from"] == "Assembly of nanoscale constituents into micrometre particles"
    # words of the label find the drawback too
    by_words = site.rows("/multiscale/strategies-for-drawback.json?drawback=poor rate capability")
    assert {r["strategy_id"] for r in by_words} == {r["strategy_id"] for r in rows}


def test_claim_checks_show_the_verdicts_of_the_article(site):
    rows = site.rows("/multiscale/claim-checks.json")
    verdict = {(r["claim_id"].removeprefix("nano-vs-micro-"), r["material_id"]): r["verdict"] for r in rows}
    for material in ("lco", "nca", "si", "fe2o3"):
        assert verdict[("micro-better-first-cycle-ce", material)] == "supports"
    assert verdict[("nano-better-cycle-retention", "lnmo")] == "contradicts"
    assert verdict[("nano-better-gravimetric-capacity", "co3o4")] == "contradicts"
    assert verdict[("nano-better-gravimetric-capacity", "nb2o5")] == "contradicts"


def test_evidence_behind_a_fact_gives_quote_offsets_passage_and_references(site, text):
    rows = site.rows("/multiscale/evidence-behind-a-fact.json?fact=nano-low-first-cycle-ce")
    first = rows[0]
    assert {k: first[k] for k in ("subject_kind", "subject_id", "passage_id", "section", "start", "end")} == {
        "subject_kind": "drawback",
        "subject_id": "nano-low-first-cycle-ce",
        "passage_id": "nano-vs-micro-p073",
        "section": "Reduced Coulombic efficiency",
        "start": 23404,
        "end": 23486,
    }
    assert (
        first["quote"] == "This SEI drastically reduces the first-cycle Coulombic efficiency of the battery"
    )
    assert " ".join(text[first["start"] : first["end"]].split()) == first["quote"]
    assert json.loads(first["ref_numbers"]) == [61, 62]
    statements = {r["subject_id"] for r in rows if r["subject_kind"] == "statement"}
    assert "nano-low-first-cycle-ce--causedBy--high-specific-surface-area" in statements


def test_everything_about_silicon(site):
    rows = site.rows("/multiscale/material.json?material=silicon")
    kinds = {(r["kind"], r["about"]) for r in rows}
    assert ("strategy", "Ant-nest-like porous silicon microparticles") in kinds
    assert ("strategy", "Solid electrolytes (solid-state batteries)") in kinds
    assert ("mechanism", "Fracture resistance below a critical particle size") in kinds
    ce = [r for r in rows if r["about"] == "first_cycle_ce (micro)" and r["source"] == "table1"]
    assert [(r["detail"], r["quote"]) for r in ce] == [(">= 90 %", "≥90")]
    assert ("claim check", "nano-vs-micro-micro-better-first-cycle-ce") in kinds
    assert rows == site.rows("/multiscale/material.json?material=si")


def test_where_reference_97_is_cited(site):
    rows = site.rows("/multiscale/reference-citations.json?n=97")
    citations = [r for r in rows if r["kind"] == "citation"]
    assert [r["marker"] for r in citations] == [
        "refs.97,126,127",
        "41,49,63,97,112–138",
        "ref.97",
        "ref.97",
        "97",
        "97",
        "97",
        "97",
        "97",
    ]
    assert "evidence of strategy nb16w5o55" in {r["kind"] for r in rows}


def test_every_canned_query_runs_in_datasette(site):
    params = {"drawback": "micro-fracture", "property": "cycle_retention", "fact": "ant-nest-si"}
    params |= {"material": "lfp", "n": "84"}
    for query in canned_queries().values():
        arguments = "&".join(f"{p}={params[p]}" for p in query.params)
        response = site.get(f"/multiscale/{query.name}.json?_shape=array&{arguments}")
        assert response.status_code == 200, (query.name, response.text)
        assert response.json(), f"{query.name} found nothing for {arguments}"
    page = site.get("/multiscale/strategies-for-drawback?drawback=micro-fracture").text
    assert "Which strategies address drawback :drawback, and what do they cost?" in page
    assert 'name="drawback"' in page


# -- home page, entity pages ---------------------------------------------------------------------------------


def test_the_home_page_answers_which_strategies_address_slow_kinetics_in_two_clicks(site):
    home = site.get("/").text
    link = "/-/answers/micro-slow-kinetics"
    assert link in hrefs(home)  # click one
    assert "Slow kinetics and poor rate capability</a> " in home
    assert '<span class="mskg-count">(12 strategies)</span>' in home
    answer = site.get(link).text  # click two: the answer, strategies by name, graded
    assert "Microparticles with natural nanoporosity (built-in channels and tunnels)" in answer
    for page in ("/-/charts/first_cycle_ce", "/-/sparql", "/multiscale/claim-checks"):
        assert page in hrefs(home)


def test_a_strategy_page_shows_its_relations_by_label_and_its_quotes(site):
    html = site.get("/multiscale/strategies/ant-nest-si").text
    assert "has feature" in html
    assert '<a href="/multiscale/features/internal-nanopores">' in html
    assert "Nanopores inside micrometre particles (buffer space for volume change)" in html
    assert "introduces (trade-off)" in html
    assert "Complex and costly synthesis" in html
    assert "“limited by complex and costly synthesis”" in html
    assert '<a href="/-/graph/strategy/ant-nest-si">picture of its causal web</a>' in html
    assert 'id="mskg-evidence"' in html


def test_the_answer_page_groups_strategies_by_grade_with_every_step_quoted_and_linked(site):
    response = site.get("/-/answers/micro-fracture")
    assert response.status_code == 200
    html = response.text
    headings = re.findall(r'<h2><span class="mskg-grade mskg-grade-(\w+)">', html)
    assert headings == sorted(headings, key=lambda grade: Support(grade).rank)
    assert headings == ["stated", "inherited"]  # every chained path of micro-fracture is also stated
    ant_nest = html[html.index('id="strategy-ant-nest-si"') :]
    ant_nest = ant_nest[: ant_nest.index("</article>")]
    assert (
        '<a href="/multiscale/strategies/ant-nest-si">Ant-nest-like porous silicon microparticles</a>'
        in ant_nest
    )
    for link in ("/multiscale/features/internal-nanopores", "/multiscale/causes/volume-change-stress"):
        assert f'href="{link}"' in ant_nest
    assert "“Nanopores provide buffer space for the Si microparticles to expand and contract”" in ant_nest
    assert '[<a href="/multiscale/refs/nano-vs-micro-r084">84</a>]' in ant_nest
    assert (
        '<a href="/multiscale/drawbacks/tradeoff-complex-costly-synthesis">Complex and costly synthesis</a>'
        in ant_nest
    )
    assert "<td>≥90 %</td>" in ant_nest  # silicon's Table 1 first-cycle CE at the micro scale
    assert "derivation" not in html.lower() and "addresses--" not in html
    assert site.get("/-/answers/no-such-drawback").status_code == 404


def test_a_strategy_page_lists_the_drawbacks_it_addresses_with_their_grades(site):
    html = site.get("/multiscale/strategies/pedot-cs-cluster").text
    graded = re.findall(
        r'<a href="/-/answers/([^"#]+)#strategy-pedot-cs-cluster" class="mskg-grade mskg-grade-(\w+)"', html
    )
    assert graded == [  # best supported first
        ("micro-low-conductivity", "stated"),
        ("nano-poor-volumetric-density", "stated"),
        ("nano-low-mass-loading", "chained"),
        ("polysulfide-capacity-fade", "chained"),
        ("micro-slow-kinetics", "inherited"),
    ]


def test_a_drawback_page_links_causes_and_the_strategies_that_address_it(site):
    html = site.get("/multiscale/drawbacks/nano-low-first-cycle-ce").text
    assert "caused by" in html
    cause = "High specific surface area (large contact area with the electrolyte)"
    assert f'<a href="/multiscale/causes/high-specific-surface-area">{cause}</a>' in html
    assert "This SEI drastically reduces the first-cycle Coulombic efficiency of the battery" in html


def test_a_material_page_shows_strategies_mechanisms_and_measurements(site):
    html = site.get("/multiscale/materials/si").text
    assert "used by strategy" in html
    assert (
        '<a href="/multiscale/strategies/ant-nest-si">Ant-nest-like porous silicon microparticles</a>' in html
    )
    assert "exemplifies" in html
    assert "first-cycle Coulombic efficiency (micro): ≥90 %" in html


def test_pages_of_other_tables_are_plain(site):
    html = site.get("/multiscale/refs/nano-vs-micro-r097").text
    assert 'id="mskg-relations"' not in html


# -- charts and pictures -------------------------------------------------------------------------------------


def test_a_chart_per_table1_property_linked_from_the_measurements_table(site):
    measurements = site.get("/multiscale/measurements").text
    charts = [h for h in hrefs(measurements) if h.startswith("/-/charts/")]
    assert charts == [
        "/-/charts/gravimetric_capacity",
        "/-/charts/volumetric_capacity",
        "/-/charts/cycle_retention",
        "/-/charts/rate_retention",
        "/-/charts/first_cycle_ce",
    ]
    for chart in charts:
        page = site.get(chart)
        assert page.status_code == 200
        assert "<svg" in page.text
    assert site.get("/-/charts").status_code == 200
    assert site.get("/-/charts/particle_size").status_code == 404


def test_the_first_cycle_ce_chart_shows_ranges_and_open_bounds(site):
    response = site.get("/-/charts/first_cycle_ce.svg")
    assert response.headers["content-type"] == "image/svg+xml; charset=utf-8"
    svg = response.text
    bars = re.findall(r"<g class='bar (\w+)' data-material='([\w-]+)' data-qualifier='([^']+)'>", svg)
    assert len(bars) == 27  # 14 materials, LFP without a nano value
    assert ("micro", "si", "&gt;=") in bars
    assert ("nano", "c-s", "&lt;=") in bars
    assert ">≥90</text>" in svg and ">65–80</text>" in svg and ">≤93a</text>" in svg
    assert "no nano value in Table 1" in svg


def test_a_picture_of_the_causal_web_of_a_strategy_and_of_a_drawback(site):
    svg = site.get("/-/graph/strategy/ant-nest-si.svg").text
    assert set(re.findall(r"data-relation='(\w+)'", svg)) == {
        "exampleOf",
        "hasFeature",
        "mitigates",
        "causedBy",
        "introduces",
    }
    assert "<a class='node' href='/multiscale/causes/volume-change-stress'>" in svg
    page = site.get("/-/graph/drawback/micro-slow-kinetics").text
    assert "/multiscale/strategies/natural-nanoporosity" in page
    assert site.get("/-/graph/drawback/no-such-thing").status_code == 404


def test_text_in_pictures_is_escaped():
    evil = "<script>alert(1)</script>"
    chart = chart_svg("first_cycle_ce", [Bar("x", evil, evil, "nano", "=", 1.0, 1.0, "%", evil, evil)])
    assert "<script>" not in chart
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in chart
    labels = {"strategy/a": evil, "feature/b": "b"}
    edges = [PictureEdge("strategy/a", "hasFeature", "feature/b")]
    picture = picture_svg(
        "strategy/a", ["strategy/a", "feature/b"], edges, labels, {"strategy/a": "/x?a=1&b=2"}
    )
    assert "<script>" not in picture
    assert "href='/x?a=1&amp;b=2'" in picture


# -- mskg serve ----------------------------------------------------------------------------------------------


def test_serve_runs_datasette_immutable_bounded_with_the_metadata(tmp_path, monkeypatch):
    monkeypatch.delenv("MSKG_DB", raising=False)
    args = locate(parser().parse_args(["serve"]))
    assert (args.host, args.port, args.db, args.metadata, args.processes) == (
        "127.0.0.1",
        8001,
        Path("db"),
        Path("datasette_metadata.json"),
        min(2, os.cpu_count() or 1),
    )
    built, served = [], []
    monkeypatch.setattr("multiscale_kg.build.is_current", lambda corpus, out: False)
    monkeypatch.setattr("multiscale_kg.build.build", lambda corpus, out: built.append((corpus, out)))
    monkeypatch.setattr("datasette.cli.cli.main", lambda argv, standalone_mode: served.append(argv))
    metadata = tmp_path / "m.json"
    metadata.write_text("{}", encoding="utf-8")
    out = tmp_path / "db"
    arguments = ["serve", "--port", "9100", "--db", str(out), "--metadata", str(metadata), "--processes", "1"]
    assert main(arguments) == 0
    assert built == [(Path("corpus"), out)]
    assert served == [commands.datasette_arguments(out, metadata, "127.0.0.1", 9100)]
    assert served[0][:3] == ["serve", "-i", str(out / DB_NAME)]
    assert "suggest_facets" in served[0] and "sql_time_limit_ms" in served[0]


def test_full_text_search_on_passages_and_quotes(site):
    passages = site.rows("/multiscale/passages.json?_search=memory+effect&_sort=ordinal")
    assert [p["id"] for p in passages] == [
        "nano-vs-micro-p009",
        "nano-vs-micro-p021",
        "nano-vs-micro-p026",
        "nano-vs-micro-p070",
        "nano-vs-micro-p109",
    ]
    quotes = site.rows("/multiscale/evidence.json?_search=tap+density")
    assert quotes and all("tap" in q["quote"].lower() for q in quotes)
