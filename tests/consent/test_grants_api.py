"""`/grants`: the patient's app lists, reads, narrows, re-times and revokes grants."""

from __future__ import annotations

from datetime import timedelta

import pytest

from mock_server.catalog import load_catalog
from tests.conftest import mint_patient_token
from tests.consent.conftest import (
    GLUCOSE_READ,
    GLUCOSE_WRITE,
    GLYCO,
    WEIGHT_READ,
    auth,
    permission,
)
from tests.oauth.flows import exchange_code, refresh


def _problem(response, status: int, *words: str) -> dict:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    for word in words:
        assert word in body["detail"]
    return body


@pytest.fixture
async def glyco(connect, karim_token, grant_of) -> dict:
    """Karim connected Glyco Pilote with everything it asks; returns tokens and the grant."""
    tokens = await connect(GLYCO, "karim.benali")
    return {"tokens": tokens, "grant": await grant_of(karim_token, GLYCO)}


async def test_list_shows_the_service_permissions_in_words_and_validity(
        client, glyco, karim_token):
    response = await client.get("/grants", headers=auth(karim_token))
    [grant] = response.json()["grants"]
    assert grant["service"] == {"id": GLYCO, "name": load_catalog().get(GLYCO).name,
                                "kind": "service"}
    assert grant["status"] == "active" and grant["version"] == 1
    assert grant["valid_from"] == "2026-11-26T09:30:00Z"
    assert grant["valid_until"] == "2027-05-26T09:30:00Z"
    assert grant["duration"] == "6m" and grant["include_earlier"] is True
    assert grant["maille"] == "type" and grant["excluded"] == [] and grant["window"] is None
    sentences = {p["sentence"] for p in grant["permissions"]}
    assert "Lire vos mesures de glycémie" in sentences
    assert {p["scope"] for p in grant["permissions"]} >= {GLUCOSE_READ, GLUCOSE_WRITE,
                                                          WEIGHT_READ}


async def test_every_change_is_a_version_with_actor_snapshot_and_event(
        client, glyco, karim_token, patient_ids, grant_events):
    url, headers = f"/grants/{glyco['grant']['id']}", auth(karim_token)
    await client.patch(url, headers=headers,
                       json={"remove": [permission("measures", "glucose", "write")]})
    await client.patch(url, headers=headers, json={"duration": "1y"})
    await client.post(f"{url}/revoke", headers=headers)

    history = (await client.get(url, headers=headers)).json()["history"]

    assert [(v["version"], v["change"], v["actor"]) for v in history] == [
        (1, "created", "karim.benali"), (2, "narrowed", "karim.benali"),
        (3, "duration_changed", "karim.benali"), (4, "revoked", "karim.benali")]
    assert ["measures", "glucose", "write"] in history[0]["snapshot"]["permissions"]
    assert ["measures", "glucose", "write"] not in history[1]["snapshot"]["permissions"]
    assert history[2]["snapshot"]["valid_until"] == "2027-11-26T09:30:00Z"
    assert history[3]["snapshot"]["status"] == "revoked"
    assert [e["change"] for e in grant_events(patient_ids["diabetes"])] == [
        "created", "narrowed", "duration_changed", "revoked"]


async def test_valid_until_sets_an_explicit_end_and_a_past_date_is_422(
        client, glyco, karim_token):
    url, headers = f"/grants/{glyco['grant']['id']}", auth(karim_token)
    shorter = await client.patch(url, headers=headers, json={"valid_until": "2026-12-24"})
    past = await client.patch(url, headers=headers, json={"valid_until": "2026-11-01"})

    assert shorter.status_code == 200
    assert shorter.json()["valid_until"] == "2026-12-25T00:00:00Z"  # the whole 24th included
    assert shorter.json()["duration"] is None
    _problem(past, 422, "dans le futur")
    assert (await client.get(url, headers=headers)).json()["version"] == 2


