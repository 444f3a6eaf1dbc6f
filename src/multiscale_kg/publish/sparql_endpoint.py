"""``/-/sparql``: the SPARQL 1.1 Protocol for queries, read-only and bounded, and an HTML page to try it.

GET ``?query=``, POST ``application/x-www-form-urlencoded`` (``query=``) or POST ``application/sparql-query``
(``protocol``), with ``default-graph-uri``/``named-graph-uri`` choosing among the named graphs. SELECT and
ASK answer as SPARQL results in JSON, XML, CSV or TSV; CONSTRUCT and DESCRIBE as Turtle, N-Triples, RDF/XML,
JSON-LD, or N-Quads and TriG (the graph as a dataset's default graph); any of them as the HTML page. A GET
without parameters answers the Service Description (Turtle), or the page for a browser. Other methods get 405
with ``Allow``; OPTIONS is a CORS preflight, and every answer allows any origin and varies with Accept.

Updates, SERVICE and ``file:`` IRIs are refused with 400 and the reason (``query_guard``); a query runs in a
worker process (``sparql_pool``) under a time limit (408) and a row cap (413); a failure of the worker
itself is 500, with the details in the server's log.
"""

from __future__ import annotations

import asyncio
import logging
import time
from pathlib import Path

from datasette.utils.asgi import Response

from ..graph.store import STORE_NAME
from ..queries.sparql import QueryError
from . import sparql_page
from .protocol import Call, ProtocolError, negotiate, negotiate_among, read_call, result_format
from .query_guard import check
from .results import GRAPH_FORMATS, TABLE_FORMATS
from .service_description import GRAPH_COUNTS, service_description
from .settings import settings
from .sparql_pool import Limits, pool_for

log = logging.getLogger(__name__)

ALLOWED_METHODS = "GET, HEAD, POST, OPTIONS"
#: any page or notebook may query the endpoint: it is public, read-only and takes no credentials
CORS_HEADERS = {"Access-Control-Allow-Origin": "*"}
PREFLIGHT_MAX_AGE_S = 86400
_DESCRIPTION_OFFERS = [
    ("text/turtle", "turtle"),
    ("application/x-turtle", "turtle"),
    ("text/html", "html"),
    ("application/xhtml+xml", "html"),
]


def _folder(datasette, database: str) -> Path:
    try:
        db = datasette.get_database(database)
    except KeyError:
        raise ProtocolError(503, f"no database {database!r} is served: serve db/{database}.db") from None
    if not db.path:
        raise ProtocolError(503, f"database {database!r} has no file, so no RDF beside it")
    folder = Path(db.path).parent
    if not (folder / STORE_NAME / "CURRENT").is_file():
        raise ProtocolError(503, f"no graph store ({STORE_NAME}/) beside the database: run 'mskg build'")
    return folder


def _pool(datasette):
    config = settings(datasette)
    limits = Limits(
        time_limit_s=float(config["sparql_time_limit_s"]),
        max_rows=int(config["sparql_max_rows"]),
        workers=int(config["sparql_workers"]),
        memory_mb=int(config["sparql_memory_mb"]),
    )
    return pool_for(_folder(datasette, config["database"]), limits)


async def _run(datasette, query: str, result_format: str, dataset: dict | None = None) -> dict:
    pool = _pool(datasette)
    reply = await asyncio.to_thread(pool.run, query, result_format, dataset)
    if reply["status"] == 500:
        detail = reply.get("detail", reply["error"])
        log.error("SPARQL worker failed on the query %r: %s", query[:300], detail)
    return reply


async def _plain(status: int, message: str, headers: dict | None = None) -> Response:
    return Response.text(f"{message}\n", status=status, headers=headers or {})


async def _error(status: int, message: str, html: bool, datasette, request, query: str | None, headers=None):
    if html:
        response = await sparql_page.page(datasette, request, status, query=query or "", error=message)
        response.headers.update(headers or {})
        return response
    return await _plain(status, message, headers)


