"""One patient's seed data, generated again on demand: the facilitator's per-patient reset.

A patient belongs to a *family*: an account's own patient plus those it represents (Sophie and
Léo Dubois). Documents are drawn for a whole population from one random stream, so a patient's
data can only be drawn again together with the population it was first drawn with: the seed's
six personas for a seed patient, its own family for a copy of a persona (`copies`), whose
streams carry the family's username as a tag.

Data are anchored on the day the database was seeded (the `last_updated` of the seed's rows), so
a patient's data come back exactly as first seeded — same values, same resource ids — and line
up in time with the other patients' data even after the clock moved on.
"""

from __future__ import annotations

import json
from datetime import datetime

from sqlalchemy import Connection, Row, func, select

from mock_server.seed import PARIS, population_records, seed_anchor, seed_population
from mock_server.seed.patients import PERSONAS, SeedPatient
from mock_server.storage.schema import accounts, patients, representations, resources

_PERSONA_ORDER = {persona.key: index for index, persona in enumerate(PERSONAS)}
_SEED_USERNAMES = frozenset(p.username for p in PERSONAS if p.username)


def data_anchor(conn: Connection, now: datetime) -> datetime:
    """The anchor the database's seed data were drawn on (`seed_anchor(now)` when it has none)."""
    first = conn.execute(select(func.min(resources.c.last_updated))
                         .where(resources.c.author_client_id.is_(None))).scalar()
    return seed_anchor(first) if first is not None else seed_anchor(now)


def seed_records_of(conn: Connection, seed: int, patient_id: str, anchor: datetime
                    ) -> list[dict] | None:
    """The `resources` rows the seed gives `patient_id` (a seed patient or a copy), or None
    when they cannot be drawn again (a database seeded with another seed, say)."""
    population = seed_population(seed)
    tag: tuple[str, ...] = ()
    if patient_id not in {p.id for p in population}:
        family = family_of(conn, patient_id)
        if family is None or family[0] in _SEED_USERNAMES:
            return None  # a persona the database was seeded with under another seed
        tag, population = (family[0],), family[1]
    records = population_records(seed, population, anchor.astimezone(PARIS), *tag)
    return [record for record in records if record["patient_id"] == patient_id]


def family_of(conn: Connection, patient_id: str) -> tuple[str, list[SeedPatient]] | None:
    """The username of the account `patient_id` belongs to (its own or its representative's),
    and that family's patients in persona order; None for a patient of no known persona."""
    head = conn.execute(select(accounts.c.username)
                        .where(accounts.c.patient_id == patient_id)).scalar()
    if head is None:
        head = conn.execute(select(representations.c.username)
                            .where(representations.c.patient_id == patient_id)
                            .order_by(representations.c.username)).scalar()
    if head is None:
        return None
    own = select(accounts.c.patient_id).where(accounts.c.username == head)
    represented = select(representations.c.patient_id).where(representations.c.username == head)
    rows = conn.execute(select(patients).where(patients.c.id.in_(own.union(represented)))).all()
    members = [_seed_patient(row) for row in rows]
    if any(member is None for member in members):
        return None
    family = sorted((m for m in members if m is not None),
                    key=lambda m: _PERSONA_ORDER[m.persona.key])
    return head, family


def _seed_patient(row: Row) -> SeedPatient | None:
    persona = next((p for p in PERSONAS if p.key == row.profile), None)
    if persona is None:
        return None
    resource = json.loads(row.json)
    address = {k: v for k, v in (resource.get("address") or [{}])[0].items() if k != "use"}
    return SeedPatient(row.id, persona, row.ins_nir, row.ins_key, address)
