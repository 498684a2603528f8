"""An exchange as an R4 `AuditEvent` (DICOM "RESTful operation" event, FHIR restful interaction).

Outcome: allowed → `0` (success), denied → `4` (minor failure: refused by consent, token or rate
limit), failed → `8` (serious failure: the request could not be served). The service is the
requesting agent (its client id under the issuer), the patient the other agent; the entities are
the resources read or written, the query of a search, or what a refused request named.
"""

from __future__ import annotations

import base64
import json
from typing import Any, Final

from sqlalchemy import Row

from mock_server.exchanges.classify import path_resource
from mock_server.storage.resources import fhir_instant

AUDIT_EVENT_TYPE: Final = "http://terminology.hl7.org/CodeSystem/audit-event-type"
RESTFUL_INTERACTION: Final = "http://hl7.org/fhir/restful-interaction"
SOURCE_TYPE: Final = "http://terminology.hl7.org/CodeSystem/security-source-type"
ENTITY_TYPE: Final = "http://terminology.hl7.org/CodeSystem/audit-entity-type"
OBJECT_ROLE: Final = "http://terminology.hl7.org/CodeSystem/object-role"
RESOURCE_TYPES: Final = "http://hl7.org/fhir/resource-types"

OUTCOME_CODES: Final = {"allowed": "0", "denied": "4", "failed": "8"}
_INTERACTION: Final = {
    # exchange interaction -> (restful-interaction code, AuditEvent action)
    "read": ("read", "R"),
    "search": ("search-type", "E"),
    "create": ("create", "C"),
    "update": ("update", "U"),
    "transaction": ("transaction", "E"),
}
_OBSERVER: Final = "Mon espace santé (plateforme simulée)"
_SYSTEM_OBJECT: Final = {"system": ENTITY_TYPE, "code": "2", "display": "System Object"}
_DOMAIN_RESOURCE: Final = {"system": OBJECT_ROLE, "code": "4", "display": "Domain Resource"}
_QUERY_ROLE: Final = {"system": OBJECT_ROLE, "code": "24", "display": "Query"}


def _resource_entity(reference: str) -> dict[str, Any]:
    return {"what": {"reference": reference}, "type": _SYSTEM_OBJECT, "role": _DOMAIN_RESOURCE}


def _entities(row: Row) -> list[dict[str, Any]]:
    if row.interaction == "search":
        asked = f"{row.resource_type}?{row.query}" if row.query else row.resource_type
        return [{
            "type": {"system": RESOURCE_TYPES, "code": row.resource_type},
            "role": _QUERY_ROLE,
            "query": base64.b64encode(asked.encode()).decode(),
        }]
    references = json.loads(row.resources)
    if references:
        return [_resource_entity(reference) for reference in references]
    named = path_resource(row.path)
    if named is not None:
        return [_resource_entity(f"{named[0]}/{named[1]}")]
    # A refused create or transaction: only the type of what the service tried to write.
    return [{"type": {"system": RESOURCE_TYPES, "code": row.resource_type},
             "role": _DOMAIN_RESOURCE}]


def audit_event(row: Row, issuer: str) -> dict[str, Any]:
    """The AuditEvent of one `exchanges` row; `issuer` names the system of client ids."""
    code, action = _INTERACTION[row.interaction]
    recorded = fhir_instant(row.at)
    event: dict[str, Any] = {
        "resourceType": "AuditEvent",
        "id": str(row.id),
        "meta": {"lastUpdated": recorded},
        "type": {"system": AUDIT_EVENT_TYPE, "code": "rest", "display": "RESTful Operation"},
        "subtype": [{"system": RESTFUL_INTERACTION, "code": code}],
        "action": action,
        "recorded": recorded,
        "outcome": OUTCOME_CODES[row.outcome],
    }
    if row.reason:
        event["outcomeDesc"] = row.reason
    event["agent"] = [
        {
            "who": {"identifier": {"system": issuer, "value": row.client_id},
                    "display": row.service},
            "requestor": True,
        },
        {"who": {"reference": f"Patient/{row.patient_id}"}, "requestor": False},
    ]
    event["source"] = {
        "observer": {"identifier": {"value": issuer}, "display": _OBSERVER},
        "type": [{"system": SOURCE_TYPE, "code": "4", "display": "Application Server"}],
    }
    event["entity"] = _entities(row)
    return event
