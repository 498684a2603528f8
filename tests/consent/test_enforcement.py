"""Effective access = token scope ∩ the grant as it is now, on every service request."""

from __future__ import annotations

import json
from datetime import timedelta

from sqlalchemy import select

from mock_server.catalog import load_catalog
from mock_server.catalog.models import Referencing
from mock_server.consent.changes import GrantWriter
from mock_server.consent.model import ACTOR_AUTHORITY
from mock_server.consent.service_clients import sync_service_clients
from mock_server.storage.schema import resources
from tests.conftest import FROZEN_NOW
from tests.consent.conftest import (
    BIOLOGY_READ,
    GLUCOSE_READ,
    GLUCOSE_WRITE,
    GLYCO,
    WEIGHT_READ,
    auth,
    permission,
)
from tests.fhir.conftest import measure, write_headers
from tests.oauth.flows import refresh


def _denied(response, *words: str) -> str:
    assert response.status_code == 403, response.text
    issue = response.json()["issue"][0]
    assert issue["code"] == "forbidden"
    assert issue["diagnostics"].startswith("Consentement non donné : ")
    for word in words:
        assert word in issue["diagnostics"]
    return issue["diagnostics"]


async def test_weight_read_only_grant_reads_weight_not_glucose_and_cannot_write_weight(
        client, connect, patient_ids, stored_ids):
    tokens = await connect(GLYCO, "karim.benali", grant=[WEIGHT_READ])
    karim = patient_ids["diabetes"]
    bearer = auth(tokens["access_token"])

    weight_id = stored_ids(karim, "Observation", "body_weight")[0]
    glucose_id = stored_ids(karim, "Observation", "glucose")[0]

    weight = await client.get(f"/fhir/Observation/{weight_id}", headers=bearer)
    glucose = await client.get(f"/fhir/Observation/{glucose_id}", headers=bearer)
    written = await client.post("/fhir/Observation", json=measure("body_weight", 90.0),
                                headers=write_headers(tokens["access_token"]))

    assert weight.status_code == 200
    _denied(glucose)
    _denied(written)


async def test_check_49_consent_beats_scope_narrowed_grant_denies_the_very_next_read(
        client, connect, karim_token, grant_of, patient_ids, stored_ids):
    tokens = await connect(GLYCO, "karim.benali")
    glucose_id = stored_ids(patient_ids["diabetes"], "Observation", "glucose")[0]
    bearer = auth(tokens["access_token"])
    assert (await client.get(f"/fhir/Observation/{glucose_id}", headers=bearer)).status_code == 200

    grant = await grant_of(karim_token, GLYCO)
    narrowed = await client.patch(f"/grants/{grant['id']}", headers=auth(karim_token),
                                  json={"remove": [permission("measures", "glucose", "read")]})
    assert narrowed.status_code == 200

    assert GLUCOSE_READ in tokens["scope"].split()  # the token still says yes...
    response = await client.get(f"/fhir/Observation/{glucose_id}", headers=bearer)
    _denied(response, "« Lire vos mesures de glycémie »")  # ...the grant says no


async def test_check_49_grant_past_its_end_denies_and_expiry_is_recorded_once(
        client, connect, karim_token, grant_of, clock, patient_ids, stored_ids, versions,
        grant_events):
    tokens = await connect(GLYCO, "karim.benali")
    grant = await grant_of(karim_token, GLYCO)
    end = (FROZEN_NOW + timedelta(minutes=30)).isoformat()
    changed = await client.patch(f"/grants/{grant['id']}", headers=auth(karim_token),
                                 json={"valid_until": end})
    assert changed.status_code == 200
    weight_id = stored_ids(patient_ids["diabetes"], "Observation", "body_weight")[0]
    bearer = auth(tokens["access_token"])
    assert (await client.get(f"/fhir/Observation/{weight_id}", headers=bearer)).status_code == 200

    clock.advance(timedelta(minutes=31))  # the access token (1 h) is still live
    first = await client.get(f"/fhir/Observation/{weight_id}", headers=bearer)
    second = await client.get("/fhir/Observation", headers=bearer)

    _denied(first, "a expiré le 26/11/2026 à 10:00 (UTC)")
    _denied(second, "a expiré")
    history = versions(grant["id"])
    assert [(v.change, v.actor) for v in history][-1] == ("expired", "plateforme")
    assert [v.change for v in history].count("expired") == 1
    assert grant_events(patient_ids["diabetes"])[-1]["change"] == "expired"


