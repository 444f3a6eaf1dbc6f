"""The SPARQL endpoint /-/sparql: the SPARQL 1.1 Protocol (GET, POST form, POST sparql-query), each result
format by content negotiation, every refusal with 400 and its reason, the time limit (408), the row cap
(413), the HTML page with its examples, and escaping."""

from __future__ import annotations

import asyncio
import csv
import io
import json
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
from pathlib import Path

import pytest
from rdflib import Graph

from multiscale_kg.publish.protocol import negotiate
from multiscale_kg.publish.results import term, to_csv, to_json, to_tsv
from multiscale_kg.publish.sparql_pool import Limits, WorkerPool, _Worker, pool_for
from multiscale_kg.queries.sparql import named_queries

from .test_publish import Site, hrefs

MAX_ROWS = 300
COUNT_STRATEGIES = (
    "PREFIX mskg: <https://w3id.org/multiscale-kg/ontology#> "
    "SELECT (COUNT(?s) AS ?n) WHERE { ?s a mskg:Strategy }"
)
ANT_NEST = "https://w3id.org/multiscale-kg/id/strategy/ant-nest-si"
FEATURES = (
    "PREFIX mskg: <https://w3id.org/multiscale-kg/ontology#> "
    "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> "
    f"SELECT ?feature ?label WHERE {{ <{ANT_NEST}> mskg:hasFeature ?feature . ?feature rdfs:label ?label }} "
    "ORDER BY ?feature"
)
CONSTRUCT = (
    "PREFIX mskg: <https://w3id.org/multiscale-kg/ontology#> "
    f"CONSTRUCT {{ <{ANT_NEST}> mskg:hasFeature ?f }} WHERE {{ <{ANT_NEST}> mskg:hasFeature ?f }}"
)
READ_ONLY = "updates are not allowed: this endpoint is read-only"
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


@pytest.fixture(scope="module")
def site(built):
    site = Site(built, {"sparql_time_limit_s": 1, "sparql_max_rows": MAX_ROWS, "sparql_workers": 2})
    yield site
    site.close()


