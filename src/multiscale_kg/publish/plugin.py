"""The Datasette plugin's hooks: the SPARQL endpoint, Table 1 charts, causal-graph pictures, the home page's
questions and the relations on entity row pages.

Registered through the ``datasette`` entry point as the ``multiscale_kg.publish`` package, which re-exports
these hooks: Datasette finds a plugin's ``templates/`` and ``static/`` beside the registered package. The
hooks import their pages on first use, so that ``mskg`` commands (which import ``publish.commands``) stay
quick to start. Pages read the database named by the ``database`` setting (``multiscale``); on any other
Datasette the plugin adds nothing to the home and row pages.
"""

from __future__ import annotations

from pluggy import HookimplMarker

hookimpl = HookimplMarker("datasette")  # the marker datasette.hookimpl is, without importing Datasette

SPARQL_PATH = "/-/sparql"


@hookimpl
def register_routes(datasette):
    from . import pages
    from .sparql_endpoint import sparql_view

    return [
        (r"^/-/sparql$", sparql_view),
        (r"^/-/charts$", pages.charts_index),
        (r"^/-/charts/(?P<property>[a-z_]+)\.svg$", pages.chart_svg_view),
        (r"^/-/charts/(?P<property>[a-z_]+)$", pages.chart_page),
        (r"^/-/graph/(?P<kind>strategy|drawback)/(?P<id>[^/]+)\.svg$", pages.graph_svg_view),
        (r"^/-/graph/(?P<kind>strategy|drawback)/(?P<id>[^/]+)$", pages.graph_page),
    ]


@hookimpl
def skip_csrf(datasette, scope):
    """SPARQL clients POST without a CSRF token (the Protocol has none); the endpoint is read-only."""
    return scope.get("type") == "http" and scope.get("path") == SPARQL_PATH


@hookimpl
def extra_template_vars(template, database, table, view_name, request, datasette):
    from .settings import settings

    async def variables():
        if view_name == "index":
            from .pages import home

            return {"mskg_home": await home(datasette)}
        if view_name == "row" and database == settings(datasette)["database"] and request is not None:
            pks = request.url_vars.get("pks", "")
            if "," not in pks:
                from datasette.utils import tilde_decode

                from .entities import entity_context

                return {"mskg_entity": await entity_context(datasette, database, table, tilde_decode(pks))}
        return {}

    return variables


@hookimpl
def extra_css_urls(datasette):
    from .settings import PLUGIN

    return [datasette.urls.static_plugins(PLUGIN, "mskg.css")]


@hookimpl
def menu_links(datasette):
    return [
        {"href": datasette.urls.path(SPARQL_PATH), "label": "SPARQL"},
        {"href": datasette.urls.path("/-/charts"), "label": "Charts: nano vs micro"},
    ]
