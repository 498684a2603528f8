"""Synthetic agenda: past and upcoming French appointments per persona, valid FHIR R4B."""

from __future__ import annotations

import json
import random
from datetime import UTC, date, datetime, time, timedelta

import pytest
from faker import Faker
from fhir.resources.R4B.appointment import Appointment

from mock_server.seed import seed_anchor
from mock_server.seed.appointment_calendar import easter_sunday, is_working_day
from mock_server.seed.appointments import build_appointments
from mock_server.seed.measure_timeline import PARIS, discharge_day, fever_start
from mock_server.seed.patients import SeedPatient, build_patients

NOW = datetime(2026, 11, 26, 9, 30, tzinfo=UTC)
ANCHOR = seed_anchor(NOW)
PAST = {"fulfilled", "cancelled", "noshow"}
UPCOMING = {"booked", "proposed"}


def _population(seed: int = 7) -> list[SeedPatient]:
    faker = Faker("fr_FR")
    faker.seed_instance(seed)
    return build_patients(random.Random(seed), faker)


def _agenda(seed: str, anchor: datetime = ANCHOR) -> dict[str, list[dict]]:
    return {
        p.persona.key: build_appointments(random.Random(f"{seed}|{p.persona.key}"), p, anchor)
        for p in _population()
    }


@pytest.fixture(scope="module")
def agenda() -> dict[str, list[dict]]:
    return _agenda("appointments-test")


@pytest.fixture(scope="module")
def everything(agenda: dict[str, list[dict]]) -> list[dict]:
    return [a for appointments in agenda.values() for a in appointments]


def _start(appointment: dict) -> datetime:
    return datetime.fromisoformat(appointment["start"])


def _end(appointment: dict) -> datetime:
    return datetime.fromisoformat(appointment["end"])


def _service(appointment: dict) -> str:
    return appointment["serviceType"][0]["text"]


def _at_home(appointment: dict) -> bool:
    return "domicile" in _service(appointment)


def test_every_persona_has_past_and_upcoming_appointments(
    agenda: dict[str, list[dict]],
) -> None:
    assert set(agenda) == {"pregnancy", "diabetes", "autonomy", "parent", "child", "discharged"}
    for key, appointments in agenda.items():
        assert any(_start(a) < ANCHOR for a in appointments), key
        assert any(_start(a) > ANCHOR for a in appointments), key


def test_every_appointment_validates_with_fhir_resources_r4b(everything: list[dict]) -> None:
    for appointment in everything:
        Appointment.model_validate(appointment)


def test_past_ones_are_fulfilled_cancelled_or_missed_and_upcoming_ones_booked_or_proposed(
    everything: list[dict],
) -> None:
    for appointment in everything:
        expected = PAST if _start(appointment) < ANCHOR else UPCOMING
        assert appointment["status"] in expected
    statuses = [a["status"] for a in everything]
    past = [s for s in statuses if s in PAST]
    assert {"fulfilled", "booked", "proposed", "cancelled"} <= set(statuses)
    assert sum(s != "fulfilled" for s in past) <= 0.15 * len(past)  # cancelling stays rare


def test_proposed_ones_await_the_patient_and_the_others_have_the_patient_accepted(
    agenda: dict[str, list[dict]],
) -> None:
    ids = {p.persona.key: p.id for p in _population()}
    for key, appointments in agenda.items():
        for appointment in appointments:
            patient, professional = appointment["participant"]
            assert patient["actor"]["reference"] == f"Patient/{ids[key]}"
            expected = {"proposed": {"needs-action"}, "cancelled": {"accepted", "declined"}}
            assert patient["status"] in expected.get(appointment["status"], {"accepted"})
            assert set(professional["actor"]) == {"display"}
            assert professional["actor"]["display"]


def test_cancelled_ones_say_who_cancelled(everything: list[dict]) -> None:
    for appointment in everything:
        if appointment["status"] == "cancelled":
            reason = appointment["cancelationReason"]["text"]
            assert reason in {"Annulé par le patient", "Annulé par le cabinet"}
            declined = [p for p in appointment["participant"] if p["status"] == "declined"]
            assert len(declined) == 1
        else:
            assert "cancelationReason" not in appointment


