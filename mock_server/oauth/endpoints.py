"""Token-level endpoints on authlib's classes: revocation (RFC 7009), introspection (RFC 7662),
userinfo (OIDC Core §5.3) and dynamic client registration (RFC 7591)."""

from __future__ import annotations

import hmac
from typing import TYPE_CHECKING, ClassVar

from authlib.consts import default_json_headers
from authlib.oauth2.rfc6749 import (
    InvalidGrantError,
    InvalidRequestError,
    OAuth2Request,
    ResourceProtector,
)
from authlib.oauth2.rfc6750 import BearerTokenValidator, InvalidTokenError
from authlib.oauth2.rfc7009 import RevocationEndpoint as _RevocationEndpoint
from authlib.oauth2.rfc7591 import ClientMetadataClaims, ClientRegistrationEndpoint
from authlib.oauth2.rfc7591.errors import InvalidClientMetadataError, InvalidRedirectURIError
from authlib.oauth2.rfc7662 import IntrospectionEndpoint as _IntrospectionEndpoint
from authlib.oidc.core import UserInfoEndpoint as _UserInfoEndpoint
from joserfc.errors import JoseError

from mock_server.oauth.clients import (
    AUTH_METHODS,
    GRANT_TYPES,
    OUTSIDE_SCOPE,
    RegistrationError,
    redirect_uri_problem,
    register_client,
)
from mock_server.oauth.errors import oauth_error
from mock_server.oauth.models import FacilitatorCaller, Token
from mock_server.oauth.tokens import revoke_family
from mock_server.settings import Settings
from mock_server.storage.schema import tokens

if TYPE_CHECKING:
    from mock_server.oauth.server import EnsAuthorizationServer

FACILITATOR_METHOD = "facilitator_bearer"
"""Client authentication method of the facilitator console: `Authorization: Bearer <token>`."""


def is_facilitator(authorization: str | None, settings: Settings) -> bool:
    """True when the header is `Bearer <facilitator token>` (compared in constant time)."""
    expected = settings.facilitator_token
    if not expected or not authorization:
        return False
    scheme, _, value = authorization.partition(" ")
    return scheme.lower() == "bearer" and hmac.compare_digest(value.strip().encode(),
                                                              expected.encode())


class RevocationEndpoint(_RevocationEndpoint):
    """A refresh token revokes its whole family; an access token revokes its own row."""

    CLIENT_AUTH_METHODS: ClassVar[list[str]] = ["client_secret_basic", "client_secret_post", "none"]
    server: EnsAuthorizationServer

    def authenticate_token(self, request: OAuth2Request, client) -> Token | None:
        self.check_params(request, client)
        token = self.query_token(request.form["token"], request.form.get("token_type_hint"))
        if token is not None and not token.check_client(client):
            raise oauth_error(InvalidGrantError,
                              "Ce jeton a été émis pour un autre client : il n'est pas révoqué.")
        return token

    def check_params(self, request: OAuth2Request, client) -> None:
        if not request.form.get("token"):
            raise oauth_error(InvalidRequestError, "Le paramètre token est manquant.")
        super().check_params(request, client)

    def query_token(self, token_string: str, token_type_hint: str | None) -> Token | None:
        return self.server.find_token(token_string, token_type_hint)

    def revoke_token(self, token: Token, request: OAuth2Request) -> None:
        ctx = self.server.ctx
        if token.presented == "refresh_token":
            revoke_family(ctx.conn, token.family_id, ctx.now)
            return
        ctx.conn.execute(
            tokens.update()
            .where(tokens.c.id == token.row.id, tokens.c.revoked_at.is_(None))
            .values(revoked_at=ctx.now)
        )


class IntrospectionEndpoint(_IntrospectionEndpoint):
    """For confidential clients (their own tokens) and the facilitator (every token)."""

    CLIENT_AUTH_METHODS: ClassVar[list[str]] = [
        "client_secret_basic", "client_secret_post", FACILITATOR_METHOD]
    server: EnsAuthorizationServer

    def check_params(self, request: OAuth2Request, client) -> None:
        if not request.form.get("token"):
            raise oauth_error(InvalidRequestError, "Le paramètre token est manquant.")
        super().check_params(request, client)

    def query_token(self, token_string: str, token_type_hint: str | None) -> Token | None:
        return self.server.find_token(token_string, token_type_hint)

    def check_permission(self, token: Token, client, request: OAuth2Request) -> bool:
        return isinstance(client, FacilitatorCaller) or token.check_client(client)

    def introspect_token(self, token: Token) -> dict:
        row = token.row
        body = {
            "active": True,
            "scope": row.scope,
            "client_id": row.client_id,
            "exp": int(token.expires_at.timestamp()),
            "iat": int(row.issued_at.timestamp()),
            "sub": row.username,
            "patient": row.patient_id,
            "iss": self.server.ctx.settings.base_url,
            "aud": self.server.ctx.settings.fhir_base_url,
        }
        if token.presented == "access_token":
            body["token_type"] = "Bearer"
        return body


