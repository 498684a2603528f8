"""Bearer authentication of FHIR requests (RFC 6750), checked against storage on every request.

Tokens are opaque: anything that is not a live stored token (a JWT, `alg: none`, an expired or
revoked token...) is simply unknown. Tokens in the URL are refused even when valid (RFC 9700 §4.3).
"""

from __future__ import annotations

import re
from datetime import datetime

from sqlalchemy import Connection
from starlette.requests import Request

from mock_server.fhir.access import AccessContext
from mock_server.fhir.errors import FhirError
from mock_server.oauth.tokens import find_active_access_token
from mock_server.scopes import InvalidScope, ScopeSet

REALM = 'Bearer realm="ens-mock"'
_B64TOKEN = re.compile(r"[A-Za-z0-9\-._~+/]+=*")


def _unauthorized(diagnostics: str, error: str | None = None) -> FhirError:
    challenge = REALM if error is None else f'{REALM}, error="{error}"'
    return FhirError(401, "login", diagnostics, headers={"WWW-Authenticate": challenge})


def bearer_token(request: Request) -> str:
    """The token of the `Authorization: Bearer` header, or 401 saying what is wrong."""
    if "access_token" in request.query_params:
        raise _unauthorized(
            "Le jeton d'accès ne doit jamais figurer dans l'URL : envoyez-le dans l'en-tête "
            "Authorization: Bearer <jeton>.",
            "invalid_request",
        )
    headers = request.headers.getlist("authorization")
    if not headers:
        raise _unauthorized(
            "Jeton d'accès manquant : envoyez l'en-tête Authorization: Bearer <jeton>."
        )
    scheme, _, token = headers[0].strip().partition(" ")
    token = token.strip()
    if len(headers) > 1 or scheme.lower() != "bearer" or not _B64TOKEN.fullmatch(token):
        raise _unauthorized(
            "En-tête Authorization mal formé : la forme attendue est « Bearer <jeton> ».",
            "invalid_request",
        )
    return token


def authenticate(conn: Connection, request: Request, now: datetime) -> AccessContext:
    """The caller's access context; 401 `invalid_token` for an unknown, expired or revoked token."""
    token = find_active_access_token(conn, bearer_token(request), now)
    if token is None:
        raise _unauthorized(
            "Jeton d'accès inconnu, expiré ou révoqué : obtenez-en un nouveau.", "invalid_token"
        )
    try:
        scopes = ScopeSet.from_string(token.scope)
    except InvalidScope:
        # A stored scope this server no longer understands grants nothing rather than failing.
        scopes = ScopeSet(())
    return AccessContext(token=token, scopes=scopes)
