"""The served site is read-only and bounded, reaches nothing outside, and shows markup in the data as text.

A test corpus (the shipped corpus plus a tiny document of its own, ``xss-probe``) carries
``<script>alert(1)</script>`` in its text, in a Table 1 footnote, in quotes and in labels; every page that
shows quotes or labels must show it escaped. SPARQL queries that would reach outside (SERVICE, FROM, LOAD,
``file:`` IRIs) are refused with 400 while the test process's ``connect`` fails and a listener on
127.0.0.1, the target of every such query, counts the connections it gets: none. The worker processes keep
themselves off the network (their own guard, tested in subprocesses).
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import re
import shutil
import socket
import subprocess
import sys
import threading
import urllib.parse
from pathlib import Path

import pytest
from datasette.app import Datasette
from rdflib import Dataset

from multiscale_kg.build import DB_NAME, build
from multiscale_kg.export import serialized
from multiscale_kg.graph.serialize import FORMATS
from multiscale_kg.publish.sparql_pool import Limits, pool_for
from multiscale_kg.publish.sparql_worker import NAMESPACE, PYTHON_GUARD

from .conftest import CORPUS, ROOT, _block_network
from .test_publish import Site

EVIL = "<script>alert(1)</script>"
SHOWN = "&lt;script&gt;alert(1)&lt;/script&gt;"
RAW_MARKUP = (EVIL, "<b>angle brackets</b>", "<i>feature</i>")

# The probe document: a paragraph, then a one-material Table 1 whose footnote carries the markup.
PROBE_TEXT = """Escaping probe

A probe for escaping

Every page must show <script>alert(1)</script> as text and never run it. A label
or a quote with markup in it is data, not code. Markup injected into a page lets
the browser of a visitor run foreign code. Angle brackets written out unescaped
are the cause. Escaping every text turns angle brackets into entities.

Table 1 | Probe values of <script>alert(1)</script>

type electrode material Particle size Gravimetric
capacity
(mah g–1)

Volumetric
capacity
(mah l–1)

Cyclic stability
(capacity retention)

C-rate (capacity
retention)

First cycle
Coulombic
efficiency (%)

Anode ZnO (ref.1) 50 nm 600a 900 50% (10 cycles) 40% (2C) 60

2 µm 400 1,200 30% (10 cycles) 20% (2C) 80

The table shows probe values of a test corpus.
aBallpark <script>alert(1)</script> value.
"""
PROBE_TOML = 'title = "Escaping probe <script>alert(1)</script>"\n'
PROBE_ANNOTATIONS = """document: xss-probe
drawbacks:
  - id: probe-drawback
    label: "Injected <script>alert(1)</script> drawback"
    scale: nano
    quote: "Markup injected into a page lets the browser of a visitor run foreign code"
causes:
  - id: probe-cause
    label: "Unescaped <b>angle brackets</b> cause"
    quote: "Angle brackets written out unescaped are the cause"
features:
  - id: probe-feature
    label: "Escaping <i>feature</i>"
    quote: "Escaping every text turns angle brackets into entities"
strategies:
  - id: probe-strategy
    label: "Show <script>alert(1)</script> as text"
    quote: "Every page must show <script>alert(1)</script> as text and never run it"
relations:
  - {subject: probe-drawback, relation: causedBy, object: probe-cause,
     quote: "Angle brackets written out unescaped are the cause"}
  - {subject: probe-strategy, relation: hasFeature, object: probe-feature,
     quote: "Every page must show <script>alert(1)</script> as text"}
  - {subject: probe-feature, relation: mitigates, object: probe-cause,
     quote: "Escaping every text turns angle brackets into entities"}
  - {subject: probe-strategy, relation: usesMaterial, object: zno,
     quote: "A label or a quote with markup in it is data, not code"}
