"""authlib's grants, tightened for this platform (DESIGN §3 pitfalls).

- Authorization code: `aud` must name our FHIR base, the redirect URI must be registered, and a
  request that repeats a parameter is refused, all without redirecting (RFC 9700 §4.11.2).
- PKCE: S256 only, required from every client (authlib allows `plain` and optional challenges).
- The code stores the scope the patient kept and their consent choices, not the requested scope.
- Codes are single use: a replay revokes the tokens the first exchange produced (RFC 6749 §4.1.2).
- Refresh tokens rotate on every use; presenting a rotated one revokes the whole family.
- A service's (or outside client's) refresh is refused once the patient's grant is no longer
  active (revoked, expired, suspended).
"""

from __future__ import annotations

import json
import uuid
from datetime import timedelta
from typing import TYPE_CHECKING, ClassVar

from authlib.oauth2.rfc6749 import (
    InvalidClientError,
    InvalidGrantError,
    InvalidRequestError,
    InvalidScopeError,
    OAuth2Request,
    grants,
)
from authlib.oauth2.rfc7636 import CodeChallenge
from authlib.oauth2.rfc7636.challenge import (
    CODE_CHALLENGE_PATTERN,
    CODE_VERIFIER_PATTERN,
    compare_s256_code_challenge,
)
from authlib.oidc.core import OpenIDCode, UserInfo
from sqlalchemy import select, update

from mock_server.consent.enforcement import code_refusal, refresh_refusal
from mock_server.oauth.errors import oauth_error
from mock_server.oauth.models import Approval, AuthorizationCode, Client, Subject, Token
from mock_server.oauth.scope_policy import all_within, requested_scopes
from mock_server.oauth.tokens import hash_secret, revoke_family
from mock_server.scopes import InvalidScope
from mock_server.storage.schema import authorization_codes, tokens

if TYPE_CHECKING:
    from mock_server.oauth.server import EnsAuthorizationServer

CLIENT_AUTH_METHODS = ["client_secret_basic", "client_secret_post", "none"]
SINGLE_PARAMETERS = (
    "response_type", "client_id", "redirect_uri", "scope", "state", "aud", "nonce",
    "code_challenge", "code_challenge_method",
)
"""Parameters an authorization request may carry once at most (RFC 6749 §3.1)."""


