"""Forgetting what happened to one patient, so a facilitator can set up that patient's starting
state on a server other participants are using (`POST /admin/prepare`).

The global reset (`storage_ops.wipe_and_seed`) empties everything; this does the same for one
patient only: their grants and every version of them, the tokens and codes of services and
outside clients for them, their exchanges and events, then their data come back as the seed
made them (`seed.families`). The tokens of the patient's own app are kept — an app session stays
signed in — and nothing of another patient is touched.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, Engine, func, select

from mock_server.seed.families import data_anchor, seed_records_of
from mock_server.storage.resources import insert_records
from mock_server.storage.schema import (
    acting_choices,
    authorization_codes,
    events,
    exchanges,
    grant_versions,
    grants,
    oauth_clients,
    resources,
    tokens,
)

TOMBSTONE = ""
"""Patient id of an event row kept only to hold the table's highest id (see `_forget_events`)."""


@dataclass(frozen=True)
class PatientReset:
    """What a per-patient reset did."""

    grants: int
    exchanges: int
    resources: int | None
    """Resources seeded again; None when the seed cannot draw this patient's data again (they
    were kept as they were)."""


def reset_patient(engine: Engine, seed: int, patient_id: str, now: datetime, *,
                  reseed: bool = True) -> PatientReset:
    """Forget everything services did with `patient_id` and (unless `reseed` is False) bring
    back the seed's data, in one transaction."""
    with engine.begin() as conn:
        apps = select(oauth_clients.c.client_id).where(oauth_clients.c.kind == "app")
        own_grants = select(grants.c.id).where(grants.c.patient_id == patient_id)
        conn.execute(grant_versions.delete().where(grant_versions.c.grant_id.in_(own_grants)))
        forgotten = conn.execute(grants.delete().where(grants.c.patient_id == patient_id))
        for table in (tokens, authorization_codes, acting_choices):
            conn.execute(table.delete().where(table.c.patient_id == patient_id,
                                              table.c.client_id.not_in(apps)))
        logged = conn.execute(exchanges.delete().where(exchanges.c.patient_id == patient_id))
        _forget_events(conn, patient_id)
        seeded = _reseed(conn, seed, patient_id, now) if reseed else None
    return PatientReset(forgotten.rowcount, logged.rowcount, seeded)


def _forget_events(conn: Connection, patient_id: str) -> None:
    """Delete the patient's events without ever lowering the table's highest id.

    Event ids are the apps' cursors, and SQLite gives a new row the highest id plus one: were
    the newest rows deleted, the next events would reuse ids an open stream has already passed,
    and it would never see them. The newest row, if it is this patient's, is kept as a
    tombstone that belongs to no one (older tombstones go).
    """
    top = conn.execute(select(func.max(events.c.id))).scalar()
    if top is None:
        return
    owner = conn.execute(select(events.c.patient_id).where(events.c.id == top)).scalar_one()
    if owner in (patient_id, TOMBSTONE):
        conn.execute(events.update().where(events.c.id == top)
                     .values(patient_id=TOMBSTONE, payload="{}"))
    conn.execute(events.delete().where(events.c.patient_id.in_((patient_id, TOMBSTONE)),
                                       events.c.id != top))


def _reseed(conn: Connection, seed: int, patient_id: str, now: datetime) -> int | None:
    records = seed_records_of(conn, seed, patient_id, data_anchor(conn, now))
    if records is None:
        return None
    conn.execute(resources.delete().where(resources.c.patient_id == patient_id))
    return insert_records(conn, records)
