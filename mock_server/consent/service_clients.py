"""Store services are confidential OAuth clients (DESIGN §7), registered from the catalogue.

At every start each catalogue service is written to `oauth_clients` (client_id = service id,
kind `service`): its name, the scopes its sheet asks for, and its redirect URI under this
server's base URL (the port may differ from one start to the next). Its secret is
HMAC-SHA256(server key, service id): the in-server agents and the tests recompute it with
`service_client_secret`, and only its hash is stored, like every other client secret. The server
key is generated once and kept in `settings_kv` (marked secret).

Grants of services the catalogue marks `suspendu` are suspended, and those of services
referenced again are reinstated (the catalogue is read at start only).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
from datetime import datetime
from typing import Final

from sqlalchemy import Connection, Engine, select, update

from mock_server.catalog import Catalog, ServiceSheet, requested_scopes
from mock_server.consent.changes import GrantWriter
from mock_server.consent.model import ACTOR_AUTHORITY
from mock_server.oauth.tokens import hash_secret
from mock_server.storage.schema import grants, oauth_clients, settings_kv

SERVICE_KEY_NAME: Final = "service_client_key"
"""`settings_kv` key of the server secret the service client secrets derive from."""
SUSPENDED: Final = "suspendu"


def service_client_secret(engine_or_conn: Engine | Connection, service_id: str) -> str:
    """The client secret of the catalogue service `service_id` on this server."""
    if isinstance(engine_or_conn, Engine):
        with engine_or_conn.begin() as conn:
            return _derive(_server_key(conn), service_id)
    return _derive(_server_key(engine_or_conn), service_id)


def sync_service_clients(conn: Connection, catalog: Catalog, base_url: str,
                         now: datetime) -> GrantWriter:
    """Upsert every service as a client, then align grants with referencing statuses.

    Returns the writer, so that the caller notifies event readers after commit if needed.
    """
    key = _server_key(conn)
    existing = {row.client_id: row for row in conn.execute(
        select(oauth_clients).where(oauth_clients.c.client_id.in_(catalog.by_id)))}
    for service in catalog.services:
        values = _client_values(service, key, base_url)
        row = existing.get(service.id)
        if row is None:
            conn.execute(oauth_clients.insert().values(client_id=service.id, created_at=now,
                                                       **values))
        elif any(getattr(row, name) != value for name, value in values.items()):
            conn.execute(update(oauth_clients)
                         .where(oauth_clients.c.client_id == service.id).values(**values))
    writer = GrantWriter(conn, now, ACTOR_AUTHORITY)
    suspended = {s.id for s in catalog.services if s.referencing.status == SUSPENDED}
    for service_id in sorted(suspended):
        writer.suspend_service(service_id)
    held = set(conn.execute(
        select(grants.c.client_id).where(grants.c.status == "suspended").distinct()).scalars())
    for service_id in sorted((held & set(catalog.by_id)) - suspended):
        writer.reinstate_service(service_id)
    return writer


def is_suspended(catalog: Catalog, client_id: str) -> bool:
    """True when `client_id` is a catalogue service the authority has suspended."""
    service = catalog.get(client_id)
    return service is not None and service.referencing.status == SUSPENDED


def _client_values(service: ServiceSheet, key: bytes, base_url: str) -> dict:
    return {
        "client_secret_hash": hash_secret(_derive(key, service.id)),
        "name": service.name,
        "kind": "service",
        "redirect_uris": json.dumps([f"{base_url}{service.redirect_path}"]),
        "scope": " ".join(requested_scopes(service)),
        "token_endpoint_auth_method": "client_secret_basic",
    }


def _derive(key: bytes, service_id: str) -> str:
    return hmac.new(key, service_id.encode(), hashlib.sha256).hexdigest()


def _server_key(conn: Connection) -> bytes:
    """The server secret, created on first use."""
    value = conn.execute(
        select(settings_kv.c.value).where(settings_kv.c.key == SERVICE_KEY_NAME)).scalar()
    if value is None:
        value = secrets.token_hex(32)
        conn.execute(settings_kv.insert().values(key=SERVICE_KEY_NAME, value=value,
                                                 is_secret=True))
    return bytes.fromhex(value)
