"""Sentence spans: where a sentence ends (not after an abbreviation), and the sentence holding a position,
found by bisection in the spans and the same as scanning them."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from multiscale_kg.ingest.sentences import sentence_at, sentence_spans

TEXT = "Silicon swells (fig. 1a). It cracks, e.g. at 3 um.  Then SEI grows! 4 V is high"


def test_sentences_end_at_stops_not_after_abbreviations():
    assert [TEXT[s:e] for s, e in sentence_spans(TEXT)] == [
        "Silicon swells (fig. 1a).",
        "It cracks, e.g. at 3 um.",
        "Then SEI grows!",
        "4 V is high",
    ]


def test_the_sentence_at_a_position():
    assert TEXT[slice(*sentence_at(TEXT, 0))] == "Silicon swells (fig. 1a)."
    assert TEXT[slice(*sentence_at(TEXT, 24))] == "Silicon swells (fig. 1a)."
    assert TEXT[slice(*sentence_at(TEXT, 26))] == "It cracks, e.g. at 3 um."
    assert TEXT[slice(*sentence_at(TEXT, len(TEXT) - 1))] == "4 V is high"


def test_a_position_between_sentences_gets_the_whole_text():
    assert sentence_at(TEXT, 25) == (0, len(TEXT))  # the space after "1a)."
    assert sentence_at(TEXT, len(TEXT)) == (0, len(TEXT))


def _scanned(text: str, position: int) -> tuple[int, int]:
    return next(((s, e) for s, e in sentence_spans(text) if s <= position < e), (0, len(text)))


@settings(max_examples=500, derandomize=True)
@given(st.text(alphabet="aA1. !?(e.g", max_size=60), st.integers(min_value=0, max_value=61))
def test_bisection_finds_what_a_scan_finds(text, position):
    assert sentence_at(text, position) == _scanned(text, position)
