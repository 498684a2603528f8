"""Appointments a service books or changes in the patient's agenda (ANS "Gestion d'Agendas
Partagés": `proposed` is a request, `booked` a confirmed appointment).

`appointment` books one on a working day some days after the occurrence, inside the service's
opening hours; `appointment_update` confirms the service's soonest proposed appointment, or moves
its soonest booked one by a day or two (PUT with If-Match on the version it knows).
"""

from __future__ import annotations

import json
from datetime import date, datetime, time, timedelta
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from mock_server.catalog import Permission
from mock_server.seed.document_layout import fr_long_date
from mock_server.seed.measure_timeline import PARIS
from mock_server.simulation.generators.base import Generator, GeneratorContext, PlannedRequest
from mock_server.simulation.world import own_appointments

AGENDA_WRITE = Permission(data_class="agenda", subtype="all", access="write")


class AppointmentParams(BaseModel):
    """How a service books: what, with whom, how long, how far ahead, when it is open."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    title: str = Field(min_length=3, max_length=200)
    """What the patient reads in their agenda (« Consultation prénatale du 7e mois »)."""
    with_: str = Field(alias="with", min_length=3, max_length=200)
    """Who the patient meets (« Sage-femme de la Maternité des Glycines »)."""
    minutes: int = Field(default=30, ge=5, le=480)
    days_ahead: tuple[int, int] = (3, 14)
    hours: tuple[int, int] = (9, 17)
    """Opening hours (Paris): the appointment starts and ends inside."""
    status: Literal["booked", "proposed"] = "booked"
    teleconsultation: bool = False

    @model_validator(mode="after")
    def _consistent(self) -> AppointmentParams:
        low, high = self.days_ahead
        if not 0 <= low <= high <= 180:
            raise ValueError("days_ahead : [minimum, maximum] de jours, 0 ≤ minimum ≤ maximum "
                             "≤ 180.")
        start, end = self.hours
        if not 0 <= start < end <= 24 or (end - start) * 60 < self.minutes:
            raise ValueError("hours : [ouverture, fermeture] en heures, assez large pour la "
                             "durée du rendez-vous.")
        return self


class UpdateParams(BaseModel):
    """What the service changes in one of its own appointments."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    change: Literal["confirm", "reschedule"] = "confirm"


def _working_day(day: date) -> date:
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


def _start(ctx: GeneratorContext, params: AppointmentParams) -> datetime:
    local = ctx.at.astimezone(PARIS)
    day = _working_day(local.date() + timedelta(days=ctx.rng.randint(*params.days_ahead)))
    first, last = params.hours[0] * 60, params.hours[1] * 60 - params.minutes
    minute = first + 15 * ctx.rng.randint(0, (last - first) // 15)
    start = datetime.combine(day, time(minute // 60, minute % 60), tzinfo=PARIS)
    return start if start > ctx.at else start + timedelta(days=7)


def _stamp(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds")


def book(ctx: GeneratorContext, params: AppointmentParams) -> list[PlannedRequest]:
    start = _start(ctx, params)
    end = start + timedelta(minutes=params.minutes)
    patient_status = "accepted" if params.status == "booked" else "needs-action"
    appointment = {
        "resourceType": "Appointment",
        "status": params.status,
        "serviceType": [{"text": "Téléconsultation" if params.teleconsultation
                         else "Consultation"}],
        "description": params.title,
        "start": _stamp(start),
        "end": _stamp(end),
        "minutesDuration": params.minutes,
        "created": ctx.at.astimezone(PARIS).date().isoformat(),
        "comment": f"Pris via {ctx.service.name}"
                   + (" : lien de visioconférence envoyé la veille." if params.teleconsultation
                      else "."),
        "participant": [
            {"actor": {"reference": f"Patient/{ctx.facts.id}",
                       "display": ctx.facts.patient.display_name},
             "required": "required", "status": patient_status},
            {"actor": {"display": params.with_}, "required": "required", "status": "accepted"},
        ],
    }
    verb = "propose" if params.status == "proposed" else "réserve"
    return [PlannedRequest("POST", "Appointment", appointment,
                           summary=f"{verb} « {params.title} » le {fr_long_date(start)}")]


def update(ctx: GeneratorContext, params: UpdateParams) -> list[PlannedRequest]:
    wanted = ("proposed",) if params.change == "confirm" else ("booked",)
    found = own_appointments(ctx.conn, ctx.facts.id, ctx.service.id, after=ctx.at,
                             statuses=wanted)
    if not found:
        return []
    row = found[0]
    resource = json.loads(row.json)
    resource.pop("meta", None)
    if params.change == "confirm":
        resource["status"] = "booked"
        for participant in resource.get("participant") or []:
            participant["status"] = "accepted"
        summary = f"confirme « {resource.get('description', 'rendez-vous')} »"
    else:
        shift = timedelta(days=ctx.rng.choice((1, 2)))
        start = datetime.fromisoformat(resource["start"]) + shift
        start = datetime.combine(_working_day(start.date()), start.timetz())
        end = start + (datetime.fromisoformat(resource["end"])
                       - datetime.fromisoformat(resource["start"]))
        resource.update(start=_stamp(start), end=_stamp(end))
        summary = f"déplace « {resource.get('description', 'rendez-vous')} » au " \
                  f"{fr_long_date(start)}"
    return [PlannedRequest("PUT", f"Appointment/{row.id}", resource,
                           headers={"If-Match": f'W/"{row.version_id}"'}, summary=summary)]


APPOINTMENT_GENERATORS = (
    Generator("appointment", "Réserve (ou propose) un rendez-vous dans l'agenda du patient.",
              book, lambda _params: AGENDA_WRITE, AppointmentParams),
    Generator("appointment_update", "Confirme ou déplace un rendez-vous que le service a pris.",
              update, lambda _params: AGENDA_WRITE, UpdateParams),
)
