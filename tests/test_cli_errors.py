"""The CLI turns the library's own errors into exit 2 with their message, and nothing else: a KeyError that
is not an unknown id is a bug and keeps its traceback."""

from __future__ import annotations

import pytest

from multiscale_kg import cli
from multiscale_kg.api import open_build
from multiscale_kg.errors import UnknownIdError, UsageError


def test_an_unknown_node_is_an_unknown_id_error_and_still_a_key_error(built):
    kg = open_build(built)
    with pytest.raises(UnknownIdError) as caught:
        kg.neighbors("material/unobtainium")
    assert isinstance(caught.value, KeyError) and isinstance(caught.value, UsageError)
    assert str(caught.value) == (
        "no node 'material/unobtainium'; node keys are kind/id, e.g. 'material/si', 'drawback/micro-fracture'"
    )


def test_an_unknown_id_exits_2_with_its_message_unquoted(built, capsys):
    assert cli.main(["strategies-for", "no-such-drawback", "--db", str(built)]) == 2
    assert capsys.readouterr().err.startswith("error: no drawback 'no-such-drawback'; drawback ids are: ")


def test_a_key_error_from_a_bug_is_not_reported_as_bad_input(built, monkeypatch):
    def broken(args):
        return {}["missing"]

    monkeypatch.setattr(cli, "_sql", broken)
    with pytest.raises(KeyError, match="missing"):
        cli.main(["sql", "select 1", "--db", str(built)])


def test_a_missing_build_is_a_usage_error(tmp_path, capsys):
    assert cli.main(["sql", "select 1", "--db", str(tmp_path / "db")]) == 2
    assert (
        capsys.readouterr().err
        == f"error: {tmp_path / 'db' / 'multiscale.db'}: no database; run 'mskg build' first\n"
    )
