"""End to end over real HTTP: uvicorn on 127.0.0.1, the same flows a third-party developer runs."""

from __future__ import annotations

import httpx

from tests.oauth.flows import (
    authorize_app,
    authorize_outside_client,
    register_outside_client,
)


async def test_discovery_login_fhir_read_and_revocation_over_real_http(live_server: str) -> None:
    async with httpx.AsyncClient(base_url=live_server, timeout=10) as client:
        smart = (await client.get("/fhir/.well-known/smart-configuration")).json()
        assert smart["code_challenge_methods_supported"] == ["S256"]
        assert smart["token_endpoint"] == f"{live_server}/oauth/token"

        tokens = await authorize_app(client, "camille.martin")
        auth = {"Authorization": f"Bearer {tokens['access_token']}"}
        page = await client.get("/fhir/Observation", params={"_count": 5}, headers=auth)
        assert page.status_code == 200
        bundle = page.json()
        assert bundle["resourceType"] == "Bundle" and bundle["total"] > 0
        assert bundle["link"][0]["url"].startswith(f"{live_server}/fhir/Observation")

        revoked = await client.post("/oauth/revoke", data={
            "token": tokens["access_token"], "client_id": "ens-consent-app"})
        assert revoked.status_code == 200
        after = await client.get("/fhir/Observation", params={"_count": 5}, headers=auth)
        assert after.status_code == 401
        assert after.headers["www-authenticate"].startswith("Bearer")


async def test_an_outside_client_registers_gets_consent_and_writes_a_measure(
    live_server: str,
) -> None:
    async with httpx.AsyncClient(base_url=live_server, timeout=10) as client:
        registration = await register_outside_client(client)
        weight_write = "patient/Observation.c"
        tokens = await authorize_outside_client(
            client, registration, "karim.benali", grant=[weight_write]
        )
        assert {s for s in tokens["scope"].split() if "/" in s} == {weight_write}
        observation = {
            "resourceType": "Observation",
            "meta": {"profile": [
                "https://interop.esante.gouv.fr/ig/fhir/mesures/StructureDefinition/"
                "mesures-fr-observation-body-weight"]},
            "status": "final",
            "category": [{"coding": [{
                "system": "http://terminology.hl7.org/CodeSystem/observation-category",
                "code": "vital-signs"}]}],
            "code": {"coding": [{"system": "http://loinc.org", "code": "29463-7"}]},
            "effectiveDateTime": "2026-11-26T08:00:00+01:00",
            "valueQuantity": {"value": 91.4, "unit": "kg", "system": "http://unitsofmeasure.org",
                              "code": "kg"},
        }
        created = await client.post(
            "/fhir/Observation", json=observation,
            headers={"Authorization": f"Bearer {tokens['access_token']}",
                     "Content-Type": "application/fhir+json"},
        )
        assert created.status_code == 201, created.text
        assert created.headers["location"].startswith(f"{live_server}/fhir/Observation/")
        read_back = await client.get(
            created.headers["location"].split("/_history")[0],
            headers={"Authorization": f"Bearer {tokens['access_token']}"},
        )
        assert read_back.status_code == 403  # write does not imply read
