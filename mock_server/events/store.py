"""The `events` table: publish one event, read a patient's events after a cursor."""

from __future__ import annotations

import json
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


def publish(conn: Connection, *, patient_id: str, kind: str, payload: dict, at: datetime) -> int:
    """Append an event in the caller's transaction; returns its id."""
    if kind not in KINDS:
        raise ValueError(f"unknown event kind {kind!r}")
    result = conn.execute(
        events.insert().values(
            patient_id=patient_id, kind=kind, at=at,
            payload=json.dumps(payload, ensure_ascii=False, separators=(",", ":")),
        )
    )
    return result.inserted_primary_key[0]


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
