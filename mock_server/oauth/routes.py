"""HTTP routes of the authorization server.

Every route reads the request once (async), then does its work synchronously in a worker thread
on one database transaction, with authlib doing the protocol.

JSON variant of /oauth/authorize (used by the patient app; same steps and cookie as the HTML)
---------------------------------------------------------------------------------------------
Ask for JSON with `Accept: application/json` on the GET, and post each step as a JSON body.

- `GET /oauth/authorize?<authorization request>` → 200
  `{"step": "login", "csrf", "client": {"client_id", "name"}}` and sets the `ens_session` cookie.
- `POST {"csrf", "username", "password"}` → the next step; a wrong password gives 400
  `{"step": "login", "csrf", "client", "error": "login_failed", "error_description"}`.
- `{"step": "choose_patient", "csrf", "client", "patients": [{"id", "name", "self"}]}`
  → `POST {"csrf", "patient_id"}` (400 `invalid_patient` if not offered).
- `{"step": "consent", "csrf", "client", "acting_for": {"id", "name"} | null,
  "permissions": [{"scope", "sentence", "access": "read" | "write" | "read-write",
  "reason": str | null, "group", "covers": [{"data_class", "subtype", "access"}]}],
  "durations": [{"value", "label"}], "default_duration", "include_earlier": true,
  "maille": "categorie" | "type" | "ressource",
  "service": {"id", "name", "editor": {"legal_name", "country"}, "hosting": {"provider",
  "hds_certified", "country"}, "purposes", "privacy_policy_url"} | null,
  "groups": [{"key", "label", "scopes"}] | null}`
  (`service` and `reason` for catalogue services, whose sentences are the catalogue's;
  `groups` in `categorie` granularity, where a group is ticked whole)
  → `POST {"csrf", "scope": [...], "duration", "include_earlier": bool,
  "decision": "allow" | "deny"}` (400 `invalid_consent` with the consent step again when
  nothing is ticked, the duration is unknown or a `categorie` group is split). Allowing
  records the grant (`/grants`) in the transaction that issues the code.
- A catalogue service suspended by the authority cannot be connected: 403
  `service_suspended` (an error page, never a redirect).
- `{"step": "done", "redirect_to": "<redirect_uri>?code=…&state=…&iss=…"}`: the flow is over; the
  URL carries the code, or `error=access_denied` (refusal) or any error the HTML flow would
  redirect with (e.g. `invalid_scope`). The first-party app skips the consent step.
- Errors the HTML flow shows as a page (unknown client, unregistered redirect URI, bad `aud`,
  repeated parameters, tampered consent, missing or foreign session or CSRF token) answer 4xx
  `{"error", "error_description"}` (403 for session and CSRF problems).
- Single sign-on: once someone logged in, the same cookie makes the next authorization request
  start logged in, acting for the same patient: the GET answers the next step directly
  (`consent` for a service, `done` for the app). `prompt=login` asks the password again;
  `prompt=select_account` asks again whose space (a parent switching to the child's space).
  Sessions live `login_session_ttl` seconds of real time, whatever the simulated clock does.
"""

from __future__ import annotations

from collections.abc import Callable

from authlib.oauth2 import OAuth2Error
from authlib.oauth2.rfc6749 import InvalidRequestError
from fastapi import APIRouter, FastAPI, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import JSONResponse, RedirectResponse, Response

from mock_server.consent.step import scope_details
from mock_server.oauth.adapter import ReceivedRequest, receive
from mock_server.oauth.authorize import (
    DEFAULT_DURATION,
    DURATIONS,
    AuthorizationFlow,
    Failure,
    Outcome,
    Redirect,
    Step,
)
from mock_server.oauth.discovery import openid_configuration, smart_configuration
from mock_server.oauth.errors import oauth_error
from mock_server.oauth.keys import public_jwks
from mock_server.oauth.pages import PAGE_HEADERS, render_failure, render_step
from mock_server.oauth.server import EnsAuthorizationServer, OAuthContext
from mock_server.oauth.sessions import COOKIE_NAME
from mock_server.platform import Platform, get_platform

router = APIRouter(tags=["OAuth 2 / OpenID Connect"])

FORM = "application/x-www-form-urlencoded"


# One route per method: a single GET+POST route gives both the same OpenAPI operation id.
@router.get("/oauth/authorize", summary="Authorization endpoint")
@router.post("/oauth/authorize", summary="Authorization endpoint (form posted)")
async def authorize(request: Request) -> Response:
    """The login, patient choice and consent pages (HTML, or JSON on request)."""
    platform = get_platform(request)
    received = await receive(request)
    outcome = await run_in_threadpool(_authorize, platform, received)
    return _respond(outcome, _wants_json(received), platform)


def _authorize(platform: Platform, received: ReceivedRequest) -> Outcome:
    if received.method == "GET" and not received.query:
        return Failure(400, "invalid_request",
                       "Cette adresse attend une demande d'autorisation OAuth 2 (response_type, "
                       "client_id, redirect_uri, scope, state, aud, code_challenge).")
    with platform.engine.begin() as conn:
        flow = AuthorizationFlow(OAuthContext(platform.settings, conn, platform.clock.now(),
                                              platform.wall_clock.now()),
                                 received)
        starts = received.method == "GET" or any(
            name in ("client_id", "response_type") for name, _ in received.form)
        outcome = flow.start() if starts else flow.advance()
    if flow.published:
        platform.notifier.notify()
    return outcome


def _wants_json(received: ReceivedRequest) -> bool:
    return received.is_json or "application/json" in received.headers.get("accept", "")


