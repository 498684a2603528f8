"""Whole flows: the patient app, an outside client, a legal representative, the JSON variant."""

from __future__ import annotations

import httpx
from joserfc import jwt
from joserfc.jwk import KeySet
from sqlalchemy import select

from mock_server.app import create_app
from mock_server.oauth.clients import APP_CLIENT_ID, APP_SCOPE, OUTSIDE_SCOPE
from mock_server.storage.schema import acting_choices
from tests.conftest import FROZEN_NOW
from tests.oauth.flows import (
    APP_CALLBACK,
    authorization_params,
    authorize_app,
    authorize_outside_client,
    exchange_code,
    make_pkce,
    redirect_params,
)

JSON = {"Accept": "application/json"}


async def verified_id_token(client: httpx.AsyncClient, id_token: str) -> dict:
    """The ID token's claims, after checking its RS256 signature against the published JWKS."""
    jwks = (await client.get("/oauth/jwks")).json()
    token = jwt.decode(id_token, KeySet.import_key_set(jwks), algorithms=["RS256"])
    assert token.header["alg"] == "RS256"
    assert token.header["kid"] in {key["kid"] for key in jwks["keys"]}
    return token.claims


async def test_patient_app_flow_for_camille_gives_tokens_and_a_signed_id_token(
        client, patient_ids):
    tokens = await authorize_app(client, "camille.martin", nonce="nonce-42")

    assert tokens["patient"] == patient_ids["pregnancy"]
    assert tokens["scope"] == APP_SCOPE
    claims = await verified_id_token(client, tokens["id_token"])
    now = int(FROZEN_NOW.timestamp())
    assert claims["iss"] == "http://localhost"
    assert claims["aud"] == APP_CLIENT_ID
    assert claims["sub"] == "camille.martin"
    assert claims["nonce"] == "nonce-42"
    assert (claims["iat"], claims["auth_time"], claims["exp"]) == (now, now, now + 3600)
    assert claims["fhirUser"] == f"http://localhost/fhir/Patient/{patient_ids['pregnancy']}"


async def test_signing_key_is_stable_across_app_restarts(client, settings, clock):
    before = (await client.get("/oauth/jwks")).json()
    restarted = create_app(settings, clock=clock)
    transport = httpx.ASGITransport(app=restarted)
    async with httpx.AsyncClient(transport=transport, base_url="http://localhost") as again:
        after = (await again.get("/oauth/jwks")).json()
    restarted.state.platform.engine.dispose()
    assert before == after
    assert len(after["keys"]) == 1
    assert after["keys"][0]["kty"] == "RSA"
    assert "d" not in after["keys"][0]


async def test_userinfo_names_who_logged_in(client, patient_ids):
    tokens = await authorize_app(client, "karim.benali")
    response = await client.get("/oauth/userinfo",
                                headers={"Authorization": f"Bearer {tokens['access_token']}"})
    assert response.json() == {
        "sub": "karim.benali",
        "name": "Karim Benali",
        "fhirUser": f"http://localhost/fhir/Patient/{patient_ids['diabetes']}",
    }


async def test_userinfo_without_a_valid_token_is_401(client):
    response = await client.get("/oauth/userinfo", headers={"Authorization": "Bearer faux"})
    assert response.status_code == 401
    assert response.headers["www-authenticate"].startswith("Bearer")
    assert (await client.get("/oauth/userinfo")).status_code == 401


async def test_userinfo_needs_the_openid_scope(client):
    tokens = await authorize_app(client, "karim.benali", scope="patient/*.rs")
    response = await client.get("/oauth/userinfo",
                                headers={"Authorization": f"Bearer {tokens['access_token']}"})
    assert response.status_code == 403
    assert "id_token" not in tokens


async def test_legal_representative_acts_for_her_child(client, engine, patient_ids):
    leo, sophie = patient_ids["child"], patient_ids["parent"]

    tokens = await authorize_app(client, "sophie.dubois", patient_id=leo)

    assert tokens["patient"] == leo
    claims = await verified_id_token(client, tokens["id_token"])
    assert claims["fhirUser"] == f"http://localhost/fhir/Patient/{sophie}"
    assert claims["sub"] == "sophie.dubois"
    with engine.connect() as conn:
        rows = conn.execute(select(acting_choices)).all()
    assert [(r.username, r.patient_id, r.client_id) for r in rows] == [
        ("sophie.dubois", leo, APP_CLIENT_ID)]


async def test_legal_representative_may_act_for_herself(client, patient_ids):
    tokens = await authorize_app(client, "sophie.dubois", patient_id=patient_ids["parent"])
    assert tokens["patient"] == patient_ids["parent"]


async def test_choosing_a_patient_one_does_not_represent_is_refused(client, patient_ids):
    pkce = make_pkce()
    params = authorization_params(client, client_id=APP_CLIENT_ID, redirect_uri=APP_CALLBACK,
                                  scope=APP_SCOPE, pkce=pkce)
    step = (await client.get("/oauth/authorize", params=params, headers=JSON)).json()
    step = (await client.post("/oauth/authorize", json={
        "csrf": step["csrf"], "username": "sophie.dubois", "password": "demo2026"})).json()
    response = await client.post("/oauth/authorize", json={
        "csrf": step["csrf"], "patient_id": patient_ids["diabetes"]})
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_patient"


