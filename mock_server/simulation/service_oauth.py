"""The service side of OAuth: what a store service does as a confidential client, over HTTP.

It builds the authorization request (PKCE S256, state), exchanges the code it receives at its
redirect URI with its client secret (HTTP Basic), refreshes (the server rotates the refresh
token), and gives tokens back (RFC 7009). Every call goes to the server's real endpoints through
the simulation's HTTP client, like any outside client would.
"""

from __future__ import annotations

import base64
import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import urlencode

import httpx

from mock_server.catalog import ServiceSheet, requested_scopes
from mock_server.settings import Settings


@dataclass(frozen=True)
class Pkce:
    verifier: str
    challenge: str


def new_pkce() -> Pkce:
    verifier = secrets.token_urlsafe(48)
    digest = hashlib.sha256(verifier.encode()).digest()
    return Pkce(verifier, base64.urlsafe_b64encode(digest).rstrip(b"=").decode())


@dataclass(frozen=True)
class TokenSet:
    """What the token endpoint gave a service for one patient."""

    access_token: str
    refresh_token: str | None
    scope: frozenset[str]
    patient_id: str
    expires_at: datetime
    """Simulated time the access token stops working."""

    @classmethod
    def from_response(cls, body: dict, now: datetime, previous: TokenSet | None = None
                      ) -> TokenSet:
        return cls(
            access_token=body["access_token"],
            refresh_token=body.get("refresh_token") or (previous.refresh_token if previous
                                                        else None),
            scope=frozenset(str(body.get("scope", "")).split()),
            patient_id=body.get("patient") or (previous.patient_id if previous else ""),
            expires_at=now + timedelta(seconds=int(body.get("expires_in", 0))),
        )


class TokenError(Exception):
    """The token endpoint said no (`error` is the RFC 6749 code, `description` its reason)."""

    def __init__(self, status: int, error: str, description: str) -> None:
        super().__init__(f"{error}: {description}")
        self.status = status
        self.error = error
        self.description = description


class ServiceOAuth:
    """One catalogue service as an OAuth client of this server."""

    def __init__(self, service: ServiceSheet, settings: Settings, secret: str) -> None:
        self.service = service
        self.settings = settings
        self._secret = secret

    @property
    def redirect_uri(self) -> str:
        return f"{self.settings.base_url}{self.service.redirect_path}"

    def authorization_url(self, state: str, pkce: Pkce) -> str:
        """Where the patient's browser goes to consent (all the scopes the sheet asks for)."""
        query = urlencode({
            "response_type": "code",
            "client_id": self.service.id,
            "redirect_uri": self.redirect_uri,
            "scope": " ".join(requested_scopes(self.service)),
            "state": state,
            "aud": self.settings.fhir_base_url,
            "code_challenge": pkce.challenge,
            "code_challenge_method": "S256",
        })
        return f"{self.settings.base_url}/oauth/authorize?{query}"

    @property
    def _auth(self) -> tuple[str, str]:
        return self.service.id, self._secret

    async def exchange_code(self, http: httpx.AsyncClient, code: str, verifier: str,
                            now: datetime) -> TokenSet:
        body = await self._token(http, {"grant_type": "authorization_code", "code": code,
                                        "redirect_uri": self.redirect_uri,
                                        "code_verifier": verifier})
        return TokenSet.from_response(body, now)

    async def refresh(self, http: httpx.AsyncClient, tokens: TokenSet, now: datetime
                      ) -> TokenSet:
        if tokens.refresh_token is None:
            raise TokenError(400, "invalid_grant",
                             "Aucun jeton de rafraîchissement : le patient n'a pas accordé "
                             "l'accès hors connexion.")
        body = await self._token(http, {"grant_type": "refresh_token",
                                        "refresh_token": tokens.refresh_token})
        return TokenSet.from_response(body, now, tokens)

    async def revoke_access_token(self, http: httpx.AsyncClient, access_token: str) -> int:
        response = await http.post("/oauth/revoke", auth=self._auth,
                                   data={"token": access_token,
                                         "token_type_hint": "access_token"})
        return response.status_code

    async def _token(self, http: httpx.AsyncClient, form: dict[str, str]) -> dict:
        response = await http.post("/oauth/token", data=form, auth=self._auth)
        try:
            body = response.json()
        except ValueError:
            body = {}
        if response.status_code != 200 or "access_token" not in body:
            raise TokenError(response.status_code, str(body.get("error", "server_error")),
                             str(body.get("error_description", response.text[:200])))
        return body
