"""Permissions of the register (DESIGN §5): what a scope stands for, what a request needs.

A permission is the catalogue's `Permission` (data class, subtype, access). Scopes of the catalogue
shape map to exactly one (`mock_server.catalog.permission_from_scope`); the other shapes outside
clients may ask for (`patient/*.rs`, `patient/Observation.r`, a restriction on another parameter)
stand for every permission they touch, with subtype `all` when the restriction names no measure
or document group. The grant may therefore be wider than a token's scope, never the reverse:
effective access is the intersection of both.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Final

from pydantic import ValidationError

from mock_server.catalog import Permission, describe, permission_from_scope, scope_for
from mock_server.catalog.models import ALL
from mock_server.reference import (
    DOCUMENT_GROUP_SYSTEM,
    LOINC,
    document_group_by_key,
    measure_by_loinc,
)
from mock_server.scopes import InvalidScope, parse_resource_scope

DATA_CLASSES: Final = ("measures", "documents", "agenda")
ACCESSES: Final = ("read", "write")

DATA_CLASS_OF_TYPE: Final = {
    "Observation": "measures",
    "DocumentReference": "documents",
    "Binary": "documents",
    "Appointment": "agenda",
}
"""FHIR resource type -> data class; other types (Patient, Device...) belong to none."""

ACCESS_OF_LETTER: Final = {"r": "read", "s": "read", "c": "write", "u": "write", "d": "write"}
"""SMART interaction letter -> access. Write never implies read."""

_SUBTYPE_FILTER: Final = {"measures": "code", "documents": "category"}

CLASS_WORDS: Final = {"measures": "vos mesures de santé", "documents": "vos documents",
                      "agenda": "votre agenda"}
ACCESS_WORDS: Final = {"read": "lecture", "write": "écriture"}


def data_class_of(resource_type: str) -> str | None:
    return DATA_CLASS_OF_TYPE.get(resource_type)


def scope_permissions(scope: str) -> tuple[Permission, ...]:
    """The permissions one resource scope stands for in the register (none for system scopes
    or types outside the three data classes)."""
    try:
        return (permission_from_scope(scope),)
    except InvalidScope:
        pass
    parsed = parse_resource_scope(scope)
    if parsed.context == "system":
        return ()
    if parsed.resource_type == "*":
        classes = DATA_CLASSES
    else:
        data_class = data_class_of(parsed.resource_type)
        classes = (data_class,) if data_class else ()
    accesses = sorted({ACCESS_OF_LETTER[letter] for letter in parsed.interactions},
                      key=ACCESSES.index)
    found = []
    for data_class in classes:
        subtype = _subtype(data_class, parsed.params)
        for access in accesses:
            try:
                found.append(Permission(data_class=data_class, subtype=subtype, access=access))
            except ValidationError:
                continue  # e.g. writing the BMI: the platform computes it, nobody may write it
    return tuple(found)


def _subtype(data_class: str, params: tuple[tuple[str, str], ...]) -> str:
    """The measure or document group a restriction names, or `all` when it names none."""
    expected = _SUBTYPE_FILTER.get(data_class)
    named = set()
    for name, value in params:
        system, _, code = value.partition("|")
        if name != expected:
            continue
        if data_class == "measures" and system == LOINC and code in measure_by_loinc():
            named.add(measure_by_loinc()[code].key)
        elif system == DOCUMENT_GROUP_SYSTEM and code in document_group_by_key():
            named.add(code)
    return named.pop() if len(named) == 1 else ALL


def permissions_of_scopes(scopes: Iterable[str]) -> tuple[Permission, ...]:
    """Every permission the resource scopes stand for, once each, in the register's order."""
    found = {p for scope in scopes for p in scope_permissions(scope)}
    return ordered(found)


def ordered(permissions: Iterable[Permission]) -> tuple[Permission, ...]:
    """Class (measures, documents, agenda), then subtype (`all` first), then read before write."""
    return tuple(sorted(set(permissions), key=lambda p: (
        DATA_CLASSES.index(p.data_class), p.subtype != ALL, p.subtype, ACCESSES.index(p.access))))


def covers(permissions: Iterable[Permission], data_class: str, access: str,
           subtype: str | None = None) -> bool:
    """True when a permission grants `access` on `data_class`: on any of its subtypes when
    `subtype` is None, else on that subtype (a permission on `all` covers every subtype)."""
    return any(
        p.data_class == data_class and p.access == access
        and (subtype is None or p.subtype in (ALL, subtype))
        for p in permissions
    )


def group_key(permission: Permission) -> str:
    """The `categorie` granularity's unit: data class × access, e.g. `measures.read`."""
    return f"{permission.data_class}.{permission.access}"


def group_label(key: str) -> str:
    """« Vos mesures de santé (lecture) »."""
    data_class, access = key.split(".")
    words = CLASS_WORDS[data_class]
    return f"{words[0].upper()}{words[1:]} ({ACCESS_WORDS[access]})"


def permission_json(permission: Permission) -> dict:
    """A permission as the patient API shows it: its triple, its sentence and its scope."""
    return {"data_class": permission.data_class, "subtype": permission.subtype,
            "access": permission.access, "sentence": describe(permission),
            "scope": scope_for(permission)}


def dump_permissions(permissions: Iterable[Permission]) -> str:
    """The stored form: a JSON list of [data_class, subtype, access]."""
    return json.dumps([[p.data_class, p.subtype, p.access] for p in ordered(permissions)])


def load_permissions(text: str) -> tuple[Permission, ...]:
    """The stored form back; it was validated when written, so it is trusted (no re-validation
    on the hot path of every service request)."""
    return tuple(Permission.model_construct(data_class=d, subtype=s, access=a)
                 for d, s, a in json.loads(text))
