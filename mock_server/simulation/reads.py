"""The FHIR searches a read action sends: the data class and subtype it reads, from `since` ago,
newest first, with the filters a well-behaved service puts on what its grant allows."""

from __future__ import annotations

from datetime import UTC, datetime
from urllib.parse import urlencode

from mock_server.catalog.models import ALL
from mock_server.reference import DOCUMENT_GROUP_SYSTEM, LOINC, measure_by_key
from mock_server.simulation.behaviours import ReadSpec
from mock_server.simulation.generators import PlannedRequest

RESOURCE_OF = {"measures": "Observation", "documents": "DocumentReference",
               "agenda": "Appointment"}


def fhir_date(moment: datetime) -> str:
    return moment.astimezone(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def search_request(read: ReadSpec, at: datetime, label: str) -> PlannedRequest:
    """The search of `read` as of `at`."""
    params: list[tuple[str, str]] = []
    if read.data_class == "measures" and read.subtype != ALL:
        params.append(("code", f"{LOINC}|{measure_by_key()[read.subtype].loinc_code}"))
    if read.data_class == "documents" and read.subtype != ALL:
        params.append(("category", f"{DOCUMENT_GROUP_SYSTEM}|{read.subtype}"))
    params += [("date", f"ge{fhir_date(at - read.since)}"), ("_count", str(read.count))]
    if read.data_class != "agenda":
        params.append(("_sort", "-date"))
    else:
        params.append(("_sort", "date"))
    path = f"{RESOURCE_OF[read.data_class]}?{urlencode(params)}"
    return PlannedRequest("GET", path, summary=label)


def content_requests(bundle: dict, limit: int = 2) -> list[PlannedRequest]:
    """Reads of the content (Binary) of the newest documents a search returned."""
    out = []
    for entry in (bundle.get("entry") or [])[:limit]:
        resource = entry.get("resource") or {}
        for content in resource.get("content") or []:
            url = (content.get("attachment") or {}).get("url", "")
            if url.startswith("Binary/"):
                out.append(PlannedRequest("GET", url, summary=f"lit le contenu de « "
                                          f"{resource.get('description', 'document')} »"))
                break
    return out
