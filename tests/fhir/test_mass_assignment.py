"""Writing into another patient and mass assignment (SECURITY-CHECKS 44, 45)."""

from __future__ import annotations

from sqlalchemy import select

from mock_server.storage.schema import resources
from tests.fhir.conftest import appointment, auth, measure, write_headers


async def test_check_44_observation_for_another_patient_is_403(client, camille_token, patient_ids):
    other = patient_ids["diabetes"]
    for reference in (f"Patient/{other}", f"http://localhost/fhir/Patient/{other}"):
        payload = measure("heart_rate", 70, subject={"reference": reference})
        response = await client.post(
            "/fhir/Observation", json=payload, headers=write_headers(camille_token)
        )
        assert response.status_code == 403
        assert response.json()["issue"][0]["code"] == "forbidden"


async def test_check_44_subject_that_is_not_a_patient_reference_is_422(client, camille_token):
    payload = measure("heart_rate", 70, subject={"reference": "Group/1"})
    response = await client.post(
        "/fhir/Observation", json=payload, headers=write_headers(camille_token)
    )
    assert response.status_code == 422
    assert response.json()["issue"][0]["expression"] == ["Observation.subject"]


async def test_check_44_put_moving_an_appointment_to_another_patient_is_403(
    client, camille_token, patient_ids
):
    created = (
        await client.post(
            "/fhir/Appointment", json=appointment(), headers=write_headers(camille_token)
        )
    ).json()
    moved = created | {
        "participant": [
            {"actor": {"reference": f"Patient/{patient_ids['diabetes']}"}, "status": "accepted"}
        ]
    }
    response = await client.put(
        f"/fhir/Appointment/{created['id']}", json=moved, headers=write_headers(camille_token)
    )
    assert response.status_code == 403
    still = await client.get(f"/fhir/Appointment/{created['id']}", headers=auth(camille_token))
    assert still.json() == created


async def test_check_45_client_id_and_meta_labels_are_stripped(client, engine, token_for):
    token = token_for("patient/Observation.cruds", client_id="scale-app")
    payload = measure("heart_rate", 70, id="chosen-by-client")
    payload["meta"] |= {
        "security": [
            {"system": "http://terminology.hl7.org/CodeSystem/v3-Confidentiality", "code": "N"}
        ],
        "tag": [{"system": "urn:x", "code": "trusted"}],
        "source": "https://platform.example/forged",
        "versionId": "99",
        "lastUpdated": "2000-01-01T00:00:00Z",
    }
    response = await client.post("/fhir/Observation", json=payload, headers=write_headers(token))
    assert response.status_code == 201
    body = response.json()
    assert body["id"] != "chosen-by-client"
    assert set(body["meta"]) == {"profile", "versionId", "lastUpdated", "source"}
    assert body["meta"]["versionId"] == "1"
    assert body["meta"]["source"] == "urn:ens-consent:client:scale-app"  # the server's, not forged
    with engine.connect() as conn:
        row = conn.execute(
            select(resources.c.author_client_id).where(resources.c.id == body["id"])
        ).one()
    assert row.author_client_id == "scale-app"


async def test_check_45_consent_and_audit_event_writes_are_refused(client, camille_token):
    for resource_type in ("Consent", "AuditEvent"):
        created = await client.post(
            f"/fhir/{resource_type}",
            json={"resourceType": resource_type},
            headers=write_headers(camille_token),
        )
        assert created.status_code == 403
        assert created.json()["issue"][0]["code"] == "forbidden"
        updated = await client.put(
            f"/fhir/{resource_type}/1",
            json={"resourceType": resource_type},
            headers=write_headers(camille_token),
        )
        assert updated.status_code == 403
        deleted = await client.delete(f"/fhir/{resource_type}/1", headers=auth(camille_token))
        assert deleted.status_code == 405
