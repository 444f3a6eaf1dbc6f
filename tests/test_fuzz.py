"""Property tests of the parsers: whatever the input, no exception but the project's own error types, offsets
always inside the text, and what a result says it printed is what the text prints there.

The Table 1 row parser, the citation marker finder, the prose quantity parser and the quote matcher each get
2,000 examples (derandomized, so every run tries the same ones). ``pytest -m fuzz`` selects these tests only
and gives each 20,000 fresh random examples (``MSKG_FUZZ_EXAMPLES`` sets another number).
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Sequence
from functools import cache
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from multiscale_kg.errors import IngestError
from multiscale_kg.ingest.citations import MarkerError, expand_numbers, find_markers
from multiscale_kg.ingest.cleantext import clean, word_counts
from multiscale_kg.ingest.documents import read_document
from multiscale_kg.ingest.layout import regions
from multiscale_kg.ingest.material_text import _WholeWords
from multiscale_kg.ingest.quantities import Kind, find_quantities
from multiscale_kg.ingest.quotes import QuoteIndex, fold, normalise_quote
from multiscale_kg.ingest.structure import parse_structure
from multiscale_kg.ingest.table import parse_table1
from multiscale_kg.schema import Passage, PassageKind
from multiscale_kg.schema.vocab import Qualifier

pytestmark = pytest.mark.fuzz

ARTICLE = Path(__file__).resolve().parent.parent / "corpus" / "nano-vs-micro"
DEFAULT_EXAMPLES = 2_000
FUZZ_EXAMPLES = 20_000


def run(request: pytest.FixtureRequest, test: Callable[..., None]) -> None:
    """Run a @given test with this session's budget: the default, or the larger one under ``-m fuzz``."""
    fuzzing = "fuzz" in (request.config.option.markexpr or "")
    examples = int(os.environ.get("MSKG_FUZZ_EXAMPLES", FUZZ_EXAMPLES)) if fuzzing else DEFAULT_EXAMPLES
    settings(
        max_examples=examples,
        deadline=None,
        derandomize=not fuzzing,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )(test)()


def pieces(joined: str) -> list[str]:
    """Text pieces a strategy strings together, written as one "|"-separated string."""
    return joined.split("|")


def line_count(text: str) -> int:
    return text.count("\n") + 1


@cache
def article() -> tuple[str, tuple[Passage, ...]]:
    source = read_document(ARTICLE)
    text = source.text
    _, passages = parse_structure(source.document.id, text, regions(text), word_counts(text))
    return text, tuple(passages)


# ---- Table 1 rows ------------------------------------------------------------------------------------------

NUMBER = st.one_of(
    st.integers(0, 2_000).map(str),
    st.integers(1_000, 99_999).map(lambda n: f"{n:,}"),
    st.decimals(0, 1_000, places=2, allow_nan=False).map(str),
)
VALUE = st.one_of(
    NUMBER,
    st.tuples(NUMBER, NUMBER).map("–".join),
    st.tuples(st.sampled_from("≤≥<>~"), NUMBER).map("".join),
    st.tuples(st.sampled_from("≤≥"), NUMBER, NUMBER).map(lambda t: f"{t[0]}{t[1]}–{t[2]}"),
)
CONDITION = st.sampled_from(
    [
        "",
        " (50 cycles)",
        " (100 cycles)",
        " (7C)",
        " (0.5 C)",
        " (1.37 A g–1)",
        " (5 Zz g–1)",
        " (cycles)",
        " ()",
    ]
)
CELL = st.one_of(
    st.just("–"),
    st.tuples(
        VALUE, st.sampled_from(["", "%", " %"]), CONDITION, st.sampled_from(["", "", "a", "b", "c"])
    ).map("".join),
    st.text(st.sampled_from("0123456789,.–-%()≤≥~ aOcyles"), min_size=1, max_size=8).map(str.strip),
)
MATERIAL = st.one_of(
    st.tuples(
        st.sampled_from(["LCO", "LFP", "Si", "C", "Nb", "X"]),
        st.sampled_from(["1", "112", "113–115", "49,63", "9–3"]),
    ).map("".join),
    st.tuples(
        st.sampled_from(["FeF3", "Fe2O3", "C–S"]), st.sampled_from(["ref.119", "refs.49,123–125", "ref.5–2"])
    ).map(lambda t: f"{t[0]} ({t[1]})"),
    st.text(st.sampled_from("ABCLOab123(),.– "), min_size=1, max_size=10).map(str.strip),
)
SIZE = st.one_of(
    st.tuples(VALUE, st.sampled_from([" nm", " µm", " μm", " mm", " xm", " mAh", " %", ""])).map("".join),
    st.sampled_from(["Bulk", "Nanosheets", "nm"]),
)
ROW = st.one_of(
    st.tuples(
        st.sampled_from(["", "Cathode ", "Anode ", "cathode ", "Electrode "]),
        st.one_of(st.just(""), MATERIAL.map(lambda m: m + " ")),
        SIZE,
        st.lists(CELL, min_size=0, max_size=7),
    ).map(lambda t: f"{t[0]}{t[1]}{t[2]} {' '.join(t[3])}".strip() or "–"),
    st.text(
        st.characters(
            blacklist_categories=("Cs",), blacklist_characters="\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"
        ),
        min_size=1,
        max_size=40,
    ).filter(str.strip),
)


