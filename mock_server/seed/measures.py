"""Months of health measures per persona: trends and daily rhythms, not noise.

Each persona has a plan that returns `Reading`s (what was measured, when, which value);
`build_measures` turns them into Observations in time order and adds the BMI the platform derives
from every weight and the latest height known at that time. Dates of the stories (pregnancy,
surgery, fever) come from `measure_timeline`, values from the persona's random stream only.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable
from datetime import date, datetime, timedelta

from mock_server.seed.measure_observations import Reading, bmi_observation, observation
from mock_server.seed.measure_signals import (
    Drift,
    around,
    bounded,
    each_day,
    is_weekend,
    jitter,
    local_time,
)
from mock_server.seed.measure_timeline import (
    FEVER_DAYS_BEFORE,
    HISTORY_DAYS,
    days_before,
    discharge_day,
    history_start,
    infection_day,
    last_menstrual_period,
    surgery_day,
)
from mock_server.seed.patients import SeedPatient, seeded_uuid

Plan = Callable[[random.Random, datetime], list[Reading]]


def build_measures(rng: random.Random, patient: SeedPatient, anchor: datetime) -> list[dict]:
    """The patient's Observations, oldest first, each weight followed by its derived BMI."""
    readings = sorted(_PLANS[patient.persona.key](rng, anchor), key=lambda r: r.when)
    out: list[dict] = []
    latest_height: dict | None = None
    for reading in readings:
        resource = observation(seeded_uuid(rng), patient.id, reading)
        out.append(resource)
        if reading.key == "body_height":
            latest_height = resource
        elif reading.key == "body_weight" and latest_height is not None:
            out.append(bmi_observation(seeded_uuid(rng), patient.id, resource, latest_height))
    return out


def _history(anchor: datetime) -> list[date]:
    """The days of regular measures: from the history start to the day before the anchor."""
    return list(each_day(history_start(anchor), days_before(anchor, 1)))


def _blood_pressure(
    when: datetime, systolic: float, diastolic: float, pulse: float
) -> list[Reading]:
    """A cuff reading: blood pressure and the pulse it shows with it."""
    return [
        Reading("blood_pressure", when, (systolic, diastolic)),
        Reading("heart_rate", when, pulse),
    ]


def pregnancy_gain_kg(weeks: float) -> float:
    """Expected weight gain after `weeks` SA: ~1.5 kg in the 1st trimester, then ~0.42 kg a week
    (about 12 kg at term)."""
    if weeks <= 0:
        return 0.0
    if weeks <= 13:
        return 1.5 * weeks / 13
    return 1.5 + 0.42 * (weeks - 13)


def _pregnancy_bp_shift(weeks: float) -> float:
    """Blood pressure dips in mid-pregnancy and rises slightly from 24 SA (what the midwife
    watches for pre-eclampsia)."""
    if weeks <= 0:
        return 0.0
    if weeks <= 24:
        return -5 * min(weeks, 20) / 20
    return -5 + 1.2 * (weeks - 24)


def _pregnancy(rng: random.Random, anchor: datetime) -> list[Reading]:
    """Weight twice a week (gaining), home blood pressure from 8 SA, steps every evening."""
    lmp = last_menstrual_period(anchor)
    days = _history(anchor)
    weight0 = rng.uniform(55, 66)
    systolic0, diastolic0, pulse0 = rng.uniform(106, 114), rng.uniform(64, 70), rng.uniform(68, 76)
    weight_drift, bp_drift, steps_drift = Drift(rng, 0.12), Drift(rng, 1.2), Drift(rng, 0.05)
    readings = [Reading("body_height", around(rng, days[0], 7, 0, 5), rng.uniform(158, 172))]
    for day in days:
        weeks = (day - lmp).days / 7
        drift_kg, drift_bp, drift_steps = weight_drift.next(), bp_drift.next(), steps_drift.next()
        if day == days[0] or day.weekday() in (0, 3):
            weight = weight0 + pregnancy_gain_kg(weeks) + drift_kg + rng.gauss(0, 0.2)
            readings.append(Reading("body_weight", around(rng, day, 7, 10, 30), weight))
        if weeks >= 8 and rng.random() < 0.4:
            shift = _pregnancy_bp_shift(weeks)
            readings += _blood_pressure(
                around(rng, day, 7, 45, 40),
                systolic0 + shift + drift_bp + rng.gauss(0, 5),
                diastolic0 + 0.8 * shift + 0.6 * drift_bp + rng.gauss(0, 4),
                pulse0 + 0.45 * min(weeks, 28) + rng.gauss(0, 4),
            )
        # Weekdays include the Paris commute; walking slows down as the pregnancy advances.
        usual = 6200 if is_weekend(day) else 8600
        slowing = 1 - 0.012 * max(0.0, weeks - 12)
        steps = usual * slowing * math.exp(drift_steps) * jitter(rng, 0.18)
        readings.append(Reading("steps_by_day", around(rng, day, 21, 30, 60), steps))
    return readings


