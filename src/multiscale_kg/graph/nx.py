"""The networkx projection: a MultiDiGraph for Python traversal, plus node-link JSON and GraphML export."""

from __future__ import annotations

import functools
import json
from collections.abc import Iterable
from pathlib import Path

import networkx as nx

from ..schema import KnowledgeBase
from ..schema.elements import Edge, all_edges, nodes


def to_networkx(kb: KnowledgeBase, inferred: Iterable[Edge] = ()) -> nx.MultiDiGraph:
    graph = nx.MultiDiGraph()
    for node in sorted(nodes(kb), key=lambda n: n.key):
        graph.add_node(node.key, **node.attributes, kind=node.kind, label=node.label)
    for edge in all_edges(kb, inferred):
        graph.add_edge(
            edge.source,
            edge.target,
            key=edge.relation,
            relation=edge.relation,
            inferred=edge.inferred,
            quote=edge.quote,
            ref_numbers=list(edge.ref_numbers),
            **({"support": edge.support} if edge.support else {}),
        )
    return graph


def write_node_link(graph: nx.MultiDiGraph, path: Path) -> None:
    """node-link JSON, keys sorted, one node or edge a line: readable and diffable, and written by json's C
    encoder (an ``indent`` makes json use its pure-Python one, several times slower on a large corpus)."""
    data = nx.node_link_data(graph, edges="edges")
    compact = functools.partial(json.dumps, ensure_ascii=False, sort_keys=True)
    members = []
    for key in sorted(data):
        value = data[key]
        if isinstance(value, list):
            value = "[\n" + ",\n".join(map(compact, value)) + "\n]" if value else "[]"
        else:
            value = compact(value)
        members.append(f"{compact(key)}: {value}")
    path.write_text("{\n" + ",\n".join(members) + "\n}\n", encoding="utf-8")


def _graphml_safe(value):
    """GraphML takes scalars only: lists and dicts become JSON, None becomes an empty string."""
    if value is None:
        return ""
    if isinstance(value, list | tuple | dict):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return value


def write_graphml(graph: nx.MultiDiGraph, path: Path) -> None:
    safe = nx.MultiDiGraph()
    for node, data in graph.nodes(data=True):
        safe.add_node(node, **{k: _graphml_safe(v) for k, v in data.items()})
    for source, target, key, data in graph.edges(keys=True, data=True):
        safe.add_edge(source, target, key=key, **{k: _graphml_safe(v) for k, v in data.items()})
    nx.write_graphml(safe, path, encoding="utf-8")
