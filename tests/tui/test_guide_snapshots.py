"""The guide's panel in pictures: the login screen of a guided scenario, beside the screen on a
wide terminal and below it on a narrow one (before sign-in nothing in it moves).

Update with `pytest tests/tui/test_guide_snapshots.py --snapshot-update` and look at the SVGs.
"""

from __future__ import annotations

import httpx
from textual.pilot import Pilot

from ens_consent_tui.app import EnsConsentApp, make_app
from ens_consent_tui.client import MemoryTokenStore
from ens_consent_tui.scenarios.loader import load_text
from tests.tui.conftest import wait_for
from tests.tui.exchanges_support import RestartableServer
from tests.tui.test_guide import SCENARIO
from tests.tui.test_snapshots import ADDRESS, SIZES, idle, server  # noqa: F401 - fixture


def guided_snapshot_app(running: RestartableServer) -> EnsConsentApp:
    return make_app(ADDRESS, token_store=MemoryTokenStore(),
                    transport=httpx.AsyncHTTPTransport(uds=running.uds),
                    scenario=load_text(SCENARIO))


@SIZES
def test_guided_login(snap_compare, server, size) -> None:  # noqa: F811 - the fixture
    async def reachable(pilot: Pilot) -> None:
        await wait_for(pilot, lambda: pilot.app.screen.server_reachable, "the server")
        await idle(pilot)

    assert snap_compare(guided_snapshot_app(server), terminal_size=size, run_before=reachable)
