"""Fixtures of the console tests: the app's simulation reaching the app in process (ASGI), and
the live server of the simulation tests for the terminal commands."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

from tests.simulation.conftest import http, live

__all__ = ["http", "live"]


@pytest.fixture
async def simulated(app) -> AsyncIterator[object]:
    """The app's simulation, its agents calling the app in process; stopped after the test."""
    simulation = app.state.platform.simulation
    simulation.transport_factory = lambda: httpx.ASGITransport(app=app)
    yield simulation
    await simulation.stop()
