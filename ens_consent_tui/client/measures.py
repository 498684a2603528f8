"""The 10 health measures of Mon espace santé, as the app needs them to read and write.

The app's own copy (it never imports the server): LOINC code, UCUM unit, ANS profile URL and the
plausible range used to refuse absurd values before sending them. Facts from the ANS FHIR
implementation guide "Mesures de santé" 3.1.1 (same values as the platform's reference data).
Labels are in the i18n catalogue under `measure.<key>` and `unit.<key>`.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from functools import cache

LOINC = "http://loinc.org"
UCUM = "http://unitsofmeasure.org"
OBSERVATION_CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"
_PROFILES = "https://interop.esante.gouv.fr/ig/fhir/mesures/StructureDefinition/"


@dataclass(frozen=True)
class Component:
    """One value of a measure: the only one, or systolic/diastolic for blood pressure."""

    key: str
    loinc: str
    loinc_display: str
    ucum: str
    unit: str
    minimum: float
    maximum: float


@dataclass(frozen=True)
class MeasureSpec:
    """A measure type: its code, profile, and the values it carries."""

    key: str
    loinc: str
    loinc_display: str
    profile: str
    components: tuple[Component, ...]
    decimals: int
    writable: bool = True
    """False for BMI: the platform computes it from weight and height."""

    @property
    def has_components(self) -> bool:
        """Blood pressure: values go in `Observation.component`, not `valueQuantity`."""
        return len(self.components) > 1


def _single(key: str, loinc: str, display: str, profile: str, ucum: str, unit: str,
            minimum: float, maximum: float, decimals: int, *, writable: bool = True
            ) -> MeasureSpec:
    return MeasureSpec(key, loinc, display, _PROFILES + profile,
                       (Component("value", loinc, display, ucum, unit, minimum, maximum),),
                       decimals, writable)


MEASURES: tuple[MeasureSpec, ...] = (
    _single("body_weight", "29463-7", "Body weight", "mesures-fr-observation-body-weight",
            "kg", "kg", 1, 300, 1),
    _single("body_height", "8302-2", "Body height", "mesures-fr-observation-bodyheight",
            "cm", "cm", 30, 250, 0),
    _single("bmi", "39156-5", "Body mass index (BMI) [Ratio]", "mesures-fr-observation-bmi",
            "kg/m2", "kg/m2", 10, 80, 1, writable=False),
    _single("steps_by_day", "41950-7", "Number of steps in 24 hour Measured",
            "mesures-observation-steps-by-day", "1/(24.h)", "steps/day", 0, 60000, 0),
    _single("body_temperature", "8310-5", "Body temperature",
            "mesures-fr-observation-body-temperature", "Cel", "°C", 30, 43, 1),
    _single("waist_circumference", "8280-0", "Waist Circumference at umbilicus by Tape measure",
            "mesures-observation-waist-circumference", "cm", "cm", 30, 200, 0),
    _single("heart_rate", "8867-4", "Heart rate", "mesures-fr-observation-heartrate",
            "/min", "battements/minute", 20, 250, 0),
    MeasureSpec(
        "blood_pressure", "85354-9", "Blood pressure panel with all children optional",
        _PROFILES + "mesures-fr-observation-bp",
        (Component("systolic", "8480-6", "Systolic blood pressure", "mm[Hg]", "mmHg", 50, 280),
         Component("diastolic", "8462-4", "Diastolic blood pressure", "mm[Hg]", "mmHg", 30,
                   160)),
        0,
    ),
    _single("pain_severity", "72514-3",
            "Pain severity - 0-10 verbal numeric rating [Score] - Reported",
            "mesures-observation-pain-severity", "1", "Level", 0, 10, 0),
    _single("glucose", "2345-7", "Glucose [Mass/volume] in Serum or Plasma",
            "mesures-observation-glucose", "mg/dL", "mg/dL", 20, 600, 0),
)


@cache
def measure_by_key() -> dict[str, MeasureSpec]:
    return {m.key: m for m in MEASURES}


@cache
def measure_by_loinc() -> dict[str, MeasureSpec]:
    return {m.loinc: m for m in MEASURES}


def writable_measures() -> tuple[MeasureSpec, ...]:
    return tuple(m for m in MEASURES if m.writable)


class Implausible(Enum):
    """Why typed values cannot be a real measure."""

    OUT_OF_RANGE = "out_of_range"
    SYSTOLIC_NOT_ABOVE_DIASTOLIC = "systolic_not_above_diastolic"


@dataclass(frozen=True)
class PlausibilityIssue:
    """The first problem found in typed values, with what the message needs."""

    kind: Implausible
    component: Component


def plausibility_issue(spec: MeasureSpec, values: tuple[float, ...]) -> PlausibilityIssue | None:
    """None when `values` (one per component) could be a real measure of this type."""
    for component, value in zip(spec.components, values, strict=True):
        if not component.minimum <= value <= component.maximum:
            return PlausibilityIssue(Implausible.OUT_OF_RANGE, component)
    if spec.has_components and values[0] <= values[1]:
        return PlausibilityIssue(Implausible.SYSTOLIC_NOT_ABOVE_DIASTOLIC, spec.components[0])
    return None
