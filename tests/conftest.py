"""Shared fixtures: a frozen clock, a seeded database copied per test, the app and its clients.

Seeding is done once per test session into a template file; each test gets its own copy, so tests
are isolated and still fast.
"""

from __future__ import annotations

import shutil
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest
from sqlalchemy import Engine, select

from mock_server.app import create_app
from mock_server.oauth.tokens import mint_tokens
from mock_server.seed import seed_database
from mock_server.settings import Settings
from mock_server.simulation.clock import Clock
from mock_server.storage import create_storage_engine
from mock_server.storage.schema import accounts, patients

FROZEN_NOW = datetime(2026, 11, 26, 9, 30, tzinfo=UTC)
TEST_SEED = 2026
BASE_URL = "http://localhost"


@pytest.fixture(scope="session")
def template_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "seeded.db"
    engine = create_storage_engine(f"sqlite:///{path}")
    seed_database(engine, seed=TEST_SEED, now=FROZEN_NOW)
    with engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    engine.dispose()
    return path


@pytest.fixture
def db_url(template_db: Path, tmp_path: Path) -> str:
    path = tmp_path / "ens.db"
    shutil.copy(template_db, path)
    return f"sqlite:///{path}"


@pytest.fixture
def clock() -> Clock:
    return Clock.frozen(FROZEN_NOW)


@pytest.fixture
def settings(db_url: str) -> Settings:
    return Settings(
        database_url=db_url,
        seed=TEST_SEED,
        public_url=BASE_URL,
        facilitator_token="facilitator-test-token",
    )


@pytest.fixture
def app(settings: Settings, clock: Clock):
    application = create_app(settings, clock=clock, wall_clock=clock)
    yield application
    application.state.platform.engine.dispose()


@pytest.fixture
def engine(app) -> Engine:
    return app.state.platform.engine


@pytest.fixture
async def client(app) -> AsyncIterator[httpx.AsyncClient]:
    """An in-process client (httpx ASGITransport) at http://localhost."""
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url=BASE_URL) as c:
        yield c


@pytest.fixture
def patient_ids(engine: Engine) -> dict[str, str]:
    """Seed persona key -> patient id."""
    with engine.connect() as conn:
        rows = conn.execute(select(patients.c.profile, patients.c.id))
        return {row.profile: row.id for row in rows}


def mint_patient_token(
    engine: Engine,
    clock: Clock,
    username: str,
    *,
    patient_id: str | None = None,
    scope: str = "openid fhirUser patient/*.cruds",
    client_id: str = "ens-consent-app",
) -> str:
    """An access token stored exactly as the authorization server stores it (for FHIR tests)."""
    with engine.begin() as conn:
        own = conn.execute(
            select(accounts.c.patient_id).where(accounts.c.username == username)
        ).scalar_one()
        issued = mint_tokens(
            conn,
            client_id=client_id,
            username=username,
            patient_id=patient_id or own,
            scope=scope,
            now=clock.now(),
            access_ttl=3600,
            refresh_idle_ttl=None,
        )
    return issued.access_token


@pytest.fixture
def camille_token(engine: Engine, clock: Clock) -> str:
    """Access token of Camille Martin (pregnancy persona), the demo account."""
    return mint_patient_token(engine, clock, "camille.martin")


@pytest.fixture
def karim_token(engine: Engine, clock: Clock) -> str:
    return mint_patient_token(engine, clock, "karim.benali")


@pytest.fixture
def live_server(settings: Settings, clock: Clock) -> Iterator[str]:
    """The real server under uvicorn on 127.0.0.1 (a free port), for end-to-end tests."""
    from tests.live import run_live_server

    with run_live_server(settings, clock) as url:
        yield url
