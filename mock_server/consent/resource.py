"""A grant as an R4 FHIR `Consent` (privacy consent, LOINC 59284-0), for the patient's app.

Mapping (*our choice* where R4 leaves room):
- `status`: active → `active`; revoked, expired and suspended → `inactive` (R4 has no finer
  code; `policyRule.text` says which, `provision.period` says when it ended).
- `meta.versionId` = the grant's version; `dateTime` = its last change.
- `provision` (type `permit`): `period` = validity (its end is the revocation time for a revoked
  grant), `dataPeriod` = which data dates are shared (from the grant's start when earlier data
  are not included, and the `ressource` window).
- one nested `permit` provision per permission: `actor` = the service (a `Device` reference by
  client identifier and name; role IRCP "information recipient" for reads, AUT "author" for
  writes), `action` = consentaction `access` for read and `correct` for write (adding to the
  patient's record), `class` = the FHIR resource types, `code` = the measure's LOINC code or the
  document group (none for a whole data class).
- one nested `deny` provision for the excluded documents (`data` with meaning `instance`).
"""

from __future__ import annotations

from datetime import datetime
from typing import Final

from mock_server.catalog import Permission, describe
from mock_server.catalog.models import ALL
from mock_server.consent.model import Grant
from mock_server.reference import (
    DOCUMENT_GROUP_SYSTEM,
    LOINC,
    document_group_by_key,
    measure_by_key,
)
from mock_server.storage.resources import fhir_instant

CLIENT_ID_SYSTEM: Final = "https://ens-consent.example.org/fhir/NamingSystem/client-id"
"""Identifier system of OAuth client ids (store services use their catalogue id)."""
CONSENT_SCOPE: Final = "http://terminology.hl7.org/CodeSystem/consentscope"
CONSENT_ACTION: Final = "http://terminology.hl7.org/CodeSystem/consentaction"
PARTICIPATION: Final = "http://terminology.hl7.org/CodeSystem/v3-ParticipationType"
ACT_CODE: Final = "http://terminology.hl7.org/CodeSystem/v3-ActCode"
RESOURCE_TYPES: Final = "http://hl7.org/fhir/resource-types"

FHIR_STATUS: Final = {"active": "active", "revoked": "inactive", "expired": "inactive",
                      "suspended": "inactive"}
_STATUS_TEXT: Final = {
    "active": "Autorisation en vigueur.",
    "revoked": "Autorisation retirée par le patient.",
    "expired": "Autorisation arrivée à son terme.",
    "suspended": "Service suspendu par l'autorité de référencement.",
}
_ACTION: Final = {"read": "access", "write": "correct"}
_ROLE: Final = {"read": ("IRCP", "information recipient"), "write": ("AUT", "author (originator)")}
_CLASSES: Final = {
    ("measures", "read"): ("Observation",),
    ("measures", "write"): ("Observation",),
    ("documents", "read"): ("DocumentReference", "Binary"),
    ("documents", "write"): ("DocumentReference",),
    ("agenda", "read"): ("Appointment",),
    ("agenda", "write"): ("Appointment",),
}


def consent_resource(grant: Grant, service_name: str) -> dict:
    """The R4 Consent of one grant (its status as stored: settle expiries first)."""
    provision: dict = {"type": "permit", "period": _period(grant)}
    data_period = _data_period(grant)
    if data_period:
        provision["dataPeriod"] = data_period
    nested = [_permission_provision(p, grant.client_id, service_name) for p in grant.permissions]
    if grant.excluded:
        nested.append(_exclusions(grant, service_name))
    if nested:
        provision["provision"] = nested
    return {
        "resourceType": "Consent",
        "id": grant.id,
        "meta": {"versionId": str(grant.version), "lastUpdated": fhir_instant(grant.updated_at)},
        "status": FHIR_STATUS[grant.status],
        "scope": {"coding": [{"system": CONSENT_SCOPE, "code": "patient-privacy",
                              "display": "Privacy Consent"}]},
        "category": [{"coding": [{"system": LOINC, "code": "59284-0",
                                  "display": "Patient Consent"}]}],
        "patient": {"reference": f"Patient/{grant.patient_id}"},
        "dateTime": fhir_instant(grant.updated_at),
        "policyRule": {"coding": [{"system": ACT_CODE, "code": "OPTIN", "display": "opt-in"}],
                       "text": f"Consentement à l'accès d'un service à l'espace santé "
                               f"(maille « {grant.maille} »). {_STATUS_TEXT[grant.status]}"},
        "provision": provision,
    }


def _period(grant: Grant) -> dict:
    end: datetime | None = grant.valid_until
    if grant.status == "revoked":
        end = grant.updated_at if end is None else min(end, grant.updated_at)
    period = {"start": fhir_instant(grant.valid_from)}
    if end is not None:
        period["end"] = fhir_instant(end)
    return period


def _data_period(grant: Grant) -> dict:
    starts = [grant.window_start] if grant.window_start else []
    if not grant.include_earlier:
        starts.append(grant.valid_from)
    period = {}
    if starts:
        period["start"] = fhir_instant(max(starts))
    if grant.window_end:
        period["end"] = fhir_instant(grant.window_end)
    return period


def _actor(client_id: str, service_name: str, access: str) -> dict:
    code, display = _ROLE[access]
    return {
        "role": {"coding": [{"system": PARTICIPATION, "code": code, "display": display}]},
        "reference": {"type": "Device", "display": service_name,
                      "identifier": {"system": CLIENT_ID_SYSTEM, "value": client_id}},
    }


def _permission_provision(permission: Permission, client_id: str, service_name: str) -> dict:
    provision = {
        "type": "permit",
        "actor": [_actor(client_id, service_name, permission.access)],
        "action": [{"coding": [{"system": CONSENT_ACTION,
                                "code": _ACTION[permission.access]}],
                    "text": describe(permission)}],
        "class": [{"system": RESOURCE_TYPES, "code": resource_type}
                  for resource_type in _CLASSES[permission.data_class, permission.access]],
    }
    code = _code(permission)
    if code:
        provision["code"] = [code]
    return provision


def _code(permission: Permission) -> dict | None:
    if permission.subtype == ALL:
        return None
    if permission.data_class == "measures":
        measure = measure_by_key()[permission.subtype]
        return {"coding": [{"system": LOINC, "code": measure.loinc_code,
                            "display": measure.loinc_display}]}
    group = document_group_by_key()[permission.subtype]
    return {"coding": [{"system": DOCUMENT_GROUP_SYSTEM, "code": group.key,
                        "display": group.label}]}


def _exclusions(grant: Grant, service_name: str) -> dict:
    return {
        "type": "deny",
        "actor": [_actor(grant.client_id, service_name, "read")],
        "data": [{"meaning": "instance", "reference": {"reference": f"DocumentReference/{rid}"}}
                 for rid in grant.excluded],
    }
