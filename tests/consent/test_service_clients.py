"""Store services are confidential OAuth clients registered from the catalogue at every start."""

from __future__ import annotations

import json

from sqlalchemy import select

from mock_server.app import create_app
from mock_server.catalog import load_catalog, requested_scopes
from mock_server.consent import service_client_secret
from mock_server.consent.service_clients import SERVICE_KEY_NAME
from mock_server.oauth.tokens import hash_secret
from mock_server.storage.schema import oauth_clients, settings_kv
from tests.consent.conftest import GLYCO
from tests.oauth.flows import exchange_code


def _clients(engine) -> dict:
    with engine.connect() as conn:
        return {row.client_id: row for row in conn.execute(
            select(oauth_clients).where(oauth_clients.c.kind == "service"))}


def test_every_catalogue_service_is_a_confidential_client(engine, settings):
    rows = _clients(engine)
    catalog = load_catalog()
    assert set(rows) == set(catalog.by_id)
    for service in catalog.services:
        row = rows[service.id]
        secret = service_client_secret(engine, service.id)
        assert row.name == service.name
        assert row.scope == " ".join(requested_scopes(service))
        assert json.loads(row.redirect_uris) == [f"{settings.base_url}{service.redirect_path}"]
        assert row.token_endpoint_auth_method == "client_secret_basic"
        assert row.client_secret_hash == hash_secret(secret) != secret


def test_the_server_key_is_kept_once_and_marked_secret(engine):
    with engine.connect() as conn:
        [row] = conn.execute(select(settings_kv).where(settings_kv.c.key == SERVICE_KEY_NAME))
    assert row.is_secret is True
    with engine.connect() as conn:
        assert service_client_secret(conn, GLYCO) == service_client_secret(engine, GLYCO)


def test_a_restart_on_another_port_rewrites_redirect_uris_and_keeps_secrets(
        engine, settings, clock):
    before = service_client_secret(engine, GLYCO)
    moved = settings.model_copy(update={"public_url": "http://127.0.0.1:9911"})
    create_app(moved, clock=clock, engine=engine)

    row = _clients(engine)[GLYCO]
    assert json.loads(row.redirect_uris) == ["http://127.0.0.1:9911/services/glyco-pilote/callback"]
    assert service_client_secret(engine, GLYCO) == before
    assert row.client_secret_hash == hash_secret(before)


async def test_check_23_a_wrong_service_secret_is_invalid_client(client, service_code):
    result = await service_code(GLYCO, "karim.benali")
    response = await exchange_code(client, result.code, pkce=result.pkce, client_id=GLYCO,
                                   redirect_uri=result.redirect_uri, client_secret="faux")
    assert response.status_code == 401
    assert response.json()["error"] == "invalid_client"
