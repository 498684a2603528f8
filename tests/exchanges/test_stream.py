"""The live feed `/events/stream` against uvicorn on 127.0.0.1 (in-process ASGI buffers whole
responses, so a stream never returns there; only its refusals are tested in process)."""

from __future__ import annotations

import asyncio
import json
import threading
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import AsyncExitStack
from dataclasses import dataclass

import httpx
import pytest
import uvicorn
from fastapi import FastAPI
from httpx_sse import ServerSentEvent, aconnect_sse
from sqlalchemy import text

from mock_server.app import create_app
from mock_server.events import publish
from mock_server.exchanges import exchange_log
from mock_server.settings import Settings
from mock_server.simulation.clock import Clock
from mock_server.storage import create_storage_engine
from tests.conftest import mint_patient_token
from tests.exchanges.conftest import (
    GLUCOSE,
    WEIGHT,
    WEIGHT_READ,
    Service,
    bearer,
    connect_service,
)
from tests.fhir.conftest import measure
from tests.live import free_port

WAIT = 5.0
"""Seconds any expected message may take at most (a bound, not a delay)."""


@dataclass
class Live:
    """A platform served by uvicorn in a thread, with its app and server at hand."""

    url: str
    app: FastAPI
    server: uvicorn.Server
    thread: threading.Thread


@pytest.fixture
def live(settings: Settings, clock: Clock) -> Iterator[Live]:
    port = free_port()
    served = settings.model_copy(update={"host": "127.0.0.1", "port": port, "public_url": None})
    app = create_app(served, clock=clock)
    log = exchange_log(app)
    log.keepalive_seconds, log.poll_seconds = 0.3, 0.2
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    started = threading.Event()
    for _ in range(int(WAIT / 0.01)):
        if server.started or not thread.is_alive():
            break
        started.wait(0.01)
    assert server.started, "uvicorn did not start"
    yield Live(served.base_url, app, server, thread)
    server.should_exit = True
    thread.join(timeout=WAIT)
    assert not thread.is_alive(), "uvicorn did not stop"
    app.state.platform.engine.dispose()


@pytest.fixture
async def http(live: Live) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=live.url, timeout=WAIT) as client:
        yield client


@pytest.fixture
def karim(live: Live, clock: Clock) -> str:
    """Karim's app token, stored as the authorization server stores it."""
    return mint_patient_token(live.app.state.platform.engine, clock, "karim.benali")


async def next_of(events: AsyncIterator[ServerSentEvent], kind: str) -> ServerSentEvent:
    """The next message of `kind` (httpx-sse also yields an empty event after each comment)."""
    async with asyncio.timeout(WAIT):
        async for message in events:
            if message.event == kind:
                return message
    raise AssertionError(f"the stream ended before an event {kind!r}")


async def until(condition: Callable[[], bool]) -> None:
    """Wait for `condition` (checked every 10 ms), at most `WAIT` seconds."""
    async with asyncio.timeout(WAIT):
        while not condition():
            await asyncio.sleep(0.01)


async def _glucose_id(http: httpx.AsyncClient, karim: str) -> str:
    page = await http.get("/fhir/Observation", params={"code": GLUCOSE, "_count": 1},
                          headers=bearer(karim))
    return page.json()["entry"][0]["resource"]["id"]


async def test_exchanges_reach_an_open_stream_as_they_happen_and_in_order(http, karim):
    glucose_id = await _glucose_id(http, karim)
    reader: Service = await connect_service(http, [WEIGHT_READ])
    async with aconnect_sse(http, "GET", "/events/stream", headers=bearer(karim)) as source:
        assert source.response.status_code == 200
        assert source.response.headers["content-type"].startswith("text/event-stream")
        events = source.aiter_sse()
        calls: list[Callable[[], Awaitable[httpx.Response]]] = [
            lambda: http.get("/fhir/Observation", params={"code": WEIGHT}, headers=reader.headers),
            lambda: http.get(f"/fhir/Observation/{glucose_id}", headers=reader.headers),
            lambda: http.post("/fhir/Observation", json=measure("body_weight", 88.0),
                              headers=reader.write_headers),
        ]
        received = []
        for call in calls:
            await call()
            received.append(await next_of(events, "exchange"))
    data = [json.loads(message.data) for message in received]
    assert [(d["interaction"], d["outcome"]) for d in data] == [
        ("search", "allowed"), ("read", "denied"), ("create", "denied")]
    assert [int(message.id) for message in received] == [d["id"] for d in data]
    assert data[0]["client_id"] == reader.client_id and data[0]["subtype"] == "body_weight"
    assert data[1]["reason"].startswith("Consentement non donné")
    logged = (await http.get("/exchanges", headers=bearer(karim))).json()["items"]
    assert [item["id"] for item in logged] == [d["exchange_id"] for d in data]


