"""Rows of the OAuth tables seen through authlib's mixins (client, code, token) and the people."""

from __future__ import annotations

import hmac
import json
from dataclasses import dataclass
from datetime import datetime

from authlib.oauth2.rfc6749 import ClientMixin, TokenMixin
from authlib.oidc.core import AuthorizationCodeMixin
from sqlalchemy import Row

from mock_server.oauth.clients import GRANT_TYPES, redirect_uri_matches
from mock_server.oauth.tokens import hash_secret

INTROSPECTION = "introspection"


@dataclass(frozen=True)
class Client(ClientMixin):
    """A registered client (row of `oauth_clients`)."""

    client_id: str
    name: str
    kind: str
    redirect_uris: tuple[str, ...]
    scope: str
    token_endpoint_auth_method: str
    client_secret_hash: str | None

    @classmethod
    def from_row(cls, row: Row) -> Client:
        return cls(
            client_id=row.client_id,
            name=row.name,
            kind=row.kind,
            redirect_uris=tuple(json.loads(row.redirect_uris)),
            scope=row.scope,
            token_endpoint_auth_method=row.token_endpoint_auth_method,
            client_secret_hash=row.client_secret_hash,
        )

    @property
    def is_public(self) -> bool:
        return self.client_secret_hash is None

    @property
    def asks_consent(self) -> bool:
        """The first-party patient app acts for the patient; every other client asks first."""
        return self.kind != "app"

    def get_client_id(self) -> str:
        return self.client_id

    def get_default_redirect_uri(self) -> None:
        """None: every authorization request must name its redirect_uri (OAuth 2.1, SMART)."""
        return None

    def get_allowed_scope(self, scope: str) -> str:
        """The requested scope without repeats (the grant has checked it is allowed)."""
        return " ".join(dict.fromkeys(scope.split()))

    def check_redirect_uri(self, redirect_uri: str) -> bool:
        return redirect_uri_matches(redirect_uri, list(self.redirect_uris))

    def check_client_secret(self, client_secret: str) -> bool:
        if self.client_secret_hash is None:
            return False
        return hmac.compare_digest(hash_secret(client_secret), self.client_secret_hash)

    def check_endpoint_auth_method(self, method: str, endpoint: str) -> bool:
        """Clients authenticate everywhere as registered; introspection is for confidential ones."""
        if endpoint == INTROSPECTION and self.is_public:
            return False
        return method == self.token_endpoint_auth_method

    def check_response_type(self, response_type: str) -> bool:
        return response_type == "code"

    def check_grant_type(self, grant_type: str) -> bool:
        return grant_type in GRANT_TYPES


class FacilitatorCaller:
    """The facilitator console, authenticated by its bearer token (introspection only)."""

    def check_endpoint_auth_method(self, method: str, endpoint: str) -> bool:
        return endpoint == INTROSPECTION


@dataclass(frozen=True)
class Subject:
    """The person who logged in, and the patient whose data the authorization is about."""

    username: str
    display_name: str
    own_patient_id: str
    patient_id: str

    def get_user_id(self) -> str:
        return self.username


@dataclass(frozen=True)
class Approval:
    """The patient's decision at the authorization endpoint (authlib's `grant_user`)."""

    subject: Subject
    scope: str
    auth_time: datetime
    consent: dict | None
    """Duration and 'include earlier data' choices; None when no consent page was shown."""


@dataclass(frozen=True)
class AuthorizationCode(AuthorizationCodeMixin):
    """A stored authorization code (row of `authorization_codes`)."""

    code_hash: str
    client_id: str
    redirect_uri: str
    scope: str
    username: str
    patient_id: str
    code_challenge: str | None
    code_challenge_method: str | None
    nonce: str | None
    auth_time: datetime
    family_id: str

    @classmethod
    def from_row(cls, row: Row) -> AuthorizationCode:
        return cls(
            code_hash=row.code_hash,
            client_id=row.client_id,
            redirect_uri=row.redirect_uri,
            scope=row.scope,
            username=row.username,
            patient_id=row.patient_id,
            code_challenge=row.code_challenge or None,
            code_challenge_method=row.code_challenge_method or None,
            nonce=row.nonce,
            auth_time=row.auth_time,
            family_id=row.family_id,
        )

    def get_redirect_uri(self) -> str:
        return self.redirect_uri

    def get_scope(self) -> str:
        return self.scope

    def get_nonce(self) -> str | None:
        return self.nonce

    def get_auth_time(self) -> int:
        return int(self.auth_time.timestamp())


@dataclass(frozen=True)
class Token(TokenMixin):
    """One row of `tokens`, found through its access or its refresh token (`presented`)."""

    row: Row
    presented: str
    """'access_token' or 'refresh_token': which of the row's two secrets was shown."""
    grant_scope: str
    """What the patient granted the whole family (the ceiling of a refresh, RFC 6749 §6)."""
    now: datetime

    @property
    def client_id(self) -> str:
        return self.row.client_id

    @property
    def family_id(self) -> str:
        return self.row.family_id

    @property
    def scope(self) -> str:
        return self.row.scope

    @property
    def auth_time(self) -> datetime | None:
        return self.row.auth_time

    @property
    def expires_at(self) -> datetime:
        if self.presented == "refresh_token":
            return self.row.refresh_expires_at
        return self.row.access_expires_at

    def check_client(self, client: ClientMixin) -> bool:
        return self.row.client_id == client.get_client_id()

    def get_scope(self) -> str:
        return self.row.scope

    def is_expired(self) -> bool:
        if self.presented == "refresh_token" and self.row.rotated_at is not None:
            return True
        return self.expires_at <= self.now

    def is_revoked(self) -> bool:
        return self.row.revoked_at is not None
