"""The live feed: a patient's events as Server-Sent Events, read from the `events` table.

Each message is `id: <event id>`, `event: <kind>`, `data: <the event as JSON on one line>`; a
`: keep-alive` comment goes out every `keepalive_seconds`. The stream wakes as soon as this
process commits events (`platform.notifier`) and also re-reads the table every `poll_seconds`, so
events written by another process on the same database arrive too. At each wake-up it checks that
the token is still valid: a revoked or expired token ends the stream (the reconnection gets 401).
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Callable

from sqlalchemy import Connection
from sse_starlette import EventSourceResponse, ServerSentEvent
from starlette.types import Receive, Scope, Send

from mock_server.events import read_after
from mock_server.platform import Platform

BATCH = 200
"""Events read per query; a backlog is sent in batches without waiting in between."""


async def event_messages(
    platform: Platform,
    patient_id: str,
    after: int,
    kinds: frozenset[str] | None,
    *,
    poll_seconds: float,
    stopping: Callable[[], bool],
    authorized: Callable[[Connection], bool],
) -> AsyncIterator[ServerSentEvent]:
    """The patient's events with id > `after`, then each new one, until `stopping()` or until
    `authorized(conn)` turns false."""
    notifier = platform.notifier
    # Subscribed before the first read: a commit between a read and the wait is not missed.
    waiter = notifier.subscribe()
    cursor = after
    try:
        while not stopping():
            # A short indexed read on the loop, like every FHIR read (WAL readers never wait).
            with platform.engine.connect() as conn:
                if not authorized(conn):
                    return
                batch = read_after(conn, patient_id, cursor, limit=BATCH, kinds=kinds)
            for event in batch:
                cursor = event.id
                data = json.dumps(event.as_json(), ensure_ascii=False, separators=(",", ":"))
                yield ServerSentEvent(data=data, event=event.kind, id=str(event.id))
            if len(batch) < BATCH:
                await notifier.wait(waiter, poll_seconds)
    finally:
        notifier.unsubscribe(waiter)


def _keep_alive() -> ServerSentEvent:
    return ServerSentEvent(comment="keep-alive")


class EventStream(EventSourceResponse):
    """An SSE response that gives its stream slot back however it ends (end of stream, client
    gone, server stopping)."""

    def __init__(
        self, content: AsyncIterator[ServerSentEvent], *, keepalive_seconds: float,
        release: Callable[[], None],
    ) -> None:
        super().__init__(content, ping=keepalive_seconds, ping_message_factory=_keep_alive)
        self._release = release

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        try:
            await super().__call__(scope, receive, send)
        finally:
            self._release()
