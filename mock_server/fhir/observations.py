"""Health measures (Observation): the rules for a measure a client writes, and the derived BMI.

Rules (DESIGN §4, §10, reference/measures.json): one of the 10 LOINC codes, category vital-signs,
`meta.profile` naming the measure's profile, `effectiveDateTime`, a value (valueQuantity, or the two
components of blood pressure) in the measure's UCUM unit and plausible range. BMI is never written
by a service: the platform computes it when a weight or a height arrives.
"""

from __future__ import annotations

import json
from datetime import datetime
from functools import cache
from importlib import resources as package_files
from numbers import Real
from typing import Any

from sqlalchemy import Connection

from mock_server.fhir.access import AccessContext
from mock_server.fhir.errors import invalid
from mock_server.fhir.store import device_exists, insert_resource, latest_measure, new_id
from mock_server.fhir.validation import require_code, set_subject, validate_model
from mock_server.reference import (
    LOINC,
    OBSERVATION_CATEGORY_SYSTEM,
    UCUM,
    MeasureType,
    measure_by_key,
    measure_by_loinc,
)
from mock_server.seed.measure_observations import bmi_observation

OBSERVATION_STATUSES = (
    "registered",
    "preliminary",
    "final",
    "amended",
    "corrected",
    "cancelled",
    "entered-in-error",
    "unknown",
)
BMI_REFUSED = "Les observations IMC sont calculées à la volée par la plateforme."


@cache
def accepted_profiles() -> dict[str, tuple[str, ...]]:
    """Measure key -> profile URLs accepted in `meta.profile`: the ANS profile first, then the
    Mon espace santé and legacy ENS URLs that measures.json lists for older clients."""
    text = package_files.files("mock_server.reference").joinpath("measures.json").read_text("utf-8")
    return {
        item["key"]: tuple(
            url
            for url in (
                item["ans_profile"]["url"],
                item.get("mes_profile_url"),
                item.get("legacy_ens_profile_url"),
            )
            if url
        )
        for item in json.loads(text)["measures"]
    }


def _codings(concept: Any) -> list[dict]:
    codings = concept.get("coding") if isinstance(concept, dict) else None
    return [c for c in codings or [] if isinstance(c, dict)]


def _measure(resource: dict) -> MeasureType:
    for coding in _codings(resource.get("code")):
        if coding.get("system") == LOINC and coding.get("code") in measure_by_loinc():
            return measure_by_loinc()[coding["code"]]
    codes = ", ".join(f"{m.loinc_code} ({m.label})" for m in measure_by_loinc().values())
    raise invalid(
        f"Observation.code doit porter l'un des codes LOINC des mesures de Mon espace "
        f"santé (système {LOINC}) : {codes}.",
        "Observation.code",
        "code-invalid",
    )


def _check_profile(resource: dict, measure: MeasureType) -> None:
    accepted = accepted_profiles()[measure.key]
    profiles = (resource.get("meta") or {}).get("profile") or []
    if not profiles:
        raise invalid(
            f"Observation.meta.profile est obligatoire : indiquez le profil de la mesure "
            f"« {measure.label} » ({accepted[0]}).",
            "Observation.meta.profile",
            "required",
        )
    if not set(profiles) & set(accepted):
        raise invalid(
            f"Observation.meta.profile ne correspond pas à la mesure « {measure.label} » : "
            f"profil attendu {accepted[0]}.",
            "Observation.meta.profile",
            "value",
        )


def _check_category(resource: dict) -> None:
    for concept in resource.get("category") or []:
        for coding in _codings(concept):
            if (
                coding.get("system") == OBSERVATION_CATEGORY_SYSTEM
                and coding.get("code") == "vital-signs"
            ):
                return
    raise invalid(
        f"Observation.category doit contenir la catégorie vital-signs "
        f"(système {OBSERVATION_CATEGORY_SYSTEM}).",
        "Observation.category",
        "required",
    )


def _bounds(
    measure_unit: str | None, low: float | None, high: float | None, unit: str
) -> tuple[float, float] | None:
    if unit == measure_unit and low is not None and high is not None:
        return low, high
    # The only alternative unit in measures.json is glucose in %, bounded by its nature.
    return (0.0, 100.0) if unit == "%" else None


def _quantity_value(quantity: Any, units: tuple[str, ...], bounds_of, expression: str) -> float:
    """The numeric value of a valueQuantity, checked for unit and plausible range."""
    if not isinstance(quantity, dict) or "value" not in quantity:
        raise invalid(
            f"{expression}.value est obligatoire : une mesure sans valeur est refusée.",
            f"{expression}.value",
            "required",
        )
    value = quantity["value"]
    if isinstance(value, bool) or not isinstance(value, Real):
        raise invalid(
            f"{expression}.value doit être un nombre JSON.", f"{expression}.value", "value"
        )
    if quantity.get("system") != UCUM or quantity.get("code") not in units:
        raise invalid(
            f"{expression} doit être exprimé en unité UCUM {' ou '.join(units)} "
            f"(system {UCUM}, code).",
            f"{expression}.code",
            "value",
        )
    bounds = bounds_of(quantity["code"])
    if bounds and not bounds[0] <= value <= bounds[1]:
        raise invalid(
            f"{expression}.value {value} {quantity['code']} est hors des valeurs "
            f"plausibles ({bounds[0]:g} à {bounds[1]:g}).",
            f"{expression}.value",
            "value",
        )
    return float(value)


