"""Publishing the build: Datasette with generated metadata, canned queries, charts and a SPARQL endpoint.

This package is the Datasette plugin (entry point ``datasette: multiscale-kg``): Datasette serves the
``templates/`` and ``static/`` folders beside the registered package, so the hooks written in ``plugin.py``
are registered from here.
"""

from .plugin import (
    extra_css_urls,
    extra_template_vars,
    menu_links,
    register_routes,
    render_cell,
    skip_csrf,
)

__all__ = [
    "extra_css_urls",
    "extra_template_vars",
    "menu_links",
    "register_routes",
    "render_cell",
    "skip_csrf",
]
