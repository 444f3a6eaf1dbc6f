"""A picture of the causal web around one strategy or drawback, drawn as SVG on the server.

Columns read left to right as the rules do: strategy → feature → cause ← drawback (and the mechanisms that
explain a drawback at the far right). For a strategy: its families, their features, the causes those
mitigate, the drawbacks those causes produce, and the trade-offs it introduces. For a drawback: its causes,
the features that mitigate them, the strategies that have those features, the strategies that introduce it
or fall short on it, and the mechanisms that explain it. Each box links to its row page.
"""

from __future__ import annotations

from dataclasses import dataclass

from .entities import labels_of, row_url, split_key
from .svg import attrs, document, esc, text, wrap

COLUMNS = {"strategy": 0, "feature": 1, "cause": 2, "drawback": 3, "mechanism": 4}
RELATIONS = ("exampleOf", "hasFeature", "mitigates", "causedBy", "introduces", "fallsShortOn", "explains")
COLOURS = {
    "exampleOf": "#7f7f7f",
    "hasFeature": "#1b9e77",
    "mitigates": "#2166ac",
    "causedBy": "#b2182b",
    "introduces": "#e08214",
    "fallsShortOn": "#8c510a",
    "explains": "#762a83",
}
_WIDTH, _COLUMN, _GAP, _LINE, _PAD, _CHARS, _LEFT = 190, 250, 12, 14, 10, 26, 50


@dataclass(frozen=True)
class PictureEdge:
    source: str
    relation: str
    target: str


async def _edges(db, relation: str, *, source: set[str] | None = None, target: set[str] | None = None):
    """Edges of one relation from (or into) a set of nodes."""
    column, nodes = ("source", source) if source is not None else ("target", target)
    if not nodes:
        return []
    marks = ", ".join("?" for _ in nodes)
    rows = await db.execute(
        f"select source, relation, target from edges where relation = ? and {column} in ({marks}) "
        "order by source, target",
        [relation, *sorted(nodes)],
    )
    return [PictureEdge(*r) for r in rows]


async def neighbourhood(db, kind: str, identifier: str) -> tuple[list[str], list[PictureEdge]]:
    """The nodes and edges to draw around ``kind/identifier``."""
    focus = f"{kind}/{identifier}"
    edges: list[PictureEdge] = []
    if kind == "strategy":
        families = await _edges(db, "exampleOf", source={focus})
        strategies = {focus} | {e.target for e in families}
        features = await _edges(db, "hasFeature", source=strategies)
        mitigates = await _edges(db, "mitigates", source={e.target for e in features})
        causes = {e.target for e in mitigates}
        caused = await _edges(db, "causedBy", target=causes)
        costs = await _edges(db, "introduces", source={focus})
        costs += await _edges(db, "fallsShortOn", source={focus})
        edges = families + features + mitigates + caused + costs
    elif kind == "drawback":
        caused = await _edges(db, "causedBy", source={focus})
        mitigates = await _edges(db, "mitigates", target={e.target for e in caused})
        features = await _edges(db, "hasFeature", target={e.source for e in mitigates})
        costs = await _edges(db, "introduces", target={focus})
        costs += await _edges(db, "fallsShortOn", target={focus})
        explains = await _edges(db, "explains", target={focus})
        edges = caused + mitigates + features + costs + explains
    nodes = list(dict.fromkeys([focus] + [n for e in edges for n in (e.source, e.target)]))
    return nodes, edges


def _order(nodes: list[str], edges: list[PictureEdge], labels: dict[str, str]) -> dict[int, list[str]]:
    """Nodes per column, each column ordered by where its neighbours stand in the columns before it."""
    columns: dict[int, list[str]] = {}
    for node in nodes:
        columns.setdefault(COLUMNS.get(split_key(node)[0], 4), []).append(node)
    position: dict[str, float] = {}
    for column in sorted(columns):

        def weight(node: str) -> tuple[float, str]:
            near = [
                position[o]
                for e in edges
                for o in (e.source, e.target)
                if node in (e.source, e.target) and o != node and o in position
            ]
            return (sum(near) / len(near) if near else 0.0, labels[node].lower())

        columns[column].sort(key=weight)
        for index, node in enumerate(columns[column]):
            position[node] = index
    return columns


