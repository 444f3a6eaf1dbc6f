"""Imported once, by the fork server that the SPARQL workers are forked from (``sparql_pool``).

What it imports and warms up here (pyoxigraph, rdflib's SPARQL parser, the worker's modules, and what a first
query builds lazily) is made once, before any worker forks, and every worker shares those pages instead of
building a copy of its own. ``gc.freeze`` moves these objects out of the collector's sight: a collection in a
worker would otherwise write to each of them, and so copy every shared page.
"""

import gc

from .sparql_worker import warm

warm()
gc.collect()
gc.freeze()
