"""annotations.yaml → Annotations: the curated causal web, every statement checked against the text.

Each entity and relation carries quotes. A quote is looked up in the passages' clean text (dashes, quotes
and whitespace folded, see ``quotes``), must occur exactly once unless ``occurrence: N`` picks one, and
becomes Evidence with original offsets and the reference numbers cited in the sentence(s) it lies in. A prose
measurement or context fact names a quantity as printed inside its quote; ``quantities.find_quantities``
parses it, so values and units are never typed in. Every problem of the file is collected with the YAML line
of its item or key and raised as one IngestError. The format: docs/annotations.md.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from difflib import get_close_matches
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError
from yaml.constructor import SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from ..errors import IngestError, Problem, compose_yaml, display_path, yaml_problem
from ..ids import slugify
from ..schema.knowledge import (
    RELATION_KINDS,
    Advantage,
    Annotations,
    Cause,
    Claim,
    ContextFact,
    Domain,
    Drawback,
    DrawbackKind,
    EntityKind,
    Evidence,
    Feature,
    Mechanism,
    QuantityUse,
    Relation,
    RelationType,
    Strategy,
    entity_fields,
)
from ..schema.models import Citation, Measurement, Passage, Slug
from ..schema.units import DIMENSIONLESS, registry
from ..schema.vocab import Property, Qualifier, Scale, Source
from .cleantext import CleanText, clean, word_counts
from .quantities import Kind, Quantity, find_quantities
from .quotes import QuoteIndex, normalise_quote
from .sentences import sentence_spans

ANNOTATIONS_NAME = "annotations.yaml"
#: quantity kinds with no unit of their own: bound to a property, they are dimensionless ratios
_RATIO_KINDS = {Kind.RATIO, Kind.COMPOSITION_RANGE, Kind.NUMBER}


# ---- what an item of each section may say (unknown keys are errors) ---------------------------------------


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class _QuoteItem(_Strict):
    quote: str
    occurrence: int | None = Field(None, ge=1)


class _Item(_Strict):
    quote: str | None = None
    occurrence: int | None = Field(None, ge=1)
    quotes: list[str | _QuoteItem] = []


class _Entity(_Item):
    id: Slug
    label: str


class _Mechanism(_Entity):
    description: str | None = None
    domain: Domain
    favours: Scale | None


class _Advantage(_Entity):
    scale: Scale


class _Drawback(_Entity):
    scale: Scale | None
    kind: DrawbackKind = DrawbackKind.DRAWBACK


class _Strategy(_Entity):
    family: bool = False
    #: the quote that shows the text only proposes the strategy
    prospect: str | None = None


class _Claim(_Entity):
    statement: str
    property: Property | None = None
    better_scale: Scale | None = None


class _Context(_Entity):
    reason: str
    quantity: str | None = None


class _Relation(_Item):
    subject: str
    relation: RelationType
    object: str
    note: str | None = None


class _Measurement(_Item):
    quantity: str
    material: str
    strategy: str | None = None
    scale: Scale
    property: Property
    condition: str | None = None
    cycles: int | None = Field(None, ge=1)
    particle_size: str | None = None


#: section → the schema of its items
_SECTIONS: dict[str, type[_Item]] = {
    "mechanisms": _Mechanism,
    "advantages": _Advantage,
    "drawbacks": _Drawback,
    "causes": _Entity,
    "strategies": _Strategy,
    "features": _Entity,
    "claims": _Claim,
    "context": _Context,
    "relations": _Relation,
    "measurements": _Measurement,
}
#: section → the kind of the entities it defines (the Annotations model's entity fields)
_KINDS = entity_fields(Annotations)
_TOP_KEYS = {"document", *_SECTIONS}

# (evidence, clean start, clean end) of a resolved quote in its passage's clean text
_Resolved = tuple[Evidence, int, int]


@dataclass
class _Raw:
    """One validated item of the file, the lines its problems are reported at, and its resolved quotes."""

    section: str
    data: Any  # the section's item schema
    line: int
    key_lines: dict[str, int]
    quotes: list[tuple[str, int | None, int]]  # (quote, occurrence, line)
    resolved: list[_Resolved | None] = field(default_factory=list)
    prospect: tuple[Evidence, ...] = ()

    @property
    def kind(self) -> EntityKind | None:
        return _KINDS.get(self.section)

    @property
    def name(self) -> str:
        if self.kind is not None:
            return f"{self.kind} '{self.data.id}'"
        if self.section == "relations":
            return f"relation '{self.data.subject} {self.data.relation} {self.data.object}'"
        return f"measurement '{self.data.quantity}'"

    def key_line(self, key: str) -> int:
        return self.key_lines.get(key, self.line)

    @property
    def evidence(self) -> tuple[Evidence, ...]:
        return tuple(found[0] for found in self.resolved if found)


@dataclass
class _Problems:
    file: str
    items: list[Problem] = field(default_factory=list)

    def add(self, message: str, line: int | None) -> None:
        self.items.append(Problem(self.file, message, line))


# ---- reading the YAML with line numbers -------------------------------------------------------------------


def _line(node: Node) -> int:
    return node.start_mark.line + 1


def _number(node: Node | None) -> int | None:
    return int(node.value) if isinstance(node, ScalarNode) and node.value.isdigit() else None


def _quote_specs(node: MappingNode) -> list[tuple[str, int | None, int]]:
    """Every quote of an item with its occurrence and the line it is written on."""
    values = {str(key.value): value for key, value in node.value}
    specs = []
    if isinstance(values.get("quote"), ScalarNode):
        specs.append((str(values["quote"].value), _number(values.get("occurrence")), _line(values["quote"])))
    if isinstance(values.get("quotes"), SequenceNode):
        for entry in values["quotes"].value:
            if isinstance(entry, ScalarNode):
                specs.append((str(entry.value), None, _line(entry)))
            elif isinstance(entry, MappingNode):
                inner = {str(key.value): value for key, value in entry.value}
                if isinstance(inner.get("quote"), ScalarNode):
                    specs.append(
                        (str(inner["quote"].value), _number(inner.get("occurrence")), _line(inner["quote"]))
                    )
    return specs


def _key_lines(node: MappingNode, problems: _Problems, where: str) -> dict[str, int]:
    lines: dict[str, int] = {}
    for key, _ in node.value:
        name = str(key.value)
        if name in lines:
            problems.add(f"{where}: duplicate key '{name}' (also at line {lines[name]})", _line(key))
        lines.setdefault(name, _line(key))
    return lines


def _validation_messages(error: ValidationError, schema: type[_Item]) -> list[tuple[str, str | None]]:
    """(message, offending key) for each error of an item, worded for a curator."""
    messages = []
    for item in error.errors():
        key = str(item["loc"][0]) if item["loc"] else None
        if item["type"] == "extra_forbidden":
            expected = ", ".join(sorted(schema.model_fields))
            messages.append((f"unknown key '{key}' (expected one of: {expected})", key))
        elif item["type"] == "missing":
            messages.append((f"missing key '{key}'", None))
        else:
            where = ".".join(str(part) for part in item["loc"])
            message = item["msg"].removeprefix("Value error, ")
            messages.append((f"key '{where}': {message}", key))
    return messages


def _item_label(section: str, data: dict) -> str:
    if section == "relations":
        return f"{section} item '{data.get('subject')} {data.get('relation')} {data.get('object')}'"
    label = data.get("id") or data.get("quantity")
    return f"{section} item '{label}'" if label else f"{section} item"


def _read_items(path: Path, problems: _Problems, document_id: str) -> list[_Raw]:
    try:
        root = compose_yaml(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        message, line = yaml_problem(error)
        problems.add(f"YAML syntax error: {message}", line)
        return []
    if not isinstance(root, MappingNode):
        problems.add(
            "expected a mapping of sections (mechanisms:, drawbacks:, relations:, ...)",
            _line(root) if root else None,
        )
        return []
    constructor = SafeConstructor()
    _key_lines(root, problems, "top level")
    raws: list[_Raw] = []
    for key, value in root.value:
        section = str(key.value)
        if section not in _TOP_KEYS:
            problems.add(
                f"unknown section '{section}' (expected one of: {', '.join(sorted(_TOP_KEYS))})", _line(key)
            )
        elif section == "document":
            if value.value != document_id:
                problems.add(
                    f"document '{value.value}' is not this folder's document '{document_id}'", _line(value)
                )
        elif not isinstance(value, SequenceNode):
            problems.add(f"section '{section}' must be a list of items", _line(value))
        else:
            raws += _read_section(section, value, constructor, problems)
    return raws


def _read_section(
    section: str, sequence: SequenceNode, constructor: SafeConstructor, problems: _Problems
) -> list[_Raw]:
    schema = _SECTIONS[section]
    raws = []
    for node in sequence.value:
        if not isinstance(node, MappingNode):
            problems.add(f"{section}: each item must be a mapping of keys", _line(node))
            continue
        lines = _key_lines(node, problems, f"{section} item")
        data = constructor.construct_object(node, deep=True)
        try:
            item = schema.model_validate(data)
        except ValidationError as error:
            for message, key in _validation_messages(error, schema):
                problems.add(f"{_item_label(section, data)}: {message}", lines.get(key or "", _line(node)))
            continue
        raws.append(_Raw(section, item, _line(node), lines, _quote_specs(node)))
    return raws


# ---- quotes → evidence, and the quantities of a passage ---------------------------------------------------


class _Resolver:
    def __init__(
        self, document_id: str, text: str, passages: Sequence[Passage], citations: Iterable[Citation]
    ):
        self.document_id = document_id
        self.index = QuoteIndex(text, passages)
        vocabulary = word_counts(text)
        self.passages = {p.id: p for p in passages}
        self.cleaned: dict[str, CleanText] = {p.id: clean(text, p.start, p.end, vocabulary) for p in passages}
        self.citations: dict[str, list[Citation]] = {}
        for citation in citations:
            self.citations.setdefault(citation.passage_id, []).append(citation)
        self._quantities: dict[str, list[Quantity]] = {}

    def resolve(
        self, quote: str, occurrence: int | None, line: int, problems: _Problems, where: str
    ) -> _Resolved | None:
        """The quote's evidence and clean span; None (and a problem) when it is missing or ambiguous."""
        shown = normalise_quote(quote)
        matches = self.index.find_all(quote)
        if not matches:
            problems.add(f'{where}: quote not found in the text: "{shown}"', line)
            return None
        if occurrence is None and len(matches) > 1:
            passages = ", ".join(dict.fromkeys(m.passage_id for m in matches))
            problems.add(
                f'{where}: quote occurs {len(matches)} times (in {passages}); add "occurrence: N" '
                f'(1..{len(matches)}) or lengthen it: "{shown}"',
                line,
            )
            return None
        if occurrence is not None and occurrence > len(matches):
            problems.add(
                f"{where}: occurrence {occurrence} asked but the quote occurs "
                f'{len(matches)} time(s): "{shown}"',
                line,
            )
            return None
        match = matches[(occurrence or 1) - 1]
        passage = self.passages[match.passage_id]
        evidence = Evidence(
            document_id=self.document_id,
            passage_id=passage.id,
            quote=passage.text[match.clean_start : match.clean_end],
            start=match.start,
            end=match.end,
            ref_numbers=self._cited(passage.id, match.clean_start, match.clean_end),
            line=line,
        )
        return evidence, match.clean_start, match.clean_end

    def _cited(self, passage_id: str, start: int, end: int) -> tuple[int, ...]:
        """Reference numbers whose markers lie in the sentences overlapping the clean span [start, end)."""
        spans = [(s, e) for s, e in sentence_spans(self.passages[passage_id].text) if s < end and start < e]
        if not spans:
            return ()
        low, high = self.cleaned[passage_id].to_original(spans[0][0], spans[-1][1])
        cited = {c.ref_number for c in self.citations.get(passage_id, []) if low <= c.start < high}
        return tuple(sorted(cited))

    def quantities(self, passage_id: str) -> list[Quantity]:
        if passage_id not in self._quantities:
            self._quantities[passage_id] = find_quantities(self.passages[passage_id].text)
        return self._quantities[passage_id]

    def use(self, passage_id: str, quantity: Quantity, used_by: str, role: str) -> QuantityUse:
        start, end = self.cleaned[passage_id].to_original(quantity.start, quantity.end)
        return QuantityUse(
            passage_id=passage_id, start=start, end=end, printed=quantity.printed, used_by=used_by, role=role
        )


