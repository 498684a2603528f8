"""Bearer authentication of FHIR requests (RFC 6750), checked against storage on every request.

Tokens are opaque: anything that is not a live stored token (a JWT, `alg: none`, an expired or
revoked token...) is simply unknown. Header rules live in `mock_server.bearer`.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Connection
from starlette.requests import Request

from mock_server.bearer import UNKNOWN_TOKEN, BearerError
from mock_server.bearer import bearer_token as read_bearer
from mock_server.consent.enforcement import load_token_and_consent
from mock_server.fhir.access import AccessContext
from mock_server.fhir.errors import FhirError
from mock_server.oauth.tokens import StoredAccessToken
from mock_server.platform import get_platform
from mock_server.scopes import InvalidScope, ScopeSet


def _unauthorized(error: BearerError) -> FhirError:
    return FhirError(401, "login", error.diagnostics, headers={"WWW-Authenticate": error.challenge})


def bearer_token(request: Request) -> str:
    """The token of the `Authorization: Bearer` header, or 401 saying what is wrong."""
    try:
        return read_bearer(request)
    except BearerError as error:
        raise _unauthorized(error) from None


class RefusedToken(FhirError):
    """401 for a token this server issued but which is revoked or expired: the exchange log can
    still say which service tried, for which patient."""

    def __init__(self, stored: StoredAccessToken) -> None:
        if stored.revoked:
            reason = "Jeton d'accès révoqué (autorisation retirée ou service suspendu)."
        else:
            reason = "Jeton d'accès expiré : obtenez-en un nouveau (jeton de rafraîchissement)."
        error = BearerError(reason, "invalid_token")
        super().__init__(401, "login", reason, headers={"WWW-Authenticate": error.challenge})
        self.token = stored.token


def authenticate(conn: Connection, request: Request, now: datetime) -> AccessContext:
    """The caller's access context (its token, scopes and the patient's grant to its client, read
    now); 401 `invalid_token` for an unknown, expired or revoked token."""
    notifier = get_platform(request).notifier
    stored, consent = load_token_and_consent(conn, bearer_token(request), now, notifier)
    if stored is None:
        raise _unauthorized(UNKNOWN_TOKEN)
    if consent is None:
        raise RefusedToken(stored)
    token = stored.token
    try:
        scopes = ScopeSet.from_string(token.scope)
    except InvalidScope:
        # A stored scope this server no longer understands grants nothing rather than failing.
        scopes = ScopeSet(())
    return AccessContext(token=token, scopes=scopes, consent=consent)
