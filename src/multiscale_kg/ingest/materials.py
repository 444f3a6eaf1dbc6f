"""Materials: every compound or material system the article names, with its composition.

Where materials come from (merged by id: ``ids.material_id`` of the abbreviation, else the printed formula):

1. Table 1 (``ingest.table``): the materials it compares; the electrode type column gives their role.
2. Abbreviations the text defines: glossaries ("LCO, lithium cobalt oxide; LFP, lithium iron phosphate; ...")
   and parenthesised short forms, whose long form is found with the Schwartz–Hearst algorithm
   ("poly(3,4-ethylenedioxythiopene) (PEDOT)", "lithium titanium oxide (Li4Ti5O12 (LTO))"). A formula right
   before the short form states the abbreviation's formula ("LiMn0.85Fe0.15PO4 (LMFP)").
3. Formula tokens anywhere in the text. A token is a material when
   - it is a strict formula: element symbols, each with an optional positive count, all known to
     periodictable. Variable compositions ("LixFePO4", "LixSi": states of charge of another material) and
     ions ("Nb4+") are outside that grammar;
   - it has two or more elements. One-element tokens are symbols in prose ("Nb and W", "1 V", "S and C"),
     molecular forms of an element (the S2 and S3 molecules are the state of the sulfur inside the C–S
     composite, not a material of their own) or oxidation states ("Fe0"). Elements that are materials
     (silicon, sulfur, nickel) come from Table 1 or from materials.yaml by name;
   - it is not all capitals without a count: "CNT", "NS", "CC" are abbreviations that happen to spell symbols;
   - it is not a coordination polyhedron ("NbO6 and WO6 octahedra", "WO4 tetrahedron"): a structural unit
     of a crystal, not a substance.
   Reaction products are materials (Li2O and Li2S from conversion, Mg3N2 from synthesis): solid phases that
   form in an electrode or during its making. A Greek letter before a formula names a polymorph, a material
   of its own ("α-Fe2O3" → alpha-fe2o3). A formula token with the formula of a material that has an
   abbreviation is that material ("LiFePO4" → lfp).
4. ``materials.yaml``: curated statements, each with an exact quote checked against the text, or
   ``basis: standard`` for textbook knowledge the text takes for granted (LCO is LiCoO2, an intercalation
   cathode). Materials the text names only in words (silicon, sulfur, PEDOT, a nickel scaffold) live there.

Elements and molar mass come from periodictable. ``formula_source`` says how the composition is known:
"stated" when the text prints it (the formula itself, a definition, or a composite such as "C–S" whose
elements are printed), "assumed" when it is the usual meaning of a name the text leaves undefined. The
offsets are the first mention: the earliest place the text names the material by abbreviation, printed
formula or name.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

import yaml

from ..errors import IngestError, Problem, compose_yaml, display_path, yaml_problem
from ..ids import material_id, slugify
from ..schema import Chemistry, Material, Passage, Role
from ..schema.formulas import STRICT_FORMULA, Formula, parse_formula
from .cleantext import clean, word_counts
from .quotes import QuoteIndex, QuoteMatch

STATED = "stated"
ASSUMED = "assumed"

_POLYMORPH = re.compile(r"([αβγδ])[-‐‑]")
_COMPOSITE = re.compile(r"[A-Z][a-z]?(?:[–-][A-Z][a-z]?)+")
_TOKEN = re.compile(r"[^\s(),;:/\[\]]+")
_POLYHEDRA = ("octahedr", "tetrahedr", "polyhedr", "bipyramid")
_SHORT_FORM = re.compile(r"\(([A-Za-z][A-Za-z0-9–-]*)\)(?!\w)")
_GLOSSARY_ENTRY = r"[A-Za-z][A-Za-z0-9–-]*, [a-z][a-z –-]*[a-z]"
_GLOSSARY = re.compile(rf"(?<![\w–-]){_GLOSSARY_ENTRY}(?:; {_GLOSSARY_ENTRY})+(?=\.)")

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


class TableEntry(Protocol):
    """What Table 1 says about one material (``ingest.table.TableMaterial``)."""

    @property
    def name(self) -> str: ...
    @property
    def material_id(self) -> str: ...
    @property
    def type(self) -> str: ...
    @property
    def start(self) -> int: ...
    @property
    def end(self) -> int: ...


# ---- formulas ---------------------------------------------------------------------------------------------


def composite_elements(printed: str) -> tuple[str, ...] | None:
    """Elements of a composite or alloy printed as symbols joined by dashes ("C–S", "Mg–Si"), or None."""
    if not _COMPOSITE.fullmatch(printed):
        return None
    symbols = re.split(r"[–-]", printed)
    if not all(parse_formula(symbol) for symbol in symbols):
        return None
    return tuple(sorted(set(symbols)))


def _split_polymorph(token: str) -> tuple[str, str]:
    """("α", "Fe2O3") for "α-Fe2O3"; ("", token) without a polymorph prefix."""
    match = _POLYMORPH.match(token)
    return (match.group(1), token[match.end() :]) if match else ("", token)


def _is_polyhedron(clean_text: str, end: int) -> bool:
    """Does the formula ending at ``end`` name a polyhedron ("NbO6 and WO6 octahedra")?"""
    for word in clean_text[end:].split()[:6]:
        word = word.strip(",.;:()")
        if word in ("and", "or") or STRICT_FORMULA.fullmatch(word):
            continue
        return word.lower().startswith(_POLYHEDRA)
    return False


def compound_formula(token: str) -> Formula | None:
    """The formula of a token that names a compound (rules in the module docstring), before context checks."""
    _, printed = _split_polymorph(token)
    if printed.isupper() and not any(c.isdigit() for c in printed):
        return None
    formula = parse_formula(printed)
    return formula if formula and len(formula.atoms) >= 2 else None


# ---- the text, passage by passage --------------------------------------------------------------------------


@dataclass(frozen=True)
class _Token:
    text: str
    start: int  # original offsets
    end: int
    clean_text: str  # the passage's clean text and the token's end in it, for context
    clean_end: int


class _Text:
    """The clean text of every passage, for token and word searches mapped back to original offsets."""

    def __init__(self, text: str, passages: Sequence[Passage]):
        vocabulary = word_counts(text)
        self.passages = [(p, clean(text, p.start, p.end, vocabulary)) for p in passages]
        self._clean = {p.id: cleaned.text for p, cleaned in self.passages}
        self.tokens = list(self._tokens())
        self.quotes = QuoteIndex(text, passages)

    def _tokens(self) -> Iterator[_Token]:
        for _, cleaned in self.passages:
            for match in _TOKEN.finditer(cleaned.text):
                token = match.group().rstrip(".,;:")
                if token:
                    end = match.start() + len(token)
                    start, stop = cleaned.to_original(match.start(), end)
                    yield _Token(token, start, stop, cleaned.text, end)

    def clean_span(self, match: QuoteMatch) -> str:
        """A quote as the clean text prints it (dashes and quotes as in the article)."""
        return self._clean[match.passage_id][match.clean_start : match.clean_end]

    def words(self, phrase: str) -> Iterator[tuple[int, int]]:
        """Original spans of ``phrase`` as whole words, ignoring case ("Silicon", "red phosphorus85")."""
        pattern = re.compile(rf"(?<![^\W\d_]){re.escape(phrase)}(?![^\W\d_])", re.IGNORECASE)
        for _, cleaned in self.passages:
            for match in pattern.finditer(cleaned.text):
                yield cleaned.to_original(match.start(), match.end())


# ---- abbreviations -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Definition:
    """A short form the text defines: "lithium titanium oxide (Li4Ti5O12 (LTO))"."""

    short: str
    long: str | None  # "lithium titanium oxide"; None when only a formula defines it
    formula: str | None  # "Li4Ti5O12"
    quote: str  # the definition in clean text


def _long_form_start(short: str, before: str) -> int | None:
    """Schwartz & Hearst (2003): where the long form of ``short`` starts in ``before``, or None.

    Walks both right to left: every letter or digit of the short form must appear in order in the long form,
    the first one at the start of a word; the window is min(n + 5, 2n) words for n characters.
    """
    letters = [c.lower() for c in short if c.isalnum()]
    words = list(re.finditer(r"\S+", before))
    if not letters or not words:
        return None
    base = words[-min(len(letters) + 5, 2 * len(letters), len(words))].start()
    candidate = before[base:].lower()
    i = len(candidate) - 1
    for k in range(len(letters) - 1, -1, -1):
        while i >= 0 and (candidate[i] != letters[k] or (k == 0 and i > 0 and candidate[i - 1].isalnum())):
            i -= 1
        if i < 0:
            return None
        i -= 1
    return base + candidate.rfind(" ", 0, i + 1) + 1


def _definition(cleaned: str, match: re.Match[str]) -> _Definition | None:
    short = match.group(1)
    if sum(c.isupper() for c in short) < 2 or parse_formula(_split_polymorph(short)[1]):
        return None
    before = cleaned[: match.start()].rstrip()
    last = re.search(r"[^\s(]+$", before)
    if last and parse_formula(_split_polymorph(last.group())[1]):
        long, start, end = None, last.start(), match.end()
        if before[start - 1 : start] == "(":  # nested: "name (FORMULA (ABBR))"
            name_start = _long_form_start(short, before[: start - 1])
            if name_start is not None:
                long, start = before[name_start : start - 1].strip(), name_start
                end += cleaned[end : end + 1] == ")"
        return _Definition(short, long, last.group(), cleaned[start:end])
    start = _long_form_start(short, before)
    if start is None:
        return None
    return _Definition(short, before[start:].strip(), None, cleaned[start : match.end()])


def _definitions(text: _Text) -> dict[str, _Definition]:
    """Short form → its first definition in the text."""
    found: dict[str, _Definition] = {}
    for _, cleaned in text.passages:
        for match in _SHORT_FORM.finditer(cleaned.text):
            definition = _definition(cleaned.text, match)
            if definition and definition.short not in found:
                found[definition.short] = definition
    return found


def _glossary(text: _Text) -> dict[str, str]:
    """Abbreviation → name, from glossaries: "LCO, lithium cobalt oxide; LFP, lithium iron phosphate"."""
    names: dict[str, str] = {}
    for _, cleaned in text.passages:
        for match in _GLOSSARY.finditer(cleaned.text):
            for entry in match.group().split("; "):
                abbreviation, name = entry.split(", ", 1)
                if any(c.isupper() for c in abbreviation):
                    names.setdefault(abbreviation, name)
    return names


# ---- drafts: what is known about each material so far ------------------------------------------------------


@dataclass
class _Draft:
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


def _from_table(drafts: dict[str, _Draft], entry: TableEntry) -> None:
    draft = drafts.setdefault(entry.material_id, _Draft(entry.material_id))
    draft.role = Role(entry.type)
    draft.designations.add(entry.name)
    draft.spans.append((entry.start, entry.end))
    formula = parse_formula(entry.name)
    if formula:
        draft.formula, draft.formula_source = formula, STATED
    else:
        draft.abbreviation = entry.name


def _from_definition(drafts: dict[str, _Draft], definition: _Definition) -> None:
    polymorph, printed = _split_polymorph(definition.formula or "")
    formula = parse_formula(printed)
    if formula is None:
        return
    draft = drafts.setdefault(material_id(definition.short), _Draft(material_id(definition.short)))
    draft.abbreviation = definition.short
    draft.formula, draft.polymorph = formula, polymorph
    draft.formula_source, draft.formula_quote = STATED, definition.quote
    draft.designations.update({definition.short, definition.formula or ""})


def _formula_hits(text: _Text) -> list[tuple[_Token, str, Formula]]:
    hits = []
    for token in text.tokens:
        formula = compound_formula(token.text)
        if formula and not _is_polyhedron(token.clean_text, token.clean_end):
            hits.append((token, _split_polymorph(token.text)[0], formula))
    return hits


def _resolve_hits(drafts: dict[str, _Draft], hits: list[tuple[_Token, str, Formula]]) -> None:
    by_key = {draft.key(): draft for draft in drafts.values() if draft.key()}
    for token, polymorph, formula in hits:
        draft = by_key.get((polymorph, formula.atoms))
        if draft is None:
            draft = drafts.setdefault(material_id(token.text), _Draft(material_id(token.text)))
            if draft.formula is None:
                draft.formula, draft.polymorph, draft.formula_source = formula, polymorph, STATED
            by_key[(polymorph, formula.atoms)] = draft
        draft.designations.add(token.text)


# ---- materials.yaml ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Field:
    value: str | tuple[str, ...]
    line: int


class _Curation:
    """Applies materials.yaml to the drafts, collecting every problem with its YAML line."""

    def __init__(self, path: Path, text: _Text, drafts: dict[str, _Draft]):
        self.source = display_path(path)
        self.path, self.text, self.drafts = path, text, drafts
        self.problems: list[Problem] = []

    def problem(self, message: str, line: int | None) -> None:
        self.problems.append(Problem(self.source, message, line))

    def entries(self) -> Iterator[tuple[int, dict[str, _Field]]]:
        try:
            root = compose_yaml(self.path.read_text(encoding="utf-8"))
        except OSError as error:
            self.problem(f"cannot read the file: {error.strerror}", None)
            return
        except yaml.YAMLError as error:
            message, line = yaml_problem(error)
            self.problem(f"not valid YAML: {message}", line)
            return
        items = None
        if isinstance(root, yaml.MappingNode):
            items = next((v for k, v in root.value if k.value == "materials"), None)
        if not isinstance(items, yaml.SequenceNode):
            self.problem("expected a mapping with a 'materials' list", 1)
            return
        for item in items.value:
            fields = self._fields(item)
            if fields is not None:
                yield item.start_mark.line + 1, fields

    def _fields(self, node: yaml.Node) -> dict[str, _Field] | None:
        if not isinstance(node, yaml.MappingNode):
            self.problem("expected a material (a mapping with an id)", node.start_mark.line + 1)
            return None
        fields: dict[str, _Field] = {}
        for key, value in node.value:
            line = key.start_mark.line + 1
            if key.value not in _CURATED_KEYS:
                expected = ", ".join(sorted(_CURATED_KEYS))
                self.problem(f"unknown key '{key.value}' (expected one of: {expected})", line)
            elif isinstance(value, yaml.ScalarNode):
                fields[key.value] = _Field(value.value, line)
            elif isinstance(value, yaml.SequenceNode) and all(
                isinstance(item, yaml.ScalarNode) for item in value.value
            ):
                fields[key.value] = _Field(tuple(item.value for item in value.value), line)
            else:
                self.problem(f"'{key.value}' must be text or a list of text", line)
        return fields

    def apply(self) -> None:
        seen: dict[str, int] = {}
        for line, fields in self.entries():
            ident = fields.get("id")
            if ident is None or not isinstance(ident.value, str) or slugify(ident.value) != ident.value:
                self.problem("every material needs an 'id' that is a slug such as 'red-phosphorus'", line)
                continue
            if ident.value in seen:
                self.problem(f"{ident.value}: duplicate id (first at line {seen[ident.value]})", ident.line)
                continue
            seen[ident.value] = ident.line
            draft = self.drafts.setdefault(ident.value, _Draft(ident.value))
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

    def _names(self, draft: _Draft, fields: dict[str, _Field]) -> None:
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

    def _quote(self, draft: _Draft, key: str, fields: dict[str, _Field]) -> str | None:
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

    def _statement(self, draft: _Draft, statement: str, fields: dict[str, _Field]) -> None:
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

    def _formula(self, draft: _Draft, value: _Field, quote: str | None, quote_line: int) -> None:
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

    def _elements(self, draft: _Draft, value: _Field, source: str) -> None:
        symbols = (value.value,) if isinstance(value.value, str) else value.value
        unknown = [s for s in symbols if not (parse_formula(s) and parse_formula(s).elements == (s,))]
        if draft.formula is not None:
            self.problem(f"{draft.id}: elements come from the formula {draft.formula.printed}", value.line)
        elif unknown:
            self.problem(f"{draft.id}: not element symbols: {', '.join(unknown)}", value.line)
        else:
            draft.elements, draft.formula_source = tuple(sorted(set(symbols))), draft.formula_source or source

    def _role_or_chemistry(
        self, draft: _Draft, statement: str, value: _Field, quote: str | None, quote_line: int
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


# ---- assembly ----------------------------------------------------------------------------------------------


def _compose(draft: _Draft, names: dict[str, str], defined: dict[str, _Definition]) -> None:
    """Elements, name and printed designations once every source has been applied."""
    if draft.formula:
        draft.elements = draft.formula.elements
    elif not draft.elements:
        printed = draft.abbreviation or (draft.name or "").split(" ")[0]
        elements = composite_elements(printed)
        if elements:
            draft.elements, draft.formula_source, draft.composite = elements, STATED, printed
    printed_formula = None
    if draft.formula and draft.formula_source == STATED:
        printed_formula = "-".join(filter(None, (draft.polymorph, draft.formula.printed)))
        draft.designations.add(printed_formula)
    definition = defined.get(draft.abbreviation or "")
    draft.name = (
        draft.name
        or names.get(draft.abbreviation or "")
        or (definition and definition.long)
        or printed_formula
        or draft.abbreviation
    )


def _first_mentions(drafts: Sequence[_Draft], text: _Text) -> dict[str, tuple[int, int]]:
    """Each material's earliest mention: its Table 1 entry, a printed designation or its name as words.

    A name inside a longer name of another material is not a mention: "nickel" in "lithium nickel manganese
    oxide" names LNMO, not the nickel scaffold.
    """
    named = [
        (start, end, d.id)
        for d in drafts
        if d.name and d.name not in d.designations
        for start, end in text.words(d.name)
    ]

    def inside_another(start: int, end: int, ident: str) -> bool:
        return any(s <= start and end <= e and e - s > end - start and o != ident for s, e, o in named)

    first: dict[str, tuple[int, int]] = {}
    for draft in drafts:
        spans = list(draft.spans) + [(t.start, t.end) for t in text.tokens if t.text in draft.designations]
        spans += [(s, e) for s, e, ident in named if ident == draft.id and not inside_another(s, e, ident)]
        if spans:
            first[draft.id] = min(spans)
    return first


def _material(draft: _Draft, span: tuple[int, int], document_id: str) -> Material:
    formula = draft.formula
    return Material(
        id=draft.id,
        name=draft.name,
        abbreviation=draft.abbreviation,
        formula=formula.printed if formula else draft.composite,
        elements=draft.elements,
        molar_mass=formula and formula.molar_mass,
        role=draft.role,
        chemistry=draft.chemistry,
        formula_source=draft.formula_source,
        formula_quote=draft.formula_quote,
        role_quote=draft.role_quote,
        chemistry_quote=draft.chemistry_quote,
        document_id=document_id,
        start=span[0],
        end=span[1],
    )


def build_materials(
    document_id: str,
    text: str,
    passages: Sequence[Passage],
    table_materials: Sequence[TableEntry],
    curated_path: Path | None,
) -> list[Material]:
    """Every material the document names, one per id, sorted by id (see the module docstring)."""
    index = _Text(text, passages)
    defined, names = _definitions(index), _glossary(index)
    drafts: dict[str, _Draft] = {}
    for entry in table_materials:
        _from_table(drafts, entry)
    for definition in defined.values():
        _from_definition(drafts, definition)
    problems: list[Problem] = []
    if curated_path is not None:
        curation = _Curation(curated_path, index, drafts)
        curation.apply()
        problems += curation.problems
    _resolve_hits(drafts, _formula_hits(index))
    for draft in drafts.values():
        _compose(draft, names, defined)
    first = _first_mentions(list(drafts.values()), index)
    for draft in drafts.values():
        if draft.id not in first or not draft.name:
            source = display_path(curated_path) if curated_path else "materials"
            problems.append(
                Problem(
                    source,
                    f"{draft.id}: the text never names this material; give a name or "
                    "abbreviation that occurs in the text",
                    draft.line,
                )
            )
    if problems:
        raise IngestError(problems)
    return [_material(drafts[ident], first[ident], document_id) for ident in sorted(drafts)]
