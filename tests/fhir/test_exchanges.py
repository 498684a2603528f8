"""Each FHIR interaction reports one exchange (the seam the exchange log plugs into)."""

from __future__ import annotations

from mock_server.fhir import add_exchange_listener
from mock_server.fhir.exchange import Exchange
from tests.fhir.conftest import auth, measure, write_headers


async def test_allowed_and_denied_interactions_are_reported(
    app, client, camille_token, token_for, clock
):
    seen: list[Exchange] = []
    add_exchange_listener(app, seen.append)
    created = await client.post(
        "/fhir/Observation", json=measure("heart_rate", 70), headers=write_headers(camille_token)
    )
    await client.get("/fhir/Observation", params={"_count": 3}, headers=auth(camille_token))
    await client.get("/fhir/DocumentReference", headers=auth(token_for("patient/Observation.rs")))
    await client.get("/fhir/Observation")

    create, search, denied, anonymous = seen
    assert (create.interaction, create.resource_type, create.outcome, create.status) == (
        "create",
        "Observation",
        "allowed",
        201,
    )
    assert create.resource_ids == (created.json()["id"],)
    assert create.client_id == "ens-consent-app" and create.at == clock.now()
    assert (search.interaction, search.count, search.query) == ("search", 3, "_count=3")
    assert (denied.outcome, denied.status, denied.resource_type) == (
        "denied",
        403,
        "DocumentReference",
    )
    assert "Consentement" in denied.reason
    assert (anonymous.status, anonymous.client_id, anonymous.patient_id) == (401, None, None)


async def test_invalid_writes_are_reported_as_failed(app, client, camille_token):
    seen: list[Exchange] = []
    add_exchange_listener(app, seen.append)
    await client.post(
        "/fhir/Observation", json=measure("bmi", 22.0), headers=write_headers(camille_token)
    )
    assert [(e.outcome, e.status, e.count) for e in seen] == [("failed", 422, 0)]
