"""Grants as R4 `Consent` resources (validated with fhir.resources R4B), for the patient's app."""

from __future__ import annotations

from datetime import timedelta

import pytest
from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.consent import Consent

from mock_server.consent.resource import CLIENT_ID_SYSTEM
from tests.consent.conftest import GLYCO, WEIGHT_READ, auth, permission


@pytest.fixture
async def glyco(connect, karim_token, grant_of) -> dict:
    tokens = await connect(GLYCO, "karim.benali")
    return {"tokens": tokens, "grant": await grant_of(karim_token, GLYCO)}


def _nested(consent: dict) -> dict[tuple[str, str, str], dict]:
    """(action, class, code or '') -> nested provision."""
    found = {}
    for provision in consent["provision"].get("provision", []):
        if provision["type"] != "permit":
            continue
        codes = [c["coding"][0]["code"] for c in provision.get("code", [])] or [""]
        found[(provision["action"][0]["coding"][0]["code"],
               provision["class"][0]["code"], codes[0])] = provision
    return found


async def test_consent_read_is_valid_r4_and_maps_the_grant(client, glyco, karim_token,
                                                           patient_ids):
    response = await client.get(f"/fhir/Consent/{glyco['grant']['id']}",
                                headers=auth(karim_token))
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/fhir+json; charset=utf-8"
    assert response.headers["etag"] == 'W/"1"'
    body = response.json()
    Consent.model_validate(body)

    assert body["status"] == "active"
    assert body["meta"]["versionId"] == "1"
    assert body["patient"] == {"reference": f"Patient/{patient_ids['diabetes']}"}
    assert body["scope"]["coding"][0]["code"] == "patient-privacy"
    assert body["category"][0]["coding"][0] == {"system": "http://loinc.org", "code": "59284-0",
                                                "display": "Patient Consent"}
    assert body["provision"]["type"] == "permit"
    assert body["provision"]["period"] == {"start": "2026-11-26T09:30:00.000Z",
                                           "end": "2027-05-26T09:30:00.000Z"}
    nested = _nested(body)
    assert set(nested) == {("access", "Observation", "2345-7"),
                           ("correct", "Observation", "2345-7"),
                           ("access", "Observation", "29463-7"),
                           ("access", "DocumentReference", "biologie")}
    actor = nested["access", "Observation", "2345-7"]["actor"][0]
    assert actor["reference"]["identifier"] == {"system": CLIENT_ID_SYSTEM, "value": GLYCO}
    assert actor["role"]["coding"][0]["code"] == "IRCP"
    assert nested["correct", "Observation", "2345-7"]["actor"][0]["role"]["coding"][0][
        "code"] == "AUT"


async def test_consent_reflects_narrowing_and_revocation(client, glyco, karim_token):
    url, headers = f"/grants/{glyco['grant']['id']}", auth(karim_token)
    await client.patch(url, headers=headers,
                       json={"remove": [permission("measures", "glucose", "write")]})
    narrowed = (await client.get(f"/fhir/Consent/{glyco['grant']['id']}", headers=headers)).json()
    await client.post(f"{url}/revoke", headers=headers)
    revoked = (await client.get(f"/fhir/Consent/{glyco['grant']['id']}", headers=headers)).json()

    assert narrowed["meta"]["versionId"] == "2"
    assert ("correct", "Observation", "2345-7") not in _nested(narrowed)
    Consent.model_validate(revoked)
    assert revoked["status"] == "inactive"
    assert revoked["meta"]["versionId"] == "3"
    assert revoked["provision"]["period"]["end"] == "2026-11-26T09:30:00.000Z"


async def test_consent_without_earlier_data_has_a_data_period(client, connect, karim_token,
                                                              grant_of):
    await connect(GLYCO, "karim.benali", grant=[WEIGHT_READ], include_earlier=False,
                  duration="revocation")
    grant = await grant_of(karim_token, GLYCO)
    body = (await client.get(f"/fhir/Consent/{grant['id']}", headers=auth(karim_token))).json()
    Consent.model_validate(body)
    assert body["provision"]["dataPeriod"] == {"start": "2026-11-26T09:30:00.000Z"}
    assert "end" not in body["provision"]["period"]


