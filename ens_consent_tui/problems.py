"""Client errors told in words: a title and a sentence for each kind of failure."""

from __future__ import annotations

from ens_consent_tui.client import (
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
)
from ens_consent_tui.i18n import Catalogue

_KEYS: tuple[tuple[type[ClientError], str], ...] = (
    (ServerUnreachable, "error.unreachable"),
    (SessionExpired, "error.session_expired"),
    (AccessTokenRefused, "error.token_refused"),
    (LoginFailed, "error.login_failed"),
    (AuthorizationFailed, "error.authorization_failed"),
    (Forbidden, "error.forbidden"),
    (NotFound, "error.not_found"),
    (InvalidInput, "error.invalid_input"),
    (ServerError, "error.server"),
    (TokenStoreUnavailable, "error.token_store"),
)


def describe(t: Catalogue, error: ClientError) -> tuple[str, str]:
    """(title, message) for a toast or an inline message."""
    key = next((k for kind, k in _KEYS if isinstance(error, kind)), "error.unexpected")
    url = error.url if isinstance(error, ServerUnreachable) else ""
    status = error.status if isinstance(error, ServerError) else 0
    reason = error.reason or t("error.no_reason")
    return t(f"{key}.title"), t(f"{key}.message", reason=reason, url=url, status=status)
