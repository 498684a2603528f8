"""The RSA key that signs ID tokens: generated once, kept in `signing_keys`, published as a JWKS.

Generated on first use rather than at start, so a server that never issues an ID token (and
every test that does not) pays nothing. The `kid` is the key's RFC 7638 thumbprint.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache

from joserfc.jwk import RSAKey
from sqlalchemy import Connection, select

from mock_server.storage.schema import signing_keys

ALGORITHM = "RS256"
KEY_SIZE = 2048


@dataclass(frozen=True)
class SigningKey:
    kid: str
    key: RSAKey

    def public_jwk(self) -> dict:
        return self.key.as_dict(private=False, kid=self.kid, use="sig", alg=ALGORITHM)


def signing_key(conn: Connection, now: datetime) -> SigningKey:
    """The key in use (the oldest stored one), created and stored if there is none yet."""
    row = conn.execute(
        select(signing_keys).order_by(signing_keys.c.created_at, signing_keys.c.kid).limit(1)
    ).first()
    if row is not None:
        return SigningKey(row.kid, _load(row.private_pem))
    key = RSAKey.generate_key(KEY_SIZE, private=True)
    kid = key.thumbprint()
    pem = key.as_pem(private=True).decode()
    conn.execute(signing_keys.insert().values(kid=kid, private_pem=pem, created_at=now))
    return SigningKey(kid, key)


def public_jwks(conn: Connection, now: datetime) -> dict:
    """The JWK Set of every stored key (public parts only)."""
    signing_key(conn, now)
    rows = conn.execute(select(signing_keys).order_by(signing_keys.c.created_at)).all()
    return {"keys": [SigningKey(r.kid, _load(r.private_pem)).public_jwk() for r in rows]}


@lru_cache(maxsize=8)
def _load(pem: str) -> RSAKey:
    """Parsing a PEM costs more than a request should; a given PEM always gives the same key."""
    return RSAKey.import_key(pem)
