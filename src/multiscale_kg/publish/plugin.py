"""The Datasette plugin's hooks: the SPARQL endpoint, Table 1 charts, causal-graph pictures, the home page's
questions and the relations on entity row pages.

Registered through the ``datasette`` entry point as the ``multiscale_kg.publish`` package, which re-exports
these hooks: Datasette finds a plugin's ``templates/`` and ``static/`` beside the registered package. The
hooks import their pages on first use, so that ``mskg`` commands (which import ``publish.commands``) stay
quick to start. Pages read the database named by the ``database`` setting (``multiscale``); on any other
Datasette the plugin adds nothing to the home and row pages.
"""

from __future__ import annotations

import weakref
from functools import lru_cache

from pluggy import HookimplMarker

hookimpl = HookimplMarker("datasette")  # the marker datasette.hookimpl is, without importing Datasette

SPARQL_PATH = "/-/sparql"


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
    """A number in a column with a unit (``units`` in the metadata), shown as Datasette shows it (pint, in
    the most compact prefix: "1.0 µm"), but converted once per value rather than once per cell: pint takes a
    quarter of a millisecond a cell, a third of the time of the measurements page. A document's title links
    to its page."""
    if table == "documents" and column == "title" and isinstance(value, str) and "id" in row.keys():  # noqa: SIM118 (a Row's ``in`` reads values)
        from .documents import title_link

        return title_link(datasette, row, value)
    if table is None or isinstance(value, bool) or not isinstance(value, int | float):
        return None
    unit = _units(datasette, database, table).get(column)
    return None if unit is None else _with_unit(type(value), value, unit)


_table_units: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _units(datasette, database: str, table: str) -> dict[str, str]:
    """The table's ``units`` from the metadata, read once per Datasette and table (metadata is fixed)."""
    known = _table_units.setdefault(datasette, {})
    if (database, table) not in known:
        known[(database, table)] = dict(datasette.table_metadata(database, table).get("units") or {})
    return known[(database, table)]


@lru_cache(maxsize=4096)
def _with_unit(kind: type, value: float, unit: str):  # kind: 50 and 50.0 print differently
    from datasette.views.base import ureg
    from markupsafe import Markup

    quantity = round((value * ureg(unit)).to_compact(), 6)  # as datasette.views.table formats units
    return Markup(f"{quantity:~P}".replace(" ", "&nbsp;"))


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
