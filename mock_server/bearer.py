"""Reading `Authorization: Bearer <token>` (RFC 6750), the same way on every route.

Tokens in the URL are refused even when valid (RFC 9700 §4.3). Each API turns `BearerError`
into its own error format (OperationOutcome on /fhir, JSON problem elsewhere).
"""

from __future__ import annotations

import re

from starlette.requests import Request

REALM = 'Bearer realm="ens-mock"'
_B64TOKEN = re.compile(r"[A-Za-z0-9\-._~+/]+=*")


class BearerError(Exception):
    """A missing or malformed bearer token, with the RFC 6750 error code and a French reason."""

    def __init__(self, diagnostics: str, error: str | None = None) -> None:
        super().__init__(diagnostics)
        self.diagnostics = diagnostics
        self.error = error

    @property
    def challenge(self) -> str:
        """The `WWW-Authenticate` header value."""
        return REALM if self.error is None else f'{REALM}, error="{self.error}"'


UNKNOWN_TOKEN = BearerError(
    "Jeton d'accès inconnu, expiré ou révoqué : obtenez-en un nouveau.", "invalid_token"
)


def bearer_token(request: Request) -> str:
    """The token of the `Authorization: Bearer` header; `BearerError` saying what is wrong."""
    if "access_token" in request.query_params:
        raise BearerError(
            "Le jeton d'accès ne doit jamais figurer dans l'URL : envoyez-le dans l'en-tête "
            "Authorization: Bearer <jeton>.",
            "invalid_request",
        )
    headers = request.headers.getlist("authorization")
    if not headers:
        raise BearerError(
            "Jeton d'accès manquant : envoyez l'en-tête Authorization: Bearer <jeton>."
        )
    scheme, _, token = headers[0].strip().partition(" ")
    token = token.strip()
    if len(headers) > 1 or scheme.lower() != "bearer" or not _B64TOKEN.fullmatch(token):
        raise BearerError(
            "En-tête Authorization mal formé : la forme attendue est « Bearer <jeton> ».",
            "invalid_request",
        )
    return token
