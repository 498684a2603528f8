"""Connecting a store service: the app plays the patient's browser in the service's OAuth flow.

The simulated service starts its own authorization request (`GET /services/{id}/connect` answers
`{"authorize_url"}`); the app GETs that URL on its own HTTP client, whose cookie jar holds the
login session of the app's sign-in, so the server answers the `consent` step at once (single
sign-on). When that session has expired the server asks to log in first (`PasswordNeeded`);
a legal representative always gets to say whose space (the one the app shows). The patient's
decision is posted back as JSON; the `done` step's `redirect_to` is the service's callback, which
the app GETs (as JSON) so that the service receives its code and says what it obtained.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal
from urllib.parse import parse_qsl, quote, urlencode, urlsplit, urlunsplit

import httpx
from pydantic import BaseModel, ConfigDict, ValidationError

from ens_consent_tui.client.auth import Authenticator
from ens_consent_tui.client.errors import (
    AuthorizationFailed,
    Forbidden,
    LoginFailed,
    SessionExpired,
    UnexpectedResponse,
)
from ens_consent_tui.client.grants import GrantsApi
from ens_consent_tui.client.session import Session
from ens_consent_tui.client.store import StoreApi
from ens_consent_tui.client.transport import checked, json_body, reason_of

_JSON = {"Accept": "application/json"}
CLIENT_SOURCE_PREFIX = "urn:ens-consent:client:"
"""`meta.source` of what a client wrote: this prefix, then its client id."""


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="ignore")


class Covered(_Model):
    """A permission of the register a requested scope stands for."""

    data_class: str
    subtype: str
    access: str


class RequestedScope(_Model):
    """One line of the consent step: a scope the service asks for, in the patient's words."""

    scope: str
    sentence: str
    access: str
    """read, write or read-write."""
    reason: str | None = None
    """Why the service asks (catalogue services)."""
    group: str
    """Its `categorie` group (e.g. `measures.read`)."""
    covers: tuple[Covered, ...] = ()


class Choice(_Model):
    value: str
    label: str


class ConsentGroup(_Model):
    """Scopes accepted or refused together (maille `categorie`)."""

    key: str
    label: str
    scopes: tuple[str, ...]


class Editor(_Model):
    legal_name: str
    country: str


class Hosting(_Model):
    provider: str
    hds_certified: bool
    country: str


class ServiceSummary(_Model):
    """Who asks: the catalogue sheet's essentials."""

    id: str
    name: str
    editor: Editor
    hosting: Hosting
    purposes: tuple[str, ...]
    privacy_policy_url: str | None = None


class ClientRef(_Model):
    client_id: str
    name: str


class Person(_Model):
    id: str
    name: str


class ConsentRequest(_Model):
    """The consent step of the service's authorization request, as the server words it."""

    csrf: str
    client: ClientRef
    acting_for: Person | None = None
    """The represented patient, when the person acts for someone else."""
    permissions: tuple[RequestedScope, ...]
    durations: tuple[Choice, ...]
    default_duration: str
    include_earlier: bool = True
    maille: str
    service: ServiceSummary | None = None
    groups: tuple[ConsentGroup, ...] | None = None
    error: str | None = None
    error_description: str | None = None
    """Set when the server refused the previous decision (the step comes back)."""

    @property
    def service_name(self) -> str:
        return self.service.name if self.service else self.client.name

    def scopes_with(self, scope: str) -> tuple[str, ...]:
        """The scopes that switch together with `scope`: its group in maille `categorie`,
        else itself alone."""
        for group in self.groups or ():
            if scope in group.scopes:
                return group.scopes
        return (scope,)


class ServiceRef(_Model):
    id: str
    name: str


class ConnectResult(_Model):
    """What the service's callback says once the flow is over."""

    status: Literal["connected", "refused"]
    service: ServiceRef
    patient_id: str | None = None
    scope: tuple[str, ...] = ()
    """The scopes of the service's token (connected only)."""
    behaviour: str | None = None

    @property
    def connected(self) -> bool:
        return self.status == "connected"


@dataclass(frozen=True)
class PasswordNeeded:
    """The login session is gone: the server asks the password before the consent step."""

    service_id: str
    service_name: str
    username: str
    csrf: str


@dataclass(frozen=True)
class Decision:
    """What the patient answers on the consent step."""

    allow: bool
    scopes: tuple[str, ...] = ()
    """The scopes left switched on (allow only)."""
    duration: str | None = None
    include_earlier: bool = True


@dataclass(frozen=True)
class Connection:
    """How a connection ended: the service's answer and what had been asked."""

    result: ConnectResult
    requested: tuple[str, ...] = ()
    """The scopes the consent step listed (empty when no consent step was shown)."""

    @property
    def granted(self) -> tuple[str, ...]:
        """The requested scopes the service's token carries."""
        obtained = set(self.result.scope)
        return tuple(s for s in self.requested if s in obtained)


ConnectStep = PasswordNeeded | ConsentRequest | Connection


