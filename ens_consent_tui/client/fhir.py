"""The patient's FHIR API as the app uses it: reads, searches with paging, and the two writes a
patient makes herself (a measure, an appointment).

Searches follow the platform's paging (`_count` ≤ 100, `_offset`, `next` links). The `meta.
lastUpdated` of a searchset is the server's simulated "now": the agenda is split with it, and the
app proposes it as the default time of a new measure.
"""

from __future__ import annotations

import asyncio
import base64
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.message import Message
from operator import itemgetter
from typing import Any

from ens_consent_tui.client.auth import Authenticator
from ens_consent_tui.client.errors import SessionExpired, UnexpectedResponse
from ens_consent_tui.client.measures import (
    LOINC,
    MEASURES,
    OBSERVATION_CATEGORY,
    UCUM,
    MeasureSpec,
)
from ens_consent_tui.client.records import (
    Agenda,
    Appointment,
    Document,
    MeasurePoint,
    PatientSummary,
    parse_instant,
    require_resource,
)
from ens_consent_tui.client.transport import FHIR_JSON, checked, json_body

MAX_COUNT = 100
MAX_PAGES = 50
"""Upper bound of pages one listing follows (5,000 resources): a guard, not a expected size."""

_ACCEPT = {"Accept": FHIR_JSON}


@dataclass(frozen=True)
class SearchPage:
    """One page of a searchset Bundle."""

    resources: tuple[dict, ...]
    total: int | None
    next_url: str | None
    server_time: datetime | None

    @classmethod
    def from_bundle(cls, body: Any) -> SearchPage:
        bundle = require_resource(body, "Bundle")
        entries = [e.get("resource") for e in bundle.get("entry") or [] if isinstance(e, dict)]
        links = {link.get("relation"): link.get("url") for link in bundle.get("link") or []
                 if isinstance(link, dict)}
        total = bundle.get("total")
        return cls(tuple(r for r in entries if isinstance(r, dict)),
                   total if isinstance(total, int) else None, links.get("next"),
                   parse_instant((bundle.get("meta") or {}).get("lastUpdated")))


@dataclass(frozen=True)
class NewMeasure:
    """A measure the patient types: one value per component of its type."""

    spec: MeasureSpec
    values: tuple[float, ...]
    effective: datetime


@dataclass(frozen=True)
class NewAppointment:
    """An appointment the patient adds: confirmed (`booked`) or a request (`proposed`)."""

    description: str
    practitioner: str
    start: datetime
    minutes: int
    confirmed: bool


class FhirApi:
    """FHIR reads and writes in the logged-in space, with automatic token refresh."""

    def __init__(self, auth: Authenticator) -> None:
        self.auth = auth
        self.last_server_time: datetime | None = None
        """The server's simulated time as of the last searchset received."""

    @property
    def _base(self) -> str:
        return self.auth.transport.fhir_base

    def _patient_id(self) -> str:
        session = self.auth.session
        if session is None:
            raise SessionExpired()
        return session.space.patient_id

    # --- generic ----------------------------------------------------------------------------

    async def read(self, resource_type: str, resource_id: str) -> dict:
        response = await self.auth.authorized("GET", f"{self._base}/{resource_type}/{resource_id}",
                                              headers=_ACCEPT)
        return require_resource(json_body(checked(response)), resource_type)

    async def search(self, resource_type: str, params: dict[str, str] | None = None, *,
                     url: str | None = None) -> SearchPage:
        """One page: the first for `params`, or the page at `url` (a `next` link)."""
        response = await self.auth.authorized(
            "GET", url or f"{self._base}/{resource_type}",
            params=None if url else params, headers=_ACCEPT)
        page = SearchPage.from_bundle(json_body(checked(response)))
        if page.server_time is not None:
            self.last_server_time = page.server_time
        return page

    async def search_all(self, resource_type: str, params: dict[str, str] | None = None
                         ) -> tuple[list[dict], datetime | None]:
        """Every match, following `next` links; and the server time of the first page."""
        page = await self.search(resource_type, {"_count": str(MAX_COUNT), **(params or {})})
        resources, server_time = list(page.resources), page.server_time
        for _ in range(MAX_PAGES - 1):
            if page.next_url is None:
                break
            page = await self.search(resource_type, url=page.next_url)
            resources.extend(page.resources)
        return resources, server_time

    # --- patient ----------------------------------------------------------------------------

    async def patient(self) -> PatientSummary:
        return PatientSummary.from_fhir(await self.read("Patient", self._patient_id()))

    # --- measures ---------------------------------------------------------------------------

    async def measure_series(self, spec: MeasureSpec, count: int = MAX_COUNT
                             ) -> list[MeasurePoint]:
        """The latest `count` measures of one type (at most 100), oldest first."""
        params = {"code": f"{LOINC}|{spec.loinc}", "_sort": "-date",
                  "_count": str(max(1, min(count, MAX_COUNT)))}
        page = await self.search("Observation", params)
        points = [p for p in map(MeasurePoint.from_fhir, page.resources) if p is not None]
        return sorted(points, key=lambda p: p.effective)

    async def all_measure_series(self, count: int = MAX_COUNT) -> dict[str, list[MeasurePoint]]:
        """Every measure type's latest values (types without any are left out)."""
        series = await asyncio.gather(*(self.measure_series(spec, count) for spec in MEASURES))
        return {spec.key: points for spec, points in zip(MEASURES, series, strict=True)
                if points}

    async def latest_measures(self) -> dict[str, MeasurePoint]:
        """The last value of each measure type the patient has."""
        return {key: points[-1] for key, points in (await self.all_measure_series(1)).items()}

    async def add_measure(self, measure: NewMeasure) -> MeasurePoint:
        resource = observation_for(measure, self._patient_id())
        created = await self._create("Observation", resource)
        point = MeasurePoint.from_fhir(created)
        if point is None:
            raise UnexpectedResponse("created Observation without a value")
        return point

    # --- documents --------------------------------------------------------------------------

    async def documents(self) -> list[Document]:
        """Every document of the space, newest first (the server's default order)."""
        resources, _ = await self.search_all("DocumentReference")
        return [Document.from_fhir(r) for r in resources]

    async def document_text(self, document: Document) -> str:
        """The content of a text document (the Binary, decoded with its charset)."""
        if not document.content_url:
            raise UnexpectedResponse("document without content")
        binary_id = document.content_url.rstrip("/").rsplit("/", 1)[-1]
        binary = await self.read("Binary", binary_id)
        try:
            raw = base64.b64decode(binary.get("data") or "", validate=True)
            return raw.decode(_charset(binary.get("contentType") or document.content_type))
        except (ValueError, LookupError) as error:
            raise UnexpectedResponse(f"Binary: {error}") from error

    # --- agenda -----------------------------------------------------------------------------

    async def agenda(self) -> Agenda:
        resources, server_time = await self.search_all("Appointment", {"_sort": "date"})
        appointments = [Appointment.from_fhir(r) for r in resources]
        now = server_time or self.last_server_time
        if now is None:
            raise UnexpectedResponse("searchset without meta.lastUpdated")
        dated = sorted(((a.start, a) for a in appointments if a.start is not None),
                       key=itemgetter(0))
        upcoming = [a for start, a in dated if start >= now]
        past = [a for start, a in reversed(dated) if start < now]
        undated = [a for a in appointments if a.start is None]
        return Agenda(tuple([*upcoming, *undated]), tuple(past), now)

    async def add_appointment(self, appointment: NewAppointment) -> Appointment:
        resource = appointment_for(appointment, self._patient_id(), self.last_server_time)
        return Appointment.from_fhir(await self._create("Appointment", resource))

    async def _create(self, resource_type: str, resource: dict) -> dict:
        response = await self.auth.authorized(
            "POST", f"{self._base}/{resource_type}", json=resource,
            headers={**_ACCEPT, "Content-Type": FHIR_JSON})
        return require_resource(json_body(checked(response)), resource_type)


