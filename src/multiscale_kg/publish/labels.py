"""What the pages show in place of keys: property labels, a measurement's value with its unit once, chemical
formulas with subscripts.

Property labels are the SKOS ``prefLabel`` of each property kind in ``schema/ontology.ttl`` (the RDF says the
same), so the site and the graph name a property alike. ``property_key`` reads any of the names a person
may type back to the key: the key itself, its label, Table 1's column heading, in any case, with spaces,
hyphens or underscores.
"""

from __future__ import annotations

import re
from functools import cache
from importlib.resources import files

import periodictable
import pyoxigraph as ox
from markupsafe import Markup, escape

from ..schema.vocab import TABLE1_COLUMNS

_PROPERTY_NS = "https://w3id.org/multiscale-kg/id/property/"
_PREF_LABEL = "http://www.w3.org/2004/02/skos/core#prefLabel"
#: units that are no unit: a dimensionless value is shown alone
_NO_UNIT = {"", "1"}


@cache
def property_labels() -> dict[str, str]:
    """Property key → its label (``first_cycle_ce`` → ``first-cycle Coulombic efficiency``)."""
    text = files("multiscale_kg.schema").joinpath("ontology.ttl").read_bytes()
    found = {}
    for triple in ox.parse(text, format=ox.RdfFormat.TURTLE):
        subject = triple.subject
        if (
            isinstance(subject, ox.NamedNode)
            and subject.value.startswith(_PROPERTY_NS)
            and triple.predicate.value == _PREF_LABEL
        ):
            found[subject.value[len(_PROPERTY_NS) :]] = triple.object.value
    return found


def property_label(key: str) -> str:
    return property_labels().get(key, key.replace("_", " "))


def _words(text: str) -> str:
    return " ".join(re.split(r"[\s_\-–]+", text.strip().lower()))


@cache
def _names() -> dict[str, str]:
    names = {_words(key): key for key in property_labels()}
    names |= {_words(label): key for key, label in property_labels().items()}
    names |= {_words(heading): prop.value for heading, prop in TABLE1_COLUMNS.items()}
    return names


def property_key(text: str | None) -> str | None:
    """The property key a person meant by ``text`` (a key, a label or a Table 1 heading); else ``text``."""
    if text is None:
        return None
    return _names().get(_words(text), text)


def value_with_unit(value_text: str | None, unit_printed: str | None, unit: str | None) -> str:
    """The value as printed, with its unit once: appended only when the printed value does not carry it."""
    value = (value_text or "").strip()
    shown_unit = (unit_printed or "").strip() or (unit or "").strip()
    if shown_unit in _NO_UNIT:
        return value
    carried = {u.strip().lower() for u in (unit_printed, unit) if u and u.strip()}
    if any(u in value.lower() for u in carried):
        return value
    return f"{value} {unit or shown_unit}".strip()


def measurement_label(
    prop: str, scale: str, value_text: str | None, unit_printed: str | None, unit: str | None
) -> str:
    """``first-cycle Coulombic efficiency (micro): ≥90 %``"""
    return f"{property_label(prop)} ({scale}): {value_with_unit(value_text, unit_printed, unit)}"


#: one element (or bracket) of a formula and the count after it: a number, or a variable (Li_x, O_4-δ)
_PART = re.compile(r"([A-Z][a-z]?|[()\[\]])([xyzαβδ](?:[-+]\d+)?|(?:[1-9]\d*|0)?(?:\.\d+)?)")
_TOKEN = re.compile(r"[A-Za-z0-9().\[\]αβδ]+")


def formula_parts(token: str) -> list[tuple[str, str]] | None:
    """``LiNi0.5Mn1.5O4`` → [("Li", ""), ("Ni", "0.5"), ("Mn", "1.5"), ("O", "4")]; None when ``token`` is
    not a formula (a word, an unknown symbol, a count of zero as in "Fe0")."""
    parts, position = [], 0
    for match in _PART.finditer(token):
        if match.start() != position:
            return None
        symbol, count = match.groups()
        if symbol not in "()[]" and not hasattr(periodictable, symbol):
            return None
        if count and count[0].isdigit() and float(count) == 0:
            return None
        parts.append((symbol, count))
        position = match.end()
    if position != len(token) or not any(count for _, count in parts):
        return None
    return parts


def formula_pieces(text: str) -> list[tuple[str, bool]]:
    """``text`` as pieces (text, is_subscript): the counts of every formula in it are subscripts."""
    pieces: list[tuple[str, bool]] = []
    position = 0
    for match in _TOKEN.finditer(text):
        parts = formula_parts(match.group())
        if parts is None:
            continue
        pieces.append((text[position : match.start()], False))
        for symbol, count in parts:
            pieces += [(symbol, False), (count, True)]
        position = match.end()
    pieces.append((text[position:], False))
    return [(piece, sub) for piece, sub in pieces if piece]


def formula_html(text: str) -> Markup:
    """``text`` as HTML with the counts of its formulas in ``<sub>``; everything escaped."""
    pieces = formula_pieces(text)
    return Markup("".join(f"<sub>{escape(p)}</sub>" if sub else str(escape(p)) for p, sub in pieces))
