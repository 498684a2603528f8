"""Agenda (Appointment): the platform's rules for a written appointment.

ANS "Gestion d'Agendas Partagés": `proposed` is a request, `booked` a confirmed appointment. The
patient of the token is a participant (added when missing); naming another patient is 403.
"""

from __future__ import annotations

from mock_server.fhir.access import AccessContext
from mock_server.fhir.errors import invalid
from mock_server.fhir.validation import check_patient_reference, require_code, validate_model
from mock_server.storage.resources import parse_fhir_datetime

APPOINTMENT_STATUSES = (
    "proposed",
    "pending",
    "booked",
    "arrived",
    "fulfilled",
    "cancelled",
    "noshow",
    "entered-in-error",
    "checked-in",
    "waitlist",
)
PARTICIPANT_STATUSES = ("accepted", "declined", "tentative", "needs-action")
PARTICIPANT_REQUIRED = ("required", "optional", "information-only")
_UNDATED = ("proposed", "cancelled", "waitlist")
"""Statuses allowed without start/end (FHIR invariant app-3)."""


def _check_period(resource: dict) -> None:
    start, end = resource.get("start"), resource.get("end")
    if (start is None) != (end is None):
        raise invalid(
            "Appointment.start et Appointment.end vont ensemble : indiquez les deux ou aucun.",
            "Appointment.end",
            "required",
        )
    if start is None:
        if resource["status"] not in _UNDATED:
            raise invalid(
                f"Un rendez-vous au statut {resource['status']} doit avoir un début et une "
                "fin (start, end).",
                "Appointment.start",
                "required",
            )
        return
    if parse_fhir_datetime(end) <= parse_fhir_datetime(start):
        raise invalid(
            "Appointment.end doit être postérieur à Appointment.start.", "Appointment.end", "value"
        )


def _check_participants(resource: dict, ctx: AccessContext, fhir_base: str) -> None:
    participants = resource.get("participant") or []
    if not participants:
        raise invalid(
            "Appointment.participant doit contenir au moins un participant.",
            "Appointment.participant",
            "required",
        )
    has_patient = False
    for index, participant in enumerate(participants):
        expression = f"Appointment.participant[{index}]"
        require_code(participant.get("status"), PARTICIPANT_STATUSES, f"{expression}.status")
        require_code(
            participant.get("required"),
            PARTICIPANT_REQUIRED,
            f"{expression}.required",
            required=False,
        )
        actor = participant.get("actor") or {}
        if str(actor.get("reference", "")).removeprefix(f"{fhir_base}/").startswith("Patient/"):
            check_patient_reference(actor, f"{expression}.actor", ctx, fhir_base)
            has_patient = True
    if not has_patient:
        status = "needs-action" if resource["status"] in ("proposed", "pending") else "accepted"
        participants.append({"actor": {"reference": f"Patient/{ctx.patient_id}"}, "status": status})
    resource["participant"] = participants


def prepare_appointment(resource: dict, ctx: AccessContext, fhir_base: str) -> None:
    """Check an appointment a client writes (422 on a broken rule, 403 for another patient) and
    make sure the token's patient takes part."""
    validate_model(resource)
    require_code(resource.get("status"), APPOINTMENT_STATUSES, "Appointment.status")
    _check_period(resource)
    _check_participants(resource, ctx, fhir_base)
