"""The site over several documents: the data-source line lists them, the home page and the documents table
link each to its page (metadata with what is checked, sections, tables as printed, extracted values with
their Table 1 checks, references), tables get a document facet and charts a document choice.

One build of the review plus the test documents of ``fixtures/documents`` (``built_documents``), served
in-process by ``test_publish.Site``. Expected values come from the fixture texts (``test_documents.py``
reads them the same way) and from the review's Table 1.
"""

from __future__ import annotations

import html
import re

import pytest

from multiscale_kg.ingest.documents import read_document

from .conftest import ARTICLE, TEST_DOCUMENTS
from .test_publish import Site, hrefs

SI, GARNET, REVIEW = "yolk-shell-si-anode", "garnet-lfp-cathode", "nano-vs-micro"
TITLES = {
    name: read_document(folder).document.title
    for name, folder in ((GARNET, TEST_DOCUMENTS / GARNET), (SI, TEST_DOCUMENTS / SI), (REVIEW, ARTICLE))
}


@pytest.fixture(scope="module")
def site(built_documents, documents_corpus):
    site = Site(built_documents, corpus=documents_corpus)
    yield site
    site.close()


def text_of(page: str) -> str:
    """The page's words, tags dropped and spaces collapsed."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())


def after(page: str, marker: str) -> str:
    """The page from just after ``marker`` on."""
    return page[page.index(marker) + len(marker) :]


def test_the_data_source_line_lists_every_document(site):
    page = site.get("/").text
    footer = text_of(page[page.index("Data source:") :])
    assert footer.startswith(
        f"Data source: {TITLES[GARNET]} (2024); Jain et al. {TITLES[REVIEW]}. Nature Reviews Materials 7, "
        f"736–746 (2022); {TITLES[SI]} (2024)"
    )
    assert '<a href="/-/documents">' in page


def test_the_home_page_and_the_documents_table_link_every_document_page(site):
    pages = [f"/-/documents/{d}" for d in (GARNET, REVIEW, SI)]
    home = hrefs(site.get("/").text)
    assert all(home.count(page) == 2 for page in pages)  # the description and the documents list
    table = hrefs(site.get("/multiscale/documents").text)
    assert [h for h in table if h.startswith("/-/documents/")] == pages
    assert "/-/documents" in hrefs(site.get("/-/charts").text)  # the menu


def test_the_documents_list_counts_what_was_read(site):
    page = text_of(site.get("/-/documents").text)
    # title id, year, type, sections, tables, curated + automatic values, references, citations
    assert f"{TITLES[GARNET]} {GARNET} 2024 Research article 6 2 0 + 43 17 20" in page
    assert f"{TITLES[SI]} {SI} 2024 Research article 11 1 0 + 53 17 20" in page
    assert f"{TITLES[REVIEW]} {REVIEW} 2022 Perspective" in page


def test_a_document_page_shows_metadata_with_its_status(site):
    page = text_of(site.get(f"/-/documents/{GARNET}").text)
    assert f"title {TITLES[GARNET]} unchecked" in page
    assert "journal missing" in page and "doi missing" in page
    assert "article_type Research article unchecked year 2024 unchecked" in page
    review = text_of(site.get(f"/-/documents/{REVIEW}").text)
    assert "journal Nature Reviews Materials checked" in review
    assert "doi 10.1038/s41578-022-00454-9 unchecked" in review


def test_a_document_page_shows_sections_and_tables_as_printed(site):
    page = site.get(f"/-/documents/{GARNET}").text
    words = text_of(page)
    assert "Sections Introduction INTRODUCTION at 445 EXPERIMENTAL SECTION at 984" in words
    assert (
        "Table 2 Transport properties of the garnet electrolytes at 25 °C read as cells: 3 rows × 5 columns "
        "Electrolyte Ga content (wt%) Relative density (%) Ionic conductivity (S cm−1) "
        "Activation energy (eV) LLZO (tetragonal) 0 88 2.1 × 10−6 0.52 Ga-LLZO 1.5 94 1.3 × 10−3 0.31"
    ) in words
    assert "Table 3 Synthesis routes compared in this work" in words
    assert "read as text; no column-separated header and rows; kept as text" in words
    si = text_of(site.get(f"/-/documents/{SI}").text)
    assert "Si@void@C 3000–5000 1320 84.9 86.4" in si


def test_a_document_page_shows_extracted_values_and_their_table1_check(site):
    page = site.get(f"/-/documents/{GARNET}").text
    words = text_of(page)
    assert "43 values, curated first; 1 compared with a review's Table 1" in words
    check = f"{GARNET}-q0006--{REVIEW}--lfp"
    assert f'<a href="/multiscale/measurement_checks/{check}"' in page
    assert "151 mAh g-1 151 mAh g(-1) gravimetric_capacity" in words
    assert "nano within, micro above" in words
    # Table 2's cells: powers of ten as stored and as printed, the row's material
    assert "0.0013 S cm-1 1.3 × 10−3 ionic_conductivity Li6.4Ga0.2La3Zr2O12 automatic, table" in words
    assert "2.1e-06 S cm-1 2.1 × 10−6 ionic_conductivity Li7La3Zr2O12 automatic, table" in words
    assert "1e-14 cm2 s-1" in words  # "10−14 cm2·s−1"


def test_a_document_page_shows_its_references(site):
    words = text_of(site.get(f"/-/documents/{GARNET}").text)
    assert (
        "5 Yamada, A., Chung, S. C., Hinokuma, K. Optimized LiFePO4 for Lithium Battery Cathodes "
        "J. Electrochem. Soc. 2001 148 A224–A229"
    ) in words
    assert "10.1021/cm5008069" in words
    assert site.get("/-/documents/no-such-document").status_code == 404


def facet(site, table: str, column: str) -> dict[str, int]:
    found = site.get(f"/multiscale/{table}.json").json()["facet_results"][column]["results"]
    return {row["value"]: row["count"] for row in found}


def test_tables_have_a_document_facet(site):
    measurements = site.get("/multiscale/measurements.json?_size=0").json()
    assert "document_id" in measurements["facet_results"]
    counts = facet(site, "measurements", "document_id")
    assert counts == {REVIEW: 171, SI: 53, GARNET: 43}
    assert facet(site, "refs", "document_id")[GARNET] == 17
    assert facet(site, "document_tables", "document_id") == {REVIEW: 1, GARNET: 2, SI: 1}
    assert facet(site, "citations", "document_id") == {REVIEW: 242, GARNET: 20, SI: 20}


def test_a_material_page_shows_other_papers_values_against_table1(site):
    page = site.get("/multiscale/materials/lfp").text
    section = text_of(after(page, '<h2 id="mskg-measurement-checks">'))
    assert section.startswith(
        "Other papers' values against Table 1 Each value another paper reports for this material"
    )
    assert (
        f"gravimetric_capacity 151 mAh g-1 automatic {TITLES[GARNET]} 130–169 within 72–115 above "
        "151 mAh g-1 for lfp against Table 1 of nano-vs-micro: within nano 130–169; above micro 72–115; "
        "conditions: rate 0.1C vs not stated"
    ) in section
    assert 'id="mskg-measurement-checks"' not in site.get("/multiscale/materials/si").text


def test_a_chart_lists_other_papers_values_and_takes_a_document(site):
    page = site.get("/-/charts/gravimetric_capacity").text
    others = text_of(after(page, '<h2 id="other-papers">'))
    assert others.startswith(
        f"Other papers' values against this Table 1 material value paper nano micro note lfp 151 mAh g-1 "
        f"automatic {TITLES[GARNET]} 130–169 within 72–115 above"
    )
    assert 'class="mskg-facet"' not in page  # one document has a Table 1: nothing to choose
    chosen = site.get(f"/-/charts/gravimetric_capacity?document={REVIEW}").text
    bars = re.compile(r"<g class='bar (\w+)' data-material='([\w-]+)'")
    assert bars.findall(chosen) == bars.findall(page)
    assert f"document_id={REVIEW}" in chosen
    against_review = text_of(after(chosen, '<h2 id="other-papers">'))
    assert f"lfp 151 mAh g-1 automatic {TITLES[GARNET]} 130–169 within 72–115 above" in against_review
    missing = site.get(f"/-/charts/gravimetric_capacity?document={GARNET}")
    assert missing.status_code == 404
    assert f"document '{GARNET}' has no Table 1 values of gravimetric_capacity" in text_of(missing.text)
