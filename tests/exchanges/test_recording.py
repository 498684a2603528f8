"""Recording: each third-party FHIR request becomes one classified exchange, in order."""

from __future__ import annotations

import asyncio
import logging

import pytest
from sqlalchemy import select
from sqlalchemy.exc import OperationalError

from mock_server.exchanges import exchange_log
from mock_server.exchanges.classify import new_data_message, subtype_from_query
from mock_server.reference import DOCUMENT_GROUP_SYSTEM, LOINC
from mock_server.storage.schema import exchanges
from tests.exchanges.conftest import (
    DOCUMENT_READ,
    DOCUMENT_WRITE,
    GLUCOSE,
    SERVICE_NAME,
    WEIGHT,
    WEIGHT_READ,
    WEIGHT_WRITE,
    bearer,
)
from tests.fhir.conftest import document, measure


async def _first_id(client, token: str, code: str) -> str:
    """The id of one of the patient's measures of `code`, found with the patient's app."""
    page = await client.get("/fhir/Observation", params={"code": code, "_count": 1},
                            headers=bearer(token))
    return page.json()["entry"][0]["resource"]["id"]


async def test_allowed_and_refused_requests_are_logged_in_order_with_their_classification(
    client, service, log, karim_token
):
    weight_id = await _first_id(client, karim_token, WEIGHT)
    glucose_id = await _first_id(client, karim_token, GLUCOSE)
    reader = await service([WEIGHT_READ])

    search = await client.get("/fhir/Observation", params={"code": WEIGHT, "_count": 3},
                              headers=reader.headers)
    read = await client.get(f"/fhir/Observation/{weight_id}", headers=reader.headers)
    refused_read = await client.get(f"/fhir/Observation/{glucose_id}", headers=reader.headers)
    refused_write = await client.post("/fhir/Observation", json=measure("body_weight", 88.2),
                                      headers=reader.write_headers)
    assert [r.status_code for r in (search, read, refused_read, refused_write)] == [
        200, 200, 403, 403]

    items = (await log())["items"]
    assert [i["id"] for i in items] == sorted(i["id"] for i in items)
    summary = [(i["interaction"], i["direction"], i["data_class"], i["subtype"], i["outcome"],
                i["status"], i["count"]) for i in items]
    assert summary == [
        ("search", "read", "measures", "body_weight", "allowed", 200, 3),
        ("read", "read", "measures", "body_weight", "allowed", 200, 1),
        ("read", "read", "measures", "glucose", "denied", 403, 0),
        # Refused before its body was read: the request does not say which measure.
        ("create", "write", "measures", None, "denied", 403, 0),
    ]
    found = [e["resource"]["id"] for e in search.json()["entry"]]
    assert items[0]["resources"] == [f"Observation/{i}" for i in found]
    assert items[1]["resources"] == [f"Observation/{weight_id}"]
    assert items[2]["resources"] == [] and items[2]["path"] == f"/fhir/Observation/{glucose_id}"
    assert items[2]["reason"] == refused_read.json()["issue"][0]["diagnostics"]
    assert items[2]["reason"].startswith("Consentement non donné")
    assert {(i["client_id"], i["service_name"]) for i in items} == {(reader.client_id,
                                                                    SERVICE_NAME)}
    assert items[0]["query"] == search.request.url.query.decode()
    assert items[0]["method"] == "GET" and items[3]["method"] == "POST"
    assert items[0]["at"] == "2026-11-26T09:30:00+00:00"


async def test_the_patient_apps_own_requests_are_not_exchanges(client, log, karim_token):
    await client.get("/fhir/Observation", params={"_count": 2}, headers=bearer(karim_token))
    await client.post("/fhir/Observation", json=measure("body_weight", 90.0),
                      headers={**bearer(karim_token), "Content-Type": "application/fhir+json"})
    assert await log() == {"items": [], "next_after": 0, "next_before": None, "latest": 0}


async def test_requests_without_a_valid_token_belong_to_nobody(client, engine, flush):
    await client.get("/fhir/Observation")
    await client.get("/fhir/Observation", headers=bearer("not-a-token"))
    flush()
    with engine.connect() as conn:
        assert conn.execute(select(exchanges)).all() == []


