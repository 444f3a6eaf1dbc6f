"""The pages as a battery researcher reads them: units once, labels for property keys, formulas with
subscripts, canned questions that open on an example and take a label, the measurements table in reading
order, charts that compare like with like, the home page's tables, and no server path in /-/databases."""

from __future__ import annotations

import re
import urllib.parse

import pytest

from multiscale_kg.publish.canned import EXAMPLES, canned_queries
from multiscale_kg.publish.charts import HEADINGS, Bar, axis_for, chart_svg, mismatch
from multiscale_kg.publish.labels import formula_html, property_key, property_label, value_with_unit

from .test_publish import Site, hrefs

SI = "/multiscale/materials/si"


@pytest.fixture(scope="module")
def site(built):
    site = Site(built)
    yield site
    site.close()


def measurement_id(db, **where) -> str:
    clause = " and ".join(f"{column} = ?" for column in where)
    return db.execute(f"select id from measurements where {clause}", list(where.values())).fetchone()[0]


# -- labels and units ----------------------------------------------------------------------------------------


def test_a_value_shows_its_unit_once():
    assert value_with_unit("3 ± 0.2 µm", "µm", "µm") == "3 ± 0.2 µm"
    assert value_with_unit("≤9 % (10 cycles)", "%", "%") == "≤9 % (10 cycles)"
    assert value_with_unit("1,000", "mah g–1", "mAh g-1") == "1,000 mAh g-1"
    assert value_with_unit("76", "%", "%") == "76 %"
    assert value_with_unit("0.03", "", "1") == "0.03"  # dimensionless


def test_relations_to_measurements_read_with_the_property_label_and_the_unit_once(site, db):
    page = site.get(SI).text
    assert "first-cycle Coulombic efficiency (micro): ≥90 %" in page
    assert "capacity retention over cycling (micro): ≤9 % (10 cycles)<" in page
    assert "particle size (multiscale): 3 ± 0.2 µm<" in page
    assert "µm µm" not in page and "% (10 cycles) %" not in page
    assert measurement_id(db, value_text="3 ± 0.2 µm") in page  # the link to the measurement itself


def test_property_keys_read_as_their_labels_and_can_be_typed_back():
    assert property_label("cycle_retention") == "capacity retention over cycling"
    assert property_label("first_cycle_ce") == "first-cycle Coulombic efficiency"
    for typed in ("First cycle coulombic efficiency", "first-cycle Coulombic efficiency", "first_cycle_ce"):
        assert property_key(typed) == "first_cycle_ce"
    assert property_key("cyclic stability") == "cycle_retention"  # Table 1's heading
    assert property_key("no such property") == "no such property"


def test_tables_show_property_labels_formulas_elements_and_short_unit_iris(site):
    measurements = site.get("/multiscale/measurements?material_id=si&source=table1").text
    assert (
        '<span class="mskg-property" title="first_cycle_ce">first-cycle Coulombic efficiency</span>'
        in measurements
    )
    assert (
        '<a class="mskg-iri" href="http://qudt.org/vocab/unit/PERCENT" '
        'title="http://qudt.org/vocab/unit/PERCENT">unit:PERCENT</a>'
    ) in measurements
    lfp = site.get("/multiscale/materials/lfp").text
    assert '<td class="col-formula type-str">LiFePO<sub>4</sub></td>' in lfp
    assert '<td class="col-elements type-str">Fe, Li, O, P</td>' in lfp
    assert '["Fe"' not in lfp


def test_formulas_get_subscripts_and_words_do_not():
    assert formula_html("LiNi0.8Co0.15Al0.05O2") == (
        "LiNi<sub>0.8</sub>Co<sub>0.15</sub>Al<sub>0.05</sub>O<sub>2</sub>"
    )
    assert (
        formula_html("α-Fe2O3 and LixFePO4")
        == "α-Fe<sub>2</sub>O<sub>3</sub> and Li<sub>x</sub>FePO<sub>4</sub>"
    )
    assert formula_html("Fe0") == "Fe0"  # iron metal, not a count of zero
    assert formula_html("silicon <b>") == "silicon &lt;b&gt;"


# -- canned questions ----------------------------------------------------------------------------------------


def test_every_canned_question_opens_on_an_example_with_an_answer(site):
    asked = [q for q in canned_queries().values() if q.params]
    assert {p for q in asked for p in q.params} <= set(EXAMPLES)
    for query in asked:
        opened = site.get(f"/multiscale/{query.name}")
        assert opened.status_code == 302
        target = opened.headers["location"]
        assert target == f"/multiscale/{query.name}?" + urllib.parse.urlencode(
            {p: EXAMPLES[p] for p in query.params}
        )
        rows = site.rows(target.replace(query.name, query.name + ".json", 1))
        assert rows, f"{query.name} opens on an example without an answer"
    # a parameter given, even empty, is the visitor's choice
    assert site.get("/multiscale/nano-vs-micro?property=").status_code == 200


def test_canned_questions_take_a_label_as_well_as_an_id(site):
    by_key = site.rows("/multiscale/nano-vs-micro.json?property=first_cycle_ce")
    assert len(by_key) == 14
    for label in ("First cycle coulombic efficiency", "first-cycle Coulombic efficiency"):
        assert (
            site.rows("/multiscale/nano-vs-micro.json?" + urllib.parse.urlencode({"property": label}))
            == by_key
        )
    by_id = site.rows("/multiscale/evidence-behind-a-fact.json?fact=ant-nest-si")
    by_label = site.rows(
        "/multiscale/evidence-behind-a-fact.json?"
        + urllib.parse.urlencode({"fact": "Ant-nest-like porous silicon microparticles"})
    )
    assert by_id and by_label == by_id


