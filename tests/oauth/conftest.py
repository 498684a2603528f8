"""Fixtures of the authorization server tests: registered outside clients and table readers."""

from __future__ import annotations

import httpx
import pytest
from sqlalchemy import Engine, select

from mock_server.storage.schema import tokens
from tests.oauth.flows import register_outside_client


@pytest.fixture
async def outside_client(client: httpx.AsyncClient) -> dict:
    """A confidential outside client (client_secret_basic), as RFC 7591 registered it."""
    return await register_outside_client(client)


@pytest.fixture
async def public_client(client: httpx.AsyncClient) -> dict:
    """A public outside client (no secret, PKCE only) on a loopback redirect URI."""
    return await register_outside_client(client, public=True, name="Appli Publique",
                                         redirect_uri="http://127.0.0.1/cb")


@pytest.fixture
def token_rows(engine: Engine):
    """Read the stored token rows of a family (to check revocation)."""

    def read(family_id: str) -> list:
        with engine.connect() as conn:
            return conn.execute(select(tokens).where(tokens.c.family_id == family_id)).all()

    return read
