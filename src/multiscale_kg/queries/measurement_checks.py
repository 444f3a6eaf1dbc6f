"""Another paper's values against a review's Table 1: one row per value whose material and property a Table 1
covers.

A document whose measurements include Table 1 rows (``source = table1``) is a review here. Every measurement
of another document, curated or automatic, whose property is a Table 1 column and whose material is a
Table 1 material (``same_material``) is placed against that row's nanoparticle and microparticle values:
``within`` the printed range, ``above`` or ``below`` it, or ``overlaps`` (a range or an open bound that
reaches outside it); its particle size, where printed, is placed the same way against the row's size
range. Values in another unit than Table 1's, or a scale Table 1 leaves empty, get no position, and the
note says why.

Reviews that print the same row (the same cells, to the printed value, unit, size range and conditions)
share one *reading* of it (``table1_rows``): a value is placed once against each reading, named after the
first other review that prints it, with the number of further reviews that print the same. A value placed
against every review's row one by one would make N reviews cost N² rows that say the same thing.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

from ..schema import KnowledgeBase
from ..schema.models import Measurement
from ..schema.vocab import TABLE1_COLUMNS, Scale, Source
from .claims import Bounds, printed

TABLE1_PROPERTIES = frozenset(prop.value for prop in TABLE1_COLUMNS.values())
SCALES = (Scale.NANO, Scale.MICRO)


def same_material(value: Measurement, table_row: Measurement) -> bool:
    """Does ``value`` (another paper's measurement) report on the material of a Table 1 row?

    Materials are matched by id: an automatic measurement names a material of its own document, and a
    material read from several documents is one id. A value with no material is no one's.
    """
    return value.material_id is not None and value.material_id == table_row.material_id


def position(value: Bounds, reference: Bounds) -> str:
    """Where ``value`` lies against ``reference``: above, below, within, or overlaps (partly outside)."""
    if value.low is not None and reference.high is not None and value.low > reference.high:
        return "above"
    if value.high is not None and reference.low is not None and value.high < reference.low:
        return "below"
    inside_low = reference.low is None or (value.low is not None and value.low >= reference.low)
    inside_high = reference.high is None or (value.high is not None and value.high <= reference.high)
    return "within" if inside_low and inside_high else "overlaps"


def size_bounds(m: Measurement) -> Bounds | None:
    """The particle size range a measurement states (an open end is None); None when it states none."""
    if m.size_min_nm is None and m.size_max_nm is None:
        return None
    return Bounds(m.size_min_nm, m.size_max_nm)


def _nm(value: Decimal | None) -> str:
    return "" if value is None else f"{value.normalize():f}"


def _size_text(bounds: Bounds) -> str:
    if bounds.low is None:
        return f"≤{_nm(bounds.high)} nm"
    if bounds.high is None:
        return f"≥{_nm(bounds.low)} nm"
    if bounds.low == bounds.high:
        return f"{_nm(bounds.low)} nm"
    return f"{_nm(bounds.low)}–{_nm(bounds.high)} nm"


@dataclass(frozen=True)
class ScaleComparison:
    """The value against one scale's Table 1 cell."""

    row: Measurement | None
    value: str | None  # within, above, below, overlaps; None when not comparable
    size: str | None  # the same for the particle size; None when either size is unknown
    note: str


@dataclass(frozen=True)
class Reading:
    """What a comparison reads of one measurement. Each is worked out once per measurement: a value meets
    every review's Table 1, and a Table 1 cell meets the values of every other document."""

    bounds: Bounds
    size: Bounds | None
    size_text: str  # "" when no size is printed
    printed: str

    @classmethod
    def of(cls, m: Measurement) -> Reading:
        size = size_bounds(m)
        return cls(Bounds.of(m), size, "" if size is None else _size_text(size), printed(m))


class Readings(dict[str, Reading]):
    """measurement id → its Reading, worked out when first asked for."""

    def read(self, m: Measurement) -> Reading:
        found = self.get(m.id)
        if found is None:
            found = self[m.id] = Reading.of(m)
        return found


def compare(m: Measurement, scale: Scale, row: Measurement | None, readings: Readings) -> ScaleComparison:
    if row is None:
        return ScaleComparison(None, None, None, f"Table 1 gives no {scale.value} value")
    theirs = readings.read(row)
    if m.unit != row.unit:
        return ScaleComparison(
            row, None, None, f"not compared with {scale.value} {theirs.printed} {row.unit} (another unit)"
        )
    mine = readings.read(m)
    found = position(mine.bounds, theirs.bounds)
    note = f"{found} {scale.value} {theirs.printed}"
    size = position(mine.size, theirs.size) if mine.size is not None and theirs.size is not None else None
    if size is not None:
        note += f" (particles {mine.size_text}: {size} {theirs.size_text})"
    return ScaleComparison(row, found, size, note)


def conditions(m: Measurement, row: Measurement) -> str:
    """The conditions in which the value and a Table 1 cell differ: "rate 0.1C vs not stated"."""
    return ", ".join(
        f"{name} {own or 'not stated'} vs {other or 'not stated'}"
        for name, own, other in (
            ("cycles", m.cycles, row.cycles),
            ("rate", m.rate_condition, row.rate_condition),
        )
        if own != other
    )


@dataclass(frozen=True)
class MeasurementCheck:
    id: str
    measurement: Measurement
    review_document_id: str  # the first review other than the value's own that prints the row
    material_id: str
    reading: str  # the id of the first review's row of the reading (``table1_rows``)
    other_reviews: int  # further reviews, besides the named one and the value's own, that print the same
    nano: ScaleComparison
    micro: ScaleComparison
    note: str


def table1_cells(kb: KnowledgeBase) -> dict[str, dict[tuple[str, str, Scale], Measurement]]:
    """review document → (material, property, scale) → its Table 1 cell."""
    cells: dict[str, dict[tuple[str, str, Scale], Measurement]] = {}
    for m in kb.measurements:
        if m.source is Source.TABLE1 and m.material_id is not None and m.scale is not None:
            cells.setdefault(m.document_id, {})[(m.material_id, m.property.value, m.scale)] = m
    return cells


@dataclass(frozen=True)
class Table1Row:
    """One review's Table 1 row for a material and property: its nano and micro cells (either may be
    missing) and the reading it belongs to."""

    id: str  # review--material--property
    review_document_id: str
    material_id: str
    property: str
    nano: Measurement | None
    micro: Measurement | None
    reading: str  # the id of the first row (in review order) that prints the same cells


def _cell_key(m: Measurement | None, readings: Readings) -> tuple | None:
    """What a comparison and its note read of a cell: equal keys compare every value alike."""
    if m is None:
        return None
    r = readings.read(m)
    return (m.qualifier, m.value_min, m.value_max, m.unit, r.printed, r.size, m.cycles, m.rate_condition)


def row_id(review: str, material: str, prop: str) -> str:
    return f"{review}--{material}--{prop}"


def table1_rows(
    kb: KnowledgeBase, readings: Readings | None = None
) -> dict[tuple[str, str], list[Table1Row]]:
    """(material, property) → every review's row of it, in review order, each with its reading."""
    readings = Readings() if readings is None else readings
    rows: dict[tuple[str, str], list[Table1Row]] = {}
    for review, cells in sorted(table1_cells(kb).items()):
        pairs = sorted({(material, prop) for material, prop, _ in cells})
        for material, prop in pairs:
            nano, micro = (cells.get((material, prop, scale)) for scale in SCALES)
            rows.setdefault((material, prop), []).append(
                Table1Row(row_id(review, material, prop), review, material, prop, nano, micro, "")
            )
    for found in rows.values():
        first: dict[tuple, str] = {}
        for k, row in enumerate(found):
            key = (_cell_key(row.nano, readings), _cell_key(row.micro, readings))
            found[k] = dataclasses.replace(row, reading=first.setdefault(key, row.id))
    return rows


def _note(
    m: Measurement,
    check: tuple[str, int],
    material: str,
    nano: ScaleComparison,
    micro: ScaleComparison,
    mine: Reading,
) -> str:
    """The check in words: "162 mAh g-1 for lfp (40–60 nm) against Table 1 of nano-vs-micro: within nano
    130–169 (...); above micro 72–115 (...); conditions: rate 0.1C vs not stated"."""
    review, others = check
    subject = material + (f" ({mine.size_text})" if mine.size is not None else "")
    parts = [nano.note, micro.note]
    differ = {conditions(m, side.row) for side in (nano, micro) if side.row is not None and side.value}
    if len(differ) == 1 and differ != {""}:
        parts.append(f"conditions: {differ.pop()}")
    elif len(differ) > 1:
        parts += [
            f"{scale} conditions: {conditions(m, side.row) or 'the same'}"
            for scale, side in (("nano", nano), ("micro", micro))
            if side.row is not None and side.value
        ]
    plural = "s" if others > 1 else ""
    also = f" (and of {others} other review{plural} printing the same row)" if others else ""
    lead = f"{mine.printed} {m.unit or ''}".rstrip() + f" for {subject} against Table 1 of {review}{also}: "
    return lead + "; ".join(parts)


def measurement_checks(kb: KnowledgeBase) -> Iterator[MeasurementCheck]:
    """Every value of a document placed against each reading of its material and property's Table 1 row that
    another document prints, in measurement id order, then reading order."""
    readings = Readings()
    rows = table1_rows(kb, readings)
    # reading → the reviews that print it, in order: the first other than the value's own names a check, and
    # the rest are counted (a set answers whether the value's own document is one of them)
    by_reading = {pair: _group(found) for pair, found in rows.items()}
    for m in sorted(kb.measurements, key=lambda m: m.id):
        prop = m.property.value
        if prop not in TABLE1_PROPERTIES or m.material_id is None:
            continue
        material = m.material_id
        for reading, (printers, reviews) in by_reading.get((material, prop), {}).items():
            own = m.document_id in reviews
            if own and len(printers) == 1:
                continue
            named = printers[1] if printers[0].review_document_id == m.document_id else printers[0]
            others = len(printers) - 1 - own
            nano = compare(m, Scale.NANO, named.nano, readings)
            micro = compare(m, Scale.MICRO, named.micro, readings)
            review = named.review_document_id
            yield MeasurementCheck(
                id=f"{m.id}--{review}--{material}",
                measurement=m,
                review_document_id=review,
                material_id=material,
                reading=reading,
                other_reviews=others,
                nano=nano,
                micro=micro,
                note=_note(m, (review, others), material, nano, micro, readings.read(m)),
            )


def _group(rows: list[Table1Row]) -> dict[str, tuple[list[Table1Row], frozenset[str]]]:
    """reading → its rows in review order, and the set of their reviews."""
    grouped: dict[str, list[Table1Row]] = {}
    for row in rows:
        grouped.setdefault(row.reading, []).append(row)
    return {
        reading: (found, frozenset(row.review_document_id for row in found))
        for reading, found in grouped.items()
    }