def _diabetes(rng: random.Random, anchor: datetime) -> list[Reading]:
    """Glucose around meals improving under treatment, weight and waist slowly decreasing,
    morning and evening blood pressure, a walking programme."""
    days = _history(anchor)
    weight0, waist0 = rng.uniform(94, 99), rng.uniform(108, 112)
    fasting0 = rng.uniform(128, 134)  # ~1.3 g/L
    systolic0, diastolic0, pulse0 = rng.uniform(136, 142), rng.uniform(84, 88), rng.uniform(72, 78)
    glucose_drift, weight_drift, bp_drift = Drift(rng, 2.0), Drift(rng, 0.12), Drift(rng, 1.5)
    steps_drift = Drift(rng, 0.05)
    readings = [Reading("body_height", around(rng, days[0], 7, 30, 5), rng.uniform(172, 180))]
    for t, day in enumerate(days):
        # The treatment was adjusted when the history starts; its effect settles over months.
        treated = 1 - math.exp(-t / 90)
        fasting = fasting0 - 20 * treated + glucose_drift.next()
        meal_rise = 48 - 8 * treated
        readings += _glucose_day(rng, day, fasting, meal_rise)
        drift_bp = bp_drift.next()
        if day == days[0] or day.weekday() in (0, 2, 5):
            weight = weight0 - 0.03 * t + weight_drift.next() + rng.gauss(0, 0.3)
            readings.append(Reading("body_weight", around(rng, day, 7, 45, 15), weight))
        if t % 28 == 0:
            waist = waist0 - 0.03 * t + rng.gauss(0, 0.7)
            readings.append(Reading("waist_circumference", around(rng, day, 8, 0, 10), waist))
        systolic, diastolic = systolic0 - 8 * treated + drift_bp, diastolic0 - 5 * treated
        if rng.random() < 0.5:  # morning surge: a few mmHg above the evening
            readings += _blood_pressure(
                around(rng, day, 7, 50, 30),
                systolic + 5 + rng.gauss(0, 6),
                diastolic + 3 + rng.gauss(0, 4),
                pulse0 + rng.gauss(0, 4),
            )
        if rng.random() < 0.4:
            readings += _blood_pressure(
                around(rng, day, 21, 0, 40),
                systolic + rng.gauss(0, 6),
                diastolic + rng.gauss(0, 4),
                pulse0 + 3 + rng.gauss(0, 4),
            )
        weekend_walk = {5: 1.1, 6: 1.25}.get(day.weekday(), 1.0)
        steps = (4600 + 2800 * treated) * weekend_walk * math.exp(steps_drift.next())
        readings.append(
            Reading("steps_by_day", around(rng, day, 22, 15, 30), steps * jitter(rng, 0.2))
        )
    return readings


