"""What a row page of a curated entity shows: its relations, with labels and quotes, and its evidence.

The graph's edges (the ``edges`` table, nodes as ``kind/id`` keys) give the relations in both directions;
each entity table's label column names the other end; ``evidence`` gives the entity's own quotes.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from datasette.utils import tilde_encode

from .labels import measurement_label

#: node kind → SQLite table
KIND_TABLES = {
    "document": "documents",
    "section": "sections",
    "passage": "passages",
    "reference": "refs",
    "citation": "citations",
    "material": "materials",
    "measurement": "measurements",
    "mechanism": "mechanisms",
    "advantage": "advantages",
    "drawback": "drawbacks",
    "cause": "causes",
    "strategy": "strategies",
    "feature": "features",
    "claim": "claims",
    "context": "context_facts",
}
TABLE_KINDS = {table: kind for kind, table in KIND_TABLES.items()}

#: tables whose row pages show relations and evidence
ENTITY_TABLES = (
    "strategies",
    "drawbacks",
    "materials",
    "causes",
    "features",
    "mechanisms",
    "advantages",
    "claims",
    "context_facts",
)

#: SQL expression giving a node's label, per kind (other kinds: the table's ``label`` column); a measurement's
#: parts are put together in Python (``labels.measurement_label``: the property's label, the unit once)
_LABEL_EXPRESSIONS = {
    "material": "name",
    "reference": "'reference ' || number",
    "document": "title",
    "measurement": "json_array(property, scale, value_text, unit_printed, unit)",
    "passage": "substr(text, 1, 80)",
    "section": "title",
}

#: relation → how it reads from its source, and from its target
RELATION_PHRASES = {
    "causedBy": ("caused by", "causes"),
    "hasFeature": ("has feature", "feature of"),
    "mitigates": ("mitigates", "mitigated by"),
    "introduces": ("introduces (trade-off)", "introduced by"),
    "exampleOf": ("example of", "has example"),
    "usesMaterial": ("uses material", "used by strategy"),
    "exemplifiedBy": ("exemplified by", "exemplifies"),
    "explains": ("explains", "explained by"),
    "fallsShortOn": ("falls short on", "not overcome by"),
    "addresses": ("addresses", "addressed by"),
    "leavesOpen": ("leaves open", "left open by"),
    "candidateFor": ("may suit material", "may be suited by strategy"),
    "supportedBy": ("supported by the Table 1 values of", "supports claim"),
    "contradictedBy": ("contradicted by the Table 1 values of", "contradicts claim"),
    "overlapsFor": ("ranges overlap for", "ranges overlap for claim"),
    "insufficientFor": ("cannot be checked with the values of", "cannot check claim"),
    "ofMaterial": ("measurement of", "measured in"),
    "ofStrategy": ("reports on strategy", "measured in"),
}

#: kinds whose causal neighbourhood can be drawn (graph_picture)
PICTURED_KINDS = ("strategy", "drawback")


@dataclass
class Link:
    phrase: str
    kind: str
    id: str
    label: str
    url: str | None
    inferred: bool
    quote: str | None
    ref_numbers: list[int] = field(default_factory=list)
    #: the grade of a derived answer (addresses), and the answer page that explains it
    support: str | None = None
    answer_url: str | None = None


def split_key(node: str) -> tuple[str, str]:
    kind, _, identifier = node.partition("/")
    return kind, identifier


def row_url(datasette, database: str, kind: str, identifier: str) -> str | None:
    table = KIND_TABLES.get(kind)
    if table is None:
        return None
    return datasette.urls.row(database, table, tilde_encode(identifier))


async def _has_table(db, name: str) -> bool:
    return name in await db.table_names()


async def labels_of(db, nodes) -> dict[str, str]:
    """Labels of ``kind/id`` nodes in one query (a page asks once, not once per node); a node without a
    label, or of a kind without a table, is labelled by its id."""
    nodes = list(dict.fromkeys(nodes))
    by_kind: dict[str, list[str]] = {}
    for node in nodes:
        kind, identifier = split_key(node)
        if kind in KIND_TABLES:
            by_kind.setdefault(kind, []).append(identifier)
    labels = {node: split_key(node)[1] for node in nodes}
    if not by_kind:
        return labels
    parts, params = [], []
    for kind, identifiers in by_kind.items():
        expression = _LABEL_EXPRESSIONS.get(kind, "label")
        marks = ", ".join("?" for _ in identifiers)
        parts.append(f"select ? || '/' || id, {expression} from [{KIND_TABLES[kind]}] where id in ({marks})")
        params += [kind, *identifiers]
    for node, label in (await db.execute(" union all ".join(parts), params)).rows:
        if label and node.startswith("measurement/"):
            label = measurement_label(*json.loads(label))
        if label:
            labels[node] = label
    return labels


async def label_of(db, kind: str, identifier: str) -> str:
    return (await labels_of(db, [f"{kind}/{identifier}"]))[f"{kind}/{identifier}"]


def _numbers(text: str | None) -> list[int]:
    return json.loads(text) if text else []


async def relations(datasette, db, database: str, kind: str, identifier: str) -> list[Link]:
    """The entity's edges, outgoing first, each with the other end's label and the quote behind it."""
    if not await _has_table(db, "edges"):
        return []
    node = f"{kind}/{identifier}"
    rows = (
        await db.execute(
            "select 'out' as direction, relation, target as other, inferred, quote, ref_numbers, support "
            "from edges where source = :node "
            "union all "
            "select 'in', relation, source, inferred, quote, ref_numbers, support from edges "
            "where target = :node order by 1 desc, 2, 3",
            {"node": node},
        )
    ).rows
    labels = await labels_of(db, [row[2] for row in rows])
    links = []
    for direction, relation, other, inferred, quote, refs, support in rows:
        other_kind, other_id = split_key(other)
        drawback = other_id if direction == "out" else identifier
        phrases = RELATION_PHRASES.get(relation, (relation, f"{relation} (from)"))
        links.append(
            Link(
                phrase=phrases[0] if direction == "out" else phrases[1],
                kind=other_kind,
                id=other_id,
                label=labels[other],
                url=row_url(datasette, database, other_kind, other_id),
                inferred=bool(inferred),
                quote=quote,
                ref_numbers=_numbers(refs),
                support=support,
                answer_url=_answer_url(datasette, drawback, node if direction == "out" else other)
                if support
                else None,
            )
        )
    first = {}
    for n, link in enumerate(links):
        first.setdefault(link.phrase, n)
    return sorted(links, key=lambda link: (first[link.phrase], _rank(link)))


def _answer_url(datasette, drawback_id: str, strategy_node: str) -> str:
    from .settings import answer_url

    return f"{answer_url(datasette, drawback_id)}#{strategy_node.replace('/', '-')}"


def _rank(link: Link) -> int:
    """Links keep their order, but graded answers come best first among themselves."""
    from ..schema.vocab import Support

    return Support(link.support).rank if link.support else 0


async def evidence(db, kind: str, identifier: str) -> list[dict]:
    """The quotes that back the entity itself, with their passage and section."""
    rows = await db.execute(
        "select e.quote, e.passage_id, s.title as section, e.start, e.[end], e.ref_numbers "
        "from evidence e join passages p on p.id = e.passage_id left join sections s on s.id = p.section_id "
        "where e.subject_kind = ? and e.subject_id = ? order by e.start",
        [kind, identifier],
    )
    return [{**dict(r), "ref_numbers": _numbers(r["ref_numbers"])} for r in rows]


async def entity_context(datasette, database: str, table: str, identifier: str) -> dict | None:
    """Template variables for the row page of ``table``/``identifier``; None when it is not an entity."""
    if table not in ENTITY_TABLES:
        return None
    db = datasette.get_database(database)
    if not await _has_table(db, table):
        return None
    kind = TABLE_KINDS[table]
    links = await relations(datasette, db, database, kind, identifier)
    checks = []
    if kind == "material":
        from .measurement_checks import material_checks

        checks = await material_checks(datasette, db, identifier)
    facts = None
    if kind == "material":
        from .material_facts import material_facts

        facts = await material_facts(db, identifier)
    return {
        "measurement_checks": checks,
        "kind": kind,
        "id": identifier,
        "label": await label_of(db, kind, identifier),
        "relations": links,
        "evidence": await evidence(db, kind, identifier),
        "picture_url": f"/-/graph/{kind}/{identifier}" if kind in PICTURED_KINDS else None,
        "material_facts": facts,
    }
