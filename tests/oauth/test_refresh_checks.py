"""Refresh tokens against SECURITY-CHECKS 27–31: scope ceiling, binding, rotation, revocation."""

from __future__ import annotations

from datetime import timedelta

from mock_server.oauth.clients import APP_CLIENT_ID
from mock_server.oauth.tokens import revoke_family
from tests.oauth.assertions import active_token, assert_oauth_error, is_active
from tests.oauth.flows import authorize_app, authorize_outside_client, refresh


def family_of(engine, clock, access_token: str) -> str:
    return active_token(engine, clock, access_token).family_id


async def test_refresh_rotates_the_refresh_token_and_keeps_scope_and_patient(client, patient_ids):
    first = await authorize_app(client, "camille.martin")
    response = await refresh(client, first["refresh_token"], client_id=APP_CLIENT_ID)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["refresh_token"] != first["refresh_token"]
    assert body["access_token"] != first["access_token"]
    assert body["scope"] == first["scope"]
    assert body["patient"] == patient_ids["pregnancy"]
    assert response.headers["cache-control"] == "no-store"


async def test_check_27_refresh_asking_a_wider_scope_is_invalid_scope(client, outside_client):
    first = await authorize_outside_client(client, outside_client, "karim.benali",
                                           grant=["patient/Observation.c"])
    response = await refresh(client, first["refresh_token"], client_id=outside_client["client_id"],
                             client_secret=outside_client["client_secret"],
                             scope="openid patient/*.rs")
    assert_oauth_error(response, "invalid_scope")


async def test_check_27_refresh_may_narrow_the_scope_then_widen_back_to_the_grant(client):
    first = await authorize_app(client, "camille.martin")
    narrow = await refresh(client, first["refresh_token"], client_id=APP_CLIENT_ID,
                           scope="offline_access patient/Observation.rs")
    assert narrow.json()["scope"] == "offline_access patient/Observation.rs"
    back = await refresh(client, narrow.json()["refresh_token"], client_id=APP_CLIENT_ID)
    assert back.json()["scope"] == first["scope"]


async def test_check_28_refresh_token_of_another_client_is_invalid_grant(
        client, public_client, engine, clock):
    first = await authorize_app(client, "camille.martin")
    response = await refresh(client, first["refresh_token"], client_id=public_client["client_id"])
    assert_oauth_error(response, "invalid_grant")
    assert is_active(engine, clock, first["access_token"])


async def test_check_29_reusing_a_rotated_refresh_token_revokes_the_whole_family(
        client, engine, clock):
    first = await authorize_app(client, "camille.martin")
    second = (await refresh(client, first["refresh_token"], client_id=APP_CLIENT_ID)).json()
    assert is_active(engine, clock, second["access_token"])

    reuse = await refresh(client, first["refresh_token"], client_id=APP_CLIENT_ID)

    assert_oauth_error(reuse, "invalid_grant")
    assert not is_active(engine, clock, first["access_token"])
    assert not is_active(engine, clock, second["access_token"])
    newest = await refresh(client, second["refresh_token"], client_id=APP_CLIENT_ID)
    assert_oauth_error(newest, "invalid_grant")


async def test_check_30_refresh_after_the_grant_family_was_revoked_is_refused(
        client, engine, clock):
    first = await authorize_app(client, "camille.martin")
    with engine.begin() as conn:
        revoke_family(conn, family_of(engine, clock, first["access_token"]), clock.now())
    response = await refresh(client, first["refresh_token"], client_id=APP_CLIENT_ID)
    body = assert_oauth_error(response, "invalid_grant")
    assert "revoquee" in body["error_description"]


async def test_check_30_refresh_after_revoking_the_refresh_token_is_refused(client):
    first = await authorize_app(client, "camille.martin")
    revoked = await client.post("/oauth/revoke", data={"token": first["refresh_token"],
                                                       "client_id": APP_CLIENT_ID})
    assert revoked.status_code == 200
    response = await refresh(client, first["refresh_token"], client_id=APP_CLIENT_ID)
    assert_oauth_error(response, "invalid_grant")


async def test_check_31_garbled_refresh_token_is_refused(client):
    response = await refresh(client, "n'importe quoi", client_id=APP_CLIENT_ID)
    assert_oauth_error(response, "invalid_grant")


async def test_check_31_refresh_token_idle_past_the_limit_is_invalid_grant(
        client, clock, settings):
    first = await authorize_app(client, "camille.martin")
    clock.advance(timedelta(seconds=settings.refresh_token_idle_ttl + 1))
    response = await refresh(client, first["refresh_token"], client_id=APP_CLIENT_ID)
    assert_oauth_error(response, "invalid_grant")


async def test_refresh_token_used_within_the_idle_limit_moves_the_limit(client, clock, settings):
    first = await authorize_app(client, "camille.martin")
    clock.advance(timedelta(seconds=settings.refresh_token_idle_ttl - 60))
    second = await refresh(client, first["refresh_token"], client_id=APP_CLIENT_ID)
    assert second.status_code == 200
    clock.advance(timedelta(seconds=120))
    third = await refresh(client, second.json()["refresh_token"], client_id=APP_CLIENT_ID)
    assert third.status_code == 200
