"""Read and search actions (see `interaction.Action`): stored JSON text goes out as it is."""

from __future__ import annotations

import base64
import json

from sqlalchemy import Connection, select
from starlette.responses import Response

from mock_server.fhir.access import (
    authorize,
    authorize_binary,
    authorize_binary_type,
    authorize_search_target,
    search_constraint,
)
from mock_server.fhir.errors import not_found
from mock_server.fhir.interaction import Action, FhirCall
from mock_server.fhir.negotiation import binary_representation
from mock_server.fhir.responses import dumps, fhir_response, version_headers
from mock_server.fhir.search import parse_search, searchset
from mock_server.fhir.store import own_row, owning_document
from mock_server.storage.resources import fhir_instant
from mock_server.storage.schema import patients


def _path_id(call: FhirCall) -> str:
    return call.request.path_params["id"]


def read_patient(call: FhirCall, conn: Connection) -> Response:
    """The token's own Patient; any other id is 404."""
    ctx, patient_id = call.access, _path_id(call)
    row = None
    if patient_id == ctx.patient_id:
        row = conn.execute(select(patients.c.json).where(patients.c.id == patient_id)).first()
    if row is None:
        raise not_found("Patient", patient_id)
    call.record([patient_id])
    resource = json.loads(row.json)
    # Patients are not versioned here: the seed writes them once.
    resource["meta"] = {**(resource.get("meta") or {}), "versionId": "1"}
    return fhir_response(dumps(resource), headers=version_headers(1))


def read_resource(resource_type: str) -> Action:
    """Read one resource of the token's patient (404 for anything else, 403 outside the scopes)."""

    def action(call: FhirCall, conn: Connection) -> Response:
        ctx, resource_id = call.access, _path_id(call)
        row = own_row(conn, ctx.patient_id, resource_type, resource_id)
        if row is None:
            raise not_found(resource_type, resource_id)
        authorize(ctx, resource_type, "r", row)
        call.record([row.id])
        return fhir_response(
            row.json, headers=version_headers(row.version_id, fhir_instant(row.last_updated))
        )

    return action


def search_resources(resource_type: str) -> Action:
    """Search the token's patient's resources, filtered by the token's restricted scopes."""

    def action(call: FhirCall, conn: Connection) -> Response:
        ctx = call.access
        constraint = search_constraint(ctx, resource_type)
        query = parse_search(
            resource_type, call.request.query_params.multi_items(), ctx.patient_id, call.fhir_base
        )
        authorize_search_target(ctx, resource_type, query.kept)
        text, ids = searchset(
            conn, resource_type, ctx.patient_id, query, constraint, call.fhir_base, call.now
        )
        call.record(ids)
        return fhir_response(text)

    return action


def read_binary(call: FhirCall, conn: Connection) -> Response:
    """A document's content: the Binary resource, or its raw bytes when Accept names its type."""
    ctx, binary_id = call.access, _path_id(call)
    authorize_binary_type(ctx)
    row = own_row(conn, ctx.patient_id, "Binary", binary_id)
    if row is None:
        raise not_found("Binary", binary_id)
    document = owning_document(conn, ctx.patient_id, binary_id)
    authorize_binary(ctx, document)
    resource = json.loads(row.json)
    representation = binary_representation(call.request, resource.get("contentType", ""))
    call.record([binary_id])
    headers = version_headers(row.version_id, fhir_instant(row.last_updated))
    if representation == "fhir":
        return fhir_response(row.json, headers=headers)
    content = base64.b64decode(resource.get("data", ""))
    # Raw documents are never rendered by a browser in this origin's context.
    headers.update({"X-Content-Type-Options": "nosniff", "Content-Security-Policy": "sandbox"})
    return Response(content, media_type=resource["contentType"], headers=headers)
