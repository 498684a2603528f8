"""Recording expiry noticed while reading: FHIR requests read on a read-only connection, so an
expiry the clock decided is written in a short transaction of its own, then readers are woken."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Connection, select

from mock_server.consent.changes import GrantWriter
from mock_server.consent.model import ACTOR_PLATFORM, Grant
from mock_server.events import Notifier
from mock_server.storage.schema import grants as grants_table


def settle_expiries(conn: Connection, grants: list[Grant], now: datetime,
                    notifier: Notifier | None) -> list[Grant]:
    """`grants` with every one past its end date recorded as expired (first notice wins)."""
    due = [grant for grant in grants if grant.is_due_to_expire(now)]
    if not due:
        return grants
    with conn.engine.begin() as write:
        writer = GrantWriter(write, now, ACTOR_PLATFORM)
        settled = {}
        for grant in due:
            # Re-read in this transaction: another request may have recorded it meanwhile.
            current = Grant.from_row(
                write.execute(select(grants_table).where(grants_table.c.id == grant.id)).one())
            settled[grant.id] = writer.expire_if_due(current)
    if writer.published and notifier is not None:
        notifier.notify()
    return [settled.get(grant.id, grant) for grant in grants]
