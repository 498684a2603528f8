"""A patient connecting a service, played by the platform itself for the named workshop states.

It goes through exactly what a patient's app does: open the service's `/connect` page, log in at
`/oauth/authorize` (JSON variant), choose whose space when the account represents someone,
consent while unticking what the state refuses, and follow the redirect back to the service's
callback, where the service exchanges its code and starts acting. Nothing is written behind the
platform's back.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

import httpx

from mock_server.catalog import Permission
from mock_server.seed.patients import DEMO_PASSWORD
from mock_server.simulation.runtime import Simulation, SimulationError

JSON = {"Accept": "application/json"}


@dataclass(frozen=True)
class Connection:
    """One service a named state connects, for one patient."""

    account: str
    """Username that logs in (and consents)."""
    service_id: str
    patient_id: str | None = None
    """Whose space (a represented patient); None = the account's own."""
    refuse: tuple[Permission, ...] = ()
    duration: str = "6m"


async def connect_as_patient(simulation: Simulation, connection: Connection) -> dict:
    """Run the whole consent flow; the callback's JSON answer (`status` connected)."""
    try:
        return await _connect(simulation, connection)
    except httpx.TransportError as error:
        raise SimulationError(502, "Parcours de consentement impossible : la plateforme ne "
                                   f"répond pas à {simulation.platform.settings.base_url} "
                                   f"({error}).") from None


async def _connect(simulation: Simulation, connection: Connection) -> dict:
    settings = simulation.platform.settings
    async with httpx.AsyncClient(base_url=settings.base_url,
                                 transport=simulation.transport_factory(),
                                 timeout=30.0, headers=JSON) as browser:
        start = _ok(await browser.get(f"/services/{connection.service_id}/connect"))
        step = _ok(await browser.get(start["authorize_url"]))
        step = await _post(browser, {"csrf": step["csrf"], "username": connection.account,
                                     "password": DEMO_PASSWORD})
        if step.get("step") == "choose_patient":
            patient = connection.patient_id or next(p["id"] for p in step["patients"]
                                                    if p["self"])
            step = await _post(browser, {"csrf": step["csrf"], "patient_id": patient})
        if step.get("step") == "consent":
            step = await _post(browser, {
                "csrf": step["csrf"], "scope": _kept(step["permissions"], connection.refuse),
                "duration": connection.duration, "include_earlier": True, "decision": "allow"})
        if step.get("step") != "done":
            raise SimulationError(500, f"Parcours de consentement inattendu : {step}")
        return _ok(await browser.get(step["redirect_to"]))


def _kept(offered: list[dict], refused: Collection[Permission]) -> list[str]:
    refused_keys = {(p.data_class, p.subtype, p.access) for p in refused}
    return [item["scope"] for item in offered
            if not any((c["data_class"], c["subtype"], c["access"]) in refused_keys
                       for c in item.get("covers") or [])]


async def _post(browser: httpx.AsyncClient, body: dict) -> dict:
    return _ok(await browser.post("/oauth/authorize", json=body))


def _ok(response: httpx.Response) -> dict:
    if response.status_code != 200:
        raise SimulationError(500, "Parcours de consentement interrompu : "
                                   f"{response.request.url.path} a répondu "
                                   f"{response.status_code} ({response.text[:300]}).")
    return response.json()
