"""Opaque tokens: minted as random strings, stored only as SHA-256 hashes, checked on every request.

This module is the door between the authorization server (which mints) and the resource server
(which checks): `lookup_access_token` / `find_active_access_token` are what every API calls.
"""

from __future__ import annotations

import hashlib
import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Connection, bindparam, select, update

from mock_server.storage.schema import tokens


def hash_secret(value: str) -> str:
    """SHA-256 hex of a token or code (these are high-entropy, so no salt is needed)."""
    return hashlib.sha256(value.encode()).hexdigest()


def new_secret() -> str:
    return secrets.token_urlsafe(32)


@dataclass(frozen=True)
class AccessToken:
    """What a valid access token grants: who, for whom, what."""

    token_id: str
    family_id: str
    client_id: str
    username: str
    patient_id: str
    scope: str
    expires_at: datetime

    @property
    def scopes(self) -> frozenset[str]:
        return frozenset(self.scope.split())


@dataclass(frozen=True)
class IssuedTokens:
    token_id: str
    family_id: str
    access_token: str
    refresh_token: str | None
    expires_in: int
    scope: str


def mint_tokens(
    conn: Connection,
    *,
    client_id: str,
    username: str,
    patient_id: str,
    scope: str,
    now: datetime,
    access_ttl: int,
    refresh_idle_ttl: int | None,
    family_id: str | None = None,
    auth_time: datetime | None = None,
) -> IssuedTokens:
    """Store a new access token (and a refresh token when `refresh_idle_ttl` is given)."""
    access = new_secret()
    refresh = new_secret() if refresh_idle_ttl else None
    family_id = family_id or uuid.uuid4().hex
    token_id = store_tokens(
        conn,
        access_token=access,
        refresh_token=refresh,
        client_id=client_id,
        username=username,
        patient_id=patient_id,
        scope=scope,
        now=now,
        access_ttl=access_ttl,
        refresh_idle_ttl=refresh_idle_ttl or 0,
        family_id=family_id,
        auth_time=auth_time,
    )
    return IssuedTokens(token_id, family_id, access, refresh, access_ttl, scope)


def store_tokens(
    conn: Connection,
    *,
    access_token: str,
    refresh_token: str | None,
    client_id: str,
    username: str,
    patient_id: str,
    scope: str,
    now: datetime,
    access_ttl: int,
    refresh_idle_ttl: int,
    family_id: str,
    auth_time: datetime | None = None,
) -> str:
    """Store already generated token strings (hashed); returns the new row's id.

    The authorization server uses it because authlib generates the strings before saving them.
    """
    token_id = uuid.uuid4().hex
    keeps_refresh = refresh_token is not None
    conn.execute(
        tokens.insert().values(
            id=token_id,
            family_id=family_id,
            client_id=client_id,
            username=username,
            patient_id=patient_id,
            scope=scope,
            access_token_hash=hash_secret(access_token),
            refresh_token_hash=hash_secret(refresh_token) if keeps_refresh else None,
            issued_at=now,
            access_expires_at=now + timedelta(seconds=access_ttl),
            refresh_expires_at=now + timedelta(seconds=refresh_idle_ttl) if keeps_refresh else None,
            auth_time=auth_time,
        )
    )
    return token_id


@dataclass(frozen=True)
class StoredAccessToken:
    """An access token as stored, live or not (to tell who held a refused token)."""

    token: AccessToken
    revoked: bool

    def is_active(self, now: datetime) -> bool:
        return not self.revoked and self.token.expires_at > now


_LOOKUP = select(
    tokens.c.id, tokens.c.family_id, tokens.c.client_id, tokens.c.username, tokens.c.patient_id,
    tokens.c.scope, tokens.c.access_expires_at, tokens.c.revoked_at,
).where(tokens.c.access_token_hash == bindparam("token_hash"))
"""Built once: this runs on every API request."""


def lookup_access_token(conn: Connection, token: str) -> StoredAccessToken | None:
    """The stored access token whatever its state, or None when this server never issued it."""
    row = conn.execute(_LOOKUP, {"token_hash": hash_secret(token)}).first()
    if row is None:
        return None
    return StoredAccessToken(
        AccessToken(
            token_id=row.id,
            family_id=row.family_id,
            client_id=row.client_id,
            username=row.username,
            patient_id=row.patient_id,
            scope=row.scope,
            expires_at=row.access_expires_at,
        ),
        revoked=row.revoked_at is not None,
    )


def find_active_access_token(conn: Connection, token: str, now: datetime) -> AccessToken | None:
    """The token's grant if it exists, is not revoked and has not expired at `now`; else None."""
    stored = lookup_access_token(conn, token)
    return stored.token if stored is not None and stored.is_active(now) else None


def revoke_family(conn: Connection, family_id: str, now: datetime) -> int:
    """Revoke every token descending from one authorization; returns how many were live."""
    result = conn.execute(
        update(tokens)
        .where(tokens.c.family_id == family_id, tokens.c.revoked_at.is_(None))
        .values(revoked_at=now)
    )
    return result.rowcount
