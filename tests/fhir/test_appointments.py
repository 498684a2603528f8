"""Agenda: create, read, search, update with versions and If-Match."""

from __future__ import annotations

import pytest

from tests.fhir.conftest import appointment, auth, write_headers


async def _create(client, token: str, payload: dict | None = None) -> dict:
    response = await client.post(
        "/fhir/Appointment", json=payload or appointment(), headers=write_headers(token)
    )
    assert response.status_code == 201, response.text
    return response.json()


async def test_created_appointment_includes_the_patient_as_participant(
    client, camille_token, patient_ids
):
    created = await _create(client, camille_token, appointment(status="proposed"))
    actors = [p["actor"].get("reference") for p in created["participant"]]
    assert f"Patient/{patient_ids['pregnancy']}" in actors
    patient = next(
        p for p in created["participant"] if p["actor"].get("reference", "").startswith("Patient/")
    )
    assert patient["status"] == "needs-action"
    read = await client.get(f"/fhir/Appointment/{created['id']}", headers=auth(camille_token))
    assert read.json() == created


async def test_search_by_status_and_date(client, camille_token):
    booked = await _create(
        client, camille_token, appointment("2030-03-01T09:00:00+01:00", "2030-03-01T09:30:00+01:00")
    )
    proposed = await _create(
        client,
        camille_token,
        appointment("2030-03-02T09:00:00+01:00", "2030-03-02T09:30:00+01:00", status="proposed"),
    )

    async def ids(**params) -> list[str]:
        response = await client.get(
            "/fhir/Appointment",
            headers=auth(camille_token),
            params={"date": "ge2030-01-01", **params},
        )
        assert response.status_code == 200
        return [e["resource"]["id"] for e in response.json().get("entry", [])]

    assert await ids(status="booked") == [booked["id"]]
    assert await ids(status="proposed,booked", _sort="date") == [booked["id"], proposed["id"]]
    assert await ids(date="2030-03-02") == [proposed["id"]]


async def test_update_bumps_the_version(client, camille_token, settings):
    created = await _create(client, camille_token)
    changed = created | {"status": "cancelled"}
    response = await client.put(
        f"/fhir/Appointment/{created['id']}",
        json=changed,
        headers={**write_headers(camille_token), "If-Match": 'W/"1"'},
    )
    assert response.status_code == 200, response.text
    assert response.headers["etag"] == 'W/"2"'
    body = response.json()
    assert body["status"] == "cancelled" and body["meta"]["versionId"] == "2"
    read = await client.get(f"/fhir/Appointment/{created['id']}", headers=auth(camille_token))
    assert read.json() == body


async def test_update_with_stale_if_match_is_412(client, camille_token):
    created = await _create(client, camille_token)
    url = f"/fhir/Appointment/{created['id']}"
    await client.put(url, json=created, headers=write_headers(camille_token))
    stale = await client.put(
        url, json=created, headers={**write_headers(camille_token), "If-Match": 'W/"1"'}
    )
    assert stale.status_code == 412
    assert stale.json()["issue"][0]["code"] == "conflict"


async def test_update_id_must_match_the_url(client, camille_token):
    created = await _create(client, camille_token)
    other = await _create(client, camille_token)
    response = await client.put(
        f"/fhir/Appointment/{created['id']}", json=other, headers=write_headers(camille_token)
    )
    assert response.status_code == 400
    missing = {k: v for k, v in created.items() if k != "id"}
    response = await client.put(
        f"/fhir/Appointment/{created['id']}", json=missing, headers=write_headers(camille_token)
    )
    assert response.status_code == 400


async def test_update_of_another_patients_appointment_is_404(client, camille_token, karim_token):
    karims = await _create(client, karim_token)
    response = await client.put(
        f"/fhir/Appointment/{karims['id']}", json=karims, headers=write_headers(camille_token)
    )
    assert response.status_code == 404


@pytest.mark.parametrize(
    ("payload", "expression"),
    [
        (appointment("2030-03-01T10:00:00+01:00", "2030-03-01T09:00:00+01:00"), "Appointment.end"),
        (appointment(status="planned"), "Appointment.status"),
        (
            appointment(participant=[{"actor": {"display": "Dr X"}, "status": "maybe"}]),
            "Appointment.participant[0].status",
        ),
        (appointment(participant=[]), "Appointment.participant"),
        (
            {k: v for k, v in appointment().items() if k not in ("start", "end")},
            "Appointment.start",
        ),
    ],
)
async def test_appointments_breaking_a_rule_are_422(client, camille_token, payload, expression):
    response = await client.post(
        "/fhir/Appointment", json=payload, headers=write_headers(camille_token)
    )
    assert response.status_code == 422, response.text
    assert response.json()["issue"][0]["expression"] == [expression]
