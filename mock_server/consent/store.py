"""Reading the register: a patient's grants, one grant, its history (short indexed queries)."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, select

from mock_server.consent.model import Grant
from mock_server.storage.schema import grant_versions, grants, oauth_clients


@dataclass(frozen=True)
class Version:
    """One entry of a grant's history."""

    version: int
    at: datetime
    actor: str
    change: str
    snapshot: dict


def find_grant(conn: Connection, patient_id: str, client_id: str) -> Grant | None:
    """The grant of this patient to this client, if any."""
    row = conn.execute(
        select(grants).where(grants.c.patient_id == patient_id, grants.c.client_id == client_id)
    ).first()
    return Grant.from_row(row) if row else None


def own_grant(conn: Connection, patient_id: str, grant_id: str) -> Grant | None:
    """The grant `grant_id` if it belongs to `patient_id` (another patient's grant is None)."""
    row = conn.execute(
        select(grants).where(grants.c.id == grant_id, grants.c.patient_id == patient_id)
    ).first()
    return Grant.from_row(row) if row else None


def patient_grants(conn: Connection, patient_id: str) -> list[Grant]:
    """The patient's grants, oldest first."""
    rows = conn.execute(select(grants).where(grants.c.patient_id == patient_id)
                        .order_by(grants.c.created_at, grants.c.id))
    return [Grant.from_row(row) for row in rows]


def client_grants(conn: Connection, client_id: str, status: str) -> list[Grant]:
    """Every patient's grant to one client stored with `status`."""
    rows = conn.execute(
        select(grants).where(grants.c.client_id == client_id, grants.c.status == status)
    )
    return [Grant.from_row(row) for row in rows]


def history(conn: Connection, grant_id: str) -> list[Version]:
    """Every version of a grant, oldest first."""
    rows = conn.execute(
        select(grant_versions).where(grant_versions.c.grant_id == grant_id)
        .order_by(grant_versions.c.version)
    )
    return [Version(r.version, r.at, r.actor, r.change, json.loads(r.snapshot)) for r in rows]


def client_names(conn: Connection, client_ids: Iterable[str]) -> dict[str, tuple[str, str]]:
    """client_id -> (name, kind) of the given clients."""
    wanted = set(client_ids)
    if not wanted:
        return {}
    rows = conn.execute(
        select(oauth_clients.c.client_id, oauth_clients.c.name, oauth_clients.c.kind)
        .where(oauth_clients.c.client_id.in_(wanted))
    )
    return {r.client_id: (r.name, r.kind) for r in rows}
