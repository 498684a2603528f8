"""Simulation: the server clock, the simulated services' behaviours and agents, named states.

`install(app)` loads and checks `behaviours.yaml` and `states.yaml` (a broken file stops the
start), creates the app's `Simulation` (`platform.simulation`), mounts the services' own pages
(`/services/{id}/connect`, `/services/{id}/callback`) and starts/stops the agents with the app's
lifespan.
"""

from fastapi import FastAPI


def install(app: FastAPI) -> None:
    """Set up the simulation of `app` (after the exchange log and the register are installed)."""
    # Imported here: `mock_server.platform` imports the clock from this package, and the
    # simulation itself needs the platform.
    from mock_server.simulation.setup import install_simulation

    install_simulation(app)
