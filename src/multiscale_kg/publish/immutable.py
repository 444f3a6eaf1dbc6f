"""What a build that never changes lets each server process read once instead of on every request.

A served build is immutable: its schema, its counts and its facets' counts are the same for every request
until the server switches to another build (``following``), which brings a new ``BuildDatabase`` with empty
memories. Datasette re-reads them per request: a table page asks SQLite for the table's columns, keys and
foreign keys, counts the rows and runs one ``GROUP BY`` per facet, each a round trip through its thread
pool, and checks an anonymous visitor's permissions against the whole metadata (copied each time). Here:

- the schema questions (``table_columns``, ``foreign_keys_for_table``, ...) are answered once per build;
- a query that counts (``count(``: row counts and facet counts) is answered once per build, SQL text and
  parameters (LRU, small answers only), unless its answer could change without the data (``random()``,
  ``'now'``); row queries always run.

``per_request`` has what the server process, rather than the build, does once.
"""

from __future__ import annotations

import asyncio
import copy
import functools
import re
import threading
from collections import OrderedDict

from datasette.database import Database, Results

#: counted answers kept per build; answers with more rows are not kept
COUNTS_KEPT, ROWS_KEPT = 512, 1000
_COUNTS = re.compile(r"\bcount\s*\(", re.IGNORECASE)
#: what makes a query's answer change without the data changing: such a query is never kept
_VOLATILE = re.compile(r"random|\bnow\b|current_(date|time)|changes\s*\(|last_insert_rowid", re.IGNORECASE)
#: the schema questions whose answers a build keeps (Database's own methods, all read-only)
_SCHEMA = (
    "attached_databases",
    "table_exists",
    "table_names",
    "table_columns",
    "table_column_details",
    "primary_keys",
    "fts_table",
    "label_column_for_table",
    "foreign_keys_for_table",
    "hidden_table_names",
    "view_names",
    "get_all_foreign_keys",
    "get_table_definition",
    "get_view_definition",
)


def _kept(method):
    """``method``'s answer, kept per build and arguments; callers get their own copy of a list."""

    @functools.wraps(method)
    async def answer(self, *args):
        key = (method.__name__, *args)
        if key not in self._schema:
            self._schema[key] = await method(self, *args)
        found = self._schema[key]
        return copy.copy(found) if isinstance(found, (list, dict)) else found

    return answer


class BuildDatabase(Database):
    """Datasette's immutable database of one build folder, with connections of its own (Datasette keeps its
    threads' connections by database name, which would keep a new build's requests on the old file) and
    the memories described above."""

    def __init__(self, datasette, path):
        super().__init__(datasette, path=str(path), is_mutable=False)
        self._connections = threading.local()
        self._schema: dict = {}
        self._counts: OrderedDict = OrderedDict()
        self._decided: dict[str, bool] = {}

    async def execute_fn(self, fn):
        if self.ds.executor is None:
            return await super().execute_fn(fn)

        def in_thread():
            connection = getattr(self._connections, "connection", None)
            if connection is None:
                connection = self.connect()
                self.ds._prepare_connection(connection, self.name)
                self._connections.connection = connection
            return fn(connection)

        return await asyncio.get_running_loop().run_in_executor(self.ds.executor, in_thread)

    def _counts_of(self, sql: str) -> bool:
        """Is ``sql`` a query whose answer is kept? (Decided once per SQL text: a site repeats its SQL.)"""
        found = self._decided.get(sql)
        if found is None:
            if len(self._decided) > COUNTS_KEPT * 8:
                self._decided.clear()
            found = self._decided[sql] = (
                _COUNTS.search(sql) is not None and _VOLATILE.search(sql) is None
            ) or (sql.strip().lower() == "pragma schema_version")
        return found

    async def execute(self, sql, params=None, truncate=False, custom_time_limit=None, page_size=None, **kw):
        if not self._counts_of(sql):
            return await super().execute(sql, params, truncate, custom_time_limit, page_size, **kw)
        key = (sql, _frozen(params), truncate, page_size)
        found = self._counts.get(key)
        if found is None:
            found = await super().execute(sql, params, truncate, custom_time_limit, page_size, **kw)
            if len(found.rows) <= ROWS_KEPT:
                self._counts[key] = found
                if len(self._counts) > COUNTS_KEPT:
                    self._counts.popitem(last=False)
        else:
            self._counts.move_to_end(key)
        return Results(list(found.rows), found.truncated, found.description)


for _name in _SCHEMA:
    setattr(BuildDatabase, _name, _kept(getattr(Database, _name)))


def _frozen(params):
    if params is None:
        return None
    if isinstance(params, dict):
        return tuple(sorted((k, repr(v)) for k, v in params.items()))
    return tuple(repr(v) for v in params)
