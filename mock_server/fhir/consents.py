"""`Consent` read and search: the patient's grants as R4 Consents, for the patient's own app.

A service's token gets 403 (`access.authorize` keeps Consent to the patient's app, whatever the
scopes say); another patient's Consent is 404. Search parameters: `status` (active, inactive;
comma = OR), `_count` 1..100 (default 50), `_offset`; newest change first. The mapping is in
`mock_server.consent.resource`. Consents are never written here: the patient changes grants
through `/grants` (POST and PUT are refused in `routes.py`).
"""

from __future__ import annotations

import uuid
from typing import Final
from urllib.parse import urlencode

from sqlalchemy import Connection
from starlette.responses import Response

from mock_server.consent.expiry import settle_expiries
from mock_server.consent.model import Grant
from mock_server.consent.resource import FHIR_STATUS, consent_resource
from mock_server.consent.store import client_names, own_grant, patient_grants
from mock_server.fhir.errors import bad_request, not_found
from mock_server.fhir.interaction import FhirCall
from mock_server.fhir.responses import dumps, fhir_response, version_headers
from mock_server.fhir.search import group_parameters, paging
from mock_server.storage.resources import fhir_instant

MAX_OFFSET: Final = 10_000
PARAMETERS: Final = ("status", "_count", "_offset", "_format")
_CODES: Final = frozenset(FHIR_STATUS.values())


def _settled(call: FhirCall, conn: Connection, grants: list[Grant]) -> list[Grant]:
    return settle_expiries(conn, grants, call.now, call.platform.notifier)


def _resource(conn: Connection, grant: Grant) -> dict:
    name, _kind = client_names(conn, [grant.client_id]).get(grant.client_id, (grant.client_id, ""))
    return consent_resource(grant, name)


def read_consent(call: FhirCall, conn: Connection) -> Response:
    """One Consent of the token's patient (404 for any other id)."""
    ctx, grant_id = call.access, call.request.path_params["id"]
    grant = own_grant(conn, ctx.patient_id, grant_id)
    if grant is None:
        raise not_found("Consent", grant_id)
    grant = _settled(call, conn, [grant])[0]
    call.record([grant.id])
    headers = version_headers(grant.version, fhir_instant(grant.updated_at))
    return fhir_response(dumps(_resource(conn, grant)), headers=headers)


def _statuses(values: list[str]) -> set[str]:
    wanted = {code for value in values for code in value.split(",")}
    unknown = sorted(wanted - _CODES)
    if unknown:
        raise bad_request(
            f"Statut de consentement inconnu « {unknown[0][:40]} » : valeurs possibles "
            f"{', '.join(sorted(_CODES))}.",
            "value",
        )
    return wanted


def search_consents(call: FhirCall, conn: Connection) -> Response:
    """The token's patient's Consents as a searchset Bundle."""
    items = call.request.query_params.multi_items()
    grouped = group_parameters(items, PARAMETERS, "Consent")
    count, offset = paging(grouped, max_offset=MAX_OFFSET)
    wanted = _statuses(grouped["status"]) if "status" in grouped else _CODES
    grants = _settled(call, conn, patient_grants(conn, call.access.patient_id))
    matching = sorted((g for g in grants if FHIR_STATUS[g.status] in wanted),
                      key=lambda g: (g.updated_at, g.id), reverse=True)
    page = matching[offset:offset + count]
    call.record([g.id for g in page])
    return fhir_response(dumps(_bundle(call, conn, page, len(matching), count, offset,
                                       [(n, v) for n, v in items if n == "status"])))


def _bundle(call: FhirCall, conn: Connection, page: list[Grant], total: int, count: int,
            offset: int, kept: list[tuple[str, str]]) -> dict:
    base = f"{call.fhir_base}/Consent"

    def link(relation: str, at: int) -> dict:
        query = urlencode([*kept, ("_count", str(count)), ("_offset", str(at))])
        return {"relation": relation, "url": f"{base}?{query}"}

    links = [link("self", offset)]
    if offset + count < total:
        links.append(link("next", offset + count))
    if offset > 0:
        links.append(link("previous", max(0, offset - count)))
    bundle: dict = {"resourceType": "Bundle", "id": str(uuid.uuid4()),
                    "meta": {"lastUpdated": fhir_instant(call.now)}, "type": "searchset",
                    "total": total, "link": links}
    if page:
        bundle["entry"] = [{"fullUrl": f"{base}/{g.id}", "resource": _resource(conn, g),
                            "search": {"mode": "match"}} for g in page]
    return bundle
