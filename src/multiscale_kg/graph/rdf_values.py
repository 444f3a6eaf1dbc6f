"""The parsed values as RDF: tables and their cells, materials, measurements, table notes and the scales
the documents define (a mixin of the projection in ``rdf.py``, which provides ``kb``, ``annotation`` and
``evidence``)."""

from __future__ import annotations

from collections.abc import Iterator

from rdflib import Literal, URIRef

from .closed_terms import DCTERMS, RDF, RDFS
from .namespaces import MSKG, QUDT, iri
from .rdf_terms import Triple, concept, literal, optional_fields


class ValueTriples:
    def tables(self) -> Iterator[Triple]:
        for table in self.kb.tables:
            node = iri("table", table.id)
            yield node, RDF.type, MSKG.Table
            yield node, DCTERMS.isPartOf, iri("document", table.document_id)
            yield node, RDFS.label, Literal(table.label)
            yield node, MSKG.caption, Literal(table.caption)
            yield node, MSKG.profile, Literal(table.profile.value)
            yield node, MSKG.inPassage, iri("passage", table.passage_id)
            yield node, MSKG.start, literal(table.start)
            yield node, MSKG.end, literal(table.end)
            if table.note:
                yield node, RDFS.comment, Literal(table.note)
        for cell in self.kb.table_cells:
            node = iri("table-cell", cell.id)
            yield node, RDF.type, MSKG.TableCell
            yield node, MSKG.inTable, iri("table", cell.table_id)
            yield node, MSKG.inPassage, iri("passage", cell.passage_id)
            yield node, MSKG.row, literal(cell.row)
            yield node, MSKG.column, literal(cell.column)
            yield node, MSKG.header, Literal(cell.header)
            yield node, MSKG.text, Literal(cell.text)
            yield node, MSKG.start, literal(cell.start)
            yield node, MSKG.end, literal(cell.end)

    def materials(self) -> Iterator[Triple]:
        for material in self.kb.materials:
            node = iri("material", material.id)
            yield node, RDF.type, MSKG.Material
            yield node, RDFS.label, Literal(material.name)
            yield from optional_fields(
                node,
                material,
                (
                    ("abbreviation", MSKG.abbreviation),
                    ("formula", MSKG.formula),
                    ("molar_mass", MSKG.molarMass),
                    ("formula_source", MSKG.formulaSource),
                ),
            )
            for element in material.elements:
                yield node, MSKG.element, Literal(element)
            if material.role is not None:
                yield node, MSKG.role, concept("role", material.role)
            if material.chemistry is not None:
                yield node, MSKG.chemistry, concept("chemistry", material.chemistry)

    def measurements(self) -> Iterator[Triple]:
        for m in self.kb.measurements:
            node = iri("measurement", m.id)
            yield node, RDF.type, MSKG.Measurement
            yield node, RDF.type, QUDT.QuantityValue
            if m.material_id:
                yield node, MSKG.ofMaterial, iri("material", m.material_id)
            yield node, DCTERMS.isPartOf, iri("document", m.document_id)
            if m.scale:
                yield node, MSKG.scale, concept("scale", m.scale)
            yield node, MSKG.property, concept("property", m.property)
            yield node, MSKG.source, literal(m.source)
            yield node, MSKG.method, literal(m.method)
            if m.table_id:
                yield node, MSKG.inTable, iri("table", m.table_id)
            yield node, MSKG.qualifier, literal(m.qualifier)
            if m.unit_qudt:
                yield node, QUDT.unit, URIRef(m.unit_qudt)
            optional = (
                ("value_min", MSKG.valueMin),
                ("value_max", MSKG.valueMax),
                ("unit", MSKG.unitText),
                ("unit_printed", MSKG.unitPrinted),
                ("particle_size_text", MSKG.particleSize),
                ("size_min_nm", MSKG.sizeMinNm),
                ("size_max_nm", MSKG.sizeMaxNm),
                ("cycles", MSKG.cycles),
                ("rate_condition", MSKG.rateCondition),
                ("footnote", MSKG.footnote),
                ("footnote_text", MSKG.footnoteText),
                ("condition", MSKG.condition),
                ("sample", MSKG.sample),
            )
            for field, predicate in optional:
                value = getattr(m, field)
                if value is not None:
                    yield node, predicate, literal(value)
            if m.strategy_id:
                yield node, MSKG.ofStrategy, iri("strategy", m.strategy_id)
            for note_id in m.table_note_ids:
                yield node, MSKG.tableNote, iri("table-note", note_id)
            if m.scale_conflict:
                yield node, MSKG.scaleConflict, literal(m.scale_conflict)
            yield from self.annotation(
                node, "1", m.document_id, m.passage_id, m.quote, m.start, m.end, m.ref_numbers
            )

    def table_notes(self) -> Iterator[Triple]:
        """The general notes under a table (conditions of its values) and the document's scale definitions."""
        for note in self.kb.table_notes:
            node = iri("table-note", note.id)
            yield node, RDF.type, MSKG.TableNote
            yield node, RDFS.label, Literal(note.text)
            yield node, DCTERMS.isPartOf, iri("document", note.document_id)
            yield node, MSKG.source, literal(note.table)
            if note.property is not None:
                yield node, MSKG.property, concept("property", note.property)
            yield from self.annotation(
                node,
                "1",
                note.document_id,
                note.passage_id,
                note.text,
                note.start,
                note.end,
                note.ref_numbers,
            )
        for definition in self.kb.scale_definitions:
            node = iri("scale-definition", definition.id)
            yield node, RDF.type, MSKG.ScaleDefinition
            yield node, RDFS.label, Literal(definition.quote)
            yield node, DCTERMS.isPartOf, iri("document", definition.document_id)
            yield node, MSKG.scale, concept("scale", definition.scale)
            yield from optional_fields(
                node, definition, (("size_min_nm", MSKG.sizeMinNm), ("size_max_nm", MSKG.sizeMaxNm))
            )
            yield from self.annotation(
                node,
                "1",
                definition.document_id,
                definition.passage_id,
                definition.quote,
                definition.start,
                definition.end,
            )