async def test_check_30_refresh_is_refused_once_the_grant_expired_on_the_clock(
        client, connect, clock, service_registration):
    tokens = await connect(GLYCO, "karim.benali", duration="1m")
    secret = service_registration(GLYCO)["client_secret"]
    for _ in range(2):  # keep the refresh token alive (14-day idle limit) across the month
        clock.advance(timedelta(days=13))
        renewed = await refresh(client, tokens["refresh_token"], client_id=GLYCO,
                                client_secret=secret)
        assert renewed.status_code == 200, renewed.text
        tokens = renewed.json()
    clock.advance(timedelta(days=5))

    refused = await refresh(client, tokens["refresh_token"], client_id=GLYCO,
                            client_secret=secret)

    assert refused.status_code == 400
    assert refused.json()["error"] == "invalid_grant"
    assert "expire" in refused.json()["error_description"]


async def test_searches_return_only_permitted_items_with_a_right_total(
        client, connect, patient_ids, stored_ids):
    tokens = await connect(GLYCO, "karim.benali", grant=[WEIGHT_READ])
    expected = stored_ids(patient_ids["diabetes"], "Observation", "body_weight")

    page = await client.get("/fhir/Observation", params={"_count": 20},
                            headers=auth(tokens["access_token"]))

    bundle = page.json()
    assert page.status_code == 200
    assert bundle["total"] == len(expected)
    assert [e["resource"]["id"] for e in bundle["entry"]] == expected[:20]
    assert any(link["relation"] == "next" for link in bundle["link"])


async def test_search_of_a_class_the_grant_no_longer_reads_is_403(
        client, connect, camille_token, grant_of):
    tokens = await connect("grossesse-sereine", "camille.martin")
    bearer = auth(tokens["access_token"])
    assert (await client.get("/fhir/Appointment", headers=bearer)).status_code == 200
    grant = await grant_of(camille_token, "grossesse-sereine")
    await client.patch(f"/grants/{grant['id']}", headers=auth(camille_token),
                       json={"remove": [permission("agenda", "all", "read")]})

    response = await client.get("/fhir/Appointment", headers=bearer)

    _denied(response, "aucune permission de lecture sur son agenda")


async def test_write_does_not_imply_read_in_the_grant(
        client, connect, karim_token, grant_of):
    tokens = await connect(GLYCO, "karim.benali", grant=[GLUCOSE_READ, GLUCOSE_WRITE])
    grant = await grant_of(karim_token, GLYCO)
    await client.patch(f"/grants/{grant['id']}", headers=auth(karim_token),
                       json={"remove": [permission("measures", "glucose", "read")]})

    created = await client.post("/fhir/Observation", json=measure("glucose", 110),
                                headers=write_headers(tokens["access_token"]))
    assert created.status_code == 201, created.text
    read_back = await client.get(f"/fhir/Observation/{created.json()['id']}",
                                 headers=auth(tokens["access_token"]))
    _denied(read_back, "aucune permission de lecture sur ses mesures de santé")


async def test_include_earlier_false_hides_older_data_from_searches_and_reads(
        client, connect, clock, patient_ids, stored_ids):
    tokens = await connect("pesee-claire", "karim.benali", include_earlier=False)
    bearer = auth(tokens["access_token"])
    old_weight = stored_ids(patient_ids["diabetes"], "Observation", "body_weight")[0]
    weight_code = {"code": "http://loinc.org|29463-7"}

    before = await client.get("/fhir/Observation", params=weight_code, headers=bearer)
    old = await client.get(f"/fhir/Observation/{old_weight}", headers=bearer)
    clock.advance(timedelta(minutes=30))
    new = await client.post("/fhir/Observation",
                            json=measure("body_weight", 90.2, "2026-11-26T09:50:00Z"),
                            headers=write_headers(tokens["access_token"]))
    after = await client.get("/fhir/Observation", params=weight_code, headers=bearer)

    assert before.json()["total"] == 0
    _denied(old, "antérieure à l'autorisation")
    assert new.status_code == 201, new.text
    assert after.json()["total"] == 1
    assert after.json()["entry"][0]["resource"]["id"] == new.json()["id"]
    fresh = await client.get(f"/fhir/Observation/{new.json()['id']}", headers=bearer)
    assert fresh.status_code == 200


async def test_another_patients_resource_stays_404_for_a_granted_service(
        client, connect, patient_ids, stored_ids):
    tokens = await connect(GLYCO, "karim.benali")
    camilles = stored_ids(patient_ids["pregnancy"], "Observation", "body_weight")[0]
    response = await client.get(f"/fhir/Observation/{camilles}",
                                headers=auth(tokens["access_token"]))
    assert response.status_code == 404