class AuthorizationCodeGrant(grants.AuthorizationCodeGrant):
    """Authorization code with PKCE; the code carries what the patient decided."""

    TOKEN_ENDPOINT_AUTH_METHODS = CLIENT_AUTH_METHODS
    server: EnsAuthorizationServer

    @staticmethod
    def validate_no_multiple_request_parameter(request: OAuth2Request) -> None:
        for name in SINGLE_PARAMETERS:
            if len(request.payload.datalist.get(name, [])) > 1:
                raise oauth_error(InvalidRequestError,
                                  f"Le paramètre {name} apparaît plusieurs fois dans la demande.")

    @staticmethod
    def validate_authorization_redirect_uri(request: OAuth2Request, client: Client) -> str:
        uri = request.payload.redirect_uri
        if not uri:
            raise oauth_error(InvalidRequestError, "Le paramètre redirect_uri est obligatoire.")
        if not client.check_redirect_uri(uri):
            raise oauth_error(InvalidRequestError,
                              f"L'adresse de redirection « {uri} » n'est pas enregistrée "
                              f"pour le client « {client.name} ».")
        return uri

    def validate_authorization_request(self) -> str:
        """Errors about the client, its redirect URI or `aud` are shown, never redirected."""
        client = self._registered_client()
        self.validate_authorization_redirect_uri(self.request, client)
        self._check_audience()
        return super().validate_authorization_request()

    def _registered_client(self) -> Client:
        client_id = self.request.payload.client_id
        if not client_id:
            raise oauth_error(InvalidClientError, "Le paramètre client_id est obligatoire.")
        client = self.server.query_client(client_id)
        if client is None:
            raise oauth_error(InvalidClientError,
                              f"Le client « {client_id} » n'est pas enregistré sur ce serveur.")
        return client

    def _check_audience(self) -> None:
        expected = self.server.ctx.settings.fhir_base_url
        aud = self.request.payload.data.get("aud")
        if not aud:
            raise oauth_error(InvalidRequestError,
                              f"Le paramètre aud est obligatoire ; il doit valoir {expected}.")
        if aud != expected:
            raise oauth_error(InvalidRequestError,
                              f"Le paramètre aud (« {aud} ») ne désigne pas ce serveur FHIR "
                              f"({expected}).")

    def validate_requested_scope(self) -> None:
        try:
            requested_scopes(self.request.payload.scope, self.request.client.scope)
        except InvalidScope as exc:
            raise oauth_error(InvalidScopeError, str(exc)) from exc

    def save_authorization_code(self, code: str, request: OAuth2Request) -> None:
        approval: Approval = request.user
        ctx = self.server.ctx
        data = request.payload.data
        ctx.conn.execute(
            authorization_codes.insert().values(
                code_hash=hash_secret(code),
                client_id=request.client.client_id,
                redirect_uri=request.payload.redirect_uri,
                scope=approval.scope,
                username=approval.subject.username,
                patient_id=approval.subject.patient_id,
                code_challenge=data["code_challenge"],
                code_challenge_method=data["code_challenge_method"],
                nonce=data.get("nonce"),
                auth_time=approval.auth_time,
                expires_at=ctx.now + timedelta(seconds=ctx.settings.authorization_code_ttl),
                family_id=uuid.uuid4().hex,
                extra=json.dumps(approval.consent) if approval.consent is not None else None,
            )
        )

    def query_authorization_code(self, code: str, client: Client) -> AuthorizationCode:
        ctx = self.server.ctx
        row = ctx.conn.execute(
            select(authorization_codes).where(authorization_codes.c.code_hash == hash_secret(code))
        ).first()
        if row is None:
            raise oauth_error(InvalidGrantError, "Ce code d'autorisation est inconnu.")
        if row.used_at is not None:
            revoke_family(ctx.conn, row.family_id, ctx.now)
            raise _replayed_code()
        if row.client_id != client.client_id:
            raise oauth_error(InvalidGrantError,
                              "Ce code d'autorisation a été émis pour un autre client.")
        if row.expires_at <= ctx.now:
            raise oauth_error(InvalidGrantError,
                              f"Ce code d'autorisation a expiré (il vit "
                              f"{ctx.settings.authorization_code_ttl} s).")
        refusal = code_refusal(ctx.conn, client.kind, client.client_id, row.patient_id, ctx.now)
        if refusal:
            raise oauth_error(InvalidGrantError, refusal)
        return AuthorizationCode.from_row(row)

    def delete_authorization_code(self, authorization_code: AuthorizationCode) -> None:
        """Mark the code used (kept, so that a replay is recognised and punished)."""
        ctx = self.server.ctx
        marked = ctx.conn.execute(
            update(authorization_codes)
            .where(authorization_codes.c.code_hash == authorization_code.code_hash,
                   authorization_codes.c.used_at.is_(None))
            .values(used_at=ctx.now)
        )
        if marked.rowcount == 0:  # exchanged concurrently: treat as a replay
            revoke_family(ctx.conn, authorization_code.family_id, ctx.now)
            raise _replayed_code()

    def authenticate_user(self, authorization_code: AuthorizationCode) -> Subject | None:
        return self.server.subject(authorization_code.username, authorization_code.patient_id)


def _replayed_code() -> InvalidGrantError:
    return oauth_error(InvalidGrantError,
                       "Ce code d'autorisation a déjà été utilisé : par sécurité, les jetons "
                       "obtenus avec lui sont révoqués.")


class S256CodeChallenge(CodeChallenge):
    """PKCE, S256 only, required from every client (RFC 9700 §2.1.1)."""

    DEFAULT_CODE_CHALLENGE_METHOD = "S256"
    SUPPORTED_CODE_CHALLENGE_METHOD: ClassVar[list[str]] = ["S256"]
    CODE_CHALLENGE_METHODS: ClassVar[dict] = {"S256": compare_s256_code_challenge}

    def __init__(self) -> None:
        super().__init__(required=True)

    def validate_code_challenge(self, grant: grants.BaseGrant, redirect_uri: str) -> None:
        data = grant.request.payload.data
        challenge, method = data.get("code_challenge"), data.get("code_challenge_method")
        if not challenge:
            raise oauth_error(InvalidRequestError,
                              "PKCE est obligatoire : ajoutez code_challenge et "
                              "code_challenge_method=S256.")
        if method != "S256":
            raise oauth_error(InvalidRequestError,
                              "code_challenge_method doit valoir S256 (plain n'est pas accepté).")
        if not CODE_CHALLENGE_PATTERN.match(challenge):
            raise oauth_error(InvalidRequestError,
                              "code_challenge doit compter de 43 à 128 caractères "
                              "[A-Za-z0-9-._~] (RFC 7636).")

    def validate_code_verifier(self, grant: grants.BaseGrant, result: object) -> None:
        request = grant.request
        verifier = request.form.get("code_verifier")
        challenge = request.authorization_code.code_challenge
        if not challenge:
            if verifier is not None:
                raise oauth_error(InvalidRequestError,
                                  "La demande d'autorisation n'avait pas de code_challenge : "
                                  "un code_verifier ne peut pas être accepté (RFC 9700 §4.8).")
            raise oauth_error(InvalidGrantError, "Ce code a été émis sans PKCE : il est refusé.")
        if not verifier:
            raise oauth_error(InvalidRequestError,
                              "Le paramètre code_verifier est manquant ou vide.")
        if not CODE_VERIFIER_PATTERN.match(verifier):
            raise oauth_error(InvalidRequestError,
                              "code_verifier doit compter de 43 à 128 caractères "
                              "[A-Za-z0-9-._~] (RFC 7636).")
        if not compare_s256_code_challenge(verifier, challenge):
            raise oauth_error(InvalidGrantError,
                              "code_verifier ne correspond pas au code_challenge de la demande.")


