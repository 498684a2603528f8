"""Bearer authentication of the FHIR API (SECURITY-CHECKS 36-38)."""

from __future__ import annotations

import base64
import json
from datetime import timedelta

from sqlalchemy import update

from mock_server.oauth.tokens import hash_secret
from mock_server.storage.schema import tokens
from tests.fhir.conftest import auth


def _assert_unauthorized(response, error: str | None) -> None:
    assert response.status_code == 401
    assert response.headers["content-type"] == "application/fhir+json; charset=utf-8"
    challenge = response.headers["www-authenticate"]
    assert challenge.startswith('Bearer realm="ens-mock"')
    if error:
        assert f'error="{error}"' in challenge
    outcome = response.json()
    assert outcome["resourceType"] == "OperationOutcome"
    assert outcome["issue"][0]["code"] == "login"


async def test_check_36_no_authorization_header_is_401_with_bearer_challenge(client):
    response = await client.get("/fhir/Observation")
    _assert_unauthorized(response, None)
    assert response.headers["www-authenticate"] == 'Bearer realm="ens-mock"'


async def test_check_37_bearer_without_token_is_401(client):
    _assert_unauthorized(
        await client.get("/fhir/Observation", headers={"Authorization": "Bearer"}),
        "invalid_request",
    )


async def test_check_37_basic_credentials_are_401(client, camille_token):
    basic = base64.b64encode(b"camille.martin:demo2026").decode()
    response = await client.get("/fhir/Observation", headers={"Authorization": f"Basic {basic}"})
    _assert_unauthorized(response, "invalid_request")


async def test_check_37_token_in_query_string_is_refused_even_when_valid(client, camille_token):
    response = await client.get("/fhir/Observation", params={"access_token": camille_token})
    _assert_unauthorized(response, "invalid_request")
    both = await client.get(
        "/fhir/Observation", params={"access_token": camille_token}, headers=auth(camille_token)
    )
    _assert_unauthorized(both, "invalid_request")


async def test_check_38_expired_token_is_401_invalid_token(client, camille_token, clock):
    assert (await client.get("/fhir/Observation", headers=auth(camille_token))).status_code == 200
    clock.advance(timedelta(seconds=3601))
    _assert_unauthorized(
        await client.get("/fhir/Observation", headers=auth(camille_token)), "invalid_token"
    )


async def test_check_38_jwt_with_alg_none_is_an_unknown_token(client):
    def part(value: dict) -> str:
        return base64.urlsafe_b64encode(json.dumps(value).encode()).decode().rstrip("=")

    forged = f"{part({'alg': 'none', 'typ': 'JWT'})}.{part({'sub': 'camille.martin'})}."
    _assert_unauthorized(
        await client.get("/fhir/Observation", headers=auth(forged)), "invalid_token"
    )


async def test_check_38_random_and_garbled_tokens_are_401_invalid_token(client, camille_token):
    for token in ("not-a-token", camille_token[:-2] + "xx", "é" * 10):
        response = await client.get(
            "/fhir/Observation", headers={"Authorization": f"Bearer {token}".encode()}
        )
        assert response.status_code == 401


async def test_revoked_token_stops_working_on_the_very_next_request(
    client, camille_token, engine, clock
):
    assert (await client.get("/fhir/Observation", headers=auth(camille_token))).status_code == 200
    with engine.begin() as conn:
        conn.execute(
            update(tokens)
            .where(tokens.c.access_token_hash == hash_secret(camille_token))
            .values(revoked_at=clock.now())
        )
    _assert_unauthorized(
        await client.get("/fhir/Observation", headers=auth(camille_token)), "invalid_token"
    )


async def test_bearer_scheme_is_case_insensitive(client, camille_token):
    response = await client.get(
        "/fhir/Observation", headers={"Authorization": f"bearer {camille_token}"}
    )
    assert response.status_code == 200


async def test_metadata_needs_no_token(client):
    assert (await client.get("/fhir/metadata")).status_code == 200
