"""The patient's data as the app shows it, read from FHIR JSON (documents, measures, agenda)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from ens_consent_tui.client.errors import UnexpectedResponse
from ens_consent_tui.client.measures import LOINC, MeasureSpec, measure_by_loinc

DOCUMENT_GROUP_SYSTEM = "https://ens-consent.example.org/fhir/CodeSystem/document-group"
"""The platform's code system for the six groups documents are shown in."""

DOCUMENT_GROUPS = ("syntheses", "traitement-soins", "comptes-rendus", "imagerie", "biologie",
                   "prevention")
"""The six groups, in the order Mon espace santé lists them (labels: `group.<key>`)."""


def parse_instant(text: object) -> datetime | None:
    """A FHIR date or dateTime as an aware datetime (a bare date is midnight UTC)."""
    if not isinstance(text, str) or not text:
        return None
    try:
        if len(text) <= 10:  # YYYY, YYYY-MM or YYYY-MM-DD
            year, month, day = ([int(p) for p in text.split("-")] + [1, 1])[:3]
            return datetime(year, month, day, tzinfo=UTC)
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _codings(concept: object) -> list[dict]:
    if not isinstance(concept, dict):
        return []
    return [c for c in concept.get("coding") or [] if isinstance(c, dict)]


@dataclass(frozen=True)
class PatientSummary:
    id: str
    name: str
    birth_date: date | None

    @classmethod
    def from_fhir(cls, resource: dict) -> PatientSummary:
        names = resource.get("name") or [{}]
        first = names[0] if isinstance(names[0], dict) else {}
        given = " ".join(first.get("given") or [])
        name = " ".join(p for p in (given, first.get("family", "")) if p) or first.get("text", "")
        birth = resource.get("birthDate")
        try:
            birth_date = date.fromisoformat(birth) if isinstance(birth, str) else None
        except ValueError:
            birth_date = None
        return cls(str(resource.get("id", "")), name, birth_date)


@dataclass(frozen=True)
class Document:
    """A DocumentReference: what it is, when, by whom, and where its content is."""

    id: str
    title: str
    type_label: str
    group: str | None
    date: datetime | None
    author: str
    custodian: str
    content_url: str | None
    content_type: str

    @classmethod
    def from_fhir(cls, resource: dict) -> Document:
        attachment = next((c.get("attachment") or {} for c in resource.get("content") or []
                           if isinstance(c, dict)), {})
        types = _codings(resource.get("type"))
        group = next((c.get("code") for concept in resource.get("category") or []
                      for c in _codings(concept) if c.get("system") == DOCUMENT_GROUP_SYSTEM),
                     None)
        authors = [a.get("display", "") for a in resource.get("author") or []
                   if isinstance(a, dict)]
        type_label = types[0].get("display", "") if types else ""
        return cls(
            id=str(resource.get("id", "")),
            title=resource.get("description") or attachment.get("title") or type_label,
            type_label=type_label,
            group=group if group in DOCUMENT_GROUPS else None,
            date=parse_instant(resource.get("date")),
            author=", ".join(a for a in authors if a),
            custodian=(resource.get("custodian") or {}).get("display", ""),
            content_url=attachment.get("url"),
            content_type=attachment.get("contentType", ""),
        )


@dataclass(frozen=True)
class MeasurePoint:
    """One measure: its type, when, and its values (two for blood pressure)."""

    id: str
    spec: MeasureSpec
    effective: datetime
    values: tuple[float, ...]
    source: str | None = None
    """`meta.source`: who wrote it (`urn:ens-consent:client:<client id>`); None for the
    platform's initial data."""

    @classmethod
    def from_fhir(cls, resource: dict) -> MeasurePoint | None:
        """None for an Observation that is not one of the 10 measures or has no value."""
        spec = next((measure_by_loinc()[c["code"]] for c in _codings(resource.get("code"))
                     if c.get("system") == LOINC and c.get("code") in measure_by_loinc()), None)
        effective = parse_instant(resource.get("effectiveDateTime"))
        if spec is None or effective is None:
            return None
        values = (_component_values(spec, resource) if spec.has_components
                  else _number((resource.get("valueQuantity") or {}).get("value")))
        if values is None:
            return None
        source = (resource.get("meta") or {}).get("source")
        return cls(str(resource.get("id", "")), spec, effective, values,
                   source if isinstance(source, str) else None)


def _number(value: Any) -> tuple[float, ...] | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return (float(value),)


def _component_values(spec: MeasureSpec, resource: dict) -> tuple[float, ...] | None:
    found: dict[str, float] = {}
    for component in resource.get("component") or []:
        if not isinstance(component, dict):
            continue
        value = _number((component.get("valueQuantity") or {}).get("value"))
        for coding in _codings(component.get("code")):
            if value is not None:
                found[coding.get("code", "")] = value[0]
    try:
        return tuple(found[c.loinc] for c in spec.components)
    except KeyError:
        return None


@dataclass(frozen=True)
class Appointment:
    """An agenda entry: when, what, with whom, and whether it is confirmed."""

    id: str
    status: str
    start: datetime | None
    end: datetime | None
    description: str
    service: str
    with_whom: str

    @classmethod
    def from_fhir(cls, resource: dict) -> Appointment:
        others = [
            (p.get("actor") or {}).get("display", "")
            for p in resource.get("participant") or []
            if isinstance(p, dict)
            and not str((p.get("actor") or {}).get("reference", "")).startswith("Patient/")
        ]
        services = [s.get("text") or next((c.get("display", "") for c in _codings(s)), "")
                    for s in resource.get("serviceType") or [] if isinstance(s, dict)]
        return cls(
            id=str(resource.get("id", "")),
            status=str(resource.get("status", "")),
            start=parse_instant(resource.get("start")),
            end=parse_instant(resource.get("end")),
            description=str(resource.get("description") or resource.get("comment") or ""),
            service=", ".join(s for s in services if s),
            with_whom=", ".join(o for o in others if o),
        )


@dataclass(frozen=True)
class Agenda:
    """Appointments split at the server's current (simulated) time."""

    upcoming: tuple[Appointment, ...]
    """Soonest first."""
    past: tuple[Appointment, ...]
    """Most recent first."""
    now: datetime


def require_resource(body: object, resource_type: str) -> dict:
    if not isinstance(body, dict) or body.get("resourceType") != resource_type:
        raise UnexpectedResponse(f"expected a {resource_type}")
    return body