"""

#: the site's SPARQL limits; the tests reach the same worker pool through pool_for(folder, LIMITS)
LIMITS = Limits(time_limit_s=2.0, max_rows=2000, workers=2, memory_mb=2048)
JSON = {"accept": "application/sparql-results+json"}
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
COUNT_STRATEGIES = (
    "PREFIX mskg: <https://w3id.org/multiscale-kg/ontology#> "
    "SELECT (COUNT(?s) AS ?n) WHERE { ?s a mskg:Strategy }"
)
PROBE_LABELS = (
    "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> "
    'SELECT ?s ?label WHERE { ?s rdfs:label ?label FILTER(CONTAINS(?label, "alert(1)")) } ORDER BY ?s'
)


@pytest.fixture(scope="module")
def probe_build(tmp_path_factory) -> Path:
    """A build of the shipped corpus plus the probe document."""
    corpus = tmp_path_factory.mktemp("probe") / "corpus"
    shutil.copytree(CORPUS, corpus)
    probe = corpus / "xss-probe"
    probe.mkdir()
    (probe / "document.txt").write_text(PROBE_TEXT, encoding="utf-8")
    (probe / "document.toml").write_text(PROBE_TOML, encoding="utf-8")
    (probe / "annotations.yaml").write_text(PROBE_ANNOTATIONS, encoding="utf-8")
    out = corpus.parent / "db"
    build(corpus, out, log=lambda line: None)
    return out


@pytest.fixture(scope="module")
def site(probe_build):
    site = Site(
        probe_build,
        {
            "sparql_time_limit_s": LIMITS.time_limit_s,
            "sparql_max_rows": LIMITS.max_rows,
            "sparql_workers": LIMITS.workers,
            "sparql_memory_mb": LIMITS.memory_mb,
        },
    )
    yield site
    site.close()


def query_url(query: str, **params: str) -> str:
    return "/-/sparql?" + urllib.parse.urlencode({"query": query, **params})


# -- rendered text is escaped --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "shown"),
    [
        (
            "/",
            f'<a class="mskg-drawback" href="/-/answers/probe-drawback">Injected {SHOWN} drawback</a>',
        ),
        (
            "/-/answers/probe-drawback",
            f'<a href="/multiscale/strategies/probe-strategy">Show {SHOWN} as text</a>',
        ),
        ("/-/answers/probe-drawback", f"Injected {SHOWN} drawback</a>, and at what cost?"),
        ("/multiscale/strategies", f'<td class="col-label type-str">Show {SHOWN} as text</td>'),
        ("/multiscale/strategies/probe-strategy", f"<strong>Show {SHOWN} as text</strong> (strategy)"),
        (
            "/multiscale/strategies/probe-strategy",
            f'<td class="mskg-quote">“Every page must show {SHOWN} as text”</td>',
        ),
        (
            "/multiscale/strategies/probe-strategy",
            f"<q>Every page must show {SHOWN} as text and never run it</q>",
        ),
        (
            "/multiscale/strategies/probe-strategy",
            '<a href="/multiscale/features/probe-feature">Escaping &lt;i&gt;feature&lt;/i&gt;</a>',
        ),
        (
            "/multiscale/drawbacks/probe-drawback",
            '<a href="/multiscale/causes/probe-cause">Unescaped &lt;b&gt;angle brackets&lt;/b&gt; cause</a>',
        ),
        (
            "/multiscale/materials/zno",
            f'<a href="/multiscale/strategies/probe-strategy">Show {SHOWN} as text</a>',
        ),
        (
            "/multiscale/documents/xss-probe",
            '<td class="col-title type-str"><a href="/-/documents/xss-probe">'
            f"Escaping probe {SHOWN}</a></td>",
        ),
        ("/-/documents/xss-probe", f"<h1>Escaping probe {SHOWN}</h1>"),
        ("/-/documents", f'<a href="/-/documents/xss-probe">Escaping probe {SHOWN}</a>'),
        ("/", f'<a href="/-/documents/xss-probe">Escaping probe {SHOWN}</a>'),
        (
            "/multiscale/passages/xss-probe-p003",
            f'<td class="col-text type-str">Every page must show {SHOWN} as text and never run it.',
        ),
        ("/multiscale/evidence?subject_id=probe-strategy", f"Every page must show {SHOWN} as text"),
        (
            "/multiscale/strategies-for-drawback?drawback=probe-drawback",
            f'<td class="col-strategy">Show {SHOWN} as text</td>',
        ),
        ("/multiscale/evidence-behind-a-fact?fact=probe-strategy", f"Every page must show {SHOWN} as text"),
        ("/-/charts/gravimetric_capacity", f"<td>particles 50 nm, Ballpark {SHOWN} value.</td>"),
        (
            "/-/charts/gravimetric_capacity.svg",
            f"<title>ZnO nano: 600a (particles 50 nm, Ballpark {SHOWN} value.)</title>",
        ),
        ("/-/graph/strategy/probe-strategy", f">{SHOWN}</text>"),
        ("/-/graph/strategy/probe-strategy.svg", f">Causal web around Show {SHOWN} as text</text>"),
        ("/-/graph/drawback/probe-drawback", "Unescaped &lt;b&gt;angle"),
        (
            query_url(PROBE_LABELS),
            f'<td class="mskg-literal">Show {SHOWN} as text</td>',
        ),
    ],
)
def test_markup_in_quotes_and_labels_is_shown_as_text(site, path, shown):
    response = site.get(path, accept="text/html")
    assert response.status_code == 200, response.text[:500]
    assert shown in response.text
    for markup in RAW_MARKUP:
        assert markup not in response.text


def test_the_probe_document_is_part_of_the_build(site):
    """The test corpus holds what the escaping tests rely on: both documents, the probe's Table 1 row."""
    assert [r["id"] for r in site.rows("/multiscale/documents.json?_sort=id")] == [
        "nano-vs-micro",
        "xss-probe",
    ]
    footnotes = site.rows("/multiscale/measurements.json?material_id=zno&footnote=a")
    assert [(r["property"], r["scale"], r["footnote_text"]) for r in footnotes] == [
        ("gravimetric_capacity", "nano", f"Ballpark {EVIL} value.")
    ]


