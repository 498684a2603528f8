"""Permissions <-> SMART v2 scopes (DESIGN §5) and the sentences the patient reads."""

from __future__ import annotations

import pytest

from mock_server.catalog import (
    Catalog,
    Permission,
    describe,
    permission_from_scope,
    requested_scopes,
    scope_for,
)
from mock_server.catalog.labels import LANGUAGES
from mock_server.reference import DOCUMENT_GROUP_SYSTEM, document_groups, measure_types
from mock_server.scopes import InvalidScope, ScopeSet, parse_resource_scope, validate_scope_string


def _every_possible_permission() -> list[Permission]:
    out = [Permission(data_class=c, subtype="all", access=a)
           for c in ("agenda", "documents", "measures") for a in ("read", "write")]
    out += [Permission(data_class="measures", subtype=m.key, access=a)
            for m in measure_types() for a in ("read", "write") if a == "read" or m.writable]
    out += [Permission(data_class="documents", subtype=g.key, access=a)
            for g in document_groups() for a in ("read", "write")]
    return out


POSSIBLE = _every_possible_permission()


def _name(permission: Permission) -> str:
    return f"{permission.data_class}-{permission.subtype}-{permission.access}"


def test_every_catalogue_permission_round_trips_through_its_scope(catalog: Catalog) -> None:
    for service in catalog.services:
        for requested in service.permissions:
            assert permission_from_scope(scope_for(requested)) == requested.permission


@pytest.mark.parametrize("permission", POSSIBLE, ids=_name)
def test_every_possible_permission_round_trips_and_parses(permission: Permission) -> None:
    scope = scope_for(permission)
    parse_resource_scope(scope)
    assert permission_from_scope(scope) == permission


def test_every_service_scope_string_is_valid_for_the_server(catalog: Catalog) -> None:
    for service in catalog.services:
        scopes = requested_scopes(service)
        assert validate_scope_string(" ".join(scopes)) == scopes
        assert scopes[-3:] == ["openid", "fhirUser", "offline_access"]
        assert len(scopes) == len(set(scopes))


@pytest.mark.parametrize(("permission", "scope"), [
    (("measures", "body_weight", "read"), "patient/Observation.rs?code=http://loinc.org|29463-7"),
    (("measures", "blood_pressure", "write"), "patient/Observation.c?code=http://loinc.org|85354-9"),
    (("measures", "all", "read"), "patient/Observation.rs"),
    (("documents", "biologie", "read"),
     f"patient/DocumentReference.rs?category={DOCUMENT_GROUP_SYSTEM}|biologie"),
    (("documents", "comptes-rendus", "write"),
     f"patient/DocumentReference.c?category={DOCUMENT_GROUP_SYSTEM}|comptes-rendus"),
    (("documents", "all", "write"), "patient/DocumentReference.c"),
    (("agenda", "all", "read"), "patient/Appointment.rs"),
    (("agenda", "all", "write"), "patient/Appointment.cu"),
])
def test_scope_for_follows_smart_v2(permission: tuple[str, str, str], scope: str) -> None:
    data_class, subtype, access = permission
    assert scope_for(Permission(data_class=data_class, subtype=subtype, access=access)) == scope


def test_a_measure_scope_lets_the_resource_server_allow_that_measure_only() -> None:
    glucose = Permission(data_class="measures", subtype="glucose", access="read")
    scopes = ScopeSet([scope_for(glucose)])
    assert scopes.permits("Observation", "r", {"code": ["http://loinc.org|2345-7"]})
    assert not scopes.permits("Observation", "r", {"code": ["http://loinc.org|29463-7"]})
    assert not scopes.allows_type("Observation", "c")


def test_write_scope_does_not_grant_read() -> None:
    scopes = ScopeSet([scope_for(Permission(data_class="agenda", subtype="all", access="write"))])
    assert scopes.allows_type("Appointment", "c") and scopes.allows_type("Appointment", "u")
    assert not scopes.allows_type("Appointment", "r")


@pytest.mark.parametrize(("scope", "reason"), [
    ("user/Observation.rs", "seules les portées patient/"),
    ("patient/Patient.rs", "Patient ne correspond à aucune donnée"),
    ("patient/Observation.crs", "droits « crs » sans équivalent"),
    ("patient/Appointment.c", "droits « c » sans équivalent"),
    ("patient/Observation.rs?code=http://loinc.org|0000-0", "n'est le code LOINC d'aucune mesure"),
    ("patient/Observation.rs?code=http://snomed.info/sct|29463-7", "n'est le code LOINC"),
    ("patient/Observation.c?code=http://loinc.org|39156-5", "calculée par la plateforme"),
    ("patient/Observation.rs?category=vital-signs", "seul le filtre code=… est admis"),
    ("patient/DocumentReference.rs?category=http://example.org|biologie", "groupe de documents"),
    (f"patient/DocumentReference.rs?category={DOCUMENT_GROUP_SYSTEM}|radio",
     "groupe de documents « radio » inconnu"),
    ("patient/Appointment.rs?date=2026-01-01", "aucun filtre admis"),
    ("patient/Observation", "n'est pas une portée SMART"),
])
def test_scope_without_a_catalogue_permission_is_refused_in_french(scope: str, reason: str) -> None:
    with pytest.raises(InvalidScope) as caught:
        permission_from_scope(scope)
    assert reason in str(caught.value)
    assert scope in str(caught.value)


def test_v1_read_scope_is_understood_as_read() -> None:
    assert permission_from_scope("patient/Appointment.read") == Permission(
        data_class="agenda", subtype="all", access="read")


@pytest.mark.parametrize(("permission", "french", "english"), [
    (("measures", "body_weight", "read"), "Lire vos mesures de poids",
     "Read your weight measurements"),
    (("measures", "glucose", "write"), "Ajouter des mesures de glycémie",
     "Add blood glucose measurements"),
    (("measures", "all", "read"), "Lire toutes vos mesures de santé",
     "Read all your health measurements"),
    (("documents", "biologie", "read"), "Lire vos documents de biologie",
     "Read your laboratory documents"),
    (("documents", "imagerie", "write"), "Ajouter des documents d'imagerie médicale",
     "Add medical imaging documents"),
    (("documents", "all", "read"), "Lire tous vos documents", "Read all your documents"),
    (("agenda", "all", "read"), "Lire votre agenda", "Read your calendar"),
    (("agenda", "all", "write"), "Ajouter et modifier des rendez-vous dans votre agenda",
     "Add and change appointments in your calendar"),
])
def test_describe_says_it_in_french_and_english(
    permission: tuple[str, str, str], french: str, english: str,
) -> None:
    data_class, subtype, access = permission
    p = Permission(data_class=data_class, subtype=subtype, access=access)
    assert describe(p) == french
    assert describe(p, lang="en") == english


@pytest.mark.parametrize("permission", POSSIBLE, ids=_name)
def test_every_permission_has_a_distinct_sentence_per_language(permission: Permission) -> None:
    sentences = [describe(permission, lang) for lang in LANGUAGES]
    assert all(sentences) and len(set(sentences)) == len(LANGUAGES)


def test_describe_refuses_an_unknown_language() -> None:
    p = Permission(data_class="agenda", subtype="all", access="read")
    with pytest.raises(ValueError, match="Langue « de » non prise en charge ; langues possibles"):
        describe(p, lang="de")
