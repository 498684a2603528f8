"""The authorization endpoint against SECURITY-CHECKS 1–13, and the login page's errors."""

from __future__ import annotations

from urllib.parse import urlencode

import httpx
import pytest
from sqlalchemy import Engine, func, select

from mock_server.oauth.clients import APP_CLIENT_ID, APP_SCOPE, OUTSIDE_SCOPE
from mock_server.storage.schema import authorization_codes
from tests.oauth.flows import (
    APP_CALLBACK,
    OUTSIDE_REDIRECT_URI,
    authorization_params,
    consent,
    login,
    make_pkce,
    post_step,
    read_form,
    redirect_params,
    start,
)

ISSUER = "http://localhost"


def app_params(client: httpx.AsyncClient, **changes) -> dict[str, str]:
    base = {"client_id": APP_CLIENT_ID, "redirect_uri": APP_CALLBACK, "scope": APP_SCOPE}
    return authorization_params(client, pkce=make_pkce(), **(base | changes))


def outside_params(client: httpx.AsyncClient, registration: dict, **changes) -> dict[str, str]:
    base = {"client_id": registration["client_id"],
            "redirect_uri": registration["redirect_uris"][0], "scope": OUTSIDE_SCOPE}
    return authorization_params(client, pkce=make_pkce(), **(base | changes))


def assert_error_redirect(response: httpx.Response, error: str, state: str = "etat-123") -> dict:
    assert response.status_code == 302, response.text
    params = redirect_params(response.headers["location"])
    assert params["error"] == error
    assert params["state"] == state
    assert params["iss"] == ISSUER
    assert "code" not in params
    return params


def assert_error_page(response: httpx.Response, error: str) -> None:
    """A 400 page in French naming the error, and nothing sent back to the client."""
    assert response.status_code == 400
    assert "location" not in response.headers
    assert response.headers["content-type"].startswith("text/html")
    assert '<html lang="fr">' in response.text
    assert f"<code>{error}</code>" in response.text


async def raw_get(client: httpx.AsyncClient, pairs: list[tuple[str, str]]) -> httpx.Response:
    return await client.get("/oauth/authorize?" + urlencode(pairs))


def codes_issued(engine: Engine) -> int:
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(authorization_codes)).scalar_one()


async def consent_page(client: httpx.AsyncClient, registration: dict,
                       username: str = "karim.benali", **extra) -> httpx.Response:
    page = await start(client, outside_params(client, registration, **extra))
    page = await login(client, page, username)
    assert "Autorisations demandées" in page.text
    return page


# --- 1–3: PKCE and malformed requests ----------------------------------------------------------


async def test_check_01_request_without_code_challenge_is_refused_for_public_app(client):
    response = await start(client, app_params(client, code_challenge=None,
                                              code_challenge_method=None))
    params = assert_error_redirect(response, "invalid_request")
    assert "PKCE" in params["error_description"]


async def test_check_01_request_without_code_challenge_is_refused_for_confidential_client(
        client, outside_client):
    response = await start(client, outside_params(client, outside_client, code_challenge=None,
                                                  code_challenge_method=None))
    assert_error_redirect(response, "invalid_request")


@pytest.mark.parametrize("method", ["plain", "S512", None])
async def test_check_02_challenge_method_other_than_s256_is_refused(client, method):
    response = await start(client, app_params(client, code_challenge_method=method))
    params = assert_error_redirect(response, "invalid_request")
    assert "S256" in params["error_description"]


@pytest.mark.parametrize("challenge", ["trop-court", "a" * 129, "+" * 43, "é" * 43])
async def test_check_03_malformed_code_challenge_is_refused(client, challenge):
    response = await start(client, app_params(client, code_challenge=challenge))
    assert_error_redirect(response, "invalid_request")


@pytest.mark.parametrize("name", ["code_challenge", "scope", "redirect_uri", "client_id"])
async def test_check_03_repeated_parameter_is_refused_without_redirect(client, name):
    pairs = list(app_params(client).items())
    pairs.append((name, dict(pairs)[name]))
    response = await raw_get(client, pairs)
    assert_error_page(response, "invalid_request")
    assert f"Le paramètre {name} apparaît plusieurs fois" in response.text


