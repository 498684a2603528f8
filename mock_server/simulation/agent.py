"""A service agent: one catalogue service acting for one patient, as a real OAuth client over HTTP.

It holds the tokens its code exchange gave it, refreshes them before they expire (the server
rotates the refresh token), sends the FHIR requests its behaviour plans, and reacts to answers the
way a careful service would: a 403 is a denied exchange (the platform logs it) after which it
checks its authorization still stands, a 401 makes it refresh once, and a refused refresh
(`invalid_grant`: revoked, expired, or an unknown token) stops it for good. It never asks for
what the patient did not grant, unless the facilitator makes it misbehave.
"""

from __future__ import annotations

import asyncio
import logging
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Final

import httpx
from sqlalchemy import Engine

from mock_server.catalog import Permission, ServiceSheet, scope_for
from mock_server.catalog.models import ALL
from mock_server.simulation.behaviours import Action, ReadSpec, ServiceBehaviour
from mock_server.simulation.clock import Clock
from mock_server.simulation.generators import GeneratorContext, PlannedRequest
from mock_server.simulation.reads import content_requests, search_request
from mock_server.simulation.schedule import stable_random
from mock_server.simulation.service_oauth import ServiceOAuth, TokenError, TokenSet
from mock_server.simulation.world import patient_facts

logger = logging.getLogger(__name__)

FHIR_JSON: Final = "application/fhir+json"
REFRESH_MARGIN: Final = timedelta(minutes=2)
"""Refresh an access token that expires within this (simulated) margin."""
KEPT_CALLS: Final = 50
OUTSIDE_GRANT_CANDIDATES: Final = (
    Permission(data_class="documents", subtype="syntheses", access="read"),
    Permission(data_class="measures", subtype="glucose", access="read"),
    Permission(data_class="agenda", subtype=ALL, access="read"),
    Permission(data_class="measures", subtype=ALL, access="read"),
)
"""What a misbehaving service asks for when every permission of its sheet was granted."""


@dataclass(frozen=True)
class Call:
    """One request the agent sent (or chose not to send), as the facilitator sees it."""

    at: datetime
    method: str
    path: str
    status: int | None
    outcome: str
    """allowed, denied (403), unauthorized (401), failed (other error), skipped, error."""
    summary: str
    detail: str | None = None

    def as_json(self) -> dict:
        return {"at": self.at.isoformat(), "method": self.method, "path": self.path,
                "status": self.status, "outcome": self.outcome, "summary": self.summary,
                "detail": self.detail}


@dataclass
class AgentEnvironment:
    """What every agent of a simulation shares."""

    http: httpx.AsyncClient
    clock: Clock
    engine: Engine
    seed: int
    is_suspended: Callable[[str], bool]


