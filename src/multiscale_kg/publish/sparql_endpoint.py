"""``/-/sparql``: the SPARQL 1.1 Protocol for queries, read-only and bounded, and an HTML page to try it.

GET ``?query=``, POST ``application/x-www-form-urlencoded`` (``query=``) or POST
``application/sparql-query``. SELECT and ASK answer as ``application/sparql-results+json``, ``text/csv``
or ``text/tab-separated-values``; CONSTRUCT and DESCRIBE as ``text/turtle`` or ``application/n-triples``;
any of them as the HTML page, chosen by the Accept header or a ``format`` parameter. Updates, SERVICE,
LOAD, FROM and ``file:`` IRIs are refused with 400 and the reason (``query_guard``); a query runs in a worker
process (``sparql_pool``) under a time limit (408) and a row cap (413).
"""

from __future__ import annotations

import asyncio
import time
import urllib.parse
from dataclasses import dataclass
from pathlib import Path

from datasette.utils.asgi import Response

from ..graph.namespaces import BASE, PREFIXES
from ..graph.serialize import FORMATS
from ..queries.sparql import QueryError, named_queries
from .entities import row_url, split_key
from .query_guard import check
from .results import GRAPH_FORMATS, TABLE_FORMATS
from .settings import settings
from .sparql_pool import Limits, pool_for

#: longer queries are refused before parsing (parsing runs in the server process)
MAX_QUERY_CHARS = 20_000

_TABLE_OFFERS = [
    ("application/sparql-results+json", "json"),
    ("application/json", "json"),
    ("text/csv", "csv"),
    ("text/tab-separated-values", "tsv"),
    ("text/html", "html"),
    ("application/xhtml+xml", "html"),
]
_GRAPH_OFFERS = [
    ("text/turtle", "turtle"),
    ("application/x-turtle", "turtle"),
    ("application/n-triples", "nt"),
    ("text/plain", "nt"),
    ("text/html", "html"),
    ("application/xhtml+xml", "html"),
]
_FORMAT_ALIASES = {"ttl": "turtle", "ntriples": "nt", "n-triples": "nt"}


class ProtocolError(Exception):
    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status


def negotiate(accept: str | None, graph: bool) -> str | None:
    """The result format an Accept header asks for (the first of our offers on ``*/*``); None: none fits."""
    offers = _GRAPH_OFFERS if graph else _TABLE_OFFERS
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


def _explicit_format(value: str, graph: bool) -> str:
    name = _FORMAT_ALIASES.get(value.lower(), value.lower())
    allowed = ["html", *(GRAPH_FORMATS if graph else TABLE_FORMATS)]
    if name not in allowed:
        kind = "CONSTRUCT and DESCRIBE" if graph else "SELECT and ASK"
        raise ProtocolError(400, f"format {value!r} is not available for {kind}; expected one of {allowed}")
    return name


@dataclass
class Call:
    """One protocol request: the query and how its answer is wanted."""

    query: str | None
    accept: str | None
    explicit_format: str | None


async def read_call(request) -> Call:
    """The query of a GET or POST as the SPARQL 1.1 Protocol passes it; ProtocolError when malformed."""
    args = request.args
    if request.method == "POST":
        media = request.headers.get("content-type", "").split(";")[0].strip().lower()
        body = await request.post_body()
        if media == "application/sparql-query":
            params: dict[str, str] = {"query": body.decode("utf-8", "replace")}
        elif media == "application/x-www-form-urlencoded":
            params = dict(urllib.parse.parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True))
        elif media == "application/sparql-update":
            raise ProtocolError(400, "updates are not allowed: this endpoint is read-only")
        else:
            raise ProtocolError(
                415,
                f"unsupported content type {media or '(none)'!r}; POST application/sparql-query or "
                "application/x-www-form-urlencoded with query=",
            )
        params.update({k: args.get(k) for k in args if k not in params})
    else:
        params = {k: args.get(k) for k in args}
    if "update" in params:
        raise ProtocolError(400, "updates are not allowed: this endpoint is read-only")
    for name in ("default-graph-uri", "named-graph-uri"):
        if name in params:
            raise ProtocolError(400, f"{name} is not allowed: the dataset is fixed (use GRAPH in the query)")
    query = params.get("query")
    if query is not None and len(query) > MAX_QUERY_CHARS:
        raise ProtocolError(413, f"the query is longer than {MAX_QUERY_CHARS} characters")
    accept = request.headers.get("accept")
    return Call(query if query and query.strip() else None, accept, params.get("format"))