def _respond(outcome: Outcome, as_json: bool, platform: Platform) -> Response:
    if isinstance(outcome, Redirect):
        if as_json:
            response: Response = JSONResponse({"step": "done", "redirect_to": outcome.location},
                                              headers=PAGE_HEADERS)
        else:
            response = RedirectResponse(outcome.location, status_code=302,
                                        headers={"Cache-Control": "no-store"})
        return _with_session(response, outcome.session_cookie, platform)
    if isinstance(outcome, Failure):
        if as_json:
            return JSONResponse({"error": outcome.error, "error_description": outcome.message},
                                status_code=outcome.status, headers=PAGE_HEADERS)
        return render_failure(outcome)
    response = (JSONResponse(_step_body(outcome), status_code=outcome.status, headers=PAGE_HEADERS)
                if as_json else render_step(outcome))
    return _with_session(response, outcome.session_cookie, platform)


def _with_session(response: Response, cookie: str | None, platform: Platform) -> Response:
    if cookie:
        response.set_cookie(COOKIE_NAME, cookie, httponly=True, samesite="lax",
                            secure=platform.settings.base_url.startswith("https://"),
                            path="/oauth")
    return response


def _step_body(step: Step) -> dict:
    body: dict = {"step": step.name, "csrf": step.csrf,
                  "client": {"client_id": step.client.client_id, "name": step.client.name}}
    if step.error:
        body.update(error=step.error, error_description=step.message)
    if step.name == "choose_patient":
        body["patients"] = [{"id": p.patient_id, "name": p.name, "self": p.is_self}
                            for p in step.patients]
    if step.name == "consent":
        acting = step.acting_for
        body.update(
            acting_for={"id": acting.patient_id, "name": acting.name} if acting else None,
            permissions=[{"scope": p.scope, "sentence": p.sentence, "access": p.access,
                          "reason": p.reason, **scope_details(p.scope)}
                         for p in step.permissions],
            durations=[{"value": value, "label": label} for value, label in DURATIONS.items()],
            default_duration=DEFAULT_DURATION,
            include_earlier=True,
            maille=step.maille,
            service=step.service.as_json() if step.service else None,
            groups=[{"key": g.key, "label": g.label, "scopes": list(g.scopes)}
                    for g in step.groups] if step.maille == "categorie" else None,
        )
    return body


# --- endpoints authlib answers whole -----------------------------------------------------------


@router.post("/oauth/token", summary="Token endpoint")
async def token(request: Request) -> Response:
    """authorization_code (PKCE S256) and refresh_token grants."""
    return await _run(request, lambda server, received: server.create_token_response(received))


@router.post("/oauth/revoke", summary="Token revocation (RFC 7009)")
async def revoke(request: Request) -> Response:
    return await _run(request, _endpoint("revocation"))


@router.post("/oauth/introspect", summary="Token introspection (RFC 7662)")
async def introspect(request: Request) -> Response:
    return await _run(request, _endpoint("introspection"))


@router.get("/oauth/userinfo", summary="OpenID Connect userinfo")
@router.post("/oauth/userinfo", summary="OpenID Connect userinfo (POST)")
async def userinfo(request: Request) -> Response:
    return await _run(request, _endpoint("userinfo"), form_only=False)


@router.post("/oauth/register", summary="Dynamic client registration (RFC 7591)",
             status_code=201)
async def register(request: Request) -> Response:
    """Register an outside client; needs `Authorization: Bearer <facilitator token>`."""
    return await _run(request, _endpoint("client_registration"), form_only=False)


Action = Callable[[EnsAuthorizationServer, ReceivedRequest], Response]


def _endpoint(name: str) -> Action:
    return lambda server, received: server.create_endpoint_response(name, received)


async def _run(request: Request, action: Action, *, form_only: bool = True) -> Response:
    platform = get_platform(request)
    received = await receive(request)
    return await run_in_threadpool(_run_sync, platform, received, action, form_only)


def _run_sync(platform: Platform, received: ReceivedRequest, action: Action,
              form_only: bool) -> Response:
    with platform.engine.begin() as conn:
        server = EnsAuthorizationServer(OAuthContext(platform.settings, conn, platform.clock.now()))
        try:
            if form_only and not _is_form(received):
                raise oauth_error(InvalidRequestError,
                                  f"Le corps de la requête doit être de type {FORM}.")
            return action(server, received)
        except OAuth2Error as error:  # raised before authlib's own handling (e.g. plain http)
            return server.handle_error_response(None, error)


def _is_form(received: ReceivedRequest) -> bool:
    content_type = received.headers.get("content-type", "").split(";")[0].strip().lower()
    return content_type == FORM


# --- public documents ------------------------------------------------------------------------


@router.get("/oauth/jwks", summary="Keys that sign ID tokens (JWKS)")
async def jwks(request: Request) -> JSONResponse:
    platform = get_platform(request)
    keys = await run_in_threadpool(_jwks, platform)
    return JSONResponse(keys, headers={"Cache-Control": "public, max-age=3600"})


def _jwks(platform: Platform) -> dict:
    with platform.engine.begin() as conn:
        return public_jwks(conn, platform.clock.now())


@router.get("/.well-known/openid-configuration", summary="OpenID Provider metadata")
async def openid_metadata(request: Request) -> JSONResponse:
    return JSONResponse(openid_configuration(get_platform(request).settings))


@router.get("/.well-known/oauth-authorization-server", summary="RFC 8414 metadata")
async def oauth_metadata(request: Request) -> JSONResponse:
    return JSONResponse(openid_configuration(get_platform(request).settings))


@router.get("/fhir/.well-known/smart-configuration", summary="SMART App Launch configuration")
async def smart_metadata(request: Request) -> JSONResponse:
    return JSONResponse(smart_configuration(get_platform(request).settings))


def mount(app: FastAPI) -> None:
    app.include_router(router)