@pytest.fixture()
def no_network(monkeypatch):
    """Any attempt of the server process to open a connection fails the test."""
    attempts = []

    def refuse(self, address, *args):
        attempts.append(address)
        raise OSError(f"network access attempted: {address}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    yield attempts
    assert attempts == []


def query_url(query: str, **params: str) -> str:
    return "/-/sparql?" + urllib.parse.urlencode({"query": query, **params})


FEATURE_BINDINGS = [
    {
        "feature": {"type": "uri", "value": "https://w3id.org/multiscale-kg/id/feature/internal-nanopores"},
        "label": {
            "type": "literal",
            "value": "Nanopores inside micrometre particles (buffer space for volume change)",
        },
    },
    {
        "feature": {
            "type": "uri",
            "value": "https://w3id.org/multiscale-kg/id/feature/micrometre-particle-size",
        },
        "label": {"type": "literal", "value": "Micrometre-sized particle or secondary particle"},
    },
]


# -- the protocol --------------------------------------------------------------------------------------------


def test_get_answers_standard_sparql_results_json(site):
    response = site.get(query_url(FEATURES), accept="application/sparql-results+json")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/sparql-results+json; charset=utf-8"
    assert response.json() == {
        "head": {"vars": ["feature", "label"]},
        "results": {"bindings": FEATURE_BINDINGS},
    }


def test_counts_are_typed_literals(site):
    response = site.get(query_url(COUNT_STRATEGIES), accept="application/sparql-results+json")
    assert response.json()["results"]["bindings"] == [
        {"n": {"type": "literal", "value": "23", "datatype": "http://www.w3.org/2001/XMLSchema#integer"}}
    ]


def test_post_form_and_post_sparql_query_give_the_same_answer(site):
    form = site.post(
        "/-/sparql",
        content=urllib.parse.urlencode({"query": FEATURES}),
        headers={
            "content-type": "application/x-www-form-urlencoded",
            "accept": "application/sparql-results+json",
        },
    )
    direct = site.post(
        "/-/sparql",
        content=FEATURES.encode("utf-8"),
        headers={"content-type": "application/sparql-query", "accept": "application/sparql-results+json"},
    )
    assert form.status_code == direct.status_code == 200
    assert form.json()["results"]["bindings"] == direct.json()["results"]["bindings"] == FEATURE_BINDINGS


def test_a_post_with_a_session_cookie_needs_no_csrf_token(site):
    response = site.post(
        "/-/sparql",
        content=FEATURES.encode("utf-8"),
        headers={"content-type": "application/sparql-query", "accept": "text/csv"},
        cookies={"ds_csrftoken": "from-an-earlier-page"},
    )
    assert response.status_code == 200


def test_csv_and_tsv(site):
    response = site.get(query_url(FEATURES), accept="text/csv")
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert response.text == (
        "feature,label\r\n"
        "https://w3id.org/multiscale-kg/id/feature/internal-nanopores,"
        "Nanopores inside micrometre particles (buffer space for volume change)\r\n"
        "https://w3id.org/multiscale-kg/id/feature/micrometre-particle-size,"
        "Micrometre-sized particle or secondary particle\r\n"
    )
    tsv = site.get(query_url(COUNT_STRATEGIES), accept="text/tab-separated-values")
    assert tsv.headers["content-type"] == "text/tab-separated-values; charset=utf-8"
    assert tsv.text == "?n\n23\n"
    tsv = site.get(query_url(FEATURES), accept="text/tab-separated-values")
    assert tsv.text.splitlines()[1] == (
        "<https://w3id.org/multiscale-kg/id/feature/internal-nanopores>\t"
        '"Nanopores inside micrometre particles (buffer space for volume change)"'
    )


def test_ask(site):
    ask = f"PREFIX mskg: <https://w3id.org/multiscale-kg/ontology#> ASK {{ <{ANT_NEST}> a mskg:Strategy }}"
    response = site.get(query_url(ask), accept="application/sparql-results+json")
    assert response.json() == {"head": {}, "boolean": True}
    assert site.get(query_url(ask), accept="text/csv").text == "boolean\r\ntrue\r\n"


def test_construct_as_turtle_and_as_n_triples(site):
    expected = {
        (ANT_NEST, "https://w3id.org/multiscale-kg/id/feature/internal-nanopores"),
        (ANT_NEST, "https://w3id.org/multiscale-kg/id/feature/micrometre-particle-size"),
    }
    for accept, media, rdf_format in [
        ("text/turtle", "text/turtle; charset=utf-8", "turtle"),
        ("application/n-triples", "application/n-triples; charset=utf-8", "nt"),
    ]:
        response = site.get(query_url(CONSTRUCT), accept=accept)
        assert response.status_code == 200
        assert response.headers["content-type"] == media
        graph = Graph().parse(data=response.text, format=rdf_format)
        assert {(str(s), str(o)) for s, _, o in graph} == expected
    # a client that accepts anything gets Turtle for a graph, JSON for a table
    assert site.get(query_url(CONSTRUCT), accept="*/*").headers["content-type"].startswith("text/turtle")
    assert site.get(query_url(FEATURES)).headers["content-type"].startswith("application/sparql-results+json")


def test_the_format_parameter_overrides_the_accept_header(site):
    response = site.get(query_url(FEATURES, format="csv"), accept="application/sparql-results+json")
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    response = site.get(query_url(CONSTRUCT, format="csv"))
    assert response.status_code == 400
    assert "format 'csv' is not available for CONSTRUCT and DESCRIBE" in response.text


def test_content_negotiation():
    browser = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8"
    assert negotiate(browser, graph=False) == "html"
    assert negotiate("application/sparql-results+json", graph=False) == "json"
    assert negotiate("text/csv;q=0.5, text/tab-separated-values", graph=False) == "tsv"
    assert negotiate("text/*", graph=False) == "csv"
    assert negotiate(None, graph=True) == "turtle"
    assert negotiate("application/n-triples, text/turtle;q=0.9", graph=True) == "nt"
    assert negotiate("image/png", graph=False) is None


def test_an_unacceptable_media_type_gets_406(site):
    response = site.get(query_url(FEATURES), accept="image/png")
    assert response.status_code == 406
    assert "cannot answer as 'image/png'" in response.text


# -- refusals ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("INSERT DATA { <http://a> <http://b> <http://c> }", READ_ONLY),
        ("PREFIX x: <http://x/>\nDELETE WHERE { ?s ?p ?o }", READ_ONLY),
        ("LOAD <http://example.org/data.ttl>", READ_ONLY),
        ("CLEAR ALL", READ_ONLY),
        (
            "SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }",
            "SERVICE is not allowed: queries never reach remote endpoints",
        ),
        (
            "SELECT * FROM <file:///etc/passwd> WHERE { ?s ?p ?o }",
            "file: IRIs are not allowed: queries never read local files (<file:///etc/passwd>)",
        ),
        ("SELEKT * WHERE { ?s ?p ?o }", "SPARQL syntax error:"),
    ],
)
def test_refused_queries_get_400_with_the_reason_and_open_no_connection(site, no_network, query, message):
    response = site.get(query_url(query), accept="application/sparql-results+json")
    assert response.status_code == 400
    assert message in response.text
    post = site.post(
        "/-/sparql", content=query.encode(), headers={"content-type": "application/sparql-query"}
    )
    assert post.status_code == 400
    assert message in post.text


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("/-/sparql?update=CLEAR%20ALL", "updates are not allowed: this endpoint is read-only"),
        ("/-/sparql", "no query: pass the SPARQL query as ?query= or POST it"),
        ("/-/sparql?format=json", "no query: pass the SPARQL query as ?query= or POST it"),
        (
            query_url(FEATURES) + "&query=ASK%20%7B%7D",
            "2 query parameters: send exactly one query",
        ),
        (
            query_url(FEATURES, **{"default-graph-uri": "graph/asserted"}),
            "graph IRIs must be absolute; got 'graph/asserted'",
        ),
    ],
)
def test_protocol_misuse_gets_400(site, no_network, path, message):
    response = site.get(path, accept="application/sparql-results+json")
    assert response.status_code == 400
    assert response.text == message + "\n"


