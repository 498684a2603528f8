"""The simulation's own writes to storage: clock events for every patient, and the wipe and
re-seed of a reset.

Clock events go to every patient in the database (there are a handful): the clock is the whole
server's, and an app connecting later starts from its latest event anyway.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Engine, select

from mock_server.events import publish_many
from mock_server.seed import seed_database
from mock_server.storage.schema import metadata, oauth_clients, patients, settings_kv, signing_keys

KEPT_ON_RESET = frozenset({oauth_clients.name, settings_kv.name, signing_keys.name})
"""Tables a reset keeps: registered clients (a tester's outside client survives a reset), the
server secrets and the ID-token signing keys. Everything else is the workshop's state."""


def publish_clock_event(engine: Engine, payload: dict, now: datetime) -> int:
    """One `clock` event for every patient; returns how many were published."""
    with engine.begin() as conn:
        patient_ids = list(conn.execute(select(patients.c.id)).scalars())
        publish_many(conn, [(patient_id, "clock", payload, now) for patient_id in patient_ids])
    return len(patient_ids)


def wipe_and_seed(engine: Engine, seed: int, now: datetime) -> int:
    """Empty every table but `KEPT_ON_RESET` (one transaction), then seed the synthetic data
    anchored on `now`; returns how many resources were seeded."""
    with engine.begin() as conn:
        for table in reversed(metadata.sorted_tables):
            if table.name not in KEPT_ON_RESET:
                conn.execute(table.delete())
    return seed_database(engine, seed=seed, now=now).resources