async def test_check_33_revoking_makes_the_very_next_fhir_call_401(
        client, glyco, karim_token, engine, clock):
    bearer = auth(glyco["tokens"]["access_token"])
    assert (await client.get("/fhir/Observation", headers=bearer)).status_code == 200

    revoked = await client.post(f"/grants/{glyco['grant']['id']}/revoke",
                                headers=auth(karim_token))

    assert revoked.status_code == 200 and revoked.json()["status"] == "revoked"
    response = await client.get("/fhir/Observation", headers=bearer)
    assert response.status_code == 401
    assert "invalid_token" in response.headers["www-authenticate"]


async def test_check_30_refresh_after_the_patient_revoked_is_invalid_grant(
        client, glyco, karim_token, service_registration):
    await client.post(f"/grants/{glyco['grant']['id']}/revoke", headers=auth(karim_token))
    response = await refresh(client, glyco["tokens"]["refresh_token"], client_id=GLYCO,
                             client_secret=service_registration(GLYCO)["client_secret"])
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_grant"


async def test_revoking_twice_changes_nothing_more(client, glyco, karim_token):
    url = f"/grants/{glyco['grant']['id']}/revoke"
    first = await client.post(url, headers=auth(karim_token))
    second = await client.post(url, headers=auth(karim_token))
    assert first.json() == second.json()


async def test_removing_every_permission_revokes_the_grant(client, connect, karim_token,
                                                           grant_of):
    tokens = await connect(GLYCO, "karim.benali", grant=[WEIGHT_READ])
    grant = await grant_of(karim_token, GLYCO)
    response = await client.patch(f"/grants/{grant['id']}", headers=auth(karim_token),
                                  json={"remove": [permission("measures", "body_weight",
                                                              "read")]})
    assert response.json()["status"] == "revoked"
    assert response.json()["permissions"] == []
    fhir = await client.get("/fhir/Observation", headers=auth(tokens["access_token"]))
    assert fhir.status_code == 401


async def test_reconnecting_after_a_revocation_is_a_new_consent(
        client, connect, glyco, karim_token, versions):
    await client.post(f"/grants/{glyco['grant']['id']}/revoke", headers=auth(karim_token))
    tokens = await connect(GLYCO, "karim.benali", grant=[WEIGHT_READ])
    assert (await client.get("/fhir/Observation",
                             headers=auth(tokens["access_token"]))).status_code == 200
    assert [v.change for v in versions(glyco["grant"]["id"])] == [
        "created", "revoked", "reconnected"]


async def test_widening_through_patch_is_refused_with_the_way_to_do_it(
        client, glyco, karim_token):
    response = await client.patch(f"/grants/{glyco['grant']['id']}", headers=auth(karim_token),
                                  json={"add": [permission("agenda", "all", "read")]})
    _problem(response, 400, "reconnectez le service")


@pytest.mark.parametrize(("body", "status", "words"), [
    (b"{not json", 400, ("JSON valide",)),
    (b"[]", 422, ("objet JSON",)),
    (b'{"colour": "blue"}', 422, ("colour", "Champs possibles")),
    (b"{}", 422, ("une et une seule",)),
    (b'{"duration": "2y"}', 422, ("1m, 6m, 1y, revocation",)),
    (b'{"duration": "1m", "remove": []}', 422, ("une et une seule",)),
    (b'{"remove": []}', 422, ("liste non vide",)),
    (b'{"remove": [{"data_class": "blood", "subtype": "all", "access": "read"}]}', 422,
     ("remove[0].data_class", "blood")),
    (b'{"remove": [{"data_class": "measures", "subtype": "sugar", "access": "read"}]}', 422,
     ("sugar",)),
    (b'{"remove": [{"data_class": "agenda", "subtype": "all", "access": "read"}]}', 422,
     ("ne font pas partie", "Lire votre agenda")),
    (b'{"valid_until": "demain"}', 422, ("valid_until", "date invalide")),
    (b'{"exclude": ["x"]}', 409, ("ressource",)),
    (b'{"window": {"start": "2026-01-01", "end": "2026-06-30"}}', 409, ("ressource",)),
])
async def test_bad_bodies_get_a_reason_and_write_nothing(
        client, glyco, karim_token, body, status, words):
    url = f"/grants/{glyco['grant']['id']}"
    response = await client.patch(url, headers={**auth(karim_token),
                                                "Content-Type": "application/json"},
                                  content=body)
    _problem(response, status, *words)
    assert (await client.get(url, headers=auth(karim_token))).json()["version"] == 1