def picture_svg(
    focus: str,
    nodes: list[str],
    edges: list[PictureEdge],
    labels: dict[str, str],
    urls: dict[str, str | None],
) -> str:
    columns = _order(nodes, edges, labels)
    used = sorted(columns)
    boxes: dict[str, tuple[float, float, float]] = {}  # node → (x, y, height)
    heights = {}
    for column in used:
        heights[column] = sum(_PAD + _LINE * len(wrap(labels[n], _CHARS, 3)) + _GAP for n in columns[column])
    tallest = max(heights.values())
    for slot, column in enumerate(used):
        y = 50 + (tallest - heights[column]) / 2
        for node in columns[column]:
            height = _PAD + _LINE * len(wrap(labels[node], _CHARS, 3))
            boxes[node] = (_LEFT + slot * _COLUMN, y, height)
            y += height + _GAP
    width = _LEFT + 20 + _COLUMN * (len(used) - 1) + _WIDTH
    height = 50 + tallest + 60
    body = [text(20, 22, f"Causal web around {labels[focus]}", font_size=14, font_weight="bold")]
    heads = {0: "strategies", 1: "features", 2: "causes", 3: "drawbacks", 4: "mechanisms"}
    for slot, column in enumerate(used):
        body.append(text(_LEFT + slot * _COLUMN, 42, heads[column], fill="#555", font_style="italic"))
    for edge in edges:
        body.append(_edge(edge, boxes))
    for node in nodes:
        body.append(_box(node, boxes[node], labels[node], urls.get(node), node == focus))
    legend_y = height - 24
    for n, relation in enumerate(RELATIONS):
        lx = 20 + n * 120
        line = attrs(x1=lx, y1=legend_y, x2=lx + 18, y2=legend_y, stroke=COLOURS[relation], stroke_width=2)
        body.append(f"<line{line}/>")
        body.append(text(lx + 22, legend_y + 4, relation, font_size=11))
    return document(max(width, 20 + 120 * len(RELATIONS)), height, body, f"Causal web around {labels[focus]}")


def _edge(edge: PictureEdge, boxes) -> str:
    sx, sy, sh = boxes[edge.source]
    tx, ty, th = boxes[edge.target]
    y1, y2 = sy + sh / 2, ty + th / 2
    if sx == tx:  # same column: an arc on the left
        x1 = x2 = sx
        path = f"M{x1:.1f},{y1:.1f} C{x1 - 40:.1f},{y1:.1f} {x2 - 40:.1f},{y2:.1f} {x2:.1f},{y2:.1f}"
    else:
        x1, x2 = (sx + _WIDTH, tx) if sx < tx else (sx, tx + _WIDTH)
        middle = (x1 + x2) / 2
        path = f"M{x1:.1f},{y1:.1f} C{middle:.1f},{y1:.1f} {middle:.1f},{y2:.1f} {x2:.1f},{y2:.1f}"
    colour = COLOURS.get(edge.relation, "#999")
    dash = " stroke-dasharray='5 3'" if edge.relation in ("introduces", "fallsShortOn") else ""
    tip = esc(f"{edge.source} {edge.relation} {edge.target}")
    return (
        f"<path class='edge' data-relation='{esc(edge.relation)}' d='{path}' fill='none' stroke='{colour}' "
        f"stroke-width='1.6'{dash}><title>{tip}</title></path>"
    )


def _box(node: str, box, label: str, url: str | None, focus: bool) -> str:
    x, y, height = box
    lines = wrap(label, _CHARS, 3)
    parts = [
        f"<rect x='{x:.1f}' y='{y:.1f}' width='{_WIDTH}' height='{height:.1f}' rx='6' "
        f"fill='{'#fff7d6' if focus else '#f7f7f7'}' stroke='{'#000' if focus else '#888'}' "
        f"stroke-width='{2 if focus else 1}'/>"
    ]
    for n, line in enumerate(lines):
        parts.append(text(x + 8, y + _PAD / 2 + _LINE * (n + 1) - 3, line))
    inner = f"<title>{esc(node)}</title>" + "".join(parts)
    if url:
        return f"<a class='node' href='{esc(url)}'>{inner}</a>"
    return f"<g class='node'>{inner}</g>"


async def picture(datasette, database: str, kind: str, identifier: str) -> str | None:
    """The SVG around ``kind/identifier``; None when there is no such strategy or drawback."""
    db = datasette.get_database(database)
    table = {"strategy": "strategies", "drawback": "drawbacks"}.get(kind)
    if table is None or not (await db.execute(f"select 1 from {table} where id = ?", [identifier])).rows:
        return None
    nodes, edges = await neighbourhood(db, kind, identifier)
    labels = await labels_of(db, nodes)
    urls = {node: row_url(datasette, database, *split_key(node)) for node in nodes}
    return picture_svg(f"{kind}/{identifier}", nodes, edges, labels, urls)
