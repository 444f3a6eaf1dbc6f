"""Controlled vocabularies: the closed sets of values the models accept.

Each member's value is the string stored in SQLite and used in ids; RDF turns them into SKOS concepts
(see ``schema/ontology.ttl``).
"""

from __future__ import annotations

from enum import StrEnum


class Scale(StrEnum):
    NANO = "nano"
    MICRO = "micro"
    MULTISCALE = "multiscale"


class Property(StrEnum):
    """What a measurement quantifies. The first five are Table 1's columns."""

    GRAVIMETRIC_CAPACITY = "gravimetric_capacity"
    VOLUMETRIC_CAPACITY = "volumetric_capacity"
    CYCLE_RETENTION = "cycle_retention"
    RATE_RETENTION = "rate_retention"
    FIRST_CYCLE_CE = "first_cycle_ce"
    CE = "ce"
    VOLUMETRIC_ENERGY = "volumetric_energy"
    GRAVIMETRIC_ENERGY = "gravimetric_energy"
    CAPACITY_DECAY_PER_CYCLE = "capacity_decay_per_cycle"
    RATE_CAPABILITY = "rate_capability"
    PARTICLE_SIZE = "particle_size"
    PORE_SIZE = "pore_size"
    MASS_LOADING = "mass_loading"
    DRIVING_RANGE = "driving_range"
    COST = "cost"
    DEMAND = "demand"
    CRITICAL_SIZE = "critical_size"
    COMPOSITION_RANGE = "composition_range"
    SOLUBILITY = "solubility"
    CRITICAL_CONCENTRATION = "critical_concentration"
    CHARGING_TIME = "charging_time"
    FRACTION_OF_THEORETICAL_CAPACITY = "fraction_of_theoretical_capacity"
    REDOX_POTENTIAL = "redox_potential"
    # read from other papers' prose and tables by the automatic quantity reader
    AREAL_CAPACITY = "areal_capacity"
    TAP_DENSITY = "tap_density"
    DENSITY = "density"
    RELATIVE_DENSITY = "relative_density"
    SPECIFIC_SURFACE_AREA = "specific_surface_area"
    IONIC_CONDUCTIVITY = "ionic_conductivity"
    ELECTRONIC_CONDUCTIVITY = "electronic_conductivity"
    CONDUCTIVITY = "conductivity"
    DIFFUSIVITY = "diffusivity"
    MASS_FRACTION = "mass_fraction"
    TEMPERATURE = "temperature"
    VOLTAGE = "voltage"
    CURRENT_DENSITY = "current_density"
    ACTIVATION_ENERGY = "activation_energy"
    VOLUME_CHANGE = "volume_change"
    THICKNESS = "thickness"
    DURATION = "duration"
    #: a number with a unit whose property the words around it do not tell
    UNCLASSIFIED = "unclassified"


#: Table 1's column headings (as printed, case-folded) → the property each column holds.
TABLE1_COLUMNS: dict[str, Property] = {
    "gravimetric capacity": Property.GRAVIMETRIC_CAPACITY,
    "volumetric capacity": Property.VOLUMETRIC_CAPACITY,
    "cyclic stability": Property.CYCLE_RETENTION,
    "c-rate": Property.RATE_RETENTION,
    "first cycle coulombic efficiency": Property.FIRST_CYCLE_CE,
}


class Qualifier(StrEnum):
    EQ = "="
    APPROX = "~"
    LE = "<="
    GE = ">="
    LT = "<"
    GT = ">"


class Source(StrEnum):
    TABLE1 = "table1"  # the review's Table 1 profile
    PROSE = "prose"
    TABLE = "table"  # a table of another shape, read cell by cell


class Method(StrEnum):
    """How a measurement was made: checked by a person (and fed to the rules) or read by a parser alone."""

    CURATED = "curated"
    AUTOMATIC = "automatic"


class TableProfile(StrEnum):
    """How a table was read."""

    TABLE1 = "table1"  # the review's Table 1 layout: its cells become curated measurements
    CELLS = "cells"  # header and rows cut into cells; numeric cells under a property header are measurements
    TEXT = "text"  # could not be cut into cells: kept as text with a note


class Role(StrEnum):
    CATHODE = "cathode"
    ANODE = "anode"
    COATING = "coating"
    SCAFFOLD = "scaffold"
    ELECTROLYTE = "electrolyte"
    BY_PRODUCT = "by-product"
    ADDITIVE = "additive"
    ACTIVE = "active"


class Chemistry(StrEnum):
    INTERCALATION = "intercalation"
    ALLOYING = "alloying"
    CONVERSION = "conversion"


class PassageKind(StrEnum):
    HEADING = "heading"
    PARAGRAPH = "paragraph"
    CAPTION = "caption"
    TABLE_TITLE = "table_title"
    TABLE_HEADER = "table_header"
    TABLE_ROW = "table_row"
    TABLE_FOOTNOTE = "table_footnote"


class MetadataStatus(StrEnum):
    CHECKED = "checked"
    UNCHECKED = "unchecked"


class Support(StrEnum):
    """How strongly the article supports a derived answer (``strategy addresses drawback``), best first.

    A derivation takes the grade of its weakest link; an answer reached by several paths takes its best
    path's grade (``best``)."""

    #: the article says that this strategy (or this example) improves this drawback (a curated ``improves``)
    STATED = "stated"
    #: every link of the path (hasFeature, mitigates, causedBy) is stated for this strategy itself
    CHAINED = "chained"
    #: at least one link comes from the strategy's family (or, for a family, from one of its examples)
    INHERITED = "inherited"
    #: the article only proposes the strategy ("may", "could", "is expected to")
    PROSPECT = "prospect"

    @property
    def rank(self) -> int:
        """0 for the best grade."""
        return list(Support).index(self)

    @classmethod
    def best(cls, grades) -> Support:
        return cls(min(grades, key=lambda grade: cls(grade).rank))

    def at_least(self, floor: Support | str) -> bool:
        """Whether this grade is ``floor`` or better."""
        return self.rank <= Support(floor).rank