@cache
def table_frame() -> tuple[list[tuple[PassageKind, str]], list[tuple[PassageKind, str]]]:
    """The article's Table 1 title and headers, and its footnotes, as printed."""
    text, passages = article()
    parts = [(p.kind, text[p.start : p.end]) for p in passages if p.kind.value.startswith("table")]
    head = [part for part in parts if part[0] in (PassageKind.TABLE_TITLE, PassageKind.TABLE_HEADER)]
    notes = [part for part in parts if part[0] is PassageKind.TABLE_FOOTNOTE]
    return head, notes


def table_document(rows: list[str]) -> tuple[str, list[Passage]]:
    """A document of Table 1: the article's title and headers, the given rows, its footnotes."""
    head, notes = table_frame()
    parts = [*head, *((PassageKind.TABLE_ROW, row) for row in rows), *notes]
    text, passages = "", []
    for ordinal, (kind, printed) in enumerate(parts):
        start = len(text)
        text += printed + "\n\n"
        passages.append(
            Passage(
                id=f"fuzz-p{ordinal:03d}",
                document_id="fuzz",
                section_id=None,
                kind=kind,
                ordinal=ordinal,
                text=" ".join(printed.split()),
                start=start,
                end=start + len(printed),
            )
        )
    return text, passages


def test_table_rows(request):
    @given(st.lists(ROW, min_size=1, max_size=3))
    def check(rows):
        text, passages = table_document(rows)
        try:
            table = parse_table1("fuzz", text, passages, "fuzz.txt")
        except IngestError as error:
            assert error.problems
            for problem in error.problems:
                assert problem.file == "fuzz.txt"
                assert 1 <= problem.line <= line_count(text)
                assert problem.message
            return
        assert table is not None
        spans = {p.id: (p.start, p.end) for p in passages if p.kind is PassageKind.TABLE_ROW}
        for material in table.materials:
            assert 0 <= material.start < material.end <= len(text)
            assert text[material.start : material.end] == material.name
        for m in table.measurements:
            start, end = spans[m.passage_id]
            assert start <= m.start < m.end <= end
            assert text[m.start : m.end] == m.quote == m.value_text
            assert (m.value_start, m.value_end) == (m.start, m.end)
            if m.value_min is not None and m.value_max is not None:
                assert m.value_min <= m.value_max

    run(request, check)


# ---- citation markers --------------------------------------------------------------------------------------

CITATION_TEXT = st.one_of(
    st.text(st.sampled_from("refs.Rf 0123456789,–-()+−LiFeOCSNbWMxyλ"), max_size=40),
    st.lists(
        st.sampled_from(
            pieces(
                "ref.|refs.|Refs. |(refs.|)|(|1|12|138|0|,|–|-| |word|LCO|Li4Ti5O12|MO6|(M = Nb, W)|Li+|W5+|"
                "λ|Fe0|x|step|(3D architecture)"
            )
        ),
        max_size=12,
    ).map("".join),
    st.text(max_size=30),
)


