"""Synthetic, deterministic data: the same seed and day give exactly the same data.

Each generator gets its own random stream (seeded by seed, generator and persona), so adding data
to one generator never shifts another's.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, time
from zoneinfo import ZoneInfo

from faker import Faker
from sqlalchemy import Connection, Engine, func, select

from mock_server.oauth.passwords import hash_password
from mock_server.seed.appointments import build_appointments
from mock_server.seed.documents import build_documents
from mock_server.seed.measures import build_measures
from mock_server.seed.patients import (
    DEMO_PASSWORD,
    REPRESENTATIONS,
    SeedPatient,
    build_patients,
    patient_resource,
)
from mock_server.storage.resources import insert_records, record_for
from mock_server.storage.schema import accounts, metadata, patients, representations

PARIS = ZoneInfo("Europe/Paris")


@dataclass(frozen=True)
class SeedSummary:
    seeded: bool
    patients: int = 0
    resources: int = 0


def seed_anchor(now: datetime) -> datetime:
    """Midnight (Paris) of `now`'s day: history ends there, upcoming appointments start after it."""
    local_day = now.astimezone(PARIS).date()
    return datetime.combine(local_day, time(0, 0), tzinfo=PARIS)


def stream(seed: int, *parts: str) -> random.Random:
    """An independent random stream for one generator (string seeds hash deterministically)."""
    return random.Random("|".join([str(seed), *parts]))


def is_seeded(conn: Connection) -> bool:
    return conn.execute(select(func.count()).select_from(patients)).scalar_one() > 0


def wipe(engine: Engine) -> None:
    """Drop and recreate every table (the `--fresh` start)."""
    metadata.drop_all(engine)
    metadata.create_all(engine)


def _insert_people(conn: Connection, population: list[SeedPatient]) -> None:
    by_persona = {p.persona.key: p for p in population}
    guardians = {child: by_persona_user(population, user) for user, child, _ in REPRESENTATIONS}
    for p in population:
        resource = patient_resource(p, guardians.get(p.persona.key))
        conn.execute(
            patients.insert().values(
                id=p.id,
                ins_nir=p.nir,
                ins_key=p.ins_key,
                family=p.persona.family,
                given=p.persona.given,
                birth_date=p.persona.birth_date.isoformat(),
                gender=p.persona.gender,
                profile=p.persona.key,
                json=_dumps(resource),
            )
        )
    password_hash = hash_password(DEMO_PASSWORD)
    for p in population:
        if p.persona.username:
            conn.execute(
                accounts.insert().values(
                    username=p.persona.username,
                    password_hash=password_hash,
                    patient_id=p.id,
                    display_name=p.display_name,
                )
            )
    for username, child_key, relationship in REPRESENTATIONS:
        conn.execute(
            representations.insert().values(
                username=username, patient_id=by_persona[child_key].id, relationship=relationship
            )
        )


def by_persona_user(population: list[SeedPatient], username: str) -> SeedPatient:
    return next(p for p in population if p.persona.username == username)


def _dumps(resource: dict) -> str:
    import json

    return json.dumps(resource, ensure_ascii=False, separators=(",", ":"))


def seed_database(engine: Engine, *, seed: int, now: datetime, fresh: bool = False) -> SeedSummary:
    """Fill an empty database (or a wiped one when `fresh`); a seeded one is left as it is."""
    if fresh:
        wipe(engine)
    with engine.begin() as conn:
        if is_seeded(conn):
            return SeedSummary(seeded=False)
        anchor = seed_anchor(now)
        population = seed_population(seed)
        _insert_people(conn, population)
        count = insert_records(conn, population_records(seed, population, anchor))
    return SeedSummary(seeded=True, patients=len(population), resources=count)


def seed_population(seed: int) -> list[SeedPatient]:
    """The seed's patients (ids, INS, addresses), without touching a database."""
    return build_patients(stream(seed, "patients"), _faker(seed))


def population_records(seed: int, population: list[SeedPatient], anchor: datetime,
                       *tag: str) -> list[dict]:
    """The `resources` rows of `population`'s measures, appointments and documents.

    Without `tag` these are the seed's own (every stream as `seed_database` draws it); a copy
    of a persona passes its own tag (its username), so it gets data of the same kind but drawn
    from streams of its own: other values, other resource ids.
    """
    records = []
    for p in population:
        for build, name in ((build_measures, "measures"), (build_appointments, "appointments")):
            for res in build(stream(seed, name, p.persona.key, *tag), p, anchor):
                records.append(record_for(res, patient_id=p.id, last_updated=anchor))
    for patient_id, res in build_documents(stream(seed, "documents", *tag), population, anchor):
        records.append(record_for(res, patient_id=patient_id, last_updated=anchor))
    return records


def _faker(seed: int) -> Faker:
    faker = Faker("fr_FR")
    faker.seed_instance(seed)
    return faker