async def test_a_stream_starts_after_a_cursor_and_resumes_after_last_event_id(http, karim):
    reader = await connect_service(http, [WEIGHT_READ])
    for _ in range(2):
        await http.get("/fhir/Observation", params={"code": WEIGHT}, headers=reader.headers)
    log = (await http.get("/events", params={"kind": "exchange"}, headers=bearer(karim))).json()
    first, second = log["items"]

    async with aconnect_sse(http, "GET", "/events/stream", params={"after": "0"},
                            headers=bearer(karim)) as source:
        events = source.aiter_sse()
        assert (await next_of(events, "grant")).id == "1"
        assert int((await next_of(events, "exchange")).id) == first["id"]
    # Reconnecting like EventSource does: same URL, Last-Event-ID wins over `after`.
    async with aconnect_sse(http, "GET", "/events/stream", params={"after": "0"},
                            headers={**bearer(karim), "Last-Event-ID": str(first["id"])}) as source:
        resumed = await next_of(source.aiter_sse(), "exchange")
    assert int(resumed.id) == second["id"]
    assert json.loads(resumed.data) == second


async def test_keep_alive_comments_flow_while_nothing_happens(http, karim):
    async with http.stream("GET", "/events/stream", headers=bearer(karim)) as response:
        assert response.headers["cache-control"] == "no-store"
        async with asyncio.timeout(WAIT):
            async for line in response.aiter_lines():
                if line:
                    break
    assert line == ": keep-alive"


async def test_events_written_by_another_process_are_seen(live, http, karim, patient_ids):
    async with aconnect_sse(http, "GET", "/events/stream", headers=bearer(karim)) as source:
        # Another process on the same database: its own engine, no in-process wake-up.
        other = create_storage_engine(live.app.state.platform.settings.database_url)
        with other.begin() as conn:
            publish(conn, patient_id=patient_ids["diabetes"], kind="clock",
                    payload={"speed": 600}, at=live.app.state.platform.clock.now())
        other.dispose()
        message = await next_of(source.aiter_sse(), "clock")
    assert json.loads(message.data)["speed"] == 600


async def test_a_closed_stream_gives_its_place_back_and_too_many_are_429(
    live, http, karim, patient_ids
):
    slots = exchange_log(live.app).streams
    slots.per_patient = 2
    async with AsyncExitStack() as stack:
        for _ in range(2):
            source = await stack.enter_async_context(
                aconnect_sse(http, "GET", "/events/stream", headers=bearer(karim)))
            assert source.response.status_code == 200
        refused = await http.get("/events/stream", headers=bearer(karim))
        assert refused.status_code == 429
        assert refused.headers["retry-after"] == "5"
        assert "Au plus 2 flux" in refused.json()["detail"]
    await until(lambda: slots.open_streams(patient_ids["diabetes"]) == 0)
    async with aconnect_sse(http, "GET", "/events/stream", headers=bearer(karim)) as source:
        assert source.response.status_code == 200


async def test_uvicorn_stops_while_a_stream_is_open(live, http, karim):
    async with http.stream("GET", "/events/stream", headers=bearer(karim)) as response:
        assert response.status_code == 200
        live.server.should_exit = True
        async with asyncio.timeout(WAIT):
            lines = [line async for line in response.aiter_lines()]
    assert all(line in ("", ": keep-alive") for line in lines)
    live.thread.join(timeout=WAIT)
    assert not live.thread.is_alive()


@pytest.mark.parametrize(("headers", "params", "status", "words"), [
    ({}, {}, 401, "Jeton d'accès manquant"),
    ({"Last-Event-ID": "abc"}, {}, 400, "Last-Event-ID"),
    ({}, {"after": "-3"}, 400, "after"),
    ({}, {"kind": "everything"}, 400, "clock, exchange, grant, new_data, suspension"),
    ({}, {"limit": "5"}, 400, "paramètres possibles : after, kind"),
])
async def test_a_stream_that_cannot_start_is_refused_with_a_problem(
    client, karim_token, headers, params, status, words
):
    auth = bearer(karim_token) if status != 401 else {}
    response = await client.get("/events/stream", params=params, headers={**auth, **headers})
    assert response.status_code == status
    assert words in response.json()["detail"]


async def test_a_service_token_cannot_open_the_patients_stream(client, service):
    reader = await service([WEIGHT_READ])
    response = await client.get("/events/stream", headers=reader.headers)
    assert response.status_code == 403
    assert response.headers["content-type"] == "application/problem+json"


async def test_exchanges_still_queued_are_written_when_the_server_stops(live, http, karim):
    reader = await connect_service(http, [WEIGHT_READ])
    recorder = exchange_log(live.app).recorder
    recorder.linger_seconds = 60.0  # the writer would hold this exchange for a minute
    await http.get("/fhir/Observation", params={"code": WEIGHT}, headers=reader.headers)
    live.server.should_exit = True
    live.thread.join(timeout=WAIT)
    assert not live.thread.is_alive()
    with live.app.state.platform.engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM exchanges")).scalar_one() == 1


async def test_a_stream_ends_when_its_token_is_revoked(http, karim):
    async with http.stream("GET", "/events/stream", headers=bearer(karim)) as response:
        assert response.status_code == 200
        revoked = await http.post("/oauth/revoke",
                                  data={"token": karim, "client_id": "ens-consent-app"})
        assert revoked.status_code == 200
        async with asyncio.timeout(WAIT):
            lines = [line async for line in response.aiter_lines()]
    assert all(line in ("", ": keep-alive") for line in lines)
    assert (await http.get("/events/stream", headers=bearer(karim))).status_code == 401
