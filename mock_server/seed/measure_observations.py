"""FHIR R4 Observations for the health measures, shaped as the ANS "Mesures de santé" profiles.

Codes, units and profile URLs come from `mock_server.reference`; the only literals here are those
the reference module does not expose as data (the glucose "moment" extension and its value set).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from mock_server.reference import (
    LOINC,
    OBSERVATION_CATEGORY_SYSTEM,
    UCUM,
    MeasureType,
    compute_bmi,
    measure_by_key,
)

MOMENT_EXTENSION = "https://interop.esante.gouv.fr/ig/fhir/mesures/StructureDefinition/mesures-moment-of-measurement"
"""ANS MesMomentOfMeasurement (reference/measures.json `_meta.extensions.moment_of_measurement`)."""

MOMENT_SYSTEM = "https://mos.esante.gouv.fr/NOS/TRE_A04-Loinc/FHIR/TRE-A04-Loinc"
"""System the ANS v3.1.1 glucose example uses for the JDV_J157 moments (LOINC, as republished by
the MOS)."""

GLUCOSE_MOMENTS: dict[str, tuple[str, str]] = {
    "fasting": ("53049-3", "Glucose à jeun"),
    "before_meal": ("88365-2", "Avant repas"),
    "after_meal": ("16915-1", "Glucose post prandial"),
}
"""Moment key -> (code, display) of JDV_J157-MomentGlucose-ENS (listed in reference/measures.json,
glucose `moment_valueset`); the MES API requires a moment on every blood glucose."""


@dataclass(frozen=True)
class Reading:
    """One measurement not yet an Observation: a value (or systolic, diastolic) at a time."""

    key: str
    when: datetime
    value: float | tuple[float, float]
    moment: str | None = None
    body_site: str | None = None


def fhir_datetime(when: datetime) -> str:
    """ISO 8601 with seconds and the UTC offset of the time's own zone (Paris: +01:00 or +02:00)."""
    return when.isoformat(timespec="seconds")


def rounded(value: float, decimals: int) -> float | int:
    """The value as the measure is recorded: an int when the measure has no decimals."""
    return round(value) if decimals == 0 else round(value, decimals)


def _quantity(value: float, decimals: int, unit: str | None, code: str | None) -> dict:
    return {"value": rounded(value, decimals), "unit": unit, "system": UCUM, "code": code}


def _skeleton(obs_id: str, patient_id: str, measure: MeasureType, effective: str) -> dict:
    return {
        "resourceType": "Observation",
        "id": obs_id,
        "meta": {"profile": [measure.profile_url]},
        "status": "final",
        "category": [
            {
                "coding": [
                    {
                        "system": OBSERVATION_CATEGORY_SYSTEM,
                        "code": "vital-signs",
                        "display": "Signes vitaux",
                    }
                ]
            }
        ],
        "code": {
            "coding": [
                {"system": LOINC, "code": measure.loinc_code, "display": measure.loinc_display}
            ],
            "text": measure.label,
        },
        "subject": {"reference": f"Patient/{patient_id}"},
        "effectiveDateTime": effective,
    }


def _moment_extension(moment: str) -> dict:
    code, display = GLUCOSE_MOMENTS[moment]
    return {
        "url": MOMENT_EXTENSION,
        "valueCodeableConcept": {
            "coding": [{"system": MOMENT_SYSTEM, "code": code, "display": display}]
        },
    }


def observation(obs_id: str, patient_id: str, reading: Reading) -> dict:
    """The Observation for `reading`: blood pressure as two components, others as valueQuantity."""
    measure = measure_by_key()[reading.key]
    resource = _skeleton(obs_id, patient_id, measure, fhir_datetime(reading.when))
    if reading.moment is not None:
        resource["extension"] = [_moment_extension(reading.moment)]
    if isinstance(reading.value, tuple):
        resource["component"] = [
            {
                "code": {
                    "coding": [{"system": LOINC, "code": c.loinc_code, "display": c.loinc_display}],
                    "text": c.label,
                },
                "valueQuantity": _quantity(v, c.decimals, c.ucum_unit, c.ucum_code),
            }
            for c, v in zip(measure.components, reading.value, strict=True)
        ]
    else:
        resource["valueQuantity"] = _quantity(
            reading.value, measure.decimals, measure.ucum_unit, measure.ucum_code
        )
    if reading.body_site is not None:
        resource["bodySite"] = {"text": reading.body_site}
    return resource


def bmi_observation(obs_id: str, patient_id: str, weight: dict, height: dict) -> dict:
    """The BMI the platform derives from a weight and a height Observation (never measured)."""
    measure = measure_by_key()["bmi"]
    resource = _skeleton(obs_id, patient_id, measure, weight["effectiveDateTime"])
    value = compute_bmi(weight["valueQuantity"]["value"], height["valueQuantity"]["value"])
    resource["valueQuantity"] = _quantity(
        value, measure.decimals, measure.ucum_unit, measure.ucum_code
    )
    resource["derivedFrom"] = [
        {"reference": f"Observation/{weight['id']}"},
        {"reference": f"Observation/{height['id']}"},
    ]
    return resource
