"""The per-document function on a Dask cluster: ``mskg build --scheduler ADDRESS`` builds the same bytes as a
build in one process, and says what is wrong (exit 2) when the extra is missing or nothing answers."""

from __future__ import annotations

import socket
import sys

import pytest

from multiscale_kg.build import build, compare
from multiscale_kg.cli import main
from multiscale_kg.perdoc import cluster

from .conftest import content_digests
from .test_perdoc import quiet, small_corpus

distributed = pytest.importorskip("distributed")


def mskg_build(corpus, out, *options: str) -> int:
    return main(["build", "--corpus", str(corpus), "--out", str(out), *options])


def test_a_build_on_a_local_cluster_is_the_build_of_one_process(tmp_path, capsys):
    corpus = small_corpus(tmp_path)
    build(corpus, tmp_path / "local" / "db", log=quiet, cache=False)
    with distributed.LocalCluster(
        n_workers=1, processes=False, threads_per_worker=1, dashboard_address=None
    ) as local:
        out = tmp_path / "cluster" / "db"
        assert mskg_build(corpus, out, "--scheduler", local.scheduler_address) == 0
    assert capsys.readouterr().err.splitlines()[-1].endswith(" s (3 document(s) read, 0 from the cache)")
    assert compare(tmp_path / "local" / "db", out) == []
    assert content_digests(out) == content_digests(tmp_path / "local" / "db")


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_an_unreachable_scheduler_is_a_usage_error(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(cluster, "CONNECT_SECONDS", 1.0)
    address = f"tcp://127.0.0.1:{closed_port()}"
    out = tmp_path / "db"
    assert mskg_build(small_corpus(tmp_path), out, "--scheduler", address) == 2
    error = capsys.readouterr().err.splitlines()[-1]
    assert error.startswith(f"error: --scheduler {address}: cannot reach the Dask scheduler (")
    assert error.endswith("expected the address a running scheduler prints, e.g. tcp://host:8786")
    assert not out.exists()


def test_without_the_cluster_extra_the_scheduler_option_says_what_to_install(tmp_path, capsys, monkeypatch):
    monkeypatch.setitem(sys.modules, "distributed", None)  # as if it were not installed
    corpus = small_corpus(tmp_path)
    assert mskg_build(corpus, tmp_path / "db", "--scheduler", "tcp://x:1") == 2
    assert capsys.readouterr().err.splitlines()[-1] == (
        "error: --scheduler tcp://x:1: running on a Dask cluster needs Dask distributed, the cluster extra "
        "(pip install 'multiscale-kg[cluster]')"
    )
