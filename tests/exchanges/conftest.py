"""Exchange log tests: a real third-party client (RFC 7591 + consent flow) and the patient's app.

The service "Suivi Poids Test" asks Karim Benali for weight read, glucose read, weight write and
document read and write; each test chooses what Karim keeps.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

import httpx
import pytest

from mock_server.exchanges import exchange_log
from mock_server.reference import LOINC, measure_by_key
from tests.oauth.flows import authorize_outside_client, register_outside_client

WEIGHT = f"{LOINC}|{measure_by_key()['body_weight'].loinc_code}"
GLUCOSE = f"{LOINC}|{measure_by_key()['glucose'].loinc_code}"
WEIGHT_READ = f"patient/Observation.rs?code={WEIGHT}"
GLUCOSE_READ = f"patient/Observation.rs?code={GLUCOSE}"
WEIGHT_WRITE = f"patient/Observation.c?code={WEIGHT}"
DOCUMENT_READ = "patient/DocumentReference.rs"
DOCUMENT_WRITE = "patient/DocumentReference.c"
REQUESTED = (f"openid fhirUser {WEIGHT_READ} {GLUCOSE_READ} {WEIGHT_WRITE} {DOCUMENT_READ} "
             f"{DOCUMENT_WRITE}")
SERVICE_NAME = "Suivi Poids Test"
FHIR_JSON = "application/fhir+json"


@dataclass(frozen=True)
class Service:
    """A third-party client holding a token for one patient."""

    client_id: str
    token: str

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}

    @property
    def write_headers(self) -> dict[str, str]:
        return {**self.headers, "Content-Type": FHIR_JSON}


async def connect_service(
    client: httpx.AsyncClient, grant: list[str], username: str = "karim.benali"
) -> Service:
    """Register "Suivi Poids Test" and run its consent flow, keeping only `grant`."""
    registration = await register_outside_client(client, name=SERVICE_NAME)
    tokens = await authorize_outside_client(
        client, registration, username, grant=grant, scope=REQUESTED
    )
    return Service(registration["client_id"], tokens["access_token"])


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def service(client: httpx.AsyncClient) -> Callable[..., Awaitable[Service]]:
    """`await service(grant=[...])`: a connected third party for Karim."""

    async def connect(grant: list[str], username: str = "karim.benali") -> Service:
        return await connect_service(client, grant, username)

    return connect


@pytest.fixture
def flush(app) -> Callable[[], None]:
    """Wait until the exchanges answered so far are recorded (for direct table reads)."""

    def wait() -> None:
        assert exchange_log(app).recorder.flush(timeout=5)

    return wait


@pytest.fixture
def log(client: httpx.AsyncClient, karim_token: str) -> Callable[..., Awaitable[dict]]:
    """`await log(**params)`: Karim's `GET /exchanges` answer (asserting 200)."""

    async def read(**params) -> dict:
        response = await client.get("/exchanges", params=params, headers=bearer(karim_token))
        assert response.status_code == 200, response.text
        return response.json()

    return read
