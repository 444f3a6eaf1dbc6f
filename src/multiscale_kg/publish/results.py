"""SPARQL results as plain data and in the W3C result formats (JSON, XML, CSV, TSV); the graph formats.

A query result travels from the worker process as a ``Table``-shaped dict: ``type`` (SELECT, ASK,
CONSTRUCT, DESCRIBE), ``vars``, ``rows`` of terms in the SPARQL 1.1 JSON term form
(``{"type": "uri", "value": ...}``, ``None`` for an unbound variable) and, for ASK, ``boolean``.
Graph results also carry their triples as rows (subject, predicate, object) for the HTML page, and their
serialisation as ``text`` (written by Oxigraph in the worker).
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any
from xml.sax.saxutils import escape, quoteattr

Term = dict[str, str]

_XSD = "http://www.w3.org/2001/XMLSchema#"
_NUMERIC = {_XSD + "integer", _XSD + "decimal", _XSD + "double"}
#: datatypes a literal term leaves out: plain strings, and language-tagged strings (they carry xml:lang)
_IMPLICIT = {_XSD + "string", "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"}


def term(node: Any) -> Term | None:
    """An rdflib or pyoxigraph node in the SPARQL 1.1 JSON results term form."""
    if node is None:
        return None
    kind = type(node).__name__
    if kind in ("URIRef", "NamedNode"):
        return {"type": "uri", "value": str(node) if kind == "URIRef" else node.value}
    if kind in ("BNode", "BlankNode"):
        return {"type": "bnode", "value": str(node) if kind == "BNode" else node.value}
    if kind == "Literal":
        value = str(node) if hasattr(node, "toPython") else node.value
        found: Term = {"type": "literal", "value": value}
        datatype = node.datatype
        if node.language:
            found["xml:lang"] = node.language
        elif datatype is not None and _iri(datatype) not in _IMPLICIT:
            found["datatype"] = _iri(datatype)
        return found
    return {"type": "literal", "value": str(node)}


def _iri(node: Any) -> str:
    return node.value if hasattr(node, "value") else str(node)


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


def _xml_term(value: Term) -> str:
    if value["type"] == "uri":
        return f"<uri>{escape(value['value'])}</uri>"
    if value["type"] == "bnode":
        return f"<bnode>{escape(value['value'])}</bnode>"
    attributes = ""
    if "xml:lang" in value:
        attributes = f" xml:lang={quoteattr(value['xml:lang'])}"
    elif "datatype" in value:
        attributes = f" datatype={quoteattr(value['datatype'])}"
    return f"<literal{attributes}>{escape(value['value'])}</literal>"


def to_xml(table: dict) -> bytes:
    """application/sparql-results+xml (the format SPARQLWrapper and rdflib's SPARQLStore ask for first)."""
    lines = [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<sparql xmlns="http://www.w3.org/2005/sparql-results#">',
    ]
    if table["type"] == "ASK":
        lines += ["<head/>", f"<boolean>{'true' if table['boolean'] else 'false'}</boolean>"]
    else:
        variables = table["vars"]
        lines.append("<head>" + "".join(f"<variable name={quoteattr(v)}/>" for v in variables) + "</head>")
        lines.append("<results>")
        for row in table["rows"]:
            bindings = "".join(
                f"<binding name={quoteattr(name)}>{_xml_term(value)}</binding>"
                for name, value in zip(variables, row, strict=True)
                if value is not None
            )
            lines.append(f"<result>{bindings}</result>")
        lines.append("</results>")
    lines.append("</sparql>")
    return ("\n".join(lines) + "\n").encode("utf-8")


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
    "xml": ("application/sparql-results+xml", to_xml),
    "csv": ("text/csv", to_csv),
    "tsv": ("text/tab-separated-values", to_tsv),
}
#: graph format name → (media type, pyoxigraph RdfFormat name) for CONSTRUCT and DESCRIBE; N-Quads and TriG
#: are the dataset formats: the graph is their default graph
GRAPH_FORMATS = {
    "turtle": ("text/turtle", "TURTLE"),
    "nt": ("application/n-triples", "N_TRIPLES"),
    "rdfxml": ("application/rdf+xml", "RDF_XML"),
    "jsonld": ("application/ld+json", "JSON_LD"),
    "nquads": ("application/n-quads", "N_QUADS"),
    "trig": ("application/trig", "TRIG"),
}
