"""Each consent granularity (`--maille`, DESIGN §5): type, categorie, ressource."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tests.consent.conftest import (
    BIOLOGY_READ,
    GLUCOSE_READ,
    GLUCOSE_WRITE,
    GLYCO,
    WEIGHT_READ,
    auth,
    permission,
    service_scope,
)
from tests.oauth.flows import (
    authorization_params,
    consent,
    login,
    make_pkce,
    read_form,
    start,
)


async def _consent_page(client, service_registration, username="karim.benali"):
    params = authorization_params(client, client_id=GLYCO,
                                  redirect_uri=service_registration(GLYCO)["redirect_uris"][0],
                                  scope=service_scope(GLYCO), pkce=make_pkce())
    return await login(client, await start(client, params), username)


# --- type (default) ---------------------------------------------------------------------------


async def test_type_offers_one_choice_per_permission(client, service_registration, connect,
                                                     grant_rows):
    page = await _consent_page(client, service_registration)
    assert 'class="groupe"' not in page.text
    tokens = await connect(GLYCO, "karim.benali", grant=[GLUCOSE_READ])
    assert {s for s in tokens["scope"].split() if "/" in s} == {GLUCOSE_READ}
    assert grant_rows(GLYCO)[0].maille == "type"


# --- categorie --------------------------------------------------------------------------------


@pytest.mark.parametrize("maille", ["categorie"])
async def test_categorie_page_groups_scopes_by_class_and_access(
        client, service_registration):
    page = await _consent_page(client, service_registration)
    assert "Vos mesures de santé (lecture)" in page.text
    assert "Vos mesures de santé (écriture)" in page.text
    assert "Vos documents (lecture)" in page.text
    assert sorted(read_form(page.text).checkboxes["scope"]) == sorted(
        [GLUCOSE_READ, GLUCOSE_WRITE, WEIGHT_READ, BIOLOGY_READ])


@pytest.mark.parametrize("maille", ["categorie"])
async def test_categorie_json_lists_the_groups(client, service_registration):
    params = authorization_params(client, client_id=GLYCO,
                                  redirect_uri=service_registration(GLYCO)["redirect_uris"][0],
                                  scope=service_scope(GLYCO), pkce=make_pkce())
    first = await client.get("/oauth/authorize", params=params,
                             headers={"Accept": "application/json"})
    body = (await client.post("/oauth/authorize", json={
        "csrf": first.json()["csrf"], "username": "karim.benali", "password": "demo2026"})).json()
    assert body["maille"] == "categorie"
    groups = {g["key"]: set(g["scopes"]) for g in body["groups"]}
    assert groups == {"measures.write": {GLUCOSE_WRITE},
                      "measures.read": {GLUCOSE_READ, WEIGHT_READ},
                      "documents.read": {BIOLOGY_READ}}


@pytest.mark.parametrize("maille", ["categorie"])
async def test_categorie_refuses_a_split_group_and_issues_nothing(
        client, service_registration, grant_rows):
    page = await _consent_page(client, service_registration)
    split = await consent(client, page, [GLUCOSE_READ])

    assert split.status_code == 400
    assert "location" not in split.headers
    assert "s&#x27;accepte ou se refuse en entier" in split.text
    assert grant_rows(GLYCO) == []

    whole = await consent(client, split, [GLUCOSE_READ, WEIGHT_READ])
    assert whole.status_code == 302
    [row] = grant_rows(GLYCO)
    assert row.maille == "categorie"


@pytest.mark.parametrize("maille", ["categorie"])
async def test_categorie_grant_narrows_by_whole_groups_only(
        client, connect, karim_token, grant_of):
    await connect(GLYCO, "karim.benali")
    grant = await grant_of(karim_token, GLYCO)
    url, headers = f"/grants/{grant['id']}", auth(karim_token)

    part = await client.patch(url, headers=headers,
                              json={"remove": [permission("measures", "glucose", "read")]})
    whole = await client.patch(url, headers=headers, json={"remove": [
        permission("measures", "glucose", "read"), permission("measures", "body_weight", "read")]})

    assert part.status_code == 409
    assert "Lire vos mesures de poids" in part.json()["detail"]
    assert whole.status_code == 200
    assert {(p["data_class"], p["access"]) for p in whole.json()["permissions"]} == {
        ("measures", "write"), ("documents", "read")}


# --- ressource --------------------------------------------------------------------------------


@pytest.fixture
async def biology(connect, karim_token, grant_of, patient_ids, stored_ids) -> dict:
    """Karim let Glyco Pilote read his laboratory documents (granularity `ressource`)."""
    tokens = await connect(GLYCO, "karim.benali")
    return {"tokens": tokens, "grant": await grant_of(karim_token, GLYCO),
            "documents": stored_ids(patient_ids["diabetes"], "DocumentReference", "biologie")}


@pytest.mark.parametrize("maille", ["ressource"])
async def test_ressource_excluded_document_is_refused_and_left_out_of_searches(
        client, biology, karim_token):
    excluded, kept = biology["documents"][0], biology["documents"][1:]
    bearer = auth(biology["tokens"]["access_token"])
    response = await client.patch(f"/grants/{biology['grant']['id']}",
                                  headers=auth(karim_token), json={"exclude": [excluded]})
    assert response.status_code == 200 and response.json()["excluded"] == [excluded]

    read = await client.get(f"/fhir/DocumentReference/{excluded}", headers=bearer)
    search = await client.get("/fhir/DocumentReference", headers=bearer)
    other = await client.get(f"/fhir/DocumentReference/{kept[0]}", headers=bearer)

    assert read.status_code == 403
    assert "exclu ce document" in read.json()["issue"][0]["diagnostics"]
    assert search.json()["total"] == len(kept)
    assert {e["resource"]["id"] for e in search.json()["entry"]} == set(kept)
    assert other.status_code == 200


@pytest.mark.parametrize("maille", ["ressource"])
async def test_ressource_excluded_documents_binary_is_refused(
        client, biology, karim_token):
    excluded = biology["documents"][0]
    bearer = auth(biology["tokens"]["access_token"])
    url = (await client.get(f"/fhir/DocumentReference/{excluded}", headers=bearer)).json()[
        "content"][0]["attachment"]["url"]
    await client.patch(f"/grants/{biology['grant']['id']}", headers=auth(karim_token),
                       json={"exclude": [excluded]})
    response = await client.get(f"/fhir/Binary/{url.rsplit('/', 1)[1]}", headers=bearer)
    assert response.status_code == 403


@pytest.mark.parametrize("maille", ["ressource"])
async def test_ressource_window_filters_reads_and_searches(
        client, biology, karim_token, engine, patient_ids, stored_ids):
    url, headers = f"/grants/{biology['grant']['id']}", auth(karim_token)
    bearer = auth(biology["tokens"]["access_token"])
    window = await client.patch(url, headers=headers, json={
        "window": {"start": "2026-11-01", "end": "2026-11-15"}})
    assert window.status_code == 200
    assert window.json()["window"] == {"start": "2026-11-01T00:00:00Z",
                                       "end": "2026-11-16T00:00:00Z"}

    search = await client.get("/fhir/Observation",
                              params={"code": "http://loinc.org|29463-7", "_count": 100},
                              headers=bearer)
    dates = [datetime.fromisoformat(e["resource"]["effectiveDateTime"]).astimezone(UTC)
             for e in search.json()["entry"]]
    newest = stored_ids(patient_ids["diabetes"], "Observation", "body_weight")[0]
    outside = await client.get(f"/fhir/Observation/{newest}", headers=bearer)

    assert dates and search.json()["total"] == len(dates)
    assert all(datetime(2026, 11, 1, tzinfo=UTC) <= d < datetime(2026, 11, 16, tzinfo=UTC)
               for d in dates)
    assert outside.status_code == 403
    assert "hors de la période" in outside.json()["issue"][0]["diagnostics"]

    wider = await client.patch(url, headers=headers, json={
        "window": {"start": "2026-10-01", "end": "2026-11-15"}})
    assert wider.status_code == 400
    assert "reconnectez le service" in wider.json()["detail"]


@pytest.mark.parametrize("maille", ["ressource"])
async def test_ressource_exclusion_names_only_the_patients_documents(
        client, biology, karim_token, patient_ids, stored_ids):
    camilles = stored_ids(patient_ids["pregnancy"], "DocumentReference")[0]
    weight = stored_ids(patient_ids["diabetes"], "Observation", "body_weight")[0]
    response = await client.patch(f"/grants/{biology['grant']['id']}",
                                  headers=auth(karim_token),
                                  json={"exclude": [camilles, weight]})
    assert response.status_code == 422
    assert camilles in response.json()["detail"] and weight in response.json()["detail"]