def _folder(datasette, database: str) -> Path:
    try:
        db = datasette.get_database(database)
    except KeyError:
        raise ProtocolError(503, f"no database {database!r} is served: serve db/{database}.db") from None
    if not db.path:
        raise ProtocolError(503, f"database {database!r} has no file, so no RDF beside it")
    folder = Path(db.path).parent
    if not (folder / FORMATS["nq"]).exists():
        raise ProtocolError(503, f"{folder / FORMATS['nq']} not found: run 'mskg build'")
    return folder


def _display(value: dict | None, datasette, database: str) -> dict:
    """A result term as the HTML page shows it: short text, and a link for our own resources."""
    if value is None:
        return {"text": "", "href": None, "kind": "unbound"}
    text, href = value["value"], None
    if value["type"] == "uri":
        if text.startswith(BASE + "id/"):
            kind, identifier = split_key(urllib.parse.unquote(text[len(BASE) + 3 :]))
            href = row_url(datasette, database, kind, identifier)
            text = f"{kind}/{identifier}"
        else:
            for prefix, namespace in PREFIXES.items():
                if text.startswith(str(namespace)) and len(text) > len(str(namespace)):
                    text = f"{prefix}:{text[len(str(namespace)) :]}"
                    break
    elif value["type"] == "bnode":
        text = f"_:{text}"
    elif "xml:lang" in value:
        text = f"{text} @{value['xml:lang']}"
    return {"text": text, "href": href, "kind": value["type"]}


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


async def _page(datasette, request, status: int, **context) -> Response:
    context.setdefault("query", "")
    context.setdefault("error", None)
    context.setdefault("table", None)
    context.setdefault("downloads", [])
    html = await datasette.render_template(
        "mskg_sparql.html", {"examples": examples(datasette), **context}, request=request
    )
    return Response.html(html, status=status)


def _error(status: int, message: str, html: bool, datasette, request, query: str | None):
    if html:
        return _page(datasette, request, status, query=query or "", error=message)
    return _plain(status, message)


async def _plain(status: int, message: str) -> Response:
    return Response.text(f"{message}\n", status=status)


def _downloads(datasette, query: str, graph: bool) -> list[dict]:
    names = list(GRAPH_FORMATS) if graph else list(TABLE_FORMATS)
    return [
        {
            "name": name,
            "url": datasette.urls.path("/-/sparql?" + _encode(query=query, format=name)),
        }
        for name in names
    ]


async def sparql_view(datasette, request) -> Response:
    config = settings(datasette)
    wants_html = negotiate(request.headers.get("accept"), graph=False) == "html"
    try:
        call = await read_call(request)
    except ProtocolError as error:
        return await _error(error.status, str(error), wants_html, datasette, request, None)
    if call.query is None:
        if wants_html or call.explicit_format == "html":
            return await _page(datasette, request, 200)
        return await _plain(400, "no query: pass the SPARQL query as ?query= or POST it")
    try:
        prepared = check(call.query)
        graph = prepared.algebra.name in ("ConstructQuery", "DescribeQuery")
        if call.explicit_format:
            result_format = _explicit_format(call.explicit_format, graph)
        else:
            result_format = negotiate(call.accept, graph)
            if result_format is None:
                offers = ", ".join(m for m, _ in (_GRAPH_OFFERS if graph else _TABLE_OFFERS))
                raise ProtocolError(406, f"cannot answer as {call.accept!r}; available: {offers}")
        folder = _folder(datasette, config["database"])
    except QueryError as error:
        return await _error(400, str(error), wants_html, datasette, request, call.query)
    except ProtocolError as error:
        return await _error(error.status, str(error), wants_html, datasette, request, call.query)
    limits = Limits(
        time_limit_s=float(config["sparql_time_limit_s"]),
        max_rows=int(config["sparql_max_rows"]),
        workers=int(config["sparql_workers"]),
        memory_mb=int(config["sparql_memory_mb"]),
    )
    started = time.perf_counter()
    reply = await asyncio.to_thread(pool_for(folder, limits).run, call.query, result_format)
    seconds = time.perf_counter() - started
    html = result_format == "html"
    if reply["status"] != 200:
        return await _error(reply["status"], reply["error"], html, datasette, request, call.query)
    table = reply["table"]
    if html:
        shown = {
            "type": table["type"],
            "vars": table["vars"],
            "boolean": table.get("boolean"),
            "rows": [[_display(v, datasette, config["database"]) for v in row] for row in table["rows"]],
        }
        return await _page(
            datasette,
            request,
            200,
            query=call.query,
            table=shown,
            seconds=seconds,
            downloads=_downloads(datasette, call.query, graph),
        )
    if graph:
        media = GRAPH_FORMATS[result_format][0]
        return Response(table["text"], content_type=f"{media}; charset=utf-8")
    media, serialize = TABLE_FORMATS[result_format]
    return Response(serialize(table), content_type=f"{media}; charset=utf-8")
