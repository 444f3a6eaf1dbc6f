"""``materials.yaml``: curated statements about the document's materials, applied to the drafts of what the
text says. Each statement has an exact quote checked against the text, or ``basis: standard`` for textbook
knowledge the text takes for granted; every problem is collected with its YAML line."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from ..errors import IngestError, Problem, display_path
from ..schema import Chemistry, Role
from ..schema.formulas import Formula, parse_formula
from ..schema.models import SLUG
from . import yaml_lines
from .material_text import MaterialText

STATED = "stated"
ASSUMED = "assumed"

#: word stems a quote must contain to state a role or a chemistry ("removal of Mg3N2 byproducts").
_STATES: dict[Role | Chemistry, tuple[str, ...]] = {
    Role.CATHODE: ("cathode",),
    Role.ANODE: ("anode",),
    Role.COATING: ("coat",),
    Role.SCAFFOLD: ("scaffold",),
    Role.ELECTROLYTE: ("electrolyte",),
    Role.BY_PRODUCT: ("byproduct", "by-product"),
    Role.ADDITIVE: ("additive",),
    Role.ACTIVE: ("active",),
    Chemistry.INTERCALATION: ("intercalat",),
    Chemistry.ALLOYING: ("alloy",),
    Chemistry.CONVERSION: ("conver",),
}
_STATEMENTS = ("formula", "elements", "role", "chemistry")
_CURATED_KEYS = {"id", "name", "abbreviation", "note"} | {
    f"{s}{suffix}" for s in _STATEMENTS for suffix in ("", "_quote", "_basis")
}


# ---- drafts: what is known about each material so far ------------------------------------------------------


@dataclass
class Draft:
    id: str
    name: str | None = None
    abbreviation: str | None = None
    formula: Formula | None = None
    #: a composite printed as its elements joined by a dash ("C–S"): its formula, ratio unstated
    composite: str | None = None
    polymorph: str = ""
    elements: tuple[str, ...] = ()
    formula_source: str | None = None
    formula_quote: str | None = None
    role: Role | None = None
    role_quote: str | None = None
    chemistry: Chemistry | None = None
    chemistry_quote: str | None = None
    designations: set[str] = field(default_factory=set)  # printed forms, matched as whole tokens
    spans: list[tuple[int, int]] = field(default_factory=list)
    line: int | None = None  # materials.yaml line of a curated entry

    def key(self) -> tuple[str, tuple[tuple[str, float], ...]] | None:
        return (self.polymorph, self.formula.atoms) if self.formula and len(self.formula.atoms) > 1 else None


# ---- materials.yaml ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Field:
    value: str | tuple[str, ...]
    line: int


class Curation:
    """Applies materials.yaml to the drafts, collecting every problem with its YAML line."""

    def __init__(self, path: Path, text: MaterialText, drafts: dict[str, Draft]):
        self.source = display_path(path)
        self.path, self.text, self.drafts = path, text, drafts
        self.problems: list[Problem] = []

    def problem(self, message: str, line: int | None) -> None:
        self.problems.append(Problem(self.source, message, line))

    def entries(self) -> Iterator[tuple[int, dict[str, _Field]]]:
        try:
            root = yaml_lines.read(self.path)
        except IngestError as error:
            self.problems += error.problems
            return
        items = yaml_lines.entries(root).get("materials") if isinstance(root, MappingNode) else None
        if not isinstance(items, SequenceNode):
            self.problem("expected a mapping with a 'materials' list", 1)
            return
        for item in items.value:
            fields = self._fields(item)
            if fields is not None:
                yield yaml_lines.line(item), fields

    def _fields(self, node: Node) -> dict[str, _Field] | None:
        if not isinstance(node, MappingNode):
            self.problem("expected a material (a mapping with an id)", yaml_lines.line(node))
            return None
        fields: dict[str, _Field] = {}
        for key, value in node.value:
            line = yaml_lines.line(key)
            if key.value not in _CURATED_KEYS:
                expected = ", ".join(sorted(_CURATED_KEYS))
                self.problem(f"unknown key '{key.value}' (expected one of: {expected})", line)
            elif isinstance(value, ScalarNode):
                fields[key.value] = _Field(value.value, line)
            elif isinstance(value, SequenceNode) and all(
                isinstance(item, ScalarNode) for item in value.value
            ):
                fields[key.value] = _Field(tuple(item.value for item in value.value), line)
            else:
                self.problem(f"'{key.value}' must be text or a list of text", line)
        return fields

    def apply(self) -> None:
        seen: dict[str, int] = {}
        for line, fields in self.entries():
            ident = fields.get("id")
            if ident is None or not isinstance(ident.value, str) or not SLUG.fullmatch(ident.value):
                self.problem("every material needs an 'id' that is a slug such as 'red-phosphorus'", line)
                continue
            if ident.value in seen:
                self.problem(f"{ident.value}: duplicate id (first at line {seen[ident.value]})", ident.line)
                continue
            seen[ident.value] = ident.line
            draft = self.drafts.setdefault(ident.value, Draft(ident.value))
            draft.line = ident.line
            self._names(draft, fields)
            for statement in _STATEMENTS:
                if statement in fields:
                    self._statement(draft, statement, fields)
                for suffix in ("_quote", "_basis"):
                    if statement + suffix in fields and statement not in fields:
                        self.problem(
                            f"{draft.id}: {statement}{suffix} without {statement}",
                            fields[statement + suffix].line,
                        )

    def _names(self, draft: Draft, fields: dict[str, _Field]) -> None:
        name, abbreviation = fields.get("name"), fields.get("abbreviation")
        if name is not None:
            if not next(self.text.words(str(name.value)), None):
                self.problem(f"{draft.id}: name '{name.value}' does not occur in the text", name.line)
            draft.name = str(name.value)
        if abbreviation is not None:
            if not any(token.text == abbreviation.value for token in self.text.tokens):
                self.problem(
                    f"{draft.id}: abbreviation '{abbreviation.value}' does not occur in the text",
                    abbreviation.line,
                )
            draft.abbreviation = str(abbreviation.value)
            draft.designations.add(draft.abbreviation)

    def _quote(self, draft: Draft, key: str, fields: dict[str, _Field]) -> str | None:
        """The statement's quote once it is found exactly once; None (and a problem) otherwise."""
        quote = fields[key]
        matches = self.text.quotes.find_all(str(quote.value))
        if not matches:
            self.problem(f'{draft.id}: {key} not found in the text: "{quote.value}"', quote.line)
        elif len(matches) > 1:
            self.problem(
                f'{draft.id}: {key} occurs {len(matches)} times in the text, expected once: "{quote.value}"',
                quote.line,
            )
        else:
            return self.text.clean_span(matches[0])
        return None

    def _statement(self, draft: Draft, statement: str, fields: dict[str, _Field]) -> None:
        value = fields[statement]
        has_quote, basis = f"{statement}_quote" in fields, fields.get(f"{statement}_basis")
        if has_quote == (basis is not None):
            self.problem(
                f"{draft.id}: {statement} needs either {statement}_quote (an exact quote from the "
                f"text) or {statement}_basis: standard",
                value.line,
            )
            return
        if basis is not None and basis.value != "standard":
            self.problem(f"{draft.id}: {statement}_basis must be 'standard', not '{basis.value}'", basis.line)
            return
        quote = self._quote(draft, f"{statement}_quote", fields) if has_quote else None
        if has_quote and quote is None:
            return
        quote_line = fields[f"{statement}_quote"].line if has_quote else value.line
        if statement == "formula":
            self._formula(draft, value, quote, quote_line)
        elif statement == "elements":
            self._elements(draft, value, STATED if has_quote else ASSUMED)
        else:
            self._role_or_chemistry(draft, statement, value, quote, quote_line)

    def _formula(self, draft: Draft, value: _Field, quote: str | None, quote_line: int) -> None:
        formula = parse_formula(str(value.value))
        if formula is None:
            self.problem(
                f"{draft.id}: formula '{value.value}' is not a strict chemical formula (element "
                "symbols known to periodictable, with positive counts)",
                value.line,
            )
        elif draft.formula_source == STATED:
            self.problem(
                f"{draft.id}: the text already states the formula {draft.formula.printed}; "
                "remove the curated formula",
                value.line,
            )
        elif quote is not None and formula.printed not in quote:
            self.problem(
                f'{draft.id}: formula_quote does not contain {formula.printed}: "{quote}"', quote_line
            )
        else:
            draft.formula, draft.formula_quote = formula, quote
            draft.formula_source = ASSUMED if quote is None else STATED

    def _elements(self, draft: Draft, value: _Field, source: str) -> None:
        symbols = (value.value,) if isinstance(value.value, str) else value.value
        unknown = [s for s in symbols if not (parse_formula(s) and parse_formula(s).elements == (s,))]
        if draft.formula is not None:
            self.problem(f"{draft.id}: elements come from the formula {draft.formula.printed}", value.line)
        elif unknown:
            self.problem(f"{draft.id}: not element symbols: {', '.join(unknown)}", value.line)
        else:
            draft.elements, draft.formula_source = tuple(sorted(set(symbols))), draft.formula_source or source

    def _role_or_chemistry(
        self, draft: Draft, statement: str, value: _Field, quote: str | None, quote_line: int
    ) -> None:
        kind = Role if statement == "role" else Chemistry
        try:
            member = kind(value.value)
        except ValueError:
            self.problem(
                f"{draft.id}: unknown {statement} '{value.value}' (expected one of: "
                f"{', '.join(m.value for m in kind)})",
                value.line,
            )
            return
        current = getattr(draft, statement)
        if current is not None and current != member:
            self.problem(
                f"{draft.id}: {statement} '{member.value}' contradicts Table 1's '{current.value}'",
                value.line,
            )
            return
        if quote is not None and not any(stem in quote.lower() for stem in _STATES[member]):
            self.problem(
                f"{draft.id}: {statement}_quote does not state {member.value} (no "
                f'{" or ".join(_STATES[member])}): "{quote}"',
                quote_line,
            )
            return
        setattr(draft, statement, member)
        setattr(draft, f"{statement}_quote", quote)
