"""The consent story of issue 3, end to end over real HTTP (uvicorn on 127.0.0.1).

Camille lets the connected scale "Pesée Claire" read her weight only. The service reads her weight
(allowed), tries her glucose (403) and to write a weight (403); Camille revokes; the service's next
request with the same token is refused. The exchange log and the live SSE stream show the four
exchanges, in order, with the right outcomes.
"""

from __future__ import annotations

import asyncio

import httpx
from httpx_sse import aconnect_sse

from mock_server.catalog import load_catalog, requested_scopes
from mock_server.consent import service_client_secret
from mock_server.reference import LOINC
from mock_server.storage import create_storage_engine
from tests.oauth.flows import authorize_app, exchange_code, outside_code

SERVICE = "pesee-claire"
WEIGHT = f"{LOINC}|29463-7"
GLUCOSE = f"{LOINC}|2345-7"
WEIGHT_READ = f"patient/Observation.rs?code={WEIGHT}"
WAIT = 10.0


def weight_observation() -> dict:
    return {
        "resourceType": "Observation",
        "meta": {"profile": [
            "https://interop.esante.gouv.fr/ig/fhir/mesures/StructureDefinition/"
            "mesures-fr-observation-body-weight"]},
        "status": "final",
        "category": [{"coding": [{
            "system": "http://terminology.hl7.org/CodeSystem/observation-category",
            "code": "vital-signs"}]}],
        "code": {"coding": [{"system": LOINC, "code": "29463-7"}]},
        "effectiveDateTime": "2026-11-26T07:10:00+01:00",
        "valueQuantity": {"value": 71.2, "unit": "kg", "system": "http://unitsofmeasure.org",
                          "code": "kg"},
    }


async def connect_scale_weight_read_only(http: httpx.AsyncClient, base: str, db_url: str) -> str:
    """Camille consents to Pesée Claire with weight read only; the service gets its token."""
    engine = create_storage_engine(db_url)
    registration = {
        "client_id": SERVICE,
        "client_secret": service_client_secret(engine, SERVICE),
        "redirect_uris": [f"{base}/services/{SERVICE}/callback"],
    }
    engine.dispose()
    scope = " ".join(requested_scopes(load_catalog().get(SERVICE)))
    result = await outside_code(http, registration, "camille.martin", grant=[WEIGHT_READ],
                                scope=scope)
    response = await exchange_code(
        http, result.code, pkce=result.pkce, client_id=SERVICE,
        client_secret=registration["client_secret"], redirect_uri=result.redirect_uri,
    )
    assert response.status_code == 200, response.text
    tokens = response.json()
    assert [s for s in tokens["scope"].split() if "/" in s] == [WEIGHT_READ]
    return tokens["access_token"]


async def test_weight_read_only_grant_then_revocation_shows_four_exchanges_in_order(
    live_server: str, settings,
) -> None:
    async with httpx.AsyncClient(base_url=live_server, timeout=WAIT) as http:
        patient = await authorize_app(http, "camille.martin")
        app_auth = {"Authorization": f"Bearer {patient['access_token']}"}
        http.cookies.clear()
        service_token = await connect_scale_weight_read_only(http, live_server,
                                                             settings.database_url)
        service_auth = {"Authorization": f"Bearer {service_token}"}

        async with aconnect_sse(http, "GET", "/events/stream", headers=app_auth) as source:
            stream = source.aiter_sse()

            weight = await http.get("/fhir/Observation", params={"code": WEIGHT, "_count": 3},
                                    headers=service_auth)
            glucose = await http.get("/fhir/Observation", params={"code": GLUCOSE},
                                     headers=service_auth)
            write = await http.post("/fhir/Observation", json=weight_observation(),
                                    headers={**service_auth,
                                             "Content-Type": "application/fhir+json"})
            assert weight.status_code == 200 and weight.json()["total"] > 0
            assert glucose.status_code == 403
            assert write.status_code == 403
            assert "Consentement non donné" in glucose.json()["issue"][0]["diagnostics"]

            grants = (await http.get("/grants", headers=app_auth)).json()["grants"]
            grant = next(g for g in grants if g["service"]["id"] == SERVICE)
            revoked = await http.post(f"/grants/{grant['id']}/revoke", headers=app_auth)
            assert revoked.status_code == 200 and revoked.json()["status"] == "revoked"

            after = await http.get("/fhir/Observation", params={"code": WEIGHT},
                                   headers=service_auth)
            assert after.status_code == 401

            streamed = []
            async with asyncio.timeout(WAIT):
                async for event in stream:
                    if event.event == "exchange":
                        streamed.append(event.json())
                    if len(streamed) == 4:
                        break

        expected = [("read", "allowed"), ("read", "denied"), ("write", "denied"),
                    ("read", "denied")]
        assert [(e["direction"], e["outcome"]) for e in streamed] == expected
        assert all(e["client_id"] == SERVICE for e in streamed)

        log = (await http.get("/exchanges", params={"service": SERVICE},
                              headers=app_auth)).json()["items"]
        assert [(e["direction"], e["outcome"]) for e in log] == expected
        assert [e["id"] for e in log] == sorted(e["id"] for e in log)
        assert [e["id"] for e in log] == [e["exchange_id"] for e in streamed]
        assert log[0]["subtype"] == "body_weight" and log[0]["count"] > 0
        assert log[1]["subtype"] == "glucose"
