"""SMART scopes decide what a token may do (SECURITY-CHECKS 41-43): type, restrictions, letters."""

from __future__ import annotations

import uuid

from mock_server.reference import LOINC, OBSERVATION_CATEGORY_SYSTEM, document_types
from tests.fhir.conftest import appointment, auth, document, group_token, measure, write_headers

WEIGHT = f"{LOINC}|29463-7"
VITAL_SIGNS = f"{OBSERVATION_CATEGORY_SYSTEM}|vital-signs"


def _consent_refusal(response) -> None:
    assert response.status_code == 403
    issue = response.json()["issue"][0]
    assert issue["code"] == "forbidden"
    assert "Consentement non donné" in issue["diagnostics"]


async def test_check_41_type_not_granted_is_403(client, token_for):
    token = token_for("patient/Observation.rs")
    assert (await client.get("/fhir/Observation", headers=auth(token))).status_code == 200
    _consent_refusal(await client.get("/fhir/DocumentReference", headers=auth(token)))
    _consent_refusal(await client.get("/fhir/Appointment/any-id", headers=auth(token)))
    _consent_refusal(await client.get("/fhir/Patient/any-id", headers=auth(token)))


async def test_check_42_restricted_code_scope_filters_searches_and_refuses_other_reads(
    client, token_for, camille_token
):
    heart = (
        await client.post(
            "/fhir/Observation",
            json=measure("heart_rate", 70),
            headers=write_headers(camille_token),
        )
    ).json()
    token = token_for(f"patient/Observation.rs?code={WEIGHT}")
    bundle = (
        await client.get("/fhir/Observation", params={"_count": 100}, headers=auth(token))
    ).json()
    assert bundle["total"] > 0
    codes = {e["resource"]["code"]["coding"][0]["code"] for e in bundle["entry"]}
    assert codes == {"29463-7"}
    _consent_refusal(await client.get(f"/fhir/Observation/{heart['id']}", headers=auth(token)))
    aimed_outside = await client.get(
        "/fhir/Observation", params={"code": "8867-4"}, headers=auth(token)
    )
    _consent_refusal(aimed_outside)
    mixed = await client.get(
        "/fhir/Observation", params={"code": f"8867-4,{WEIGHT}", "_count": 100},
        headers=auth(token),
    )
    assert {e["resource"]["code"]["coding"][0]["code"] for e in mixed.json()["entry"]} == {
        "29463-7"
    }


async def test_check_42_category_scope_hides_a_laboratory_observation(
    client, token_for, insert, patient_ids
):
    lab = measure("heart_rate", 70)
    lab["id"] = str(uuid.uuid4())
    lab["category"] = [{"coding": [{"system": OBSERVATION_CATEGORY_SYSTEM, "code": "laboratory"}]}]
    lab["subject"] = {"reference": f"Patient/{patient_ids['pregnancy']}"}
    insert(lab, patient_ids["pregnancy"])
    token = token_for(f"patient/Observation.rs?category={VITAL_SIGNS}")
    _consent_refusal(await client.get(f"/fhir/Observation/{lab['id']}", headers=auth(token)))
    bundle = (
        await client.get("/fhir/Observation", params={"_count": 100}, headers=auth(token))
    ).json()
    assert lab["id"] not in {e["resource"]["id"] for e in bundle.get("entry", [])}


async def test_check_42_document_group_scope_filters_documents_and_their_binaries(
    client, token_for, camille_token
):
    first = document_types()[0]
    other_index = next(i for i, d in enumerate(document_types()) if d.group != first.group)
    allowed = (
        await client.post(
            "/fhir/DocumentReference",
            json=document(type_index=0),
            headers=write_headers(camille_token),
        )
    ).json()
    hidden = (
        await client.post(
            "/fhir/DocumentReference",
            json=document(type_index=other_index),
            headers=write_headers(camille_token),
        )
    ).json()
    token = token_for(f"patient/DocumentReference.rs?category={group_token(first.group.key)}")
    bundle = (
        await client.get("/fhir/DocumentReference", params={"_count": 100}, headers=auth(token))
    ).json()
    ids = {e["resource"]["id"] for e in bundle["entry"]}
    assert allowed["id"] in ids and hidden["id"] not in ids
    _consent_refusal(
        await client.get(f"/fhir/DocumentReference/{hidden['id']}", headers=auth(token))
    )
    ok = await client.get(
        f"/fhir/{allowed['content'][0]['attachment']['url']}", headers=auth(token)
    )
    assert ok.status_code == 200
    _consent_refusal(
        await client.get(f"/fhir/{hidden['content'][0]['attachment']['url']}", headers=auth(token))
    )


async def test_check_43_write_without_create_scope_is_403(client, token_for):
    token = token_for("patient/Observation.rs")
    response = await client.post(
        "/fhir/Observation", json=measure("heart_rate", 70), headers=write_headers(token)
    )
    _consent_refusal(response)


async def test_check_43_create_only_token_creates_but_cannot_read(client, token_for):
    token = token_for("patient/Observation.c")
    created = await client.post(
        "/fhir/Observation", json=measure("heart_rate", 70), headers=write_headers(token)
    )
    assert created.status_code == 201
    _consent_refusal(
        await client.get(f"/fhir/Observation/{created.json()['id']}", headers=auth(token))
    )
    _consent_refusal(await client.get("/fhir/Observation", headers=auth(token)))


async def test_restricted_create_scope_only_creates_that_measure(client, token_for):
    token = token_for(f"patient/Observation.c?code={WEIGHT}")
    weight = await client.post(
        "/fhir/Observation", json=measure("body_weight", 64.0), headers=write_headers(token)
    )
    assert weight.status_code == 201
    _consent_refusal(
        await client.post(
            "/fhir/Observation", json=measure("heart_rate", 70), headers=write_headers(token)
        )
    )


async def test_read_only_token_cannot_update_an_appointment(client, token_for, camille_token):
    created = (
        await client.post(
            "/fhir/Appointment", json=appointment(), headers=write_headers(camille_token)
        )
    ).json()
    token = token_for("patient/Appointment.rs")
    _consent_refusal(
        await client.put(
            f"/fhir/Appointment/{created['id']}", json=created, headers=write_headers(token)
        )
    )
