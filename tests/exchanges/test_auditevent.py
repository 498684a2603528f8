"""The exchange log as FHIR `AuditEvent`: valid R4, outcomes 0/4/8, the patient's app only."""

from __future__ import annotations

import base64
from urllib.parse import parse_qs, urlsplit

from fhir.resources.R4B.auditevent import AuditEvent
from fhir.resources.R4B.bundle import Bundle

from mock_server.exchanges.auditevent import AUDIT_EVENT_TYPE, RESTFUL_INTERACTION
from tests.exchanges.conftest import (
    GLUCOSE,
    SERVICE_NAME,
    WEIGHT,
    WEIGHT_READ,
    WEIGHT_WRITE,
    bearer,
)
from tests.fhir.conftest import measure


async def _traffic(client, service, karim_token: str):
    """One exchange of each outcome: a search (0), a refused read (4), a failed write (8), an
    allowed write (0). Returns the service and the ids of the searched and refused resources."""
    glucose = await client.get("/fhir/Observation", params={"code": GLUCOSE, "_count": 1},
                               headers=bearer(karim_token))
    glucose_id = glucose.json()["entry"][0]["resource"]["id"]
    svc = await service([WEIGHT_READ, WEIGHT_WRITE])
    search = await client.get("/fhir/Observation", params={"code": WEIGHT, "_count": 2},
                              headers=svc.headers)
    refused = await client.get(f"/fhir/Observation/{glucose_id}", headers=svc.headers)
    failed = await client.post("/fhir/Observation", json=measure("body_weight", 4000.0),
                               headers=svc.write_headers)
    written = await client.post("/fhir/Observation", json=measure("body_weight", 88.0),
                                headers=svc.write_headers)
    assert [r.status_code for r in (search, refused, failed, written)] == [200, 403, 422, 201]
    return svc, glucose_id, written.json()["id"]


async def _search(client, token: str, **params) -> dict:
    response = await client.get("/fhir/AuditEvent", params=params, headers=bearer(token))
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/fhir+json")
    return response.json()


async def test_each_exchange_is_a_valid_r4_audit_event_with_its_outcome_code(
    client, service, karim_token, patient_ids
):
    svc, glucose_id, written_id = await _traffic(client, service, karim_token)
    bundle = await _search(client, karim_token, _sort="date")
    Bundle.model_validate(bundle)
    events = [entry["resource"] for entry in bundle["entry"]]
    for event in events:
        AuditEvent.model_validate(event)
    assert [(e["subtype"][0]["code"], e["action"], e["outcome"]) for e in events] == [
        ("search-type", "E", "0"), ("read", "R", "4"), ("create", "C", "8"), ("create", "C", "0")]
    search, refused, failed, written = events
    assert search["type"] == {"system": AUDIT_EVENT_TYPE, "code": "rest",
                              "display": "RESTful Operation"}
    assert search["subtype"][0]["system"] == RESTFUL_INTERACTION
    assert search["recorded"] == "2026-11-26T09:30:00.000Z"
    service_agent, patient_agent = search["agent"]
    assert service_agent["who"]["identifier"]["value"] == svc.client_id
    assert service_agent["who"]["display"] == SERVICE_NAME and service_agent["requestor"] is True
    assert patient_agent == {"who": {"reference": f"Patient/{patient_ids['diabetes']}"},
                             "requestor": False}
    (query,) = search["entity"]
    assert base64.b64decode(query["query"]).decode() == (
        "Observation?code=http%3A%2F%2Floinc.org%7C29463-7&_count=2")
    assert query["type"]["code"] == "Observation"
    assert refused["outcomeDesc"].startswith("Consentement non donné")
    assert refused["entity"][0]["what"]["reference"] == f"Observation/{glucose_id}"
    assert "outcomeDesc" in failed and "outcomeDesc" not in written
    assert written["entity"][0]["what"]["reference"] == f"Observation/{written_id}"

    one = await client.get(f"/fhir/AuditEvent/{refused['id']}", headers=bearer(karim_token))
    assert one.status_code == 200 and one.json() == refused


async def test_check_49_a_consent_refusal_is_an_audit_event_with_outcome_4(
    client, service, karim_token
):
    await _traffic(client, service, karim_token)
    denied = await _search(client, karim_token, outcome="4")
    assert denied["total"] == 1
    assert denied["entry"][0]["resource"]["outcomeDesc"].startswith("Consentement non donné")
    assert (await _search(client, karim_token, outcome="0,8"))["total"] == 3


