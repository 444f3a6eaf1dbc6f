"""What a server of one immutable build reads once instead of per request (publish/immutable.py,
publish/per_request.py): the schema and the counts per build, anonymous permissions per process, and
absolute URLs without urljoin, each answering exactly what Datasette's own way answers."""

from __future__ import annotations

import asyncio

import pytest
from datasette.app import Datasette
from datasette.utils.asgi import Request

from multiscale_kg.build import DB_NAME
from multiscale_kg.publish.immutable import BuildDatabase
from multiscale_kg.publish.per_request import cheap_absolute_urls, remember_anonymous_permissions

COUNT = "select count(*) from measurements where scale = :scale"
ROWS = "select id from measurements order by id limit 3"


@pytest.fixture()
def one_connection(built):
    """A Datasette without SQL threads (one connection, so its statements can be traced) serving the build
    as a BuildDatabase; the statements SQLite was asked to run."""
    datasette = Datasette(settings={"num_sql_threads": 0})
    database = datasette.add_database(BuildDatabase(datasette, built.resolve() / DB_NAME), name="multiscale")
    loop = asyncio.new_event_loop()
    ran: list[str] = []
    loop.run_until_complete(database.execute("select 1"))
    database._read_connection.set_trace_callback(ran.append)
    ran.clear()
    yield database, loop, ran
    loop.close()
    database.close()


def test_counts_and_schema_are_read_once_per_build_and_rows_every_time(one_connection):
    database, loop, ran = one_connection
    run = loop.run_until_complete
    first = run(database.execute(COUNT, {"scale": "nano"}))
    again = run(database.execute(COUNT, {"scale": "nano"}))
    other = run(database.execute(COUNT, {"scale": "micro"}))
    assert [tuple(r) for r in first.rows] == [tuple(r) for r in again.rows]
    assert (
        first.rows[0][0] + other.rows[0][0]
        <= run(database.execute("select count(*) from measurements")).first()[0]
    )
    columns = run(database.table_columns("measurements"))
    columns.append("not a column")  # a caller's own copy
    assert "not a column" not in run(database.table_columns("measurements"))
    run(database.execute(ROWS))
    run(database.execute(ROWS))
    statements = [s for s in ran if not s.startswith("PRAGMA")]  # as SQLite ran them, values bound
    assert statements == [
        "select count(*) from measurements where scale = 'nano'",
        "select count(*) from measurements where scale = 'micro'",
        "select count(*) from measurements",
        ROWS,
        ROWS,
    ]
    assert sum("table_xinfo" in s for s in ran) == 1


@pytest.mark.parametrize(
    "path",
    [
        "/multiscale/measurements?scale=nano&_facet=property",
        "/-/sparql?query=ASK%20%7B%7D",
        "/multiscale/../-/charts",
        "//elsewhere.example/x",
        "relative/path",
    ],
)
@pytest.mark.parametrize("force_https", [False, True])
def test_absolute_urls_are_what_datasette_makes(path, force_https):
    datasette = Datasette(settings={"force_https_urls": force_https})
    request = Request.fake("/multiscale/measurements?_size=50")
    paths = [path, datasette.urls.path(path)]  # a plain string and Datasette's PrefixedUrlString
    expected = [datasette.absolute_url(request, p) for p in paths]
    cheap_absolute_urls(datasette)
    assert [datasette.absolute_url(request, p) for p in paths] == expected


def test_anonymous_permissions_are_checked_once_and_signed_in_ones_every_time():
    datasette = Datasette()
    checked: list[tuple] = []
    checks = datasette.permission_allowed

    async def counted(actor, action, resource=None, default=False):
        checked.append((actor, action, resource))
        return await checks(actor, action, resource, default)

    datasette.permission_allowed = counted
    remember_anonymous_permissions(datasette)
    loop = asyncio.new_event_loop()
    try:
        for actor in (None, None, {"id": "root"}, {"id": "root"}):
            assert loop.run_until_complete(datasette.permission_allowed(actor, "view-instance", default=True))
    finally:
        loop.close()
    root = ({"id": "root"}, "view-instance", None)
    assert checked == [(None, "view-instance", None), root, root]


def test_a_count_whose_answer_changes_by_itself_is_never_kept(one_connection):
    database, loop, ran = one_connection
    volatile = "select count(*), random() from measurements"
    answers = {loop.run_until_complete(database.execute(volatile)).first()[1] for _ in range(3)}
    assert ran.count(volatile) == 3
    assert len(answers) == 3
