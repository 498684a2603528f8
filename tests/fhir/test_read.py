"""Reads: the token's own Patient and resources; another patient's data is 404 (check 39)."""

from __future__ import annotations

from tests.fhir.conftest import auth, measure, write_headers


async def _create_weight(client, token: str) -> dict:
    response = await client.post(
        "/fhir/Observation", json=measure("body_weight", 64.0), headers=write_headers(token)
    )
    assert response.status_code == 201, response.text
    return response.json()


async def test_patient_reads_own_record(client, camille_token, patient_ids):
    own = patient_ids["pregnancy"]
    response = await client.get(f"/fhir/Patient/{own}", headers=auth(camille_token))
    assert response.status_code == 200
    patient = response.json()
    assert patient["resourceType"] == "Patient" and patient["id"] == own
    assert patient["name"][0]["family"] == "Martin"
    assert patient["meta"]["versionId"] == "1"


async def test_other_patient_record_is_404(client, camille_token, patient_ids):
    other = patient_ids["diabetes"]
    response = await client.get(f"/fhir/Patient/{other}", headers=auth(camille_token))
    assert response.status_code == 404
    assert response.json()["issue"][0]["code"] == "not-found"
    assert "Benali" not in response.text


async def test_observation_read_carries_meta_and_etag(client, camille_token):
    created = await _create_weight(client, camille_token)
    response = await client.get(f"/fhir/Observation/{created['id']}", headers=auth(camille_token))
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/fhir+json; charset=utf-8"
    assert response.headers["etag"] == 'W/"1"'
    assert "last-modified" in response.headers
    body = response.json()
    assert body == created
    assert body["meta"]["versionId"] == "1"
    assert body["meta"]["lastUpdated"] == "2026-11-26T09:30:00.000Z"


async def test_check_39_reading_another_patients_observation_is_404_without_leak(
    client, camille_token, karim_token
):
    karims = await _create_weight(client, karim_token)
    response = await client.get(f"/fhir/Observation/{karims['id']}", headers=auth(camille_token))
    assert response.status_code == 404
    outcome = response.json()
    assert outcome["resourceType"] == "OperationOutcome"
    assert outcome["issue"][0]["code"] == "not-found"
    assert karims["subject"]["reference"] not in response.text
    unknown = await client.get("/fhir/Observation/does-not-exist", headers=auth(camille_token))
    assert unknown.status_code == 404
    # Same answer whether the id exists elsewhere or not at all: no existence oracle.
    assert outcome["issue"][0]["diagnostics"].replace(karims["id"], "X") == unknown.json()["issue"][
        0
    ]["diagnostics"].replace("does-not-exist", "X")


async def test_seeded_observation_is_served_with_its_stored_meta(client, camille_token):
    bundle = (
        await client.get("/fhir/Observation", params={"_count": 1}, headers=auth(camille_token))
    ).json()
    seeded = bundle["entry"][0]["resource"]
    response = await client.get(f"/fhir/Observation/{seeded['id']}", headers=auth(camille_token))
    assert response.json() == seeded
    assert seeded["meta"]["versionId"] == "1" and "lastUpdated" in seeded["meta"]


async def test_unknown_resource_type_and_unknown_path_are_operation_outcomes(client, camille_token):
    for path in ("/fhir/Medication/1", "/fhir/Observation/1/_history/1", "/fhir/Observation/1/x/y"):
        response = await client.get(path, headers=auth(camille_token))
        assert response.status_code == 404
        assert response.json()["resourceType"] == "OperationOutcome"


async def test_non_fhir_paths_keep_their_own_errors(client):
    response = await client.get("/not-fhir")
    assert response.status_code == 404
    assert "OperationOutcome" not in response.text
