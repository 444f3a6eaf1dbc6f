"""SPARQL results as plain data and in the W3C result formats (JSON, CSV, TSV).

A query result travels from the worker process as a ``Table``-shaped dict: ``type`` (SELECT, ASK,
CONSTRUCT, DESCRIBE), ``vars``, ``rows`` of terms in the SPARQL 1.1 JSON term form
(``{"type": "uri", "value": ...}``, ``None`` for an unbound variable) and, for ASK, ``boolean``.
Graph results also carry their triples as rows (subject, predicate, object) for the HTML page.
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from rdflib import BNode, Literal, URIRef
from rdflib.namespace import XSD

Term = dict[str, str]

_NUMERIC = {str(XSD.integer), str(XSD.decimal), str(XSD.double)}


def term(node: Any) -> Term | None:
    """An rdflib node in the SPARQL 1.1 JSON results term form."""
    if node is None:
        return None
    if isinstance(node, URIRef):
        return {"type": "uri", "value": str(node)}
    if isinstance(node, BNode):
        return {"type": "bnode", "value": str(node)}
    if isinstance(node, Literal):
        found: Term = {"type": "literal", "value": str(node)}
        if node.language:
            found["xml:lang"] = node.language
        elif node.datatype is not None and node.datatype != XSD.string:
            found["datatype"] = str(node.datatype)
        return found
    return {"type": "literal", "value": str(node)}


def to_json(table: dict) -> bytes:
    """application/sparql-results+json"""
    if table["type"] == "ASK":
        body: dict = {"head": {}, "boolean": table["boolean"]}
    else:
        variables = table["vars"]
        bindings = [
            {name: value for name, value in zip(variables, row, strict=True) if value is not None}
            for row in table["rows"]
        ]
        body = {"head": {"vars": variables}, "results": {"bindings": bindings}}
    return json.dumps(body, ensure_ascii=False).encode("utf-8")


def _csv_value(value: Term | None) -> str:
    if value is None:
        return ""
    if value["type"] == "bnode":
        return f"_:{value['value']}"
    return value["value"]


def to_csv(table: dict) -> bytes:
    """text/csv as the SPARQL 1.1 CSV format: plain values, RFC 4180 quoting, CRLF line ends."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    if table["type"] == "ASK":
        writer.writerows([["boolean"], ["true" if table["boolean"] else "false"]])
    else:
        writer.writerow(table["vars"])
        writer.writerows([_csv_value(v) for v in row] for row in table["rows"])
    return out.getvalue().encode("utf-8")


def _escape(text: str) -> str:
    return (
        text.replace("\\", "\\\\")
        .replace('"', '\\"')
        .replace("\n", "\\n")
        .replace("\r", "\\r")
        .replace("\t", "\\t")
    )


def _tsv_value(value: Term | None) -> str:
    """A term in Turtle syntax, as the SPARQL 1.1 TSV format wants."""
    if value is None:
        return ""
    if value["type"] == "uri":
        return f"<{value['value']}>"
    if value["type"] == "bnode":
        return f"_:{value['value']}"
    if value.get("datatype") in _NUMERIC and "\t" not in value["value"]:
        return value["value"]
    text = f'"{_escape(value["value"])}"'
    if "xml:lang" in value:
        return f"{text}@{value['xml:lang']}"
    if "datatype" in value:
        return f"{text}^^<{value['datatype']}>"
    return text


def to_tsv(table: dict) -> bytes:
    """text/tab-separated-values as the SPARQL 1.1 TSV format: ?var headers, terms in Turtle syntax."""
    if table["type"] == "ASK":
        lines = ["?boolean", "true" if table["boolean"] else "false"]
    else:
        lines = ["\t".join(f"?{v}" for v in table["vars"])]
        lines += ["\t".join(_tsv_value(v) for v in row) for row in table["rows"]]
    return ("\n".join(lines) + "\n").encode("utf-8")


#: result format name → (media type, serializer) for SELECT and ASK
TABLE_FORMATS = {
    "json": ("application/sparql-results+json", to_json),
    "csv": ("text/csv", to_csv),
    "tsv": ("text/tab-separated-values", to_tsv),
}
#: graph format name → (media type, rdflib serializer name) for CONSTRUCT and DESCRIBE
GRAPH_FORMATS = {
    "turtle": ("text/turtle", "turtle"),
    "nt": ("application/n-triples", "nt"),
}
