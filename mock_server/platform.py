"""The running platform's shared objects, reached from a request through `app.state.platform`."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from sqlalchemy import Engine
from starlette.requests import Request

from mock_server.events.notifier import Notifier
from mock_server.settings import MAILLES, Settings
from mock_server.simulation.clock import Clock

if TYPE_CHECKING:
    from mock_server.simulation.runtime import Simulation


@dataclass
class Platform:
    """Settings, database, clock and event wake-up of one server (no module globals)."""

    settings: Settings
    engine: Engine
    clock: Clock
    notifier: Notifier = field(default_factory=Notifier)
    wall_clock: Clock = field(default_factory=Clock)
    """Real time, for human-paced steps (login sessions): a workshop's clock at x600 or a jump
    of a week must not expire the page a participant is reading."""
    simulation: Simulation | None = None
    """The service agents and clock controls (set by `mock_server.simulation.install`)."""

    def set_maille(self, maille: str) -> None:
        """Offer `maille` in every consent dialog from the next request on.

        `settings` stays the one place the granularity lives: every request reads
        `platform.settings` afresh, so replacing it with a copy is seen at once, and a settings
        object shared with anything else (a test's fixture, another app) is never changed.
        Existing grants keep the granularity they were given under (it is stored with them).
        """
        if maille not in MAILLES:
            raise ValueError(f"unknown maille {maille!r}")
        self.settings = self.settings.model_copy(update={"maille": maille})


def get_platform(request: Request) -> Platform:
    return request.app.state.platform
