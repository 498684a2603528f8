"""The server factory: `create_app(settings)` builds the whole platform.

Tests, the CLI, benchmarks and the embedded launcher all go through it.
"""

from __future__ import annotations

from fastapi import FastAPI
from sqlalchemy import Engine

from mock_server import __version__, admin, catalog, consent, exchanges, fhir, oauth, simulation
from mock_server.platform import Platform
from mock_server.problems import Problem, handle_problem
from mock_server.seed import seed_database
from mock_server.settings import Settings
from mock_server.simulation.clock import Clock
from mock_server.storage import create_storage_engine


def create_app(
    settings: Settings | None = None,
    *,
    clock: Clock | None = None,
    engine: Engine | None = None,
    fresh: bool = False,
    wall_clock: Clock | None = None,
) -> FastAPI:
    """Build the platform: open the database, seed it when empty, mount every API."""
    settings = settings or Settings()
    clock = clock or Clock()
    engine = engine or create_storage_engine(settings.database_url)
    seed_database(engine, seed=settings.seed, now=clock.now(), fresh=fresh)
    platform = Platform(settings=settings, engine=engine, clock=clock,
                        wall_clock=wall_clock or Clock())

    app = FastAPI(
        title="Mock ENS platform",
        version=__version__,
        description="Simulated Espace Numérique de Santé: OAuth 2 / OIDC, FHIR R4, store, consent.",
    )
    app.state.platform = platform
    app.add_exception_handler(Problem, handle_problem)
    # FHIR first: its routes are the hot path, and the router tries routes in order.
    fhir.install(app)
    oauth.install(app)
    exchanges.install(app)
    catalog.install(app)
    consent.install(app)
    simulation.install(app)
    admin.install(app)
    return app