def _glucose_day(rng: random.Random, day: date, fasting: float, meal_rise: float) -> list[Reading]:
    """Self-monitoring around meals: fasting most mornings, two hours after lunch often, around
    dinner some days."""
    out = []
    if rng.random() < 0.95:
        out.append(
            Reading(
                "glucose", around(rng, day, 7, 0, 40), fasting + rng.gauss(0, 7), moment="fasting"
            )
        )
    if rng.random() < 0.7:
        out.append(
            Reading(
                "glucose",
                around(rng, day, 14, 15, 30),
                fasting + meal_rise + rng.gauss(0, 14),
                moment="after_meal",
            )
        )
    if rng.random() < 0.35:
        out.append(
            Reading(
                "glucose",
                around(rng, day, 19, 15, 30),
                fasting - 4 + rng.gauss(0, 9),
                moment="before_meal",
            )
        )
    if rng.random() < 0.35:
        out.append(
            Reading(
                "glucose",
                around(rng, day, 21, 45, 30),
                fasting + meal_rise + 4 + rng.gauss(0, 15),
                moment="after_meal",
            )
        )
    return out


def _autonomy(rng: random.Random, anchor: datetime) -> list[Reading]:
    """Daily blood pressure, weekly weight slowly lost, few and fewer steps, arthritis pain,
    temperature now and then and during a urinary infection."""
    days = _history(anchor)
    weight0 = rng.uniform(57, 60)
    systolic0, diastolic0, pulse0 = rng.uniform(138, 146), rng.uniform(74, 79), rng.uniform(68, 74)
    weight_drift, bp_drift = Drift(rng, 0.1), Drift(rng, 1.5)
    steps_drift, pain_drift = Drift(rng, 0.06), Drift(rng, 0.3)
    infection = infection_day(anchor)
    readings = [Reading("body_height", around(rng, days[0], 9, 0, 5), rng.uniform(153, 158))]
    for t, day in enumerate(days):
        frailty = t / HISTORY_DAYS
        drift_bp = bp_drift.next()
        if rng.random() < 0.75:
            readings += _blood_pressure(
                around(rng, day, 8, 30, 45),
                systolic0 + 4 + drift_bp + rng.gauss(0, 7),
                diastolic0 + 2 + rng.gauss(0, 5),
                pulse0 + rng.gauss(0, 4),
            )
        if rng.random() < 0.25:
            readings += _blood_pressure(
                around(rng, day, 18, 30, 60),
                systolic0 - 2 + drift_bp + rng.gauss(0, 7),
                diastolic0 + rng.gauss(0, 5),
                pulse0 + 2 + rng.gauss(0, 4),
            )
        drift_kg = weight_drift.next()
        if day == days[0] or day.weekday() == 0:
            weight = weight0 - 2.6 * frailty + drift_kg + rng.gauss(0, 0.25)
            readings.append(Reading("body_weight", around(rng, day, 9, 10, 20), weight))
        stuck_indoors = 0.35 if rng.random() < 0.07 else 1.0
        steps = 2700 * (1 - 0.4 * frailty) * math.exp(steps_drift.next()) * stuck_indoors
        readings.append(
            Reading("steps_by_day", around(rng, day, 20, 0, 60), steps * jitter(rng, 0.22))
        )
        readings += _autonomy_temperature(rng, day, (day - infection).days)
        pain = 3.4 + 1.2 * frailty + pain_drift.next() + rng.gauss(0, 0.8)
        if rng.random() < 0.45:
            readings.append(
                Reading(
                    "pain_severity",
                    around(rng, day, 19, 0, 60),
                    bounded(pain, 0, 10),
                    body_site="Genoux et hanches",
                )
            )
    return readings


_INFECTION_FEVER = (1.6, 1.3, 0.7)
"""Degrees above normal on each day of the urinary infection (treated from day 2)."""


def _autonomy_temperature(rng: random.Random, day: date, infection_day: int) -> list[Reading]:
    if 0 <= infection_day < len(_INFECTION_FEVER):
        fever = _INFECTION_FEVER[infection_day]
        return [
            Reading(
                "body_temperature", around(rng, day, 9, 0, 30), 36.6 + fever + rng.gauss(0, 0.1)
            ),
            Reading(
                "body_temperature", around(rng, day, 19, 0, 30), 36.8 + fever + rng.gauss(0, 0.1)
            ),
        ]
    if rng.random() < 0.08:
        return [Reading("body_temperature", around(rng, day, 9, 0, 30), 36.5 + rng.gauss(0, 0.2))]
    return []


