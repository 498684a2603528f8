"""The facilitator console API in process: who may call it, bad input, the clock, states,
authority actions, clients and connections."""

from __future__ import annotations

import httpx
import pytest
from sqlalchemy import select

from mock_server.storage.schema import grants
from tests.conftest import mint_patient_token
from tests.simulation.helpers import ADMIN, admin, connect_service, wait_for

SCALE = "pesee-claire"


@pytest.mark.parametrize(("method", "path"), [
    ("GET", "/admin/clock"), ("POST", "/admin/clock"), ("POST", "/admin/reset"),
    ("GET", "/admin/connections"), ("POST", f"/admin/services/{SCALE}/suspend"),
    ("POST", "/admin/clients"),
])
async def test_check_50_the_console_without_the_facilitator_token_is_401(
    client: httpx.AsyncClient, method: str, path: str,
) -> None:
    missing = await client.request(method, path)
    wrong = await client.request(method, path, headers={"Authorization": "Bearer pas-le-bon"})
    assert missing.status_code == wrong.status_code == 401
    assert "WWW-Authenticate" in missing.headers
    assert "animateur" in wrong.json()["detail"]


async def test_check_50_a_patients_or_a_services_token_is_403(
    client: httpx.AsyncClient, engine, clock, camille_token: str,
) -> None:
    service_token = mint_patient_token(engine, clock, "camille.martin", client_id=SCALE,
                                       scope="patient/Observation.rs")
    for token in (camille_token, service_token):
        response = await client.get("/admin/connections",
                                    headers={"Authorization": f"Bearer {token}"})
        assert response.status_code == 403
        assert "animateur" in response.json()["detail"]


async def test_unknown_service_state_and_patient_are_404_naming_the_valid_ones(
    client: httpx.AsyncClient, simulated,
) -> None:
    for path in ("/services/balance-inconnue/act", "/services/balance-inconnue/suspend"):
        detail = (await admin(client, "POST", path, {}, expect=404))["detail"]
        assert "balance-inconnue" in detail and SCALE in detail
    detail = (await admin(client, "POST", "/reset", {"state": "atelier-lune"}, expect=404))
    assert "atelier-grossesse" in detail["detail"] and "initial" in detail["detail"]
    detail = (await admin(client, "POST", f"/services/{SCALE}/act", {"patient": "x.y"},
                          expect=404))["detail"]
    assert "camille.martin" in detail


async def test_the_clock_pauses_resumes_and_changes_speed_and_tells_the_patients(
    client: httpx.AsyncClient, simulated, camille_token: str,
) -> None:
    shown = await admin(client, "GET", "/clock")
    assert shown["paused"] is True and shown["now"] == "2026-11-26T09:30:00+00:00"
    assert (await admin(client, "POST", "/clock", {"speed": 60}))["clock"]["speed"] == 60
    assert (await admin(client, "POST", "/clock", {"pause": True}))["clock"]["paused"] is True
    resumed = await admin(client, "POST", "/clock", {"resume": True})
    assert resumed["clock"]["speed"] == 60
    told = (await client.get("/events", params={"kind": "clock"},
                             headers={"Authorization": f"Bearer {camille_token}"})).json()
    assert [e["change"] for e in told["items"]] == ["speed", "pause", "resume"]
    assert "horloge" in told["items"][0]["message"]


@pytest.mark.parametrize(("body", "status", "words"), [
    ({"to": "2026-11-20T09:00:00Z"}, 409, "ne fait qu'avancer"),
    ({"jump": "32d"}, 422, "maximum"),
    ({"jump": "P40D"}, 422, "maximum"),
    ({"jump": "bientôt"}, 422, "n'est pas une durée"),
    ({"jump": "-2d"}, 422, "n'est pas une durée"),
    ({"speed": 0}, 422, "speed"),
    ({"speed": 100000}, 422, "speed"),
    ({"speed": 60, "jump": "1d"}, 422, "exactement un changement"),
    ({}, 422, "exactement un changement"),
    ({"to": "2026-12-01T09:00:00"}, 422, "fuseau"),
    ({"jump": "1d", "avance": True}, 422, "champ inconnu"),
])
async def test_bad_clock_changes_are_refused_in_words_and_nothing_moves(
    client: httpx.AsyncClient, simulated, body: dict, status: int, words: str,
) -> None:
    refused = await admin(client, "POST", "/clock", body, expect=status)
    assert words in refused["detail"]
    assert (await admin(client, "GET", "/clock"))["now"] == "2026-11-26T09:30:00+00:00"


