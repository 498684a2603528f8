"""The app's client for the platform: plain httpx (+ keyring), no Textual.

`EnsClient` gathers the APIs one platform offers, over one HTTP connection pool and cookie jar:
`auth` (login, spaces, tokens), `store` (catalogue), `fhir` (the patient's data),
`exchanges` (the exchange log), `events` (the live feed), `grants` (the register of access
authorisations) and `services` (connecting a store service). Every failure
is a `ClientError` subclass (see `errors`).
"""

from __future__ import annotations

import importlib
from functools import cached_property
from typing import TYPE_CHECKING, Any

from ens_consent_tui.client.auth import Authenticator, PendingSignIn, SignInResult
from ens_consent_tui.client.errors import (
    AccessTokenRefused,
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
from ens_consent_tui.client.session import Session, Space
from ens_consent_tui.client.token_store import (
    KeyringTokenStore,
    MemoryTokenStore,
    TokenStore,
    keyring_usable,
)
from ens_consent_tui.client.transport import Transport

if TYPE_CHECKING:
    import httpx

    from ens_consent_tui.client.events import EventFeed
    from ens_consent_tui.client.exchanges import ExchangesApi
    from ens_consent_tui.client.fhir import FhirApi, NewAppointment, NewMeasure
    from ens_consent_tui.client.grants import GrantsApi
    from ens_consent_tui.client.services import ServiceConnector
    from ens_consent_tui.client.store import StoreApi

_LAZY = {
    "EventFeed": "events",
    "ExchangesApi": "exchanges",
    "FhirApi": "fhir",
    "GrantsApi": "grants",
    "NewAppointment": "fhir",
    "NewMeasure": "fhir",
    "ServiceConnector": "services",
    "StoreApi": "store",
}
"""Exported names whose module is imported on first use (the app's first screen needs none)."""


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(importlib.import_module(f"{__name__}.{_LAZY[name]}"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "AccessTokenRefused",
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
    """One platform, seen by the patient app.

    Each API but `auth` is made (and its module imported: pydantic models, httpx-sse) on first
    use, so the login screen paints without them (benchmarks/tui_startup.py).
    """

    def __init__(self, base_url: str, *, token_store: TokenStore,
                 transport: httpx.AsyncBaseTransport | None = None) -> None:
        self.transport = Transport(base_url, transport=transport)
        self.auth = Authenticator(self.transport, token_store)

    @cached_property
    def store(self) -> StoreApi:
        from ens_consent_tui.client.store import StoreApi

        return StoreApi(self.transport)

    @cached_property
    def fhir(self) -> FhirApi:
        from ens_consent_tui.client.fhir import FhirApi

        return FhirApi(self.auth)

    @cached_property
    def grants(self) -> GrantsApi:
        from ens_consent_tui.client.grants import GrantsApi

        return GrantsApi(self.auth, self.fhir)

    @cached_property
    def services(self) -> ServiceConnector:
        from ens_consent_tui.client.services import ServiceConnector

        return ServiceConnector(self.auth, self.store, self.grants)

    @cached_property
    def exchanges(self) -> ExchangesApi:
        from ens_consent_tui.client.exchanges import ExchangesApi

        return ExchangesApi(self.auth)

    @cached_property
    def events(self) -> EventFeed:
        from ens_consent_tui.client.events import EventFeed

        return EventFeed(self.auth)

    @property
    def base_url(self) -> str:
        return self.transport.base_url

    async def aclose(self) -> None:
        await self.transport.aclose()
