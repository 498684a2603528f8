"""Helpers of the connect / Mes services / home tests: open a sheet, wait for the consent dialog,
connect a service without the UI (setting the scene), act as the facilitator."""

from __future__ import annotations

from collections.abc import Iterable

import httpx
from textual.command import CommandList, CommandPalette
from textual.pilot import Pilot

from ens_consent_tui.client import EnsClient, MemoryTokenStore, PendingSignIn
from ens_consent_tui.client.grants import Grant
from ens_consent_tui.client.services import Connection, ConsentRequest, Decision
from ens_consent_tui.demo_accounts import DEMO_PASSWORD
from ens_consent_tui.messages import ServiceSheetLoaded
from ens_consent_tui.screens.consent import ConsentDialog
from ens_consent_tui.screens.service_sheet import ServiceSheetScreen
from tests.tui.conftest import seen, settle, wait_for

FACILITATOR = {"Authorization": "Bearer facilitator-test-token"}
WEIGHT_READ = "patient/Observation.rs?code=http://loinc.org|29463-7"
HEIGHT_READ = "patient/Observation.rs?code=http://loinc.org|8302-2"
BMI_READ = "patient/Observation.rs?code=http://loinc.org|39156-5"
WEIGHT_WRITE = "patient/Observation.c?code=http://loinc.org|29463-7"


def palette_texts(app) -> list[str]:
    """The commands the open palette lists (first line of each)."""
    if not CommandPalette.is_open(app):
        return []
    options = app.screen.query_one(CommandList)
    return [str(option.prompt).split("\n")[0] for option in options.options]


def toasts(app) -> list[tuple[str, str]]:
    return [(n.title, n.message) for n in app._notifications]


async def open_sheet(pilot: Pilot, messages: list, service_id: str) -> ServiceSheetScreen:
    """The service's sheet over the current section, loaded."""
    before = len(seen(messages, ServiceSheetLoaded))
    pilot.app.push_screen(ServiceSheetScreen(service_id, {}))
    await wait_for(pilot, lambda: len(seen(messages, ServiceSheetLoaded)) > before, "the sheet")
    await settle(pilot)
    assert isinstance(pilot.app.screen, ServiceSheetScreen)
    return pilot.app.screen


async def consent_dialog(pilot: Pilot) -> ConsentDialog:
    """The dialog once shown (not `settle`: the connect worker waits for the dialog's answer)."""
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, ConsentDialog), "the dialog")
    await pilot.pause()
    return pilot.app.screen


async def grants_in(client: EnsClient) -> dict[str, Grant]:
    """Service id → grant, for the space the client's session shows."""
    return {g.service.id: g for g in await client.grants.grants()}


async def signed_in_client(base_url: str, username: str,
                           patient_id: str | None = None) -> EnsClient:
    """A second session of the same person (another computer)."""
    client = EnsClient(base_url, token_store=MemoryTokenStore())
    result = await client.auth.sign_in(username, DEMO_PASSWORD)
    if isinstance(result, PendingSignIn):
        own = next(s.patient_id for s in result.spaces if s.is_self)
        await client.auth.choose_space(result, patient_id or own)
    return client


async def connect_directly(base_url: str, username: str, service_id: str, *,
                           off: Iterable[str] = (), duration: str | None = None) -> Connection:
    """Connect a service through the real flow, without the app's screens."""
    client = await signed_in_client(base_url, username)
    try:
        step = await client.services.start(service_id)
        assert isinstance(step, ConsentRequest)
        switched_off = set(off)
        scopes = tuple(p.scope for p in step.permissions if p.scope not in switched_off)
        connection = await client.services.decide(step, Decision(True, scopes, duration))
        assert isinstance(connection, Connection)
        return connection
    finally:
        await client.aclose()


async def facilitator(base_url: str, method: str, path: str, json: dict | None = None) -> dict:
    async with httpx.AsyncClient(base_url=base_url, headers=FACILITATOR, timeout=30) as http:
        response = await http.request(method, path, json=json)
        response.raise_for_status()
        return response.json()
