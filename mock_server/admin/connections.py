"""Who is connected to the server: patients whose app holds a live token or an open event
stream, and the service agents acting for them."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Connection, Engine, func, select

from mock_server.storage.schema import accounts, oauth_clients, patients, tokens


def patient_rows(engine: Engine, now: datetime) -> list[dict]:
    """Every patient, with the live tokens of their own app (patient or representative)."""
    with engine.connect() as conn:
        live = _live_app_tokens(conn, now)
        rows = conn.execute(select(patients.c.id, patients.c.given, patients.c.family,
                                   accounts.c.username)
                            .outerjoin(accounts, accounts.c.patient_id == patients.c.id)
                            .order_by(patients.c.family, patients.c.given)).all()
    return [{"patient_id": row.id, "name": f"{row.given} {row.family}",
             "username": row.username, "app_tokens": live.get(row.id, 0)} for row in rows]


def _live_app_tokens(conn: Connection, now: datetime) -> dict[str, int]:
    query = (select(tokens.c.patient_id, func.count())
             .join(oauth_clients, oauth_clients.c.client_id == tokens.c.client_id)
             .where(oauth_clients.c.kind == "app", tokens.c.revoked_at.is_(None),
                    tokens.c.access_expires_at > now)
             .group_by(tokens.c.patient_id))
    return {patient_id: count for patient_id, count in conn.execute(query)}


def resolve_patient(engine: Engine, who: str) -> str | None:
    """The patient id a console request names: a username (its own space) or a patient id."""
    with engine.connect() as conn:
        by_account = conn.execute(select(accounts.c.patient_id)
                                  .where(accounts.c.username == who)).scalar()
        if by_account is not None:
            return by_account
        return conn.execute(select(patients.c.id).where(patients.c.id == who)).scalar()


def usernames(engine: Engine) -> list[str]:
    with engine.connect() as conn:
        return sorted(conn.execute(select(accounts.c.username)).scalars())
