"""The client layer alone (no Textual): login, refresh with rotation, spaces, token stores,
writes that the platform accepts, errors in precise types."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from datetime import timedelta
from urllib.parse import parse_qs

import httpx
import keyring
import pytest
from keyring.backends import fail, null

from ens_consent_tui.client import (
    AccessTokenRefused,
    EnsClient,
    KeyringTokenStore,
    MemoryTokenStore,
    NewMeasure,
    NotFound,
    PendingSignIn,
    ServerUnreachable,
    Session,
    Space,
    keyring_usable,
)
from ens_consent_tui.client.measures import writable_measures
from ens_consent_tui.client.token_store import StoredSession
from tests.conftest import FROZEN_NOW
from tests.live import free_port

PASSWORD = "demo2026"


@pytest.fixture
async def client(live_server: str) -> AsyncIterator[EnsClient]:
    ens = EnsClient(live_server, token_store=MemoryTokenStore())
    yield ens
    await ens.aclose()


async def status_with(live_server: str, token: str) -> int:
    async with httpx.AsyncClient() as outside:
        response = await outside.get(f"{live_server}/fhir/Observation",
                                     headers={"Authorization": f"Bearer {token}"})
    return response.status_code


async def test_an_expired_access_token_is_refreshed_once_for_concurrent_calls_and_rotated(
        client: EnsClient, live_server: str, clock) -> None:
    await client.auth.sign_in("karim.benali", PASSWORD)
    stored = client.auth.store.load(live_server, "karim.benali")
    clock.advance(timedelta(hours=2))  # the server's clock: the access token has expired
    assert await status_with(live_server, client.auth.access_token) == 401
    patient, documents, agenda = await asyncio.gather(
        client.fhir.patient(), client.fhir.documents(), client.fhir.agenda())
    assert patient.name == "Karim Benali" and documents and agenda.upcoming
    rotated = client.auth.store.load(live_server, "karim.benali")
    assert rotated.refresh_token != stored.refresh_token, "the new refresh token is kept"
    assert await status_with(live_server, client.auth.access_token) == 200


async def test_switching_space_on_the_real_server_needs_no_password(
        client: EnsClient, live_server: str) -> None:
    pending = await client.auth.sign_in("sophie.dubois", PASSWORD)
    assert isinstance(pending, PendingSignIn) and pending.step == "choose_patient"
    leo = await client.auth.choose_space(pending, pending.spaces[1].patient_id)
    assert isinstance(leo, Session) and leo.space.name == "Léo Dubois"
    leo_token = client.auth.access_token
    sophie = await client.auth.switch_space(leo.spaces[0].patient_id)
    assert isinstance(sophie, Session) and sophie.space.is_self
    assert (await client.fhir.patient()).name == "Sophie Dubois"
    assert await status_with(live_server, leo_token) == 401, "the previous space's tokens go"


def remembering_server() -> httpx.MockTransport:
    """A platform that keeps the login between authorizations (the other possible outcome)."""
    base = "http://ens.test"
    people = [{"id": "p-sophie", "name": "Sophie Dubois", "self": True},
              {"id": "p-leo", "name": "Léo Dubois", "self": False}]
    state: dict[str, str] = {}

    def handle(request: httpx.Request) -> httpx.Response:
        path = request.url.path
        if path == "/.well-known/openid-configuration":
            return httpx.Response(200, json={
                "issuer": base, **{f"{name}_endpoint": f"{base}/oauth/{name}" for name in (
                    "authorization", "token", "revocation", "userinfo")}})
        if path == "/oauth/authorization" and request.method == "GET":
            state["state"] = request.url.params["state"]
            step = "choose_patient" if state.get("logged_in") else "login"
            return httpx.Response(200, json={"step": step, "csrf": "c", "patients": people})
        if path == "/oauth/authorization":
            fields = json.loads(request.content)
            if "password" in fields:
                state["logged_in"] = "yes"
                return httpx.Response(200, json={"step": "choose_patient", "csrf": "c",
                                                 "patients": people})
            state["patient"] = fields["patient_id"]
            return httpx.Response(200, json={"step": "done", "redirect_to":
                                             f"http://127.0.0.1/callback?code=x&state="
                                             f"{state['state']}"})
        if path == "/oauth/token":
            form = parse_qs(request.content.decode())
            assert form["grant_type"] == ["authorization_code"]
            return httpx.Response(200, json={"access_token": f"at-{state['patient']}",
                                             "refresh_token": f"rt-{state['patient']}",
                                             "expires_in": 3600, "patient": state["patient"]})
        if path == "/oauth/userinfo":
            return httpx.Response(200, json={"sub": "sophie.dubois", "name": "Sophie Dubois",
                                             "fhirUser": f"{base}/fhir/Patient/p-sophie"})
        if path == "/oauth/revocation":
            return httpx.Response(200, json={})
        return httpx.Response(404)

    return httpx.MockTransport(handle)


async def test_switching_space_when_the_server_remembers_the_login_needs_no_password() -> None:
    client = EnsClient("http://ens.test", token_store=MemoryTokenStore(),
                       transport=remembering_server())
    pending = await client.auth.sign_in("sophie.dubois", PASSWORD)
    own = await client.auth.choose_space(pending, "p-sophie")
    assert own.space.is_self
    switched = await client.auth.switch_space("p-leo")
    assert isinstance(switched, Session), "chosen at once, no password asked"
    assert switched.space == Space("p-leo", "Léo Dubois", False)
    assert client.auth.access_token == "at-p-leo"
    await client.aclose()


async def test_every_writable_measure_of_the_app_table_is_accepted_by_the_platform(
        client: EnsClient) -> None:
    await client.auth.sign_in("jeanne.lefevre", PASSWORD)
    for spec in writable_measures():
        values = tuple(round((c.minimum + c.maximum) / 2, spec.decimals)
                       for c in spec.components)
        if spec.has_components:
            values = (130.0, 80.0)
        point = await client.fhir.add_measure(NewMeasure(spec, values, FROZEN_NOW))
        assert point.spec is spec and point.values == values


class JumpAfterRefresh(httpx.AsyncBaseTransport):
    """The real network, plus a facilitator who jumps the platform's clock two hours (longer
    than an access token lives) right after each of the first `jumps` token refreshes."""

    def __init__(self, server: str, jumps: int) -> None:
        self.wire = httpx.AsyncHTTPTransport()
        self.server = server
        self.jumps = jumps
        self.refreshes = 0

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        response = await self.wire.handle_async_request(request)
        if request.url.path == "/oauth/token" and b"refresh_token" in request.content:
            self.refreshes += 1
            if self.refreshes <= self.jumps:
                await jump_clock(self.server, "2h")
        return response

    async def aclose(self) -> None:
        await self.wire.aclose()


async def jump_clock(server: str, span: str) -> None:
    async with httpx.AsyncClient() as console:
        answer = await console.post(f"{server}/admin/clock", json={"jump": span},
                                    headers={"Authorization": "Bearer facilitator-test-token"})
    answer.raise_for_status()


@pytest.mark.parametrize("jumps", [1, 2])
async def test_a_token_refused_just_after_a_refresh_is_refreshed_again(
        live_server: str, jumps: int) -> None:
    wire = JumpAfterRefresh(live_server, jumps)
    client = EnsClient(live_server, token_store=MemoryTokenStore(), transport=wire)
    await client.auth.sign_in("camille.martin", PASSWORD)
    await jump_clock(live_server, "2h")  # the app's access token is now dead
    agenda = await client.fhir.agenda()
    assert agenda.past and wire.refreshes == jumps + 1
    assert client.auth.session is not None
    await client.aclose()


async def test_a_clock_outrunning_every_fresh_token_keeps_the_session(live_server: str) -> None:
    wire = JumpAfterRefresh(live_server, jumps=10)
    client = EnsClient(live_server, token_store=MemoryTokenStore(), transport=wire)
    await client.auth.sign_in("camille.martin", PASSWORD)
    await jump_clock(live_server, "2h")
    with pytest.raises(AccessTokenRefused):
        await client.fhir.agenda()
    assert client.auth.session is not None, "the refresh token works: no new login needed"
    assert client.auth.store.load(live_server, "camille.martin") is not None
    wire.jumps = 0  # the facilitator stops jumping: the next request goes through
    assert (await client.fhir.agenda()).past
    await client.aclose()


async def test_errors_come_back_as_precise_types_with_the_server_reason(
        client: EnsClient) -> None:
    with pytest.raises(NotFound) as missing:
        await client.store.service("nope")
    assert missing.value.reason == "Aucun service « nope » dans le catalogue."
    closed = EnsClient(f"http://127.0.0.1:{free_port()}", token_store=MemoryTokenStore())
    with pytest.raises(ServerUnreachable) as unreachable:
        await closed.store.services()
    assert unreachable.value.url == closed.base_url
    await closed.aclose()


async def test_logout_revokes_refresh_and_access_tokens_and_clears_the_store(
        client: EnsClient, live_server: str) -> None:
    await client.auth.sign_in("camille.martin", PASSWORD)
    access = client.auth.access_token
    refresh = client.auth.store.load(live_server, "camille.martin").refresh_token
    await client.auth.sign_out()
    assert client.auth.session is None
    assert client.auth.store.last_username(live_server) is None
    assert await status_with(live_server, access) == 401
    async with httpx.AsyncClient() as outside:
        response = await outside.post(f"{live_server}/oauth/token", data={
            "grant_type": "refresh_token", "refresh_token": refresh,
            "client_id": "ens-consent-app"})
    assert response.status_code == 400


def session(username: str = "camille.martin") -> Session:
    own = Space("p1", "Camille Martin", True)
    return Session(username, "Camille Martin", "p1", own, (own,))


def test_the_keyring_store_keeps_one_entry_per_server_and_user(memory_keyring) -> None:
    store = KeyringTokenStore()
    store.save("http://a", StoredSession("rt-1", session()))
    assert store.load("http://a", "camille.martin") == StoredSession("rt-1", session())
    assert store.last_username("http://a") == "camille.martin"
    assert store.load("http://b", "camille.martin") is None
    assert ("ens-consent", "http://a|camille.martin") in memory_keyring.entries
    store.delete("http://a", "camille.martin")
    assert store.load("http://a", "camille.martin") is None
    assert store.last_username("http://a") is None


def test_a_damaged_keyring_entry_is_forgotten(memory_keyring) -> None:
    memory_keyring.set_password("ens-consent", "http://a|camille.martin", "{pas du json")
    assert KeyringTokenStore().load("http://a", "camille.martin") is None
    assert memory_keyring.entries == {}


@pytest.mark.parametrize(("backend", "usable"), [(fail.Keyring(), False),
                                                 (null.Keyring(), False)])
def test_fail_and_null_keyrings_are_not_usable(backend, usable) -> None:
    keyring.set_keyring(backend)  # the autouse fixture restores the in-memory one
    assert keyring_usable() is usable


def test_the_in_memory_test_keyring_counts_as_usable() -> None:
    assert keyring_usable()