# --- 4–7: who may be redirected to ------------------------------------------------------------


async def test_check_04_unknown_client_gets_an_error_page_never_a_redirect(client):
    response = await start(client, app_params(client, client_id="inconnu"))
    assert_error_page(response, "invalid_client")
    assert "« inconnu » n&#x27;est pas enregistré" in response.text


@pytest.mark.parametrize("redirect_uri", [
    "https://service.example.org/callback/extra",
    "https://service.example.org/callback?x=1",
    "https://service.example.org/callback/",
    "https://SERVICE.example.org/callback",
    "https://service.example.org/Callback",
    "https://service.example.org@evil.example/callback",
    "https://service.example.org:8443/callback",
    "https://evil.example/callback",
])
async def test_check_05_redirect_uri_not_byte_identical_is_refused_without_redirect(
        client, outside_client, redirect_uri):
    response = await start(client, outside_params(client, outside_client,
                                                  redirect_uri=redirect_uri))
    assert_error_page(response, "invalid_request")


@pytest.mark.parametrize("redirect_uri", [
    "http://127.0.0.1/callback/", "http://127.0.0.1:8080/callback?x=1", "http://[::1]/callback",
])
async def test_check_05_loopback_app_may_change_the_port_only(client, redirect_uri):
    response = await start(client, app_params(client, redirect_uri=redirect_uri))
    assert_error_page(response, "invalid_request")


async def test_check_05_loopback_redirect_uri_accepts_any_port(client):
    response = await start(client, app_params(client, redirect_uri="http://127.0.0.1:61234/callback"))
    assert response.status_code == 200
    assert "csrf" in read_form(response.text).hidden


async def test_check_06_plain_http_redirect_uri_is_refused_at_registration(client):
    response = await client.post(
        "/oauth/register",
        json={"client_name": "X", "redirect_uris": ["http://service.example.org/callback"]},
        headers={"Authorization": "Bearer facilitator-test-token"},
    )
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_redirect_uri"


async def test_check_06_plain_http_redirect_uri_is_refused_at_authorize(client, outside_client):
    response = await start(client, outside_params(client, outside_client,
                                                  redirect_uri="http://service.example.org/callback"))
    assert_error_page(response, "invalid_request")


@pytest.mark.parametrize("aud", [None, "https://autre.example/fhir", "http://localhost/fhir/"])
async def test_check_07_missing_or_foreign_aud_gets_an_error_page_without_code(client, aud):
    response = await start(client, app_params(client, aud=aud))
    assert_error_page(response, "invalid_request")
    assert "aud" in response.text


# --- 8–9: what may be asked for ---------------------------------------------------------------


@pytest.mark.parametrize("response_type", ["token", "code id_token token", "id_token"])
async def test_check_08_implicit_and_hybrid_response_types_are_unsupported(client, response_type):
    response = await start(client, app_params(client, response_type=response_type))
    assert_error_redirect(response, "unsupported_response_type")


@pytest.mark.parametrize("scope", [
    "openid patient/Foo.rs",
    "openid patient/Observation.dus",
    "openid system/*.rs",
    "openid patient/*.cruds",
    "openid user/*.rs",
    "openid profile",
])
async def test_check_09_unknown_or_illegal_scope_redirects_with_invalid_scope(
        client, outside_client, scope):
    response = await start(client, outside_params(client, outside_client, scope=scope))
    params = assert_error_redirect(response, "invalid_scope")
    assert params["error_description"].isascii()


async def test_check_09_scope_narrower_than_the_clients_is_accepted(client, outside_client):
    scope = "openid patient/Observation.rs?code=http://loinc.org|29463-7 launch/patient"
    response = await start(client, outside_params(client, outside_client, scope=scope))
    assert response.status_code == 200


# --- 10–13: the consent form ------------------------------------------------------------------


