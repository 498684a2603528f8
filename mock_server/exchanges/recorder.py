"""Recording: each third-party FHIR exchange becomes one `exchanges` row and its events.

The listener runs on the event loop at the end of every FHIR request, so it only queues the
exchange (a deque append under a lock: microseconds; it never raises into the request). One writer
thread per app drains the queue and commits everything queued in ONE transaction (group commit):
the event loop never waits on SQLite's write lock or fsync (the project's rule for writes), the
exchanges keep their order (one writer, first in first out), and a burst of requests costs one
fsync instead of one each. After each commit the writer wakes the event streams.

Readers that must see every exchange answered so far (the patient's endpoints, AuditEvent) call
`flush()` first; it returns at once when nothing is queued. The thread starts with the first
exchange and ends after `IDLE_SECONDS` without any, so an app that is never shut down (tests over
ASGITransport) leaves no thread behind; the app's shutdown flushes the queue.
"""

from __future__ import annotations

import json
import logging
import threading
from collections import deque
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Final

from sqlalchemy import Connection, Row, bindparam, select
from sqlalchemy.exc import OperationalError

from mock_server.events import publish_many
from mock_server.exchanges.classify import (
    ALL,
    data_class_of,
    direction_of,
    new_data_message,
    path_resource,
    subtype_from_query,
)
from mock_server.fhir.exchange import Exchange
from mock_server.fhir.store import owning_document
from mock_server.platform import Platform
from mock_server.storage.schema import exchanges, oauth_clients, resources

logger = logging.getLogger(__name__)

PAYLOAD_CAP: Final = 64 * 1024
"""Bytes of written resources kept with an exchange; above it only the size is kept (the
resources stay readable by id)."""
MAX_REASON: Final = 1000
MAX_PATH: Final = 500
MAX_QUERY: Final = 2000
BATCH_LIMIT: Final = 500
"""Exchanges committed in one transaction at most."""
MAX_QUEUED: Final = 100_000
"""Exchanges waiting for the writer at most; beyond, new ones are dropped and logged (memory
stays bounded even if the database is stuck)."""
IDLE_SECONDS: Final = 2.0
LINGER_SECONDS: Final = 0.005
"""How long the writer lets a burst of exchanges gather before one commit; a reader waiting in
`flush` cuts it short. Invisible to people, and it turns a burst's fsyncs into one."""
WRITE_ATTEMPTS: Final = 3
"""A batch is retried (e.g. after SQLite's busy timeout) before it is logged as lost."""


_NAMED = select(resources.c.id, resources.c.resource_type, resources.c.subtype).where(
    resources.c.patient_id == bindparam("patient_id"),
    resources.c.id.in_(bindparam("ids", expanding=True)),
)
_NAMED_WITH_JSON = _NAMED.add_columns(resources.c.json)
"""Resources an exchange named, in the patient's compartment (built once: cached compilation)."""


@dataclass(frozen=True)
class _Found:
    """A resource an exchange named, as stored."""

    ref: str | None
    """`Type/id`, or None for the target of a refused request (its path already says it)."""
    subtype: str | None
    json: str | None


_Stored = dict[tuple[str, str], Row]
"""(patient id, resource id) -> the stored row of a resource some exchange of a batch names."""


def _keeps_payload(exchange: Exchange) -> bool:
    return direction_of(exchange.interaction) == "write" and exchange.outcome == "allowed"


def _named_ids(exchange: Exchange) -> tuple[list[str], bool]:
    """The ids an exchange is about, and whether they come from its path (a refused request)
    rather than from what it returned or wrote. Searches name none: their query says it all."""
    if exchange.interaction == "search":
        return [], False
    if exchange.resource_ids:
        return list(exchange.resource_ids), False
    named = path_resource(exchange.path)
    if named is None or named[0] != exchange.resource_type:
        return [], True
    return [named[1]], True


def _stored_resources(conn: Connection, batch: list[Exchange]) -> _Stored:
    """Every resource the batch names, in its patient's compartment, read at once: one query per
    patient for reads (no JSON: a Binary can be large), one more for written resources (their
    JSON is the payload)."""
    wanted: dict[tuple[str, bool], set[str]] = {}
    for exchange in batch:
        assert exchange.patient_id is not None
        ids, _ = _named_ids(exchange)
        if ids:
            wanted.setdefault((exchange.patient_id, _keeps_payload(exchange)), set()).update(ids)
    stored: _Stored = {}
    # Written resources last: a resource both read and written in the batch keeps its JSON.
    for (patient_id, with_json), ids in sorted(wanted.items(), key=lambda item: item[0][1]):
        statement = _NAMED_WITH_JSON if with_json else _NAMED
        for row in conn.execute(statement, {"patient_id": patient_id, "ids": sorted(ids)}):
            stored[patient_id, row.id] = row
    return stored


