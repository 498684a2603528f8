"""The `events` table: publish one event, read a patient's events after a cursor."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, func, select

from mock_server.storage.schema import events

KINDS = frozenset({"exchange", "grant", "new_data", "suspension", "clock"})
"""What the app is told about (DESIGN §6)."""


@dataclass(frozen=True)
class Event:
    id: int
    patient_id: str
    kind: str
    at: datetime
    payload: dict

    def as_json(self) -> dict:
        return {"id": self.id, "kind": self.kind, "at": self.at.isoformat(), **self.payload}


def _row(patient_id: str, kind: str, payload: dict, at: datetime) -> dict:
    if kind not in KINDS:
        raise ValueError(f"unknown event kind {kind!r}")
    return {"patient_id": patient_id, "kind": kind, "at": at,
            "payload": json.dumps(payload, ensure_ascii=False, separators=(",", ":"))}


def publish(conn: Connection, *, patient_id: str, kind: str, payload: dict, at: datetime) -> int:
    """Append an event in the caller's transaction; returns its id."""
    # Values as parameters, not `.values(...)`: the compiled INSERT is then cached.
    result = conn.execute(events.insert(), _row(patient_id, kind, payload, at))
    return result.inserted_primary_key[0]


def publish_many(conn: Connection, new_events: Iterable[tuple[str, str, dict, datetime]]) -> None:
    """Append several `(patient_id, kind, payload, at)` events, in order, in the caller's
    transaction, with one executemany (the exchange log publishes a batch at a time)."""
    rows = [_row(*event) for event in new_events]
    if rows:
        conn.execute(events.insert(), rows)


def read_after(
    conn: Connection, patient_id: str, after: int, *, limit: int = 500,
    kinds: frozenset[str] | None = None,
) -> list[Event]:
    """The patient's events with id > `after`, oldest first, at most `limit`."""
    query = select(events).where(events.c.patient_id == patient_id, events.c.id > after)
    if kinds:
        query = query.where(events.c.kind.in_(kinds))
    rows = conn.execute(query.order_by(events.c.id).limit(limit))
    return [Event(r.id, r.patient_id, r.kind, r.at, json.loads(r.payload)) for r in rows]


def latest_event_id(conn: Connection, patient_id: str) -> int:
    """The newest event id of a patient (0 when none): where a fresh stream starts."""
    value = conn.execute(
        select(func.max(events.c.id)).where(events.c.patient_id == patient_id)
    ).scalar_one()
    return value or 0
