"""The Python API: ``kg = multiscale_kg.load()`` gives the graph as RDF, networkx, SQLite and pandas.

>>> import multiscale_kg as mskg
>>> kg = mskg.load()
>>> kg.sql("select count(*) as n from measurements where source = 'table1'")
[{'n': 130}]
>>> [step["relation"] for step in kg.path("strategy/ant-nest-si", "cause/volume-change-stress")]
['hasFeature', 'mitigates']
>>> [s["strategy_id"] for s in kg.strategies_for("micro-fracture")][:3]
['ant-nest-si', 'engineered-nanoporosity', 'nanostructuring']
>>> kg.explain("calendering", "nano-poor-volumetric-density").addressed
False
"""

from __future__ import annotations

import itertools
import json
import sqlite3
import weakref
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rdflib import Dataset, Graph

from .build import DB_NAME, GRAPH_NAME, MANIFEST_NAME, build, is_current, read_only_connection, refused_write
from .errors import UnknownIdError, UsageError
from .graph.store import STORE_NAME, dataset_over, read_store
from .leases import hold, release
from .queries import sparql as sparql_queries

if TYPE_CHECKING:  # each view imports its library when first used (a SPARQL worker needs only rdflib)
    import networkx as nx
    import pyoxigraph as ox
    import sqlite_utils

    from .queries import explain as explanations

#: relations of the article's causal argument, preferred by ``path``
_CAUSAL = {"hasFeature", "mitigates", "causedBy", "introduces", "exampleOf", "fallsShortOn", "addresses"}


def load_dataset(path: Path, store: str = "Oxigraph") -> Dataset:
    """An N-Quads file as a Dataset whose default graph is the union of its named graphs.

    The Oxigraph-backed store loads and answers our queries 9-50x faster than rdflib's Memory store with the
    same answers (benchmarks/results/sparql-engines.md); store="default" gives rdflib's own.
    """
    if store == "Oxigraph":
        dataset = Dataset(store="Oxigraph", default_union=True)
        dataset.parse(path, format="ox-nquads")
    else:
        dataset = Dataset(default_union=True)
        dataset.parse(path, format="nquads")
    return dataset