def _resources(conn: Connection, exchange: Exchange, stored: _Stored) -> list[_Found]:
    """What a read or write named, in its order: the resources returned or written, or (for a
    refused read or update) the one its path names, if it is in the patient's compartment."""
    assert exchange.patient_id is not None
    ids, from_path = _named_ids(exchange)
    found = []
    for resource_id in ids:
        row = stored.get((exchange.patient_id, resource_id))
        if row is None:
            # Not in `resources` (the Patient itself) or not this patient's: only the reference
            # the request itself carried, and never for a path that was refused.
            ref = None if from_path else f"{exchange.resource_type}/{resource_id}"
            found.append(_Found(ref, None, None))
            continue
        subtype = row.subtype
        if row.resource_type == "Binary":
            document = owning_document(conn, exchange.patient_id, row.id)
            subtype = document.subtype if document else None
        ref = None if from_path else f"{row.resource_type}/{row.id}"
        found.append(_Found(ref, subtype, getattr(row, "json", None)))
    return found


class ExchangeRecorder:
    """Queues third-party exchanges and records them from one writer thread (see module doc)."""

    def __init__(
        self,
        platform: Platform,
        catalog_names: Mapping[str, str],
        *,
        payload_cap: int = PAYLOAD_CAP,
        idle_seconds: float = IDLE_SECONDS,
        linger_seconds: float = LINGER_SECONDS,
    ) -> None:
        self._platform = platform
        self._catalog_names = catalog_names
        self.payload_cap = payload_cap
        """Bytes of written resources kept with an exchange (see `PAYLOAD_CAP`)."""
        self.idle_seconds = idle_seconds
        """How long the writer thread waits for work before it ends (a new exchange restarts it)."""
        self.linger_seconds = linger_seconds
        """How long the writer lets exchanges gather before a commit (see `LINGER_SECONDS`)."""
        self.dropped = 0
        """Exchanges refused because the queue was full."""
        self._cond = threading.Condition()
        self._queue: deque[Exchange] = deque()
        self._submitted = 0
        self._processed = 0
        self._writer: threading.Thread | None = None
        self._idle = False  # the writer waits for work: only then does `submit` wake it
        self._flushing = 0  # readers waiting in `flush`: the writer stops lingering
        # Client id -> (kind, display name). Written by the writer thread only; `submit` reads it
        # (a dict read is atomic) to skip the patient's app without waking the writer.
        self._clients: dict[str, tuple[str | None, str]] = {}

    @property
    def running(self) -> bool:
        """True while the writer thread exists (it ends after `idle_seconds` without work)."""
        return self._writer is not None

    # --- the event-loop side -----------------------------------------------------------------

    def submit(self, exchange: Exchange) -> None:
        """The exchange listener: queue `exchange` if a token's client made it. Never raises."""
        if exchange.client_id is None or exchange.patient_id is None:
            return  # no valid token: no client, no patient, nobody's exchange
        known = self._clients.get(exchange.client_id)
        if known is not None and known[0] == "app":
            return  # the patient's own app: not an exchange (see `_record`)
        try:
            with self._cond:
                if len(self._queue) >= MAX_QUEUED:
                    self.dropped += 1
                    logger.error("Exchange log queue full: %s %s not recorded",
                                 exchange.method, exchange.path)
                    return
                self._queue.append(exchange)
                self._submitted += 1
                if self._writer is None:
                    writer = threading.Thread(
                        target=self._run, name="exchange-log-writer", daemon=True
                    )
                    writer.start()
                    self._writer = writer
                elif self._idle:
                    self._cond.notify_all()
        except Exception:
            logger.exception("Exchange not queued: %s %s", exchange.method, exchange.path)

    def flush(self, timeout: float = 5.0) -> bool:
        """Wait until every exchange queued before this call is recorded (or given up); False on
        timeout. Returns at once when nothing is queued, and cuts the writer's linger short."""
        with self._cond:
            target = self._submitted
            if self._processed >= target:
                return True
            self._flushing += 1
            self._cond.notify_all()
            try:
                return self._cond.wait_for(lambda: self._processed >= target, timeout)
            finally:
                self._flushing -= 1

    # --- the writer thread ---------------------------------------------------------------------

    def _run(self) -> None:
        while True:
            with self._cond:
                if not self._queue:
                    self._idle = True
                    self._cond.wait(self.idle_seconds)
                    self._idle = False
                    if not self._queue:
                        self._writer = None
                        return
                # Let a burst gather into one commit (one fsync), unless a reader is waiting.
                self._cond.wait_for(
                    lambda: self._flushing or len(self._queue) >= BATCH_LIMIT, self.linger_seconds
                )
                batch = [self._queue.popleft() for _ in range(min(len(self._queue), BATCH_LIMIT))]
            written = self._write(batch)
            with self._cond:
                self._processed += len(batch)
                self._cond.notify_all()
            if written:
                self._platform.notifier.notify()

    def _write(self, batch: list[Exchange]) -> int:
        """Record the batch; a database error (busy, I/O) is retried, anything else is logged."""
        attempt = 1
        while True:
            try:
                with self._platform.engine.begin() as conn:
                    return self._record(conn, batch)
            except OperationalError:
                if attempt < WRITE_ATTEMPTS:
                    logger.warning("Exchange log: write attempt %d failed, retrying", attempt,
                                   exc_info=True)
                    attempt += 1
                    continue
                logger.exception("Exchange log: %d exchange(s) lost", len(batch))
            except Exception:
                logger.exception("Exchange log: %d exchange(s) lost", len(batch))
            return 0

    def _record(self, conn: Connection, batch: list[Exchange]) -> int:
        """Insert the batch's third-party exchanges and their events; returns how many."""
        recorded = []
        for exchange in batch:
            assert exchange.client_id is not None and exchange.patient_id is not None
            kind, service = self._client(conn, exchange.client_id)
            # The patient's own app looking at their own data is not an exchange with a service.
            if kind != "app":
                recorded.append((exchange, service))
        if not recorded:
            return 0
        stored = _stored_resources(conn, [exchange for exchange, _ in recorded])
        rows = [self._row(conn, exchange, service, stored) for exchange, service in recorded]
        # Reads first, writes last: the write lock is held only for these inserts and the commit.
        # One executemany; RETURNING gives the ids in the rows' order.
        inserted = conn.execute(
            exchanges.insert().returning(exchanges.c.id, sort_by_parameter_order=True), rows
        )
        publish_many(conn, (
            event
            for exchange_id, row in zip(inserted.scalars(), rows, strict=True)
            for event in self._events(exchange_id, row)
        ))
        return len(rows)

    def _client(self, conn: Connection, client_id: str) -> tuple[str | None, str]:
        known = self._clients.get(client_id)
        if known is None:
            found = conn.execute(
                select(oauth_clients.c.kind, oauth_clients.c.name)
                .where(oauth_clients.c.client_id == client_id)
            ).first()
            name = self._catalog_names.get(client_id) or (found.name if found else client_id)
            known = (found.kind if found else None, name)
            self._clients[client_id] = known
        return known

    def _row(self, conn: Connection, exchange: Exchange, service: str, stored: _Stored) -> dict:
        data_class = data_class_of(exchange.resource_type)
        direction = direction_of(exchange.interaction)
        if exchange.interaction == "search":
            # A search returns its own type; its subtype comes from the query.
            found = []
            refs = [f"{exchange.resource_type}/{i}" for i in exchange.resource_ids]
        else:
            found = _resources(conn, exchange, stored)
            refs = [f.ref for f in found if f.ref]
        row = {
            "at": exchange.at,
            "patient_id": exchange.patient_id,
            "client_id": exchange.client_id,
            "service": service,
            "data_class": data_class,
            "subtype": self._subtype(exchange, data_class, found),
            "direction": direction,
            "interaction": exchange.interaction,
            "resource_type": exchange.resource_type,
            "outcome": exchange.outcome,
            "reason": exchange.reason[:MAX_REASON] if exchange.reason else None,
            "status": exchange.status,
            "method": exchange.method,
            "path": exchange.path[:MAX_PATH],
            "query": exchange.query[:MAX_QUERY],
            "resources": json.dumps(refs, separators=(",", ":")),
            "count": exchange.count,
            "payload": None,
            "payload_bytes": None,
        }
        if _keeps_payload(exchange):
            text = "[" + ",".join(f.json for f in found if f.json) + "]"
            size = len(text.encode())
            row["payload_bytes"] = size
            row["payload"] = text if size <= self.payload_cap else None
        return row

    @staticmethod
    def _subtype(exchange: Exchange, data_class: str, found: list[_Found]) -> str | None:
        if data_class == "agenda":
            return ALL
        if exchange.interaction == "search":
            return subtype_from_query(exchange.resource_type, exchange.query)
        # The first resource is the one the request was about (a measure before its derived BMI).
        return found[0].subtype if found else None

    @staticmethod
    def _events(exchange_id: int, row: dict) -> list[tuple[str, str, dict, datetime]]:
        """The `exchange` event of a recorded row, and `new_data` after an allowed write."""
        common = {
            "exchange_id": exchange_id,
            "client_id": row["client_id"],
            "service_name": row["service"],
            "data_class": row["data_class"],
            "subtype": row["subtype"],
        }
        patient_id, at = row["patient_id"], row["at"]
        events = [(patient_id, "exchange", {
            **common,
            "direction": row["direction"],
            "interaction": row["interaction"],
            "outcome": row["outcome"],
            "reason": row["reason"],
            "count": row["count"],
        }, at)]
        refs = json.loads(row["resources"]) if row["payload_bytes"] is not None else []
        if refs:  # an allowed write (the only exchanges with a payload size)
            events.append((patient_id, "new_data", {
                **common,
                "resource_type": refs[0].split("/")[0],
                "resource_ids": [r.split("/", 1)[1] for r in refs],
                "message": new_data_message(row["data_class"], row["subtype"],
                                            row["interaction"], row["service"]),
            }, at))
        return events