def test_appointments_end_after_they_start_and_last_their_duration(
    everything: list[dict],
) -> None:
    for appointment in everything:
        assert _end(appointment) > _start(appointment)
        assert _end(appointment) - _start(appointment) == timedelta(
            minutes=appointment["minutesDuration"]
        )


def test_appointments_are_in_paris_working_hours_and_on_working_days(
    everything: list[dict],
) -> None:
    for appointment in everything:
        start, end = _start(appointment), _end(appointment)
        assert start.utcoffset() == start.astimezone(PARIS).utcoffset()
        assert start.time() >= time(7, 30) and end.time() <= time(19, 0), appointment["start"]
        assert start.date() == end.date()
        if not _at_home(appointment):
            assert is_working_day(start.date()), appointment["start"]


def test_appointments_were_created_before_they_start_and_before_the_anchor(
    everything: list[dict],
) -> None:
    for appointment in everything:
        created = datetime.fromisoformat(appointment["created"])
        assert created < _start(appointment)
        assert created < ANCHOR


def test_appointments_span_about_six_months_back_and_three_ahead(
    everything: list[dict],
) -> None:
    starts = [_start(a) for a in everything]
    assert min(starts) >= ANCHOR - timedelta(days=200)
    assert min(starts) <= ANCHOR - timedelta(days=150)
    assert ANCHOR + timedelta(days=60) <= max(starts) <= ANCHOR + timedelta(days=95)


def test_texts_are_readable_french(everything: list[dict]) -> None:
    for appointment in everything:
        assert _service(appointment) and appointment["description"]
    services = {_service(a) for a in everything}
    assert {"Échographie du 3e trimestre", "Consultation de diabétologie"} <= services


def test_pregnancy_follow_up_includes_the_third_trimester_ultrasound_and_birth_classes(
    agenda: dict[str, list[dict]],
) -> None:
    upcoming = {_service(a) for a in agenda["pregnancy"] if _start(a) > ANCHOR}
    assert {"Échographie du 3e trimestre", "Préparation à la naissance"} <= upcoming
    past = {_service(a) for a in agenda["pregnancy"] if _start(a) < ANCHOR}
    assert {"Consultation prénatale", "Test de tolérance au glucose"} <= past


def test_discharged_patient_has_physiotherapy_several_times_a_week_after_discharge(
    agenda: dict[str, list[dict]],
) -> None:
    home = discharge_day(ANCHOR)
    physio = [_start(a).date() for a in agenda["discharged"] if _service(a) == "Kinésithérapie"]
    assert min(physio) > home
    first_weeks = [d for d in physio if d < home + timedelta(days=21)]
    assert len(first_weeks) >= 8
    assert any(_service(a) == "Consultation post-opératoire" for a in agenda["discharged"])


def test_child_sees_the_pediatrician_right_after_the_fever_starts(
    agenda: dict[str, list[dict]],
) -> None:
    fever = fever_start(ANCHOR)
    visits = [
        _start(a).date()
        for a in agenda["child"]
        if _service(a) == "Consultation de pédiatrie" and "Fièvre" in a["description"]
    ]
    assert len(visits) == 1
    assert fever < visits[0] <= fever + timedelta(days=4)


def test_every_appointment_id_is_unique(everything: list[dict]) -> None:
    ids = [a["id"] for a in everything]
    assert len(ids) == len(set(ids))


def test_same_seed_and_anchor_give_identical_json_and_another_seed_differs() -> None:
    first = json.dumps(_agenda("determinism"), sort_keys=True)
    assert first == json.dumps(_agenda("determinism"), sort_keys=True)
    assert first != json.dumps(_agenda("another seed"), sort_keys=True)


def test_french_public_holidays_are_not_working_days() -> None:
    assert [easter_sunday(y) for y in (2025, 2026, 2027)] == [
        date(2025, 4, 20),
        date(2026, 4, 5),
        date(2027, 3, 28),
    ]
    for holiday in (date(2026, 12, 25), date(2026, 5, 14), date(2026, 5, 25), date(2027, 1, 1)):
        assert not is_working_day(holiday)
    assert is_working_day(date(2026, 11, 27))
    assert not is_working_day(date(2026, 11, 28))  # a Saturday