class KnowledgeGraph:
    """One built knowledge graph, read from its build folder; each view is loaded on first use.

    ``folder`` may be the ``db`` link a build replaces: the build it points to when the KnowledgeGraph is
    made is the one every view reads (``build_folder``), and a lease on it (``leases``) keeps a later build
    from removing it until ``close()`` or the end of the process."""

    def __init__(self, folder: Path):
        self.folder = Path(folder)
        self.build_folder = self.folder.resolve()
        lease = hold(self.build_folder)
        self._released = weakref.finalize(self, release, lease)

    def close(self) -> None:
        """Give up the lease on the build folder: a later build may remove it (the views opened so far may
        then stop working)."""
        self._released()

    def __enter__(self) -> KnowledgeGraph:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    @cached_property
    def db(self) -> sqlite_utils.Database:
        """The build's SQLite database, opened read-only: a write raises ``sqlite3.OperationalError``
        (``kg.sql`` and ``kg.execute`` raise ``ReadOnlyError``, which says how to change data)."""
        import sqlite_utils

        return sqlite_utils.Database(read_only_connection(self.build_folder / DB_NAME))

    @cached_property
    def store(self) -> ox.Store:
        """The build's graph of record, a pyoxigraph store opened read-only (the same files in every process;
        a write raises an error)."""
        return read_store(self.build_folder)

    @cached_property
    def rdf(self) -> Dataset:
        """The build's graph as an rdflib Dataset over ``store`` (its default graph the union of the named
        graphs); a write raises ``errors.ReadOnlyError``."""
        return dataset_over(self.store, read_only=str(self.folder / STORE_NAME))

    @cached_property
    def nx(self) -> nx.MultiDiGraph:
        import networkx as nx

        data = json.loads((self.build_folder / GRAPH_NAME).read_text(encoding="utf-8"))
        return nx.node_link_graph(data, directed=True, multigraph=True, edges="edges")

    # -- queries -----------------------------------------------------------------------------------------

    def sparql(self, query: str) -> list[dict[str, Any]] | bool | Graph:
        """SELECT → rows of Python values; ASK → bool; CONSTRUCT/DESCRIBE → an rdflib Graph."""
        return sparql_queries.run_values(self.store, query)

    def sql(self, query: str, params: dict | tuple | None = None) -> list[dict[str, Any]]:
        """Rows of an SQL query as dicts; a statement that writes raises ``errors.ReadOnlyError``."""
        cursor = self.execute(query, params)
        columns = [c[0] for c in cursor.description or ()]
        return [dict(zip(columns, row, strict=True)) for row in cursor]

    def execute(self, query: str, params: dict | tuple | None = None) -> sqlite3.Cursor:
        """An SQLite cursor over the query's rows; a statement that writes raises ``errors.ReadOnlyError``."""
        try:
            return self.db.execute(query, params or {})
        except sqlite3.Error as error:
            refused = refused_write(error, self.folder / DB_NAME)
            if refused is not None:
                raise refused from None
            raise

    def measurements(self, **filters: Any):
        """Measurements as a pandas DataFrame, filtered by column: ``kg.measurements(material_id="si")``."""
        import pandas as pd

        columns = set(self.db["measurements"].columns_dict)
        unknown = sorted(set(filters) - columns)
        if unknown:
            raise ValueError(f"unknown measurement columns {unknown}; expected some of {sorted(columns)}")
        where = " and ".join(f"[{name}] = :{name}" for name in filters) or "1"
        sql = f"select * from measurements where {where} order by material_id, property, scale, id"
        return pd.read_sql_query(sql, self.db.conn, params=filters)

    # -- rules -------------------------------------------------------------------------------------------

    def strategies_for(self, drawback_id: str, min_support: str | None = None) -> list[dict[str, Any]]:
        """The strategies that address ``drawback_id`` (derived by the rules in ``queries/rules``), best
        supported first, each with its ``support`` grade (stated, chained, inherited, prospect), the features
        and causes it goes through, the rules that derived it and the trade-offs it introduces;
        ``min_support`` keeps those graded that or better.
        """
        from .queries import explain as explanations

        return explanations.strategies_for(self.db, drawback_id, min_support)

    def explain(
        self, strategy_id: str, drawback_id: str, min_support: str | None = None
    ) -> explanations.Explanation:
        """Why ``strategy_id`` addresses ``drawback_id``: the chains strategy → feature → cause ← drawback
        with the quotes behind every step; or, when it does not, which link is missing (``.missing``) and
        what the article says (``.statements``, e.g. a ``fallsShortOn``). ``"\n".join(e.lines())`` shows it.
        """
        from .queries import explain as explanations

        return explanations.explain(self.db, strategy_id, drawback_id, min_support)

    # -- traversal ---------------------------------------------------------------------------------------

    def neighbors(self, node: str, relation: str | None = None) -> list[dict[str, Any]]:
        """Edges touching ``node`` ("material/si"), both directions, optionally of one relation."""
        self._require(node)
        found = []
        for source, target, data in self.nx.out_edges(node, data=True):
            found.append({"direction": "out", "node": target, **_edge(source, target, data)})
        for source, target, data in self.nx.in_edges(node, data=True):
            found.append({"direction": "in", "node": source, **_edge(source, target, data)})
        found = [f for f in found if relation is None or f["relation"] == relation]
        return sorted(found, key=lambda f: (f["direction"], f["relation"], f["node"]))

    def path(self, start: str, end: str) -> list[dict[str, Any]]:
        """The chain of asserted relations from ``start`` to ``end`` (edges followed either way), with quotes.

        Causal relations (features, causes, trade-offs, families) are preferred over material and
        mechanism links, so a strategy reaches a drawback through feature → cause, as the article argues.
        """
        import networkx as nx

        self._require(start)
        self._require(end)
        graph = nx.Graph()
        for source, target, data in self.nx.edges(data=True):
            if data.get("inferred"):
                continue  # inferred edges have no quote of their own: show the asserted chain instead
            weight = 1 if data["relation"] in _CAUSAL else 2
            if not graph.has_edge(source, target) or graph[source][target]["weight"] > weight:
                graph.add_edge(source, target, weight=weight, step=_edge(source, target, data))
        try:
            nodes = nx.shortest_path(graph, start, end, weight="weight")
        except (nx.NetworkXNoPath, nx.NodeNotFound):
            return []
        return [graph[a][b]["step"] for a, b in itertools.pairwise(nodes)]

    def _require(self, node: str) -> None:
        if node not in self.nx:
            raise UnknownIdError(
                f"no node {node!r}; node keys are kind/id, e.g. 'material/si', 'drawback/micro-fracture'"
            )


def _edge(source: str, target: str, data: dict) -> dict[str, Any]:
    return {
        "source": source,
        "relation": data["relation"],
        "target": target,
        "inferred": data.get("inferred", False),
        "quote": data.get("quote"),
        "ref_numbers": data.get("ref_numbers", []),
    }


_OPEN: dict[tuple[str, str], KnowledgeGraph] = {}


def open_build(folder: Path) -> KnowledgeGraph:
    """The KnowledgeGraph of a build folder, shared within the process while that build is current.

    Raises UsageError when the folder holds no build."""
    if not (Path(folder) / DB_NAME).exists():
        raise UsageError(f"{Path(folder) / DB_NAME}: no database; run 'mskg build' first")
    resolved = Path(folder).resolve()
    key = (
        str(resolved),
        (resolved / MANIFEST_NAME).read_text(encoding="utf-8") if (resolved / MANIFEST_NAME).exists() else "",
    )
    if key not in _OPEN:
        _OPEN[key] = KnowledgeGraph(resolved)
    return _OPEN[key]


def load(folder: Path | str | None = None, corpus: Path | str | None = None) -> KnowledgeGraph:
    """The knowledge graph built in ``folder``; builds it first when it is missing or its inputs changed.

    ``folder`` and ``corpus`` default to $MSKG_DB and $MSKG_CORPUS, else ``db/`` and ``corpus/`` here;
    FileNotFoundError says where they were looked for when there is neither a build nor a corpus."""
    from .locations import default_corpus, default_db, no_corpus_nor_build

    folder = Path(folder) if folder is not None else default_db()
    corpus = Path(corpus) if corpus is not None else default_corpus()
    if not is_current(corpus, folder):
        if not corpus.is_dir():
            raise FileNotFoundError(no_corpus_nor_build(corpus, folder, "load(folder, corpus)"))
        build(corpus, folder, log=lambda line: None)
    return KnowledgeGraph(folder)
