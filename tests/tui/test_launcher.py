"""The embedded server: a real `python -m mock_server serve` child process, started and stopped."""

from __future__ import annotations

import httpx
import pytest

from ens_consent_tui.launcher import EmbeddedServer, EmbeddedServerError


def test_the_embedded_server_answers_on_loopback_and_stops_on_exit(tmp_path) -> None:
    database = tmp_path / "embedded.db"
    server = EmbeddedServer(database_url=f"sqlite:///{database}")
    with server as url:
        process = server.process
        assert url.startswith("http://127.0.0.1:")
        assert httpx.get(f"{url}/fhir/metadata").status_code == 200
        assert httpx.get(f"{url}/store/services").json()["total"] == 33
    assert process is not None and process.poll() is not None
    assert database.exists(), "the data live where --database-url said"


def test_the_server_is_stopped_even_when_the_app_fails(tmp_path) -> None:
    server = EmbeddedServer(database_url=f"sqlite:///{tmp_path / 'embedded.db'}")
    with pytest.raises(RuntimeError, match="the app broke"), server:
        process = server.process
        raise RuntimeError("the app broke")
    assert process is not None and process.poll() is not None


def test_a_server_that_dies_at_start_is_an_error_with_its_last_lines() -> None:
    server = EmbeddedServer(database_url="nosuchdb://x")
    with pytest.raises(EmbeddedServerError) as failure, server:
        pass
    assert "URL de base de données invalide" in str(failure.value)
    assert not server.running


def test_the_embedded_server_hands_its_facilitator_token_and_starts_with_the_maille(
        tmp_path) -> None:
    server = EmbeddedServer(database_url=f"sqlite:///{tmp_path / 'embedded.db'}",
                            maille="categorie")
    with server as url:
        token = server.facilitator_token
        headers = {"Authorization": f"Bearer {token}"}
        assert len(token) >= 32
        assert httpx.get(f"{url}/admin/clock", headers=headers).status_code == 200
        assert httpx.get(f"{url}/admin/clock").status_code == 401
        assert httpx.get(f"{url}/admin/maille", headers=headers).json() == {
            "maille": "categorie"}
    with server:
        assert server.facilitator_token != token, "a new token at each start"


def test_without_a_maille_the_command_leaves_the_servers_default() -> None:
    assert "--maille" not in EmbeddedServer().command()
    assert EmbeddedServer(maille="ressource").command()[-2:] == ["--maille", "ressource"]
