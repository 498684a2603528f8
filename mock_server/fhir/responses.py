"""FHIR JSON responses: media type, compact JSON text, resource headers (ETag, Location)."""

from __future__ import annotations

import json
from datetime import datetime
from email.utils import format_datetime
from typing import Any

from starlette.responses import Response

FHIR_JSON = "application/fhir+json"
FHIR_JSON_UTF8 = f"{FHIR_JSON}; charset=utf-8"


def dumps(value: Any) -> str:
    """Compact JSON text, the same form the `resources.json` column stores."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def fhir_response(text: str, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    """A response whose body is already FHIR JSON text (never re-serialised)."""
    response = Response(text.encode(), status_code=status, headers=headers)
    response.headers["content-type"] = FHIR_JSON_UTF8
    return response


def version_headers(version_id: int, last_modified: str | None = None) -> dict[str, str]:
    """`ETag: W/"<v>"` (and the resource's `lastUpdated` as `Last-Modified` when known)."""
    headers = {"ETag": f'W/"{version_id}"'}
    if last_modified:
        headers["Last-Modified"] = http_date(last_modified)
    return headers


def http_date(instant: str) -> str:
    """An HTTP date (RFC 9110) from a FHIR instant."""
    return format_datetime(datetime.fromisoformat(instant.replace("Z", "+00:00")), usegmt=True)


def created_response(
    text: str,
    *,
    fhir_base: str,
    resource_type: str,
    resource_id: str,
    version_id: int,
    last_updated: str,
) -> Response:
    """201 with `Location: {base}/<Type>/<id>/_history/<v>`, `ETag` and the stored resource."""
    headers = version_headers(version_id, last_updated)
    headers["Location"] = f"{fhir_base}/{resource_type}/{resource_id}/_history/{version_id}"
    return fhir_response(text, 201, headers)