async def test_check_10_consent_granting_more_than_requested_is_refused(
        client, outside_client, engine):
    page = await consent_page(client, outside_client)
    response = await consent(client, page, ["patient/Observation.c", "patient/*.cruds"])
    assert response.status_code == 400
    assert "location" not in response.headers
    assert "rien n&#x27;a été accordé" in response.text
    assert codes_issued(engine) == 0


async def test_check_11_consent_post_without_csrf_token_is_forbidden(
        client, outside_client, engine):
    await consent_page(client, outside_client)
    response = await post_step(client, {"scope": "patient/*.rs", "duration": "6m",
                                        "decision": "allow"})
    assert response.status_code == 403
    assert codes_issued(engine) == 0


async def test_check_11_consent_post_from_another_session_is_forbidden(
        client, app, outside_client, engine):
    victim_page = await consent_page(client, outside_client)
    victim_csrf = read_form(victim_page.text).csrf
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url=ISSUER) as attacker:
        await login(attacker, await start(attacker, outside_params(attacker, outside_client)),
                    "karim.benali")
        response = await post_step(attacker, {"csrf": victim_csrf, "scope": "patient/*.rs",
                                              "duration": "6m", "decision": "allow"})
    assert response.status_code == 403
    assert codes_issued(engine) == 0


async def test_check_11_post_without_any_session_is_forbidden(client):
    response = await post_step(client, {"csrf": "x", "username": "karim.benali",
                                        "password": "demo2026"})
    assert response.status_code == 403
    assert "session" in response.text


async def test_check_11_authorization_pages_cannot_be_framed(client, outside_client):
    page = await consent_page(client, outside_client)
    assert "frame-ancestors 'none'" in page.headers["content-security-policy"]
    assert page.headers["x-frame-options"] == "DENY"
    assert page.headers["cache-control"] == "no-store"


async def test_check_12_deny_redirects_with_access_denied_and_no_code(
        client, outside_client, engine):
    page = await consent_page(client, outside_client)
    response = await consent(client, page, decision="deny")
    assert_error_redirect(response, "access_denied")
    assert response.headers["location"].startswith(OUTSIDE_REDIRECT_URI + "?")
    assert codes_issued(engine) == 0


async def test_check_13_success_redirect_echoes_state_unchanged_and_carries_iss(client):
    state = "a b/é?&=%x"
    page = await start(client, app_params(client, state=state))
    response = await login(client, page, "camille.martin")
    assert response.status_code == 302
    params = redirect_params(response.headers["location"])
    assert params["state"] == state
    assert params["iss"] == ISSUER
    assert params["code"]


async def test_check_13_error_redirect_echoes_state_and_carries_iss(client):
    response = await start(client, app_params(client, state="xyz", scope="openid patient/Foo.rs"))
    assert_error_redirect(response, "invalid_scope", state="xyz")


# --- login page -------------------------------------------------------------------------------


@pytest.mark.parametrize("username", ["camille.martin", "personne.inconnue"])
async def test_wrong_password_or_unknown_user_shows_the_same_french_message(client, username):
    page = await start(client, app_params(client))
    response = await login(client, page, username, "mauvais")
    assert response.status_code == 400
    assert "Identifiant ou mot de passe incorrect." in response.text
    assert read_form(response.text).csrf == read_form(page.text).csrf


async def test_login_succeeds_after_a_wrong_password(client):
    page = await start(client, app_params(client))
    await login(client, page, "camille.martin", "mauvais")
    response = await login(client, page, "camille.martin")
    assert response.status_code == 302
    assert "code" in redirect_params(response.headers["location"])


async def test_authorize_without_parameters_explains_what_it_expects(client):
    response = await client.get("/oauth/authorize")
    assert_error_page(response, "invalid_request")
    assert "demande d&#x27;autorisation OAuth 2" in response.text


async def test_allow_with_nothing_ticked_shows_the_consent_page_again(
        client, outside_client, engine):
    page = await consent_page(client, outside_client)
    response = await consent(client, page, [])
    assert response.status_code == 400
    assert "Cochez au moins une autorisation" in response.text
    assert codes_issued(engine) == 0
