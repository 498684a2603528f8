"""`POST /admin/prepare`: one patient's starting state on a shared server — that patient's past
forgotten and data reseeded, services connected through the consent flow, everyone else
untouched — and every bad request refused before anything changes."""

from __future__ import annotations

import json

import httpx
import pytest
from sqlalchemy import Engine, func, select

from mock_server.app import create_app
from mock_server.storage.schema import events, exchanges, grants, resources, tokens
from tests.conftest import mint_patient_token
from tests.simulation.helpers import admin, agent_row, connect_service, wait_for

SCALE = "pesee-claire"
PREGNANCY = "grossesse-sereine"


def grant_rows(engine: Engine, patient_id: str) -> list[tuple]:
    with engine.connect() as conn:
        rows = conn.execute(select(grants.c.client_id, grants.c.status, grants.c.version,
                                   grants.c.maille, grants.c.duration, grants.c.permissions)
                            .where(grants.c.patient_id == patient_id)
                            .order_by(grants.c.client_id)).all()
    return [(r.client_id, r.status, r.version, r.maille, r.duration,
             sorted(map(tuple, json.loads(r.permissions)))) for r in rows]


def seed_data(engine: Engine, patient_id: str) -> dict[str, str]:
    """The patient's resources: id -> JSON."""
    with engine.connect() as conn:
        return dict(conn.execute(select(resources.c.id, resources.c.json)
                                 .where(resources.c.patient_id == patient_id)).all())


def count(engine: Engine, table, patient_id: str) -> int:
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(table)
                            .where(table.c.patient_id == patient_id)).scalar_one()


def logged(simulated, engine: Engine, patient_id: str) -> int:
    """The patient's exchanges, once the log has written what it holds."""
    simulated.hooks.flush()
    return count(engine, exchanges, patient_id)


async def test_prepare_connects_the_services_with_their_refusals_and_answers_who_and_when(
    client: httpx.AsyncClient, simulated, engine, patient_ids,
) -> None:
    answer = await admin(client, "POST", "/prepare", {"account": "camille.martin", "connections": [
        {"service": PREGNANCY, "refuse": ["measures/blood_pressure/read"], "duration": "1y"},
        {"service": SCALE}]})
    camille = patient_ids["pregnancy"]
    assert (answer["patient_id"], answer["patient"], answer["for"]) == (
        camille, "Camille Martin", None)
    assert [c["service"]["id"] for c in answer["connections"]] == [PREGNANCY, SCALE]
    assert answer["clock"]["now"] == "2026-11-26T09:30:00+00:00"
    assert answer["data"] == {"reseeded": True, "resources": len(seed_data(engine, camille))}
    by_client = {row[0]: row for row in grant_rows(engine, camille)}
    assert by_client[PREGNANCY][1] == "active" and by_client[PREGNANCY][4] == "1y"
    assert ("measures", "blood_pressure", "read") not in by_client[PREGNANCY][5]
    assert ("measures", "body_weight", "read") in by_client[PREGNANCY][5]
    assert by_client[SCALE][4] == "6m"
    agents = (await admin(client, "GET", "/connections"))["agents"]
    assert {(a["service_id"], a["patient_id"], a["status"]) for a in agents} == {
        (PREGNANCY, camille, "running"), (SCALE, camille, "running")}


async def test_a_whole_class_refused_with_a_star_switches_off_each_of_its_permissions(
    client: httpx.AsyncClient, simulated, engine, patient_ids,
) -> None:
    await admin(client, "POST", "/prepare", {"account": "camille.martin", "connections": [
        {"service": SCALE, "refuse": ["measures/*/read"]}]})
    [(_, status, _, _, _, permissions)] = grant_rows(engine, patient_ids["pregnancy"])
    assert status == "active" and permissions == [("measures", "body_weight", "write")]


async def test_prepare_forgets_the_patients_past_and_brings_the_seed_data_back(
    client: httpx.AsyncClient, simulated, engine, clock, patient_ids,
) -> None:
    camille = patient_ids["pregnancy"]
    seeded = seed_data(engine, camille)
    await connect_service(client, SCALE, "camille.martin")
    await admin(client, "POST", f"/services/{SCALE}/act", {"patient": "camille.martin"})
    await admin(client, "POST", "/clock", {"jump": "2d"})
    assert len(seed_data(engine, camille)) > len(seeded), "the scale wrote weights"
    assert logged(simulated, engine, camille) > 0

    app_session = mint_patient_token(engine, clock, "camille.martin")

    answer = await admin(client, "POST", "/prepare", {"account": "camille.martin"})

    assert answer["connections"] == [] and answer["forgotten"]["grants"] == 1
    assert answer["forgotten"]["exchanges"] > 0
    assert seed_data(engine, camille) == seeded, "the data are the seed's again, to the byte"
    assert grant_rows(engine, camille) == [] and logged(simulated, engine, camille) == 0
    with engine.connect() as conn:
        left = conn.execute(select(tokens.c.client_id).where(tokens.c.patient_id == camille))
        assert set(left.scalars()) == {"ens-consent-app"}, "only the app's own session is kept"
    seen = await client.get("/exchanges", headers={"Authorization": f"Bearer {app_session}"})
    assert seen.status_code == 200 and seen.json()["items"] == []
    assert (await admin(client, "GET", "/connections"))["agents"] == []