@dataclass
class ServiceAgent:
    """One service connected to one patient."""

    env: AgentEnvironment
    service: ServiceSheet
    behaviour: ServiceBehaviour
    oauth: ServiceOAuth
    tokens: TokenSet
    patient_name: str
    connected_at: datetime
    stop_reason: str | None = None
    calls: deque[Call] = field(default_factory=lambda: deque(maxlen=KEPT_CALLS))
    noted: int = 0
    sent: int = 0
    denied: int = 0

    @property
    def patient_id(self) -> str:
        return self.tokens.patient_id

    @property
    def key(self) -> tuple[str, str]:
        return self.service.id, self.patient_id

    @property
    def running(self) -> bool:
        return self.stop_reason is None

    def stop(self, reason: str) -> None:
        if self.running:
            self.stop_reason = reason
            logger.info("agent %s for %s stopped: %s", self.service.id, self.patient_id, reason)

    def identity_key(self) -> str:
        return f"{self.env.seed}|{self.service.id}|{self.patient_id}"

    # --- acting ----------------------------------------------------------------------------------

    async def perform(self, action: Action, at: datetime, slot: datetime) -> list[Call]:
        """Run one occurrence of `action` planned at `at`; the calls it made (token refreshes
        included)."""
        mark = self.noted
        if self.running:
            await self._perform(action, at, slot)
        return self._since(mark)

    async def _perform(self, action: Action, at: datetime, slot: datetime) -> None:
        if not self._granted(action.permission):
            self._note(Call(self._now(), "-", "-", None, "skipped",
                            f"{action.label} : non accordé par le patient, le service "
                            "s'abstient"))
            return
        if not await self._fresh_token():
            return
        if action.read is not None:
            requests = [search_request(action.read, at, action.label)]
        else:
            requests = await asyncio.to_thread(self._generate, action, at, slot)
        for request in requests:
            call, body = await self._send(request)
            if call.outcome == "allowed" and action.read is not None and action.read.content:
                for follow in content_requests(body):
                    await self._send(follow)
            if not self.running:
                return

    async def misbehave(self, kind: str) -> list[Call]:
        """`outside_grant`: search data the patient did not grant (a denied exchange);
        `expired_token`: call with an access token it already replaced and gave back (401)."""
        mark = self.noted
        if self.running and await self._fresh_token():
            await (self._outside_grant() if kind == "outside_grant" else self._stale_token())
        return self._since(mark)

    async def _outside_grant(self) -> None:
        permission = self._ungranted()
        read = ReadSpec(permission.data_class, permission.subtype, timedelta(days=365), 20, False)
        request = search_request(read, self._now(), "demande hors autorisation")
        await self._send(request, probe_after_denial=False)

    async def _stale_token(self) -> None:
        stale = self.tokens.access_token
        if not await self._refresh():
            return
        await self.oauth.revoke_access_token(self.env.http, stale)
        request = PlannedRequest("GET", f"Patient/{self.patient_id}",
                                 summary="appel avec un jeton périmé (déjà remplacé et rendu)")
        await self._send(request, token=stale, retry=False)

    # --- what it may do --------------------------------------------------------------------------

    def _granted(self, permission: Permission) -> bool:
        whole = Permission(data_class=permission.data_class, subtype=ALL,
                           access=permission.access)
        return bool({scope_for(permission), scope_for(whole)} & self.tokens.scope)

    def _ungranted(self) -> Permission:
        asked = [p.permission for p in self.service.permissions if p.access == "read"]
        for permission in (*asked, *OUTSIDE_GRANT_CANDIDATES):
            if not self._granted(permission):
                return permission
        return OUTSIDE_GRANT_CANDIDATES[-1]

    def _generate(self, action: Action, at: datetime, slot: datetime) -> list[PlannedRequest]:
        assert action.generator is not None
        rng = stable_random(f"{self.identity_key()}|{action.index}|{slot.isoformat()}")
        with self.env.engine.connect() as conn:
            ctx = GeneratorContext(conn, rng, at, patient_facts(conn, self.patient_id),
                                   self.service, self.behaviour.device, self.identity_key())
            return action.generator.build(ctx, action.params)

    # --- tokens ----------------------------------------------------------------------------------

    def _now(self) -> datetime:
        return self.env.clock.now()

    async def _fresh_token(self) -> bool:
        if self.tokens.expires_at - REFRESH_MARGIN > self._now():
            return True
        return await self._refresh()

    async def _refresh(self) -> bool:
        try:
            self.tokens = await self.oauth.refresh(self.env.http, self.tokens, self._now())
        except TokenError as error:
            self._note(Call(self._now(), "POST", "/oauth/token", error.status, "unauthorized",
                            "renouvellement du jeton refusé", error.description))
            if error.error == "invalid_grant" and not self.env.is_suspended(self.service.id):
                self.stop(f"Accès terminé : {error.description}")
            return False
        except httpx.TransportError as error:
            self._note(Call(self._now(), "POST", "/oauth/token", None, "error",
                            "serveur injoignable", str(error)))
            return False
        return True

    # --- the wire --------------------------------------------------------------------------------

    async def _send(self, request: PlannedRequest, *, token: str | None = None,
                    retry: bool = True, probe_after_denial: bool = True
                    ) -> tuple[Call, dict]:
        path = "/fhir" + (f"/{request.path}" if request.path else "")
        headers = {"Authorization": f"Bearer {token or self.tokens.access_token}",
                   "Accept": FHIR_JSON, **request.headers}
        if request.body is not None:
            headers["Content-Type"] = FHIR_JSON
        try:
            response = await self.env.http.request(request.method, path, json=request.body,
                                                   headers=headers)
        except httpx.TransportError as error:
            return self._note(Call(self._now(), request.method, path, None, "error",
                                   request.summary, f"serveur injoignable : {error}")), {}
        body = _json(response)
        if response.status_code == 401 and retry and await self._refresh():
            return await self._send(request, retry=False)
        call = Call(self._now(), request.method, path, response.status_code,
                    _outcome(response.status_code), request.summary, _diagnostics(body))
        self._note(call)
        if response.status_code == 401 and token is None:
            self.stop("Accès terminé : le jeton n'est plus accepté et ne peut être renouvelé.")
        elif (response.status_code == 403 and probe_after_denial
              and not self.env.is_suspended(self.service.id)):
            # Denied: the grant may have been withdrawn; a refresh says whether it still stands.
            await self._refresh()
        elif response.status_code >= 400 and response.status_code not in (401, 403):
            logger.warning("agent %s: %s %s -> %s %s", self.service.id, request.method, path,
                           response.status_code, call.detail)
        return call, body

    def _since(self, mark: int) -> list[Call]:
        count = min(self.noted - mark, len(self.calls))
        return list(self.calls)[len(self.calls) - count:] if count else []

    def _note(self, call: Call) -> Call:
        self.calls.append(call)
        self.noted += 1
        if call.status is not None:
            self.sent += 1
        if call.outcome == "denied":
            self.denied += 1
        return call


def _json(response: httpx.Response) -> dict:
    try:
        body = response.json()
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}


def _outcome(status: int) -> str:
    if status < 400:
        return "allowed"
    return {401: "unauthorized", 403: "denied"}.get(status, "failed")


def _diagnostics(body: dict) -> str | None:
    if body.get("resourceType") != "OperationOutcome":
        return None
    issues = body.get("issue") or [{}]
    return issues[0].get("diagnostics")
