"""The facilitator console: a JSON API under `/admin` (see `routes`) guarded by the facilitator
token, and the same actions from a terminal (`ens-mock-server admin`, see `cli`)."""

from fastapi import FastAPI

__all__ = ["install"]


def install(app: FastAPI) -> None:
    """Mount `/admin/*` (after `mock_server.simulation.install`)."""
    # Imported here so that the terminal commands (`admin.cli`) load without the server.
    from mock_server.admin.routes import router

    app.include_router(router)