async def test_keep_data_forgets_what_services_did_but_not_what_they_wrote(
    client: httpx.AsyncClient, simulated, engine, patient_ids,
) -> None:
    camille = patient_ids["pregnancy"]
    await connect_service(client, SCALE, "camille.martin")
    await admin(client, "POST", f"/services/{SCALE}/act", {"patient": "camille.martin"})
    written = seed_data(engine, camille)

    answer = await admin(client, "POST", "/prepare",
                         {"account": "camille.martin", "keep_data": True})

    assert answer["data"] == {"reseeded": False, "resources": None}
    assert answer["forgotten"]["grants"] == 1
    assert seed_data(engine, camille) == written, "the weights written stay"
    assert grant_rows(engine, camille) == [] and logged(simulated, engine, camille) == 0
    assert (await admin(client, "GET", "/connections"))["agents"] == []


async def test_prepare_leaves_every_other_patient_as_it_was(
    client: httpx.AsyncClient, simulated, engine, patient_ids,
) -> None:
    karim = patient_ids["diabetes"]
    await connect_service(client, SCALE, "karim.benali")
    client.cookies.clear()
    await connect_service(client, SCALE, "camille.martin")
    await admin(client, "POST", f"/services/{SCALE}/act", {})
    logged(simulated, engine, karim)
    before = (grant_rows(engine, karim), seed_data(engine, karim),
              logged(simulated, engine, karim), count(engine, events, karim),
              count(engine, tokens, karim))

    await admin(client, "POST", "/prepare", {"account": "camille.martin"})

    after = (grant_rows(engine, karim), seed_data(engine, karim),
             logged(simulated, engine, karim), count(engine, events, karim),
             count(engine, tokens, karim))
    assert after == before
    connections = await admin(client, "GET", "/connections")
    assert [(a["patient_id"], a["status"]) for a in connections["agents"]] == [
        (karim, "running")]
    acted = await admin(client, "POST", f"/services/{SCALE}/act", {"patient": "karim.benali"})
    assert acted["runs"][0]["calls"][0]["outcome"] == "allowed"


async def test_preparing_twice_gives_the_same_state(
    client: httpx.AsyncClient, simulated, engine, patient_ids,
) -> None:
    camille = patient_ids["pregnancy"]
    body = {"account": "camille.martin", "connections": [
        {"service": PREGNANCY, "refuse": ["measures/blood_pressure/read"]}, {"service": SCALE}]}
    first = await admin(client, "POST", "/prepare", body)
    state = (grant_rows(engine, camille), seed_data(engine, camille))
    await admin(client, "POST", f"/services/{SCALE}/act", {})
    second = await admin(client, "POST", "/prepare", body)
    assert [c["scope"] for c in second["connections"]] == [c["scope"] for c in first["connections"]]
    assert (grant_rows(engine, camille), seed_data(engine, camille)) == state


async def test_a_representative_prepares_the_space_of_the_person_they_represent(
    client: httpx.AsyncClient, simulated, engine, patient_ids,
) -> None:
    answer = await admin(client, "POST", "/prepare", {
        "account": "sophie.dubois", "for": "child",
        "connections": [{"service": "souffle-junior"}]})
    leo = patient_ids["child"]
    assert (answer["patient_id"], answer["patient"], answer["for"]) == (leo, "Léo Dubois", "child")
    assert [row[0] for row in grant_rows(engine, leo)] == ["souffle-junior"]
    assert grant_rows(engine, patient_ids["parent"]) == []


async def test_new_events_of_a_prepared_patient_come_after_every_cursor_an_app_holds(
    client: httpx.AsyncClient, simulated, engine, camille_token: str,
) -> None:
    await connect_service(client, SCALE, "camille.martin")
    with engine.connect() as conn:
        cursor = conn.execute(select(func.max(events.c.id))).scalar_one()
    await admin(client, "POST", "/prepare", {"account": "camille.martin",
                                             "connections": [{"service": SCALE}]})
    told = await client.get("/events", params={"after": cursor},
                            headers={"Authorization": f"Bearer {camille_token}"})
    kinds = [event["kind"] for event in told.json()["items"]]
    assert "grant" in kinds, "the new connection's event lies beyond the app's cursor"
    every = await client.get("/events", headers={"Authorization": f"Bearer {camille_token}"})
    assert min(event["id"] for event in every.json()["items"]) > cursor