class ServiceConnector:
    """Drives a store service's authorization flow on behalf of the patient."""

    def __init__(self, auth: Authenticator, store: StoreApi, grants: GrantsApi) -> None:
        self.auth = auth
        self.store = store
        self.grants = grants

    @property
    def _session(self) -> Session:
        session = self.auth.session
        if session is None:
            raise SessionExpired()
        return session

    async def start(self, service_id: str) -> ConnectStep:
        """Ask the service to start; the first step the person must answer (or the end)."""
        response = await self.auth.transport.send(
            "GET", f"/services/{quote(service_id, safe='')}/connect", headers=_JSON)
        body = json_body(checked(response))
        url = body.get("authorize_url") if isinstance(body, dict) else None
        if not isinstance(url, str):
            raise UnexpectedResponse("connect: no authorize_url")
        await self._require_own_server(url)
        if self._session.represents_others:
            # The server then asks whose space, and the app answers the one it shows.
            url = _with_param(url, "prompt", "select_account")
        response = await self.auth.transport.send("GET", url, headers=_JSON)
        return await self._follow(service_id, (), response)

    async def sign_in(self, pending: PasswordNeeded, password: str) -> ConnectStep:
        """Answer the `login` step; `LoginFailed` for a wrong password."""
        response = await self._post({"csrf": pending.csrf, "username": pending.username,
                                     "password": password})
        return await self._follow(pending.service_id, (), response)

    async def decide(self, request: ConsentRequest,
                     decision: Decision) -> Connection | ConsentRequest:
        """Post the decision: the `Connection` once the service has its answer, or the consent
        step again (with `error_description`) when the server refused the decision."""
        fields: dict[str, object] = {"csrf": request.csrf,
                                     "decision": "allow" if decision.allow else "deny"}
        if decision.allow:
            fields.update(scope=list(decision.scopes),
                          duration=decision.duration or request.default_duration,
                          include_earlier=decision.include_earlier)
        response = await self._post(fields)
        requested = tuple(p.scope for p in request.permissions)
        step = await self._follow(request.client.client_id, requested, response)
        if isinstance(step, PasswordNeeded):
            raise AuthorizationFailed()  # the login session ended between the two requests
        return step

    async def names(self) -> dict[str, str]:
        """Client id → name of every service the patient may meet: the store's, and those of
        the space's grants (outside clients too)."""
        listing = await self.store.services()
        names = {s.id: s.name for s in listing.services}
        names.update((g.service.id, g.service.name) for g in await self.grants.grants())
        return names

    # --- the steps ----------------------------------------------------------------------------

    async def _follow(self, service_id: str, requested: tuple[str, ...],
                      response: httpx.Response) -> ConnectStep:
        body = json_body(response)
        if not isinstance(body, dict):
            raise UnexpectedResponse("authorize: not a JSON object")
        step = body.get("step")
        if step == "done":
            return await self._callback(str(body.get("redirect_to", "")), requested)
        if step == "login":
            return self._login(service_id, body)
        if step == "choose_patient":
            if body.get("error"):
                raise AuthorizationFailed(str(body.get("error_description", "")))
            answer = await self._post({"csrf": str(body.get("csrf", "")),
                                       "patient_id": self._session.space.patient_id})
            return await self._follow(service_id, requested, answer)
        if step == "consent":
            return self._consent(body)
        if response.status_code == 403 and body.get("error") == "service_suspended":
            raise Forbidden(reason_of(response))
        raise AuthorizationFailed(reason_of(response))

    def _login(self, service_id: str, body: dict) -> PasswordNeeded:
        if body.get("error") == "login_failed":
            raise LoginFailed(str(body.get("error_description", "")))
        client = body.get("client") or {}
        return PasswordNeeded(service_id, str(client.get("name", service_id)),
                              self._session.username, str(body.get("csrf", "")))

    def _consent(self, body: dict) -> ConsentRequest:
        try:
            request = ConsentRequest.model_validate(body)
        except ValidationError as error:
            raise UnexpectedResponse(f"consent: {error.error_count()} invalid fields") from error
        space = self._session.space
        acting = request.acting_for.id if request.acting_for else None
        if acting != (None if space.is_self else space.patient_id):
            raise UnexpectedResponse("consent: another space than the one shown")
        return request

    async def _callback(self, redirect_to: str, requested: tuple[str, ...]) -> Connection:
        """Hand the code (or the refusal) to the service and read what it says."""
        await self._require_own_server(redirect_to)
        response = await self.auth.transport.send("GET", redirect_to, headers=_JSON)
        try:
            result = ConnectResult.model_validate(json_body(checked(response)))
        except ValidationError as error:
            raise UnexpectedResponse(f"callback: {error.error_count()} invalid fields") \
                from error
        return Connection(result, requested)

    async def _post(self, fields: dict[str, object]) -> httpx.Response:
        endpoint = (await self.auth.discovery()).authorization_endpoint
        return await self.auth.transport.send("POST", endpoint, json=fields, headers=_JSON)

    async def _require_own_server(self, url: str) -> None:
        """The app follows links of the platform only (same origin as its own login)."""
        issuer = (await self.auth.discovery()).issuer
        if _origin(url) not in (_origin(issuer), _origin(self.auth.transport.base_url)):
            raise UnexpectedResponse(f"link outside the platform: {_origin(url)}")


def _origin(url: str) -> tuple[str, str]:
    parts = urlsplit(url)
    return parts.scheme, parts.netloc


def _with_param(url: str, name: str, value: str) -> str:
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != name]
    return urlunsplit(parts._replace(query=urlencode([*query, (name, value)])))


def source_client_id(source: str | None) -> str | None:
    """The client id a `meta.source` names (`urn:ens-consent:client:<id>`), else None."""
    if source and source.startswith(CLIENT_SOURCE_PREFIX):
        return source[len(CLIENT_SOURCE_PREFIX):] or None
    return None