def _retry(reply: dict) -> dict:
    """Retry-After for a 503 of a busy pool (RFC 9110: seconds)."""
    return {"Retry-After": str(reply["retry_after"])} if "retry_after" in reply else {}


def _preflight(request) -> Response:
    asked = request.headers.get("access-control-request-headers")
    return Response(
        "",
        status=204,
        headers={
            "Allow": ALLOWED_METHODS,
            "Access-Control-Allow-Methods": "GET, POST, OPTIONS",
            "Access-Control-Allow-Headers": asked or "Accept, Content-Type",
            "Access-Control-Max-Age": str(PREFLIGHT_MAX_AGE_S),
        },
    )


async def _describe(datasette, request) -> Response:
    """The Service Description, with the named graphs and their sizes as the workers see them."""
    try:
        reply = await _run(datasette, GRAPH_COUNTS, "json")
    except ProtocolError as error:
        return await _plain(error.status, str(error))
    if reply["status"] != 200:
        return await _plain(reply["status"], reply["error"], _retry(reply))
    graphs = [(row[0]["value"], int(row[1]["value"])) for row in reply["table"]["rows"]]
    endpoint = f"{request.scheme}://{request.host}{request.path}"
    return Response(service_description(endpoint, graphs), content_type="text/turtle; charset=utf-8")


async def _no_query(datasette, request, call: Call, wants_html: bool) -> Response:
    if call.bare or call.formats:
        choice = "html" if "html" in call.formats else negotiate_among(call.accept, _DESCRIPTION_OFFERS)
        if choice == "html":
            return await sparql_page.page(datasette, request, 200)
        if choice == "turtle":
            return await _describe(datasette, request)
    return await _error(
        400, "no query: pass the SPARQL query as ?query= or POST it", wants_html, datasette, request, None
    )


async def _answer(datasette, request) -> Response:
    if request.method == "OPTIONS":
        return _preflight(request)
    if request.method not in ("GET", "HEAD", "POST"):
        return await _plain(
            405,
            f"method {request.method} is not allowed: SPARQL queries are GET or POST",
            {"Allow": ALLOWED_METHODS},
        )
    wants_html = negotiate(request.headers.get("accept"), graph=False) == "html"
    try:
        call = await read_call(request)
    except ProtocolError as error:
        return await _error(error.status, str(error), wants_html, datasette, request, None)
    if call.query is None:
        return await _no_query(datasette, request, call, wants_html)
    try:
        prepared = check(call.query)
        graph = prepared.algebra.name in ("ConstructQuery", "DescribeQuery")
        chosen = result_format(call, graph)
        dataset = {"default": list(call.dataset.default), "named": list(call.dataset.named)}
        started = time.perf_counter()
        reply = await _run(datasette, call.query, chosen, dataset if call.dataset else None)
        seconds = time.perf_counter() - started
    except QueryError as error:
        return await _error(400, str(error), wants_html, datasette, request, call.query)
    except ProtocolError as error:
        return await _error(error.status, str(error), wants_html, datasette, request, call.query)
    html = chosen == "html"
    if reply["status"] != 200:
        return await _error(
            reply["status"], reply["error"], html, datasette, request, call.query, _retry(reply)
        )
    table = reply["table"]
    if html:
        return await sparql_page.page(
            datasette,
            request,
            200,
            query=call.query,
            table=await sparql_page.shown_table(table, datasette, settings(datasette)["database"]),
            seconds=seconds,
            downloads=sparql_page.downloads(datasette, call.query, graph),
        )
    if graph:
        media = GRAPH_FORMATS[chosen][0]
        return Response(table["text"], content_type=f"{media}; charset=utf-8")
    media, serialize = TABLE_FORMATS[chosen]
    return Response(serialize(table), content_type=f"{media}; charset=utf-8")


async def sparql_view(datasette, request) -> Response:
    response = await _answer(datasette, request)
    response.headers.update(CORS_HEADERS)
    response.headers["Vary"] = "Accept"  # the same URL answers JSON, XML, CSV, Turtle or HTML
    return response