def _same(printed: str, wanted: str) -> bool:
    return normalise_quote(printed) == normalise_quote(wanted)


def _quantity_in(
    resolver: _Resolver, found: _Resolved, wanted: str, problems: _Problems, where: str, line: int
) -> Quantity | None:
    """The one quantity printed as ``wanted`` inside a resolved quote."""
    evidence, low, high = found
    inside = [q for q in resolver.quantities(evidence.passage_id) if low <= q.start and q.end <= high]
    matching = [q for q in inside if _same(q.printed, wanted)]
    if len(matching) == 1:
        return matching[0]
    if matching:
        problems.add(
            f'{where}: quantity "{wanted}" occurs {len(matching)} times in its quote; shorten it', line
        )
    else:
        listed = ", ".join(f'"{q.printed}"' for q in inside) or "none"
        problems.add(
            f'{where}: quantity "{wanted}" not found in its quote (quantities there: {listed})', line
        )
    return None


def _in_condition(printed: str, condition: str) -> bool:
    """Whether a quantity is the condition or one of its comma- or 'and'-separated parts ("1C, aqueous")."""
    parts = [part for chunk in condition.split(",") for part in chunk.split(" and ")]
    return any(_same(printed, part) for part in [condition, *parts])


def _nanometres(quantity: Quantity) -> tuple[Decimal | None, Decimal | None]:
    """A particle size's bounds in nm (None when it has no length unit)."""
    if quantity.unit is None:
        return None, None
    length = registry().parse_units(quantity.unit.pint)
    if not length.is_compatible_with("nanometer"):
        return None, None
    # pint's factor is a float (999.9999999999999 for µm → nm); 12 significant digits drop the noise
    factor = Decimal(f"{registry().Quantity(1, length).to('nanometer').magnitude:.12g}")

    def scaled(value: Decimal | None) -> Decimal | None:
        if value is None:
            return None
        nm = value * factor
        return nm.quantize(Decimal(1)) if nm == nm.to_integral_value() else nm.normalize()

    return scaled(quantity.value_min), scaled(quantity.value_max)