def _parent(rng: random.Random, anchor: datetime) -> list[Reading]:
    """A watch counting steps (a run on Sundays), resting pulse, a stable weight."""
    days = _history(anchor)
    weight0, pulse0 = rng.uniform(60, 67), rng.uniform(58, 64)
    weight_drift, pulse_drift, steps_drift = Drift(rng, 0.1), Drift(rng, 0.8), Drift(rng, 0.05)
    readings = [Reading("body_height", around(rng, days[0], 6, 40, 5), rng.uniform(160, 170))]
    for t, day in enumerate(days):
        drift_kg, drift_pulse = weight_drift.next(), pulse_drift.next()
        if t % 10 == 0:
            weight = weight0 + drift_kg + rng.gauss(0, 0.3)
            readings.append(Reading("body_weight", around(rng, day, 7, 0, 30), weight))
        if rng.random() < 0.4:
            readings.append(
                Reading(
                    "heart_rate",
                    around(rng, day, 6, 45, 30),
                    pulse0 + drift_pulse + rng.gauss(0, 2.5),
                )
            )
        usual = {5: 10500, 6: 12500}.get(day.weekday(), 8800)
        steps = usual * math.exp(steps_drift.next()) * jitter(rng, 0.18)
        readings.append(Reading("steps_by_day", around(rng, day, 21, 45, 60), steps))
    return readings


_FEVERS: tuple[tuple[int, tuple[float, ...]], ...] = (
    (131, (1.5, 0.6, 0.0)),
    (FEVER_DAYS_BEFORE, (2.3, 2.4, 1.7, 0.8, 0.1, 0.0)),
)
"""(days before the anchor, degrees above normal each day): a short fever in the spring, then the
autumn episode that ends in a pediatric visit (see the appointments)."""


def _child(rng: random.Random, anchor: datetime) -> list[Reading]:
    """Height and weight every four weeks (growing), temperature three times a day in a fever."""
    days = _history(anchor)
    height0, weight0 = rng.uniform(126, 131), rng.uniform(25, 27.5)
    readings = []
    for t in range(0, HISTORY_DAYS, 28):
        day = days[t]
        years = t / 365
        readings.append(
            Reading(
                "body_height", around(rng, day, 19, 0, 5), height0 + 5.5 * years + rng.gauss(0, 0.3)
            )
        )
        readings.append(
            Reading(
                "body_weight",
                around(rng, day, 19, 10, 10),
                weight0 + 2.4 * years + rng.gauss(0, 0.25),
            )
        )
    for days_ago, course in _FEVERS:
        first = days_before(anchor, days_ago)
        for k, fever in enumerate(course):
            readings += _child_temperatures(rng, first + timedelta(days=k), fever)
    return readings


def _child_temperatures(rng: random.Random, day: date, fever: float) -> list[Reading]:
    """Three checks a day while feverish (evenings higher), one morning check once it is over."""
    times = ((8, -0.2), (13, 0.0), (19, 0.25)) if fever > 0.2 else ((8, -0.2),)
    return [
        Reading(
            "body_temperature",
            around(rng, day, hour, 0, 30),
            36.8 + fever + (rhythm if fever > 0.2 else 0.0) + rng.gauss(0, 0.12),
        )
        for hour, rhythm in times
    ]


def _discharged(rng: random.Random, anchor: datetime) -> list[Reading]:
    """Before the knee replacement: arthritis pain worsening, fewer steps. Home since discharge:
    pain easing, a slight post-operative temperature settling, steps coming back."""
    first, surgery = history_start(anchor), surgery_day(anchor)
    weight0, pulse0 = rng.uniform(84, 89), rng.uniform(66, 72)
    systolic0, diastolic0 = rng.uniform(124, 130), rng.uniform(78, 84)
    readings = [Reading("body_height", around(rng, first, 7, 40, 5), rng.uniform(177, 184))]
    readings += _before_surgery(rng, first, surgery, weight0, (systolic0, diastolic0, pulse0))
    readings += _after_discharge(rng, anchor, weight0, (systolic0, diastolic0, pulse0))
    return readings


