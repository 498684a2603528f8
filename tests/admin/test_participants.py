"""`/admin/participants`: copies of a persona, each a patient of its own with a valid test INS,
that sign in through the normal login and can be prepared like any patient."""

from __future__ import annotations

import json
from collections import Counter

import httpx
import pytest
from sqlalchemy import Engine, select

from mock_server.oauth.clients import APP_CLIENT_ID, APP_SCOPE
from mock_server.storage.schema import grants, patients, resources
from tests.oauth.flows import (
    APP_CALLBACK,
    PASSWORD,
    authorization_params,
    authorize_app,
    make_pkce,
    redirect_params,
)
from tests.simulation.helpers import JSON, admin, connect_service

SCALE = "pesee-claire"


def data_kinds(engine: Engine, patient_id: str) -> tuple[Counter, set[str]]:
    """How many resources of each type, the measure and document subtypes, and their ids."""
    with engine.connect() as conn:
        rows = conn.execute(select(resources.c.id, resources.c.resource_type,
                                   resources.c.subtype)
                            .where(resources.c.patient_id == patient_id)).all()
    return Counter((r.resource_type, r.subtype) for r in rows), {r.id for r in rows}


def patient_row(engine: Engine, patient_id: str):
    with engine.connect() as conn:
        return conn.execute(select(patients).where(patients.c.id == patient_id)).one()


async def test_copies_of_a_persona_live_its_story_under_a_new_id_and_a_valid_unique_ins(
    client: httpx.AsyncClient, engine, patient_ids,
) -> None:
    added = (await admin(client, "POST", "/participants",
                         {"persona": "camille.martin", "count": 3}, expect=201))["participants"]
    assert [p["username"] for p in added] == [f"camille.martin.{n}" for n in (2, 3, 4)]
    assert {(p["name"], p["password"], p["persona"], p["copy_of"]) for p in added} == {
        ("Camille Martin", PASSWORD, "pregnancy", "camille.martin")}
    original = patient_ids["pregnancy"]
    kinds, ids = data_kinds(engine, original)
    with engine.connect() as conn:
        every_ins = [row.ins_nir + row.ins_key for row in conn.execute(select(patients))]
    assert len(set(every_ins)) == len(every_ins) == 6 + 3
    for participant in added:
        row = patient_row(engine, participant["patient_id"])
        assert row.ins_key == f"{97 - int(row.ins_nir) % 97:02d}" and len(row.ins_nir) == 13
        assert row.ins_nir[:5] == "29403", "sex and birth month of the persona"
        resource = json.loads(row.json)
        assert resource["identifier"][0]["value"] == row.ins_nir + row.ins_key
        copy_kinds, copy_ids = data_kinds(engine, participant["patient_id"])
        assert set(copy_kinds) == set(kinds), "the same kinds of measures, documents, visits"
        assert not copy_ids & ids
    assert len({p["patient_id"] for p in added} | {original}) == 4


async def test_a_representative_is_copied_with_the_person_they_represent(
    client: httpx.AsyncClient, simulated, engine, patient_ids,
) -> None:
    [sophie] = (await admin(client, "POST", "/participants",
                            {"persona": "sophie.dubois"}, expect=201))["participants"]
    [leo] = sophie["represents"]
    assert (sophie["username"], leo["name"], leo["for"]) == ("sophie.dubois.2", "Léo Dubois",
                                                            "child")
    assert leo["patient_id"] != patient_ids["child"]
    contact = json.loads(patient_row(engine, leo["patient_id"]).json)["contact"][0]
    assert contact["name"] == {"family": "Dubois", "given": ["Sophie"]}
    prepared = await admin(client, "POST", "/prepare", {
        "account": "sophie.dubois.2", "for": "child",
        "connections": [{"service": "souffle-junior"}]})
    assert prepared["patient_id"] == leo["patient_id"]
    with engine.connect() as conn:
        granted = conn.execute(select(grants.c.patient_id)).scalars().all()
    assert granted == [leo["patient_id"]], "the seed's Léo is not touched"


