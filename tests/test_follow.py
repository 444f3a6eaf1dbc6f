"""One build at a time: `mskg serve` follows the build the `db` link points to, tables and SPARQL together.

A rebuild under a running server (two processes) switches both to the new build on the next request; the
old build's SPARQL workers stop and its folder is removed once no process reads it. `build.publish` removes
the previous build itself when no server holds it, also when the build folder was named by a relative path.
"""

from __future__ import annotations

import json
import os
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

from multiscale_kg.build import build, publish, remove_leftovers
from multiscale_kg.leases import hold, release

from .live import serving

ARTICLE_TITLE = 'title = "Nanostructuring versus microstructuring in battery electrodes"'
NEW_TITLE = "Nano and micro, rebuilt"
TITLE_QUERY = (
    "PREFIX dcterms: <http://purl.org/dc/terms/> SELECT ?title WHERE { "
    "<https://w3id.org/multiscale-kg/id/document/nano-vs-micro> dcterms:title ?title }"
)
#: a server process notices a moved link at its next request, or within its poll interval (1 s)
GONE_WITHIN_S = 15


def quiet(line: str) -> None:
    pass


def staged(out: Path) -> Path:
    """An empty folder where a build of ``out`` stages its files."""
    return Path(tempfile.mkdtemp(prefix=f".{out.name}-build-", dir=out.parent))


def test_publish_removes_the_previous_build_unless_a_server_reads_it(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    out = Path("db")  # relative, as `mskg build` names it by default
    first = staged(out)
    publish(first, out)
    second = staged(out)
    publish(second, out)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["db", second.name])

    lease = hold(out.resolve())  # a server serves the second build
    third = staged(out)
    publish(third, out)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["db", second.name, third.name])
    assert remove_leftovers(out) == []  # the next build keeps it too, while it is read
    release(lease)
    assert remove_leftovers(out) == [second.name]
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["db", third.name])


def fetch(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=60) as response:
        return response.read()


def titles(base: str) -> tuple[str, str]:
    """The article's title as a table page shows it and as SPARQL answers it."""
    table = json.loads(fetch(base + "/multiscale/documents/nano-vs-micro.json?_shape=objects"))
    query = urllib.parse.urlencode({"query": TITLE_QUERY, "format": "json"})
    sparql = json.loads(fetch(f"{base}/-/sparql?{query}"))
    return table["rows"][0]["title"], sparql["results"]["bindings"][0]["title"]["value"]


def readers_of(folder: Path) -> list[int]:
    """The running processes that have a file of ``folder``'s graph store open (the SPARQL workers of a
    build do; its web server processes read its SQLite file only)."""
    store = str(folder / "store") + "/"
    found = set()
    for descriptor in Path("/proc").glob("[0-9]*/fd/*"):
        try:
            target = os.readlink(descriptor)
        except OSError:
            continue
        if target.startswith(store):
            found.add(int(descriptor.parent.parent.name))
    return sorted(found)


def test_a_rebuild_switches_tables_and_sparql_together_and_the_old_build_goes(corpus_copy, tmp_path):
    site = tmp_path / "site"
    out = site / "db"
    build(corpus_copy, out, log=quiet)
    old = out.resolve()
    meta = corpus_copy / "nano-vs-micro" / "document.toml"
    old_title = ARTICLE_TITLE.split('"')[1]
    with serving(out, corpus=corpus_copy, processes=2) as base:
        for _ in range(4):  # each request may reach either process
            assert titles(base) == (old_title, old_title)
        assert readers_of(old)  # the SPARQL workers of the old build

        meta.write_text(
            meta.read_text(encoding="utf-8").replace(ARTICLE_TITLE, f'title = "{NEW_TITLE}"'),
            encoding="utf-8",
        )
        build(corpus_copy, out, log=quiet)
        new = out.resolve()
        assert new != old
        for _ in range(4):
            assert titles(base) == (NEW_TITLE, NEW_TITLE)

        deadline = time.monotonic() + GONE_WITHIN_S
        while old.exists() and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not old.exists()
        assert readers_of(old) == []
        # beside the link: its lock, the documents' cache and the one build it points to
        assert sorted(p.name for p in site.iterdir()) == sorted(["db", ".db-lock", ".db-cache", new.name])
        assert titles(base) == (NEW_TITLE, NEW_TITLE)


def test_a_knowledge_graph_reads_its_build_until_closed_and_then_the_build_may_go(corpus_copy, tmp_path):
    """The Python API (and `mskg sparql`, which opens one) reads the build the link pointed to when it was
    opened, every view alike, and a rebuild leaves that build in place until the KnowledgeGraph is closed."""
    from multiscale_kg.api import KnowledgeGraph

    out = tmp_path / "site" / "db"
    build(corpus_copy, out, log=quiet)
    old = out.resolve()
    kg = KnowledgeGraph(out)
    meta = corpus_copy / "nano-vs-micro" / "document.toml"
    meta.write_text(
        meta.read_text(encoding="utf-8").replace(ARTICLE_TITLE, f'title = "{NEW_TITLE}"'), encoding="utf-8"
    )
    build(corpus_copy, out, log=quiet)
    assert out.resolve() != old and old.exists()  # the rebuild left the build the KnowledgeGraph reads
    old_title = ARTICLE_TITLE.split('"')[1]
    assert kg.sql("select title from documents") == [{"title": old_title}]
    assert kg.sparql(TITLE_QUERY) == [{"title": old_title}]
    kg.close()
    assert remove_leftovers(out) == [old.name]
    with KnowledgeGraph(out) as current:
        assert current.sparql(TITLE_QUERY) == [{"title": NEW_TITLE}]