def test_citation_markers(request):
    @given(CITATION_TEXT, st.sampled_from([frozenset(), frozenset({"M"})]))
    def check(text, placeholders):
        try:
            markers = find_markers(text, placeholders)
        except MarkerError as error:
            assert 0 <= error.offset < len(text)
            return
        previous_end = 0
        for marker in markers:
            assert 0 <= marker.start < marker.end <= len(text)
            assert text[marker.start : marker.end] == marker.marker
            assert marker.start >= previous_end  # in text order, none inside another
            previous_end = marker.end
            digits = re.sub(r"^[Rr]efs?\.\s?", "", marker.marker)
            assert tuple(expand_numbers(digits)) == marker.numbers
            assert marker.numbers

    run(request, check)


# ---- prose quantities --------------------------------------------------------------------------------------

QUANTITY_TEXT = st.one_of(
    st.lists(
        st.sampled_from(
            pieces(
                "1|20|0.5|1,000|3.| | |–|-|−|~|≈|<|≥|±|×|about |up to | to | and |, |mAh g–1|nm|µm|-nm|%| %|"
                "C|-fold| times|cycles|wt%|US$|kWh–1|x| < x < |million|Li/Ti |fig. |Table |(|)|refs.|"
                "Li4Ti5O12|2030|h|S cm–1"
            )
        ),
        max_size=14,
    ).map("".join),
    st.text(max_size=30),
)


def test_quantities(request):
    @given(QUANTITY_TEXT)
    def check(text):
        quantities = find_quantities(text)  # documented never to raise
        previous_end = 0
        for q in quantities:
            assert previous_end <= q.start < q.end <= len(text)  # in order, not overlapping
            previous_end = q.end
            assert text[q.start : q.end] == q.printed
            assert q.kind in {k.value for k in Kind}
            assert q.qualifier in {v.value for v in Qualifier}
            assert (q.unit is not None) == (q.kind in (Kind.MEASURE, Kind.C_RATE))
            # no order of value_min and value_max: a range keeps its bounds as printed ("11–1" gives 11, 1)

    run(request, check)


# ---- quotes ------------------------------------------------------------------------------------------------


class Cleaned:
    """A document's passages, its vocabulary and each passage's map from clean to original offsets."""

    def __init__(self, text: str, passages: Sequence[Passage]):
        self.text, self.vocabulary = text, word_counts(text)
        self.passages = {p.id: p for p in passages}
        self.origins = {p.id: clean(text, p.start, p.end, self.vocabulary).origin for p in passages}
        self.index = QuoteIndex(text, passages)


@cache
def cleaned_article() -> Cleaned:
    return Cleaned(*article())


def assert_match_is_the_quote(document: Cleaned, quote: str, whole_words: bool) -> list:
    """Every match lies in its passage, its clean span is the quote, and its original span is what that clean
    span maps back to. When the quote is whole words, the clean text of the original span is the quote too.
    (Not so for a cut inside a word the extractor broke with a space: "Coulom bic" is "Coulombic" in its
    passage, but a quote ending in "Coulomb" spans "Coulom b", whose own clean text keeps the space.)"""
    needle = normalise_quote(quote)
    matches = document.index.find_all(quote)
    for m in matches:
        passage, origin = document.passages[m.passage_id], document.origins[m.passage_id]
        assert passage.start <= m.start < m.end <= passage.end
        assert fold(passage.text[m.clean_start : m.clean_end]) == needle
        assert (m.start, m.end) == (origin[m.clean_start], origin[m.clean_end - 1] + 1)
        if whole_words:
            assert fold(clean(document.text, m.start, m.end, document.vocabulary).text) == needle
    return matches


