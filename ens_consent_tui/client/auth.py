"""Logging in as the patient app: authorization code + PKCE S256, with the app as user agent.

The app is the pre-registered public client `ens-consent-app`. It drives the JSON variant of
`/oauth/authorize` (login, then whose space for a legal representative), takes the code from the
`redirect_to` URL of the `done` step without serving the callback, and exchanges it at the token
endpoint. Access tokens are refreshed on expiry or on a 401 (the server rotates refresh tokens:
the new one is stored at once, and one refresh at a time, since reusing an old refresh token
revokes the whole authorization). Logging out revokes both tokens (RFC 7009).
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import hashlib
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any, Literal
from urllib.parse import parse_qs, urlsplit

from ens_consent_tui.client.errors import (
    AccessTokenRefused,
    AuthorizationFailed,
    ClientError,
    InvalidInput,
    LoginFailed,
    SessionExpired,
    UnexpectedResponse,
)
from ens_consent_tui.client.session import Session, Space
from ens_consent_tui.client.token_store import StoredSession, TokenStore
from ens_consent_tui.client.transport import Transport, checked, json_body, reason_of

if TYPE_CHECKING:
    import httpx

APP_CLIENT_ID = "ens-consent-app"
REFRESH_ATTEMPTS = 3
"""Refreshes tried for one request refused with 401 before telling the person."""
REDIRECT_URI = "http://127.0.0.1/callback"
APP_SCOPE = "openid fhirUser offline_access patient/*.cruds"
EXPIRY_MARGIN = 30.0
"""Seconds before the announced expiry at which an access token is refreshed anyway."""

_JSON = {"Accept": "application/json"}


@dataclass(frozen=True)
class Pkce:
    """A PKCE verifier and its S256 challenge (RFC 7636)."""

    verifier: str
    challenge: str

    @classmethod
    def make(cls) -> Pkce:
        verifier = secrets.token_urlsafe(48)
        digest = hashlib.sha256(verifier.encode("ascii")).digest()
        return cls(verifier, base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii"))


@dataclass(frozen=True)
class Discovery:
    """The endpoints the authorization server announces."""

    issuer: str
    authorization_endpoint: str
    token_endpoint: str
    revocation_endpoint: str
    userinfo_endpoint: str

    @property
    def audience(self) -> str:
        """The FHIR base every authorization request names as `aud`."""
        return f"{self.issuer.rstrip('/')}/fhir"


@dataclass(frozen=True)
class PendingSignIn:
    """An authorization flow waiting for the person: their password, or whose space to open."""

    step: Literal["login", "choose_patient"]
    csrf: str
    state: str
    pkce: Pkce
    spaces: tuple[Space, ...] = ()
    username: str | None = None
    wanted_patient_id: str | None = None
    """Set when switching space: the patient to choose as soon as the server asks."""


SignInResult = Session | PendingSignIn


@dataclass(frozen=True)
class _Tokens:
    access_token: str
    refresh_token: str | None
    expires_at: float
    patient_id: str


class Authenticator:
    """The app's OAuth client: sign in, switch space, refresh, sign out, authorized requests."""

    def __init__(self, transport: Transport, store: TokenStore,
                 monotonic: Callable[[], float] = time.monotonic) -> None:
        self.transport = transport
        self.store = store
        self._monotonic = monotonic
        self._discovery: Discovery | None = None
        self._tokens: _Tokens | None = None
        self._session: Session | None = None
        self._refreshing = asyncio.Lock()

    @property
    def session(self) -> Session | None:
        return self._session

    @property
    def access_token(self) -> str | None:
        """The current access token (for tests and diagnostics)."""
        return self._tokens.access_token if self._tokens else None

    # --- discovery --------------------------------------------------------------------------

    async def discovery(self) -> Discovery:
        """The OpenID configuration (fetched once); also a cheap check that the server answers."""
        if self._discovery is None:
            response = checked(await self.transport.send(
                "GET", "/.well-known/openid-configuration", headers=_JSON))
            body = json_body(response)
            try:
                self._discovery = Discovery(**{name: body[name] for name in (
                    "issuer", "authorization_endpoint", "token_endpoint", "revocation_endpoint",
                    "userinfo_endpoint")})
            except (KeyError, TypeError) as error:
                raise UnexpectedResponse(f"openid-configuration: {error}") from error
        return self._discovery

    # --- signing in -------------------------------------------------------------------------

    async def sign_in(self, username: str, password: str) -> SignInResult:
        """Log in; a legal representative gets a `PendingSignIn` listing whose space to open."""
        self.transport.forget_cookies()
        pending = await self._start()
        if isinstance(pending, Session):
            return pending
        return await self._post_step(replace(pending, username=username),
                                     {"username": username, "password": password})

    async def choose_space(self, pending: PendingSignIn, patient_id: str) -> SignInResult:
        """Answer the `choose_patient` step."""
        return await self._post_step(pending, {"patient_id": patient_id})

    async def confirm_password(self, pending: PendingSignIn, password: str) -> SignInResult:
        """Answer a `login` step met while switching space (the server asked again)."""
        return await self._post_step(pending, {"username": pending.username or "",
                                               "password": password})

    async def switch_space(self, patient_id: str) -> SignInResult:
        """Authorize again for another space of the same person.

        The server may remember the login (then the space is chosen at once) or ask for the
        password again: the result is then a `PendingSignIn` at the `login` step, to answer
        with `confirm_password`.
        """
        if self._session is None:
            raise SessionExpired()
        return await self._start(wanted_patient_id=patient_id, username=self._session.username,
                                 prompt="select_account")

    async def resume(self) -> Session | None:
        """The last session kept in the token store, refreshed; None when there is none left."""
        server = self.transport.base_url
        username = self.store.last_username(server)
        stored = self.store.load(server, username) if username else None
        if stored is None:
            return None
        try:
            body = await self._refresh_grant(stored.refresh_token)
        except SessionExpired:
            self.store.delete(server, stored.session.username)
            return None
        tokens = self._tokens_from(body, stored.refresh_token)
        session = stored.session
        if tokens.patient_id != session.space.patient_id:
            space = next((s for s in session.spaces if s.patient_id == tokens.patient_id), None)
            if space is None:
                self.store.delete(server, session.username)
                return None
            session = replace(session, space=space)
        self._install(tokens, session)
        return session

    # --- signing out ------------------------------------------------------------------------

    async def sign_out(self) -> None:
        """Revoke the refresh and access tokens, then forget them here whatever happens."""
        tokens, session = self._tokens, self._session
        try:
            if tokens is not None:
                await self._revoke(tokens)
        finally:
            self._tokens, self._session = None, None
            self.transport.forget_cookies()
            if session is not None:
                self.store.delete(self.transport.base_url, session.username)

    # --- authorized requests ----------------------------------------------------------------

    async def authorized(self, method: str, url: str, *, headers: dict[str, str] | None = None,
                         **kwargs: Any) -> httpx.Response:
        """Send with the access token; on a 401, refresh and try again.

        Only a refused refresh token ends the session (`SessionExpired`). A token refused right
        after a successful refresh happens when the facilitator jumps the simulated clock
        further than a token lives while the request is on its way: refresh again, a few
        times, then `AccessTokenRefused` with the session kept.
        """
        token = await self._valid_access_token()
        response = await self.transport.send(method, url, headers=_bearer(token, headers),
                                             **kwargs)
        for _ in range(REFRESH_ATTEMPTS):
            if response.status_code != 401:
                return response
            await self._refresh(stale=token)
            token = await self._valid_access_token()
            response = await self.transport.send(method, url, headers=_bearer(token, headers),
                                                 **kwargs)
        if response.status_code == 401:
            raise AccessTokenRefused(reason_of(response))
        return response

    async def _valid_access_token(self) -> str:
        tokens = self._tokens
        if tokens is None:
            raise SessionExpired()
        if self._monotonic() >= tokens.expires_at:
            await self._refresh(stale=tokens.access_token)
            if self._tokens is None:
                raise SessionExpired()
            return self._tokens.access_token
        return tokens.access_token

    async def _refresh(self, *, stale: str) -> None:
        async with self._refreshing:
            tokens = self._tokens
            if tokens is None:
                raise SessionExpired()
            if tokens.access_token != stale:
                return  # another request refreshed while this one waited
            if tokens.refresh_token is None:
                self._forget()
                raise SessionExpired()
            try:
                body = await self._refresh_grant(tokens.refresh_token)
            except SessionExpired:
                self._forget()
                raise
            fresh = self._tokens_from(body, tokens.refresh_token)
            if self._session is not None:
                self._install(fresh, self._session)

    async def _refresh_grant(self, refresh_token: str) -> dict:
        discovery = await self.discovery()
        response = await self.transport.send("POST", discovery.token_endpoint, data={
            "grant_type": "refresh_token", "refresh_token": refresh_token,
            "client_id": APP_CLIENT_ID})
        if response.status_code in (400, 401):
            raise SessionExpired(reason_of(response))
        return _object(json_body(checked(response)))

    # --- the authorization flow -------------------------------------------------------------

    async def _start(self, *, wanted_patient_id: str | None = None,
                     username: str | None = None, prompt: str | None = None) -> SignInResult:
        discovery = await self.discovery()
        pending = PendingSignIn("login", "", secrets.token_urlsafe(16), Pkce.make(),
                                username=username, wanted_patient_id=wanted_patient_id)
        params = {
            "response_type": "code", "client_id": APP_CLIENT_ID, "redirect_uri": REDIRECT_URI,
            "scope": APP_SCOPE, "state": pending.state, "aud": discovery.audience,
            "code_challenge": pending.pkce.challenge, "code_challenge_method": "S256",
        }
        if prompt:
            # `select_account`: the server remembers the login and asks only whose space.
            params["prompt"] = prompt
        response = await self.transport.send("GET", discovery.authorization_endpoint,
                                             params=params, headers=_JSON)
        return await self._follow(pending, response)

    async def _post_step(self, pending: PendingSignIn, fields: dict[str, str]) -> SignInResult:
        discovery = await self.discovery()
        response = await self.transport.send("POST", discovery.authorization_endpoint,
                                             json={"csrf": pending.csrf, **fields},
                                             headers=_JSON)
        return await self._follow(pending, response)

    async def _follow(self, pending: PendingSignIn, response: httpx.Response) -> SignInResult:
        """Read one answer of the authorization endpoint and move on."""
        body = json_body(response)
        if not isinstance(body, dict):
            raise UnexpectedResponse("authorize: not a JSON object")
        step = body.get("step")
        if step == "done":
            return await self._finish(pending, str(body.get("redirect_to", "")))
        if body.get("error") == "login_failed":
            raise LoginFailed(str(body.get("error_description", "")))
        if step not in ("login", "choose_patient"):
            if not response.is_success:
                raise AuthorizationFailed(reason_of(response))
            raise UnexpectedResponse(f"authorize: unexpected step {step!r}")
        if body.get("error"):
            raise InvalidInput(str(body.get("error_description", "")))
        pending = replace(pending, step=step, csrf=str(body.get("csrf", "")),
                          spaces=_spaces(body) or pending.spaces)
        wanted = pending.wanted_patient_id
        if step == "choose_patient" and wanted is not None:
            if wanted not in {s.patient_id for s in pending.spaces}:
                raise AuthorizationFailed()
            return await self._post_step(pending, {"patient_id": wanted})
        return pending

    async def _finish(self, pending: PendingSignIn, redirect_to: str) -> Session:
        """Exchange the code of the `done` step and open the session."""
        params = {k: v[0] for k, v in parse_qs(urlsplit(redirect_to).query).items()}
        if "error" in params:
            raise AuthorizationFailed(params.get("error_description", params["error"]))
        if params.get("state") != pending.state or "code" not in params:
            raise AuthorizationFailed()
        discovery = await self.discovery()
        response = await self.transport.send("POST", discovery.token_endpoint, data={
            "grant_type": "authorization_code", "code": params["code"],
            "redirect_uri": REDIRECT_URI, "code_verifier": pending.pkce.verifier,
            "client_id": APP_CLIENT_ID})
        if response.status_code == 400:
            raise AuthorizationFailed(reason_of(response))
        tokens = self._tokens_from(_object(json_body(checked(response))), None)
        session = await self._session_for(tokens, pending.spaces)
        previous = self._tokens
        self._install(tokens, session)
        if previous is not None and previous.refresh_token != tokens.refresh_token:
            await self._revoke_quietly(previous)
        return session

    async def _session_for(self, tokens: _Tokens, spaces: tuple[Space, ...]) -> Session:
        discovery = await self.discovery()
        response = checked(await self.transport.send(
            "GET", discovery.userinfo_endpoint, headers=_bearer(tokens.access_token, _JSON)))
        info = _object(json_body(response))
        try:
            username, name = str(info["sub"]), str(info["name"])
            own_id = str(info["fhirUser"]).rstrip("/").rsplit("/", 1)[-1]
        except KeyError as error:
            raise UnexpectedResponse(f"userinfo: {error}") from error
        spaces = spaces or (Space(own_id, name, True),)
        space = next((s for s in spaces if s.patient_id == tokens.patient_id), None)
        if space is None:
            raise UnexpectedResponse("token: unknown patient")
        return Session(username, name, own_id, space, spaces)

    # --- tokens -----------------------------------------------------------------------------

    def _tokens_from(self, body: dict, previous_refresh: str | None) -> _Tokens:
        try:
            return _Tokens(
                access_token=str(body["access_token"]),
                refresh_token=str(body.get("refresh_token") or previous_refresh or "") or None,
                expires_at=self._monotonic() + float(body.get("expires_in", 3600))
                - EXPIRY_MARGIN,
                patient_id=str(body["patient"]),
            )
        except (KeyError, TypeError, ValueError) as error:
            raise UnexpectedResponse(f"token response: {error}") from error

    def _install(self, tokens: _Tokens, session: Session) -> None:
        self._tokens, self._session = tokens, session
        if tokens.refresh_token:
            self.store.save(self.transport.base_url, StoredSession(tokens.refresh_token, session))

    def _forget(self) -> None:
        session = self._session
        self._tokens, self._session = None, None
        if session is not None:
            self.store.delete(self.transport.base_url, session.username)

    async def _revoke(self, tokens: _Tokens) -> None:
        discovery = await self.discovery()
        for token, hint in ((tokens.refresh_token, "refresh_token"),
                            (tokens.access_token, "access_token")):
            if token:
                checked(await self.transport.send("POST", discovery.revocation_endpoint, data={
                    "token": token, "token_type_hint": hint, "client_id": APP_CLIENT_ID}))

    async def _revoke_quietly(self, tokens: _Tokens) -> None:
        # The new session works already; an old token left alive expires on its own.
        with contextlib.suppress(ClientError):
            await self._revoke(tokens)


def _bearer(token: str, headers: dict[str, str] | None) -> dict[str, str]:
    return {**(headers or {}), "Authorization": f"Bearer {token}"}


def _object(body: Any) -> dict:
    if not isinstance(body, dict):
        raise UnexpectedResponse("not a JSON object")
    return body


def _spaces(body: dict) -> tuple[Space, ...]:
    patients = body.get("patients")
    if not isinstance(patients, list):
        return ()
    try:
        return tuple(Space(str(p["id"]), str(p["name"]), bool(p["self"])) for p in patients)
    except (KeyError, TypeError) as error:
        raise UnexpectedResponse(f"choose_patient: {error}") from error