# ---- the loader -------------------------------------------------------------------------------------------


def load_annotations(
    path: Path,
    document_id: str,
    text: str,
    passages: Sequence[Passage],
    citations: Iterable[Citation],
    material_ids: set[str],
) -> Annotations:
    """Read and check ``annotations.yaml``; raise one IngestError listing every problem found."""
    problems = _Problems(display_path(path))
    raws = _read_items(path, problems, document_id)
    resolver = _Resolver(document_id, text, passages, citations)

    entities: dict[str, _Raw] = {}
    for raw in raws:
        if raw.kind is None:
            continue
        if raw.data.id in entities:
            problems.add(
                f"duplicate id '{raw.data.id}' (first defined at line {entities[raw.data.id].line})",
                raw.key_line("id"),
            )
        else:
            entities[raw.data.id] = raw
    for raw in raws:
        if not raw.quotes:
            problems.add(f"{raw.name} has no quote; every entity and relation needs at least one", raw.line)
        raw.resolved = [resolver.resolve(q, n, line, problems, raw.name) for q, n, line in raw.quotes]
        if raw.kind == EntityKind.STRATEGY and raw.data.prospect:
            found = resolver.resolve(raw.data.prospect, None, raw.key_line("prospect"), problems, raw.name)
            raw.prospect = (found[0],) if found else ()

    relations = _relations(raws, entities, material_ids, problems)
    measurements, uses = _measurements(raws, entities, material_ids, resolver, problems, document_id)
    context_values, context_uses = _context_values(raws, resolver, problems)
    if problems.items:
        raise IngestError(sorted(problems.items, key=lambda p: p.line or 0))
    return _assemble(document_id, raws, relations, measurements, context_values, uses + context_uses)


