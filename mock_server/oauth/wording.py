"""Plain French sentences for SMART scopes, shown to the patient instead of scope strings.

"patient/Observation.rs?code=http://loinc.org|29463-7" reads "Lire vos mesures (poids)."
Names come from the reference data (measures, document groups and types); a restriction this
module does not know is shown as it is rather than guessed.
"""

from __future__ import annotations

from dataclasses import dataclass

from mock_server.reference import (
    DOCUMENT_GROUP_SYSTEM,
    LOINC,
    OBSERVATION_CATEGORY_SYSTEM,
    document_group_by_key,
    document_type_by_code,
    measure_by_loinc,
)
from mock_server.scopes import ResourceScope, parse_resource_scope

_OBJECTS = {
    "*": "toutes vos données de santé",
    "Observation": "vos mesures",
    "DocumentReference": "vos documents de santé",
    "Binary": "le contenu de vos documents",
    "Appointment": "vos rendez-vous",
    "Patient": "votre identité et vos coordonnées",
    "Device": "les appareils qui ont produit vos mesures",
    "Consent": "vos consentements",
    "AuditEvent": "l'historique des accès à vos données",
}

_CATEGORIES = {
    "vital-signs": "signes vitaux",
    "laboratory": "résultats de laboratoire",
}

_VERBS = (("c", "ajouter"), ("u", "modifier"), ("d", "supprimer"))


@dataclass(frozen=True)
class Permission:
    """One requested resource scope, as the consent page shows it."""

    scope: str
    sentence: str
    access: str
    """'read', 'write' or 'read-write' (DESIGN §5: write never implies read)."""
    reason: str | None = None
    """Why the service asks for it, from its store sheet (catalogue services only)."""


def describe(raw: str) -> Permission:
    """The permission a resource scope stands for, in a French sentence."""
    parsed = parse_resource_scope(raw)
    sentence = f"{_verbs(parsed.interactions)} {_object(parsed)}."
    return Permission(raw, sentence[0].upper() + sentence[1:], _access(parsed.interactions))


def _access(interactions: frozenset[str]) -> str:
    reads = bool(interactions & {"r", "s"})
    writes = bool(interactions & {"c", "u", "d"})
    if reads and writes:
        return "read-write"
    return "read" if reads else "write"


def _verbs(interactions: frozenset[str]) -> str:
    words = []
    if "r" in interactions:
        words.append("lire")
    elif "s" in interactions:
        words.append("rechercher dans")
    words += [word for letter, word in _VERBS if letter in interactions]
    if len(words) == 1:
        return words[0]
    return ", ".join(words[:-1]) + " et " + words[-1]


def _object(scope: ResourceScope) -> str:
    noun = _OBJECTS.get(scope.resource_type, scope.resource_type)
    details = [_restriction(scope.resource_type, name, value) for name, value in scope.params]
    return f"{noun} ({', '.join(details)})" if details else noun


def _restriction(resource_type: str, name: str, value: str) -> str:
    system, _, code = value.rpartition("|")
    if name == "code" and system == LOINC and code in measure_by_loinc():
        return _lower_first(measure_by_loinc()[code].label)
    if name == "category" and system == DOCUMENT_GROUP_SYSTEM and code in document_group_by_key():
        return f"groupe « {document_group_by_key()[code].label} »"
    if name == "category" and system == OBSERVATION_CATEGORY_SYSTEM and code in _CATEGORIES:
        return _CATEGORIES[code]
    if name == "type" and (system, code) in document_type_by_code():
        return _lower_first(document_type_by_code()[(system, code)].label)
    return f"{name} = {value}"


def _lower_first(label: str) -> str:
    """'Poids' -> 'poids', but 'IMC' stays 'IMC'."""
    if len(label) > 1 and label[1].islower():
        return label[0].lower() + label[1:]
    return label
