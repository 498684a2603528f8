"""`/admin/participants`: the accounts of the server, and new copies of a persona so that each
workshop participant signs in to a patient of their own (`seed.copies`)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Engine, select

from mock_server.oauth.passwords import hash_password
from mock_server.problems import Problem
from mock_server.seed.copies import COPYABLE, add_copies
from mock_server.seed.families import data_anchor
from mock_server.seed.patients import DEMO_PASSWORD, PERSONAS
from mock_server.storage.schema import accounts, patients, representations

_SEED_USERNAME = {p.key: p.username for p in PERSONAS}


def add_participants(engine: Engine, *, seed: int, persona: str, count: int,
                     now: datetime) -> list[dict]:
    """`count` new accounts copying `persona` (404 naming the personas for any other name)."""
    if persona not in COPYABLE:
        raise Problem(404, "Persona introuvable",
                      f"Aucun persona « {persona[:80]} » à copier ; personas : "
                      f"{', '.join(COPYABLE)}.")
    with engine.begin() as conn:
        password_hash = conn.execute(select(accounts.c.password_hash)
                                     .where(accounts.c.username == persona)).scalar()
        copies = add_copies(conn, seed=seed, persona_username=persona, count=count,
                            anchor=data_anchor(conn, now),
                            password_hash=password_hash or hash_password(DEMO_PASSWORD))
    usernames = {copy.username for copy in copies}
    return [row for row in list_participants(engine) if row["username"] in usernames]


def list_participants(engine: Engine) -> list[dict]:
    """Every account (the seed's and the copies), with the patients it represents."""
    with engine.connect() as conn:
        represented: dict[str, list[dict]] = {}
        for row in conn.execute(select(representations.c.username, patients.c.id,
                                       patients.c.profile, patients.c.given, patients.c.family)
                                .join(patients, patients.c.id == representations.c.patient_id)
                                .order_by(patients.c.profile)):
            represented.setdefault(row.username, []).append(
                {"patient_id": row.id, "name": f"{row.given} {row.family}", "for": row.profile})
        rows = conn.execute(select(accounts.c.username, patients.c.id, patients.c.profile,
                                   patients.c.given, patients.c.family)
                            .join(patients, patients.c.id == accounts.c.patient_id)).all()
    out = [{"username": row.username, "name": f"{row.given} {row.family}",
            "patient_id": row.id, "password": DEMO_PASSWORD, "persona": row.profile,
            "copy_of": _copy_of(row.username, row.profile),
            "represents": represented.get(row.username, [])} for row in rows]
    return sorted(out, key=_account_order)


def _copy_of(username: str, profile: str) -> str | None:
    original = _SEED_USERNAME.get(profile)
    return original if original and username != original else None


def _account_order(row: dict) -> tuple[str, int]:
    """Seed accounts by name, each followed by its copies in number order (…9 before …10)."""
    base, _, number = row["username"].rpartition(".")
    if row["copy_of"] and number.isdigit():
        return base, int(number)
    return row["username"], 0
