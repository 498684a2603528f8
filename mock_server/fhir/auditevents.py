"""`AuditEvent` read and search: the exchange log as FHIR, for the patient's own app only.

A service's token gets 403 (the log is the patient's, whatever the scopes say); another patient's
AuditEvent is 404. Searches: `date` (prefixes eq, ge, gt, le, lt; on the time of the exchange),
`outcome` (0, 4, 8), `agent` (a service's client id), `_count` 1..100 (default 50), `_offset`,
`_sort` `date` or `-date` (default newest first). There is no write: AuditEvent is append-only
(POST and PUT are refused in `routes.py`, other methods are 405).
"""

from __future__ import annotations

import uuid
from typing import Final
from urllib.parse import urlencode

from sqlalchemy import Connection, func, or_, select
from starlette.responses import Response

from mock_server.exchanges.auditevent import OUTCOME_CODES, audit_event
from mock_server.exchanges.params import is_identifier
from mock_server.exchanges.state import exchange_log
from mock_server.exchanges.store import get_exchange
from mock_server.fhir.access import AccessContext
from mock_server.fhir.errors import bad_request, forbidden, not_found
from mock_server.fhir.interaction import FhirCall
from mock_server.fhir.responses import dumps, fhir_response
from mock_server.fhir.search import date_condition, group_parameters, paging
from mock_server.storage.resources import fhir_instant
from mock_server.storage.schema import exchanges, oauth_clients

MAX_VALUES: Final = 50
PARAMETERS: Final = ("date", "outcome", "agent", "_count", "_offset", "_sort", "_format")
_OUTCOMES: Final = {code: outcome for outcome, code in OUTCOME_CODES.items()}
_OUTCOME_CODES: Final = ("0", "4", "8", "12")
"""AuditEvent outcome codes (R4); 12, major failure, is never recorded here."""


def _patient_app_only(conn: Connection, ctx: AccessContext) -> None:
    kind = conn.execute(
        select(oauth_clients.c.kind).where(oauth_clients.c.client_id == ctx.client_id)
    ).scalar_one_or_none()
    if kind != "app":
        raise forbidden(
            "Le journal des échanges (AuditEvent) n'est consultable que par le patient, dans "
            "Mon espace santé : une application tierce n'y a pas accès."
        )


def _settle(call: FhirCall) -> None:
    # Exchanges answered before this request are recorded first (a wait only while the writer
    # still has some queued, typically well under a millisecond).
    exchange_log(call.request.app).recorder.flush(timeout=1.0)


def read_audit_event(call: FhirCall, conn: Connection) -> Response:
    """One AuditEvent of the token's patient (404 for any other id)."""
    ctx, event_id = call.access, call.request.path_params["id"]
    _patient_app_only(conn, ctx)
    _settle(call)
    row = None
    if is_identifier(event_id):
        row = get_exchange(conn, ctx.patient_id, int(event_id))
    if row is None:
        raise not_found("AuditEvent", event_id)
    call.record([event_id])
    issuer = call.platform.settings.base_url
    return fhir_response(dumps(audit_event(row, issuer)))


def _values(name: str, raws: list[str]) -> list[str]:
    values = [v for raw in raws for v in raw.split(",")]
    if any(not v or len(v) > 200 for v in values) or len(values) > MAX_VALUES:
        raise bad_request(
            f"Le paramètre {name} a une valeur vide, trop longue, ou plus de {MAX_VALUES} valeurs.",
            "value",
        )
    return values


class _Search:
    """A parsed AuditEvent search: SQL conditions, paging, and what paging links repeat."""

    def __init__(self, items: list[tuple[str, str]], patient_id: str) -> None:
        grouped = group_parameters(items, PARAMETERS, "AuditEvent")
        self.kept = [(n, v) for n, v in items if not n.startswith("_")]
        self.count, self.offset = paging(grouped)
        sort = grouped.get("_sort", ["-date"])
        if sort not in (["date"], ["-date"]):
            raise bad_request("Le paramètre _sort accepte date (plus ancien d'abord) ou -date "
                              "(plus récent d'abord).", "value")
        self.descending = sort == ["-date"]
        self.conditions = [exchanges.c.patient_id == patient_id]
        for raw in grouped.get("date", []):
            self.conditions.append(
                or_(*(date_condition(v, exchanges.c.at) for v in _values("date", [raw])))
            )
        if "outcome" in grouped:
            codes = _values("outcome", grouped["outcome"])
            unknown = [c for c in codes if c not in _OUTCOME_CODES]
            if unknown:
                raise bad_request(
                    f"Code de résultat inconnu « {unknown[0][:40]} » : codes possibles 0 "
                    "(réussite), 4 (refus), 8 (échec), 12 (échec majeur).",
                    "value",
                )
            self.conditions.append(
                exchanges.c.outcome.in_([_OUTCOMES[c] for c in codes if c in _OUTCOMES])
            )
        if "agent" in grouped:
            self.conditions.append(exchanges.c.client_id.in_(_values("agent", grouped["agent"])))

    def link(self, relation: str, base: str, offset: int) -> dict[str, str]:
        params = [*self.kept, ("_count", str(self.count)), ("_offset", str(offset))]
        if not self.descending:
            params.append(("_sort", "date"))
        return {"relation": relation, "url": f"{base}?{urlencode(params)}"}


def search_audit_events(call: FhirCall, conn: Connection) -> Response:
    """The token's patient's AuditEvents, newest first unless `_sort=date`."""
    ctx = call.access
    _patient_app_only(conn, ctx)
    search = _Search(call.request.query_params.multi_items(), ctx.patient_id)
    _settle(call)
    order = exchanges.c.id.desc() if search.descending else exchanges.c.id.asc()
    rows = conn.execute(
        select(exchanges).where(*search.conditions).order_by(order)
        .limit(search.count).offset(search.offset)
    ).all()
    total = conn.execute(
        select(func.count()).select_from(exchanges).where(*search.conditions)
    ).scalar_one()
    base = f"{call.fhir_base}/AuditEvent"
    links = [search.link("self", base, search.offset)]
    if search.offset + search.count < total:
        links.append(search.link("next", base, search.offset + search.count))
    if search.offset > 0:
        links.append(search.link("previous", base, max(0, search.offset - search.count)))
    issuer = call.platform.settings.base_url
    bundle: dict = {
        "resourceType": "Bundle",
        "id": str(uuid.uuid4()),
        "meta": {"lastUpdated": fhir_instant(call.now)},
        "type": "searchset",
        "total": total,
        "link": links,
    }
    if rows:
        bundle["entry"] = [
            {"fullUrl": f"{base}/{row.id}", "resource": audit_event(row, issuer),
             "search": {"mode": "match"}}
            for row in rows
        ]
    call.record([str(row.id) for row in rows])
    return fhir_response(dumps(bundle))

