"""Checks every written resource goes through: shape (400), R4B model (422 with readable paths),
required codes (the models do not check bindings), the patient reference, and mass assignment
(client ids and meta labels are never trusted)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache
from typing import Any

from fhir.resources.R4B import get_fhir_model_class
from fhir.resources.R4B.appointment import Appointment
from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.device import Device
from fhir.resources.R4B.documentreference import DocumentReference
from fhir.resources.R4B.observation import Observation
from pydantic import ValidationError

from mock_server.fhir.access import AccessContext
from mock_server.fhir.errors import FhirError, Issue, bad_request, forbidden, invalid

MODELS = {
    "Observation": Observation,
    "DocumentReference": DocumentReference,
    "Appointment": Appointment,
    "Device": Device,
    "Bundle": Bundle,
}

_MESSAGES = {
    "missing": "élément obligatoire absent",
    "extra_forbidden": "élément inconnu pour ce type de ressource",
    "list_type": "une liste est attendue",
    "string_type": "une chaîne de caractères est attendue",
    "bool_type": "un booléen est attendu",
    "bool_parsing": "un booléen est attendu",
    "int_type": "un entier est attendu",
    "int_parsing": "un entier est attendu",
    "int_from_float": "un entier est attendu",
    "float_type": "un nombre est attendu",
    "model_type": "un objet JSON est attendu",
    "dict_type": "un objet JSON est attendu",
    "model_validation_format": "un objet JSON est attendu",
    "json_invalid": "un objet JSON est attendu",
    "base64_decode": "contenu base64 invalide",
    "string_pattern_mismatch": "format invalide",
    "string_too_long": "valeur trop longue",
    "value_error": "format ou valeur invalide",
}
_VALUE_HINTS = (
    ("DateTime", "dateTime FHIR attendu (AAAA-MM-JJ ou AAAA-MM-JJThh:mm:ss+hh:mm)"),
    ("Instant", "instant FHIR attendu (AAAA-MM-JJThh:mm:ss+hh:mm)"),
    ("Date value", "date FHIR attendue (AAAA-MM-JJ)"),
    ("Decimal", "nombre attendu"),
)
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_MAX_ISSUES = 20


def _message(error: dict) -> str:
    """A French phrase for one pydantic error of the R4B models."""
    if error["type"] == "value_error":
        text = str(error.get("msg", ""))
        return next(
            (hint for marker, hint in _VALUE_HINTS if marker in text), _MESSAGES["value_error"]
        )
    return _MESSAGES.get(error["type"], "valeur invalide")


def readable_path(resource_type: str, loc: Iterable[Any]) -> str:
    """A FHIRPath-like location (`Observation.component[0].code`) from a pydantic error location."""
    path = resource_type
    for part in loc:
        if isinstance(part, int):
            path += f"[{part}]"
        elif isinstance(part, str) and part != "root" and _NAME.fullmatch(part):
            path += f".{part}"
    return path


def expect_resource(body: Any, resource_type: str | None = None) -> dict:
    """The body as a resource object of the expected type, or 400 `structure`."""
    if not isinstance(body, dict):
        raise bad_request("Le corps doit être un objet JSON : une ressource FHIR.", "structure")
    found = body.get("resourceType")
    if resource_type is not None and found != resource_type:
        raise bad_request(
            f"resourceType « {str(found)[:64]} » inattendu : cette adresse attend une ressource "
            f"{resource_type}.",
            "structure",
        )
    return body


def _check_contained(resource: dict) -> None:
    """Contained resources must be of a FHIR type (the models fail obscurely otherwise)."""
    contained = resource.get("contained")
    for index, item in enumerate(contained if isinstance(contained, list) else []):
        kind = item.get("resourceType") if isinstance(item, dict) else None
        try:
            get_fhir_model_class(str(kind))
        except ValueError:
            expression = f"{resource['resourceType']}.contained[{index}].resourceType"
            raise invalid(
                f"{expression} « {str(kind)[:64]} » n'est pas un type de ressource FHIR.",
                expression,
                "structure",
            ) from None


@cache
def _temporal_fields(resource_type: str) -> frozenset[str]:
    """Top-level date, dateTime, instant and time elements of a type's model."""
    fields = MODELS[resource_type].model_fields
    return frozenset(name for name, info in fields.items() if "datetime." in str(info.annotation))


