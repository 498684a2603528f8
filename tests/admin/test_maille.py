"""`/admin/maille`: the consent granularity changes while the server runs, for the next consent
dialog, and grants already given keep theirs."""

from __future__ import annotations

import httpx
import pytest
from sqlalchemy import select

from mock_server.settings import Settings
from mock_server.storage.schema import grants
from tests.oauth.flows import PASSWORD
from tests.simulation.helpers import JSON, admin, connect_service

SCALE = "pesee-claire"


async def consent_step(client: httpx.AsyncClient, service_id: str, username: str) -> dict:
    """The consent step the patient reaches when connecting `service_id` (JSON variant)."""
    start = await client.get(f"/services/{service_id}/connect", headers=JSON)
    step = (await client.get(start.json()["authorize_url"], headers=JSON)).json()
    answer = await client.post("/oauth/authorize", headers=JSON, json={
        "csrf": step["csrf"], "username": username, "password": PASSWORD})
    return answer.json()


async def test_the_maille_is_type_by_default_and_a_change_reaches_the_next_consent_dialog(
    client: httpx.AsyncClient, simulated, settings: Settings,
) -> None:
    assert await admin(client, "GET", "/maille") == {"maille": "type"}
    before = await consent_step(client, SCALE, "camille.martin")
    assert before["maille"] == "type" and before["groups"] is None
    changed = await admin(client, "POST", "/maille", {"maille": "categorie"})
    assert changed == {"maille": "categorie", "previous": "type"}
    assert await admin(client, "GET", "/maille") == {"maille": "categorie"}
    client.cookies.clear()
    after = await consent_step(client, SCALE, "camille.martin")
    assert after["step"] == "consent" and after["maille"] == "categorie"
    assert [group["label"] for group in after["groups"]]
    assert settings.maille == "type", "the settings object given to the app is not changed"


async def test_grants_given_before_a_change_keep_the_maille_they_were_given_under(
    client: httpx.AsyncClient, simulated, engine,
) -> None:
    await connect_service(client, SCALE, "camille.martin")
    await admin(client, "POST", "/maille", {"maille": "ressource"})
    client.cookies.clear()
    await connect_service(client, SCALE, "karim.benali")
    with engine.connect() as conn:
        given = dict(conn.execute(select(grants.c.patient_id, grants.c.maille)).all())
    assert sorted(given.values()) == ["ressource", "type"]


@pytest.mark.parametrize("body", [{"maille": "fine"}, {"maille": 3}, {"maille": "Type"}, {}])
async def test_a_maille_other_than_the_three_is_refused_listing_them(
    client: httpx.AsyncClient, body: dict,
) -> None:
    refused = await admin(client, "POST", "/maille", body, expect=422)
    if body:
        assert "categorie, type, ressource" in refused["detail"]
    else:
        assert "maille : champ obligatoire absent" in refused["detail"]
    assert await admin(client, "GET", "/maille") == {"maille": "type"}