async def test_changing_a_revoked_grant_is_409(client, glyco, karim_token):
    url = f"/grants/{glyco['grant']['id']}"
    await client.post(f"{url}/revoke", headers=auth(karim_token))
    response = await client.patch(url, headers=auth(karim_token), json={"duration": "1y"})
    _problem(response, 409, "reconnectez le service")


async def test_a_grant_past_its_end_is_shown_expired(client, glyco, karim_token, engine, clock):
    url = f"/grants/{glyco['grant']['id']}"
    await client.patch(url, headers=auth(karim_token), json={"duration": "1m"})
    clock.advance(timedelta(days=31))
    token = mint_patient_token(engine, clock, "karim.benali")  # the first one has expired
    grant = (await client.get(url, headers=auth(token))).json()
    assert grant["status"] == "expired"
    assert grant["history"][-1]["change"] == "expired"
    _problem(await client.patch(url, headers=auth(token), json={"duration": "1y"}), 409,
             "a expiré")


async def test_another_patients_grant_or_an_unknown_id_is_404(
        client, glyco, camille_token):
    other = await client.get(f"/grants/{glyco['grant']['id']}", headers=auth(camille_token))
    revoke = await client.post(f"/grants/{glyco['grant']['id']}/revoke",
                               headers=auth(camille_token))
    unknown = await client.patch("/grants/nope", headers=auth(camille_token),
                                 json={"duration": "1m"})
    for response in (other, revoke, unknown):
        _problem(response, 404, "Aucune de vos autorisations")
    assert (await client.get("/grants", headers=auth(camille_token))).json() == {"grants": []}


async def test_check_50_a_service_token_cannot_use_the_grants_api(client, glyco):
    bearer = auth(glyco["tokens"]["access_token"])
    listed = await client.get("/grants", headers=bearer)
    revoked = await client.post(f"/grants/{glyco['grant']['id']}/revoke", headers=bearer)
    _problem(listed, 403, "Seule l'application Mon espace santé")
    _problem(revoked, 403)
    assert (await client.get("/fhir/Observation", headers=bearer)).status_code == 200


async def test_no_token_is_401(client):
    response = await client.get("/grants")
    _problem(response, 401)


async def test_a_representative_manages_the_childs_grants(
        client, connect, engine, clock, patient_ids):
    await connect("pedia-visio", "sophie.dubois", patient_id=patient_ids["child"])
    for_child = mint_patient_token(engine, clock, "sophie.dubois",
                                   patient_id=patient_ids["child"])
    own = mint_patient_token(engine, clock, "sophie.dubois")

    [grant] = (await client.get("/grants", headers=auth(for_child))).json()["grants"]
    assert grant["service"]["id"] == "pedia-visio"
    assert (await client.get("/grants", headers=auth(own))).json() == {"grants": []}


async def test_a_code_exchanged_after_the_patient_revoked_gives_no_token(
        client, service_code, karim_token, grant_of, service_registration):
    result = await service_code(GLYCO, "karim.benali")
    grant = await grant_of(karim_token, GLYCO)
    await client.post(f"/grants/{grant['id']}/revoke", headers=auth(karim_token))

    response = await exchange_code(
        client, result.code, pkce=result.pkce, client_id=GLYCO,
        client_secret=service_registration(GLYCO)["client_secret"],
        redirect_uri=result.redirect_uri,
    )

    assert response.status_code == 400
    assert response.json()["error"] == "invalid_grant"
    assert "retire son autorisation" in response.json()["error_description"]
