"""A small named set of SVG snapshots of the main screens, at 80×24 and 120×40.

Deterministic by construction: the real server with the seeded data and the frozen clock,
listening on a Unix socket under a fixed address (the login screen shows it), Karim Benali's
space, exchanges made before the app starts (so no toast), every load finished and every toast
cleared before the picture. Update with `pytest tests/tui/test_snapshots.py --snapshot-update`
and look at the SVGs before committing them.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterator

import httpx
import pytest
from textual.pilot import Pilot

from ens_consent_tui.app import EnsConsentApp, make_app
from ens_consent_tui.client import MemoryTokenStore
from ens_consent_tui.widgets.exchange_log import ExchangeLog
from mock_server.settings import Settings
from mock_server.simulation.clock import Clock
from tests.tui.conftest import wait_for
from tests.tui.exchanges_support import (
    GLUCOSE_READ,
    GLYCO,
    WEIGHT_READ,
    RestartableServer,
    Services,
)

ADDRESS = "http://localhost"
"""Where the app sees the server: fixed (a loopback name, so OAuth accepts plain http)."""
SIZES = pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])


@pytest.fixture
def server(settings: Settings, clock: Clock, tmp_path_factory) -> Iterator[RestartableServer]:
    # A short socket path (the limit is about 100 bytes).
    socket = tmp_path_factory.mktemp("s", numbered=True) / "ens.sock"
    running = RestartableServer(settings, clock, uds=str(socket), public_url=ADDRESS)
    running.start()
    yield running
    running.stop()


def snapshot_app(server: RestartableServer) -> EnsConsentApp:
    return make_app(ADDRESS, token_store=MemoryTokenStore(),
                    transport=httpx.AsyncHTTPTransport(uds=server.uds))


async def idle(pilot: Pilot) -> None:
    """Every worker done and no loading indicator left, then no toast."""
    app = pilot.app
    await wait_for(pilot, lambda: all(w.is_finished for w in app.workers)
                   and not any(widget.loading for widget in app.screen.query("*")), "idle")
    await pilot.pause()
    app.clear_notifications()
    await pilot.pause()


async def signed_in(pilot: Pilot) -> None:
    app = pilot.app
    await wait_for(pilot, lambda: getattr(app.screen, "server_reachable", None), "the server")
    await pilot.press("2")
    await wait_for(pilot, lambda: app.current_mode == "home", "Karim's home")
    await idle(pilot)


def section(key: str) -> Callable[[Pilot], Awaitable[None]]:
    async def open_section(pilot: Pilot) -> None:
        await signed_in(pilot)
        await pilot.press(key)
        await idle(pilot)

    return open_section


@SIZES
def test_login(snap_compare, server, size) -> None:
    async def reachable(pilot: Pilot) -> None:
        await wait_for(pilot, lambda: pilot.app.screen.server_reachable, "the server")
        await idle(pilot)

    assert snap_compare(snapshot_app(server), terminal_size=size, run_before=reachable)


@SIZES
def test_home(snap_compare, server, size) -> None:
    assert snap_compare(snapshot_app(server), terminal_size=size, run_before=signed_in)


@SIZES
def test_store(snap_compare, server, size) -> None:
    assert snap_compare(snapshot_app(server), terminal_size=size, run_before=section("c"))


@SIZES
def test_my_data(snap_compare, server, size) -> None:
    assert snap_compare(snapshot_app(server), terminal_size=size, run_before=section("d"))


@SIZES
def test_my_services(snap_compare, server, settings, size) -> None:
    asyncio.run(glyco_connected(server, settings))
    assert snap_compare(snapshot_app(server), terminal_size=size, run_before=section("s"))


@SIZES
def test_exchanges(snap_compare, server, settings, size) -> None:
    asyncio.run(exchanges_made(server, settings))

    async def log_shown(pilot: Pilot) -> None:
        await section("e")(pilot)
        log = pilot.app.screen.query_one(ExchangeLog)
        await wait_for(pilot, lambda: log.entry_count == 4, "the four exchanges")
        await idle(pilot)

    assert snap_compare(snapshot_app(server), terminal_size=size, run_before=log_shown)


async def glyco_connected(server: RestartableServer, settings: Settings):
    services = Services(ADDRESS, settings, uds=server.uds)
    return await services.catalogue(GLYCO, "karim.benali", grant=[GLUCOSE_READ, WEIGHT_READ])


async def exchanges_made(server: RestartableServer, settings: Settings) -> None:
    """GlycoPilote reads glucose (allowed), searches documents and writes glucose (both
    denied); an outside clinic writes a document."""
    glyco = await glyco_connected(server, settings)
    assert await glyco.read_glucose() == 200
    assert await glyco.read_documents() == 403
    assert await glyco.write_glucose() == 403
    clinic = await Services(ADDRESS, settings, uds=server.uds).outside("CHU des Belles Rives",
                                                                         "karim.benali")
    assert await clinic.write_document() == 201