@pytest.mark.parametrize(("body", "status", "words"), [
    ({"account": "camille.dupont"}, 404, "comptes : camille.martin, jeanne.lefevre"),
    ({"account": "camille.martin", "for": "child"}, 422, "ne représente pas le patient"),
    ({"account": "sophie.dubois", "for": "parent"}, 422, "il représente : child"),
    ({"account": "camille.martin", "connections": [{"service": "balance-lunaire"}]}, 404,
     "Services : pesee-claire"),
    ({"account": "camille.martin", "connections": [{"service": "classeur-sante"}]}, 409,
     "catalogue"),
    ({"account": "camille.martin", "connections": [{"service": SCALE, "refuse": ["poids"]}]},
     422, "n'est pas une permission « classe/sous-type/accès »"),
    ({"account": "camille.martin", "connections": [
        {"service": SCALE, "refuse": ["measures/blood_pressure/read"]}]}, 422,
     "ne demande pas « measures/blood_pressure/read » : rien à refuser"),
    ({"account": "camille.martin", "connections": [
        {"service": SCALE, "refuse": ["documents/*/read"]}]}, 422,
     "ne demande aucune permission « documents/*/read »"),
    ({"account": "camille.martin", "connections": [
        {"service": SCALE, "refuse": ["measures/poids/read"]}]}, 422, "mesure « poids » inconnue"),
    ({"account": "camille.martin", "connections": [{"service": SCALE, "duration": "2y"}]}, 422,
     "durées : 1m, 6m, 1y, revocation"),
    ({"account": "camille.martin", "connections": [{"service": SCALE}, {"service": SCALE}]},
     422, "figure deux fois"),
    ({"account": "camille.martin", "connections": [{"service": SCALE, "durée": "6m"}]}, 422,
     "connections.0.durée : champ inconnu"),
    ({"account": "camille.martin", "connections": {"service": SCALE}}, 422,
     "connections : doit être une liste"),
    ({}, 422, "account : champ obligatoire absent"),
])
async def test_a_bad_preparation_is_refused_in_words_and_nothing_changes(
    client: httpx.AsyncClient, simulated, engine, patient_ids, body: dict, status: int,
    words: str,
) -> None:
    await connect_service(client, PREGNANCY, "camille.martin")
    before = grant_rows(engine, patient_ids["pregnancy"])
    refused = await admin(client, "POST", "/prepare", body, expect=status)
    assert words in refused["detail"]
    assert grant_rows(engine, patient_ids["pregnancy"]) == before
    agents = (await admin(client, "GET", "/connections"))["agents"]
    assert agent_row({"agents": agents}, PREGNANCY)["status"] == "running"


async def test_a_service_the_facilitator_suspended_cannot_be_connected_by_prepare(
    client: httpx.AsyncClient, simulated,
) -> None:
    await admin(client, "POST", f"/services/{SCALE}/suspend")
    refused = await admin(client, "POST", "/prepare", {"account": "camille.martin",
                                                       "connections": [{"service": SCALE}]},
                          expect=409)
    assert "suspendu" in refused["detail"] and f"/admin/services/{SCALE}/reinstate" in (
        refused["detail"])


@pytest.mark.parametrize(("method", "path"), [
    ("GET", "/admin/maille"), ("POST", "/admin/maille"), ("POST", "/admin/prepare"),
    ("GET", "/admin/participants"), ("POST", "/admin/participants"),
])
async def test_the_new_console_routes_refuse_a_patients_token_and_no_token(
    client: httpx.AsyncClient, engine, clock, method: str, path: str,
) -> None:
    patient = mint_patient_token(engine, clock, "camille.martin")
    assert (await client.request(method, path)).status_code == 401
    refused = await client.request(method, path, headers={"Authorization": f"Bearer {patient}"},
                                   json={"account": "camille.martin"})
    assert refused.status_code == 403 and "animateur" in refused.json()["detail"]


async def test_the_exchange_log_of_the_prepared_patient_restarts_empty(
    client: httpx.AsyncClient, simulated, engine, patient_ids,
) -> None:
    camille = patient_ids["pregnancy"]
    await admin(client, "POST", "/prepare", {"account": "camille.martin",
                                             "connections": [{"service": SCALE}]})

    async def imported() -> bool:
        return logged(simulated, engine, camille) > 0

    await wait_for(imported, what="the scale's first read")
    await admin(client, "POST", "/prepare", {"account": "camille.martin"})
    assert logged(simulated, engine, camille) == 0


async def test_data_the_server_cannot_draw_again_are_kept_as_they_are(
    settings, clock, patient_ids,
) -> None:
    """A database seeded under another seed than the server's: the patient's past is still
    forgotten, their data are kept (and the answer says so)."""
    other = create_app(settings.model_copy(update={"seed": 7}), clock=clock, wall_clock=clock)
    other.state.platform.simulation.transport_factory = lambda: httpx.ASGITransport(app=other)
    engine = other.state.platform.engine
    camille = patient_ids["pregnancy"]
    try:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=other),
                                     base_url="http://localhost") as client:
            await connect_service(client, SCALE, "camille.martin")
            await admin(client, "POST", f"/services/{SCALE}/act", {})
            written = seed_data(engine, camille)
            answer = await admin(client, "POST", "/prepare", {"account": "camille.martin"})
        assert answer["data"] == {"reseeded": False, "resources": None}
        assert answer["forgotten"]["grants"] == 1 and grant_rows(engine, camille) == []
        assert seed_data(engine, camille) == written
    finally:
        await other.state.platform.simulation.stop()
        engine.dispose()
