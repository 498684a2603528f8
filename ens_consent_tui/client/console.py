"""The facilitator console of the platform (`/admin/*`), from the app's side: what a scenario's
facilitator steps and starting state need (clock, granularity, one patient's space, service
actions, participants' accounts).

Every call needs the facilitator token the server printed at start (the embedded server's is
`EmbeddedServer.facilitator_token`). Answers are the server's JSON as plain data; failures are
`ClientError`s carrying the server's French sentence in `reason`: `FacilitatorTokenRefused`
(401/403), `NotFound` (an unknown account, service or persona; the sentence lists the valid
ones), `InvalidInput` (409/422: a refused change), `ServerError`, `ServerUnreachable`.
"""

from __future__ import annotations

from types import TracebackType
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from ens_consent_tui.client.errors import Forbidden, UnexpectedResponse
from ens_consent_tui.client.transport import Transport, error_for, json_body, reason_of

if TYPE_CHECKING:
    import httpx

CONSOLE_TIMEOUT = 120.0
"""Seconds one call may take: preparing a space connects services through the consent flow,
and a clock jump runs every action on the way."""


class FacilitatorTokenRefused(Forbidden):
    """401/403 from the console: no token, a wrong one, or a patient's or a service's."""


class ConsoleApi:
    """`async with ConsoleApi(url, token) as console: await console.jump("7d")`."""

    def __init__(self, base_url: str, token: str, *,
                 transport: httpx.AsyncBaseTransport | None = None,
                 timeout: float = CONSOLE_TIMEOUT) -> None:
        self._transport = Transport(base_url, transport=transport, timeout=timeout)
        self._headers = {"Authorization": f"Bearer {token}", "Accept": "application/json"}

    async def __aenter__(self) -> ConsoleApi:
        return self

    async def __aexit__(self, kind: type[BaseException] | None, error: BaseException | None,
                        trace: TracebackType | None) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        await self._transport.aclose()

    # --- the clock ---------------------------------------------------------------------------

    async def clock(self) -> dict:
        """`{"now", "speed", "paused", "resume_speed", "next_action_at"}`."""
        return await self._call("GET", "/clock")

    async def pause(self) -> dict:
        """The clock after the change (as `clock()`)."""
        return await self._call("POST", "/clock", {"pause": True}, key="clock")

    async def resume(self) -> dict:
        return await self._call("POST", "/clock", {"resume": True}, key="clock")

    async def set_speed(self, speed: float) -> dict:
        return await self._call("POST", "/clock", {"speed": speed}, key="clock")

    async def jump(self, span: str) -> dict:
        """Advance by `span` (`7d`, `12h`, `P7D`), running every action on the way:
        `{"clock", "jump": {"from", "to", "span", "occurrences", "requests", "by_service"}}`."""
        return await self._call("POST", "/clock", {"jump": span})

    # --- the consent granularity -------------------------------------------------------------

    async def maille(self) -> str:
        """`categorie`, `type` or `ressource`."""
        return await self._call("GET", "/maille", key="maille")

    async def set_maille(self, maille: str) -> str:
        """Offer `maille` in the consent dialogs from now on; returns it."""
        return await self._call("POST", "/maille", {"maille": maille}, key="maille")

    # --- one patient's space -----------------------------------------------------------------

    async def prepare(self, account: str, for_: str | None = None,
                      connections: list[dict] | None = None, *, keep_data: bool = False) -> dict:
        """Reset the space of `account` (or of the person it represents, `for_`: `child`) and
        connect services through the consent flow; `connections` items are `{"service",
        "refuse": ["measures/blood_pressure/read", "documents/*/read"...], "duration": "6m"}`;
        `keep_data`: leave the patient's data as they are instead of as seeded.
        Returns `{"patient_id", "patient", "connections", "clock", ...}`."""
        return await self._call("POST", "/prepare", {"account": account, "for": for_,
                                                     "connections": connections or [],
                                                     "keep_data": keep_data})

    # --- services ----------------------------------------------------------------------------

    async def act(self, service: str, patient: str | None = None) -> dict:
        """The service does its usual work now (for `patient`, a username or patient id, or
        for every patient it is connected to): `{"service", "runs": [...]}`."""
        return await self._call("POST", f"/services/{_segment(service)}/act",
                                {"patient": patient})

    async def misbehave(self, service: str, kind: str, patient: str | None = None) -> dict:
        """`kind`: `outside_grant` (asks for data it was not granted) or `expired_token`."""
        return await self._call("POST", f"/services/{_segment(service)}/misbehave",
                                {"kind": kind, "patient": patient})

    async def suspend(self, service: str) -> dict:
        """The authority de-references the service: `{"service", "suspended", "patients_told"}`."""
        return await self._call("POST", f"/services/{_segment(service)}/suspend")

    async def reinstate(self, service: str) -> dict:
        return await self._call("POST", f"/services/{_segment(service)}/reinstate")

    # --- participants ------------------------------------------------------------------------

    async def participants(self) -> list[dict]:
        """Every account: `{"username", "name", "patient_id", "password", "persona",
        "copy_of", "represents"}`."""
        return await self._call("GET", "/participants", key="participants")

    async def add_participants(self, persona: str, count: int = 1) -> list[dict]:
        """`count` new accounts copying `persona` (`camille.martin`), as `participants()`."""
        return await self._call("POST", "/participants", {"persona": persona, "count": count},
                                key="participants")

    # --- the wire ----------------------------------------------------------------------------

    async def _call(self, method: str, path: str, body: dict | None = None, *,
                    key: str | None = None) -> Any:
        """The JSON answer (or its `key`); the matching `ClientError` otherwise."""
        response = await self._transport.send(method, f"/admin{path}", json=body,
                                              headers=self._headers)
        if response.status_code in (401, 403):
            raise FacilitatorTokenRefused(reason_of(response))
        if not response.is_success:
            raise error_for(response)
        answer = json_body(response)
        if not isinstance(answer, dict) or (key is not None and key not in answer):
            raise UnexpectedResponse(f"HTTP {response.status_code} /admin{path}: "
                                     f"{response.text[:200]}")
        return answer if key is None else answer[key]


def _segment(service: str) -> str:
    """A service id as one path segment (an id with a slash is refused, not rerouted)."""
    return quote(service, safe="")
