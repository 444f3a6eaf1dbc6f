"""What a SPARQL 1.1 Protocol request asks: the query, the dataset, and the format of the answer.

Read from a GET (``?query=``), a POST form (``query=`` in an ``application/x-www-form-urlencoded`` body) or a
POST ``application/sparql-query`` body, with ``default-graph-uri`` and ``named-graph-uri`` (repeatable) in the
URL or the form. The answer's format is chosen by the ``format``, ``output`` or ``results`` parameter when
one is given (clients such as SPARQLWrapper send all three, sometimes twice: ``format=tsv`` and
``format=text/tab-separated-values``), otherwise by the Accept header. Every malformed request is a
``ProtocolError`` with its status: 400 (no query, two queries, an update), 413, 415 (a body the protocol
does not define, or not UTF-8), 406 (no acceptable format).
"""

from __future__ import annotations

import urllib.parse
from dataclasses import dataclass, field

from .results import GRAPH_FORMATS, TABLE_FORMATS

#: longer queries are refused before parsing (parsing runs in the server process)
MAX_QUERY_CHARS = 20_000
READ_ONLY = "updates are not allowed: this endpoint is read-only"

#: media type → result format name, in order of preference (the first answers ``*/*``)
TABLE_OFFERS = [
    ("application/sparql-results+json", "json"),
    ("application/json", "json"),
    ("application/sparql-results+xml", "xml"),
    ("application/xml", "xml"),
    ("text/csv", "csv"),
    ("text/tab-separated-values", "tsv"),
    ("text/xml", "xml"),
    ("text/html", "html"),
    ("application/xhtml+xml", "html"),
]
GRAPH_OFFERS = [
    ("text/turtle", "turtle"),
    ("application/x-turtle", "turtle"),
    ("text/n3", "turtle"),  # Turtle is N3
    ("application/n-triples", "nt"),
    ("text/plain", "nt"),
    ("application/rdf+xml", "rdfxml"),
    ("application/xml", "rdfxml"),
    ("application/ld+json", "jsonld"),
    ("application/json", "jsonld"),
    ("application/n-quads", "nquads"),
    ("application/trig", "trig"),
    ("text/html", "html"),
    ("application/xhtml+xml", "html"),
]
#: names a ``format`` parameter may give, per kind of answer (media types of the offers are understood too)
TABLE_NAMES = {"json": "json", "xml": "xml", "csv": "csv", "tsv": "tsv", "html": "html"}
GRAPH_NAMES = {
    "turtle": "turtle",
    "ttl": "turtle",
    "n3": "turtle",
    "nt": "nt",
    "ntriples": "nt",
    "n-triples": "nt",
    "xml": "rdfxml",
    "rdf": "rdfxml",
    "rdf+xml": "rdfxml",
    "rdfxml": "rdfxml",
    "json": "jsonld",
    "json-ld": "jsonld",
    "jsonld": "jsonld",
    "nq": "nquads",
    "nquads": "nquads",
    "n-quads": "nquads",
    "trig": "trig",
    "html": "html",
}
FORMAT_PARAMETERS = ("format", "output", "results")
#: rdflib's SPARQLStore under a Dataset sends this as default-graph-uri: it means the endpoint's default graph
RDFLIB_DEFAULT_GRAPH = "urn:x-rdflib:default"


class ProtocolError(Exception):
    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class GraphSet:
    """A protocol-specified dataset: the graphs merged into the default graph, and the named graphs."""

    default: tuple[str, ...] = ()
    named: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.default or self.named)


@dataclass
class Call:
    """One protocol request: the query, its dataset, and how its answer is wanted."""

    query: str | None
    dataset: GraphSet = field(default_factory=GraphSet)
    accept: str | None = None
    formats: tuple[str, ...] = ()  # values of format/output/results, in the order given
    bare: bool = False  # a GET with no parameter at all: the service description is wanted


def negotiate(accept: str | None, graph: bool) -> str | None:
    """The result format an Accept header asks for (the first of our offers on ``*/*``); None: none fits."""
    return negotiate_among(accept, GRAPH_OFFERS if graph else TABLE_OFFERS)


def negotiate_among(accept: str | None, offers: list[tuple[str, str]]) -> str | None:
    entries = []
    for order, part in enumerate((accept or "*/*").split(",")):
        media, *params = [p.strip() for p in part.split(";")]
        q = 1.0
        for param in params:
            name, _, value = param.partition("=")
            if name.strip() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        if media and q > 0:
            specificity = 0 if media == "*/*" else 1 if media.endswith("/*") else 2
            entries.append((-q, -specificity, order, media.lower()))
    for *_, media in sorted(entries):
        if media == "*/*":
            return offers[0][1]
        for offered, name in offers:
            if media == offered or (media.endswith("/*") and offered.startswith(media[:-1])):
                return name
    return None


