"""The running platform's shared objects, reached from a request through `app.state.platform`."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import Engine
from starlette.requests import Request

from mock_server.events.notifier import Notifier
from mock_server.settings import Settings
from mock_server.simulation.clock import Clock


@dataclass
class Platform:
    """Settings, database, clock and event wake-up of one server (no module globals)."""

    settings: Settings
    engine: Engine
    clock: Clock
    notifier: Notifier = field(default_factory=Notifier)


def get_platform(request: Request) -> Platform:
    return request.app.state.platform
