"""Wiring the simulation into the app (see `mock_server.simulation.install`)."""

from __future__ import annotations

from fastapi import FastAPI

from mock_server.catalog import load_catalog
from mock_server.exchanges import exchange_log
from mock_server.simulation.behaviours import load_behaviours
from mock_server.simulation.routes import router
from mock_server.simulation.runtime import LogHooks, Simulation
from mock_server.simulation.states import load_states


def install_simulation(app: FastAPI) -> None:
    platform = app.state.platform
    simulation = Simulation(platform, load_catalog(), load_behaviours())
    log = exchange_log(app)
    simulation.hooks = LogHooks(flush=log.recorder.flush, open_streams=log.streams.open_streams)
    platform.simulation = simulation
    app.state.named_states = load_states()
    app.include_router(router)
    app.router.add_event_handler("startup", simulation.start)
    # First on shutdown: agents stop before the exchange log writes its last exchanges.
    app.router.on_shutdown.insert(0, simulation.stop)
