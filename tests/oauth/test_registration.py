"""Client registration: RFC 7591 endpoint (facilitator only) and `register_client` (the CLI)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from mock_server.oauth.clients import (
    OUTSIDE_SCOPE,
    RegistrationError,
    ensure_app_client,
    register_client,
)
from mock_server.oauth.tokens import hash_secret
from mock_server.storage.schema import oauth_clients
from tests.oauth.flows import FACILITATOR_TOKEN

FACILITATOR = {"Authorization": f"Bearer {FACILITATOR_TOKEN}"}
METADATA = {"client_name": "Carnet Grossesse", "redirect_uris": ["https://carnet.example/cb"]}


async def test_registration_returns_the_secret_once_and_stores_only_its_hash(client, engine):
    response = await client.post("/oauth/register", json=METADATA, headers=FACILITATOR)
    assert response.status_code == 201
    info = response.json()
    assert info["client_name"] == "Carnet Grossesse"
    assert info["token_endpoint_auth_method"] == "client_secret_basic"
    assert info["scope"] == OUTSIDE_SCOPE
    assert info["client_secret_expires_at"] == 0
    with engine.connect() as conn:
        row = conn.execute(select(oauth_clients)
                           .where(oauth_clients.c.client_id == info["client_id"])).one()
    assert row.client_secret_hash == hash_secret(info["client_secret"])
    assert info["client_secret"] not in str(row._mapping)
    assert row.kind == "outside"


async def test_public_registration_has_no_secret(client):
    response = await client.post("/oauth/register", headers=FACILITATOR, json=METADATA | {
        "token_endpoint_auth_method": "none", "redirect_uris": ["http://127.0.0.1/cb"]})
    assert response.status_code == 201
    assert "client_secret" not in response.json()


async def test_registration_may_ask_a_narrower_scope(client):
    response = await client.post("/oauth/register", headers=FACILITATOR,
                                 json=METADATA | {"scope": "openid patient/Observation.rs"})
    assert response.json()["scope"] == "openid patient/Observation.rs"


@pytest.mark.parametrize("headers", [{}, {"Authorization": "Bearer mauvais"},
                                     {"Authorization": "Basic eDp5"}])
async def test_registration_without_the_facilitator_token_is_401(client, headers):
    response = await client.post("/oauth/register", json=METADATA, headers=headers)
    assert response.status_code == 401
    assert response.json()["error"] == "invalid_token"
    assert response.headers["www-authenticate"].startswith("Bearer")


@pytest.mark.parametrize(("metadata", "error"), [
    ({"redirect_uris": ["http://carnet.example/cb"]}, "invalid_redirect_uri"),
    ({"redirect_uris": ["https://carnet.example/cb#frag"]}, "invalid_redirect_uri"),
    ({"redirect_uris": "https://carnet.example/cb"}, "invalid_redirect_uri"),
    ({"redirect_uris": ["https://user@carnet.example/cb"]}, "invalid_redirect_uri"),
    ({"redirect_uris": ["com.example.app:/cb"]}, "invalid_redirect_uri"),
    ({"redirect_uris": []}, "invalid_redirect_uri"),
    ({"scope": "openid patient/*.cruds"}, "invalid_client_metadata"),
    ({"scope": "patient/Foo.rs"}, "invalid_client_metadata"),
    ({"scope": ["openid"]}, "invalid_client_metadata"),
    ({"grant_types": ["client_credentials"]}, "invalid_client_metadata"),
    ({"response_types": ["token"]}, "invalid_client_metadata"),
    ({"token_endpoint_auth_method": "private_key_jwt"}, "invalid_client_metadata"),
    ({"client_name": 42}, "invalid_client_metadata"),
])
async def test_registration_with_invalid_metadata_is_refused(client, metadata, error):
    response = await client.post("/oauth/register", json=METADATA | metadata,
                                 headers=FACILITATOR)
    assert response.status_code == 400, response.text
    assert response.json()["error"] == error
    assert response.json()["error_description"].isascii()


@pytest.mark.parametrize("body", [[1, 2], "texte", None])
async def test_registration_body_must_be_a_json_object(client, body):
    response = await client.post("/oauth/register", json=body, headers=FACILITATOR)
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_client_metadata"


def test_register_client_for_the_cli(engine, clock):
    with engine.begin() as conn:
        info = register_client(conn, name="Mon script", redirect_uris=["http://127.0.0.1/cb"],
                               public=True, now=clock.now())
    assert info["token_endpoint_auth_method"] == "none"
    assert info["client_id"].startswith("outside-")
    assert info["client_id_issued_at"] == int(clock.now().timestamp())


def test_register_client_refuses_a_non_loopback_http_uri_in_french(engine, clock):
    with engine.begin() as conn, pytest.raises(RegistrationError) as caught:
        register_client(conn, name="X", redirect_uris=["http://192.168.1.10/cb"],
                        public=False, now=clock.now())
    assert caught.value.error == "invalid_redirect_uri"
    assert "interface locale" in caught.value.message


def test_first_party_app_client_is_created_once(app, engine, clock):
    ensure_app_client(engine, clock.now())
    with engine.connect() as conn:
        rows = conn.execute(select(oauth_clients).where(oauth_clients.c.kind == "app")).all()
    assert [(r.client_id, r.token_endpoint_auth_method) for r in rows] == [
        ("ens-consent-app", "none")]