def _check_single_value(resource: dict, measure: MeasureType) -> None:
    if "component" in resource:
        raise invalid(
            "Observation.component n'est admis que pour la tension artérielle.",
            "Observation.component",
        )
    if "valueQuantity" not in resource:
        raise invalid(
            f"Observation.valueQuantity est obligatoire : une mesure « {measure.label} » "
            "sans valeur est refusée.",
            "Observation.valueQuantity",
            "required",
        )
    _quantity_value(
        resource["valueQuantity"],
        measure.allowed_units,
        lambda unit: _bounds(measure.ucum_code, measure.hard_min, measure.hard_max, unit),
        "Observation.valueQuantity",
    )


def _check_blood_pressure(resource: dict, measure: MeasureType) -> None:
    if any(key.startswith("value") for key in resource):
        raise invalid(
            "La tension artérielle s'exprime par ses deux composants (component), sans value[x].",
            "Observation.value[x]",
        )
    components = resource.get("component") or []
    expected = {c.loinc_code: c for c in measure.components}
    values: dict[str, float] = {}
    for index, component in enumerate(components):
        expression = f"Observation.component[{index}]"
        code = next(
            (
                c.get("code")
                for c in _codings(component.get("code"))
                if c.get("system") == LOINC and c.get("code") in expected
            ),
            None,
        )
        if code is None or code in values:
            raise invalid(
                f"{expression}.code doit être 8480-6 (systolique) ou 8462-4 "
                "(diastolique), chacun une seule fois.",
                f"{expression}.code",
                "value",
            )
        part = expected[code]
        values[code] = _quantity_value(
            component.get("valueQuantity"),
            (part.ucum_code,),
            lambda unit, p=part: _bounds(p.ucum_code, p.hard_min, p.hard_max, unit),
            f"{expression}.valueQuantity",
        )
    if len(values) != len(expected):
        raise invalid(
            "La tension artérielle demande ses deux composants : systolique (8480-6) et "
            "diastolique (8462-4).",
            "Observation.component",
            "required",
        )
    systolic, diastolic = (values[c.loinc_code] for c in measure.components)
    if systolic <= diastolic:
        raise invalid(
            "Observation.component : la pression systolique (8480-6) doit être supérieure "
            "à la diastolique (8462-4).",
            "Observation.component",
            "value",
        )


def _check_device(resource: dict, conn: Connection, ctx: AccessContext) -> None:
    if "device" not in resource:
        return
    reference = (resource["device"] or {}).get("reference")
    kind, _, device_id = str(reference).partition("/")
    if kind != "Device" or not device_exists(conn, device_id, ctx.patient_id):
        raise invalid(
            "Observation.device doit désigner un appareil connu (Device/<id>), ou l'appareil "
            "créé dans la même transaction (son fullUrl).",
            "Observation.device",
        )


def prepare_observation(
    resource: dict, conn: Connection, ctx: AccessContext, fhir_base: str
) -> MeasureType:
    """Check a measure a client writes (422 on any broken rule, 403 for another patient) and set
    its subject; returns the measure type."""
    validate_model(resource)
    set_subject(resource, ctx, fhir_base)
    require_code(resource.get("status"), OBSERVATION_STATUSES, "Observation.status")
    measure = _measure(resource)
    if not measure.writable:
        raise invalid(BMI_REFUSED, "Observation.code", "not-supported")
    _check_profile(resource, measure)
    _check_category(resource)
    if "effectiveDateTime" not in resource:
        raise invalid(
            "Observation.effectiveDateTime est obligatoire : la date et l'heure de la mesure.",
            "Observation.effectiveDateTime",
            "required",
        )
    if measure.components:
        _check_blood_pressure(resource, measure)
    else:
        _check_single_value(resource, measure)
    _check_device(resource, conn, ctx)
    return measure


def _numeric_value(observation: dict | None) -> float | None:
    value = ((observation or {}).get("valueQuantity") or {}).get("value")
    return float(value) if isinstance(value, Real) and not isinstance(value, bool) else None


def derive_bmi(
    conn: Connection, patient_id: str, measure: MeasureType, stored: dict, now: datetime
) -> dict | None:
    """Store the BMI of a new weight (with the latest height) or a new height (with the latest
    weight); returns its row, or None when a value is missing or the result is implausible."""
    if measure.key == "body_weight":
        weight, height = stored, latest_measure(conn, patient_id, "body_height")
    elif measure.key == "body_height":
        weight, height = latest_measure(conn, patient_id, "body_weight"), stored
    else:
        return None
    if _numeric_value(weight) is None or _numeric_value(height) is None:
        return None
    bmi = bmi_observation(new_id(), patient_id, weight, height)
    bmi["effectiveDateTime"] = stored["effectiveDateTime"]
    rule = measure_by_key()["bmi"]
    # A value outside the plausible range means one input is odd: better no BMI than a wrong one.
    if not rule.hard_min <= bmi["valueQuantity"]["value"] <= rule.hard_max:
        return None
    return insert_resource(conn, bmi, patient_id=patient_id, now=now, client_id=None)