def _charset(content_type: str) -> str:
    message = Message()
    message["content-type"] = content_type
    return message.get_param("charset") or "utf-8"  # type: ignore[return-value]


def _quantity(value: float, ucum: str, unit: str) -> dict:
    return {"value": value, "unit": unit, "system": UCUM, "code": ucum}


def observation_for(measure: NewMeasure, patient_id: str) -> dict:
    """A valid Observation of the measure's ANS profile (LOINC code, UCUM unit)."""
    spec = measure.spec
    resource: dict[str, Any] = {
        "resourceType": "Observation",
        "meta": {"profile": [spec.profile]},
        "status": "final",
        "category": [{"coding": [{"system": OBSERVATION_CATEGORY, "code": "vital-signs",
                                  "display": "Signes vitaux"}]}],
        "code": {"coding": [{"system": LOINC, "code": spec.loinc,
                             "display": spec.loinc_display}]},
        "subject": {"reference": f"Patient/{patient_id}"},
        "effectiveDateTime": measure.effective.isoformat(timespec="seconds"),
    }
    if spec.has_components:
        resource["component"] = [
            {"code": {"coding": [{"system": LOINC, "code": c.loinc,
                                  "display": c.loinc_display}]},
             "valueQuantity": _quantity(v, c.ucum, c.unit)}
            for c, v in zip(spec.components, measure.values, strict=True)
        ]
    else:
        component = spec.components[0]
        resource["valueQuantity"] = _quantity(measure.values[0], component.ucum, component.unit)
    return resource


def appointment_for(appointment: NewAppointment, patient_id: str,
                    created: datetime | None) -> dict:
    """An Appointment with the patient as participant: `booked`, or `proposed` to confirm."""
    end = appointment.start + timedelta(minutes=appointment.minutes)
    status = "booked" if appointment.confirmed else "proposed"
    practitioner_status = "accepted" if appointment.confirmed else "needs-action"
    resource: dict[str, Any] = {
        "resourceType": "Appointment",
        "status": status,
        "description": appointment.description,
        "start": appointment.start.isoformat(timespec="seconds"),
        "end": end.isoformat(timespec="seconds"),
        "minutesDuration": appointment.minutes,
        "participant": [
            {"actor": {"reference": f"Patient/{patient_id}"}, "required": "required",
             "status": "accepted"},
        ],
    }
    if appointment.practitioner:
        resource["participant"].append({"actor": {"display": appointment.practitioner},
                                        "required": "required",
                                        "status": practitioner_status})
    if created is not None:
        resource["created"] = created.isoformat(timespec="seconds")
    return resource
