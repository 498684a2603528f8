"""How an exchange reads to the patient: data class, direction, subtype, and the "new data" words.

Pure functions over what the FHIR request said (type, interaction, query string); the recorder
adds what only storage knows (the subtype of the resources read or written).
"""

from __future__ import annotations

from typing import Final
from urllib.parse import parse_qsl

from mock_server.catalog.labels import label
from mock_server.reference import (
    DOCUMENT_GROUP_SYSTEM,
    LOINC,
    document_group_by_key,
    document_type_by_code,
    measure_by_loinc,
)

DATA_CLASSES: Final = ("measures", "documents", "agenda", "other")
DIRECTIONS: Final = ("read", "write")
OUTCOMES: Final = ("allowed", "denied", "failed")
ALL: Final = "all"
"""Subtype of a request that spans a whole data class (a search without a code or group filter)."""

_DATA_CLASS: Final = {
    "Observation": "measures",
    # The only transaction served writes one measure (and its Device).
    "Bundle": "measures",
    "DocumentReference": "documents",
    "Binary": "documents",
    "Appointment": "agenda",
}
_WRITES: Final = frozenset({"create", "update", "transaction"})


def data_class_of(resource_type: str) -> str:
    """`measures`, `documents`, `agenda`, or `other` (Patient, Consent, AuditEvent...)."""
    return _DATA_CLASS.get(resource_type, "other")


def direction_of(interaction: str) -> str:
    return "write" if interaction in _WRITES else "read"


def _measure_key(token: str) -> str | None:
    system, sep, code = token.partition("|")
    if sep and system not in ("", LOINC):
        return None
    measure = measure_by_loinc().get(code if sep else token)
    return measure.key if measure else None


def _group_key(name: str, token: str) -> str | None:
    system, sep, code = token.partition("|")
    if name == "type":
        doc_type = document_type_by_code().get((system, code)) if sep else None
        return doc_type.group.key if doc_type else None
    key = code if sep and system == DOCUMENT_GROUP_SYSTEM else token
    return key if key in document_group_by_key() else None


def subtype_from_query(resource_type: str, query: str) -> str | None:
    """The subtype a search asked for: one key, several joined by commas, `all` when it filters
    on none, or None when a filter names something that is no subtype (e.g. an XDS class code)."""
    if resource_type == "Appointment":
        return ALL
    if resource_type == "Observation":
        names, key_of = ("code",), lambda _name, token: _measure_key(token)
    elif resource_type == "DocumentReference":
        names, key_of = ("category", "type"), _group_key
    else:
        return None
    keys: list[str | None] = [
        key_of(name, token)
        for name, raw in parse_qsl(query, keep_blank_values=True)
        if name in names
        for token in raw.split(",")
    ]
    if not keys:
        return ALL
    if None in keys:
        return None
    return ",".join(dict.fromkeys(k for k in keys if k is not None))


def path_resource(path: str) -> tuple[str, str] | None:
    """(type, id) of a `/fhir/<Type>/<id>` path, else None."""
    parts = path.split("/")
    if len(parts) == 4 and parts[1] == "fhir" and parts[2] and parts[3]:
        return parts[2], parts[3]
    return None


def new_data_message(data_class: str, subtype: str | None, interaction: str, service: str) -> str:
    """The French sentence of a `new_data` event, e.g. « Nouveau document de biologie écrit par
    CHU des Belles Rives »."""
    if data_class == "agenda":
        if interaction == "update":
            return f"Rendez-vous modifié par {service}"
        return f"Nouveau rendez-vous ajouté par {service}"
    if data_class == "documents":
        if subtype in document_group_by_key():
            return f"Nouveau document {label('fr', 'documents', subtype)} écrit par {service}"
        return f"Nouveau document écrit par {service}"
    measure = (subtype or "").split(",")[0]
    if measure and measure != ALL:
        return f"Nouvelle mesure de {label('fr', 'measures', measure)} écrite par {service}"
    return f"Nouvelle mesure écrite par {service}"