def test_a_chart_shows_every_documents_table1_or_the_one_chosen(site):
    bars = re.compile(r"<g class='bar (\w+)' data-material='([\w-]+)'")
    every = site.get("/-/charts/gravimetric_capacity").text
    assert ("nano", "zno") in bars.findall(every) and ("micro", "si") in bars.findall(every)
    assert '<a href="/-/charts/gravimetric_capacity?document=xss-probe">' in every  # the document facet
    probe = site.get("/-/charts/gravimetric_capacity?document=xss-probe").text
    assert {material for _, material in bars.findall(probe)} == {"zno"}
    review = site.get("/-/charts/gravimetric_capacity.svg?document=nano-vs-micro").text
    assert ("nano", "zno") not in bars.findall(review) and len(bars.findall(review)) == 28


# -- nothing reaches outside ---------------------------------------------------------------------------------


class Listener:
    """A TCP listener on 127.0.0.1 that counts the connections it gets (accepted and closed at once)."""

    def __init__(self):
        self.server = socket.create_server(("127.0.0.1", 0))
        self.server.settimeout(0.05)
        self.port = self.server.getsockname()[1]
        self.peers: list = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                connection, peer = self.server.accept()
            except OSError:
                continue
            self.peers.append(peer)
            connection.close()

    def connections(self) -> int:
        """Connections so far, including any still waiting in the backlog."""
        self._stop.set()
        self._thread.join()
        self.server.setblocking(False)
        while True:
            try:
                connection, peer = self.server.accept()
            except OSError:
                break
            self.peers.append(peer)
            connection.close()
        return len(self.peers)

    def close(self) -> None:
        self._stop.set()
        self._thread.join()
        self.server.close()


@pytest.fixture()
def listener():
    listening = Listener()
    yield listening
    listening.close()


