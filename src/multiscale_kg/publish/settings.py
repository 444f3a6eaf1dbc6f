"""The plugin's settings: defaults, overridden by ``plugins → multiscale-kg`` in the Datasette metadata."""

from __future__ import annotations

PLUGIN = "multiscale-kg"
DATABASE = "multiscale"
METADATA_NAME = "datasette_metadata.json"
#: where the SPARQL endpoint and its page answer
SPARQL_PATH = "/-/sparql"

DEFAULTS = {
    #: the database whose folder holds the RDF (multiscale.nq) and whose tables the pages read
    "database": DATABASE,
    #: a SPARQL query running longer is stopped with 408
    "sparql_time_limit_s": 5,
    #: a SPARQL result with more rows (or triples) is refused with 413
    "sparql_max_rows": 2000,
    #: worker processes answering SPARQL queries side by side
    "sparql_workers": 2,
    #: address-space cap of each worker (0: none)
    "sparql_memory_mb": 2048,
}


def settings(datasette) -> dict:
    """The settings, read once per Datasette: its metadata does not change while it serves, and a page
    asks for them once per cell it draws."""
    found = getattr(datasette, "_mskg_settings", None)
    if found is None:
        found = datasette._mskg_settings = {**DEFAULTS, **(datasette.plugin_config(PLUGIN) or {})}
    return found


def answer_url(datasette, drawback_id: str) -> str:
    """The answer page of a drawback: which strategies address it, graded (``publish/answers.py``)."""
    import urllib.parse

    return datasette.urls.path(f"/-/answers/{urllib.parse.quote(drawback_id)}")
