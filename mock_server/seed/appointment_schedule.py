"""From a planned visit to a FHIR R4 Appointment: working-hours slot, status, booking date.

Statuses follow ANS "Gestion d'Agendas Partagés": `proposed` is a request awaiting the patient's
confirmation (patient participant `needs-action`), `booked` is confirmed; past visits are
`fulfilled`, now and then `cancelled` or `noshow`.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from mock_server.seed.appointment_calendar import is_working_day
from mock_server.seed.measure_observations import fhir_datetime
from mock_server.seed.measure_signals import around, local_time
from mock_server.seed.measure_timeline import anchor_day
from mock_server.seed.patients import SeedPatient

OFFICE_HOURS = (time(8, 30), time(19, 0))
LAB_HOURS = (time(7, 30), time(11, 0))
"""Blood tests are taken fasting, early in the morning."""

CANCELLED_SHARE = 0.06
NOSHOW_SHARE = 0.02
"""Shares of past routine visits that were cancelled or missed."""


@dataclass(frozen=True)
class Visit:
    """A planned appointment, before its slot and status are drawn."""

    day: date
    """Wished day; moved to the next working day (and never to the anchor's own day)."""
    with_whom: str
    service: str
    description: str
    minutes: int
    at: time | None = None
    """Fixed start (a series keeps its slot); otherwise drawn within `hours`."""
    hours: tuple[time, time] = OFFICE_HOURS
    any_day: bool = False
    """Home nursing and house calls also happen at weekends."""
    routine: bool = False
    """A routine visit may have been cancelled or missed."""
    request: bool = False
    """Upcoming and awaiting the patient's confirmation."""
    booked_on: date | None = None
    """Day the appointment was made (a series is booked at once); otherwise drawn."""
    instruction: str | None = None
    """What the patient must bring or do (`patientInstruction`)."""


@dataclass(frozen=True)
class Timing:
    """Where a visit landed: its start, status, booking time and, if cancelled, by whom."""

    start: datetime
    status: str
    created: datetime
    cancelled_by_patient: bool = False


def schedule(rng: random.Random, visit: Visit, anchor: datetime) -> Timing:
    """The slot, status and booking time of `visit` as seen from `anchor`."""
    start = _start(rng, visit, _visit_day(visit, anchor))
    status = _status(rng, visit, start, anchor)
    created = _created(rng, visit, start, status, anchor)
    by_patient = status == "cancelled" and rng.random() < 0.6
    return Timing(start, status, created, by_patient)


def _visit_day(visit: Visit, anchor: datetime) -> date:
    day = visit.day
    if day == anchor_day(anchor):  # today's agenda would already be half past at "now"
        day += timedelta(days=1)
    while not (visit.any_day or is_working_day(day)):
        day += timedelta(days=1)
    return day


def _start(rng: random.Random, visit: Visit, day: date) -> datetime:
    if visit.at is not None:
        return local_time(day, visit.at.hour, visit.at.minute)
    opening, closing = (t.hour * 60 + t.minute for t in visit.hours)
    latest = max(opening, closing - visit.minutes)
    minute = opening + 15 * rng.randrange((latest - opening) // 15 + 1)
    return local_time(day, minute // 60, minute % 60)


def _status(rng: random.Random, visit: Visit, start: datetime, anchor: datetime) -> str:
    draw = rng.random()
    if start < anchor:
        if visit.routine and draw < CANCELLED_SHARE:
            return "cancelled"
        if visit.routine and draw < CANCELLED_SHARE + NOSHOW_SHARE:
            return "noshow"
        return "fulfilled"
    return "proposed" if visit.request else "booked"


def _created(
    rng: random.Random, visit: Visit, start: datetime, status: str, anchor: datetime
) -> datetime:
    """When the appointment was made: before its start, and before the anchor."""
    today = anchor_day(anchor)
    if visit.booked_on is not None:
        booked = visit.booked_on
    elif status == "proposed":  # the practice proposed the slot in the last few days
        booked = today - timedelta(days=rng.randint(1, 10))
    else:
        lead = timedelta(days=rng.randint(4, 45))
        booked = min(start.date() - lead, today - timedelta(days=rng.randint(1, 20)))
    created = around(rng, booked, 8, 0, 12 * 60)
    latest = start - timedelta(minutes=30)  # a same-day booking: the morning phone call
    if created > latest:
        created = latest - timedelta(minutes=rng.randrange(0, 180))
    return created


def appointment(appointment_id: str, patient: SeedPatient, visit: Visit, timing: Timing) -> dict:
    """The FHIR R4 Appointment for a scheduled visit."""
    status = timing.status
    patient_status = "needs-action" if status == "proposed" else "accepted"
    professional_status = "accepted"
    resource: dict = {"resourceType": "Appointment", "id": appointment_id, "status": status}
    if status == "cancelled":
        by_patient = timing.cancelled_by_patient
        resource["cancelationReason"] = {
            "text": "Annulé par le patient" if by_patient else "Annulé par le cabinet"
        }
        if by_patient:
            patient_status = "declined"
        else:
            professional_status = "declined"
    resource |= {
        "serviceType": [{"text": visit.service}],
        "description": visit.description,
        "start": fhir_datetime(timing.start),
        "end": fhir_datetime(timing.start + timedelta(minutes=visit.minutes)),
        "minutesDuration": visit.minutes,
        "created": fhir_datetime(timing.created),
    }
    if visit.instruction:
        resource["patientInstruction"] = visit.instruction
    resource["participant"] = [
        {
            "actor": {"reference": f"Patient/{patient.id}", "display": patient.display_name},
            "required": "required",
            "status": patient_status,
        },
        {
            "actor": {"display": visit.with_whom},
            "required": "required",
            "status": professional_status,
        },
    ]
    return resource