class EnsOpenIDCode(OpenIDCode):
    """ID tokens signed RS256 with our stored key, on the simulated clock, with SMART `fhirUser`."""

    def __init__(self, server: EnsAuthorizationServer) -> None:
        super().__init__(require_nonce=False)
        self.server = server

    def exists_nonce(self, nonce: str, request: OAuth2Request) -> bool:
        row = self.server.ctx.conn.execute(
            select(authorization_codes.c.code_hash).where(
                authorization_codes.c.client_id == request.payload.client_id,
                authorization_codes.c.nonce == nonce,
            )
        ).first()
        return row is not None

    def resolve_client_private_key(self, client: Client):
        return self.server.signing_key().key

    def get_client_algorithm(self, client: Client) -> str:
        return "RS256"

    def get_encode_header(self, client: Client) -> dict:
        return {"alg": "RS256", "kid": self.server.signing_key().kid}

    def get_client_claims(self, client: Client) -> dict:
        ctx = self.server.ctx
        issued_at = int(ctx.now.timestamp())
        return {
            "iss": ctx.settings.base_url,
            "aud": client.client_id,
            "iat": issued_at,
            "exp": issued_at + ctx.settings.access_token_ttl,
        }

    def generate_user_info(self, user: Subject, scope: str) -> UserInfo:
        return self.server.user_info(user, scope)


class RefreshTokenGrant(grants.RefreshTokenGrant):
    """Refresh with rotation and reuse detection (RFC 9700 §4.14.2)."""

    TOKEN_ENDPOINT_AUTH_METHODS = CLIENT_AUTH_METHODS
    INCLUDE_NEW_REFRESH_TOKEN = True
    server: EnsAuthorizationServer

    def authenticate_refresh_token(self, refresh_token: str) -> Token | None:
        ctx = self.server.ctx
        token = self.server.find_token(refresh_token, "refresh_token")
        if token is None:
            return None
        if token.row.rotated_at is not None:
            revoke_family(ctx.conn, token.family_id, ctx.now)
            raise oauth_error(InvalidGrantError,
                              "Ce jeton de rafraîchissement a déjà servi : par sécurité, toute "
                              "l'autorisation est révoquée.")
        if token.is_revoked():
            raise oauth_error(InvalidGrantError, "Cette autorisation a été révoquée.")
        if token.is_expired():
            raise oauth_error(InvalidGrantError,
                              "Ce jeton de rafraîchissement n'a pas servi depuis trop longtemps : "
                              "il a expiré.")
        client = self.server.query_client(token.client_id)
        refusal = refresh_refusal(ctx.conn, client.kind if client else "", token.client_id,
                                  token.row.patient_id, ctx.now)
        if refusal:
            raise oauth_error(InvalidGrantError, refusal)
        return token

    def _validate_token_scope(self, token: Token) -> None:
        scope = self.request.payload.scope
        if scope and not all_within(scope, token.grant_scope):
            raise oauth_error(InvalidScopeError,
                              "La portée demandée dépasse celle que le patient a accordée.")

    def issue_token(self, user: Subject, refresh_token: Token) -> dict:
        scope = self.request.payload.scope or refresh_token.grant_scope
        return self.generate_token(user=user, scope=scope, include_refresh_token=True)

    def authenticate_user(self, refresh_token: Token) -> Subject | None:
        return self.server.subject(refresh_token.row.username, refresh_token.row.patient_id)

    def revoke_old_credential(self, refresh_token: Token) -> None:
        ctx = self.server.ctx
        rotated = ctx.conn.execute(
            update(tokens)
            .where(tokens.c.id == refresh_token.row.id, tokens.c.rotated_at.is_(None))
            .values(rotated_at=ctx.now)
        )
        if rotated.rowcount == 0:  # the same refresh token was used concurrently
            revoke_family(ctx.conn, refresh_token.family_id, ctx.now)
            raise oauth_error(InvalidGrantError, "Ce jeton de rafraîchissement a déjà servi.")
