"""The app's client for the platform: plain httpx (+ keyring), no Textual.

`EnsClient` gathers the APIs one platform offers, over one HTTP connection pool and cookie jar:
`auth` (login, spaces, tokens), `store` (catalogue), `fhir` (the patient's data),
`exchanges` (the exchange log), `events` (the live feed), `grants` (the register of access
authorisations) and `services` (connecting a store service). Every failure
is a `ClientError` subclass (see `errors`).
"""

from __future__ import annotations

import httpx

from ens_consent_tui.client.auth import Authenticator, PendingSignIn, SignInResult
from ens_consent_tui.client.errors import (
    AuthorizationFailed,
    ClientError,
    Forbidden,
    InvalidInput,
    LoginFailed,
    NotFound,
    ServerError,
    ServerUnreachable,
    SessionExpired,
    TokenStoreUnavailable,
    UnexpectedResponse,
)
from ens_consent_tui.client.events import EventFeed
from ens_consent_tui.client.exchanges import ExchangesApi
from ens_consent_tui.client.fhir import FhirApi, NewAppointment, NewMeasure
from ens_consent_tui.client.grants import GrantsApi
from ens_consent_tui.client.services import ServiceConnector
from ens_consent_tui.client.session import Session, Space
from ens_consent_tui.client.store import StoreApi
from ens_consent_tui.client.token_store import (
    KeyringTokenStore,
    MemoryTokenStore,
    TokenStore,
    keyring_usable,
)
from ens_consent_tui.client.transport import Transport

__all__ = [
    "AuthorizationFailed",
    "ClientError",
    "EnsClient",
    "Forbidden",
    "InvalidInput",
    "KeyringTokenStore",
    "LoginFailed",
    "MemoryTokenStore",
    "NewAppointment",
    "NewMeasure",
    "NotFound",
    "PendingSignIn",
    "ServerError",
    "ServerUnreachable",
    "Session",
    "SessionExpired",
    "SignInResult",
    "Space",
    "TokenStore",
    "TokenStoreUnavailable",
    "UnexpectedResponse",
    "keyring_usable",
]


class EnsClient:
    """One platform, seen by the patient app."""

    def __init__(self, base_url: str, *, token_store: TokenStore,
                 transport: httpx.AsyncBaseTransport | None = None) -> None:
        self.transport = Transport(base_url, transport=transport)
        self.auth = Authenticator(self.transport, token_store)
        self.store = StoreApi(self.transport)
        self.fhir = FhirApi(self.auth)
        self.grants = GrantsApi(self.auth, self.fhir)
        self.services = ServiceConnector(self.auth, self.store, self.grants)
        self.exchanges = ExchangesApi(self.auth)
        self.events = EventFeed(self.auth)

    @property
    def base_url(self) -> str:
        return self.transport.base_url

    async def aclose(self) -> None:
        await self.transport.aclose()