async def test_audit_events_filter_by_agent_and_date_and_page(client, service, karim_token):
    svc, *_ = await _traffic(client, service, karim_token)
    assert (await _search(client, karim_token, agent=svc.client_id))["total"] == 4
    assert (await _search(client, karim_token, agent="outside-inconnu"))["total"] == 0
    assert "entry" not in await _search(client, karim_token, agent="outside-inconnu")
    assert (await _search(client, karim_token, date="ge2026-11-26"))["total"] == 4
    assert (await _search(client, karim_token, date="lt2026-11-26T09:30:00Z"))["total"] == 0

    first = await _search(client, karim_token, _count="3")
    assert len(first["entry"]) == 3
    ids = [int(e["resource"]["id"]) for e in first["entry"]]
    assert ids == sorted(ids, reverse=True)  # newest first by default
    links = {link["relation"]: link["url"] for link in first["link"]}
    following = parse_qs(urlsplit(links["next"]).query)
    assert following["_offset"] == ["3"] and following["_count"] == ["3"]
    second = await _search(client, karim_token, _count="3", _offset="3")
    assert len(second["entry"]) == 1 and "previous" in {x["relation"] for x in second["link"]}


async def test_bad_audit_event_searches_are_400_operation_outcomes(client, karim_token):
    for params in ({"_count": "0"}, {"_count": "101"}, {"outcome": "2"}, {"subtype": "read"},
                   {"date": "hier"}, {"_sort": "outcome"}):
        response = await client.get("/fhir/AuditEvent", params=params,
                                    headers=bearer(karim_token))
        assert response.status_code == 400, params
        outcome = response.json()
        assert outcome["resourceType"] == "OperationOutcome"
        assert outcome["issue"][0]["diagnostics"]


async def test_a_service_token_cannot_read_the_log_and_its_attempt_is_logged(
    client, service, karim_token
):
    svc = await service([WEIGHT_READ])
    for path in ("/fhir/AuditEvent", "/fhir/AuditEvent/1"):
        response = await client.get(path, headers=svc.headers)
        assert response.status_code == 403
        assert response.json()["resourceType"] == "OperationOutcome"
    attempts = (await client.get("/exchanges", headers=bearer(karim_token))).json()["items"]
    assert [(a["data_class"], a["resource_type"], a["outcome"]) for a in attempts] == [
        ("other", "AuditEvent", "denied")] * 2


async def test_another_patients_audit_event_is_404(client, service, karim_token, camille_token):
    await _traffic(client, service, karim_token)
    karims = (await _search(client, karim_token))["entry"][0]["resource"]["id"]
    for event_id in (karims, "999999", "abc"):
        response = await client.get(f"/fhir/AuditEvent/{event_id}", headers=bearer(camille_token))
        assert response.status_code == 404
        assert response.json()["resourceType"] == "OperationOutcome"
    assert (await _search(client, camille_token))["total"] == 0


async def test_check_50_the_audit_trail_is_append_only(client, service, karim_token):
    await _traffic(client, service, karim_token)
    event = (await _search(client, karim_token))["entry"][0]["resource"]
    deleted = await client.delete(f"/fhir/AuditEvent/{event['id']}",
                                  headers=bearer(karim_token))
    assert deleted.status_code == 405
    assert deleted.json()["resourceType"] == "OperationOutcome"
    headers = {**bearer(karim_token), "Content-Type": "application/fhir+json"}
    replaced = await client.put(f"/fhir/AuditEvent/{event['id']}", json=event, headers=headers)
    created = await client.post("/fhir/AuditEvent", json=event, headers=headers)
    assert (replaced.status_code, created.status_code) == (403, 403)
    assert (await _search(client, karim_token))["total"] == 4


async def test_audit_events_answer_like_every_fhir_route(client, karim_token):
    assert (await client.get("/fhir/AuditEvent")).status_code == 401
    refused = await client.get("/fhir/AuditEvent",
                               headers={**bearer(karim_token), "Accept": "text/html"})
    assert refused.status_code == 406
    assert refused.json()["resourceType"] == "OperationOutcome"
