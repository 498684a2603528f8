"""Fixtures of the register tests: a server in a chosen granularity, and real OAuth flows played
by a catalogue service (its client id, its derived secret, its redirect URI) or an outside
client."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable

import httpx
import pytest
from sqlalchemy import Engine, select

from mock_server.catalog import load_catalog, requested_scopes, scope_for
from mock_server.catalog.models import Permission
from mock_server.consent import service_client_secret
from mock_server.settings import Settings
from mock_server.storage.schema import events, grant_versions, grants, resources
from tests.oauth.flows import CodeResult, authorize_outside_client, outside_code

GLYCO = "glyco-pilote"
"""Karim's glucose meter app: glucose read/write, weight read, laboratory documents read."""


def scope(data_class: str, subtype: str, access: str) -> str:
    return scope_for(Permission(data_class=data_class, subtype=subtype, access=access))


WEIGHT_READ = scope("measures", "body_weight", "read")
GLUCOSE_READ = scope("measures", "glucose", "read")
GLUCOSE_WRITE = scope("measures", "glucose", "write")
BIOLOGY_READ = scope("documents", "biologie", "read")


def auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def maille() -> str:
    """The server's consent granularity (parametrize or override to change it)."""
    return "type"


@pytest.fixture
def settings(settings: Settings, maille: str) -> Settings:
    return settings.model_copy(update={"maille": maille})


@pytest.fixture
def service_registration(engine: Engine, settings: Settings) -> Callable[[str], dict]:
    """What a catalogue service knows about itself as a client (like an RFC 7591 answer)."""

    def registration(service_id: str) -> dict:
        sheet = load_catalog().get(service_id)
        return {"client_id": service_id,
                "client_secret": service_client_secret(engine, service_id),
                "redirect_uris": [f"{settings.base_url}{sheet.redirect_path}"]}

    return registration


def service_scope(service_id: str) -> str:
    return " ".join(requested_scopes(load_catalog().get(service_id)))


Connect = Callable[..., Awaitable[dict]]


@pytest.fixture
def connect(client: httpx.AsyncClient, service_registration) -> Connect:
    """Run a catalogue service's whole flow for `username`, the patient ticking `grant`
    (default: everything asked); returns the token response."""

    async def run(service_id: str, username: str, grant: list[str] | None = None,
                  **kwargs) -> dict:
        return await authorize_outside_client(client, service_registration(service_id),
                                              username, grant=grant,
                                              scope=service_scope(service_id), **kwargs)

    return run


@pytest.fixture
def service_code(client: httpx.AsyncClient, service_registration) -> Callable[..., Awaitable]:
    """A catalogue service's flow up to the code (to look at what the consent step did)."""

    async def run(service_id: str, username: str, grant: list[str] | None = None,
                  **kwargs) -> CodeResult:
        return await outside_code(client, service_registration(service_id), username,
                                  grant=grant, scope=service_scope(service_id), **kwargs)

    return run


@pytest.fixture
def grant_rows(engine: Engine) -> Callable[..., list]:
    """The stored grants (optionally of one client)."""

    def read(client_id: str | None = None) -> list:
        query = select(grants)
        if client_id:
            query = query.where(grants.c.client_id == client_id)
        with engine.connect() as conn:
            return conn.execute(query).all()

    return read


@pytest.fixture
def versions(engine: Engine) -> Callable[[str], list]:
    def read(grant_id: str) -> list:
        with engine.connect() as conn:
            return conn.execute(select(grant_versions).where(grant_versions.c.grant_id == grant_id)
                                .order_by(grant_versions.c.version)).all()

    return read


@pytest.fixture
def grant_events(engine: Engine) -> Callable[[str], list[dict]]:
    """Payloads of the `grant` events of a patient, oldest first."""

    def read(patient_id: str) -> list[dict]:
        with engine.connect() as conn:
            rows = conn.execute(select(events.c.payload).where(
                events.c.patient_id == patient_id, events.c.kind == "grant")
                .order_by(events.c.id)).scalars()
            return [json.loads(row) for row in rows]

    return read


@pytest.fixture
def stored_ids(engine: Engine) -> Callable[..., list[str]]:
    """Ids of a patient's stored resources of a type (and subtype), newest first."""

    def read(patient_id: str, resource_type: str, subtype: str | None = None) -> list[str]:
        query = select(resources.c.id).where(resources.c.patient_id == patient_id,
                                             resources.c.resource_type == resource_type)
        if subtype is not None:
            query = query.where(resources.c.subtype == subtype)
        with engine.connect() as conn:
            return list(conn.execute(query.order_by(resources.c.effective.desc())).scalars())

    return read


@pytest.fixture
def grant_of(client: httpx.AsyncClient) -> Callable[..., Awaitable[dict]]:
    """The patient's grant to one client, as `GET /grants` shows it to the patient's app."""

    async def read(app_token: str, client_id: str) -> dict:
        response = await client.get("/grants", headers=auth(app_token))
        assert response.status_code == 200, response.text
        return next(g for g in response.json()["grants"] if g["service"]["id"] == client_id)

    return read


def permission(data_class: str, subtype: str, access: str) -> dict:
    return {"data_class": data_class, "subtype": subtype, "access": access}