@pytest.fixture()
def no_network(monkeypatch):
    """Any connection the test process (the server here) opens fails, and is remembered."""
    attempts = []

    def refuse(*args, **kwargs):
        attempts.append(args[-1] if args else kwargs)
        raise OSError(f"network access attempted: {args[-1] if args else kwargs}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    yield attempts
    assert attempts == []


SERVICE = "SERVICE is not allowed: queries never reach remote endpoints"
READ_ONLY = "updates are not allowed: this endpoint is read-only"
LOCAL = "file: IRIs are not allowed: queries never read local files"


def reaching_out(port: int) -> list[tuple[str, str]]:
    """Queries that would open a connection to ``port`` or read a file, each with the reason it is refused."""
    here = f"http://127.0.0.1:{port}"
    return [
        (f"SELECT * WHERE {{ SERVICE <{here}/sparql> {{ ?s ?p ?o }} }}", SERVICE),
        (f"SELECT * WHERE {{ SERVICE SILENT <{here}/sparql> {{ ?s ?p ?o }} }}", SERVICE),
        (f"select * where {{ service <{here}/sparql> {{ ?s ?p ?o }} }}", SERVICE),
        (f"SELECT * WHERE {{ \\u0053ERVICE <{here}/sparql> {{ ?s ?p ?o }} }}", SERVICE),
        (f"SELECT * WHERE {{ ?a ?b ?c FILTER EXISTS {{ SERVICE <{here}/> {{ ?s ?p ?o }} }} }}", SERVICE),
        (f"SELECT * WHERE {{ BIND(1 AS ?x) OPTIONAL {{ SERVICE <{here}/> {{ ?s ?p ?o }} }} }}", SERVICE),
        (f"SELECT * WHERE {{ {{ SELECT * WHERE {{ SERVICE <{here}/> {{ ?s ?p ?o }} }} }} }}", SERVICE),
        (f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ SERVICE <{here}/> {{ ?s ?p ?o }} }}", SERVICE),
        (f"BASE <{here}/> ASK {{ SERVICE <sparql> {{ ?s ?p ?o }} }}", SERVICE),
        ("SELECT * WHERE { SERVICE <file:///etc/passwd> { ?s ?p ?o } }", SERVICE),
        ("SELECT * FROM <file:///etc/passwd> WHERE { ?s ?p ?o }", f"{LOCAL} (<file:///etc/passwd>)"),
        (f"LOAD <{here}/data.ttl>", READ_ONLY),
        ("LOAD <file:///etc/passwd> INTO GRAPH <http://example.org/g>", READ_ONLY),
        ("SELECT * WHERE { GRAPH <file:///etc/passwd> { ?s ?p ?o } }", f"{LOCAL} (<file:///etc/passwd>)"),
        ("BASE <file:///etc/> SELECT * WHERE { <passwd> ?p ?o }", f"{LOCAL} (<file:///etc/passwd>)"),
        ("DESCRIBE <FILE:///etc/passwd>", f"{LOCAL} (<FILE:///etc/passwd>)"),
    ]


def test_queries_that_would_reach_outside_get_400_and_open_no_socket(site, listener, no_network):
    for query, reason in reaching_out(listener.port):
        for response in (
            site.get(query_url(query), **JSON),
            site.post(
                "/-/sparql", content=query.encode(), headers={"content-type": "application/sparql-query"}
            ),
        ):
            assert response.status_code == 400, query
            assert response.text.startswith(reason), (query, response.text)
        page = site.get(query_url(query), accept="text/html")
        assert page.status_code == 400
        assert 'id="sparql-error"' in page.text
    assert listener.connections() == 0