async def test_an_allowed_write_keeps_what_was_stored_and_announces_new_data(
    client, service, karim_token
):
    writer = await service([WEIGHT_WRITE])
    created = await client.post("/fhir/Observation", json=measure("body_weight", 88.2),
                                headers=writer.write_headers)
    assert created.status_code == 201, created.text
    stored = created.json()

    listed = await client.get("/exchanges", headers=bearer(karim_token))
    (item,) = listed.json()["items"]
    assert (item["interaction"], item["direction"], item["subtype"], item["outcome"]) == (
        "create", "write", "body_weight", "allowed")
    assert item["resources"][0] == f"Observation/{stored['id']}"
    detail = (await client.get(f"/exchanges/{item['id']}", headers=bearer(karim_token))).json()
    # Karim's height is known: the platform derived a BMI, written in the same request.
    assert detail["count"] == len(detail["payload"]) == len(detail["resources"]) == 2
    assert detail["payload"][0] == stored
    assert detail["payload"][1]["code"]["coding"][0]["code"] == "39156-5"
    assert detail["payload_omitted"] is False and detail["payload_bytes"] > 0

    events = (await client.get("/events", params={"kind": "new_data"},
                               headers=bearer(karim_token))).json()["items"]
    (new_data,) = events
    assert new_data["message"] == f"Nouvelle mesure de poids écrite par {SERVICE_NAME}"
    assert (new_data["exchange_id"], new_data["client_id"], new_data["resource_type"]) == (
        item["id"], writer.client_id, "Observation")
    assert new_data["resource_ids"][0] == stored["id"]


async def test_a_written_document_is_classified_by_its_group_and_a_big_payload_is_not_kept(
    app, client, service, karim_token
):
    writer = await service([DOCUMENT_WRITE])
    exchange_log(app).recorder.payload_cap = 200
    created = await client.post("/fhir/DocumentReference", json=document(),
                                headers=writer.write_headers)
    assert created.status_code == 201, created.text
    (item,) = (await client.get("/exchanges", headers=bearer(karim_token))).json()["items"]
    assert (item["data_class"], item["subtype"]) == ("documents", "syntheses")
    detail = (await client.get(f"/exchanges/{item['id']}", headers=bearer(karim_token))).json()
    assert detail["payload"] is None and detail["payload_omitted"] is True
    assert detail["payload_bytes"] > 200
    (new_data,) = (await client.get("/events", params={"kind": "new_data"},
                                    headers=bearer(karim_token))).json()["items"]
    assert new_data["message"] == f"Nouveau document de synthèse écrit par {SERVICE_NAME}"


async def test_reading_a_documents_content_is_classified_by_the_documents_group(
    client, service, log, karim_token
):
    documents = await client.get("/fhir/DocumentReference", params={"_count": 1},
                                 headers=bearer(karim_token))
    doc = documents.json()["entry"][0]["resource"]
    binary = doc["content"][0]["attachment"]["url"].rsplit("/", 1)[1]
    reader = await service([DOCUMENT_READ])
    assert (await client.get(f"/fhir/Binary/{binary}", headers=reader.headers)).status_code == 200
    (item,) = (await log())["items"]
    group = next(c["code"] for cat in doc["category"] for c in cat["coding"]
                 if c["system"] == DOCUMENT_GROUP_SYSTEM)
    assert (item["data_class"], item["subtype"], item["resources"]) == (
        "documents", group, [f"Binary/{binary}"])


async def test_an_invalid_write_is_a_failed_exchange_with_its_reason(client, service, log):
    writer = await service([WEIGHT_WRITE])
    response = await client.post("/fhir/Observation", json=measure("body_weight", 4000.0),
                                 headers=writer.write_headers)
    assert response.status_code == 422
    (item,) = (await log())["items"]
    assert (item["outcome"], item["status"], item["count"]) == ("failed", 422, 0)
    assert item["reason"] == response.json()["issue"][0]["diagnostics"]


