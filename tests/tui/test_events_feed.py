"""The event feed of the client layer, against a scripted server (httpx.MockTransport): catch-up
through the cursor endpoint, then the stream resumed with Last-Event-ID, keep-alives skipped,
polling when the stream cannot open, and a lost server told then its return."""

from __future__ import annotations

import json
from collections.abc import Callable

import httpx

from ens_consent_tui.client.errors import SessionExpired
from ens_consent_tui.client.events import Event, EventFeed, FeedLost, FeedRestored
from ens_consent_tui.client.transport import Transport

BASE = "http://ens.test"
Handler = Callable[[httpx.Request], httpx.Response]


class ScriptedAuth:
    """Just what the feed needs of `Authenticator`: a transport, a token, authorized sends."""

    def __init__(self, handler: Handler) -> None:
        self.transport = Transport(BASE, transport=httpx.MockTransport(handler))
        self.access_token = "jeton"

    async def authorized(self, method: str, url: str, *, headers=None, **kwargs):
        headers = {**(headers or {}), "Authorization": "Bearer jeton"}
        response = await self.transport.send(method, url, headers=headers, **kwargs)
        if response.status_code == 401:
            raise SessionExpired()
        return response


def event(event_id: int, kind: str = "exchange") -> dict:
    return {"id": event_id, "kind": kind, "at": "2026-11-26T09:30:00+00:00",
            "exchange_id": event_id, "client_id": "glyco-pilote", "service_name": "GlycoPilote",
            "data_class": "measures", "subtype": "glucose", "direction": "read",
            "interaction": "search", "outcome": "allowed", "reason": None, "count": 1}


def sse(*events: dict) -> str:
    """An SSE body: a keep-alive comment after each event, like the server's pings."""
    return "".join(f"id: {e['id']}\nevent: {e['kind']}\ndata: {json.dumps(e)}\n\n"
                   ": keep-alive\n\n" for e in events)


class Platform:
    """A scripted `/events` + `/events/stream` server over a list of events."""

    def __init__(self, events: list[dict], *, stream_status: int = 200,
                 unreachable: int = 0, published_on_stream: list[dict] | None = None) -> None:
        self.events = events
        self.published_on_stream = published_on_stream or []
        """Events that happen once the stream is open (after the catch-up)."""
        self.stream_status = stream_status
        self.unreachable = unreachable
        self.last_event_ids: list[str] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        if self.unreachable:
            self.unreachable -= 1
            raise httpx.ConnectError("connexion refusée", request=request)
        assert request.headers["Authorization"] == "Bearer jeton"
        if request.url.path == "/events":
            after = int(request.url.params["after"])
            items = [e for e in self.events if e["id"] > after]
            return httpx.Response(200, json={"items": items, "latest": self.events[-1]["id"]})
        self.last_event_ids.append(request.headers.get("Last-Event-ID", ""))
        self.events.extend(self.published_on_stream)
        self.published_on_stream = []
        if self.stream_status != 200:
            return httpx.Response(self.stream_status, json={"detail": "non"})
        after = int(request.headers["Last-Event-ID"])
        body = sse(*(e for e in self.events if e["id"] > after))
        return httpx.Response(200, text=body, headers={"Content-Type": "text/event-stream"})


async def collect(feed: EventFeed, count: int, after: int | None = None) -> list:
    items = []
    async for item in feed.follow(after):
        items.append(item)
        if len(items) == count:
            break
    return items


async def no_wait(_seconds: float) -> None:
    return None


async def test_the_feed_catches_up_then_streams_from_the_last_event_seen_skipping_keep_alives(
        ) -> None:
    platform = Platform([event(1), event(2), event(3)], published_on_stream=[event(4, "new_data")])
    feed = EventFeed(ScriptedAuth(platform), sleep=no_wait)
    items = await collect(feed, 3, after=1)
    assert [(item.id, item.kind) for item in items] == [
        (2, "exchange"), (3, "exchange"), (4, "new_data")], \
        "the missed events through the cursor, then the stream; no keep-alive in between"
    assert platform.last_event_ids == ["3"]
    assert items[0].exchange().service_name == "GlycoPilote"


async def test_a_fresh_feed_starts_from_the_newest_event() -> None:
    platform = Platform([event(1), event(2)], published_on_stream=[event(3)])
    items = await collect(EventFeed(ScriptedAuth(platform), sleep=no_wait), 1)
    assert [item.id for item in items] == [3]
    assert platform.last_event_ids == ["2"]


async def test_a_stream_that_cannot_open_is_replaced_by_polling_the_cursor() -> None:
    platform = Platform([event(1)], stream_status=404, published_on_stream=[event(2)])
    feed = EventFeed(ScriptedAuth(platform), sleep=no_wait, poll_interval=0, poll_window=5)
    items = await collect(feed, 1, after=1)
    assert [item.id for item in items] == [2], "found by polling `/events?after=1`"
    assert platform.last_event_ids == ["1"], "the stream was tried first"


async def test_an_unreachable_server_is_told_with_growing_delays_then_its_return() -> None:
    platform = Platform([event(1), event(2)], unreachable=4)
    delays: list[float] = []

    async def sleep(seconds: float) -> None:
        delays.append(seconds)

    feed = EventFeed(ScriptedAuth(platform), sleep=sleep, retry_delays=(1.0, 2.0, 5.0))
    items = await collect(feed, 6, after=1)
    lost = [item for item in items if isinstance(item, FeedLost)]
    assert [item.retry_in for item in lost] == [1.0, 2.0, 5.0, 5.0]
    assert delays[:4] == [1.0, 2.0, 5.0, 5.0]
    assert isinstance(items[4], FeedRestored)
    assert isinstance(items[5], Event) and items[5].id == 2, "then what was missed"
