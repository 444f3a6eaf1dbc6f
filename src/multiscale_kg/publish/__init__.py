"""Publishing the build: Datasette with generated metadata, canned queries, charts and a SPARQL endpoint.

This package is the Datasette plugin (entry point ``datasette: multiscale-kg``): Datasette serves the
``templates/`` and ``static/`` folders beside the registered package, so the hooks written in ``plugin.py``
are registered from here.
"""

from .plugin import (
    asgi_wrapper,
    extra_css_urls,
    extra_template_vars,
    menu_links,
    prepare_connection,
    prepare_jinja2_environment,
    register_routes,
    render_cell,
    skip_csrf,
)

__all__ = [
    "asgi_wrapper",
    "extra_css_urls",
    "extra_template_vars",
    "menu_links",
    "prepare_connection",
    "prepare_jinja2_environment",
    "register_routes",
    "render_cell",
    "skip_csrf",
]