def test_updates_posted_as_sparql_update_or_unknown_bodies_are_refused(site):
    update = site.post(
        "/-/sparql", content=b"CLEAR ALL", headers={"content-type": "application/sparql-update"}
    )
    assert (update.status_code, update.text) == (400, "updates are not allowed: this endpoint is read-only\n")
    other = site.post("/-/sparql", content=b"{}", headers={"content-type": "application/json"})
    assert other.status_code == 415
    assert "POST application/sparql-query or application/x-www-form-urlencoded" in other.text
    form = site.post(
        "/-/sparql",
        content=b"update=CLEAR+ALL",
        headers={"content-type": "application/x-www-form-urlencoded"},
    )
    assert form.status_code == 400


# -- limits --------------------------------------------------------------------------------------------------


def test_a_slow_query_is_stopped_at_the_time_limit_and_the_endpoint_goes_on(site):
    response = site.get(query_url(SLOW), accept="application/sparql-results+json")
    assert response.status_code == 408
    assert response.text == "the query ran longer than the time limit of 1 s\n"
    after = site.get(query_url(COUNT_STRATEGIES), accept="application/sparql-results+json")
    assert after.status_code == 200
    assert after.json()["results"]["bindings"][0]["n"]["value"] == "23"


def test_a_result_over_the_row_cap_gets_413_and_a_limit_fixes_it(site):
    everything = "SELECT ?s ?p ?o WHERE { ?s ?p ?o }"
    response = site.get(query_url(everything), accept="text/csv")
    assert response.status_code == 413
    assert response.text == (
        f"the result has more than {MAX_ROWS} rows; add a LIMIT (the row cap is {MAX_ROWS})\n"
    )
    limited = site.get(query_url(everything + f" LIMIT {MAX_ROWS}"), accept="text/csv")
    assert limited.status_code == 200
    assert len(list(csv.reader(io.StringIO(limited.text)))) == MAX_ROWS + 1
    construct_all = site.get(
        query_url("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o } LIMIT 1000"), accept="text/turtle"
    )
    assert construct_all.status_code == 413


