"""Odd client input never gets a 500; sessions expire on the simulated clock; real HTTP works."""

from __future__ import annotations

from datetime import timedelta

import httpx
import pytest

from mock_server.oauth.clients import APP_CLIENT_ID, APP_SCOPE
from tests.oauth.flows import (
    APP_CALLBACK,
    FORM,
    authorization_params,
    authorize_app,
    login,
    make_pkce,
    redirect_params,
    start,
)


@pytest.mark.parametrize(("method", "path", "kwargs"), [
    ("GET", "/oauth/authorize?foo=bar", {}),
    ("GET", "/oauth/authorize?client_id=%00%ff&response_type=code", {}),
    ("POST", "/oauth/authorize", {"json": [1, 2]}),
    ("POST", "/oauth/authorize", {"json": {"csrf": {"a": 1}, "scope": {"x": 1}}}),
    ("POST", "/oauth/authorize", {"content": b"\xff\xfe", "headers": FORM}),
    ("POST", "/oauth/authorize", {"content": b"{not json", "headers": {
        "Content-Type": "application/json"}}),
    ("POST", "/oauth/authorize", {"content": b"x" * 70_000, "headers": FORM}),
    ("POST", "/oauth/token", {"data": {"grant_type": "refresh_token"}}),
    ("POST", "/oauth/token", {"data": {"grant_type": "authorization_code"}}),
    ("POST", "/oauth/token", {"data": {}}),
    ("POST", "/oauth/token", {"data": {"grant_type": "authorization_code", "code": "x",
                                       "client_id": "inconnu"}}),
    ("POST", "/oauth/token", {"data": {"grant_type": "authorization_code"},
                              "headers": {"Authorization": "Basic %%%"}}),
    ("POST", "/oauth/revoke", {"data": {"client_id": APP_CLIENT_ID}}),
    ("POST", "/oauth/revoke", {"data": {"token": "x", "token_type_hint": "bizarre",
                                        "client_id": APP_CLIENT_ID}}),
    ("POST", "/oauth/introspect", {"data": {"token": "x"}, "auth": ("inconnu", "x")}),
    ("GET", "/oauth/userinfo", {"headers": {"Authorization": "Bearer"}}),
    ("GET", "/oauth/userinfo", {"headers": {"Authorization": "Basic eDp5"}}),
    ("POST", "/oauth/register", {"headers": {"Authorization": "Bearer facilitator-test-token"}}),
])
async def test_odd_requests_get_a_4xx_never_a_500(client, method, path, kwargs):
    response = await client.request(method, path, **kwargs)
    assert 400 <= response.status_code < 500, response.text


async def test_login_session_expires_on_the_simulated_clock(client, clock, settings):
    params = authorization_params(client, client_id=APP_CLIENT_ID, redirect_uri=APP_CALLBACK,
                                  scope=APP_SCOPE, pkce=make_pkce())
    page = await start(client, params)
    clock.advance(timedelta(seconds=settings.login_session_ttl + 1))
    response = await login(client, page, "camille.martin")
    assert response.status_code == 403
    assert "expiré" in response.text


async def test_prompt_none_cannot_skip_the_login(client):
    params = authorization_params(client, client_id=APP_CLIENT_ID, redirect_uri=APP_CALLBACK,
                                  scope=APP_SCOPE, pkce=make_pkce(), prompt="none")
    response = await start(client, params)
    assert response.status_code == 302
    assert redirect_params(response.headers["location"])["error"] == "login_required"


async def test_whole_app_flow_over_real_http(live_server, patient_ids):
    async with httpx.AsyncClient(base_url=live_server) as client:
        tokens = await authorize_app(client, "jeanne.lefevre")
        userinfo = await client.get("/oauth/userinfo", headers={
            "Authorization": f"Bearer {tokens['access_token']}"})
    assert tokens["patient"] == patient_ids["autonomy"]
    assert userinfo.json()["sub"] == "jeanne.lefevre"
