"""Copies of a persona, so that each workshop participant has a patient of their own on one
shared server.

A copy is a new account (`camille.martin.2`, same password as every synthetic account) whose
patient lives the persona's story — same name, same kind of measures, documents and
appointments — under a new patient id and a new valid test INS (NIR + key `97 - NIR mod 97`,
unique in the database). A persona who represents someone is copied with them: the copy of
`sophie.dubois` represents a copy of Léo. Everything a copy draws comes from random streams
tagged with its username, so copies differ from each other and from the persona.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, select

from mock_server.seed import PARIS, population_records, seed_population, stream
from mock_server.seed.patients import (
    PERSONAS,
    REPRESENTATIONS,
    Persona,
    SeedPatient,
    ins_key,
    make_nir,
    patient_resource,
    seeded_uuid,
)
from mock_server.storage.resources import insert_records
from mock_server.storage.schema import accounts, patients, representations

COPYABLE: tuple[str, ...] = tuple(p.username for p in PERSONAS if p.username)
"""The personas a participant can get a copy of: those with an account."""


@dataclass(frozen=True)
class Copy:
    """One new participant account: its username and the patients of its family."""

    username: str
    family: list[SeedPatient]
    resources: int

    @property
    def own(self) -> SeedPatient:
        return self.family[0]


def add_copies(conn: Connection, *, seed: int, persona_username: str, count: int,
               anchor: datetime, password_hash: str) -> list[Copy]:
    """Insert `count` copies of the persona whose account is `persona_username`."""
    persona = next(p for p in PERSONAS if p.username == persona_username)
    taken_names = set(conn.execute(select(accounts.c.username)).scalars())
    taken_nirs = set(conn.execute(select(patients.c.ins_nir)).scalars())
    addresses = {p.persona.key: p.address for p in seed_population(seed)}
    copies = []
    number = 2
    for _ in range(count):
        while f"{persona_username}.{number}" in taken_names:
            number += 1
        username = f"{persona_username}.{number}"
        taken_names.add(username)
        family = _family(seed, persona, username, taken_nirs, addresses)
        copies.append(_insert(conn, seed, username, family, anchor, password_hash))
    return copies


def _family(seed: int, persona: Persona, username: str, taken_nirs: set[str],
            addresses: dict[str, dict]) -> list[SeedPatient]:
    keys = [persona.key] + [child for user, child, _ in REPRESENTATIONS
                            if user == persona.username]
    family = []
    for key in keys:
        member = next(p for p in PERSONAS if p.key == key)
        rng = stream(seed, "copy", username, key)
        patient_id = seeded_uuid(rng)
        nir = make_nir(rng, member)
        while nir in taken_nirs:
            nir = make_nir(rng, member)
        taken_nirs.add(nir)
        family.append(SeedPatient(patient_id, member, nir, ins_key(nir), addresses[key]))
    return family


def _insert(conn: Connection, seed: int, username: str, family: list[SeedPatient],
            anchor: datetime, password_hash: str) -> Copy:
    own = family[0]
    for member in family:
        guardian = own if member is not own else None
        conn.execute(patients.insert().values(
            id=member.id, ins_nir=member.nir, ins_key=member.ins_key,
            family=member.persona.family, given=member.persona.given,
            birth_date=member.persona.birth_date.isoformat(), gender=member.persona.gender,
            profile=member.persona.key,
            json=json.dumps(patient_resource(member, guardian), ensure_ascii=False,
                            separators=(",", ":"))))
    conn.execute(accounts.insert().values(username=username, password_hash=password_hash,
                                          patient_id=own.id, display_name=own.display_name))
    for member in family[1:]:
        relationship = next(rel for user, child, rel in REPRESENTATIONS
                            if user == own.persona.username and child == member.persona.key)
        conn.execute(representations.insert().values(username=username, patient_id=member.id,
                                                     relationship=relationship))
    count = insert_records(conn, population_records(seed, family, anchor.astimezone(PARIS),
                                                    username))
    return Copy(username, family, count)
