"""Measures a service writes: the next plausible value of the patient's series, at the scheduled
time, as an ANS-profiled Observation; a device maker's service sends it in a transaction Bundle
with its Device (created once, on its serial number), as the Mon espace santé API expects.

Values continue the patient's own series (their latest value, a trend that fits the persona's
story, a little noise), so a week of simulated weighings reads like a week of a real person.
"""

from __future__ import annotations

import math
import uuid
from collections.abc import Callable
from datetime import timedelta

from mock_server.catalog import Permission
from mock_server.reference import measure_by_key
from mock_server.seed.measure_observations import GLUCOSE_MOMENTS, Reading, observation
from mock_server.seed.measure_timeline import PARIS
from mock_server.simulation.generators.base import (
    Generator,
    GeneratorContext,
    NoParams,
    PlannedRequest,
)
from mock_server.simulation.world import component_values, observations, quantity
from mock_server.storage.resources import parse_fhir_datetime

_BASELINE: dict[str, dict[str, float]] = {
    "body_weight": {"pregnancy": 68, "diabetes": 95, "autonomy": 57, "parent": 63, "child": 27,
                    "discharged": 85},
    "body_height": {"pregnancy": 165, "diabetes": 176, "autonomy": 155, "parent": 165,
                    "child": 131, "discharged": 180},
    "heart_rate": {"pregnancy": 82, "child": 90},
    "steps_by_day": {"autonomy": 2200, "discharged": 2500, "child": 9000},
    "waist_circumference": {"pregnancy": 98, "diabetes": 106, "child": 58},
    "pain_severity": {"autonomy": 4, "discharged": 4},
}
"""Persona -> usual value when the patient has no such measure yet (else the measure's typical
middle)."""

_DAILY_TREND: dict[tuple[str, str], float] = {
    ("body_weight", "pregnancy"): 0.06,  # ~0.42 kg a week in the 3rd trimester
    ("body_weight", "diabetes"): -0.03,
    ("body_weight", "autonomy"): -0.013,
    ("body_height", "child"): 0.015,  # ~5.5 cm a year
    ("pain_severity", "discharged"): -0.3,  # the operated knee hurts less each day
}

_PAIN_SITE = {"discharged": "Genou droit opéré", "autonomy": "Genoux et hanches"}
_FASTING_BEFORE_HOUR = 10


def _baseline(ctx: GeneratorContext, key: str) -> float:
    measure = measure_by_key()[key]
    usual = _BASELINE.get(key, {}).get(ctx.facts.profile)
    if usual is not None:
        return usual
    assert measure.typical_min is not None and measure.typical_max is not None
    return (measure.typical_min + measure.typical_max) / 2


def _latest(ctx: GeneratorContext, key: str) -> tuple[dict | None, float]:
    """The latest measure of `key` before the occurrence, and how many days ago it was."""
    found = observations(ctx.conn, ctx.facts.id, key, before=ctx.at)
    if not found:
        return None, 0.0
    when = found[0]["effectiveDateTime"]
    moment = parse_fhir_datetime(when)
    assert moment is not None
    return found[0], max(0.0, (ctx.at - moment).total_seconds() / 86400)


def _bounded(key: str, value: float) -> float:
    measure = measure_by_key()[key]
    assert measure.hard_min is not None and measure.hard_max is not None
    return min(measure.hard_max, max(measure.hard_min, value))


def _continued(ctx: GeneratorContext, key: str, noise: float) -> float:
    """The next value of a single-value series: latest + persona trend + noise."""
    latest, days = _latest(ctx, key)
    value = quantity(latest) if latest else None
    start = value if value is not None else _baseline(ctx, key)
    trend = _DAILY_TREND.get((key, ctx.facts.profile), 0.0) * min(days, 30)
    return _bounded(key, start + trend + ctx.rng.gauss(0, noise))


def _weight(ctx: GeneratorContext) -> Reading:
    return Reading("body_weight", ctx.at, _continued(ctx, "body_weight", 0.25))


def _height(ctx: GeneratorContext) -> Reading:
    return Reading("body_height", ctx.at, _continued(ctx, "body_height", 0.3))


def _heart_rate(ctx: GeneratorContext) -> Reading:
    latest, _ = _latest(ctx, "heart_rate")
    value = quantity(latest) if latest else None
    usual = _baseline(ctx, "heart_rate")
    # Pulled back towards the usual rate: a pulse does not drift away for good.
    start = usual if value is None else 0.7 * value + 0.3 * usual
    return Reading("heart_rate", ctx.at, min(130.0, max(45.0, start + ctx.rng.gauss(0, 4))))


def _blood_pressure(ctx: GeneratorContext) -> Reading:
    latest, _ = _latest(ctx, "blood_pressure")
    values = component_values(latest) if latest else []
    systolic, diastolic = values if len(values) == 2 else (124.0, 78.0)
    morning = ctx.at.astimezone(PARIS).hour < 12
    systolic = 0.8 * systolic + 0.2 * 122 + (3 if morning else 0) + ctx.rng.gauss(0, 5)
    diastolic = 0.8 * diastolic + 0.2 * 77 + ctx.rng.gauss(0, 3.5)
    systolic = min(190.0, max(90.0, systolic))
    diastolic = min(systolic - 25, max(50.0, diastolic))
    return Reading("blood_pressure", ctx.at, (systolic, diastolic))


