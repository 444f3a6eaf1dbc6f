"""The Datasette plugin's hooks: the SPARQL endpoint, Table 1 charts, causal-graph pictures, the home page's
questions and the relations on entity row pages; how cells read; example values for canned queries.

Registered through the ``datasette`` entry point as the ``multiscale_kg.publish`` package, which re-exports
these hooks: Datasette finds a plugin's ``templates/`` and ``static/`` beside the registered package. The
hooks import their pages on first use, so that ``mskg`` commands (which import ``publish.commands``) stay
quick to start. Pages read the database named by the ``database`` setting (``multiscale``); on any other
Datasette the plugin adds nothing to the home and row pages.
"""

from __future__ import annotations

from pluggy import HookimplMarker

from .settings import SPARQL_PATH

hookimpl = HookimplMarker("datasette")  # the marker datasette.hookimpl is, without importing Datasette


@hookimpl
def register_routes(datasette):
    from . import pages
    from .answers import answer_view
    from .documents import document_view, documents_index
    from .sparql_endpoint import sparql_view

    return [
        (r"^/-/answers/(?P<drawback>[^/]+)$", answer_view),
        (r"^/-/documents$", documents_index),
        (r"^/-/documents/(?P<id>[^/]+)$", document_view),
        (r"^/-/sparql$", sparql_view),
        (r"^/-/charts$", pages.charts_index),
        (r"^/-/charts/(?P<property>[a-z_]+)\.svg$", pages.chart_svg_view),
        (r"^/-/charts/(?P<property>[a-z_]+)$", pages.chart_page),
        (r"^/-/graph/(?P<kind>strategy|drawback)/(?P<id>[^/]+)\.svg$", pages.graph_svg_view),
        (r"^/-/graph/(?P<kind>strategy|drawback)/(?P<id>[^/]+)$", pages.graph_page),
        (r"^/-/databases(\.(?P<format>json))?$", pages.databases_view),
    ]


@hookimpl
def skip_csrf(datasette, scope):
    """SPARQL clients POST without a CSRF token (the Protocol has none); the endpoint is read-only."""
    return scope.get("type") == "http" and scope.get("path") == SPARQL_PATH


@hookimpl
def extra_template_vars(template, database, table, view_name, request, datasette):
    from .settings import settings

    async def variables():
        if view_name == "table" and table == "measurements" and database == settings(datasette)["database"]:
            from .measurements_table import layout

            return {"mskg_measurements_layout": layout}
        if view_name == "index":
            from .documents import home_documents
            from .pages import home

            return {"mskg_home": await home(datasette), "mskg_documents": await home_documents(datasette)}
        if view_name == "row" and database == settings(datasette)["database"] and request is not None:
            pks = request.url_vars.get("pks", "")
            if "," not in pks:
                from datasette.utils import tilde_decode

                from .entities import entity_context

                return {"mskg_entity": await entity_context(datasette, database, table, tilde_decode(pks))}
        return {}

    return variables


@hookimpl
def render_cell(row, value, column, table, database, datasette):
    """Numbers with their unit (``units`` in the metadata); in our database, property keys as labels, formulas
    with subscripts, element lists as symbols and QUDT unit IRIs as short links (``cells``); a document's
    title links to its page."""
    from .settings import settings

    ours = database == settings(datasette)["database"]
    if ours and table == "documents" and column == "title" and isinstance(value, str) and "id" in row.keys():  # noqa: SIM118 (a Row's ``in`` reads values)
        from .documents import title_link

        return title_link(datasette, row, value)
    from .cells import rendered

    return rendered(value, column, table, database, datasette, ours)


@hookimpl
def prepare_jinja2_environment(env, datasette):
    """``|mskg_formula``: a text with the counts of its formulas as subscripts (LiFePO₄); ``|mskg_property``:
    a property key as people name it (first_cycle_ce → first-cycle Coulombic efficiency)."""
    from .labels import formula_html, property_label

    env.filters["mskg_formula"] = formula_html
    env.filters["mskg_property"] = property_label


@hookimpl
def prepare_connection(conn, database, datasette):
    """``mskg_property(text)``: the property key a person meant (a key, a label or a Table 1 heading), so that
    a canned query takes "First cycle coulombic efficiency" as well as first_cycle_ce."""
    from .labels import property_key

    conn.create_function("mskg_property", 1, property_key, deterministic=True)


@hookimpl
def asgi_wrapper(datasette):
    """The site follows the build the ``db`` link points to (``following``); a canned query opened without
    its parameters opens on an example value, not on an empty answer."""
    from .canned import example_redirect
    from .following import follower_for

    follower = follower_for(datasette)

    def wrap(app):
        async def with_examples(scope, receive, send):
            if scope.get("type") == "http" and scope.get("method") == "GET":
                target = example_redirect(datasette, scope.get("path", ""), scope.get("query_string", b""))
                if target is not None:
                    await send(
                        {
                            "type": "http.response.start",
                            "status": 302,
                            "headers": [(b"location", target.encode("utf-8")), (b"content-length", b"0")],
                        }
                    )
                    await send({"type": "http.response.body", "body": b""})
                    return
            await app(scope, receive, send)

        return with_examples if follower is None else follower.wrap(with_examples)

    return wrap


@hookimpl
def extra_css_urls(datasette):
    from .settings import PLUGIN

    return [datasette.urls.static_plugins(PLUGIN, "mskg.css")]


@hookimpl
def menu_links(datasette):
    return [
        {"href": datasette.urls.path(SPARQL_PATH), "label": "SPARQL"},
        {"href": datasette.urls.path("/-/charts"), "label": "Charts: nano vs micro"},
        {"href": datasette.urls.path("/-/documents"), "label": "Documents"},
    ]
