"""Single sign-on across authorization requests of one user agent, on real (wall-clock) time.

The patient app logs in once; connecting a service afterwards goes straight to the consent page,
and a parent switches space without typing the password again.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx
import pytest

from mock_server.app import create_app
from mock_server.oauth.clients import APP_CLIENT_ID, APP_SCOPE
from mock_server.simulation.clock import Clock
from tests.conftest import BASE_URL, FROZEN_NOW
from tests.oauth.flows import (
    APP_CALLBACK,
    authorization_params,
    authorize_app,
    make_pkce,
    read_form,
    redirect_params,
    register_outside_client,
    start,
)

JSON = {"Accept": "application/json"}


def app_request(client: httpx.AsyncClient, **extra: str) -> dict[str, str]:
    return authorization_params(client, client_id=APP_CLIENT_ID, redirect_uri=APP_CALLBACK,
                                scope=APP_SCOPE, pkce=make_pkce(), **extra)


async def test_after_login_a_service_authorization_starts_at_the_consent_page(client):
    await authorize_app(client, "karim.benali")
    registration = await register_outside_client(client)
    params = authorization_params(client, client_id=registration["client_id"],
                                  redirect_uri=registration["redirect_uris"][0],
                                  scope="openid patient/Observation.rs", pkce=make_pkce())
    page = await client.get("/oauth/authorize", params=params, headers=JSON)
    assert page.status_code == 200
    assert page.json()["step"] == "consent"
    assert page.json()["acting_for"] is None  # Karim acts for himself


async def test_a_parent_acting_for_the_child_connects_a_service_for_the_child(
        client, patient_ids):
    await authorize_app(client, "sophie.dubois", patient_id=patient_ids["child"])
    registration = await register_outside_client(client)
    params = authorization_params(client, client_id=registration["client_id"],
                                  redirect_uri=registration["redirect_uris"][0],
                                  scope="openid patient/Observation.rs", pkce=make_pkce())
    page = await client.get("/oauth/authorize", params=params, headers=JSON)
    assert page.json()["step"] == "consent"
    assert page.json()["acting_for"]["name"] == "Léo Dubois"


async def test_the_app_authorizing_again_gets_its_code_at_once(client):
    await authorize_app(client, "karim.benali")
    page = await start(client, app_request(client))
    assert page.status_code == 302
    assert "code" in redirect_params(page.headers["location"])


async def test_prompt_login_asks_the_password_again(client):
    await authorize_app(client, "karim.benali")
    page = await client.get("/oauth/authorize", params=app_request(client, prompt="login"),
                            headers=JSON)
    assert page.json()["step"] == "login"


async def test_a_parent_switches_space_with_select_account_and_no_password(
        client, patient_ids):
    await authorize_app(client, "sophie.dubois", patient_id=patient_ids["parent"])
    page = await client.get("/oauth/authorize",
                            params=app_request(client, prompt="select_account"), headers=JSON)
    assert page.json()["step"] == "choose_patient"
    chosen = await client.post("/oauth/authorize", headers=JSON, json={
        "csrf": page.json()["csrf"], "patient_id": patient_ids["child"]})
    assert chosen.json()["step"] == "done"


async def test_a_step_posted_after_its_request_was_answered_is_refused(client):
    page = await start(client, app_request(client))
    csrf = read_form(page.text).csrf
    await client.post("/oauth/authorize", data={"csrf": csrf, "username": "karim.benali",
                                                "password": "demo2026"})
    replay = await client.post("/oauth/authorize", headers=JSON, json={
        "csrf": csrf, "username": "karim.benali", "password": "demo2026"})
    assert replay.status_code == 403
    assert replay.json()["error"] == "session_expired"


@pytest.fixture
async def fast_clock_client(settings):
    """The real split: a simulated clock that jumps, a wall clock that does not."""
    clock = Clock.frozen(FROZEN_NOW)
    wall = Clock.frozen(datetime(2026, 1, 1, tzinfo=UTC))
    app = create_app(settings, clock=clock, wall_clock=wall)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app),
                                 base_url=BASE_URL) as c:
        yield c, clock, wall
    app.state.platform.engine.dispose()


async def test_a_week_jump_of_the_simulated_clock_keeps_the_login_page_alive(
        fast_clock_client, settings):
    client, clock, wall = fast_clock_client
    page = await start(client, app_request(client))
    clock.advance(timedelta(days=7))
    logged = await client.post("/oauth/authorize", data={
        "csrf": read_form(page.text).csrf, "username": "karim.benali", "password": "demo2026"})
    assert logged.status_code == 302

    page = await start(client, app_request(client, prompt="login"))
    wall.advance(timedelta(seconds=settings.login_session_ttl + 1))
    stale = await client.post("/oauth/authorize", headers=JSON, json={
        "csrf": read_form(page.text).csrf, "username": "karim.benali", "password": "demo2026"})
    assert stale.json()["error"] == "session_expired"
