"""The site holds under load: the load test script (benchmarks/load.py) in a short run against
`mskg serve --processes 2` on 127.0.0.1, the several-process server behind it, and the unit cells that
were the slowest part of the slowest page.

The full run is ``python -m benchmarks.load`` (8 clients for 20 s; benchmarks/results/load.md); here two
clients send a few requests each, bounded by count, with the slow query first. The short run also checks
the served Datasette: immutable, with its SQL time limit.
"""

from __future__ import annotations

import asyncio
import json
import re

import pytest
import uvicorn
from benchmarks.load import Outcome, Request, judge, main, percentile

from multiscale_kg.build import DB_NAME
from multiscale_kg.cli import main as mskg
from multiscale_kg.publish import asgi, cells
from multiscale_kg.publish.commands import SETTINGS

from .conftest import CORPUS, ROOT
from .test_publish import Site


def test_a_short_load_run_reports_no_errors_and_stops_the_slow_query(built, tmp_path):
    output = tmp_path / "load.md"
    metadata = ROOT / "datasette_metadata.json"
    served = ["--db", str(built), "--corpus", str(CORPUS), "--metadata", str(metadata), "--processes", "2"]
    load = ["--clients", "2", "--seconds", "10", "--requests", "6", "--slow-at", "0", "--time-limit", "1"]
    main([*served, *load, "--warm-up", "0", "--output", str(output)])
    report = output.read_text(encoding="utf-8")
    assert (
        "Server: `mskg serve --processes 2`: 2 server processes, each with 2 SPARQL worker processes."
        in report
    )
    assert (
        "SPARQL: time limit 1 s, row cap 2000. Datasette: immutable database (multiscale: yes), SQL "
        in report
    )
    assert "SQL time limit 2000 ms." in report
    requests = int(re.search(r"Requests: (\d+) in", report)[1])
    assert requests == 2 * 6  # bounded by the request count, long before the 10 s are over
    assert "| slow query (Cartesian product) | 1 |" in report
    assert "| no 5xx answer (0) | pass |" in report
    assert "| no connection error (0) | pass |" in report
    assert "| the slow query was sent and answered 408 ([408]) | pass |" in report


def test_serve_with_several_processes_runs_uvicorn_workers_on_one_configuration(tmp_path, monkeypatch):
    started = []
    monkeypatch.setattr("multiscale_kg.build.is_current", lambda corpus, out: True)
    monkeypatch.setattr(uvicorn, "run", lambda app, **options: started.append((app, options)))
    monkeypatch.delenv(asgi.ENVIRONMENT, raising=False)
    metadata = tmp_path / "m.json"
    metadata.write_text("{}", encoding="utf-8")
    out = tmp_path / "db"
    assert mskg(["serve", "--db", str(out), "--metadata", str(metadata), "--processes", "3"]) == 0
    assert started == [
        (
            "multiscale_kg.publish.asgi:create",
            {
                "factory": True,
                "host": "127.0.0.1",
                "port": 8001,
                "workers": 3,
                "log_level": "info",
                "lifespan": "on",
            },
        )
    ]
    config = json.loads(asgi.os.environ[asgi.ENVIRONMENT])
    assert (config["database"], config["metadata"]) == (str(out / DB_NAME), str(metadata))
    assert (
        config["settings"]
        == SETTINGS
        == {
            "suggest_facets": False,
            "sql_time_limit_ms": 2000,
            "facet_time_limit_ms": 400,
        }
    )
    assert len(config["secret"]) == 64
    with pytest.raises(SystemExit):
        mskg(["serve", "--processes", "0"])


def test_every_server_process_accepts_what_another_signed(built, monkeypatch):
    """The processes share one secret: a CSRF token one process hands out is good in the other (and, with
    another secret, refused)."""
    metadata = ROOT / "datasette_metadata.json"
    monkeypatch.setenv(asgi.ENVIRONMENT, asgi.configuration(built / DB_NAME, metadata, SETTINGS))
    first, second = asgi.create(), asgi.create()
    monkeypatch.setenv(asgi.ENVIRONMENT, asgi.configuration(built / DB_NAME, metadata, SETTINGS))
    stranger = asgi.create()  # a fresh configuration: another secret

    async def post_with_a_token_from_first(app) -> int:
        import httpx

        def client(app):
            return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://localhost")

        async with client(first) as one, client(app) as other:
            form = await one.get("/-/messages")
            token = re.search(r'name="csrftoken" value="([^"]+)"', form.text)[1]
            other.cookies.set("ds_csrftoken", form.cookies["ds_csrftoken"])
            posted = await other.post(
                "/-/messages", data={"csrftoken": token, "message": "hello", "message_type": "INFO"}
            )
            return posted.status_code

    loop = asyncio.new_event_loop()
    try:
        assert loop.run_until_complete(post_with_a_token_from_first(second)) == 302
        assert loop.run_until_complete(post_with_a_token_from_first(stranger)) == 403
    finally:
        loop.close()


def _outcome(kind: str, started: float, seconds: float, status: int | None) -> Outcome:
    return Outcome(Request(kind, kind, "/", {}), 0, started, seconds, status)


def test_the_verdict_counts_errors_and_the_requests_answered_during_the_slow_query():
    outcomes = [
        _outcome("slow", 1.0, 5.5, 408),
        _outcome("table", 0.5, 0.1, 200),  # before it
        _outcome("sparql", 2.0, 0.2, 200),  # during it
        _outcome("row", 3.0, 0.3, 503),  # during it, a server error
        _outcome("canned", 6.0, 1.0, None),  # overlapping its end, no answer
    ]
    verdict = judge(outcomes)
    assert (verdict.fast, verdict.server_errors, verdict.connection_errors) == (4, 1, 1)
    assert (verdict.slow_statuses, verdict.during_slow) == ([408], 2)
    assert not verdict.passed
    assert percentile([5.0, 1.0, 3.0, 2.0, 4.0], 0.5) == 3.0
    assert percentile([float(n) for n in range(1, 101)], 0.99) == 99.0
    assert percentile([1.0, 2.0], 0.99) == 2.0


def test_unit_cells_are_drawn_as_datasette_draws_them(built, monkeypatch):
    """Under load the measurements page was the slowest, a third of it pint converting every size cell; the
    plugin's render_cell converts each value once. The page is the one Datasette draws by itself, but for
    the cell's type class (the number's, so it is right-aligned like the other numbers)."""
    site = Site(built)
    paths = ["/multiscale/measurements?source=table1&_size=max", "/multiscale/materials?_size=max"]
    try:
        ours = [site.get(path).text for path in paths]
        monkeypatch.setattr(cells, "units_of", lambda *args: {})  # the hook steps aside: Datasette's own
        native = [site.get(path).text for path in paths]
    finally:
        site.close()

    def comparable(html: str) -> str:
        return re.sub(r"Queries took [\d.]+ms", "", html).replace("type-Quantity", "type-float")

    assert [comparable(html) for html in ours] == [comparable(html) for html in native]
    assert '<td class="col-size_min_nm type-float mskg-more">1.0&nbsp;µm</td>' in ours[0]
    assert '<td class="col-molar_mass type-float">28.085&nbsp;g/mol</td>' in ours[1]
    assert "type-Quantity" in native[1]  # the comparison compared cells with units
