"""The services' own pages (/connect, /callback) and how an agent takes a denial."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from tests.simulation.helpers import JSON, admin, connect_service

SCALE = "pesee-claire"
WEIGHT_WRITE = "patient/Observation.c?code=http://loinc.org|29463-7"


@pytest.fixture
async def simulation(app):
    simulation = app.state.platform.simulation
    simulation.transport_factory = lambda: httpx.ASGITransport(app=app)
    yield simulation
    await simulation.stop()


async def test_connect_sends_the_browser_to_the_authorization_endpoint_with_pkce(
    client: httpx.AsyncClient, simulation,
) -> None:
    response = await client.get(f"/services/{SCALE}/connect")
    assert response.status_code == 302
    url = urlsplit(response.headers["location"])
    query = {k: v[0] for k, v in parse_qs(url.query).items()}
    assert url.path == "/oauth/authorize"
    assert query["client_id"] == SCALE and query["code_challenge_method"] == "S256"
    assert query["redirect_uri"] == f"http://localhost/services/{SCALE}/callback"
    assert query["aud"] == "http://localhost/fhir" and "offline_access" in query["scope"]


async def test_bad_callbacks_are_refused_in_words(client: httpx.AsyncClient, simulation) -> None:
    unknown = await client.get(f"/services/{SCALE}/callback", params={"code": "x",
                                                                       "state": "inventé"})
    assert unknown.status_code == 400 and "state inconnu" in unknown.text
    start = (await client.get(f"/services/{SCALE}/connect", headers=JSON)).json()
    state = parse_qs(urlsplit(start["authorize_url"]).query)["state"][0]
    forged = await client.get(f"/services/{SCALE}/callback", headers=JSON,
                              params={"code": "x", "state": state, "iss": "https://pirate"})
    assert forged.status_code == 400 and "RFC 9207" in forged.json()["detail"]
    replayed = await client.get(f"/services/{SCALE}/callback", headers=JSON,
                                params={"code": "x", "state": state, "iss": "http://localhost"})
    assert replayed.status_code == 400
    missing = await client.get("/services/balance-inconnue/connect", headers=JSON)
    assert missing.status_code == 404 and SCALE in missing.json()["detail"]


async def test_a_refusal_at_consent_connects_nothing(client: httpx.AsyncClient, simulation) -> None:
    start = (await client.get(f"/services/{SCALE}/connect", headers=JSON)).json()
    state = parse_qs(urlsplit(start["authorize_url"]).query)["state"][0]
    refused = await client.get(f"/services/{SCALE}/callback", headers=JSON,
                               params={"error": "access_denied", "state": state})
    assert refused.json()["status"] == "refused"
    assert simulation.agents == {}


async def test_a_denied_write_is_logged_and_the_agent_goes_on_with_its_schedule(
    client: httpx.AsyncClient, simulation, camille_token: str,
) -> None:
    await connect_service(client, SCALE, "camille.martin")
    grants = (await client.get("/grants", headers={"Authorization": f"Bearer {camille_token}"}
                               )).json()["grants"]
    narrowed = await client.patch(
        f"/grants/{grants[0]['id']}", headers={"Authorization": f"Bearer {camille_token}"},
        json={"remove": [{"data_class": "measures", "subtype": "body_weight",
                          "access": "write"}]})
    assert narrowed.status_code == 200, narrowed.text
    calls = (await admin(client, "POST", f"/services/{SCALE}/act"))["runs"][0]["calls"]
    outcomes = [(c["method"], c["outcome"]) for c in calls]
    assert outcomes[0] == ("POST", "denied")
    assert ("GET", "allowed") in outcomes
    agent = (await admin(client, "GET", "/connections"))["agents"][0]
    assert agent["status"] == "running" and agent["denied"] == 1


async def test_a_permission_the_patient_did_not_grant_is_never_asked_for(
    client: httpx.AsyncClient, simulation,
) -> None:
    answer = await connect_service(client, SCALE, "camille.martin", refuse=(WEIGHT_WRITE,))
    assert WEIGHT_WRITE not in answer["scope"]
    calls = (await admin(client, "POST", f"/services/{SCALE}/act"))["runs"][0]["calls"]
    assert calls[0]["outcome"] == "skipped" and calls[0]["status"] is None
    assert all(c["outcome"] == "allowed" for c in calls[1:])
