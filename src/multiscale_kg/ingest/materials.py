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

from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from pathlib import Path
from typing import Protocol

from ..errors import IngestError, Problem, display_path
from ..ids import material_id
from ..schema import Material, Passage, Role
from ..schema.formulas import Formula, parse_formula
from .material_curation import STATED, Curation, Draft
from .material_text import (
    Definition,
    MaterialText,
    Token,
    composite_elements,
    compound_formula,
    definitions,
    glossary,
    is_polyhedron,
    split_polymorph,
)


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


def _from_table(drafts: dict[str, Draft], entry: TableEntry) -> None:
    draft = drafts.setdefault(entry.material_id, Draft(entry.material_id))
    draft.role = Role(entry.type)
    draft.designations.add(entry.name)
    draft.spans.append((entry.start, entry.end))
    formula = parse_formula(entry.name)
    if formula:
        draft.formula, draft.formula_source = formula, STATED
    else:
        draft.abbreviation = entry.name


def _from_definition(drafts: dict[str, Draft], definition: Definition) -> None:
    polymorph, printed = split_polymorph(definition.formula or "")
    formula = parse_formula(printed)
    if formula is None:
        return
    draft = drafts.setdefault(material_id(definition.short), Draft(material_id(definition.short)))
    draft.abbreviation = definition.short
    draft.formula, draft.polymorph = formula, polymorph
    draft.formula_source, draft.formula_quote = STATED, definition.quote
    draft.designations.update({definition.short, definition.formula or ""})


def _formula_hits(text: MaterialText) -> list[tuple[Token, str, Formula]]:
    hits = []
    for token in text.tokens:
        formula = compound_formula(token.text)
        if formula and not is_polyhedron(token.clean_text, token.clean_end):
            hits.append((token, split_polymorph(token.text)[0], formula))
    return hits


def _resolve_hits(drafts: dict[str, Draft], hits: list[tuple[Token, str, Formula]]) -> None:
    by_key = {draft.key(): draft for draft in drafts.values() if draft.key()}
    for token, polymorph, formula in hits:
        draft = by_key.get((polymorph, formula.atoms))
        if draft is None:
            draft = drafts.setdefault(material_id(token.text), Draft(material_id(token.text)))
            if draft.formula is None:
                draft.formula, draft.polymorph, draft.formula_source = formula, polymorph, STATED
            by_key[(polymorph, formula.atoms)] = draft
        draft.designations.add(token.text)


# ---- assembly ----------------------------------------------------------------------------------------------


def _compose(draft: Draft, names: dict[str, str], defined: dict[str, Definition]) -> None:
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


def _first_mentions(drafts: Sequence[Draft], text: MaterialText) -> dict[str, tuple[int, int]]:
    """Each material's earliest mention: its Table 1 entry, a printed designation or its name as words.

    A name inside a longer name of another material is not a mention: "nickel" in "lithium nickel manganese
    oxide" names LNMO, not the nickel scaffold.
    """
    named = sorted(
        (start, end, d.id)
        for d in drafts
        if d.name and d.name not in d.designations
        for start, end in text.words(d.name)
    )
    starts = [start for start, _, _ in named]
    longest = max((end - start for start, end, _ in named), default=0)

    def inside_another(start: int, end: int, ident: str) -> bool:
        # a name that holds this one starts at most ``longest`` before its end: only those are compared
        window = named[bisect_left(starts, end - longest) : bisect_right(starts, start)]
        return any(s <= start and end <= e and e - s > end - start and o != ident for s, e, o in window)

    tokens: dict[str, list[tuple[int, int]]] = {}
    for token in text.tokens:
        tokens.setdefault(token.text, []).append((token.start, token.end))
    first: dict[str, tuple[int, int]] = {}
    for draft in drafts:
        spans = list(draft.spans) + [span for d in draft.designations for span in tokens.get(d, ())]
        spans += [(s, e) for s, e, ident in named if ident == draft.id and not inside_another(s, e, ident)]
        if spans:
            first[draft.id] = min(spans)
    return first


def _material(draft: Draft, span: tuple[int, int], document_id: str) -> Material:
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
    index = MaterialText(text, passages)
    defined, names = definitions(index), glossary(index)
    drafts: dict[str, Draft] = {}
    for entry in table_materials:
        _from_table(drafts, entry)
    for definition in defined.values():
        _from_definition(drafts, definition)
    problems: list[Problem] = []
    if curated_path is not None:
        curation = Curation(curated_path, index, drafts)
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
