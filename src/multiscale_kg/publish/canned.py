"""Canned SQL queries: one ``queries/sql/<name>.sql`` file each, the question it answers in its first line.

A file starts with comment lines: the first is the title (the question, with its ``:parameters``), the
others describe the answer. The rest is the SQL. The same files feed Datasette's canned queries (through
the generated ``datasette_metadata.json``), the tests and any other caller, so a query is written once.

A canned query opened without its parameters opens on ``EXAMPLES`` (``example_redirect``): a question with an
answer, rather than an empty form and "0 results".
"""

from __future__ import annotations

import re
import urllib.parse
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from ..queries.files import package_folder, query_texts, split_header

_PARAMETER = re.compile(r"(?<![:\w]):([A-Za-z_]\w*)")
_STRING_OR_COMMENT = re.compile(r"'(?:[^']|'')*'|--[^\n]*")


@dataclass(frozen=True)
class CannedQuery:
    name: str
    title: str
    description: str
    sql: str  # the query without its header comment

    @property
    def params(self) -> tuple[str, ...]:
        """Named parameters in order of first use (``:drawback``), ignoring strings and comments."""
        code = _STRING_OR_COMMENT.sub(" ", self.sql)
        return tuple(dict.fromkeys(_PARAMETER.findall(code)))


def sql_dir() -> Path:
    return package_folder("sql")


def parse(name: str, text: str) -> CannedQuery:
    header, sql = split_header(text, "--")
    if not header or not header[0]:
        raise ValueError(f"queries/sql/{name}.sql: expected a first line '-- <title>', found {text[:40]!r}")
    return CannedQuery(name, header[0], " ".join(h for h in header[1:] if h), sql.strip())


@cache
def canned_queries() -> dict[str, CannedQuery]:
    """Every canned query by name (the file's stem), in file-name order."""
    return {name: parse(name, text) for name, text in query_texts(sql_dir(), ".sql").items()}


#: an example value for every parameter of the canned queries, each with an answer in the shipped corpus
EXAMPLES = {
    "drawback": "micro-slow-kinetics",
    "property": "first_cycle_ce",
    "fact": "nano-low-first-cycle-ce",
    "material": "si",
    "n": "97",
}


def example_redirect(datasette, path: str, query_string: bytes) -> str | None:
    """Where a GET of ``path`` should go instead: the canned query with its example values, when ``path`` is
    a canned query with parameters and the request names none of them; else None."""
    from .settings import settings

    database = settings(datasette)["database"]
    prefix = datasette.urls.database(database) + "/"
    if not path.startswith(prefix):
        return None
    query = canned_queries().get(path[len(prefix) :])
    if query is None or not query.params:
        return None
    pairs = urllib.parse.parse_qsl(query_string.decode("latin-1"), keep_blank_values=True)
    given = {name for name, _ in pairs}
    if given & set(query.params):
        return None
    examples = {name: EXAMPLES[name] for name in query.params if name in EXAMPLES}
    return path + "?" + urllib.parse.urlencode(examples) if examples else None
