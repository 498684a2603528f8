"""The `exchanges` table read back: keyset queries for the patient's cursor, rows as JSON.

Every query starts with `patient_id = ?` and walks `id` (the cursor) on an index, forwards or
backwards: no OFFSET, so page 1 and page 1,000 of a 100,000-row log cost the same.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import Connection, Engine, Row, Select, func, select

from mock_server.storage.schema import exchanges

_LIST_COLUMNS = [c for c in exchanges.c if c.name not in ("payload", "payload_bytes")]
ITEM_KEYS = (
    "id", "at", "client_id", "service_name", "data_class", "subtype", "direction", "interaction",
    "resource_type", "outcome", "reason", "status", "method", "path", "query", "resources", "count",
)
"""Keys of one exchange in lists and exports, in this order (the CSV columns)."""


@dataclass(frozen=True)
class ExchangeFilter:
    """Which exchanges of a patient to read: filters (empty = any) and the cursor window."""

    services: frozenset[str] = frozenset()
    data_classes: frozenset[str] = frozenset()
    directions: frozenset[str] = frozenset()
    outcomes: frozenset[str] = frozenset()
    after: int = 0
    before: int | None = None
    descending: bool = False


def _conditions(patient_id: str, wanted: ExchangeFilter) -> list:
    conditions = [exchanges.c.patient_id == patient_id, exchanges.c.id > wanted.after]
    if wanted.before is not None:
        conditions.append(exchanges.c.id < wanted.before)
    for column, values in (
        (exchanges.c.client_id, wanted.services),
        (exchanges.c.data_class, wanted.data_classes),
        (exchanges.c.direction, wanted.directions),
        (exchanges.c.outcome, wanted.outcomes),
    ):
        if values:
            conditions.append(column.in_(sorted(values)))
    return conditions


def page_query(
    patient_id: str, wanted: ExchangeFilter, limit: int, *, with_payload: bool
) -> Select:
    """The SELECT of one page of the patient's exchanges in `wanted`'s window and order."""
    order = exchanges.c.id.desc() if wanted.descending else exchanges.c.id.asc()
    columns = list(exchanges.c) if with_payload else _LIST_COLUMNS
    return select(*columns).where(*_conditions(patient_id, wanted)).order_by(order).limit(limit)


def select_exchanges(
    conn: Connection, patient_id: str, wanted: ExchangeFilter, limit: int, *, with_payload: bool
) -> list[Row]:
    """One page of the patient's exchanges in `wanted`'s window and order."""
    return list(conn.execute(page_query(patient_id, wanted, limit, with_payload=with_payload)))


def iter_exchanges(
    engine: Engine, patient_id: str, wanted: ExchangeFilter, chunk: int = 1000
) -> Iterator[Row]:
    """Every matching exchange in `wanted`'s order, read in keyset chunks (one short read
    transaction each, so a long export never pins a snapshot)."""
    window = wanted
    while True:
        with engine.connect() as conn:
            rows = select_exchanges(conn, patient_id, window, chunk, with_payload=False)
        yield from rows
        if len(rows) < chunk:
            return
        last = rows[-1].id
        window = replace(window, before=last) if window.descending else replace(window, after=last)


def get_exchange(conn: Connection, patient_id: str, exchange_id: int) -> Row | None:
    """One exchange of this patient (None for another patient's: callers answer 404 alike)."""
    return conn.execute(
        select(exchanges).where(exchanges.c.id == exchange_id, exchanges.c.patient_id == patient_id)
    ).first()


def latest_exchange_id(conn: Connection, patient_id: str) -> int:
    """The patient's newest exchange id (0 when none)."""
    value = conn.execute(
        select(func.max(exchanges.c.id)).where(exchanges.c.patient_id == patient_id)
    ).scalar_one()
    return value or 0


def exchange_item(row: Row) -> dict[str, Any]:
    """An exchange as the patient API lists it (keys `ITEM_KEYS`)."""
    return {
        "id": row.id,
        "at": row.at.isoformat(),
        "client_id": row.client_id,
        "service_name": row.service,
        "data_class": row.data_class,
        "subtype": row.subtype,
        "direction": row.direction,
        "interaction": row.interaction,
        "resource_type": row.resource_type,
        "outcome": row.outcome,
        "reason": row.reason,
        "status": row.status,
        "method": row.method,
        "path": row.path,
        "query": row.query,
        "resources": json.loads(row.resources),
        "count": row.count,
    }


def exchange_detail(row: Row) -> dict[str, Any]:
    """One exchange with what was written: `payload` (the stored resources, a list) or null,
    `payload_bytes`, and `payload_omitted` when it was larger than the stored cap."""
    return {
        **exchange_item(row),
        "payload": json.loads(row.payload) if row.payload is not None else None,
        "payload_bytes": row.payload_bytes,
        "payload_omitted": row.payload is None and row.payload_bytes is not None,
    }
