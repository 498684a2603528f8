"""A lost server: a banner says so and when the app tries again, the app keeps working, and
when the server is back the banner goes and the live feed resumes after the last event seen."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import pytest

from ens_consent_tui.app import make_app
from ens_consent_tui.client import MemoryTokenStore
from ens_consent_tui.messages import ConnectionLost, ConnectionRestored, ExchangesLoaded
from ens_consent_tui.screens.data import DataScreen
from ens_consent_tui.widgets.connection_banner import ConnectionBanner
from ens_consent_tui.widgets.exchange_log import ExchangeLog
from mock_server.settings import Settings
from mock_server.simulation.clock import Clock
from tests.tui.conftest import seen, settle, sign_in_demo, wait_for
from tests.tui.exchanges_support import GLUCOSE_READ, GLYCO, RestartableServer, Services


@pytest.fixture
def server(settings: Settings, clock: Clock) -> Iterator[RestartableServer]:
    running = RestartableServer(settings, clock)
    running.start()
    yield running
    running.stop()


def banner_text(app) -> str:
    banner = app.screen.query_one(ConnectionBanner)
    return str(banner.render()) if banner.display else ""


async def test_a_lost_server_shows_a_banner_and_the_feed_resumes_when_it_is_back(
        server, settings, messages) -> None:
    app = make_app(server.url, token_store=MemoryTokenStore())
    app.client.events.retry_delays = (0.5, 1.0)
    glyco = await Services(server.url, settings).catalogue(GLYCO, "karim.benali",
                                                           grant=[GLUCOSE_READ])
    async with app.run_test(size=(120, 40), message_hook=messages.append) as pilot:
        await sign_in_demo(pilot, 2)
        await pilot.press("e")
        await wait_for(pilot, lambda: seen(messages, ExchangesLoaded), "the log")
        log = app.screen.query_one(ExchangeLog)
        assert await glyco.read_glucose() == 200
        await wait_for(pilot, lambda: log.entry_count == 1, "a first exchange")

        await asyncio.to_thread(server.stop)
        await wait_for(pilot, lambda: banner_text(app), "the banner")
        assert banner_text(app).startswith("⚠ Serveur injoignable — nouvelle tentative ")
        assert seen(messages, ConnectionLost)

        await pilot.press("d")  # the app keeps working: another section, its loads fail
        await wait_for(pilot, lambda: isinstance(app.screen, DataScreen), "Mes données")
        await settle(pilot)
        assert banner_text(app).startswith("⚠ Serveur injoignable"), "on every section"
        assert any(n.title == "Serveur injoignable" for n in app._notifications)
        await pilot.press("e")
        await settle(pilot)

        await asyncio.to_thread(server.start)
        assert await glyco.read_glucose() == 200
        await wait_for(pilot, lambda: log.entry_count == 2, "the exchange made meanwhile")
        await wait_for(pilot, lambda: banner_text(app) == "", "the banner gone")
        assert seen(messages, ConnectionRestored)
        assert any(n.title == "Connexion rétablie" for n in app._notifications)
        assert [e.exchange.id for e in log.shown()] == [1, 2], "each exchange once, in order"
        assert app.is_running
