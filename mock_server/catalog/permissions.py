"""Permissions on the wire (SMART v2 scopes, DESIGN §5) and in words (what the patient reads).

Measures are Observations restricted by LOINC code, documents are DocumentReferences restricted by
our document-group category, the agenda is Appointment as a whole. Reading is `rs`; writing is `c`
(measures and documents are only ever added) or `cu` for the agenda (appointments get rescheduled).
"""

from __future__ import annotations

from typing import Final

from pydantic import ValidationError

from mock_server.catalog.labels import LABELS, check_language
from mock_server.catalog.models import ALL, Permission, ServiceSheet
from mock_server.reference import (
    DOCUMENT_GROUP_SYSTEM,
    LOINC,
    measure_by_key,
    measure_by_loinc,
)
from mock_server.scopes import InvalidScope, parse_resource_scope

IDENTITY_SCOPES: Final = ("openid", "fhirUser", "offline_access")
"""Scopes every store service asks for besides its data (login, who the user is, refresh)."""

_RESOURCE: Final = {"measures": "Observation", "documents": "DocumentReference",
                    "agenda": "Appointment"}
_DATA_CLASS: Final = {resource: data_class for data_class, resource in _RESOURCE.items()}
_SUFFIX: Final = {
    ("read", "measures"): "rs", ("read", "documents"): "rs", ("read", "agenda"): "rs",
    ("write", "measures"): "c", ("write", "documents"): "c", ("write", "agenda"): "cu",
}
_FILTER: Final = {"measures": "code", "documents": "category"}
"""The search parameter that narrows each data class to one subtype."""


def scope_for(permission: Permission) -> str:
    """The SMART v2 scope granting exactly this permission."""
    data_class = permission.data_class
    scope = f"patient/{_RESOURCE[data_class]}.{_SUFFIX[permission.access, data_class]}"
    if permission.subtype == ALL:
        return scope
    return f"{scope}?{_FILTER[data_class]}={_token(data_class, permission.subtype)}"


def requested_scopes(service: ServiceSheet) -> list[str]:
    """What the service puts in its authorization request: its data scopes, then identity ones."""
    scopes = [scope_for(p) for p in service.permissions]
    return list(dict.fromkeys([*scopes, *IDENTITY_SCOPES]))


def permission_from_scope(scope: str) -> Permission:
    """The permission a scope stands for; `InvalidScope` (French reason) when it stands for none."""
    parsed = parse_resource_scope(scope)
    if parsed.context != "patient":
        raise InvalidScope(f"« {scope} » : seules les portées patient/… correspondent à une "
                           "permission du catalogue.")
    data_class = _DATA_CLASS.get(parsed.resource_type)
    if data_class is None:
        raise InvalidScope(f"« {scope} » : {parsed.resource_type} ne correspond à aucune donnée "
                           "du catalogue (mesures, documents, agenda).")
    access = _access(scope, data_class, parsed.interactions)
    subtype = _subtype(scope, data_class, parsed.params)
    try:
        return Permission(data_class=data_class, subtype=subtype, access=access)
    except ValidationError as exc:
        raise InvalidScope(f"« {scope} » : {exc.errors()[0]['msg']}") from None


def describe(permission: Permission, lang: str = "fr") -> str:
    """The sentence the patient reads, e.g. « Lire vos mesures de poids »."""
    labels = LABELS[check_language(lang)]
    key = f"{permission.data_class}.{permission.access}"
    if permission.subtype == ALL:
        return labels["sentences"][f"{key}.{ALL}"]
    subject = labels[permission.data_class][permission.subtype]
    return labels["sentences"][key].format(subject=subject)


def _token(data_class: str, subtype: str) -> str:
    if data_class == "measures":
        return f"{LOINC}|{measure_by_key()[subtype].loinc_code}"
    return f"{DOCUMENT_GROUP_SYSTEM}|{subtype}"


def _access(scope: str, data_class: str, interactions: frozenset[str]) -> str:
    for access in ("read", "write"):
        if interactions == frozenset(_SUFFIX[access, data_class]):
            return access
    raise InvalidScope(
        f"« {scope} » : droits « {''.join(sorted(interactions, key='cruds'.index))} » sans "
        f"équivalent ; lecture = {_SUFFIX['read', data_class]}, "
        f"écriture = {_SUFFIX['write', data_class]}.")


def _subtype(scope: str, data_class: str, params: tuple[tuple[str, str], ...]) -> str:
    if not params:
        return ALL
    expected = _FILTER.get(data_class)
    if expected is None or len(params) != 1 or params[0][0] != expected:
        allowed = f"seul le filtre {expected}=… est admis" if expected else "aucun filtre admis"
        raise InvalidScope(f"« {scope} » : restriction non prise en charge ({allowed}).")
    system, _, code = params[0][1].partition("|")
    if data_class == "measures":
        measure = measure_by_loinc().get(code)
        if system != LOINC or measure is None:
            raise InvalidScope(f"« {scope} » : {params[0][1]} n'est le code LOINC d'aucune "
                               "mesure de santé.")
        return measure.key
    if system != DOCUMENT_GROUP_SYSTEM:
        raise InvalidScope(f"« {scope} » : la catégorie doit être un groupe de documents "
                           f"({DOCUMENT_GROUP_SYSTEM}|<groupe>).")
    return code