def _expected_id(
    name: str, expected: set[EntityKind], entities: dict[str, _Raw], material_ids: set[str]
) -> str:
    """What an unknown id should have been: its kinds, and the closest id of those kinds if one is close."""
    known = [key for key, raw in entities.items() if raw.kind in expected]
    if EntityKind.MATERIAL in expected:
        known += sorted(material_ids)
    wanted = f"expected the id of a {' or '.join(sorted(expected))}"
    # an id cut short ("void-space") is found by containment, a typo by similarity; a letter or two is neither
    cut_short = [key for key in known if name in key] if len(name) >= 4 else []
    close = cut_short or get_close_matches(name, known, n=1)
    return f"{wanted}; did you mean '{close[0]}'?" if close else wanted


def _kind_of(
    name: str, expected: set[EntityKind], entities: dict[str, _Raw], material_ids: set[str]
) -> EntityKind | None:
    """An id's kind. Materials are a namespace of their own (strategy nb16w5o55 uses material nb16w5o55):
    where a material is expected, a material id wins."""
    if EntityKind.MATERIAL in expected and name in material_ids:
        return EntityKind.MATERIAL
    if name in entities:
        return entities[name].kind
    return EntityKind.MATERIAL if name in material_ids else None


def _relations(
    raws: list[_Raw], entities: dict[str, _Raw], material_ids: set[str], problems: _Problems
) -> list[Relation]:
    relations: list[Relation] = []
    first_line: dict[tuple[str, str, str], int] = {}
    examples: dict[str, list[tuple[str, int]]] = {}
    for raw in (r for r in raws if r.section == "relations"):
        data, ok = raw.data, True
        allowed = RELATION_KINDS[data.relation]
        for role, name, side in (("subject", data.subject, 0), ("object", data.object, 1)):
            expected = {pair[side] for pair in allowed}
            kind = _kind_of(name, expected, entities, material_ids)
            if kind is None:
                problems.add(
                    f"{raw.name}: unknown {role} id '{name}' "
                    f"({_expected_id(name, expected, entities, material_ids)})",
                    raw.key_line(role),
                )
                ok = False
            elif kind not in expected:
                problems.add(
                    f"{raw.name}: {data.relation} needs a {' or '.join(sorted(expected))} as its "
                    f"{role}, but '{name}' is a {kind}",
                    raw.key_line(role),
                )
                ok = False
        if ok and data.relation == RelationType.EXAMPLE_OF:
            if entities[data.object].data.family:
                examples.setdefault(data.subject, []).append((data.object, raw.line))
            else:
                problems.add(
                    f"{raw.name}: '{data.object}' is not a family (give it 'family: true')",
                    raw.key_line("object"),
                )
                ok = False
        triple = (data.subject, str(data.relation), data.object)
        if triple in first_line:
            problems.add(
                f"{raw.name}: duplicate relation (first at line {first_line[triple]}); "
                "give one relation several quotes instead",
                raw.line,
            )
            ok = False
        first_line.setdefault(triple, raw.line)
        if ok and raw.evidence:
            relations.append(
                Relation(
                    subject_id=data.subject,
                    relation=data.relation,
                    object_id=data.object,
                    evidence=raw.evidence,
                    note=data.note,
                )
            )
    for cycle, line in _cycles(examples):
        problems.add(
            f"exampleOf cycle: {' → '.join(cycle)} (expected exampleOf to lead from an example up to its "
            "family, never back)",
            line,
        )
    return relations


