"""The running platform's shared objects, reached from a request through `app.state.platform`."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from sqlalchemy import Engine
from starlette.requests import Request

from mock_server.events.notifier import Notifier
from mock_server.settings import Settings
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


def get_platform(request: Request) -> Platform:
    return request.app.state.platform
