"""Create and update actions (see `interaction.Action`), run inside one database transaction.

Every write follows the same steps: drop what only the server sets (`id`, meta labels), apply the
type's rules (403/422), check the token's scopes against the resulting resource (403), store it
with `author_client_id` = the token's client.
"""

from __future__ import annotations

import re

from sqlalchemy import Connection, Row
from starlette.responses import Response

from mock_server.fhir.access import authorize
from mock_server.fhir.appointments import prepare_appointment
from mock_server.fhir.documents import prepare_document
from mock_server.fhir.errors import FhirError, bad_request, not_found
from mock_server.fhir.interaction import FhirCall
from mock_server.fhir.observations import derive_bmi, prepare_observation
from mock_server.fhir.responses import created_response, fhir_response, version_headers
from mock_server.fhir.store import insert_resource, new_id, own_row, update_resource
from mock_server.fhir.validation import expect_resource, without_client_fields
from mock_server.storage.resources import fhir_instant, insert_records, record_for

_IF_MATCH = re.compile(r'(?:W/)?"(\d{1,9})"')


def fresh_resource(resource: dict) -> dict:
    """A client's resource with a server-assigned id and no server-owned fields."""
    clean = without_client_fields(resource)
    return {"resourceType": clean["resourceType"], "id": new_id(), **clean}


def _authorized_record(
    call: FhirCall, resource: dict, interaction: str, version_id: int = 1
) -> dict:
    record = record_for(
        resource,
        patient_id=call.access.patient_id,
        last_updated=call.now,
        author_client_id=call.access.client_id,
        version_id=version_id,
    )
    authorize(call.access, resource["resourceType"], interaction, record)
    return record


def _created(call: FhirCall, record: dict) -> Response:
    return created_response(
        record["json"],
        fhir_base=call.fhir_base,
        resource_type=record["resource_type"],
        resource_id=record["id"],
        version_id=record["version_id"],
        last_updated=fhir_instant(call.now),
    )


def store_observation(call: FhirCall, conn: Connection, resource: dict) -> dict:
    """Check and store one measure written by the client (plus the BMI it implies); returns its
    row. `resource` already has its server id."""
    measure = prepare_observation(resource, conn, call.access, call.fhir_base)
    record = _authorized_record(call, resource, "c")
    insert_records(conn, [record])
    call.record([record["id"]])
    bmi = derive_bmi(conn, call.access.patient_id, measure, resource, call.now)
    if bmi is not None:
        call.record([bmi["id"]])
    return record


def create_observation(call: FhirCall, conn: Connection) -> Response:
    resource = fresh_resource(expect_resource(call.body, "Observation"))
    return _created(call, store_observation(call, conn, resource))


def create_document(call: FhirCall, conn: Connection) -> Response:
    resource = fresh_resource(expect_resource(call.body, "DocumentReference"))
    binaries = prepare_document(resource, call.access, call.fhir_base, call.now)
    record = _authorized_record(call, resource, "c")
    for binary in binaries:
        insert_resource(
            conn,
            binary,
            patient_id=call.access.patient_id,
            now=call.now,
            client_id=call.access.client_id,
        )
    insert_records(conn, [record])
    call.record([record["id"]])
    return _created(call, record)


def create_appointment(call: FhirCall, conn: Connection) -> Response:
    resource = fresh_resource(expect_resource(call.body, "Appointment"))
    prepare_appointment(resource, call.access, call.fhir_base)
    record = _authorized_record(call, resource, "c")
    insert_records(conn, [record])
    call.record([record["id"]])
    return _created(call, record)


def _check_if_match(call: FhirCall, current: Row) -> None:
    header = call.request.headers.get("if-match")
    if header is None:
        return
    match = _IF_MATCH.fullmatch(header.strip())
    if match is None:
        raise bad_request('En-tête If-Match invalide : la forme attendue est W/"<version>".')
    if int(match[1]) != current.version_id:
        raise FhirError(
            412,
            "conflict",
            f"La ressource a changé : version actuelle {current.version_id}, If-Match "
            f"demandait {match[1]}. Relisez-la avant de la modifier.",
        )


def update_appointment(call: FhirCall, conn: Connection) -> Response:
    """PUT Appointment/{id}: a new version of the patient's appointment (If-Match honoured)."""
    resource_id = call.request.path_params["id"]
    body = expect_resource(call.body, "Appointment")
    if body.get("id") != resource_id:
        raise bad_request(
            f"L'id de la ressource ({str(body.get('id'))[:64]}) doit être celui de "
            f"l'adresse ({resource_id})."
        )
    current = own_row(conn, call.access.patient_id, "Appointment", resource_id)
    if current is None:
        raise not_found("Appointment", resource_id)
    authorize(call.access, "Appointment", "u", current)
    _check_if_match(call, current)
    resource = {"resourceType": "Appointment", "id": resource_id, **without_client_fields(body)}
    prepare_appointment(resource, call.access, call.fhir_base)
    record = _authorized_record(call, resource, "u", current.version_id + 1)
    update_resource(conn, current, record)
    call.record([resource_id])
    return fhir_response(
        record["json"], headers=version_headers(record["version_id"], fhir_instant(call.now))
    )
