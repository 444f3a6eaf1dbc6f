"""The plugin's own pages: Table 1 charts, causal-graph pictures, the home page's questions and tables, and
``/-/databases`` without the server's paths."""

from __future__ import annotations

import urllib.parse
from pathlib import Path

from datasette.utils import tilde_encode
from datasette.utils.asgi import NotFound, Response
from markupsafe import Markup

from . import charts, graph_picture
from .canned import EXAMPLES, canned_queries
from .settings import SPARQL_PATH, answer_url, settings


async def _database(datasette):
    """The configured database, or None when this Datasette does not serve it."""
    name = settings(datasette)["database"]
    try:
        return name, datasette.get_database(name)
    except KeyError:
        return name, None


def _query_url(datasette, database: str, name: str, **params: str) -> str:
    url = datasette.urls.table(database, name)  # a canned query lives where a table would
    return url + ("?" + urllib.parse.urlencode(params) if params else "")


#: the tables a visitor wants first, in this order, each with what its rows are
MAIN_TABLES = {
    "materials": "compounds and material systems, with formula and elements",
    "measurements": "Table 1 cells and the numbers of the prose: material, scale, property, value",
    "strategies": "multiscale strategies and their families",
    "drawbacks": "drawbacks of nano- and microparticles",
    "causes": "what causes each drawback",
    "features": "features of strategies that mitigate causes",
    "mechanisms": "size-effect mechanisms",
    "claims": "the article's summary judgements, checked against Table 1",
    "evidence": "every quote behind a fact, with its offsets",
    "passages": "the article's text, passage by passage (full-text search)",
    "refs": "the article's references",
}


async def databases_view(datasette, request):
    """Datasette's ``/-/databases``, naming each database file without the folder it is served from."""
    from datasette.views.special import JsonDataView

    def databases():
        return [
            {**found, "path": Path(found["path"]).name if found["path"] else None}
            for found in datasette._connected_databases()
        ]

    return await JsonDataView.as_view(datasette, "databases.json", databases)(request, None)


async def charts_index(datasette, request):
    name, db = await _database(datasette)
    if db is None:
        raise NotFound(f"database {name} is not served")
    items = [
        {
            "property": prop,
            "heading": heading,
            "url": datasette.urls.path(f"/-/charts/{prop}"),
            "svg_url": datasette.urls.path(f"/-/charts/{prop}.svg"),
        }
        for prop, heading in charts.HEADINGS.items()
    ]
    html = await datasette.render_template("mskg_charts.html", {"charts": items}, request=request)
    return Response.html(html)


async def _chart(datasette, request):
    prop = request.url_vars["property"]
    if prop not in charts.HEADINGS:
        raise NotFound(f"no Table 1 chart for {prop!r}; charts exist for {', '.join(charts.HEADINGS)}")
    name, db = await _database(datasette)
    if db is None:
        raise NotFound(f"database {name} is not served")
    documents = await charts.chart_documents(db, prop)
    document = request.args.get("document") or None  # None: every document's Table 1
    if document is not None and document not in {d["id"] for d in documents}:
        raise NotFound(f"document {document!r} has no Table 1 values of {prop}")
    bars = await charts.chart_data(db, prop, document)
    return name, prop, bars, documents, document


def _document_facet(datasette, prop: str, documents: list[dict], document: str | None) -> list[dict]:
    """The documents a chart can show, each linking to its chart, after "all" (the one shown marked)."""
    path = datasette.urls.path(f"/-/charts/{prop}")
    every = {"id": None, "title": "all documents", "count": sum(d["count"] for d in documents)}
    return [
        {**d, "selected": d["id"] == document, "url": path + (f"?document={d['id']}" if d["id"] else "")}
        for d in (every, *documents)
    ]


