"""What the simulated world knows, read straight from storage: who the patient is, their latest
measures, the appointments a service booked.

A connected scale weighs the real person and a hospital knows its own patient: these facts are
not exchanges, so generators read them here rather than through the FHIR API. Everything a
service sends or receives still goes over HTTP (that is what the exchange log shows).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, func, select

from mock_server.seed.patients import PERSONAS, REPRESENTATIONS, SeedPatient
from mock_server.storage.schema import accounts, patients, resources

_PERSONAS = {persona.key: persona for persona in PERSONAS}


@dataclass(frozen=True)
class PatientFacts:
    """The patient a service acts for (and the guardian of a represented child)."""

    patient: SeedPatient
    guardian: SeedPatient | None

    @property
    def id(self) -> str:
        return self.patient.id

    @property
    def profile(self) -> str:
        """The seed persona key (`pregnancy`, `diabetes`, ...)."""
        return self.patient.persona.key


def _seed_patient(row) -> SeedPatient:
    resource = json.loads(row.json)
    address = {k: v for k, v in (resource.get("address") or [{}])[0].items() if k != "use"}
    return SeedPatient(row.id, _PERSONAS[row.profile], row.ins_nir, row.ins_key, address)


def patient_facts(conn: Connection, patient_id: str) -> PatientFacts:
    """The patient `patient_id` as the seed described them (KeyError if unknown)."""
    row = conn.execute(select(patients).where(patients.c.id == patient_id)).first()
    if row is None:
        raise KeyError(patient_id)
    patient = _seed_patient(row)
    guardian = None
    for username, child_key, _ in REPRESENTATIONS:
        if child_key == row.profile:
            guardian_row = conn.execute(
                select(patients).join(accounts, accounts.c.patient_id == patients.c.id)
                .where(accounts.c.username == username)).first()
            guardian = _seed_patient(guardian_row) if guardian_row else None
    return PatientFacts(patient, guardian)


def observations(conn: Connection, patient_id: str, measure_key: str, *, before: datetime,
                 since: datetime | None = None, limit: int = 1) -> list[dict]:
    """The patient's measures of one kind dated before `before` (and from `since`), newest
    first."""
    query = (select(resources.c.json)
             .where(resources.c.patient_id == patient_id,
                    resources.c.resource_type == "Observation",
                    resources.c.subtype == measure_key,
                    resources.c.effective <= before))
    if since is not None:
        query = query.where(resources.c.effective >= since)
    rows = conn.execute(query.order_by(resources.c.effective.desc()).limit(limit)).scalars()
    return [json.loads(text) for text in rows]


def quantity(observation: dict) -> float | None:
    """The value of a single-value measure."""
    value = (observation.get("valueQuantity") or {}).get("value")
    return float(value) if isinstance(value, int | float) else None


def component_values(observation: dict) -> list[float]:
    """The component values of a blood pressure (systolic first, as written)."""
    return [float(c["valueQuantity"]["value"]) for c in observation.get("component") or []]


def own_appointments(conn: Connection, patient_id: str, client_id: str, *, after: datetime,
                     statuses: tuple[str, ...]) -> list:
    """The future appointments this service booked for the patient (id, version, JSON), soonest
    first."""
    return conn.execute(
        select(resources.c.id, resources.c.version_id, resources.c.json, resources.c.status)
        .where(resources.c.patient_id == patient_id,
               resources.c.resource_type == "Appointment",
               resources.c.author_client_id == client_id,
               resources.c.status.in_(statuses),
               resources.c.effective > after)
        .order_by(resources.c.effective)
    ).all()


def seed_anchor(conn: Connection) -> datetime | None:
    """The moment the synthetic data were generated for ("today" of the seed): the stories'
    dates (pregnancy term, surgery) count from it."""
    return conn.execute(
        select(func.min(resources.c.last_updated)).where(resources.c.author_client_id.is_(None))
    ).scalar()
