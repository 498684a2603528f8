"""The token endpoint against SECURITY-CHECKS 14–26."""

from __future__ import annotations

import json
from datetime import timedelta

import httpx
import pytest
from sqlalchemy import select

from mock_server.oauth.clients import APP_CLIENT_ID, OUTSIDE_SCOPE
from mock_server.oauth.tokens import hash_secret
from mock_server.storage.schema import accounts, authorization_codes
from tests.oauth.assertions import assert_oauth_error, is_active
from tests.oauth.flows import (
    CodeResult,
    app_code,
    exchange_code,
    make_pkce,
    outside_code,
    register_outside_client,
)


async def exchange(client: httpx.AsyncClient, result: CodeResult, client_id: str = APP_CLIENT_ID,
                   **changes) -> httpx.Response:
    args = {"pkce": result.pkce, "client_id": client_id, "redirect_uri": result.redirect_uri}
    return await exchange_code(client, result.code, **(args | changes))


async def test_check_14_replayed_code_is_refused_and_revokes_the_first_tokens(
        client, engine, clock):
    result = await app_code(client, "camille.martin")
    first = await exchange(client, result)
    assert first.status_code == 200
    assert is_active(engine, clock, first.json()["access_token"])

    replay = await exchange(client, result)

    assert_oauth_error(replay, "invalid_grant")
    assert not is_active(engine, clock, first.json()["access_token"])
    refreshed = await client.post("/oauth/token", data={
        "grant_type": "refresh_token", "refresh_token": first.json()["refresh_token"],
        "client_id": APP_CLIENT_ID})
    assert_oauth_error(refreshed, "invalid_grant")


async def test_check_15_code_exchanged_by_another_client_is_refused(client, public_client):
    result = await app_code(client, "camille.martin")
    response = await exchange(client, result, client_id=public_client["client_id"])
    assert_oauth_error(response, "invalid_grant")


async def test_check_16_redirect_uri_differing_from_authorize_is_refused(client):
    result = await app_code(client, "camille.martin")
    response = await exchange(client, result, redirect_uri="http://127.0.0.1:1/callback")
    assert_oauth_error(response, "invalid_grant")


async def test_check_17_token_request_without_code_verifier_is_rejected(client):
    result = await app_code(client, "camille.martin")
    response = await exchange_code(client, result.code, pkce=result.pkce, client_id=APP_CLIENT_ID,
                                   redirect_uri=result.redirect_uri, code_verifier=None)
    assert_oauth_error(response, "invalid_request")


async def test_check_18_blank_code_verifier_is_rejected(client):
    result = await app_code(client, "camille.martin")
    response = await exchange(client, result, code_verifier="")
    assert_oauth_error(response, "invalid_request")


async def test_check_19_wrong_code_verifier_is_rejected(client):
    result = await app_code(client, "camille.martin")
    response = await exchange(client, result, code_verifier=make_pkce().verifier)
    assert_oauth_error(response, "invalid_grant")


async def test_check_20_code_verifier_equal_to_the_challenge_is_rejected(client):
    result = await app_code(client, "camille.martin")
    response = await exchange(client, result, code_verifier=result.pkce.challenge)
    assert_oauth_error(response, "invalid_grant")


async def test_check_21_code_verifier_without_a_challenge_is_a_downgrade(client, engine, clock):
    code, now = "code-sans-pkce-insere-directement", clock.now()
    with engine.begin() as conn:
        patient_id = conn.execute(select(accounts.c.patient_id)
                                  .where(accounts.c.username == "camille.martin")).scalar_one()
        conn.execute(authorization_codes.insert().values(
            code_hash=hash_secret(code), client_id=APP_CLIENT_ID,
            redirect_uri="http://127.0.0.1/callback", scope="openid", username="camille.martin",
            patient_id=patient_id, code_challenge="", code_challenge_method="", auth_time=now,
            expires_at=now + timedelta(minutes=5), family_id="famille-sans-pkce"))
    response = await exchange_code(client, code, pkce=make_pkce(), client_id=APP_CLIENT_ID,
                                   redirect_uri="http://127.0.0.1/callback")
    assert_oauth_error(response, "invalid_request")


@pytest.mark.parametrize("code", ["code-au-hasard", "", "%%%", "a" * 5000])
async def test_check_22_random_or_garbled_code_is_invalid_grant(client, code):
    result = await app_code(client, "camille.martin")
    response = await exchange_code(client, code, pkce=result.pkce, client_id=APP_CLIENT_ID,
                                   redirect_uri=result.redirect_uri)
    assert response.status_code == 400
    assert response.json()["error"] in ("invalid_grant", "invalid_request")


async def test_check_22_expired_code_is_invalid_grant(client, clock, settings):
    result = await app_code(client, "camille.martin")
    clock.advance(timedelta(seconds=settings.authorization_code_ttl + 1))
    response = await exchange(client, result)
    body = assert_oauth_error(response, "invalid_grant")
    assert "expire" in body["error_description"]


