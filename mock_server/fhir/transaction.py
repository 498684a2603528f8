"""`POST [base]` with a transaction Bundle, as the Mon espace santé measures API writes a measure:
one Observation, plus at most one Device created conditionally on its identifier
(`request.ifNoneExist: identifier=<system>|<value>`). An existing Device with that identifier is
reused, and the Observation's `device` pointing at the Device entry's `fullUrl` (urn:uuid) becomes
`Device/<id>`. All or nothing: any refusal rolls the whole Bundle back.
"""

from __future__ import annotations

import re
from urllib.parse import unquote

from sqlalchemy import Connection
from starlette.responses import Response

from mock_server.fhir.access import AccessContext, authorize
from mock_server.fhir.errors import FhirError, invalid
from mock_server.fhir.interaction import FhirCall
from mock_server.fhir.responses import dumps, fhir_response
from mock_server.fhir.store import find_device, insert_resource, new_id
from mock_server.fhir.supported import PATIENT_ONLY_TYPES
from mock_server.fhir.validation import check_patient_reference, expect_resource, validate_model
from mock_server.fhir.writes import fresh_resource, store_observation
from mock_server.storage.resources import fhir_instant

_IF_NONE_EXIST = re.compile(r"identifier=([^|&]+)\|([^&]+)")
_WRITABLE = ("Observation", "Device")


def _not_supported(diagnostics: str, expression: str | None = None) -> FhirError:
    return invalid(diagnostics, expression, "not-supported")


def _entries(bundle: dict) -> list[dict]:
    if bundle.get("type") != "transaction":
        raise _not_supported(
            "Seuls les Bundles de type transaction sont acceptés sur la base FHIR.", "Bundle.type"
        )
    entries = bundle.get("entry")
    if (
        not isinstance(entries, list)
        or not entries
        or not all(isinstance(e, dict) for e in entries)
    ):
        raise invalid(
            "Bundle.entry doit contenir les ressources à créer.", "Bundle.entry", "required"
        )
    # The Bundle's own elements, checked without the resources (validated one by one below).
    validate_model(
        {**bundle, "entry": [{k: v for k, v in e.items() if k != "resource"} for e in entries]}
    )
    return entries


def _classify(entries: list[dict], ctx: AccessContext) -> tuple[dict, dict | None]:
    """The Observation entry and the optional Device entry; anything else is refused."""
    by_type: dict[str, list[dict]] = {}
    for index, entry in enumerate(entries):
        resource = entry.get("resource")
        kind = resource.get("resourceType") if isinstance(resource, dict) else None
        if kind in PATIENT_ONLY_TYPES:
            authorize(ctx, kind, "c")
        request = entry.get("request") or {}
        if kind not in _WRITABLE or request.get("method") != "POST" or request.get("url") != kind:
            raise _not_supported(
                f"Bundle.entry[{index}] : une transaction contient une Observation et au plus un "
                "Device, chacun avec request.method POST et request.url égal à son type.",
                f"Bundle.entry[{index}]",
            )
        by_type.setdefault(kind, []).append(entry)
    if len(by_type.get("Observation", [])) != 1 or len(by_type.get("Device", [])) > 1:
        raise _not_supported(
            "Une transaction contient exactement une Observation et au plus un Device.",
            "Bundle.entry",
        )
    return by_type["Observation"][0], (by_type.get("Device") or [None])[0]


def _identifier(entry: dict) -> str | None:
    condition = (entry.get("request") or {}).get("ifNoneExist")
    if condition is None:
        return None
    match = _IF_NONE_EXIST.fullmatch(str(condition))
    if match is None:
        raise _not_supported(
            "request.ifNoneExist accepte seulement « identifier=<système>|<valeur> ».",
            "Bundle.entry.request.ifNoneExist",
        )
    return f"{unquote(match[1])}|{unquote(match[2])}"


def _device(call: FhirCall, conn: Connection, entry: dict) -> tuple[str, dict, bool]:
    """(Device id, stored Device, created?) for the Device entry."""
    device = fresh_resource(entry["resource"])
    validate_model(device)
    if "patient" in device:
        check_patient_reference(device["patient"], "Device.patient", call.access, call.fhir_base)
    identifier = _identifier(entry)
    if identifier is not None:
        first = (device.get("identifier") or [{}])[0]
        if f"{first.get('system', '')}|{first.get('value', '')}" != identifier:
            raise invalid(
                "Le premier Device.identifier doit être celui de request.ifNoneExist.",
                "Device.identifier",
            )
        existing = find_device(conn, identifier, call.access.patient_id)
        if existing is not None:
            return existing.id, {"json": existing.json, "version_id": existing.version_id}, False
    record = insert_resource(
        conn,
        device,
        patient_id=call.access.patient_id,
        now=call.now,
        client_id=call.access.client_id,
    )
    return record["id"], record, True


def _response_entry(
    call: FhirCall, kind: str, resource_id: str, record: dict, created: bool
) -> str:
    """One transaction-response entry; its fullUrl is the resource's real address."""
    response = {
        "status": "201 Created" if created else "200 OK",
        "location": f"{kind}/{resource_id}/_history/{record['version_id']}",
        "etag": f'W/"{record["version_id"]}"',
    }
    if created:
        response["lastModified"] = fhir_instant(call.now)
    url = dumps(f"{call.fhir_base}/{kind}/{resource_id}")
    return f'{{"fullUrl":{url},"resource":{record["json"]},"response":{dumps(response)}}}'


def run_transaction(call: FhirCall, conn: Connection) -> Response:
    """Process the transaction Bundle and answer a transaction-response Bundle (same order)."""
    bundle = expect_resource(call.body, "Bundle")
    entries = _entries(bundle)
    observation_entry, device_entry = _classify(entries, call.access)
    # The Device belongs to the measure being written: the Observation's create right covers it.
    authorize(call.access, "Observation", "c")
    answers: dict[int, str] = {}
    observation = fresh_resource(observation_entry["resource"])
    if device_entry is not None:
        device_id, device_record, created = _device(call, conn, device_entry)
        device_ref, full_url = observation.get("device"), device_entry.get("fullUrl")
        if isinstance(device_ref, dict) and full_url and device_ref.get("reference") == full_url:
            observation["device"] = {**device_ref, "reference": f"Device/{device_id}"}
        answers[id(device_entry)] = _response_entry(
            call, "Device", device_id, device_record, created
        )
    record = store_observation(call, conn, observation)
    answers[id(observation_entry)] = _response_entry(
        call, "Observation", record["id"], record, True
    )
    text = (
        f'{{"resourceType":"Bundle","id":"{new_id()}","type":"transaction-response",'
        f'"entry":[{",".join(answers[id(entry)] for entry in entries)}]}}'
    )
    return fhir_response(text)
