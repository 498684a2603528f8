"""`ens-mock-server serve --maille`: the granularity is a start option with three values."""

from __future__ import annotations

from click.testing import CliRunner

from mock_server.cli import main


def test_serve_offers_the_three_granularities():
    result = CliRunner().invoke(main, ["serve", "--help"])
    assert result.exit_code == 0
    assert "--maille [categorie|type|ressource]" in result.output


def test_serve_refuses_an_unknown_granularity_before_starting():
    result = CliRunner().invoke(main, ["serve", "--maille", "fine"])
    assert result.exit_code == 2
    assert "'fine' is not one of 'categorie', 'type', 'ressource'" in result.output