def whole_words(clean_text: str, start: int, end: int) -> tuple[int, int]:
    """[start, end) widened to whole words of ``clean_text``."""
    while start > 0 and clean_text[start - 1].isalnum() and clean_text[start].isalnum():
        start -= 1
    while end < len(clean_text) and clean_text[end - 1].isalnum() and clean_text[end].isalnum():
        end += 1
    return start, end


def found_at(matches: list, passage_id: str, start: int, length: int) -> bool:
    """A match at the quote's own place, or one overlapping it (occurrences are counted without overlap)."""
    return any(
        m.passage_id == passage_id and m.clean_start < start + length and start < m.clean_end for m in matches
    )


def test_quotes_cut_from_the_article_are_found_where_they_were_cut(request):
    _, passages = article()
    document = cleaned_article()

    @given(st.sampled_from(passages), st.data())
    def check(passage, data):
        size = len(passage.text)
        start = data.draw(st.integers(0, max(0, size - 1)))
        # a few words at least, as curators quote: a single letter matches thousands of times
        end = data.draw(st.integers(min(size, start + 8), min(size, start + 120)))
        widen = data.draw(st.booleans())
        if widen:
            start, end = whole_words(passage.text, start, end)
        quote = passage.text[start:end]
        if not quote.strip():
            return
        matches = assert_match_is_the_quote(document, quote, whole_words=widen)
        lead = len(quote) - len(quote.lstrip())
        assert found_at(matches, passage.id, start + lead, len(quote.strip()))

    run(request, check)


def test_any_quote_on_the_article(request):
    document = cleaned_article()

    @given(
        st.one_of(st.text(max_size=20), st.text(st.sampled_from("the nano-micro –‐“”’ \n\tµμ"), max_size=20))
    )
    def check(quote):
        assert_match_is_the_quote(document, quote, whole_words=False)

    run(request, check)


# NUL aside: the quote index separates passages with it, so a quote holding one is never found
DOCUMENT_TEXT = st.text(
    st.one_of(
        st.sampled_from(list("ab -–—‐\n \t.,’“”µμ−")),
        st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
    ),
    min_size=1,
    max_size=60,
)


def test_quotes_in_any_document(request):
    @given(DOCUMENT_TEXT, st.data())
    def check(text, data):
        cleaned = clean(text, 0, len(text), word_counts(text))
        passage = Passage(
            id="fuzz-p000",
            document_id="fuzz",
            section_id=None,
            kind=PassageKind.PARAGRAPH,
            ordinal=0,
            text=cleaned.text,
            start=0,
            end=len(text),
        )
        document = Cleaned(text, [passage])
        if not cleaned.text.strip():
            assert document.index.find_all(cleaned.text) == []
            return
        start = data.draw(st.integers(0, len(cleaned.text) - 1))
        end = data.draw(st.integers(start + 1, len(cleaned.text)))
        widen = data.draw(st.booleans())
        if widen:
            start, end = whole_words(cleaned.text, start, end)
        quote = cleaned.text[start:end]
        if not quote.strip():
            return
        matches = assert_match_is_the_quote(document, quote, whole_words=widen)
        lead = len(quote) - len(quote.lstrip())
        assert found_at(matches, passage.id, start + lead, len(quote.strip()))

    run(request, check)


# ---- a material's name as whole words ----------------------------------------------------------------------

WORD_TEXT = st.lists(st.sampled_from(pieces("a|A|b|ab|Ab|aB| |-|1|9|_|é|É|.|ſ|ı|I")), max_size=20).map(
    "".join
)


def test_whole_words_finds_what_the_bounded_pattern_finds(request):
    """Searching for the phrase first and trying the whole-word pattern where it occurs finds every span the
    whole-word pattern finds on its own, overlapping occurrences and case-folded letters included."""

    @given(st.tuples(WORD_TEXT.filter(bool), WORD_TEXT))
    @example(("a a", "ba a a"))  # the first occurrence is not whole words, the one it overlaps is
    def test(case):
        phrase, text = case
        found = list(_WholeWords(phrase).spans(text))
        assert found == [m.span() for m in _WholeWords(phrase).bounded.finditer(text)]

    run(request, test)
