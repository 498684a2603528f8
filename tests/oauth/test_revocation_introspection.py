"""Revocation (RFC 7009) and introspection (RFC 7662): SECURITY-CHECKS 32–35."""

from __future__ import annotations

from datetime import timedelta

from mock_server.oauth.clients import APP_CLIENT_ID
from tests.oauth.assertions import active_token, assert_oauth_error, is_active
from tests.oauth.flows import FACILITATOR_TOKEN, authorize_app, authorize_outside_client, refresh

FACILITATOR = {"Authorization": f"Bearer {FACILITATOR_TOKEN}"}


async def introspect(client, token: str, *, auth=None, headers=None):
    return await client.post("/oauth/introspect", data={"token": token}, auth=auth,
                             headers=headers)


async def test_access_token_from_the_real_flow_works_until_revoked(client, engine, clock,
                                                                   patient_ids):
    tokens = await authorize_app(client, "camille.martin")
    seen = active_token(engine, clock, tokens["access_token"])
    assert seen.patient_id == patient_ids["pregnancy"]
    assert seen.client_id == APP_CLIENT_ID
    assert seen.scopes == {"openid", "fhirUser", "offline_access", "patient/*.cruds"}

    response = await client.post("/oauth/revoke", data={"token": tokens["access_token"],
                                                        "client_id": APP_CLIENT_ID})

    assert response.status_code == 200
    assert not is_active(engine, clock, tokens["access_token"])


async def test_revoking_a_refresh_token_revokes_its_whole_family(client, engine, clock):
    first = await authorize_app(client, "camille.martin")
    second = (await refresh(client, first["refresh_token"], client_id=APP_CLIENT_ID)).json()
    response = await client.post("/oauth/revoke", data={
        "token": second["refresh_token"], "token_type_hint": "refresh_token",
        "client_id": APP_CLIENT_ID})
    assert response.status_code == 200
    assert not is_active(engine, clock, first["access_token"])
    assert not is_active(engine, clock, second["access_token"])


async def test_check_32_revoking_an_unknown_token_answers_200(client):
    response = await client.post("/oauth/revoke", data={"token": "inconnu",
                                                        "client_id": APP_CLIENT_ID})
    assert response.status_code == 200


async def test_check_32_revoking_another_clients_token_is_refused_and_it_stays_valid(
        client, outside_client, engine, clock):
    theirs = await authorize_app(client, "camille.martin")
    response = await client.post(
        "/oauth/revoke", data={"token": theirs["access_token"]},
        auth=(outside_client["client_id"], outside_client["client_secret"]))
    assert_oauth_error(response, "invalid_grant")
    assert is_active(engine, clock, theirs["access_token"])


async def test_check_32_revocation_needs_the_confidential_clients_secret(client, outside_client):
    tokens = await authorize_outside_client(client, outside_client, "karim.benali")
    response = await client.post("/oauth/revoke", data={"token": tokens["access_token"],
                                                        "client_id": outside_client["client_id"]})
    assert_oauth_error(response, "invalid_client", status=401)


async def test_check_33_revoked_app_token_gets_401_on_the_very_next_fhir_call(
        client, engine, clock):
    tokens = await authorize_app(client, "karim.benali")
    bearer = {"Authorization": f"Bearer {tokens['access_token']}"}
    patient = f"/fhir/Patient/{tokens['patient']}"
    assert (await client.get(patient, headers=bearer)).status_code == 200

    await client.post("/oauth/revoke", data={"token": tokens["refresh_token"],
                                             "client_id": APP_CLIENT_ID})

    assert not is_active(engine, clock, tokens["access_token"])
    response = await client.get(patient, headers=bearer)
    assert response.status_code == 401
    assert "invalid_token" in response.headers["www-authenticate"]


async def test_check_34_revoked_expired_or_unknown_token_introspects_as_exactly_inactive(
        client, outside_client, clock):
    auth = (outside_client["client_id"], outside_client["client_secret"])
    revoked = await authorize_outside_client(client, outside_client, "karim.benali")
    await client.post("/oauth/revoke", data={"token": revoked["access_token"]}, auth=auth)
    expired = await authorize_outside_client(client, outside_client, "jeanne.lefevre")

    assert (await introspect(client, revoked["access_token"], auth=auth)).json() == {
        "active": False}
    assert (await introspect(client, "inconnu", auth=auth)).json() == {"active": False}
    clock.advance(timedelta(hours=2))
    response = await introspect(client, expired["access_token"], auth=auth)
    assert response.status_code == 200
    assert response.json() == {"active": False}


async def test_check_34_another_clients_token_introspects_as_inactive(client, outside_client):
    theirs = await authorize_app(client, "camille.martin")
    response = await introspect(client, theirs["access_token"],
                                auth=(outside_client["client_id"], outside_client["client_secret"]))
    assert response.json() == {"active": False}


async def test_check_35_introspection_without_caller_authentication_is_401(client):
    tokens = await authorize_app(client, "camille.martin")
    response = await introspect(client, tokens["access_token"])
    assert_oauth_error(response, "invalid_client", status=401)
    response = await introspect(client, tokens["access_token"],
                                headers={"Authorization": "Bearer pas-le-bon-jeton"})
    assert response.status_code == 401


async def test_check_35_public_client_cannot_introspect(client, public_client):
    response = await client.post("/oauth/introspect", data={
        "token": "x", "client_id": public_client["client_id"]})
    assert response.status_code == 401


async def test_check_35_active_introspection_names_scope_client_exp_and_patient(
        client, outside_client, patient_ids, clock):
    tokens = await authorize_outside_client(client, outside_client, "karim.benali",
                                            grant=["patient/*.rs"])
    response = await introspect(client, tokens["access_token"],
                                auth=(outside_client["client_id"], outside_client["client_secret"]))
    body = response.json()
    now = int(clock.now().timestamp())
    assert body == {
        "active": True,
        "scope": "openid fhirUser offline_access patient/*.rs",
        "client_id": outside_client["client_id"],
        "exp": now + 3600,
        "iat": now,
        "sub": "karim.benali",
        "patient": patient_ids["diabetes"],
        "token_type": "Bearer",
        "iss": "http://localhost",
        "aud": "http://localhost/fhir",
    }


async def test_facilitator_may_introspect_any_token(client):
    tokens = await authorize_app(client, "camille.martin")
    response = await introspect(client, tokens["access_token"], headers=FACILITATOR)
    assert response.json()["active"] is True
    refresh_view = await client.post("/oauth/introspect", headers=FACILITATOR, data={
        "token": tokens["refresh_token"], "token_type_hint": "refresh_token"})
    assert refresh_view.json()["active"] is True
    assert "token_type" not in refresh_view.json()
