"""Server-side login sessions of the authorization pages (table `login_sessions`).

A session holds the pending authorization request, who logged in, whose space they act for, and
the CSRF token every form of the session must return. The cookie carries a random id; only its
hash is stored. Once someone has logged in, the session outlives the request (single sign-on):
the next authorization request from the same user agent starts logged in — the patient app
connecting a service does not ask the password again — unless it sends `prompt=login`. Each new
request gets a new session id and CSRF token. Lifetimes are real (wall-clock) time
(`settings.login_session_ttl`), so a fast simulated clock never expires a page being read.
"""

from __future__ import annotations

import hmac
import json
import secrets
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from sqlalchemy import Connection, delete, select, update

from mock_server.oauth.tokens import hash_secret
from mock_server.storage.schema import login_sessions

COOKIE_NAME = "ens_session"


@dataclass(frozen=True)
class LoginSession:
    id_hash: str
    csrf: str
    request_params: list[tuple[str, str]]
    username: str | None
    acting_patient_id: str | None
    authenticated_at: datetime | None


def open_session(conn: Connection, params: list[tuple[str, str]], now: datetime,
                 ttl: int, *, signed_in: LoginSession | None = None,
                 keep_acting: bool = True) -> tuple[str, LoginSession]:
    """Store a new session for the authorization request `params`; returns (cookie, session).

    `signed_in` is the user agent's previous, logged-in session: the new one starts logged in as
    the same person (and acting for the same patient when `keep_acting`)."""
    conn.execute(delete(login_sessions).where(login_sessions.c.expires_at <= now))
    cookie = secrets.token_urlsafe(32)
    username = signed_in.username if signed_in else None
    authenticated_at = signed_in.authenticated_at if signed_in else None
    acting = signed_in.acting_patient_id if signed_in and keep_acting else None
    session = LoginSession(hash_secret(cookie), secrets.token_urlsafe(32), list(params),
                           username, acting, authenticated_at)
    conn.execute(
        login_sessions.insert().values(
            id_hash=session.id_hash,
            csrf_token=session.csrf,
            request_params=json.dumps(session.request_params),
            username=username,
            acting_patient_id=acting,
            authenticated_at=authenticated_at,
            created_at=now,
            expires_at=now + timedelta(seconds=ttl),
        )
    )
    return cookie, session


def load_session(conn: Connection, cookie: str | None, now: datetime) -> LoginSession | None:
    """The live session behind `cookie`, or None (no cookie, unknown, or expired)."""
    if not cookie:
        return None
    row = conn.execute(
        select(login_sessions).where(login_sessions.c.id_hash == hash_secret(cookie))
    ).first()
    if row is None or row.expires_at <= now:
        return None
    return LoginSession(
        id_hash=row.id_hash,
        csrf=row.csrf_token,
        request_params=[(name, value) for name, value in json.loads(row.request_params)],
        username=row.username,
        acting_patient_id=row.acting_patient_id,
        authenticated_at=row.authenticated_at,
    )


def csrf_matches(session: LoginSession, submitted: object) -> bool:
    return isinstance(submitted, str) and hmac.compare_digest(submitted.encode(),
                                                              session.csrf.encode())


def record_login(conn: Connection, session: LoginSession, username: str, now: datetime,
                 acting_patient_id: str | None) -> LoginSession:
    """The password was right; `acting_patient_id` is set when there is nobody else to act for."""
    conn.execute(
        update(login_sessions)
        .where(login_sessions.c.id_hash == session.id_hash)
        .values(username=username, authenticated_at=now, acting_patient_id=acting_patient_id)
    )
    return replace(session, username=username, authenticated_at=now,
                   acting_patient_id=acting_patient_id)


def record_acting(conn: Connection, session: LoginSession, patient_id: str) -> LoginSession:
    conn.execute(
        update(login_sessions)
        .where(login_sessions.c.id_hash == session.id_hash)
        .values(acting_patient_id=patient_id)
    )
    return replace(session, acting_patient_id=patient_id)


def close_session(conn: Connection, id_hash: str) -> None:
    """Forget a session (a new request replaces it)."""
    conn.execute(delete(login_sessions).where(login_sessions.c.id_hash == id_hash))


def end_request(conn: Connection, session: LoginSession) -> None:
    """The request was answered: forget it, but keep who is logged in for the next one."""
    if session.username is None:
        close_session(conn, session.id_hash)
        return
    conn.execute(
        update(login_sessions)
        .where(login_sessions.c.id_hash == session.id_hash)
        .values(request_params="[]")
    )


def cookie_hash(cookie: str) -> str:
    return hash_secret(cookie)
