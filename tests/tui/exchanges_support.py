"""Third-party services that make real exchanges against the live server while the app watches
(the exchange log and event tests): a catalogue service connected through the consent flow with
the permissions the test chooses, or an outside client registered with RFC 7591. And a server
that can be stopped and started again, for the tests of a lost server.
"""

from __future__ import annotations

import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

import httpx
import uvicorn

from mock_server.app import create_app
from mock_server.catalog import load_catalog, requested_scopes, scope_for
from mock_server.catalog.models import Permission
from mock_server.consent import service_client_secret
from mock_server.settings import Settings
from mock_server.simulation.clock import Clock
from mock_server.storage import create_storage_engine
from tests.fhir.conftest import document, measure
from tests.live import free_port
from tests.oauth.flows import FACILITATOR_TOKEN, authorize_outside_client, register_outside_client

GLYCO = "glyco-pilote"
GLYCO_NAME = "GlycoPilote"
GLUCOSE_READ = scope_for(Permission(data_class="measures", subtype="glucose", access="read"))
WEIGHT_READ = scope_for(Permission(data_class="measures", subtype="body_weight", access="read"))
FHIR_JSON = "application/fhir+json"


@dataclass(frozen=True)
class ThirdParty:
    """A service holding an access token for one patient, calling the FHIR API over HTTP."""

    base_url: str
    client_id: str
    token: str
    uds: str | None = None
    """The server's Unix socket, when it listens on one (snapshots)."""

    @asynccontextmanager
    async def _http(self) -> AsyncIterator[httpx.AsyncClient]:
        headers = {"Authorization": f"Bearer {self.token}"}
        async with http_client(self.base_url, self.uds, headers=headers) as http:
            yield http

    async def search(self, resource_type: str, **params: str) -> int:
        """A search; its HTTP status."""
        async with self._http() as http:
            return (await http.get(f"/fhir/{resource_type}", params=params)).status_code

    async def read_glucose(self) -> int:
        return await self.search("Observation", code="http://loinc.org|2345-7")

    async def read_documents(self) -> int:
        return await self.search("DocumentReference")

    async def write(self, resource: dict) -> int:
        async with self._http() as http:
            response = await http.post(f"/fhir/{resource['resourceType']}", json=resource,
                                       headers={"Content-Type": FHIR_JSON})
            return response.status_code

    async def write_glucose(self, value: float = 1.1) -> int:
        return await self.write(measure("glucose", value))

    async def write_document(self) -> int:
        return await self.write(document())


def http_client(base_url: str, uds: str | None, **kwargs) -> httpx.AsyncClient:
    transport = httpx.AsyncHTTPTransport(uds=uds) if uds else None
    return httpx.AsyncClient(base_url=base_url, transport=transport, **kwargs)


class Services:
    """Connects services to patients of the live server at `base_url` (its database from
    `settings`; `uds`: its Unix socket, when it listens on one)."""

    def __init__(self, base_url: str, settings: Settings, uds: str | None = None) -> None:
        self.base_url = base_url
        self.database_url = settings.database_url
        self.uds = uds

    async def catalogue(self, service_id: str, username: str,
                        grant: list[str] | None = None) -> ThirdParty:
        """A catalogue service (its own client id and secret) after the patient's consent to
        `grant` (default: everything it asks)."""
        engine = create_storage_engine(self.database_url)
        try:
            secret = service_client_secret(engine, service_id)
        finally:
            engine.dispose()
        sheet = load_catalog().get(service_id)
        registration = {"client_id": service_id, "client_secret": secret,
                        "redirect_uris": [f"{self.base_url}{sheet.redirect_path}"]}
        async with http_client(self.base_url, self.uds) as http:
            tokens = await authorize_outside_client(
                http, registration, username, grant=grant,
                scope=" ".join(requested_scopes(sheet)))
        return ThirdParty(self.base_url, service_id, tokens["access_token"], self.uds)

    async def outside(self, name: str, username: str, patient_id: str | None = None
                      ) -> ThirdParty:
        """An outside client named `name` (RFC 7591), given everything it asks for: reads of
        everything, writes of measures, documents and agenda; for `patient_id` when the
        person represents someone."""
        async with http_client(self.base_url, self.uds) as http:
            registration = await register_outside_client(http, name=name)
            tokens = await authorize_outside_client(http, registration, username,
                                                    patient_id=patient_id)
        return ThirdParty(self.base_url, registration["client_id"], tokens["access_token"],
                          self.uds)


async def suspend_service(base_url: str, service_id: str) -> None:
    """The referencing authority suspends a catalogue service (facilitator console API)."""
    async with httpx.AsyncClient(base_url=base_url) as http:
        response = await http.post(f"/admin/services/{service_id}/suspend",
                                   headers={"Authorization": f"Bearer {FACILITATOR_TOKEN}"})
    assert response.status_code == 200, response.text


class RestartableServer:
    """The real server under uvicorn on one loopback port, that a test stops and starts again
    (same port, same database file): a server lost and back, as the app sees it.

    With `uds`, it listens on that Unix socket instead, known to its clients as `public_url`
    (an address that stays the same from one run to the next, for snapshots).
    """

    def __init__(self, settings: Settings, clock: Clock, *, uds: str | None = None,
                 public_url: str | None = None) -> None:
        self.port = free_port()
        self.uds = uds
        self.settings = settings.model_copy(update={"host": "127.0.0.1", "port": self.port,
                                                    "public_url": public_url})
        self.clock = clock
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        return self.settings.base_url

    def start(self) -> None:
        app = create_app(self.settings, clock=self.clock, wall_clock=self.clock)
        where = {"uds": self.uds} if self.uds else {"host": "127.0.0.1", "port": self.port}
        config = uvicorn.Config(app, log_level="warning", lifespan="on", **where)
        server = uvicorn.Server(config)
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        ready = threading.Event()
        while not server.started and thread.is_alive():
            ready.wait(0.01)
        if not server.started:
            raise RuntimeError("the server did not start")
        self._server, self._thread = server, thread

    def stop(self) -> None:
        if self._server is None or self._thread is None:
            return
        self._server.should_exit = True
        self._thread.join(timeout=10)
        self._server.config.app.state.platform.engine.dispose()
        self._server = self._thread = None
