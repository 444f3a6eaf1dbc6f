"""What the command line says when it cannot do what was asked: a busy port, no project folder, an unknown
named query. Each is exit 2 with a message that says what to do."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

import multiscale_kg as mskg
from multiscale_kg.cli import main
from multiscale_kg.queries.sparql import named_queries

PROJECT = "run mskg in the project folder (the one holding corpus/), or point at"
HOW_BOTH = (
    f"{PROJECT} them with --db DIR and --corpus DIR, or the environment variables MSKG_DB and MSKG_CORPUS"
)


@pytest.fixture()
def elsewhere(tmp_path, monkeypatch) -> Path:
    """An empty working folder, as outside the project, with no MSKG_ variables set."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("MSKG_DB", raising=False)
    monkeypatch.delenv("MSKG_CORPUS", raising=False)
    return tmp_path


def run(capsys, *argv: str) -> tuple[int, str]:
    status = main(list(argv))
    return status, capsys.readouterr().err


def test_serve_on_a_busy_port_says_so_and_suggests_a_free_one(built, capsys):
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        busy = holder.getsockname()[1]
        status, err = run(capsys, "serve", "--db", str(built), "--port", str(busy))
    assert status == 2
    prefix = f"error: port {busy} is in use; try --port "
    assert err.startswith(prefix)
    suggested = int(err.removeprefix(prefix))
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", suggested))  # free, as suggested
    assert "serving" not in err


def test_outside_the_project_serve_says_where_it_looked_and_how_to_point(elsewhere, capsys):
    status, err = run(capsys, "serve", "--port", "0")
    assert status == 2
    assert err == (
        "error: no build and no corpus to build one from: "
        f"looked for the build in {elsewhere / 'db'} and for the corpus in {elsewhere / 'corpus'}; "
        f"{HOW_BOTH}\n"
    )


def test_outside_the_project_build_and_sql_say_where_they_looked(elsewhere, capsys):
    assert run(capsys, "build") == (
        2,
        f"error: no corpus found: looked for it in {elsewhere / 'corpus'}; "
        f"{PROJECT} it with --corpus DIR or the environment variable MSKG_CORPUS\n",
    )
    assert run(capsys, "sql", "select 1") == (
        2,
        f"error: no build found: looked for {elsewhere / 'db' / 'multiscale.db'}; run 'mskg build' first, or "
        f"{PROJECT} the build with --db DIR or the environment variable MSKG_DB\n",
    )


def test_load_outside_the_project_says_where_it_looked(elsewhere):
    with pytest.raises(FileNotFoundError) as raised:
        mskg.load()
    assert str(raised.value) == (
        "no build and no corpus to build one from: "
        f"looked for the build in {elsewhere / 'db'} and for the corpus in {elsewhere / 'corpus'}; "
        f"{PROJECT} them with load(folder, corpus), or the environment variables MSKG_DB and MSKG_CORPUS"
    )


def test_the_environment_points_at_the_build(elsewhere, built, monkeypatch, capsys):
    monkeypatch.setenv("MSKG_DB", str(built))
    assert (
        main(["sql", "select count(*) as n from strategies where id = 'ant-nest-si'", "--format", "csv"]) == 0
    )
    assert capsys.readouterr().out == "n\n1\n"
    assert mskg.load().folder == built


def test_an_explicitly_named_missing_build_is_named_as_given(elsewhere, capsys):
    assert run(capsys, "sql", "select 1", "--db", "nowhere") == (
        2,
        "error: nowhere/multiscale.db: no database; run 'mskg build' first\n",
    )


def test_an_unknown_named_query_lists_the_named_queries(built, capsys):
    status, err = run(capsys, "sparql", "no-such-query", "--db", str(built))
    assert status == 2
    assert err == f"error: no named query 'no-such-query'; named queries are: {', '.join(named_queries())}\n"
    assert "drawbacks-and-causes, evidence-behind-a-fact" in err