def _cycles(edges: dict[str, list[tuple[str, int]]]) -> list[tuple[list[str], int]]:
    """Each cycle of the graph once, as a path back to its start, with the line of the path's first edge."""
    found, seen = [], set()
    for start in sorted(edges):
        stack: list[tuple[str, list[str], int | None]] = [(start, [start], None)]
        while stack:
            node, path, line = stack.pop()
            for target, edge_line in edges.get(node, []):
                if target == start and frozenset(path) not in seen:
                    seen.add(frozenset(path))
                    found.append(([*path, start], line or edge_line))
                elif target not in path:
                    stack.append((target, [*path, target], line or edge_line))
    return found


def _measurements(
    raws: list[_Raw],
    entities: dict[str, _Raw],
    material_ids: set[str],
    resolver: _Resolver,
    problems: _Problems,
    document_id: str,
) -> tuple[list[Measurement], list[QuantityUse]]:
    measurements: list[Measurement] = []
    uses: list[QuantityUse] = []
    counts: dict[tuple[str, str], int] = {}
    for raw in (r for r in raws if r.section == "measurements"):
        data, ok = raw.data, True
        if data.material not in material_ids:
            expected = _expected_id(data.material, {EntityKind.MATERIAL}, entities, material_ids)
            message = f"{raw.name}: unknown material '{data.material}' ({expected})"
            problems.add(message, raw.key_line("material"))
            ok = False
        strategy = entities.get(data.strategy or "")
        if data.strategy is not None and (strategy is None or strategy.kind != EntityKind.STRATEGY):
            expected = _expected_id(data.strategy, {EntityKind.STRATEGY}, entities, material_ids)
            message = f"{raw.name}: unknown strategy '{data.strategy}' ({expected})"
            problems.add(message, raw.key_line("strategy"))
            ok = False
        if len(raw.quotes) > 1:
            problems.add(
                f"{raw.name}: a measurement has one quote, the one containing its quantity", raw.line
            )
            continue
        if not raw.resolved or raw.resolved[0] is None:
            continue  # no quote, or its problem is already reported
        found = raw.resolved[0]
        value = _quantity_in(resolver, found, data.quantity, problems, raw.name, raw.key_line("quantity"))
        size = None
        if data.particle_size is not None:
            size = _quantity_in(
                resolver, found, data.particle_size, problems, raw.name, raw.key_line("particle_size")
            )
            ok = ok and size is not None
        if value is None or not ok:
            continue
        evidence, low, high = found
        subject = data.strategy or data.material
        counts[(subject, data.property)] = n = counts.get((subject, data.property), 0) + 1
        ident = f"{document_id}-prose-{subject}-{slugify(data.property)}-{n}"
        used = resolver.use(evidence.passage_id, value, ident, "value")
        size_min, size_max = _nanometres(size) if size else (None, None)
        unit = value.unit or (DIMENSIONLESS if value.kind in _RATIO_KINDS else None)
        measurements.append(
            Measurement(
                id=ident,
                document_id=document_id,
                material_id=data.material,
                scale=data.scale,
                property=data.property,
                value_min=value.value_min,
                value_max=value.value_max,
                qualifier=Qualifier(value.qualifier),
                unit_printed=unit.printed if unit else None,
                unit=unit.display if unit else None,
                unit_qudt=unit.qudt if unit else None,
                particle_size_text=size.printed if size else None,
                size_min_nm=size_min,
                size_max_nm=size_max,
                cycles=data.cycles,
                source=Source.PROSE,
                passage_id=evidence.passage_id,
                quote=evidence.quote,
                start=evidence.start,
                end=evidence.end,
                value_text=used.printed,
                value_start=used.start,
                value_end=used.end,
                ref_numbers=evidence.ref_numbers,
                strategy_id=data.strategy,
                condition=data.condition,
            )
        )
        uses.append(used)
        if size:
            uses.append(resolver.use(evidence.passage_id, size, ident, "particle_size"))
        for q in resolver.quantities(evidence.passage_id) if data.condition else ():
            inside = low <= q.start and q.end <= high and q is not value
            if inside and _in_condition(q.printed, data.condition):
                uses.append(resolver.use(evidence.passage_id, q, ident, "condition"))
    return measurements, uses