def test_the_home_page_links_each_question_with_its_example(site):
    links = hrefs(site.get("/").text)
    assert "/multiscale/nano-vs-micro?property=first_cycle_ce" in links
    assert "/multiscale/material?material=si" in links


# -- the measurements table ----------------------------------------------------------------------------------


def test_the_measurements_table_leads_with_what_a_reader_looks_for(site):
    page = site.get("/multiscale/measurements?material_id=si&property=first_cycle_ce&source=table1").text
    headers = re.findall(r'<th class="col-([\w-]+)( mskg-more)?"', page)
    shown = [name for name, more in headers if not more]
    assert shown == ["material_id", "scale", "property", "value", "conditions", "source"]
    hidden = {name for name, more in headers if more}
    assert {"id", "document_id", "start", "end", "unit_qudt", "quote", "value_min"} <= hidden
    assert '<td class="col-value">≥90 %</td>' in page
    assert '<td class="col-value">65–80 %</td>' in page
    assert 'id="mskg-more-columns"' in page  # the toggle
    assert page.index('class="table-wrapper"') < page.index('class="mskg-column-notes"')
    retention = site.get(
        "/multiscale/measurements?material_id=si&property=cycle_retention&source=table1"
    ).text
    assert '<td class="col-conditions">particles ≥1 µm; 10 cycles</td>' in retention


# -- charts --------------------------------------------------------------------------------------------------


def _bar(material: str, scale: str, low: float, cycles: int | None = None, rate: str | None = None) -> Bar:
    return Bar(material, material, material, scale, "=", low, low, "%", f"{low}", "", cycles, rate)


def test_an_axis_is_logarithmic_where_values_span_decades_and_percentages_stay_linear():
    capacities = [_bar("a", "nano", 72.0), _bar("b", "micro", 3000.0)]
    assert axis_for(capacities, "mAh g-1").log
    assert axis_for(capacities, "mAh g-1").ticks == (50.0, 100.0, 200.0, 500.0, 1000.0, 2000.0, 5000.0)
    assert not axis_for([_bar("a", "nano", 9.0), _bar("b", "micro", 95.0)], "%").log


def test_the_capacity_chart_is_logarithmic_so_cathodes_show(site):
    svg = site.get("/-/charts/gravimetric_capacity.svg").text
    assert "mAh g-1 (logarithmic axis)" in svg
    assert "(logarithmic axis)" not in site.get("/-/charts/first_cycle_ce.svg").text


def test_a_mark_where_nano_and_micro_were_measured_after_different_cycles_or_rates(site):
    assert mismatch(_bar("x", "nano", 90, cycles=100), _bar("x", "micro", 40, cycles=45)) == (
        "nano after 100 cycles, micro after 45"
    )
    assert mismatch(_bar("x", "nano", 90, rate="3 A g-1"), _bar("x", "micro", 40, rate="2 A g-1")) == (
        "nano at 3 A g-1, micro at 2 A g-1"
    )
    assert mismatch(_bar("x", "nano", 90, cycles=100), _bar("x", "micro", 40, cycles=100)) is None
    svg = site.get("/-/charts/cycle_retention.svg").text
    marks = re.findall(r"<g class='mismatch'><title>([^<]+)</title>", svg)
    assert marks == [
        "nano after 100 cycles, micro after 45: not like for like",
        "nano after 100 cycles, micro after 60: not like for like",
    ]
    page = site.get("/-/charts/cycle_retention").text
    assert "Co3O4: nano after 100 cycles, micro after 45" in page
    assert "nano at 3 A g-1, micro at 2 A g-1" in site.get("/-/charts/rate_retention.svg").text


def test_chart_labels_carry_subscripts_and_charts_fill_the_width(site):
    svg = chart_svg("first_cycle_ce", [_bar("Co3O4", "nano", 76.0)])
    assert "Co<tspan baseline-shift='sub' font-size='75%'>3</tspan>O<tspan" in svg
    css = site.get("/-/static-plugins/multiscale-kg/mskg.css").text
    assert ".mskg-chart svg { width: 100%; height: auto; }" in css


def test_the_charts_index_shows_a_preview_of_each_chart(site):
    page = site.get("/-/charts").text
    previews = re.findall(r'<img src="(/-/charts/\w+\.svg)"', page)
    assert previews == [f"/-/charts/{prop}.svg" for prop in HEADINGS]


# -- the home page and the server's paths --------------------------------------------------------------------


def test_the_home_page_lists_the_tables_people_want_first(site):
    page = site.get("/").text
    listed = re.findall(r'<li><a href="/multiscale/(\w+)">\1</a>', page)
    assert listed[:4] == ["materials", "measurements", "strategies", "drawbacks"]
    assert "derivation_premises" not in listed and "edges" not in listed
    assert "/multiscale" in hrefs(page)  # every table, one click away


def test_no_page_shows_where_the_build_lies_on_the_server(site, built):
    databases = site.get("/-/databases.json").json()
    assert [(d["name"], d["path"]) for d in databases] == [("multiscale", "multiscale.db")]
    for path in ("/-/databases", "/-/databases.json", "/multiscale.json", "/", "/-/metadata.json"):
        assert str(built) not in site.get(path).text, path