async def test_a_copy_logs_in_through_the_html_and_the_json_login_and_connects_a_service(
    client: httpx.AsyncClient, simulated, engine,
) -> None:
    [copy] = (await admin(client, "POST", "/participants", {"persona": "karim.benali"},
                          expect=201))["participants"]
    tokens = await authorize_app(client, copy["username"])
    assert tokens["patient"] == copy["patient_id"]
    client.cookies.clear()
    params = authorization_params(client, client_id=APP_CLIENT_ID, redirect_uri=APP_CALLBACK,
                                  scope=APP_SCOPE, pkce=make_pkce())
    start = await client.get("/oauth/authorize", headers=JSON, params=params)
    step = await client.post("/oauth/authorize", headers=JSON, json={
        "csrf": start.json()["csrf"], "username": copy["username"], "password": PASSWORD})
    assert step.status_code == 200 and step.json()["step"] == "done", step.text
    assert "code" in redirect_params(step.json()["redirect_to"])
    client.cookies.clear()
    connected = await connect_service(client, SCALE, copy["username"])
    assert connected["patient_id"] == copy["patient_id"]
    acted = await admin(client, "POST", f"/services/{SCALE}/act", {"patient": copy["username"]})
    assert acted["runs"][0]["calls"][0]["outcome"] == "allowed"


async def test_preparing_a_copy_brings_back_the_data_it_was_created_with(
    client: httpx.AsyncClient, simulated, engine,
) -> None:
    [copy] = (await admin(client, "POST", "/participants", {"persona": "camille.martin"},
                          expect=201))["participants"]
    created = data_kinds(engine, copy["patient_id"])
    await connect_service(client, SCALE, copy["username"])
    await admin(client, "POST", f"/services/{SCALE}/act", {})
    assert data_kinds(engine, copy["patient_id"]) != created
    prepared = await admin(client, "POST", "/prepare", {"account": copy["username"]})
    assert prepared["data"]["reseeded"] is True
    assert data_kinds(engine, copy["patient_id"]) == created


async def test_numbers_go_on_and_the_list_shows_personas_then_their_copies(
    client: httpx.AsyncClient,
) -> None:
    await admin(client, "POST", "/participants", {"persona": "jeanne.lefevre", "count": 9},
                expect=201)
    [tenth] = (await admin(client, "POST", "/participants", {"persona": "jeanne.lefevre"},
                           expect=201))["participants"]
    assert tenth["username"] == "jeanne.lefevre.11"
    listed = (await admin(client, "GET", "/participants"))["participants"]
    names = [p["username"] for p in listed]
    jeanne = names.index("jeanne.lefevre")
    assert names[jeanne:jeanne + 11] == ["jeanne.lefevre", *(f"jeanne.lefevre.{n}"
                                                             for n in range(2, 12))]
    assert "camille.martin" in names and len(names) == 5 + 10
    sophie = next(p for p in listed if p["username"] == "sophie.dubois")
    assert sophie["copy_of"] is None and sophie["represents"][0]["for"] == "child"


async def test_a_global_reset_drops_the_copies(client: httpx.AsyncClient, simulated) -> None:
    await admin(client, "POST", "/participants", {"persona": "thomas.girard", "count": 2},
                expect=201)
    await admin(client, "POST", "/reset", {"state": "initial"})
    listed = (await admin(client, "GET", "/participants"))["participants"]
    assert sorted(p["username"] for p in listed) == [
        "camille.martin", "jeanne.lefevre", "karim.benali", "sophie.dubois", "thomas.girard"]


@pytest.mark.parametrize(("body", "status", "words"), [
    ({"persona": "leo.dubois"}, 404, "personas : camille.martin, karim.benali"),
    ({"persona": "camille.martin.2"}, 404, "Aucun persona « camille.martin.2 »"),
    ({"persona": "camille.martin", "count": 31}, 422, "entre 1 et 30 participants par appel"),
    ({"persona": "camille.martin", "count": 0}, 422, "entre 1 et 30"),
    ({"persona": "camille.martin", "count": "trois"}, 422, "count : doit être un nombre entier"),
    ({"count": 2}, 422, "persona : champ obligatoire absent"),
])
async def test_bad_participant_requests_are_refused_in_words_and_add_no_one(
    client: httpx.AsyncClient, body: dict, status: int, words: str,
) -> None:
    refused = await admin(client, "POST", "/participants", body, expect=status)
    assert words in refused["detail"]
    assert len((await admin(client, "GET", "/participants"))["participants"]) == 5