async def test_binary_is_judged_as_the_document_that_holds_it(
        client, connect, engine, patient_ids):
    tokens = await connect(GLYCO, "karim.benali", grant=[BIOLOGY_READ])
    binaries = {}
    with engine.connect() as conn:
        rows = conn.execute(select(resources.c.subtype, resources.c.json).where(
            resources.c.patient_id == patient_ids["diabetes"],
            resources.c.resource_type == "DocumentReference")).all()
    for row in rows:
        url = json.loads(row.json)["content"][0]["attachment"]["url"]
        binaries.setdefault(row.subtype, url.rsplit("/", 1)[1])

    bearer = auth(tokens["access_token"])
    allowed = await client.get(f"/fhir/Binary/{binaries['biologie']}", headers=bearer)
    refused = await client.get(f"/fhir/Binary/{binaries['comptes-rendus']}", headers=bearer)

    assert allowed.status_code == 200
    assert refused.status_code == 403


async def test_suspension_by_the_authority_denies_and_reinstatement_restores(
        client, connect, engine, clock, patient_ids, stored_ids, service_registration,
        versions, grant_rows):
    tokens = await connect(GLYCO, "karim.benali")
    weight_id = stored_ids(patient_ids["diabetes"], "Observation", "body_weight")[0]
    weight = f"/fhir/Observation/{weight_id}"
    bearer = auth(tokens["access_token"])
    with engine.begin() as conn:
        assert GrantWriter(conn, clock.now(), ACTOR_AUTHORITY).suspend_service(GLYCO) == 1

    _denied(await client.get(weight, headers=bearer), "suspendu")
    refused = await refresh(client, tokens["refresh_token"], client_id=GLYCO,
                            client_secret=service_registration(GLYCO)["client_secret"])
    assert refused.json()["error"] == "invalid_grant"

    with engine.begin() as conn:
        GrantWriter(conn, clock.now(), ACTOR_AUTHORITY).reinstate_service(GLYCO)
    assert (await client.get(weight, headers=bearer)).status_code == 200
    assert [v.change for v in versions(grant_rows(GLYCO)[0].id)] == [
        "created", "suspended", "reinstated"]


async def test_start_suspends_grants_of_services_the_catalogue_suspends(
        connect, engine, clock, settings, grant_rows):
    await connect(GLYCO, "karim.benali")
    catalog = load_catalog()
    suspended = catalog.model_copy(update={"services": tuple(
        s.model_copy(update={"referencing": Referencing(
            status="suspendu", date=s.referencing.date, note="Contrôle en cours.")})
        if s.id == GLYCO else s for s in catalog.services)})

    with engine.begin() as conn:
        sync_service_clients(conn, suspended, settings.base_url, clock.now())
    assert grant_rows(GLYCO)[0].status == "suspended"
    with engine.begin() as conn:
        sync_service_clients(conn, catalog, settings.base_url, clock.now())
    assert grant_rows(GLYCO)[0].status == "active"


async def test_the_patients_own_app_is_not_subject_to_grants(
        client, connect, karim_token, patient_ids, stored_ids):
    await connect(GLYCO, "karim.benali", grant=[WEIGHT_READ])
    glucose = stored_ids(patient_ids["diabetes"], "Observation", "glucose")[0]
    response = await client.get(f"/fhir/Observation/{glucose}", headers=auth(karim_token))
    assert response.status_code == 200


async def test_a_search_aimed_only_at_a_measure_the_grant_lost_is_403_a_mixed_one_is_filtered(
        client, connect, karim_token, grant_of):
    tokens = await connect(GLYCO, "karim.benali")
    bearer = auth(tokens["access_token"])
    grant = await grant_of(karim_token, GLYCO)
    narrowed = await client.patch(f"/grants/{grant['id']}", headers=auth(karim_token),
                                  json={"remove": [permission("measures", "glucose", "read")]})
    assert narrowed.status_code == 200

    aimed = await client.get("/fhir/Observation", params={"code": GLUCOSE_READ.split("=")[1]},
                             headers=bearer)
    _denied(aimed, "glycémie")
    weight = WEIGHT_READ.split("=")[1]
    mixed = await client.get(
        "/fhir/Observation",
        params={"code": f"{GLUCOSE_READ.split('=')[1]},{weight}", "_count": 100},
        headers=bearer,
    )
    assert mixed.status_code == 200
    codes = {e["resource"]["code"]["coding"][0]["code"] for e in mixed.json()["entry"]}
    assert codes == {weight.split("|")[1]}


async def test_a_search_aimed_at_a_document_group_outside_the_grant_is_403(
        client, connect):
    tokens = await connect(GLYCO, "karim.benali", grant=[WEIGHT_READ])
    group = BIOLOGY_READ.split("=")[1]
    response = await client.get("/fhir/DocumentReference", params={"category": group},
                                headers=auth(tokens["access_token"]))
    assert response.status_code == 403
