"""Fixtures of the simulation tests: the real server under uvicorn with its app at hand, an HTTP
client on it, and the patients' app tokens."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import httpx
import pytest
from sqlalchemy import select

from mock_server.settings import Settings
from mock_server.simulation.clock import Clock
from mock_server.storage.schema import accounts
from tests.conftest import mint_patient_token
from tests.simulation.helpers import LiveServer, run_server


@pytest.fixture
def live(settings: Settings, clock: Clock) -> Iterator[LiveServer]:
    with run_server(settings, clock) as server:
        yield server


@pytest.fixture
async def http(live: LiveServer) -> AsyncIterator[httpx.AsyncClient]:
    """A client of the live server over real HTTP (it keeps the login cookie between steps)."""
    async with httpx.AsyncClient(base_url=live.url, timeout=30) as client:
        yield client


@pytest.fixture
def app_token(live: LiveServer, clock: Clock):
    """`app_token("camille.martin")`: a live token of the patient's own app."""
    engine = live.app.state.platform.engine

    def mint(username: str) -> str:
        return mint_patient_token(engine, clock, username)

    return mint


@pytest.fixture
def patient_of(live: LiveServer):
    engine = live.app.state.platform.engine

    def find(username: str) -> str:
        with engine.connect() as conn:
            return conn.execute(select(accounts.c.patient_id)
                                .where(accounts.c.username == username)).scalar_one()

    return find
