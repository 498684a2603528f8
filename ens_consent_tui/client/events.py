"""The live event feed of the logged-in space: `/events/stream` (Server-Sent Events), resumed
after every drop, with the cursor endpoint as fallback.

`EventFeed.follow()` is an async iterator of what the app needs to know: each `Event` once and in
order, `FeedLost` when the server stops answering (with the delay before the next try) and
`FeedRestored` when it answers again. Each (re)connection first reads what was missed through
`GET /events?after=<last id>` with `auth.authorized` (which refreshes an expired access token),
then opens the stream with `Last-Event-ID: <last id>`. A stream that cannot be opened (no
streaming at this address, too many streams open) is replaced by polling the cursor endpoint for
a while before the stream is tried again. Only `SessionExpired` ends the iteration; cancelling
the task that iterates closes the connection.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Final

import httpx
from httpx_sse import SSEError, aconnect_sse

from ens_consent_tui.client.auth import Authenticator
from ens_consent_tui.client.errors import (
    ClientError,
    SessionExpired,
    UnexpectedResponse,
)
from ens_consent_tui.client.exchanges import ExchangeSummary
from ens_consent_tui.client.records import parse_instant
from ens_consent_tui.client.transport import checked, json_body

KINDS: Final = frozenset({"exchange", "grant", "new_data", "suspension", "clock"})
"""What the platform tells the app about; anything else on the stream (keep-alives) is skipped."""
CATCH_UP_LIMIT: Final = 500
RETRY_DELAYS: Final = (1.0, 2.0, 5.0)
"""Seconds before each new try while the server does not answer (the last one repeats)."""
POLL_INTERVAL: Final = 2.0
POLL_WINDOW: Final = 30.0
"""Seconds of polling before the stream is tried again."""
STREAM_TIMEOUT: Final = httpx.Timeout(10.0, read=45.0)
"""The server sends a keep-alive every 15 s: 45 s of silence means the connection is dead."""


@dataclass(frozen=True)
class Event:
    """One event of the patient's feed: `data` is the event as the server sent it."""

    id: int
    kind: str
    at: datetime
    data: dict[str, Any]

    @classmethod
    def from_json(cls, data: Any) -> Event:
        if not isinstance(data, dict):
            raise UnexpectedResponse("event: not a JSON object")
        at = parse_instant(data.get("at"))
        try:
            if at is None:
                raise ValueError("at")
            return cls(int(data["id"]), str(data["kind"]), at, data)
        except (KeyError, TypeError, ValueError) as error:
            raise UnexpectedResponse(f"event: {error}") from error

    @property
    def service_name(self) -> str:
        return str(self.data.get("service_name") or self.data.get("client_id") or "")

    def exchange(self) -> ExchangeSummary | None:
        """The exchange an `exchange` event reports (None for other kinds)."""
        if self.kind != "exchange":
            return None
        return ExchangeSummary.from_json(self.data, id_key="exchange_id")


@dataclass(frozen=True)
class FeedLost:
    """The server does not answer; the next try is in `retry_in` seconds."""

    retry_in: float
    reason: str


@dataclass(frozen=True)
class FeedRestored:
    """The server answers again; the events missed meanwhile follow."""


FeedItem = Event | FeedLost | FeedRestored


class StreamUnavailable(ClientError):
    """The stream could not be opened (the cursor endpoint still works)."""


class EventFeed:
    """Follows the logged-in space's events (see the module docstring)."""

    def __init__(self, auth: Authenticator, *,
                 retry_delays: Sequence[float] = RETRY_DELAYS,
                 poll_interval: float = POLL_INTERVAL, poll_window: float = POLL_WINDOW,
                 sleep: Callable[[float], Awaitable[None]] = asyncio.sleep) -> None:
        self.auth = auth
        self.retry_delays = tuple(retry_delays)
        self.poll_interval = poll_interval
        self.poll_window = poll_window
        self._sleep = sleep

    async def follow(self, after: int | None = None) -> AsyncIterator[FeedItem]:
        """Every event after `after` (default: from now on), then each new one, forever."""
        cursor, failures, lost = after, 0, False
        while True:
            try:
                if cursor is None:
                    cursor = await self.latest()
                backlog = await self.read_after(cursor)
            except SessionExpired:
                raise
            except ClientError as error:
                delay = self.retry_delays[min(failures, len(self.retry_delays) - 1)]
                failures, lost = failures + 1, True
                yield FeedLost(delay, error.reason)
                await self._sleep(delay)
                continue
            if lost:
                lost = False
                yield FeedRestored()
            failures = 0
            for event in backlog:
                cursor = event.id
                yield event
            if len(backlog) == CATCH_UP_LIMIT:
                continue  # more missed events: read them before streaming
            streamed = False
            async for event in self._live(cursor):
                streamed, cursor = True, event.id
                yield event
            if not streamed:
                # A stream that ended at once (token just expired, server stopping): pause a
                # little, so that a persistent refusal never turns into a busy loop.
                await self._sleep(self.retry_delays[0])

    async def latest(self) -> int:
        """The id of the space's newest event (0 when none)."""
        body = await self._events_page(0, 1)
        return int(body.get("latest") or 0)

    async def read_after(self, after: int) -> list[Event]:
        """The events after `after`, oldest first (at most `CATCH_UP_LIMIT`)."""
        body = await self._events_page(after, CATCH_UP_LIMIT)
        items = body.get("items")
        if not isinstance(items, list):
            raise UnexpectedResponse("/events: no items")
        return [Event.from_json(item) for item in items]

    async def _events_page(self, after: int, limit: int) -> dict:
        response = checked(await self.auth.authorized(
            "GET", "/events", params={"after": after, "limit": limit},
            headers={"Accept": "application/json"}))
        body = json_body(response)
        if not isinstance(body, dict):
            raise UnexpectedResponse("/events: not a JSON object")
        return body

    async def _live(self, after: int) -> AsyncIterator[Event]:
        """The stream's events; polling instead when the stream cannot be opened. Ends when the
        connection ends (the caller reconnects)."""
        try:
            async for event in self._stream(after):
                after = event.id
                yield event
        except StreamUnavailable:
            async for event in self._poll(after):
                yield event

    async def _stream(self, after: int) -> AsyncIterator[Event]:
        token = self.auth.access_token
        if token is None:
            raise SessionExpired()
        headers = {"Authorization": f"Bearer {token}", "Last-Event-ID": str(after)}
        try:
            async with aconnect_sse(self.auth.transport.http, "GET", "/events/stream",
                                    headers=headers, timeout=STREAM_TIMEOUT) as source:
                status = source.response.status_code
                if status == 401:
                    return  # the catch-up of the next connection refreshes the token
                if status != 200:
                    raise StreamUnavailable(f"HTTP {status}")
                async for sse in source.aiter_sse():
                    if sse.event in KINDS:
                        yield Event.from_json(json.loads(sse.data))
        except SSEError as error:
            raise StreamUnavailable(str(error)) from error
        except (httpx.TransportError, json.JSONDecodeError):
            # The connection dropped or a message was cut: the next catch-up tells whether the
            # server is still there and resumes after the last event seen.
            return

    async def _poll(self, after: int) -> AsyncIterator[Event]:
        deadline = time.monotonic() + self.poll_window
        while time.monotonic() < deadline:
            await self._sleep(self.poll_interval)
            for event in await self.read_after(after):
                after = event.id
                yield event