async def test_check_23_confidential_client_with_wrong_secret_gets_401_invalid_client(
        client, outside_client):
    result = await outside_code(client, outside_client, "karim.benali")
    response = await exchange(client, result, client_id=outside_client["client_id"],
                              client_secret="mauvais-secret")
    assert_oauth_error(response, "invalid_client", status=401)
    assert response.headers["www-authenticate"].startswith("Basic ")


async def test_check_23_confidential_client_without_secret_gets_401_invalid_client(
        client, outside_client):
    result = await outside_code(client, outside_client, "karim.benali")
    response = await exchange(client, result, client_id=outside_client["client_id"])
    assert_oauth_error(response, "invalid_client", status=401)


async def test_check_23_unregistered_auth_method_gets_401_invalid_client(client, outside_client):
    """Registered for client_secret_basic, it sends its secret in the body instead."""
    result = await outside_code(client, outside_client, "karim.benali")
    response = await exchange(client, result, client_id=outside_client["client_id"],
                              client_secret=outside_client["client_secret"], secret_in_body=True)
    assert_oauth_error(response, "invalid_client", status=401)
    assert response.headers["www-authenticate"].startswith("Basic ")


@pytest.mark.parametrize(("grant_type", "extra"), [
    ("password", {"username": "camille.martin", "password": "demo2026"}),
    ("client_credentials", {}),
    ("urn:ietf:params:oauth:grant-type:device_code", {"device_code": "x"}),
])
async def test_check_24_password_and_client_credentials_grants_are_unsupported(
        client, grant_type, extra):
    response = await client.post("/oauth/token", data={"grant_type": grant_type,
                                                       "client_id": APP_CLIENT_ID, **extra})
    assert_oauth_error(response, "unsupported_grant_type")


async def test_check_25_token_response_is_not_cacheable_and_names_scope_and_patient(
        client, patient_ids):
    result = await app_code(client, "camille.martin")
    response = await exchange(client, result)
    assert response.status_code == 200
    assert response.headers["cache-control"] == "no-store"
    assert response.headers["pragma"] == "no-cache"
    body = response.json()
    assert body["token_type"] == "Bearer"
    assert body["expires_in"] == 3600
    assert body["scope"] == "openid fhirUser offline_access patient/*.cruds"
    assert body["patient"] == patient_ids["pregnancy"]


async def test_check_26_granted_scope_is_exactly_what_the_patient_ticked(client, outside_client):
    ticked = ["patient/Observation.c", "patient/Appointment.cu"]
    result = await outside_code(client, outside_client, "karim.benali", grant=ticked)
    response = await exchange(client, result, client_id=outside_client["client_id"],
                              client_secret=outside_client["client_secret"])
    body = response.json()
    assert body["scope"] == "openid fhirUser offline_access " + " ".join(ticked)


async def test_check_26_no_refresh_token_without_offline_or_online_access(client, outside_client):
    result = await outside_code(client, outside_client, "karim.benali",
                                scope="openid fhirUser patient/*.rs")
    response = await exchange(client, result, client_id=outside_client["client_id"],
                              client_secret=outside_client["client_secret"])
    assert response.status_code == 200
    assert "refresh_token" not in response.json()


async def test_check_26_online_access_earns_a_refresh_token(client, outside_client):
    result = await outside_code(client, outside_client, "karim.benali",
                                scope="openid online_access patient/*.rs")
    response = await exchange(client, result, client_id=outside_client["client_id"],
                              client_secret=outside_client["client_secret"])
    assert response.json()["refresh_token"]


async def test_consent_choices_are_saved_with_the_code(client, outside_client, engine):
    await outside_code(client, outside_client, "karim.benali", grant=["patient/*.rs"],
                       duration="1m", include_earlier=False)
    with engine.connect() as conn:
        row = conn.execute(select(authorization_codes)).one()
    assert row.scope == "openid fhirUser offline_access patient/*.rs"
    assert json.loads(row.extra) == {"duration": "1m", "include_earlier": False}


async def test_client_secret_post_client_authenticates_with_its_body(client):
    registration = await register_outside_client(client, auth_method="client_secret_post")
    result = await outside_code(client, registration, "karim.benali", scope=OUTSIDE_SCOPE)
    response = await exchange_code(
        client, result.code, pkce=result.pkce, client_id=registration["client_id"],
        redirect_uri=result.redirect_uri, client_secret=registration["client_secret"],
        secret_in_body=True)
    assert response.status_code == 200, response.text


async def test_token_endpoint_refuses_a_json_body(client):
    response = await client.post("/oauth/token", json={"grant_type": "authorization_code"})
    assert_oauth_error(response, "invalid_request")
