"""The /fhir routes: each one names its interaction and its action, `run_interaction` does the rest.

No catch-all route: unknown paths and methods become OperationOutcomes in the exception handler
(see `mock_server.fhir.install`), so routes of other packages under /fhir (SMART discovery) live.
"""

from __future__ import annotations

from fastapi import APIRouter
from sqlalchemy import Connection
from starlette.requests import Request
from starlette.responses import Response

from mock_server.fhir.access import authorize
from mock_server.fhir.auditevents import read_audit_event, search_audit_events
from mock_server.fhir.capability import capability_statement
from mock_server.fhir.consents import read_consent, search_consents
from mock_server.fhir.errors import FhirError
from mock_server.fhir.interaction import Action, FhirCall, Interaction, run_interaction
from mock_server.fhir.reads import read_binary, read_patient, read_resource, search_resources
from mock_server.fhir.responses import FHIR_JSON, dumps, fhir_response
from mock_server.fhir.supported import PATIENT_ONLY_TYPES
from mock_server.fhir.transaction import run_transaction
from mock_server.fhir.writes import (
    create_appointment,
    create_document,
    create_observation,
    update_appointment,
)

router = APIRouter(prefix="/fhir", tags=["FHIR R4"])
_FHIR_RESPONSE = {"content": {FHIR_JSON: {}}, "description": "Ressource FHIR (JSON)"}
_ID_PARAMETER = {"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}


def _add(path: str, method: str, interaction: Interaction, action: Action, summary: str) -> None:
    async def endpoint(request: Request) -> Response:
        return await run_interaction(request, interaction, action)

    name = f"fhir_{interaction.name}_{interaction.resource_type}_{method.lower()}"
    router.add_api_route(
        path,
        endpoint,
        methods=[method],
        name=name,
        summary=summary,
        response_class=Response,
        responses={200: _FHIR_RESPONSE},
        # The endpoint reads `id` from the request itself: declare it for the OpenAPI page.
        openapi_extra={"parameters": [_ID_PARAMETER]} if "{id}" in path else None,
    )


def capabilities(call: FhirCall, _conn: Connection) -> Response:
    return fhir_response(dumps(capability_statement(call.platform.settings, call.now)))


def _patient_only(resource_type: str, letter: str) -> Action:
    """Writes to Consent/AuditEvent: refused by `authorize` for every app token."""

    def action(call: FhirCall, _conn: Connection) -> Response:
        authorize(call.access, resource_type, letter)
        # Reached only if the policy ever let an app write them: there is still no such interaction.
        raise FhirError(
            405, "not-supported", f"Aucune écriture de {resource_type} n'est servie ici."
        )

    return action


_add(
    "/metadata",
    "GET",
    Interaction("CapabilityStatement", "capabilities", public=True),
    capabilities,
    "Déclaration de conformité (CapabilityStatement), sans jeton",
)
_add(
    "/Patient/{id}",
    "GET",
    Interaction("Patient", "read", "r"),
    read_patient,
    "Lire le patient du jeton",
)
for _type in ("Observation", "DocumentReference", "Appointment"):
    _add(
        f"/{_type}",
        "GET",
        Interaction(_type, "search", "s"),
        search_resources(_type),
        f"Rechercher des ressources {_type}",
    )
    _add(
        f"/{_type}/{{id}}",
        "GET",
        Interaction(_type, "read", "r"),
        read_resource(_type),
        f"Lire une ressource {_type}",
    )
_add(
    "/Observation",
    "POST",
    Interaction("Observation", "create", "c", with_body=True),
    create_observation,
    "Créer une mesure",
)
_add(
    "/DocumentReference",
    "POST",
    Interaction("DocumentReference", "create", "c", with_body=True),
    create_document,
    "Créer un document (contenu en base64, rangé dans un Binary)",
)
_add(
    "/Appointment",
    "POST",
    Interaction("Appointment", "create", "c", with_body=True),
    create_appointment,
    "Créer un rendez-vous",
)
_add(
    "/Appointment/{id}",
    "PUT",
    Interaction("Appointment", "update", "u", with_body=True),
    update_appointment,
    "Modifier un rendez-vous (If-Match facultatif)",
)
_add(
    "/Binary/{id}",
    "GET",
    Interaction("Binary", "read", negotiate=False),
    read_binary,
    "Lire le contenu d'un document (FHIR JSON ou octets bruts selon Accept)",
)
_add(
    "",
    "POST",
    Interaction("Bundle", "transaction", with_body=True),
    run_transaction,
    "Transaction : une Observation et au plus un Device",
)
for _type in sorted(PATIENT_ONLY_TYPES):
    _add(
        f"/{_type}",
        "POST",
        Interaction(_type, "create"),
        _patient_only(_type, "c"),
        f"Refusé : {_type} n'est écrit que par le patient",
    )
    _add(
        f"/{_type}/{{id}}",
        "PUT",
        Interaction(_type, "update"),
        _patient_only(_type, "u"),
        f"Refusé : {_type} n'est écrit que par le patient",
    )
_add(
    "/AuditEvent",
    "GET",
    Interaction("AuditEvent", "search"),
    search_audit_events,
    "Rechercher dans le journal des échanges du patient (application du patient seulement)",
)
_add(
    "/AuditEvent/{id}",
    "GET",
    Interaction("AuditEvent", "read"),
    read_audit_event,
    "Lire un échange du journal (application du patient seulement)",
)
_add(
    "/Consent",
    "GET",
    Interaction("Consent", "search", "s"),
    search_consents,
    "Rechercher les consentements du patient (application du patient seulement)",
)
_add(
    "/Consent/{id}",
    "GET",
    Interaction("Consent", "read", "r"),
    read_consent,
    "Lire un consentement du patient (application du patient seulement)",
)