def _before_surgery(
    rng: random.Random,
    first: date,
    surgery: date,
    weight0: float,
    cuff: tuple[float, float, float],
) -> list[Reading]:
    systolic0, diastolic0, pulse0 = cuff
    pain0 = rng.uniform(4.0, 5.0)
    pain_drift, steps_drift = Drift(rng, 0.3), Drift(rng, 0.05)
    days = list(each_day(first, surgery - timedelta(days=1)))
    readings = []
    for t, day in enumerate(days):
        wear = t / len(days)  # the arthritis keeps worsening until the operation
        pain = pain0 + 1.5 * wear + pain_drift.next() + rng.gauss(0, 0.6)
        if day.weekday() in (0, 2, 4):
            readings.append(
                Reading(
                    "pain_severity",
                    around(rng, day, 20, 0, 60),
                    bounded(pain, 0, 10),
                    body_site="Genou droit",
                )
            )
        if t % 14 == 0:
            weight = weight0 + rng.gauss(0, 0.4)
            readings.append(Reading("body_weight", around(rng, day, 7, 50, 10), weight))
        if day.weekday() in (1, 5):
            readings += _blood_pressure(
                around(rng, day, 8, 0, 30),
                systolic0 + rng.gauss(0, 6),
                diastolic0 + rng.gauss(0, 4),
                pulse0 + rng.gauss(0, 4),
            )
        usual = 5600 * (0.8 if is_weekend(day) else 1.0) * (1 - 0.35 * wear)
        steps = usual * math.exp(steps_drift.next()) * jitter(rng, 0.2)
        readings.append(Reading("steps_by_day", around(rng, day, 22, 0, 45), steps))
    return readings


def _after_discharge(
    rng: random.Random,
    anchor: datetime,
    weight0: float,
    cuff: tuple[float, float, float],
) -> list[Reading]:
    """Home from the late morning of the discharge day: evening readings that day, then morning
    and evening ones."""
    systolic0, diastolic0, pulse0 = cuff
    readings = []
    for k, day in enumerate(each_day(discharge_day(anchor), days_before(anchor, 1))):
        pain = 5.2 - 0.4 * k
        warm = 0.7 * math.exp(-k / 3)
        if k > 0:
            morning = around(rng, day, 8, 0, 30)
            readings += [
                Reading(
                    "pain_severity",
                    morning,
                    bounded(pain + rng.gauss(0, 0.5), 0, 10),
                    body_site="Genou droit opéré",
                ),
                Reading("body_temperature", morning, 36.8 + warm + rng.gauss(0, 0.12)),
            ]
            readings += _blood_pressure(
                around(rng, day, 8, 35, 20),
                systolic0 - 4 + rng.gauss(0, 5),
                diastolic0 - 2 + rng.gauss(0, 4),
                pulse0 + 14 * math.exp(-k / 4) + rng.gauss(0, 3),
            )
        if k == 1:
            readings.append(
                Reading(
                    "body_weight", around(rng, day, 7, 45, 10), weight0 - 1.5 + rng.gauss(0, 0.3)
                )
            )
        # Evenings hurt more: the physiotherapy exercises are done in the afternoon.
        evening = around(rng, day, 20, 0, 30)
        readings += [
            Reading(
                "pain_severity",
                evening,
                bounded(pain + 1 + rng.gauss(0, 0.5), 0, 10),
                body_site="Genou droit opéré",
            ),
            Reading("body_temperature", evening, 37.0 + warm + rng.gauss(0, 0.12)),
        ]
        steps = (600 + 280 * k) * jitter(rng, 0.15)  # crutches first, then longer walks
        readings.append(Reading("steps_by_day", local_time(day, 22, 30), steps))
    return readings


_PLANS: dict[str, Plan] = {
    "pregnancy": _pregnancy,
    "diabetes": _diabetes,
    "autonomy": _autonomy,
    "parent": _parent,
    "child": _child,
    "discharged": _discharged,
}