def _context_values(
    raws: list[_Raw], resolver: _Resolver, problems: _Problems
) -> tuple[dict[str, dict[str, Any]], list[QuantityUse]]:
    """Parsed values of the context facts that name a quantity (found in their first quote)."""
    values: dict[str, dict[str, Any]] = {}
    uses: list[QuantityUse] = []
    for raw in (r for r in raws if r.section == "context" and r.data.quantity is not None):
        if not raw.resolved or raw.resolved[0] is None:
            continue  # no quote, or its problem is already reported
        q = _quantity_in(
            resolver, raw.resolved[0], raw.data.quantity, problems, raw.name, raw.key_line("quantity")
        )
        if q is None:
            continue
        values[raw.data.id] = {
            "quantity": q.printed,
            "value_min": q.value_min,
            "value_max": q.value_max,
            "qualifier": Qualifier(q.qualifier),
            "unit_printed": q.unit.printed if q.unit else None,
            "unit": q.unit.display if q.unit else None,
            "unit_qudt": q.unit.qudt if q.unit else None,
        }
        uses.append(resolver.use(raw.resolved[0][0].passage_id, q, raw.data.id, "context"))
    return values, uses


def _entity(raw: _Raw, relations: list[Relation], context_values: dict[str, dict[str, Any]]):
    data = raw.data
    common = {"id": data.id, "label": data.label, "evidence": raw.evidence}
    match raw.kind:
        case EntityKind.MECHANISM:
            examples = tuple(
                r.object_id
                for r in relations
                if r.relation == RelationType.EXEMPLIFIED_BY and r.subject_id == data.id
            )
            return Mechanism(
                **common,
                description=data.description,
                domain=data.domain,
                favours=data.favours,
                material_ids=examples,
            )
        case EntityKind.ADVANTAGE:
            mechanisms = tuple(
                r.subject_id
                for r in relations
                if r.relation == RelationType.EXPLAINS and r.object_id == data.id
            )
            return Advantage(**common, scale=data.scale, mechanism_ids=mechanisms)
        case EntityKind.DRAWBACK:
            return Drawback(**common, scale=data.scale, kind=data.kind)
        case EntityKind.CAUSE:
            return Cause(**common)
        case EntityKind.STRATEGY:
            return Strategy(**common, is_family=data.family, prospect_evidence=raw.prospect)
        case EntityKind.FEATURE:
            return Feature(**common)
        case EntityKind.CLAIM:
            return Claim(
                **common, statement=data.statement, property=data.property, better_scale=data.better_scale
            )
        case _:
            return ContextFact(**common, reason=data.reason, **context_values.get(data.id, {}))


def _assemble(
    document_id: str,
    raws: list[_Raw],
    relations: list[Relation],
    measurements: list[Measurement],
    context_values: dict[str, dict[str, Any]],
    uses: list[QuantityUse],
) -> Annotations:
    groups: dict[str, list] = {section: [] for section in _KINDS}
    for raw in raws:
        if raw.kind is not None:
            groups[raw.section].append(_entity(raw, relations, context_values))
    return Annotations(
        document_id=document_id,
        **{section: tuple(items) for section, items in groups.items()},
        relations=tuple(relations),
        measurements=tuple(measurements),
        quantity_uses=tuple(uses),
    )