def test_an_overlong_query_is_refused_before_parsing(site):
    response = site.get(query_url("SELECT * WHERE { ?s ?p ?o } #" + "x" * 20_000))
    assert response.status_code == 413
    assert response.text == "the query is longer than 20000 characters\n"


# -- the HTML page -------------------------------------------------------------------------------------------


def test_the_page_offers_a_query_box_and_every_example_one_click_away(site):
    page = site.get("/-/sparql", accept="text/html").text
    assert '<textarea name="query"' in page
    links = [h for h in hrefs(page) if h.startswith("/-/sparql?query=")]
    assert len(links) == len(named_queries())
    for name, query in named_queries().items():
        assert "/-/sparql?" + urllib.parse.urlencode({"query": query.text}) in links, name


def test_an_example_runs_from_the_page_as_a_table_with_links(site):
    example = named_queries()["strategies-and-features"]
    page = site.get(query_url(example.text), accept="text/html")
    assert page.status_code == 200
    assert 'id="sparql-results"' in page.text
    assert '<td class="mskg-literal">Ant-nest-like porous silicon microparticles</td>' in page.text
    assert "download as" in page.text
    # our own resources link to their pages
    features = site.get(query_url(FEATURES), accept="text/html").text
    assert '<a href="/multiscale/features/internal-nanopores">feature/internal-nanopores</a>' in features


def test_errors_on_the_page_are_shown_with_the_query_kept(site):
    page = site.get(query_url("SELECT * WHERE { SERVICE <http://x/> { ?s ?p ?o } }"), accept="text/html")
    assert page.status_code == 400
    assert 'id="sparql-error"' in page.text
    assert "SERVICE is not allowed" in page.text
    assert "SERVICE &lt;http://x/&gt;" in page.text


def test_text_on_the_page_is_escaped(site):
    evil = 'SELECT ?x WHERE { BIND("<script>alert(1)</script>" AS ?x) }'
    page = site.get(query_url(evil), accept="text/html").text
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


# -- result formats ------------------------------------------------------------------------------------------


def test_result_serializers_follow_the_w3c_formats():
    from rdflib import BNode, Literal, URIRef

    table = {
        "type": "SELECT",
        "vars": ["a", "b"],
        "rows": [
            [term(URIRef("http://x/1")), term(Literal("tab\there", lang="en"))],
            [term(BNode("b0")), None],
            [term(Literal("1.5", datatype=URIRef("http://www.w3.org/2001/XMLSchema#decimal"))), None],
        ],
    }
    assert to_csv(table) == b"a,b\r\nhttp://x/1,tab\there\r\n_:b0,\r\n1.5,\r\n"
    assert to_tsv(table) == b'?a\t?b\n<http://x/1>\t"tab\\there"@en\n_:b0\t\n1.5\t\n'
    assert to_json(table).decode() == (
        '{"head": {"vars": ["a", "b"]}, "results": {"bindings": ['
        '{"a": {"type": "uri", "value": "http://x/1"}, "b": {"type": "literal", "value": "tab\\there", '
        '"xml:lang": "en"}}, {"a": {"type": "bnode", "value": "b0"}}, '
        '{"a": {"type": "literal", "value": "1.5", "datatype": "http://www.w3.org/2001/XMLSchema#decimal"}}]}}'
    )