def _glucose(ctx: GeneratorContext) -> Reading:
    hour = ctx.at.astimezone(PARIS).hour
    moment = ("fasting" if hour < _FASTING_BEFORE_HOUR else
              "after_meal" if hour < 16 or hour >= 20 else "before_meal")
    fasting = [quantity(o) for o in observations(ctx.conn, ctx.facts.id, "glucose",
                                                  before=ctx.at, since=ctx.at - timedelta(days=14),
                                                  limit=40)
               if _moment_of(o) == "fasting"]
    known = [v for v in fasting if v is not None]
    base = sum(known) / len(known) if known else 98.0
    rise = {"fasting": 0.0, "before_meal": -3.0, "after_meal": 42.0}[moment]
    value = min(400.0, max(60.0, base + rise + ctx.rng.gauss(0, 9)))
    return Reading("glucose", ctx.at, value, moment=moment)


def _moment_of(resource: dict) -> str | None:
    codes = {code: key for key, (code, _) in GLUCOSE_MOMENTS.items()}
    for extension in resource.get("extension") or []:
        for coding in (extension.get("valueCodeableConcept") or {}).get("coding") or []:
            if coding.get("code") in codes:
                return codes[coding["code"]]
    return None


def _steps(ctx: GeneratorContext) -> Reading:
    week = [quantity(o) for o in observations(ctx.conn, ctx.facts.id, "steps_by_day",
                                               before=ctx.at, since=ctx.at - timedelta(days=7),
                                               limit=7)]
    known = [v for v in week if v is not None]
    usual = sum(known) / len(known) if known else _baseline(ctx, "steps_by_day")
    factor = math.exp(max(-0.4, min(0.4, ctx.rng.gauss(0, 0.18))))
    return Reading("steps_by_day", ctx.at, _bounded("steps_by_day", usual * factor))


def _temperature(ctx: GeneratorContext) -> Reading:
    latest, days = _latest(ctx, "body_temperature")
    value = quantity(latest) if latest else None
    fever = max(0.0, (value or 36.7) - 36.8) * math.exp(-days / 1.5)
    return Reading("body_temperature", ctx.at, 36.6 + fever + ctx.rng.gauss(0, 0.15))


def _waist(ctx: GeneratorContext) -> Reading:
    return Reading("waist_circumference", ctx.at, _continued(ctx, "waist_circumference", 0.6))


def _pain(ctx: GeneratorContext) -> Reading:
    value = round(_continued(ctx, "pain_severity", 0.8))
    return Reading("pain_severity", ctx.at, min(10, max(0, value)),
                   body_site=_PAIN_SITE.get(ctx.facts.profile))


_READINGS: dict[str, Callable[[GeneratorContext], Reading]] = {
    "body_weight": _weight,
    "body_height": _height,
    "heart_rate": _heart_rate,
    "blood_pressure": _blood_pressure,
    "glucose": _glucose,
    "steps_by_day": _steps,
    "body_temperature": _temperature,
    "waist_circumference": _waist,
    "pain_severity": _pain,
}


def _device(ctx: GeneratorContext) -> tuple[dict, str]:
    """The Device entry of a transaction (conditional create on its serial number)."""
    assert ctx.device is not None
    system = f"https://{ctx.service.id}.example.fr/appareils"
    serial = (f"{ctx.service.id[:3].upper()}-"
              f"{uuid.uuid5(uuid.NAMESPACE_URL, ctx.identity_key).hex[:10].upper()}")
    full_url = f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, ctx.identity_key + '|device')}"
    device = {
        "resourceType": "Device",
        "identifier": [{"system": system, "value": serial}],
        "manufacturer": ctx.device.manufacturer,
        "deviceName": [{"name": ctx.device.model, "type": "model-name"}],
        "type": {"text": ctx.device.kind},
        "patient": {"reference": f"Patient/{ctx.facts.id}"},
    }
    entry = {"fullUrl": full_url, "resource": device,
             "request": {"method": "POST", "url": "Device",
                         "ifNoneExist": f"identifier={system}|{serial}"}}
    return entry, full_url


def _measure_requests(key: str) -> Callable[[GeneratorContext, NoParams], list[PlannedRequest]]:
    label = measure_by_key()[key].label.lower()

    def build(ctx: GeneratorContext, _params: NoParams) -> list[PlannedRequest]:
        resource = observation("x", ctx.facts.id, _READINGS[key](ctx))
        del resource["id"]
        if ctx.device is None:
            return [PlannedRequest("POST", "Observation", resource, summary=f"envoie {label}")]
        device_entry, device_url = _device(ctx)
        resource["device"] = {"reference": device_url}
        bundle = {"resourceType": "Bundle", "type": "transaction", "entry": [
            device_entry,
            {"resource": resource, "request": {"method": "POST", "url": "Observation"}},
        ]}
        return [PlannedRequest("POST", "", bundle, summary=f"envoie {label} ({ctx.device.kind})")]

    return build


MEASURE_GENERATORS = tuple(
    Generator(
        name=key,
        description=f"Écrit une mesure « {measure_by_key()[key].label} » qui prolonge la série "
                    "du patient.",
        build=_measure_requests(key),
        permission=lambda _params, key=key: Permission(data_class="measures", subtype=key,
                                                       access="write"),
    )
    for key in _READINGS
)