def test_from_names_graphs_of_the_store_and_fetches_nothing(site, listener, no_network):
    """FROM and FROM NAMED choose among the graphs the workers hold, as default-graph-uri does: an IRI of
    another server is a graph the store does not have, so the answer is empty and nothing is fetched."""
    here = f"http://127.0.0.1:{listener.port}"
    for query in (
        f"SELECT * FROM <{here}/graph> WHERE {{ ?s ?p ?o }}",
        f"SELECT * FROM NAMED <{here}/graph> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}",
    ):
        response = site.get(query_url(query), **JSON)
        assert response.status_code == 200, response.text
        assert response.json()["results"]["bindings"] == []
    assert listener.connections() == 0


def test_the_workers_check_each_query_themselves(probe_build, site, listener):
    """A query that reached a worker without the server's check is refused there, before it runs."""
    site.get(query_url(COUNT_STRATEGIES), **JSON)  # the site's pool is started
    pool = pool_for(probe_build, LIMITS)
    for query, reason in reaching_out(listener.port):
        reply = pool.run(query, "json")
        assert reply["status"] == 400, query
        assert reply["error"].startswith(reason)
    assert listener.connections() == 0


def _python(code: str, *args: str) -> dict:
    done = subprocess.run(
        [sys.executable, "-c", code, *args], capture_output=True, text=True, timeout=120, cwd=ROOT
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


OXIGRAPH_SERVICE = """
import json, sys
import pyoxigraph
query = "SELECT * WHERE { SERVICE <http://127.0.0.1:%s/sparql> { ?s ?p ?o } }" % sys.argv[1]
try:
    list(pyoxigraph.Store().query(query))
    error = None
except Exception as failure:
    error = str(failure)
"""


def test_oxigraph_opens_its_own_connections_for_service(listener):
    """Why the workers need more than a patched Python socket: Oxigraph's SERVICE client is its own."""
    outcome = _python(OXIGRAPH_SERVICE + "print(json.dumps({'error': error}))", str(listener.port))
    assert outcome["error"] is not None  # the listener closed the connection without an answer
    assert listener.connections() == 1


def test_a_worker_process_has_no_network_even_for_oxigraph(probe_build, site, listener):
    isolated = _python(
        "import json, sys\n"
        "from multiscale_kg.publish.sparql_worker import isolate_network\n"
        "isolated = isolate_network()\n"
        + OXIGRAPH_SERVICE
        + "print(json.dumps({'isolated': isolated, 'error': error}))",
        str(listener.port),
    )
    site.get(query_url(COUNT_STRATEGIES), **JSON)
    workers = pool_for(probe_build, LIMITS).isolation()
    if not isolated["isolated"]:
        assert workers == {PYTHON_GUARD}
        pytest.skip("no unprivileged network namespaces here: the workers rely on the Python guard")
    assert workers == {NAMESPACE}
    assert isolated["error"] == "Network is unreachable (os error 101)"
    assert listener.connections() == 0


def test_the_python_guard_of_a_worker_refuses_every_connection(listener):
    outcome = _python(
        "import json, socket, sys\n"
        "from multiscale_kg.publish.sparql_worker import disable_network\n"
        "disable_network()\n"
        "errors = []\n"
        "for attempt in (lambda: socket.create_connection(('127.0.0.1', int(sys.argv[1]))),\n"
        "                lambda: socket.socket().connect(('127.0.0.1', int(sys.argv[1]))),\n"
        "                lambda: socket.getaddrinfo('example.org', 80)):\n"
        "    try:\n"
        "        attempt()\n"
        "        errors.append(None)\n"
        "    except OSError as error:\n"
        "        errors.append(str(error))\n"
        "print(json.dumps(errors))",
        str(listener.port),
    )
    assert outcome == ["network access is disabled in the SPARQL worker"] * 3
    assert listener.connections() == 0


def test_the_exported_json_ld_has_an_inline_context_and_parses_offline(built, no_network):
    """No input of the server is JSON-LD; the JSON-LD `mskg export` writes fetches no context either."""
    document = json.loads(serialized(built, "jsonld"))
    assert isinstance(document["@context"], dict)
    assert all(isinstance(v, str) and v.startswith("http") for v in document["@context"].values())
    dataset = Dataset()
    dataset.parse(data=serialized(built, "jsonld"), format="json-ld")
    quads = (built / FORMATS["nq"]).read_text(encoding="utf-8").splitlines()
    assert len(list(dataset.quads())) == len([line for line in quads if line.strip()])


# -- bounded: time limits, read-only -------------------------------------------------------------------------


def test_a_slow_query_stops_at_the_time_limit_while_the_others_are_answered(site):
    fast = [
        query_url(COUNT_STRATEGIES),
        "/multiscale/strategies",
        "/multiscale/strategies-for-drawback?drawback=nano-low-first-cycle-ce",
        "/multiscale/strategies/ant-nest-si",
        query_url(PROBE_LABELS),
        "/-/charts/first_cycle_ce.svg",
    ]
    finished: list[str] = []

    async def get(path: str):
        response = await site.datasette.client.get(path, headers=JSON)
        finished.append(path)
        return response

    async def scenario():
        slow = asyncio.ensure_future(get(query_url(SLOW)))
        answers = [await get(path) for path in fast]
        return await slow, answers

    slow, answers = site.loop.run_until_complete(scenario())
    assert (slow.status_code, slow.text) == (408, "the query ran longer than the time limit of 2 s\n")
    assert [a.status_code for a in answers] == [200] * len(fast)
    assert finished[-1] == query_url(SLOW)  # every other request was answered while it ran
    after = site.get(query_url(COUNT_STRATEGIES), **JSON)
    assert after.json()["results"]["bindings"][0]["n"]["value"] == "24"


def test_datasette_stops_sql_at_its_time_limit_and_refuses_writes(probe_build):
    path = probe_build / DB_NAME
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    datasette = Datasette(immutables=[str(path)], settings={"sql_time_limit_ms": 200})
    loop = asyncio.new_event_loop()

    def sql(statement: str):
        url = "/multiscale.json?" + urllib.parse.urlencode({"sql": statement})
        return loop.run_until_complete(datasette.client.get(url))

    try:
        assert datasette.get_database("multiscale").is_mutable is False
        endless = sql(
            "with recursive c(x) as (select 1 union all select x + 1 from c) select count(*) from c"
        )
        assert endless.status_code == 400
        assert "SQL query took too long" in endless.json()["error"]
        for statement in (
            "insert into strategies (id, label) values ('x', 'y')",
            "delete from strategies",
            "attach database '/tmp/other.db' as other",
            "pragma writable_schema = 1",
        ):
            refused = sql(statement)
            assert (refused.status_code, refused.json()["error"]) == (400, "Statement must be a SELECT"), (
                statement
            )
        assert sql("select load_extension('/tmp/x.so')").json()["error"] == "not authorized"
    finally:
        loop.close()
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before


# -- the suite without network -------------------------------------------------------------------------------


def test_the_no_network_option_refuses_all_but_loopback(listener, monkeypatch):
    for owner, name in ((socket.socket, "connect"), (socket.socket, "connect_ex"), (socket, "getaddrinfo")):
        monkeypatch.setattr(owner, name, getattr(owner, name))  # restored after the test
    _block_network()
    results = {}
    for name, attempt in {
        "remote": lambda: socket.create_connection(("192.0.2.1", 80), timeout=1),
        "lookup": lambda: socket.getaddrinfo("example.org", 443),
        "loopback": lambda: socket.create_connection(("127.0.0.1", listener.port), timeout=5).close(),
        "localhost": lambda: socket.getaddrinfo("localhost", 80),
    }.items():
        try:
            attempt()
            results[name] = "ok"
        except OSError as error:
            results[name] = str(error)
    assert results == {
        "remote": "network disabled for the tests (--no-network): connection to ('192.0.2.1', 80) refused",
        "lookup": "[Errno -2] network disabled for the tests: no lookup of 'example.org'",
        "loopback": "ok",
        "localhost": "ok",
    }
    assert listener.connections() == 1
