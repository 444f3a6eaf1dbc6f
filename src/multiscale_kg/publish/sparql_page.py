"""The HTML page of ``/-/sparql``: a query box, the example queries, and results as a table a person reads.

Results keep the query's variable order; an IRI of our own resources shows as ``kind/id`` linking to its row
page with its label beside it; other IRIs show with their prefix (``mskg:Strategy``); a language tag is a
small mark after its text.
"""

from __future__ import annotations

import sqlite3
import urllib.parse

from datasette.utils.asgi import Response

from ..graph.namespaces import BASE, PREFIXES
from ..queries.sparql import named_queries
from .entities import labels_of, row_url, split_key
from .query_guard import BASE_IRI
from .results import GRAPH_FORMATS, TABLE_FORMATS

_OWN = BASE + "id/"


def _encode(**params: str) -> str:
    return urllib.parse.urlencode(params)


def examples(datasette) -> list[dict]:
    return [
        {
            "name": q.name,
            "title": q.title,
            "text": q.text,
            "url": datasette.urls.path("/-/sparql?" + _encode(query=q.text)),
        }
        for q in named_queries().values()
    ]


def _own_node(value: dict | None) -> str | None:
    """The ``kind/id`` key of an IRI of our own resources, else None."""
    if value is None or value["type"] != "uri" or not value["value"].startswith(_OWN):
        return None
    return urllib.parse.unquote(value["value"][len(_OWN) :])


def _display(value: dict | None, datasette, database: str, labels: dict[str, str]) -> dict:
    """A result term as the page shows it: short text, a link for our own resources and their label."""
    if value is None:
        return {"text": "", "href": None, "kind": "unbound", "label": None, "lang": None}
    text, href, label, lang = value["value"], None, None, None
    node = _own_node(value)
    if node is not None:
        kind, identifier = split_key(node)
        href = row_url(datasette, database, kind, identifier)
        text = node
        label = labels.get(node)
        if label == identifier:
            label = None  # no label of its own: the id says it all
    elif value["type"] == "uri":
        for prefix, namespace in PREFIXES.items():
            if text.startswith(str(namespace)) and len(text) > len(str(namespace)):
                text = f"{prefix}:{text[len(str(namespace)) :]}"
                break
    elif value["type"] == "bnode":
        text = f"_:{text}"
    else:
        lang = value.get("xml:lang")
    return {"text": text, "href": href, "kind": value["type"], "label": label, "lang": lang}


async def shown_table(table: dict, datasette, database: str) -> dict:
    """The result table with every term prepared for display, labels looked up in one query."""
    nodes = {node for row in table["rows"] for value in row if (node := _own_node(value))}
    labels: dict[str, str] = {}
    if nodes:
        try:
            labels = await labels_of(datasette.get_database(database), nodes)
        except (KeyError, sqlite3.Error):  # another database, or one without a kind's table
            labels = {}
    return {
        "type": table["type"],
        "vars": table["vars"],
        "boolean": table.get("boolean"),
        "rows": [[_display(v, datasette, database, labels) for v in row] for row in table["rows"]],
    }


def downloads(datasette, query: str, graph: bool) -> list[dict]:
    names = list(GRAPH_FORMATS) if graph else list(TABLE_FORMATS)
    return [
        {"name": name, "url": datasette.urls.path("/-/sparql?" + _encode(query=query, format=name))}
        for name in names
    ]


async def page(datasette, request, status: int, **context) -> Response:
    context.setdefault("query", "")
    context.setdefault("error", None)
    context.setdefault("table", None)
    context.setdefault("downloads", [])
    context["base_iri"] = BASE_IRI
    html = await datasette.render_template(
        "mskg_sparql.html", {"examples": examples(datasette), **context}, request=request
    )
    return Response.html(html, status=status)