def requested_format(values: tuple[str, ...], graph: bool) -> str:
    """The format named by the first usable ``format``/``output``/``results`` value; ProtocolError if none."""
    names = GRAPH_NAMES if graph else TABLE_NAMES
    media_types = dict(GRAPH_OFFERS if graph else TABLE_OFFERS)
    for value in values:
        wanted = value.strip().lower()
        found = names.get(wanted) or media_types.get(wanted.split(";")[0].strip())
        if found:
            return found
    kind = "CONSTRUCT and DESCRIBE" if graph else "SELECT and ASK"
    available = sorted(set(names) | set(media_types))
    raise ProtocolError(
        400, f"format {values[0]!r} is not available for {kind}; expected one of {', '.join(available)}"
    )


def result_format(call: Call, graph: bool) -> str:
    """The answer's format: the format parameter when given, else the Accept header (406 when none fits)."""
    if call.formats:
        return requested_format(call.formats, graph)
    found = negotiate(call.accept, graph)
    if found is None:
        offers = ", ".join(dict.fromkeys(m for m, _ in (GRAPH_OFFERS if graph else TABLE_OFFERS)))
        raise ProtocolError(406, f"cannot answer as {call.accept!r}; available: {offers}")
    return found


def _media(content_type: str) -> tuple[str, str | None]:
    """A Content-Type's media type and charset (lower case)."""
    media, *params = [p.strip() for p in content_type.split(";")]
    charsets = [v for k, _, v in (p.partition("=") for p in params) if k.strip().lower() == "charset"]
    return media.lower(), (charsets[0].strip().strip('"').lower() if charsets else None)


def _text(body: bytes, charset: str | None) -> str:
    if charset not in (None, "utf-8", "utf8"):
        raise ProtocolError(415, f"charset {charset!r} is not supported: send the request body as UTF-8")
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as error:
        message = f"the request body is not UTF-8 ({error.reason} at byte {error.start})"
        raise ProtocolError(400, message) from None


async def read_call(request) -> Call:
    """The request as the SPARQL 1.1 Protocol defines it; ProtocolError when it is malformed or an update."""
    pairs = urllib.parse.parse_qsl(request.query_string, keep_blank_values=True)
    if request.method == "POST":
        media, charset = _media(request.headers.get("content-type", ""))
        body = await request.post_body()
        if media == "application/sparql-query":
            pairs.append(("query", _text(body, charset)))
        elif media == "application/x-www-form-urlencoded":
            pairs += urllib.parse.parse_qsl(_text(body, charset), keep_blank_values=True)
        elif media == "application/sparql-update":
            raise ProtocolError(400, READ_ONLY)
        else:
            raise ProtocolError(
                415,
                f"unsupported content type {media or '(none)'!r}; POST application/sparql-query or "
                "application/x-www-form-urlencoded with query=",
            )
    names = [name for name, _ in pairs]
    if "update" in names or "using-graph-uri" in names or "using-named-graph-uri" in names:
        raise ProtocolError(400, READ_ONLY)
    queries = [value for name, value in pairs if name == "query"]
    if len(queries) > 1:
        raise ProtocolError(400, f"{len(queries)} query parameters: send exactly one query")
    query = queries[0] if queries else None
    if query is not None and len(query) > MAX_QUERY_CHARS:
        raise ProtocolError(413, f"the query is longer than {MAX_QUERY_CHARS} characters")
    dataset = GraphSet(
        tuple(v for n, v in pairs if n == "default-graph-uri"),
        tuple(v for n, v in pairs if n == "named-graph-uri"),
    )
    if dataset == GraphSet((RDFLIB_DEFAULT_GRAPH,)):  # rdflib's name for "the default graph": ours
        dataset = GraphSet()
    for iri in (*dataset.default, *dataset.named):
        if not urllib.parse.urlsplit(iri).scheme:
            raise ProtocolError(400, f"graph IRIs must be absolute; got {iri!r}")
    return Call(
        query=query if query and query.strip() else None,
        dataset=dataset,
        accept=request.headers.get("accept"),
        formats=tuple(v for n, v in pairs if n in FORMAT_PARAMETERS and v.strip()),
        bare=request.method in ("GET", "HEAD") and not pairs,
    )


def media_type(name: str, graph: bool) -> str:
    return (GRAPH_FORMATS if graph else TABLE_FORMATS)[name][0]
