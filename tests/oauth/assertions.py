"""Assertions shared by the authorization server tests."""

from __future__ import annotations

import httpx
from sqlalchemy import Engine

from mock_server.oauth.tokens import AccessToken, find_active_access_token
from mock_server.simulation.clock import Clock


def assert_oauth_error(response: httpx.Response, error: str, status: int = 400) -> dict:
    """An RFC 6749 §5.2 JSON error, described in (accent-free) French, never cached."""
    assert response.status_code == status, response.text
    body = response.json()
    assert body["error"] == error
    assert body["error_description"].isascii()
    assert not body["error_description"].startswith(("Invalid", "Missing", "The "))
    assert response.headers["cache-control"] == "no-store"
    return body


def active_token(engine: Engine, clock: Clock, access_token: str) -> AccessToken | None:
    """What the resource server sees for this access token right now."""
    with engine.connect() as conn:
        return find_active_access_token(conn, access_token, clock.now())


def is_active(engine: Engine, clock: Clock, access_token: str) -> bool:
    return active_token(engine, clock, access_token) is not None