async def test_another_patients_resource_is_logged_without_revealing_its_subtype(
    client, service, log, camille_token
):
    camilles = await _first_id(client, camille_token, WEIGHT)
    reader = await service([WEIGHT_READ])
    response = await client.get(f"/fhir/Observation/{camilles}", headers=reader.headers)
    assert response.status_code == 404
    (item,) = (await log())["items"]
    assert (item["outcome"], item["subtype"], item["resources"]) == ("failed", None, [])


async def test_a_recording_error_is_logged_and_never_reaches_the_request(
    app, client, service, log, monkeypatch, caplog
):
    reader = await service([WEIGHT_READ])
    recorder = exchange_log(app).recorder

    def broken(*_args):
        raise RuntimeError("disque plein")

    monkeypatch.setattr(recorder, "_record", broken)
    with caplog.at_level(logging.ERROR, logger="mock_server.exchanges.recorder"):
        response = await client.get("/fhir/Observation", params={"code": WEIGHT},
                                    headers=reader.headers)
        assert recorder.flush(timeout=5)
    assert response.status_code == 200
    assert "1 exchange(s) lost" in caplog.text
    monkeypatch.undo()
    await client.get("/fhir/Observation", params={"code": WEIGHT}, headers=reader.headers)
    assert len((await log())["items"]) == 1


async def test_a_busy_database_is_retried_before_an_exchange_is_given_up(
    app, client, service, log, monkeypatch
):
    reader = await service([WEIGHT_READ])
    recorder = exchange_log(app).recorder
    real = recorder._record
    failures = iter([OperationalError("INSERT", {}, Exception("database is locked"))])

    def busy_once(conn, batch):
        failure = next(failures, None)
        if failure is not None:
            raise failure
        return real(conn, batch)

    monkeypatch.setattr(recorder, "_record", busy_once)
    await client.get("/fhir/Observation", params={"code": WEIGHT}, headers=reader.headers)
    assert [i["outcome"] for i in (await log())["items"]] == ["allowed"]


async def test_the_writer_thread_ends_when_idle_and_comes_back_with_the_next_exchange(
    app, client, service, log
):
    reader = await service([WEIGHT_READ])
    recorder = exchange_log(app).recorder
    recorder.idle_seconds = 0.05
    await client.get("/fhir/Observation", params={"code": WEIGHT}, headers=reader.headers)
    async with asyncio.timeout(5):
        while recorder.running:
            await asyncio.sleep(0.01)
    recorder.idle_seconds = 5.0
    await client.get("/fhir/Observation", params={"code": WEIGHT}, headers=reader.headers)
    assert recorder.running
    assert len((await log())["items"]) == 2


@pytest.mark.parametrize(("data_class", "subtype", "interaction", "message"), [
    ("measures", "body_weight", "create", "Nouvelle mesure de poids écrite par X"),
    ("measures", None, "transaction", "Nouvelle mesure écrite par X"),
    ("documents", "biologie", "create", "Nouveau document de biologie écrit par X"),
    ("documents", None, "create", "Nouveau document écrit par X"),
    ("agenda", "all", "create", "Nouveau rendez-vous ajouté par X"),
    ("agenda", "all", "update", "Rendez-vous modifié par X"),
])
def test_new_data_is_announced_in_french(data_class, subtype, interaction, message):
    assert new_data_message(data_class, subtype, interaction, "X") == message


@pytest.mark.parametrize(("resource_type", "query", "subtype"), [
    ("Observation", f"code={LOINC}|29463-7", "body_weight"),
    ("Observation", "code=29463-7,8302-2", "body_weight,body_height"),
    ("Observation", "_count=10", "all"),
    ("Observation", "code=http://snomed.info/sct|123", None),
    ("DocumentReference", f"category={DOCUMENT_GROUP_SYSTEM}|biologie", "biologie"),
    ("DocumentReference", "category=imagerie", "imagerie"),
    ("DocumentReference", "date=ge2026-01-01", "all"),
    ("DocumentReference", "category=urn:oid:1.2.250.1.213.1.1.4.1|REPORTS", None),
    ("Appointment", "status=booked", "all"),
    ("Patient", "", None),
])
def test_the_subtype_of_a_search_comes_from_its_filters(resource_type, query, subtype):
    assert subtype_from_query(resource_type, query) == subtype
