"""The running simulation of one server: its agents, their connections, the scheduler, and what
the facilitator can ask of them.

Agents are in-process asyncio work driven by one scheduler task; all their HTTP goes through one
`httpx.AsyncClient` on the server's own base URL. Its transport is injectable: a real network
transport under uvicorn (the default), `httpx.ASGITransport(app)` in tests that have no socket.
The scheduler task starts with the app's lifespan, or with the first agent when the app is served
without one (ASGITransport); `stop()` ends it.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import secrets
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Final

import httpx
from sqlalchemy import select

from mock_server.catalog import Catalog, ServiceSheet
from mock_server.consent import service_client_secret
from mock_server.consent.service_clients import is_suspended as suspended_in_catalog
from mock_server.platform import Platform
from mock_server.simulation import authority
from mock_server.simulation.agent import AgentEnvironment, Call, ServiceAgent
from mock_server.simulation.behaviours import Behaviours
from mock_server.simulation.clock import Clock
from mock_server.simulation.patient_reset import PatientReset, reset_patient
from mock_server.simulation.schedule import Occurrence, occurrences
from mock_server.simulation.scheduler import AgentKey, JumpReport, Scheduler
from mock_server.simulation.service_oauth import Pkce, ServiceOAuth, TokenError, new_pkce
from mock_server.simulation.storage_ops import publish_clock_event, wipe_and_seed
from mock_server.storage.schema import patients

logger = logging.getLogger(__name__)

MAX_PENDING: Final = 256
"""Authorization requests waiting for their callback, at most (oldest forgotten first)."""
HTTP_TIMEOUT: Final = 30.0

TransportFactory = Callable[[], httpx.AsyncBaseTransport]


class SimulationError(Exception):
    """A request the simulation refuses, with an HTTP status and a French reason."""

    def __init__(self, status: int, detail: str) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail


@dataclass(frozen=True)
class PendingAuthorization:
    service_id: str
    pkce: Pkce


@dataclass(frozen=True)
class Run:
    """What one agent did when asked to act."""

    agent: ServiceAgent
    calls: list[Call]


@dataclass
class LogHooks:
    """What the simulation needs from the exchange log (set by `install`)."""

    flush: Callable[[], object] = lambda: None
    open_streams: Callable[[str], int] = lambda _patient_id: 0


class Simulation:
    """Agents, their schedule and the clock controls of one server."""

    def __init__(self, platform: Platform, catalog: Catalog, behaviours: Behaviours,
                 transport_factory: TransportFactory | None = None) -> None:
        self.platform = platform
        self.catalog = catalog
        self.behaviours = behaviours
        self.transport_factory = transport_factory or httpx.AsyncHTTPTransport
        self.hooks = LogHooks()
        self.agents: dict[AgentKey, ServiceAgent] = {}
        self.suspended: set[str] = set()
        """Services the facilitator suspended (the catalogue's own suspensions come on top)."""
        self.resume_speed = platform.clock.speed or 1.0
        self.scheduler = Scheduler(platform.clock, self._run_occurrence, self._active)
        self._pending: OrderedDict[str, PendingAuthorization] = OrderedDict()
        self._secrets: dict[str, str] = {}
        self._http: httpx.AsyncClient | None = None
        self._task: asyncio.Task | None = None

    # --- lifecycle -------------------------------------------------------------------------------

    @property
    def clock(self) -> Clock:
        return self.platform.clock

    async def start(self) -> None:
        """Open the HTTP client and start the scheduler task (idempotent)."""
        if self._http is None:
            self._http = httpx.AsyncClient(base_url=self.platform.settings.base_url,
                                           transport=self.transport_factory(),
                                           timeout=HTTP_TIMEOUT)
        if self._task is None or self._task.done():
            self._task = asyncio.get_running_loop().create_task(self.scheduler.run_forever(),
                                                                name="ens-simulation")

    async def stop(self) -> None:
        """Stop the scheduler task and close the HTTP client (agents keep their state)."""
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
        if self._http is not None:
            await self._http.aclose()
            self._http = None

    @property
    def http(self) -> httpx.AsyncClient:
        assert self._http is not None, "the simulation is not started"
        return self._http

    # --- connecting a service --------------------------------------------------------------------

    def service(self, service_id: str) -> ServiceSheet:
        sheet = self.catalog.get(service_id)
        if sheet is None:
            raise SimulationError(404, f"Aucun service « {service_id[:80]} » dans le catalogue. "
                                       f"Services : {', '.join(self.catalog.by_id)}.")
        return sheet

    def is_suspended(self, service_id: str) -> bool:
        return service_id in self.suspended or suspended_in_catalog(self.catalog, service_id)

    async def start_authorization(self, service_id: str) -> str:
        """The authorization URL the patient's browser opens to connect `service_id`; the
        service keeps the PKCE verifier and the state for its callback."""
        sheet = self.service(service_id)
        if self.is_suspended(service_id):
            raise SimulationError(403, f"Le service « {sheet.name} » est suspendu par l'autorité "
                                       "de référencement : il ne peut pas être connecté.")
        oauth = await self._oauth(sheet)
        state, pkce = secrets.token_urlsafe(24), new_pkce()
        self._pending[state] = PendingAuthorization(service_id, pkce)
        while len(self._pending) > MAX_PENDING:
            self._pending.popitem(last=False)
        return oauth.authorization_url(state, pkce)

    async def complete_authorization(self, service_id: str, params: dict[str, str]
                                     ) -> ServiceAgent | None:
        """The service's redirect URI: check state and issuer, exchange the code, start the
        agent. None when the patient refused; `SimulationError` for a bad callback."""
        sheet = self.service(service_id)
        pending = self._pending.get(params.get("state", ""))
        if pending is None or pending.service_id != service_id:
            raise SimulationError(400, "Cette réponse ne correspond à aucune demande de connexion "
                                       "en cours de ce service (paramètre state inconnu ou déjà "
                                       "utilisé) : recommencez depuis le service.")
        del self._pending[params["state"]]
        if params.get("error"):
            if params["error"] == "access_denied":
                return None
            raise SimulationError(400, f"La connexion a échoué : {params['error']} "
                                       f"({params.get('error_description', 'sans détail')}).")
        issuer = self.platform.settings.base_url
        if params.get("iss") != issuer:
            raise SimulationError(400, f"Réponse d'un autre émetteur (iss « "
                                       f"{params.get('iss', '')[:80]} », attendu « {issuer} ») : "
                                       "elle est ignorée (RFC 9207).")
        if not params.get("code"):
            raise SimulationError(400, "La réponse ne contient pas de code d'autorisation.")
        await self.start()
        oauth = await self._oauth(sheet)
        try:
            tokens = await oauth.exchange_code(self.http, params["code"], pending.pkce.verifier,
                                               self.clock.now())
        except TokenError as error:
            raise SimulationError(400, f"Le service n'a pas pu obtenir ses jetons : "
                                       f"{error.description}") from None
        except httpx.TransportError as error:
            raise SimulationError(502, f"Le service n'a pas pu joindre la plateforme à "
                                       f"{self.platform.settings.base_url} ({error}).") from None
        agent = ServiceAgent(
            AgentEnvironment(self.http, self.clock, self.platform.engine,
                             self.platform.settings.seed, self.is_suspended),
            sheet, self.behaviours.of(service_id), oauth, tokens,
            await asyncio.to_thread(self._patient_name, tokens.patient_id), self.clock.now())
        self._register(agent)
        return agent

    async def _oauth(self, sheet: ServiceSheet) -> ServiceOAuth:
        if sheet.id not in self._secrets:
            self._secrets[sheet.id] = await asyncio.to_thread(
                service_client_secret, self.platform.engine, sheet.id)
        return ServiceOAuth(sheet, self.platform.settings, self._secrets[sheet.id])

    def _patient_name(self, patient_id: str) -> str:
        with self.platform.engine.connect() as conn:
            row = conn.execute(select(patients.c.given, patients.c.family)
                               .where(patients.c.id == patient_id)).first()
        return f"{row.given} {row.family}" if row else patient_id

    def _register(self, agent: ServiceAgent) -> None:
        previous = self.agents.get(agent.key)
        if previous is not None:
            previous.stop("Remplacé par une nouvelle connexion du patient.")
        self.scheduler.forget(agent.key)
        self.agents[agent.key] = agent
        identity = agent.identity_key()
        for action in agent.behaviour.actions:
            def fresh(action=action):
                return occurrences(action.schedule, agent.connected_at,
                                   lambda slot: f"{identity}|{action.index}|{slot.isoformat()}")

            self.scheduler.plan(agent.key, action.index, fresh)

    # --- running ---------------------------------------------------------------------------------

    def _active(self, key: AgentKey) -> bool:
        agent = self.agents.get(key)
        return agent is not None and agent.running and not self.is_suspended(key[0])

    async def _run_occurrence(self, key: AgentKey, action_index: int,
                              occurrence: Occurrence) -> int:
        agent = self.agents.get(key)
        if agent is not None and not agent.running:
            self.scheduler.forget(key)  # stopped for good: drop what it had planned
        if not self._active(key):
            return 0
        assert agent is not None
        calls = await agent.perform(agent.behaviour.actions[action_index], occurrence.at,
                                    occurrence.slot)
        return sum(1 for call in calls if call.status is not None)

    def targets(self, service_id: str, patient_id: str | None = None) -> list[ServiceAgent]:
        """The running agents of a service (for one patient when given)."""
        sheet = self.service(service_id)
        found = [a for a in self.agents.values()
                 if a.service.id == service_id and a.running
                 and (patient_id is None or a.patient_id == patient_id)]
        if not found:
            who = " pour ce patient" if patient_id else ""
            raise SimulationError(409, f"Le service « {sheet.name} » n'est connecté à aucun "
                                       f"patient{who} : connectez-le d'abord depuis "
                                       f"/services/{service_id}/connect.")
        return found

    async def act(self, service_id: str, patient_id: str | None = None) -> list[Run]:
        """Each repeated action of the service's agents once, now (the schedule goes on)."""
        agents = self.targets(service_id, patient_id)

        async def work() -> list[Run]:
            runs = []
            for agent in agents:
                now = self.clock.now()
                calls: list[Call] = []
                for action in agent.behaviour.actions:
                    if action.repeating and agent.running:
                        calls += await agent.perform(action, now, now)
                runs.append(Run(agent, calls))
            return runs

        return await self._between_occurrences(work)

    async def misbehave(self, service_id: str, kind: str, patient_id: str | None = None
                        ) -> list[Run]:
        agents = self.targets(service_id, patient_id)

        async def work() -> list[Run]:
            return [Run(agent, await agent.misbehave(kind)) for agent in agents]

        return await self._between_occurrences(work)

    async def _between_occurrences(self, work):
        await self.start()
        return await self.scheduler.run_now(work)

    # --- the authority ---------------------------------------------------------------------------

    async def suspend(self, service_id: str) -> list[str]:
        """De-reference a service: its grants are suspended (its next request is refused), its
        agents pause, its patients are told. Returns the patients told."""
        sheet = self.service(service_id)
        if self.is_suspended(service_id):
            raise SimulationError(409, f"Le service « {sheet.name} » est déjà suspendu.")
        self.suspended.add(service_id)
        told = await asyncio.to_thread(authority.suspend, self.platform.engine, service_id,
                                       sheet.name, self.clock.now())
        self.platform.notifier.notify()
        return told

    async def reinstate(self, service_id: str) -> list[str]:
        sheet = self.service(service_id)
        if suspended_in_catalog(self.catalog, service_id):
            raise SimulationError(409, f"Le service « {sheet.name} » est suspendu dans le "
                                       "catalogue lui-même (services.json) : seule une nouvelle "
                                       "version du catalogue peut le référencer de nouveau.")
        if service_id not in self.suspended:
            raise SimulationError(409, f"Le service « {sheet.name} » n'est pas suspendu.")
        self.suspended.discard(service_id)
        told = await asyncio.to_thread(authority.reinstate, self.platform.engine, service_id,
                                       sheet.name, self.clock.now())
        self.platform.notifier.notify()
        self.scheduler.wake()
        return told

    # --- the clock -------------------------------------------------------------------------------

    async def jump(self, delta: timedelta, limit: int) -> JumpReport:
        await self.start()
        report = await self.scheduler.jump(delta, limit)
        await self._clock_event("jump", start=report.start.isoformat())
        return report

    async def set_speed(self, speed: float) -> None:
        self.clock.set_speed(speed)
        if speed > 0:
            self.resume_speed = speed
        await self._clock_event("pause" if speed == 0 else "speed")

    async def resume(self) -> None:
        self.clock.set_speed(self.resume_speed)
        await self._clock_event("resume")

    def clock_state(self) -> dict:
        now = self.clock.now()
        next_due = self.scheduler.next_due()
        return {"now": now.isoformat(), "speed": self.clock.speed,
                "paused": self.clock.speed == 0, "resume_speed": self.resume_speed,
                "next_action_at": next_due.isoformat() if next_due else None}

    async def _clock_event(self, change: str, **extra: str) -> None:
        self.scheduler.wake()
        state = self.clock_state()
        words = {"jump": "L'horloge simulée a avancé", "pause": "L'horloge simulée est en pause",
                 "resume": "L'horloge simulée repart", "speed": "L'horloge simulée change de "
                 "vitesse"}[change]
        payload = {"change": change, "now": state["now"], "speed": state["speed"],
                   "paused": state["paused"], "message": f"{words} (×{state['speed']:g}).",
                   **extra}
        await asyncio.to_thread(publish_clock_event, self.platform.engine, payload,
                                self.clock.now())
        self.platform.notifier.notify()

    # --- reset -----------------------------------------------------------------------------------

    async def wipe(self) -> int:
        """Forget every agent and connection, then empty and re-seed the database (anchored on
        the current simulated time). Returns how many resources were seeded."""

        async def work() -> int:
            for agent in self.agents.values():
                agent.stop("Réinitialisation de la plateforme.")
            self.agents.clear()
            self.scheduler.clear()
            self._pending.clear()
            self.suspended.clear()
            await asyncio.to_thread(self.hooks.flush)
            return await asyncio.to_thread(wipe_and_seed, self.platform.engine,
                                           self.platform.settings.seed, self.clock.now())

        count = await self._between_occurrences(work)
        self.platform.notifier.notify()
        return count

    async def reset_patient(self, patient_id: str, *, reseed: bool = True) -> PatientReset:
        """Stop the agents acting for one patient and forget everything services did with them
        (`patient_reset`), their data back as seeded unless `reseed` is False; every other
        patient and agent goes on untouched."""

        async def work() -> PatientReset:
            for key, agent in list(self.agents.items()):
                if agent.patient_id == patient_id:
                    agent.stop("Espace du patient préparé de nouveau par l'animateur.")
                    self.scheduler.forget(key)
                    del self.agents[key]
            await asyncio.to_thread(self.hooks.flush)
            return await asyncio.to_thread(reset_patient, self.platform.engine,
                                           self.platform.settings.seed, patient_id,
                                           self.clock.now(), reseed=reseed)

        done = await self._between_occurrences(work)
        self.platform.notifier.notify()
        return done

    def connection_rows(self) -> list[dict]:
        """Every agent (running, suspended or stopped), for the facilitator."""
        rows = []
        for agent in sorted(self.agents.values(), key=lambda a: (a.service.id, a.patient_name)):
            status = ("stopped" if not agent.running else
                      "suspended" if self.is_suspended(agent.service.id) else "running")
            last = agent.calls[-1].as_json() if agent.calls else None
            rows.append({
                "service_id": agent.service.id, "service": agent.service.name,
                "patient_id": agent.patient_id, "patient": agent.patient_name,
                "status": status, "stop_reason": agent.stop_reason,
                "connected_at": agent.connected_at.isoformat(),
                "scope": sorted(agent.tokens.scope), "requests": agent.sent,
                "denied": agent.denied, "last_call": last,
                "behaviour": agent.behaviour.description,
            })
        return rows
