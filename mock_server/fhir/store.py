"""Reads and writes of the `resources` table for the FHIR API (short, indexed queries)."""

from __future__ import annotations

import json
import uuid
from datetime import datetime

from sqlalchemy import Connection, Row, bindparam, or_, select, update

from mock_server.fhir.errors import FhirError
from mock_server.fhir.tokens import like_escape
from mock_server.storage.resources import insert_records, record_for
from mock_server.storage.schema import resources


def own_row(conn: Connection, patient_id: str, resource_type: str, resource_id: str) -> Row | None:
    """The resource if it exists in this patient's compartment; None otherwise (also for another
    patient's resource, so callers answer the same 404)."""
    params = {"id": resource_id, "resource_type": resource_type, "patient_id": patient_id}
    return conn.execute(_OWN_ROW, params).first()


_OWN_ROW = select(resources).where(
    resources.c.id == bindparam("id"),
    resources.c.resource_type == bindparam("resource_type"),
    resources.c.patient_id == bindparam("patient_id"),
)
"""Built once: every read by id runs it."""


def new_id() -> str:
    """A server-assigned id (clients never choose ids)."""
    return str(uuid.uuid4())


def insert_resource(
    conn: Connection,
    resource: dict,
    *,
    patient_id: str | None,
    now: datetime,
    client_id: str | None,
) -> dict:
    """Store `resource` (which carries its server-assigned id) as version 1; returns its row."""
    record = record_for(
        resource, patient_id=patient_id, last_updated=now, author_client_id=client_id
    )
    insert_records(conn, [record])
    return record


def update_resource(conn: Connection, current: Row, record: dict) -> None:
    """Replace `current` by `record` (its next version); 409 if another write got there first."""
    result = conn.execute(
        update(resources)
        .where(resources.c.id == current.id, resources.c.version_id == current.version_id)
        .values(**record)
    )
    if result.rowcount != 1:
        raise FhirError(
            409,
            "conflict",
            "La ressource a été modifiée en même temps : relisez-la puis recommencez.",
        )


def find_device(conn: Connection, identifier: str, patient_id: str) -> Row | None:
    """A Device with this `system|value` identifier, shared or in the patient's compartment
    (another patient's devices stay invisible)."""
    return conn.execute(
        select(resources.c.id, resources.c.version_id, resources.c.json)
        .where(
            resources.c.resource_type == "Device",
            resources.c.identifier == identifier,
            or_(resources.c.patient_id == patient_id, resources.c.patient_id.is_(None)),
        )
        .limit(1)
    ).first()


def device_exists(conn: Connection, device_id: str, patient_id: str) -> bool:
    return (
        conn.execute(
            select(resources.c.id).where(
                resources.c.id == device_id,
                resources.c.resource_type == "Device",
                or_(resources.c.patient_id == patient_id, resources.c.patient_id.is_(None)),
            )
        ).first()
        is not None
    )


def latest_measure(conn: Connection, patient_id: str, measure_key: str) -> dict | None:
    """The patient's most recent Observation of one measure (by effective time)."""
    row = conn.execute(
        select(resources.c.json)
        .where(
            resources.c.patient_id == patient_id,
            resources.c.resource_type == "Observation",
            resources.c.subtype == measure_key,
        )
        .order_by(resources.c.effective.desc(), resources.c.last_updated.desc())
        .limit(1)
    ).first()
    return json.loads(row.json) if row else None


def owning_document(conn: Connection, patient_id: str, binary_id: str) -> Row | None:
    """The patient's DocumentReference whose attachment points at `Binary/<binary_id>`."""
    return conn.execute(
        select(
            resources.c.id,
            resources.c.code,
            resources.c.category,
            resources.c.subtype,
            resources.c.status,
            resources.c.effective,
        )
        .where(
            resources.c.patient_id == patient_id,
            resources.c.resource_type == "DocumentReference",
            resources.c.json.like(f'%Binary/{like_escape(binary_id)}"%', escape="\\"),
        )
        .limit(1)
    ).first()
