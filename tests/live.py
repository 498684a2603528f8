"""Run the real server with uvicorn on 127.0.0.1 in a background thread, for end-to-end tests."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager

import uvicorn

from mock_server.app import create_app
from mock_server.settings import Settings
from mock_server.simulation.clock import Clock


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def run_live_server(settings: Settings, clock: Clock) -> Iterator[str]:
    port = free_port()
    live = settings.model_copy(update={"host": "127.0.0.1", "port": port, "public_url": None})
    app = create_app(live, clock=clock, wall_clock=clock)
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    started = threading.Event()

    def wait_started() -> None:
        while not server.started and thread.is_alive():
            started.wait(0.01)

    wait_started()
    if not server.started:
        raise RuntimeError("the live server did not start")
    try:
        yield live.base_url
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        app.state.platform.engine.dispose()