async def test_outside_client_consent_flow_for_the_child(client, outside_client, patient_ids):
    tokens = await authorize_outside_client(client, outside_client, "sophie.dubois",
                                            grant=["patient/Observation.c"],
                                            patient_id=patient_ids["child"])
    assert tokens["patient"] == patient_ids["child"]
    assert tokens["scope"] == "openid fhirUser offline_access patient/Observation.c"


async def test_json_variant_runs_every_step_with_the_same_session(client, outside_client,
                                                                  patient_ids):
    pkce = make_pkce()
    params = authorization_params(client, client_id=outside_client["client_id"],
                                  redirect_uri=outside_client["redirect_uris"][0],
                                  scope=OUTSIDE_SCOPE, pkce=pkce, state="s-json")

    login = await client.get("/oauth/authorize", params=params, headers=JSON)
    assert login.status_code == 200
    assert login.json()["step"] == "login"
    assert login.json()["client"]["name"] == "Suivi Poids Test"
    csrf = login.json()["csrf"]

    wrong = await client.post("/oauth/authorize", json={"csrf": csrf, "username": "sophie.dubois",
                                                        "password": "faux"})
    assert wrong.status_code == 400
    assert wrong.json()["error"] == "login_failed"
    assert wrong.json()["error_description"] == "Identifiant ou mot de passe incorrect."

    choose = await client.post("/oauth/authorize", json={
        "csrf": csrf, "username": "sophie.dubois", "password": "demo2026"})
    assert choose.json()["step"] == "choose_patient"
    assert choose.json()["patients"] == [
        {"id": patient_ids["parent"], "name": "Sophie Dubois", "self": True},
        {"id": patient_ids["child"], "name": "Léo Dubois", "self": False},
    ]

    consent = await client.post("/oauth/authorize",
                                json={"csrf": csrf, "patient_id": patient_ids["child"]})
    body = consent.json()
    assert body["step"] == "consent"
    assert body["acting_for"] == {"id": patient_ids["child"], "name": "Léo Dubois"}
    assert [p["scope"] for p in body["permissions"]] == OUTSIDE_SCOPE.split()[3:]
    assert body["permissions"][0] | {"scope": "patient/*.rs", "access": "read",
                                     "sentence": "Lire toutes vos données de santé."} \
        == body["permissions"][0]
    assert [d["value"] for d in body["durations"]] == ["1m", "6m", "1y", "revocation"]

    done = await client.post("/oauth/authorize", json={
        "csrf": csrf, "scope": ["patient/*.rs"], "duration": "revocation",
        "include_earlier": False, "decision": "allow"})
    assert done.status_code == 200
    assert done.json()["step"] == "done"
    answer = redirect_params(done.json()["redirect_to"])
    assert answer["state"] == "s-json"
    assert answer["iss"] == "http://localhost"

    token = await exchange_code(client, answer["code"], pkce=pkce,
                                client_id=outside_client["client_id"],
                                client_secret=outside_client["client_secret"],
                                redirect_uri=outside_client["redirect_uris"][0])
    assert token.json()["scope"] == "openid fhirUser offline_access patient/*.rs"
    assert token.json()["patient"] == patient_ids["child"]


async def test_json_variant_deny_and_page_errors(client, outside_client):
    params = authorization_params(client, client_id=outside_client["client_id"],
                                  redirect_uri=outside_client["redirect_uris"][0],
                                  scope=OUTSIDE_SCOPE, pkce=make_pkce())
    csrf = (await client.get("/oauth/authorize", params=params, headers=JSON)).json()["csrf"]
    await client.post("/oauth/authorize", json={"csrf": csrf, "username": "karim.benali",
                                                "password": "demo2026"})
    refused = await client.post("/oauth/authorize", json={"csrf": csrf, "decision": "deny"})
    assert redirect_params(refused.json()["redirect_to"])["error"] == "access_denied"

    foreign = await client.get("/oauth/authorize", headers=JSON,
                               params=params | {"aud": "https://ailleurs.example/fhir"})
    assert foreign.status_code == 400
    assert foreign.json()["error"] == "invalid_request"
    assert "aud" in foreign.json()["error_description"]

    stale = await client.post("/oauth/authorize", json={"csrf": csrf, "decision": "allow"})
    assert stale.status_code == 403
    assert stale.json()["error"] == "session_expired"


async def test_authorization_request_may_be_posted(client):
    """SMART `authorize-post`: the request itself arrives as a form body."""
    params = authorization_params(client, client_id=APP_CLIENT_ID, redirect_uri=APP_CALLBACK,
                                  scope=APP_SCOPE, pkce=make_pkce())
    response = await client.post("/oauth/authorize", data=params)
    assert response.status_code == 200
    assert "Connexion à Mon espace santé" in response.text
