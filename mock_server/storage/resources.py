"""Rows of the `resources` table: one FHIR resource each, with the columns searches use.

`record_for` derives the searchable columns from the resource itself, so the seed and the FHIR API
index resources the same way.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import Connection

from mock_server import reference
from mock_server.storage.schema import resources


def parse_fhir_datetime(value: str | None) -> datetime | None:
    """A FHIR dateTime/instant with a time zone; a bare date counts as midnight UTC."""
    if not value:
        return None
    from datetime import UTC, date

    if len(value) == 10:
        d = date.fromisoformat(value)
        return datetime(d.year, d.month, d.day, tzinfo=UTC)
    parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def fhir_instant(value: datetime) -> str:
    """A FHIR instant: UTC with milliseconds and a `Z` (as `meta.lastUpdated` carries it)."""
    from datetime import UTC

    return value.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


SOURCE_PREFIX = "urn:ens-consent:client:"
"""`meta.source` of a resource a client wrote: this prefix + its client id (the app shows which
service wrote a value; seeded data has no source)."""


def _stamped(resource: dict, version_id: int, last_updated: datetime,
             author_client_id: str | None = None) -> dict:
    """The resource with `meta.versionId`/`meta.lastUpdated` (and `meta.source`, the writing
    client) matching its row, so the stored text is exactly what the API serves (searches splice
    it without parsing)."""
    meta = {**(resource.get("meta") or {}), "versionId": str(version_id),
            "lastUpdated": fhir_instant(last_updated)}
    if author_client_id:
        meta["source"] = f"{SOURCE_PREFIX}{author_client_id}"
    head = {"resourceType": resource["resourceType"], "id": resource["id"], "meta": meta}
    return {**head, **{key: value for key, value in resource.items() if key not in head}}


def _first_coding(concept: dict | None) -> dict | None:
    codings = (concept or {}).get("coding") or []
    return codings[0] if codings else None


def _token(coding: dict | None) -> str | None:
    if not coding:
        return None
    return f"{coding.get('system', '')}|{coding.get('code', '')}"


def _observation_fields(res: dict) -> dict:
    coding = _first_coding(res.get("code"))
    measure = reference.measure_by_loinc().get((coding or {}).get("code", ""))
    category = _first_coding((res.get("category") or [None])[0])
    return {
        "effective": parse_fhir_datetime(res.get("effectiveDateTime")),
        "code": _token(coding),
        "category": _token(category),
        "subtype": measure.key if measure else None,
    }


def _document_fields(res: dict) -> dict:
    type_coding = _first_coding(res.get("type"))
    class_coding, group_key = None, None
    for concept in res.get("category") or []:
        for coding in concept.get("coding") or []:
            if coding.get("system") == reference.DOCUMENT_GROUP_SYSTEM:
                group_key = coding.get("code")
            elif class_coding is None:
                class_coding = coding
    if group_key is None and type_coding:
        doc_type = reference.document_type_by_code().get(
            (type_coding.get("system", ""), type_coding.get("code", ""))
        )
        group_key = doc_type.group.key if doc_type else None
    return {
        "effective": parse_fhir_datetime(res.get("date")),
        "code": _token(type_coding),
        "category": _token(class_coding),
        "subtype": group_key,
    }


def _identifier(res: dict) -> str | None:
    identifiers = res.get("identifier") or []
    if not identifiers:
        return None
    first = identifiers[0]
    return f"{first.get('system', '')}|{first.get('value', '')}"


def record_for(
    resource: dict,
    *,
    patient_id: str | None,
    last_updated: datetime,
    author_client_id: str | None = None,
    version_id: int = 1,
) -> dict:
    """A `resources` row for `resource` (which must carry its `id`)."""
    kind = resource["resourceType"]
    fields: dict = {"effective": None, "code": None, "category": None, "subtype": None}
    if kind == "Observation":
        fields = _observation_fields(resource)
    elif kind == "DocumentReference":
        fields = _document_fields(resource)
    elif kind == "Appointment":
        fields["effective"] = parse_fhir_datetime(resource.get("start"))
    return {
        "id": resource["id"],
        "resource_type": kind,
        "patient_id": patient_id,
        "version_id": version_id,
        "last_updated": last_updated,
        "status": resource.get("status"),
        "identifier": _identifier(resource),
        "author_client_id": author_client_id,
        "json": json.dumps(_stamped(resource, version_id, last_updated, author_client_id),
                           ensure_ascii=False, separators=(",", ":")),
        **fields,
    }


def insert_records(conn: Connection, records: Iterable[dict]) -> int:
    """Insert rows made by `record_for`; returns how many."""
    rows = list(records)
    if rows:
        conn.execute(resources.insert(), rows)
    return len(rows)