async def test_a_body_that_is_not_json_is_400(client: httpx.AsyncClient, simulated) -> None:
    response = await client.post("/admin/clock", content=b"{pas du json", headers=ADMIN)
    assert response.status_code == 400 and "JSON" in response.json()["detail"]


async def test_a_jump_that_would_run_too_many_actions_is_refused_whole(
    client: httpx.AsyncClient, simulated, monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr("mock_server.admin.routes.MAX_JUMP_ACTIONS", 3)
    await connect_service(client, SCALE, "camille.martin")

    async def imported() -> bool:
        return (await admin(client, "GET", "/connections"))["agents"][0]["requests"] == 1

    await wait_for(imported, what="the scale's import read")
    refused = await admin(client, "POST", "/clock", {"jump": "7d"}, expect=422)
    assert "au plus 3" in refused["detail"]
    assert (await admin(client, "GET", "/clock"))["now"] == "2026-11-26T09:30:00+00:00"
    assert (await admin(client, "POST", "/clock", {"jump": "1d"}))["jump"]["occurrences"] == 1


async def test_a_jump_to_a_later_moment_lands_there(client: httpx.AsyncClient, simulated) -> None:
    moved = await admin(client, "POST", "/clock", {"to": "2026-11-27T12:00:00+01:00"})
    assert moved["clock"]["now"] == "2026-11-27T11:00:00+00:00"
    assert moved["jump"]["span"] == "1 jour 1 h 30 min"


async def test_acting_for_a_service_connected_to_nobody_is_409(
    client: httpx.AsyncClient, simulated,
) -> None:
    detail = (await admin(client, "POST", f"/services/{SCALE}/act", {}, expect=409))["detail"]
    assert "n'est connecté à aucun patient" in detail


async def test_suspending_twice_and_reinstating_what_is_not_suspended_are_409(
    client: httpx.AsyncClient, simulated,
) -> None:
    await admin(client, "POST", f"/services/{SCALE}/reinstate", expect=409)
    await admin(client, "POST", f"/services/{SCALE}/suspend")
    await admin(client, "POST", f"/services/{SCALE}/suspend", expect=409)
    catalogue = await admin(client, "POST", "/services/classeur-sante/reinstate", expect=409)
    assert "catalogue" in catalogue["detail"]
    services = {s["id"]: s for s in (await admin(client, "GET", "/services"))["services"]}
    assert services[SCALE]["suspended"] and services["classeur-sante"]["suspended"]
    connect = await client.get(f"/services/{SCALE}/connect", headers={"Accept":
                                                                       "application/json"})
    assert connect.status_code == 403 and "suspendu" in connect.json()["detail"]


async def test_reset_initial_forgets_every_connection_and_reseeds(
    client: httpx.AsyncClient, simulated, engine,
) -> None:
    await connect_service(client, SCALE, "camille.martin")
    assert len((await admin(client, "GET", "/connections"))["agents"]) == 1
    reset = await admin(client, "POST", "/reset", {"state": "initial"})
    assert reset["connections"] == [] and reset["resources"] > 3000
    assert (await admin(client, "GET", "/connections"))["agents"] == []
    with engine.connect() as conn:
        assert conn.execute(select(grants)).all() == []
    names = [s["name"] for s in (await admin(client, "GET", "/states"))["states"]]
    assert names[0] == "initial" and "atelier-grossesse" in names


async def test_registering_an_outside_client_gives_its_id_and_secret(
    client: httpx.AsyncClient, simulated,
) -> None:
    body = {"client_name": "Appli du testeur", "redirect_uris": ["https://testeur.example.fr/cb"]}
    info = await admin(client, "POST", "/clients", body, expect=201)
    assert info["client_id"].startswith("outside-") and info["client_secret"]
    bad = {"client_name": "X", "redirect_uris": ["http://ailleurs.example.fr/cb"]}
    refused = await admin(client, "POST", "/clients", bad, expect=400)
    assert "http n'est permis" in refused["detail"]


async def test_connections_list_patients_apps_and_agents(
    client: httpx.AsyncClient, simulated, camille_token: str,
) -> None:
    await connect_service(client, SCALE, "camille.martin")
    seen = await admin(client, "GET", "/connections")
    camille = next(p for p in seen["patients"] if p["username"] == "camille.martin")
    assert camille["app_tokens"] == 1 and camille["event_streams"] == 0
    [agent] = seen["agents"]
    assert (agent["service_id"], agent["patient"], agent["status"]) == (
        SCALE, "Camille Martin", "running")