class AccessTokenValidator(BearerTokenValidator):
    """Bearer access tokens of this server, checked on the simulated clock."""

    def __init__(self, server: EnsAuthorizationServer) -> None:
        super().__init__()
        self.server = server

    def authenticate_token(self, token_string: str) -> Token | None:
        token = self.server.find_token(token_string, "access_token")
        return token if token is not None and token.presented == "access_token" else None


class UserInfoEndpoint(_UserInfoEndpoint):
    """Who logged in: `sub`, `name` and (with the fhirUser scope) `fhirUser`."""

    server: EnsAuthorizationServer

    def __init__(self, server: EnsAuthorizationServer) -> None:
        protector = ResourceProtector()
        protector.register_token_validator(AccessTokenValidator(server))
        super().__init__(server, resource_protector=protector)

    def __call__(self, request: OAuth2Request):
        # authlib's version reads the request from a framework global; ours is explicit.
        token: Token = self.resource_protector.validate_request(["openid"], request)
        subject = self.server.subject(token.row.username, token.row.patient_id)
        if subject is None:
            raise oauth_error(InvalidTokenError, "Le compte lié à ce jeton n'existe plus.")
        claims = self.server.user_info(subject, token.scope)
        claims["name"] = subject.display_name
        return 200, dict(claims), default_json_headers


class RegistrationEndpoint(ClientRegistrationEndpoint):
    """RFC 7591 registration, allowed to the facilitator only; same rules as the CLI."""

    server: EnsAuthorizationServer

    def create_registration_response(self, request):
        if not self.authenticate_token(request):
            raise oauth_error(InvalidTokenError,
                              "Enregistrer un client demande le jeton du facilitateur : "
                              "Authorization: Bearer <jeton affiché au démarrage du serveur>.")
        metadata = self.extract_client_metadata(request)
        method = metadata["token_endpoint_auth_method"]
        ctx = self.server.ctx
        try:
            info = register_client(
                ctx.conn,
                name=metadata.get("client_name") or "Client extérieur sans nom",
                redirect_uris=metadata.get("redirect_uris"),
                public=method == "none",
                now=ctx.now,
                scope=metadata.get("scope") or OUTSIDE_SCOPE,
                auth_method=method,
            )
        except RegistrationError as exc:
            error_class = (InvalidRedirectURIError if exc.error == "invalid_redirect_uri"
                           else InvalidClientMetadataError)
            raise oauth_error(error_class, exc.message) from exc
        return 201, info, default_json_headers

    def authenticate_token(self, request) -> bool:
        return is_facilitator(request.headers.get("Authorization"), self.server.ctx.settings)

    def extract_client_metadata(self, request) -> dict:
        data = request.payload.data
        if not isinstance(data, dict) or not data:
            raise oauth_error(InvalidClientMetadataError,
                              "Le corps doit être un objet JSON de métadonnées (RFC 7591).")
        server_metadata = self.get_server_metadata()
        options = ClientMetadataClaims.get_claims_options(server_metadata)
        claims = ClientMetadataClaims(data, {}, options, server_metadata)
        try:
            claims.validate()
        except JoseError as exc:
            name = getattr(exc, "claim", None) or "?"
            if name == "redirect_uris":
                raise oauth_error(InvalidRedirectURIError, _redirect_uris_problem(data)) from exc
            raise oauth_error(InvalidClientMetadataError,
                              f"La métadonnée « {name} » est invalide ou non prise en charge "
                              f"(types de demande : {', '.join(GRANT_TYPES)} ; response_types : "
                              f"code ; authentification : {', '.join(AUTH_METHODS)}).") from exc
        return claims.get_registered_claims()

    def get_server_metadata(self) -> dict:
        return {
            "grant_types_supported": list(GRANT_TYPES),
            "response_types_supported": ["code"],
            "token_endpoint_auth_methods_supported": list(AUTH_METHODS),
        }


def _redirect_uris_problem(data: dict) -> str:
    uris = data.get("redirect_uris")
    problems = [redirect_uri_problem(uri) for uri in uris] if isinstance(uris, list) else []
    return next((p for p in problems if p),
                "redirect_uris doit être une liste d'adresses https (ou http sur 127.0.0.1).")
