"""`ens-mock-server` commands: accounts, seed, and one-line errors."""

from __future__ import annotations

import json
import os

from click.testing import CliRunner

from mock_server.cli import main


def test_accounts_json_lists_the_demo_account_and_the_representation(tmp_path) -> None:
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    result = CliRunner().invoke(main, ["accounts", "--json", "--database-url", url])
    assert result.exit_code == 0, result.output
    rows = {row["username"]: row for row in json.loads(result.output)}
    assert rows["camille.martin"]["password"] == "demo2026"
    assert [r["name"] for r in rows["sophie.dubois"]["represents"]] == ["Léo Dubois"]


def test_seed_twice_keeps_the_data_and_says_so(tmp_path) -> None:
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    runner = CliRunner()
    first = runner.invoke(main, ["seed", "--database-url", url])
    second = runner.invoke(main, ["seed", "--database-url", url])
    assert first.exit_code == 0 and "Données créées" in first.output
    assert second.exit_code == 0 and "--fresh" in second.output


def test_a_bad_database_url_is_one_readable_line(tmp_path) -> None:
    result = CliRunner().invoke(main, ["accounts", "--database-url", "nosuchdb://x"])
    assert result.exit_code != 0
    assert "URL de base de données invalide" in result.output
    assert "Traceback" not in result.output


def test_register_client_prints_an_id_and_a_secret_for_a_confidential_client(tmp_path) -> None:
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    result = CliRunner().invoke(main, [
        "register-client", "--name", "Mon app", "--redirect-uri", "https://app.example.fr/cb",
        "--database-url", url,
    ])
    assert result.exit_code == 0, result.output
    info = json.loads(result.output)
    assert info["client_id"] and info["client_secret"]
    assert info["redirect_uris"] == ["https://app.example.fr/cb"]


def test_register_client_public_has_no_secret(tmp_path) -> None:
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    result = CliRunner().invoke(main, [
        "register-client", "--name", "Script", "--redirect-uri", "http://127.0.0.1:9000/cb",
        "--public", "--database-url", url,
    ])
    assert result.exit_code == 0, result.output
    assert "client_secret" not in json.loads(result.output)


def test_register_client_refuses_plain_http_off_loopback_in_one_line(tmp_path) -> None:
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    result = CliRunner().invoke(main, [
        "register-client", "--name", "X", "--redirect-uri", "http://evil.example/cb",
        "--database-url", url,
    ])
    assert result.exit_code != 0
    assert "http n'est permis que sur l'interface locale" in result.output
    assert "Traceback" not in result.output


def test_plain_http_is_allowed_for_oauth_only_when_the_server_is_reached_off_loopback(
    monkeypatch,
) -> None:
    from mock_server.cli import allow_plain_http_off_loopback

    monkeypatch.delenv("AUTHLIB_INSECURE_TRANSPORT", raising=False)
    assert not allow_plain_http_off_loopback("http://127.0.0.1:8765")
    assert not allow_plain_http_off_loopback("https://ens.example.fr")
    assert "AUTHLIB_INSECURE_TRANSPORT" not in os.environ
    assert allow_plain_http_off_loopback("http://192.168.1.20:8765")
    assert os.environ["AUTHLIB_INSECURE_TRANSPORT"] == "1"
