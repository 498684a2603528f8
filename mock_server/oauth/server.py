"""The platform's authorization server: authlib's core bound to our tables for one request.

One `EnsAuthorizationServer` is built per HTTP request (`OAuthContext`: settings, the request's
database connection, the simulated time), which keeps request state out of shared objects and
costs only the registration of a few grant classes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from authlib.oauth2.rfc6749 import OAuth2Request
from authlib.oidc.core import UserInfo
from sqlalchemy import Connection, Row, select

from mock_server.oauth.adapter import StarletteAuthorizationServer
from mock_server.oauth.endpoints import (
    FACILITATOR_METHOD,
    IntrospectionEndpoint,
    RegistrationEndpoint,
    RevocationEndpoint,
    UserInfoEndpoint,
    is_facilitator,
)
from mock_server.oauth.grants import (
    AuthorizationCodeGrant,
    EnsOpenIDCode,
    RefreshTokenGrant,
    S256CodeChallenge,
)
from mock_server.oauth.keys import SigningKey, signing_key
from mock_server.oauth.models import Client, FacilitatorCaller, Subject, Token
from mock_server.oauth.scope_policy import earns_refresh_token
from mock_server.oauth.tokens import hash_secret, new_secret, store_tokens
from mock_server.settings import Settings
from mock_server.storage.schema import accounts, authorization_codes, oauth_clients, tokens


@dataclass(frozen=True)
class OAuthContext:
    """What one request's authorization work needs: settings, a connection, the time."""

    settings: Settings
    conn: Connection
    now: datetime
    wall_now: datetime | None = None
    """Real time for login sessions (defaults to `now`)."""

    @property
    def session_now(self) -> datetime:
        return self.wall_now or self.now


class EnsAuthorizationServer(StarletteAuthorizationServer):
    """authlib's authorization server over the platform's tables."""

    def __init__(self, ctx: OAuthContext) -> None:
        super().__init__(issuer=ctx.settings.base_url)
        self.ctx = ctx
        self._clients: dict[str, Client | None] = {}
        self._key: SigningKey | None = None
        self.register_token_generator("default", self._bearer_token)
        self.register_grant(AuthorizationCodeGrant, [S256CodeChallenge(), EnsOpenIDCode(self)])
        self.register_grant(RefreshTokenGrant)
        self.register_endpoint(RevocationEndpoint)
        self.register_endpoint(IntrospectionEndpoint)
        self.register_endpoint(UserInfoEndpoint)
        self.register_endpoint(RegistrationEndpoint)
        self.register_client_auth_method(FACILITATOR_METHOD, self._authenticate_facilitator)

    # --- what authlib asks of a framework integration ----------------------------------------

    def query_client(self, client_id: str) -> Client | None:
        if client_id not in self._clients:
            row = self.ctx.conn.execute(
                select(oauth_clients).where(oauth_clients.c.client_id == client_id)
            ).first()
            self._clients[client_id] = Client.from_row(row) if row else None
        return self._clients[client_id]

    def save_token(self, token: dict, request: OAuth2Request) -> None:
        origin = request.authorization_code or request.refresh_token
        subject: Subject = request.user
        store_tokens(
            self.ctx.conn,
            access_token=token["access_token"],
            refresh_token=token.get("refresh_token"),
            client_id=request.client.client_id,
            username=subject.username,
            patient_id=subject.patient_id,
            scope=token["scope"],
            now=self.ctx.now,
            access_ttl=self.ctx.settings.access_token_ttl,
            refresh_idle_ttl=self.ctx.settings.refresh_token_idle_ttl,
            family_id=origin.family_id,
            auth_time=origin.auth_time,
        )

    def _bearer_token(self, grant_type: str, client: Client, user: Subject,
                      scope: str | None = None, expires_in: int | None = None,
                      include_refresh_token: bool = True) -> dict:
        scope = scope or ""
        token = {
            "access_token": new_secret(),
            "token_type": "Bearer",
            "expires_in": self.ctx.settings.access_token_ttl,
            "scope": scope,
            "patient": user.patient_id,
        }
        if include_refresh_token and earns_refresh_token(scope):
            token["refresh_token"] = new_secret()
        return token

    # --- helpers the grants and endpoints share -----------------------------------------------

    def subject(self, username: str, patient_id: str) -> Subject | None:
        """The account `username` acting for `patient_id`, or None if the account is gone."""
        row = self.ctx.conn.execute(select(accounts).where(accounts.c.username == username)).first()
        if row is None:
            return None
        return Subject(username, row.display_name, row.patient_id, patient_id)

    def user_info(self, subject: Subject, scope: str) -> UserInfo:
        """Claims about the person who logged in (never the patient they act for)."""
        claims = UserInfo(sub=subject.username)
        if "fhirUser" in scope.split():
            fhir_base = self.ctx.settings.fhir_base_url
            claims["fhirUser"] = f"{fhir_base}/Patient/{subject.own_patient_id}"
        return claims

    def find_token(self, value: str, hint: str | None = None) -> Token | None:
        """The token row whose access or refresh token is `value`, in any state."""
        columns = {"access_token": tokens.c.access_token_hash,
                   "refresh_token": tokens.c.refresh_token_hash}
        order = ["refresh_token", "access_token"] if hint == "refresh_token" else list(columns)
        for kind in order:
            row = self.ctx.conn.execute(
                select(tokens).where(columns[kind] == hash_secret(value))).first()
            if row is not None:
                return Token(row, kind, self._grant_scope(row), self.ctx.now)
        return None

    def _grant_scope(self, row: Row) -> str:
        granted = self.ctx.conn.execute(
            select(authorization_codes.c.scope)
            .where(authorization_codes.c.family_id == row.family_id)
        ).scalar()
        return granted or row.scope

    def signing_key(self) -> SigningKey:
        if self._key is None:
            self._key = signing_key(self.ctx.conn, self.ctx.now)
        return self._key

    def _authenticate_facilitator(self, _query_client,
                                  request: OAuth2Request) -> FacilitatorCaller | None:
        if is_facilitator(request.headers.get("Authorization"), self.ctx.settings):
            return FacilitatorCaller()
        return None