def test_a_busy_pool_answers_503_with_retry_after_at_once(built):
    """A slow query holds the only worker: the next query is refused at once, told when to come back."""
    busy = Site(built, {"sparql_time_limit_s": 3, "sparql_workers": 1})
    pool = pool_for(built, Limits(time_limit_s=3, max_rows=2000, workers=1, memory_mb=2048))
    json = {"accept": "application/sparql-results+json"}
    try:
        assert busy.get(query_url(COUNT_STRATEGIES), **json).status_code == 200  # the worker is up

        async def scenario():
            slow = asyncio.ensure_future(busy.datasette.client.get(query_url(SLOW), headers=json))
            while pool.idle():  # until the slow query holds the worker
                await asyncio.sleep(0.01)
            started = time.perf_counter()
            refused = await busy.datasette.client.get(query_url(COUNT_STRATEGIES), headers=json)
            seconds = time.perf_counter() - started
            return await slow, refused, seconds

        slow, refused, seconds = busy.loop.run_until_complete(scenario())
        after = busy.get(query_url(COUNT_STRATEGIES), **json)
    finally:
        busy.close()
    assert (refused.status_code, refused.headers["retry-after"], refused.text) == (
        503,
        "1",
        "every SPARQL worker (1) is busy; try again in 1 s\n",
    )
    assert seconds < 1.0
    assert (slow.status_code, after.status_code) == (408, 200)


def test_a_worker_stopped_twice_at_once_closes_its_pipes_once(built):
    """A pool closed while a worker starts stops that worker from two threads: both return, and the pipes
    are closed once (a second close could hit a descriptor the process has reused)."""
    worker = _Worker(built, memory_mb=2048)
    stoppers = [threading.Thread(target=worker.kill) for _ in range(2)]
    for stopper in stoppers:
        stopper.start()
    for stopper in stoppers:
        stopper.join()
    assert worker.process.exitcode is not None
    assert worker.requests.closed and worker.replies.closed
    worker.kill()  # and once more, later


def _parent(pid: int) -> int:
    return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])


def test_workers_are_forked_from_one_fork_server_that_warmed_their_modules(built):
    """The workers share the pages of what they run: each is a child of the same fork server, not of the web
    server, and that fork server imported and warmed the worker's modules (``sparql_preload``) first."""
    pool = WorkerPool(built, Limits(workers=2))
    try:
        assert pool.run("ASK { ?s ?p ?o }", "json")["status"] == 200
        deadline = time.monotonic() + 30
        while pool.idle() < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
        parents = {_parent(pid) for pid in pool.pids()}
        assert len(pool.pids()) == 2 and len(parents) == 1 and parents != {os.getpid()}
        server = Path(f"/proc/{parents.pop()}/cmdline").read_bytes()
        assert b"multiprocessing.forkserver" in server
        assert b"multiscale_kg.publish.sparql_preload" in server
    finally:
        pool.close()


_BROKEN_PRELOAD = """
import json, sys, time
from multiscale_kg.publish import sparql_pool
sparql_pool._FORKS.set_forkserver_preload(["broken_preload"])
pool = sparql_pool.WorkerPool(sys.argv[1], sparql_pool.Limits(workers=1))
started = time.monotonic()
reply = pool.run("ASK { ?s ?p ?o }", "json")
print(json.dumps({"reply": reply, "seconds": time.monotonic() - started}))
"""


def test_a_fork_server_that_cannot_preload_gets_a_503_that_says_so_at_once(built, tmp_path):
    """The fork server's preload fails (here: a module that raises): the query is answered 503 with the
    reason at once, not after the start-up timeout as if every worker were busy."""
    (tmp_path / "broken_preload.py").write_text('raise RuntimeError("preload broke")\n', encoding="utf-8")
    run = subprocess.run(
        [sys.executable, "-c", _BROKEN_PRELOAD, str(built)],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "PYTHONPATH": str(tmp_path)},
    )
    answer = json.loads(run.stdout)
    assert answer["reply"]["status"] == 503
    assert answer["reply"]["error"].startswith("the SPARQL worker could not be started (EOFError")
    assert answer["seconds"] < 10
    assert "preload broke" in run.stderr  # the fork server's own error, in the server's log
