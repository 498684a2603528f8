"""Facts from the French specifications, loaded from the JSON files shipped beside this module.

The files are copies of `shared/reference/` (a test keeps them identical). Only the group code
system is *our choice*: the DMP has no public code for the patient-facing document groups.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources

DOCUMENT_GROUP_SYSTEM = "https://ens-consent.example.org/fhir/CodeSystem/document-group"
"""Our code system for the six display groups of documents (DESIGN §4, §5)."""

LOINC = "http://loinc.org"
UCUM = "http://unitsofmeasure.org"
INS_TEST_SYSTEM = "urn:oid:1.2.250.1.213.1.4.10"
OBSERVATION_CATEGORY_SYSTEM = "http://terminology.hl7.org/CodeSystem/observation-category"

_GROUP_KEYS = {
    "Synthèses": "syntheses",
    "Traitement et soins": "traitement-soins",
    "Comptes-rendus": "comptes-rendus",
    "Imagerie Médicale": "imagerie",
    "Biologie": "biologie",
    "Prévention": "prevention",
}


@dataclass(frozen=True)
class DocumentGroup:
    """One of the six groups the patient sees documents in."""

    key: str
    label: str


@dataclass(frozen=True)
class DocumentType:
    """A DMP document type: XDS typeCode (DocumentReference.type) and classCode (category)."""

    label: str
    group: DocumentGroup
    type_system: str
    type_code: str
    type_display: str
    class_system: str
    class_code: str
    class_display: str


@dataclass(frozen=True)
class Component:
    """One component of a multi-component measure (blood pressure)."""

    key: str
    label: str
    loinc_code: str
    loinc_display: str
    ucum_code: str
    ucum_unit: str
    hard_min: float
    hard_max: float
    typical_min: float
    typical_max: float
    decimals: int


@dataclass(frozen=True)
class MeasureType:
    """A health measure of Mon espace santé: LOINC code, UCUM unit, ANS profile, plausible range."""

    key: str
    label: str
    loinc_code: str
    loinc_display: str
    profile_url: str
    ucum_code: str | None
    ucum_unit: str | None
    allowed_units: tuple[str, ...]
    hard_min: float | None
    hard_max: float | None
    typical_min: float | None
    typical_max: float | None
    decimals: int
    writable: bool
    components: tuple[Component, ...]


def _load(name: str) -> dict:
    return json.loads(resources.files(__package__).joinpath(name).read_text(encoding="utf-8"))


@cache
def document_groups() -> tuple[DocumentGroup, ...]:
    """The six document groups, in the order the patient sees them."""
    return tuple(DocumentGroup(key, label) for label, key in _GROUP_KEYS.items())


@cache
def document_types() -> tuple[DocumentType, ...]:
    """The 34 document types of `document_types.json`, in file order."""
    groups = {g.label: g for g in document_groups()}
    out = []
    for item in _load("document_types.json")["document_types"]:
        type_code, class_code = item["typeCode"], item["classCode"]
        out.append(
            DocumentType(
                label=item["label"],
                group=groups[item["group"]],
                type_system=type_code["system"],
                type_code=type_code["code"],
                type_display=type_code.get("display_jdv_2026") or item["label"],
                class_system=class_code["system"],
                class_code=class_code["code"],
                class_display=class_code["display"],
            )
        )
    return tuple(out)


def _range(item: dict) -> dict:
    return item.get("physiological_range") or {}


@cache
def measure_types() -> tuple[MeasureType, ...]:
    """The 10 health measures of `measures.json`, in file order."""
    out = []
    for item in _load("measures.json")["measures"]:
        ucum = item.get("ucum") or {}
        rng = _range(item)
        components = tuple(
            Component(
                key=c["slice"],
                label=c["label_fr"],
                loinc_code=c["loinc"]["code"],
                loinc_display=c["loinc"]["display"],
                ucum_code=c["ucum"]["code"],
                ucum_unit=c["ucum"]["unit"],
                hard_min=_range(c)["hard_min"],
                hard_max=_range(c)["hard_max"],
                typical_min=_range(c)["typical_min"],
                typical_max=_range(c)["typical_max"],
                decimals=_range(c).get("decimals", 0),
            )
            for c in item.get("components", [])
        )
        out.append(
            MeasureType(
                key=item["key"],
                label=item["label_fr"],
                loinc_code=item["loinc"]["code"],
                loinc_display=item["loinc"]["display"],
                profile_url=item["ans_profile"]["url"],
                ucum_code=ucum.get("code"),
                ucum_unit=ucum.get("unit"),
                allowed_units=tuple(ucum.get("allowed_codes") or ([ucum["code"]] if ucum else [])),
                hard_min=rng.get("hard_min"),
                hard_max=rng.get("hard_max"),
                typical_min=rng.get("typical_min"),
                typical_max=rng.get("typical_max"),
                decimals=rng.get("decimals", 0),
                writable=item.get("write_allowed_in_mes", True) is not False,
                components=components,
            )
        )
    return tuple(out)


@cache
def measure_by_key() -> dict[str, MeasureType]:
    return {m.key: m for m in measure_types()}


@cache
def measure_by_loinc() -> dict[str, MeasureType]:
    return {m.loinc_code: m for m in measure_types()}


@cache
def document_type_by_code() -> dict[tuple[str, str], DocumentType]:
    """(type system, type code) -> document type."""
    return {(d.type_system, d.type_code): d for d in document_types()}


@cache
def document_group_by_key() -> dict[str, DocumentGroup]:
    return {g.key: g for g in document_groups()}


def compute_bmi(weight_kg: float, height_cm: float) -> float:
    """BMI (kg/m2, one decimal) as the platform computes it; services never write it."""
    return round(weight_kg / (height_cm / 100) ** 2, 1)
