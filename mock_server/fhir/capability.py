"""`GET /fhir/metadata`: the CapabilityStatement, built from what the routes really serve."""

from __future__ import annotations

from datetime import datetime

from mock_server import __version__
from mock_server.fhir.search import CONTROL_PARAMS, SEARCH_PARAMS
from mock_server.fhir.supported import DOCUMENTATION, INTERACTIONS
from mock_server.reference import measure_types
from mock_server.settings import Settings

OAUTH_URIS = "http://fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris"
SECURITY_SERVICE = "http://terminology.hl7.org/CodeSystem/restful-security-service"
_CONTROL_DOCS = {
    "_count": "Taille de page, 1 à 100 (50 par défaut).",
    "_offset": "Rang du premier résultat (0 par défaut) ; suivez plutôt les liens next/previous.",
    "_sort": "date (plus ancien d'abord) ou -date (plus récent d'abord, par défaut).",
    "_format": "json ou application/fhir+json (seul format servi).",
}


def _search_params(resource_type: str) -> list[dict]:
    params = [
        {"name": p.name, "type": p.type, "documentation": p.documentation}
        for p in SEARCH_PARAMS.get(resource_type, ())
    ]
    if params:
        params += [
            {
                "name": name,
                "type": "number" if name in ("_count", "_offset") else "string",
                "documentation": _CONTROL_DOCS[name],
            }
            for name in CONTROL_PARAMS
        ]
    return params


def _resource(resource_type: str) -> dict:
    entry: dict = {
        "type": resource_type,
        "documentation": DOCUMENTATION[resource_type],
        "interaction": [{"code": code} for code in INTERACTIONS[resource_type]],
        "versioning": "versioned-update"
        if "update" in INTERACTIONS[resource_type]
        else "versioned",
        "readHistory": False,
        "updateCreate": False,
    }
    if resource_type == "Observation":
        entry["supportedProfile"] = [m.profile_url for m in measure_types() if m.writable]
    params = _search_params(resource_type)
    if params:
        entry["searchParam"] = params
    return entry


def _security(base_url: str) -> dict:
    uris = {
        "authorize": "/oauth/authorize",
        "token": "/oauth/token",
        "revoke": "/oauth/revoke",
        "introspect": "/oauth/introspect",
    }
    return {
        "extension": [
            {
                "url": OAUTH_URIS,
                "extension": [
                    {"url": name, "valueUri": f"{base_url}{path}"} for name, path in uris.items()
                ],
            }
        ],
        "service": [
            {
                "coding": [{"system": SECURITY_SERVICE, "code": "SMART-on-FHIR"}],
                "text": "OAuth 2 / SMART App Launch v2 (portées patient/*, jetons Bearer opaques)",
            }
        ],
        "description": (
            "Jeton Bearer obligatoire (en-tête Authorization, jamais dans l'URL). Découverte : "
            f"{base_url}/fhir/.well-known/smart-configuration."
        ),
    }


def capability_statement(settings: Settings, now: datetime) -> dict:
    """What this server supports, exactly: types, interactions, search parameters, security."""
    device = {
        "type": "Device",
        "documentation": DOCUMENTATION["Device"],
        "conditionalCreate": True,
    }
    return {
        "resourceType": "CapabilityStatement",
        "id": "ens-mock-fhir",
        "status": "active",
        "date": now.date().isoformat(),
        "publisher": "Simulateur Mon espace santé (ens-consent)",
        "kind": "instance",
        "software": {"name": "ens-mock-server", "version": __version__},
        "implementation": {
            "description": "API FHIR R4 simulée de Mon espace santé (documents, mesures, agenda)",
            "url": settings.fhir_base_url,
        },
        "fhirVersion": "4.0.1",
        "format": ["application/fhir+json", "json"],
        "rest": [
            {
                "mode": "server",
                "documentation": (
                    "Chaque jeton est lié à un patient : lectures et recherches restent dans son "
                    "dossier (un autre patient donne 404 ou un Bundle vide). Erreurs en "
                    "OperationOutcome."
                ),
                "security": _security(settings.base_url),
                "resource": [_resource(t) for t in INTERACTIONS] + [device],
                "interaction": [
                    {
                        "code": "transaction",
                        "documentation": (
                            "POST [base] : une Observation et au plus un Device (création "
                            "conditionnelle sur identifier)."
                        ),
                    }
                ],
            }
        ],
    }
