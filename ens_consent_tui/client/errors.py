"""What can go wrong when the app talks to the platform, as precise exception types.

Every failure of the client layer is a `ClientError`: the app catches that one type around each
network call and turns it into words (the catalogue holds the sentences; `reason` carries the
server's own explanation when there is one). Nothing else escapes from `ens_consent_tui.client`.
"""

from __future__ import annotations


class ClientError(Exception):
    """Base of every error the person may be told about."""

    def __init__(self, reason: str = "") -> None:
        super().__init__(reason or type(self).__name__)
        self.reason = reason


class ServerUnreachable(ClientError):
    """No answer from the platform (refused, reset, timed out, name not resolved)."""

    def __init__(self, url: str, reason: str = "") -> None:
        super().__init__(reason)
        self.url = url


class SessionExpired(ClientError):
    """The tokens no longer work and could not be refreshed: the person must log in again."""


class AccessTokenRefused(ClientError):
    """401 again and again with access tokens just renewed (the simulated clock may be jumping
    faster than a token lives): the refresh token still works, so the session is kept and the
    request can be tried again."""


class LoginFailed(ClientError):
    """Wrong identifier or password (`reason`: the server's sentence)."""


class AuthorizationFailed(ClientError):
    """The authorization flow stopped (expired login page, refused request...)."""


class Forbidden(ClientError):
    """403: the request is understood but not allowed (`reason` says why)."""


class NotFound(ClientError):
    """404: no such resource for this patient."""


class InvalidInput(ClientError):
    """400/409/412/422: the server refused what was sent (`reason` from its OperationOutcome)."""


class ServerError(ClientError):
    """5xx, 429 or any other answer the app cannot use as such."""

    def __init__(self, status: int, reason: str = "") -> None:
        super().__init__(reason)
        self.status = status


class UnexpectedResponse(ClientError):
    """An answer that is not what the contract promises (not JSON, missing fields)."""


class TokenStoreUnavailable(ClientError):
    """The OS keyring refused to read or write the tokens."""