@pytest.mark.parametrize("maille", ["ressource"])
async def test_consent_lists_excluded_documents_as_a_deny_provision(
        client, glyco, karim_token, patient_ids, stored_ids):
    excluded = stored_ids(patient_ids["diabetes"], "DocumentReference", "biologie")[0]
    await client.patch(f"/grants/{glyco['grant']['id']}", headers=auth(karim_token),
                       json={"exclude": [excluded]})
    body = (await client.get(f"/fhir/Consent/{glyco['grant']['id']}",
                             headers=auth(karim_token))).json()
    Consent.model_validate(body)
    [deny] = [p for p in body["provision"]["provision"] if p["type"] == "deny"]
    assert deny["data"] == [{"meaning": "instance",
                             "reference": {"reference": f"DocumentReference/{excluded}"}}]


async def test_consent_search_is_a_searchset_filtered_by_status(
        client, connect, karim_token, grant_of, clock):
    await connect(GLYCO, "karim.benali")
    await connect("pesee-claire", "karim.benali")
    pesee = await grant_of(karim_token, "pesee-claire")
    clock.advance(timedelta(minutes=1))
    await client.post(f"/grants/{pesee['id']}/revoke", headers=auth(karim_token))

    every = (await client.get("/fhir/Consent", headers=auth(karim_token))).json()
    active = (await client.get("/fhir/Consent", params={"status": "active"},
                               headers=auth(karim_token))).json()
    paged = (await client.get("/fhir/Consent", params={"_count": 1},
                              headers=auth(karim_token))).json()

    Bundle.model_validate(every)
    assert every["type"] == "searchset" and every["total"] == 2
    assert every["entry"][0]["resource"]["id"] == pesee["id"]  # the latest change first
    assert active["total"] == 1
    assert active["entry"][0]["resource"]["provision"]["provision"][0]["actor"][0][
        "reference"]["identifier"]["value"] == GLYCO
    assert len(paged["entry"]) == 1
    assert [link["relation"] for link in paged["link"]] == ["self", "next"]


async def test_consent_search_refuses_unknown_parameters_and_statuses(client, karim_token):
    unknown = await client.get("/fhir/Consent", params={"actor": "x"},
                               headers=auth(karim_token))
    status = await client.get("/fhir/Consent", params={"status": "revoked"},
                              headers=auth(karim_token))
    count = await client.get("/fhir/Consent", params={"_count": "0"}, headers=auth(karim_token))
    assert unknown.status_code == 400 and "actor" in unknown.json()["issue"][0]["diagnostics"]
    assert status.status_code == 400 and "active, inactive" in status.text
    assert count.status_code == 400


async def test_check_50_a_service_token_cannot_read_consents(client, glyco):
    bearer = auth(glyco["tokens"]["access_token"])
    read = await client.get(f"/fhir/Consent/{glyco['grant']['id']}", headers=bearer)
    search = await client.get("/fhir/Consent", headers=bearer)
    for response in (read, search):
        assert response.status_code == 403
        assert response.json()["issue"][0]["code"] == "forbidden"


async def test_check_45_a_service_cannot_write_a_consent(client, glyco):
    response = await client.post("/fhir/Consent", json={"resourceType": "Consent"},
                                 headers={**auth(glyco["tokens"]["access_token"]),
                                          "Content-Type": "application/fhir+json"})
    assert response.status_code == 403


async def test_another_patients_consent_is_404(client, glyco, camille_token):
    response = await client.get(f"/fhir/Consent/{glyco['grant']['id']}",
                                headers=auth(camille_token))
    assert response.status_code == 404
    assert response.json()["issue"][0]["code"] == "not-found"


async def test_expired_grant_is_an_inactive_consent(client, glyco, karim_token, clock):
    await client.patch(f"/grants/{glyco['grant']['id']}", headers=auth(karim_token),
                       json={"valid_until": "2026-11-26T09:45:00Z"})
    clock.advance(timedelta(minutes=20))
    body = (await client.get(f"/fhir/Consent/{glyco['grant']['id']}",
                             headers=auth(karim_token))).json()
    assert body["status"] == "inactive"
    assert body["meta"]["versionId"] == "3"
    assert body["provision"]["period"]["end"] == "2026-11-26T09:45:00.000Z"