async def chart_page(datasette, request):
    from .measurement_checks import property_checks

    name, prop, bars, documents, document = await _chart(datasette, request)
    pairs: dict[str, dict[str, charts.Bar]] = {}
    for bar in bars:
        pairs.setdefault(bar.material_id, {})[bar.scale] = bar
    unlike = [
        f"{mine['nano'].material}: {reason}"
        for mine in pairs.values()
        if (reason := charts.mismatch(mine.get("nano"), mine.get("micro")))
    ]
    context = {
        "documents": _document_facet(datasette, prop, documents, document),
        "checks": await property_checks(datasette, datasette.get_database(name), prop, document),
        "property": prop,
        "heading": charts.HEADINGS[prop],
        "log_axis": charts.axis_for(bars, next((b.unit for b in bars if b.unit), "")).log,
        "log_span": charts.LOG_SPAN,
        "unlike": unlike,
        "svg": Markup(charts.chart_svg(prop, bars)),
        "bars": bars,
        "svg_url": datasette.urls.path(f"/-/charts/{prop}.svg")
        + (f"?document={document}" if document else ""),
        "query_url": _query_url(datasette, name, "nano-vs-micro", property=prop),
        "table_url": datasette.urls.table(name, "measurements")
        + "?"
        + urllib.parse.urlencode(
            {"source": "table1", "property": prop, **({"document_id": document} if document else {})}
        ),
        "others": [
            {"heading": h, "url": datasette.urls.path(f"/-/charts/{p}")}
            for p, h in charts.HEADINGS.items()
            if p != prop
        ],
    }
    html = await datasette.render_template("mskg_chart.html", context, request=request)
    return Response.html(html)


async def chart_svg_view(datasette, request):
    _, prop, bars, *_ = await _chart(datasette, request)
    return Response(charts.chart_svg(prop, bars), content_type="image/svg+xml; charset=utf-8")


async def _picture(datasette, request):
    kind, identifier = request.url_vars["kind"], urllib.parse.unquote(request.url_vars["id"])
    name, db = await _database(datasette)
    svg = await graph_picture.picture(datasette, name, kind, identifier) if db is not None else None
    if svg is None:
        raise NotFound(f"no {kind} {identifier!r}")
    return name, kind, identifier, svg


async def graph_page(datasette, request):
    name, kind, identifier, svg = await _picture(datasette, request)
    table = {"strategy": "strategies", "drawback": "drawbacks"}[kind]
    context = {
        "kind": kind,
        "id": identifier,
        "svg": Markup(svg),
        "row_url": datasette.urls.row(name, table, tilde_encode(identifier)),
        "svg_url": datasette.urls.path(f"/-/graph/{kind}/{identifier}.svg"),
    }
    html = await datasette.render_template("mskg_graph.html", context, request=request)
    return Response.html(html)


async def graph_svg_view(datasette, request):
    *_, svg = await _picture(datasette, request)
    return Response(svg, content_type="image/svg+xml; charset=utf-8")


async def home(datasette) -> dict | None:
    """The home page's questions, each answered one click away."""
    name, db = await _database(datasette)
    if db is None or "drawbacks" not in await db.table_names():
        return None
    counts = {}
    if "strategy_addresses" in await db.table_names():
        rows = await db.execute(
            "select drawback_id, count(distinct strategy_id) from strategy_addresses group by drawback_id"
        )
        counts = {r[0]: r[1] for r in rows}
    rows = await db.execute(
        "select id, label, scale, kind from drawbacks order by kind = 'tradeoff', scale desc, label"
    )
    groups: dict[str, list[dict]] = {}
    for row in rows:
        heading = {"nano": "Nanoparticles", "micro": "Microparticles"}.get(row["scale"], "Other")
        if row["kind"] == "tradeoff":
            heading = "Trade-offs of multiscale strategies"
        groups.setdefault(heading, []).append(
            {
                "id": row["id"],
                "label": row["label"],
                "strategies": counts.get(row["id"]),
                "url": answer_url(datasette, row["id"]),
                "picture_url": datasette.urls.path(f"/-/graph/drawback/{row['id']}"),
            }
        )
    queries = [
        {
            "title": q.title,
            "description": q.description,
            "url": _query_url(datasette, name, q.name, **{p: EXAMPLES[p] for p in q.params if p in EXAMPLES}),
        }
        for q in canned_queries().values()
    ]
    counts = await db.table_counts(limit=1000)
    tables = [
        {"name": t, "url": datasette.urls.table(name, t), "count": counts.get(t), "about": about}
        for t, about in MAIN_TABLES.items()
        if t in counts
    ]
    return {
        "database": name,
        "drawbacks": groups,
        "charts": [
            {"heading": h, "url": datasette.urls.path(f"/-/charts/{p}")} for p, h in charts.HEADINGS.items()
        ],
        "queries": queries,
        "tables": tables,
        "tables_url": datasette.urls.database(name),
        "sparql_url": datasette.urls.path(SPARQL_PATH),
        "claims_url": _query_url(datasette, name, "claim-checks"),
    }