def _check_temporal_text(resource: dict) -> None:
    # The R4B models also take numbers (as epoch seconds) for these; FHIR JSON wants text.
    resource_type = resource["resourceType"]
    for name in _temporal_fields(resource_type) & resource.keys():
        if not isinstance(resource[name], str):
            expression = f"{resource_type}.{name}"
            raise invalid(
                f"{expression} doit être une date écrite en texte (AAAA-MM-JJ ou "
                "AAAA-MM-JJThh:mm:ss+hh:mm).",
                expression,
                "structure",
            )


def validate_model(resource: dict) -> None:
    """Validate against the FHIR R4B model of its type; 422 naming each faulty element."""
    resource_type = resource["resourceType"]
    _check_contained(resource)
    try:
        MODELS[resource_type].model_validate(resource)
    except ValidationError as exc:
        issues = [
            Issue(
                "required" if err["type"] == "missing" else "structure",
                f"{readable_path(resource_type, err['loc'])} : {_message(err)}",
                readable_path(resource_type, err["loc"]),
            )
            for err in exc.errors()[:_MAX_ISSUES]
        ]
        summary = " ; ".join(issue.diagnostics for issue in issues[:5])
        raise FhirError(
            422, issues[0].code, f"Ressource {resource_type} invalide : {summary}.", issues=issues
        ) from exc
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        # fhir.resources raises these (not ValidationError) for some odd shapes: still the
        # client's input, so still a 422.
        raise FhirError(
            422,
            "structure",
            f"Ressource {resource_type} invalide : une ressource imbriquée ou un élément a une "
            "forme inattendue.",
        ) from exc
    _check_temporal_text(resource)


def require_code(
    value: Any, allowed: Iterable[str], expression: str, *, required: bool = True
) -> None:
    """422 unless `value` is one of the `allowed` codes (the bindings the R4B models skip)."""
    allowed = tuple(allowed)
    if value is None and not required:
        return
    if value is None:
        raise invalid(
            f"{expression} est obligatoire (valeurs : {', '.join(allowed)}).",
            expression,
            "required",
        )
    if value not in allowed:
        raise invalid(
            f"{expression} « {str(value)[:64]} » n'est pas une valeur admise "
            f"({', '.join(allowed)}).",
            expression,
            "value",
        )


_CLIENT_META = ("security", "tag", "source", "versionId", "lastUpdated")


def without_client_fields(resource: dict) -> dict:
    """The resource without what only the server sets: `id`, meta labels, source and version."""
    clean = {key: value for key, value in resource.items() if key != "id"}
    meta = clean.get("meta")
    if isinstance(meta, dict):
        meta = {key: value for key, value in meta.items() if key not in _CLIENT_META}
        if meta:
            clean["meta"] = meta
        else:
            del clean["meta"]
    return clean


def referenced_patient(reference: Any, fhir_base: str) -> str | None:
    """The id in `Patient/<id>` (relative or under our FHIR base); None for anything else."""
    if not isinstance(reference, str):
        return None
    local = reference.removeprefix(f"{fhir_base}/")
    kind, _, patient_id = local.partition("/")
    return patient_id if kind == "Patient" and patient_id and "/" not in patient_id else None


def check_patient_reference(
    value: Any, expression: str, ctx: AccessContext, fhir_base: str
) -> None:
    """A reference naming the patient must name the token's patient: 403 for another one, 422
    when it is not a `Patient/<id>` reference at all."""
    reference = value.get("reference") if isinstance(value, dict) else None
    patient_id = referenced_patient(reference, fhir_base)
    if patient_id is None:
        raise invalid(
            f"{expression} doit être une référence « Patient/<id> » au patient du jeton.",
            expression,
        )
    if patient_id != ctx.patient_id:
        raise forbidden(
            f"{expression} désigne un autre patient : une application n'écrit que "
            "dans le dossier du patient qui l'a autorisée."
        )


def set_subject(resource: dict, ctx: AccessContext, fhir_base: str) -> None:
    """`subject` is the token's patient: set when absent, 403 when it names another patient."""
    if "subject" not in resource:
        resource["subject"] = {"reference": f"Patient/{ctx.patient_id}"}
        return
    check_patient_reference(
        resource["subject"], f"{resource['resourceType']}.subject", ctx, fhir_base
    )
    resource["subject"] = {**resource["subject"], "reference": f"Patient/{ctx.patient_id}"}
