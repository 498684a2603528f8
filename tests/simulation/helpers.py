"""Helpers of the simulation and console tests: a live server that exposes its app, the patient's
side of connecting a service (JSON variant of /oauth/authorize, from /services/{id}/connect), the
facilitator's calls, and bounded polling."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TypeVar

import httpx
import uvicorn
from fastapi import FastAPI

from mock_server.app import create_app
from mock_server.settings import Settings
from mock_server.simulation.clock import Clock
from tests.live import free_port
from tests.oauth.flows import FACILITATOR_TOKEN, PASSWORD

ADMIN = {"Authorization": f"Bearer {FACILITATOR_TOKEN}"}
JSON = {"Accept": "application/json"}
T = TypeVar("T")


@dataclass(frozen=True)
class LiveServer:
    """The real server under uvicorn on 127.0.0.1, and its app (to look at its state)."""

    url: str
    app: FastAPI


@contextmanager
def run_server(settings: Settings, clock: Clock) -> Iterator[LiveServer]:
    port = free_port()
    live = settings.model_copy(update={"host": "127.0.0.1", "port": port, "public_url": None})
    app = create_app(live, clock=clock)
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port,
                                           log_level="warning", lifespan="on"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started and thread.is_alive() and time.monotonic() < deadline:
        time.sleep(0.01)
    if not server.started:
        raise RuntimeError("the live server did not start")
    try:
        yield LiveServer(live.base_url, app)
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        app.state.platform.engine.dispose()


async def wait_for(check: Callable[[], Awaitable[T]], *, timeout: float = 10.0,
                   what: str = "condition") -> T:
    """Poll `check` until it returns something truthy (bounded; no bare sleep)."""
    deadline = time.monotonic() + timeout
    while True:
        result = await check()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await asyncio.sleep(0.05)


async def connect_service(http: httpx.AsyncClient, service_id: str, username: str, *,
                          refuse: tuple[str, ...] = (), duration: str = "6m",
                          patient_id: str | None = None) -> dict:
    """The patient connects `service_id` from its page, unticking the scopes in `refuse`;
    returns the service's callback answer (JSON)."""
    start = await http.get(f"/services/{service_id}/connect", headers=JSON)
    assert start.status_code == 200, start.text
    step = (await http.get(start.json()["authorize_url"], headers=JSON)).json()
    step = await _post(http, {"csrf": step["csrf"], "username": username, "password": PASSWORD})
    if step["step"] == "choose_patient":
        chosen = patient_id or next(p["id"] for p in step["patients"] if p["self"])
        step = await _post(http, {"csrf": step["csrf"], "patient_id": chosen})
    assert step["step"] == "consent", step
    kept = [p["scope"] for p in step["permissions"] if p["scope"] not in refuse]
    step = await _post(http, {"csrf": step["csrf"], "scope": kept, "duration": duration,
                              "include_earlier": True, "decision": "allow"})
    assert step["step"] == "done", step
    answer = await http.get(step["redirect_to"], headers=JSON)
    assert answer.status_code == 200, answer.text
    return answer.json()


async def _post(http: httpx.AsyncClient, body: dict) -> dict:
    response = await http.post("/oauth/authorize", json=body, headers=JSON)
    assert response.status_code in (200, 400), response.text
    return response.json()


async def admin(http: httpx.AsyncClient, method: str, path: str, body: dict | None = None,
                expect: int = 200) -> dict:
    """A facilitator call, asserting its status; the JSON answer."""
    response = await http.request(method, f"/admin{path}", json=body, headers=ADMIN)
    assert response.status_code == expect, response.text
    return response.json()


async def exchanges(http: httpx.AsyncClient, token: str, **params: str) -> list[dict]:
    """The patient's exchange log (oldest first)."""
    response = await http.get("/exchanges", params={"limit": "500", **params},
                              headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200, response.text
    return response.json()["items"]


async def events(http: httpx.AsyncClient, token: str, kind: str) -> list[dict]:
    response = await http.get("/events", params={"kind": kind},
                              headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200, response.text
    return response.json()["items"]


def agent_row(connections: dict, service_id: str) -> dict:
    return next(a for a in connections["agents"] if a["service_id"] == service_id)
