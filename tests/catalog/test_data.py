"""The shipped catalogue: big enough, covers the call for applications, every sheet complete."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable

import pytest

from mock_server.catalog import Catalog, ServiceSheet, load_catalog
from mock_server.catalog.labels import LABELS, LANGUAGES
from mock_server.catalog.models import OfferorKind, UseCase, codes
from mock_server.reference import document_groups, measure_types

OPTIONAL_NOTES = {"price_note", "note"}
"""Fields that are only required in some cases (paid service, no HDS host, suspension)."""


def test_catalogue_has_at_least_thirty_services(catalog: Catalog) -> None:
    assert len(catalog.services) >= 30


def test_catalogue_is_loaded_once(catalog: Catalog) -> None:
    assert load_catalog() is catalog


@pytest.mark.parametrize("use_case", codes(UseCase))
def test_every_use_case_has_at_least_two_services(catalog: Catalog, use_case: str) -> None:
    assert sum(use_case in s.use_cases for s in catalog.services) >= 2


@pytest.mark.parametrize("kind", codes(OfferorKind))
def test_every_offeror_kind_has_at_least_two_services(catalog: Catalog, kind: str) -> None:
    assert Counter(s.offeror_kind for s in catalog.services)[kind] >= 2


def _empty_fields(value: object, path: str = "") -> list[str]:
    """Paths of empty strings, lists or missing values inside a dumped sheet."""
    if isinstance(value, dict):
        return [p for key, item in value.items() if key not in OPTIONAL_NOTES
                for p in _empty_fields(item, f"{path}.{key}")]
    if isinstance(value, list):
        return [path] if not value else [p for i, item in enumerate(value)
                                         for p in _empty_fields(item, f"{path}[{i}]")]
    return [path] if value is None or value == "" else []


def test_every_sheet_is_complete(catalog: Catalog) -> None:
    incomplete = {s.id: _empty_fields(s.model_dump(mode="json")) for s in catalog.services}
    assert {k: v for k, v in incomplete.items() if v} == {}


def test_paid_services_and_uncertified_hosts_carry_their_explanations(catalog: Catalog) -> None:
    for service in catalog.services:
        if service.pricing != "gratuit":
            assert service.price_note, service.id
        if not service.hosting.hds_certified:
            assert service.hosting.note, service.id


def test_most_hosts_are_hds_certified_and_a_few_are_not(catalog: Catalog) -> None:
    uncertified = [s.id for s in catalog.services if not s.hosting.hds_certified]
    assert 1 <= len(uncertified) <= 3


def test_every_referencing_status_appears(catalog: Catalog) -> None:
    assert {s.referencing.status for s in catalog.services} == {"reference", "suspendu", "en-cours"}


def test_every_address_is_fictitious(catalog: Catalog) -> None:
    for service in catalog.services:
        for url in (service.privacy_policy_url, service.terms_url):
            assert url.startswith(f"https://{service.id}.example.fr/")
        assert service.dpo_contact.email.endswith(".example.fr")
        assert service.redirect_path == f"/services/{service.id}/callback"


def _does(data_class: str, subtype: str, access: str) -> Callable[[ServiceSheet], bool]:
    return lambda s: any((p.data_class, p.subtype, p.access) == (data_class, subtype, access)
                         for p in s.permissions)


BEHAVIOURS = {
    "a connected scale writes weight": ("fabricant-objet-connecte", None,
                                        [_does("measures", "body_weight", "write")]),
    "a cuff writes blood pressure": ("fabricant-objet-connecte", None,
                                     [_does("measures", "blood_pressure", "write")]),
    "a meter writes glucose": ("fabricant-objet-connecte", None,
                               [_does("measures", "glucose", "write")]),
    "a step counter writes steps": ("fabricant-objet-connecte", None,
                                    [_does("measures", "steps_by_day", "write")]),
    "a pregnancy app reads weight and blood pressure, writes the agenda": (
        None, "grossesse", [_does("measures", "body_weight", "read"),
                            _does("measures", "blood_pressure", "read"),
                            _does("agenda", "all", "write")]),
    "a hospital portal writes reports and summaries, reads the agenda": (
        "portail-patient-hospitalier", None, [_does("documents", "comptes-rendus", "write"),
                                              _does("documents", "syntheses", "write"),
                                              _does("agenda", "all", "read")]),
    "an appointment platform reads and writes the agenda": (
        "prise-de-rendez-vous", None, [_does("agenda", "all", "read"),
                                       _does("agenda", "all", "write")]),
    "a pharmacy app writes dispensations": (None, "observance",
                                            [_does("documents", "traitement-soins", "write")]),
    "a vaccination record reads prevention documents": (
        None, "carnet-vaccination", [_does("documents", "prevention", "read")]),
    "an adherence app reads prescriptions": (None, "observance",
                                             [_does("documents", "traitement-soins", "read")]),
    "a teleconsultation platform writes reports and the agenda": (
        "teleconsultation", None, [_does("documents", "comptes-rendus", "write"),
                                   _does("agenda", "all", "write")]),
    "an autonomy app coordinates the agenda": (None, "autonomie",
                                               [_does("agenda", "all", "write")]),
    "a well-being app reads steps and weight": (None, "bien-etre",
                                                [_does("measures", "steps_by_day", "read"),
                                                 _does("measures", "body_weight", "read")]),
}


@pytest.mark.parametrize("behaviour", BEHAVIOURS)
def test_catalogue_has_a_service_for_each_simulated_behaviour(
    catalog: Catalog, behaviour: str,
) -> None:
    kind, use_case, checks = BEHAVIOURS[behaviour]
    assert any(
        (kind is None or s.offeror_kind == kind)
        and (use_case is None or use_case in s.use_cases)
        and all(check(s) for check in checks)
        for s in catalog.services
    )


def test_a_paediatric_asthma_app_exists(catalog: Catalog) -> None:
    assert any("asthm" in s.description and "suivi-pathologie" in s.use_cases
               for s in catalog.services)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_labels_cover_exactly_the_codes_and_the_reference(lang: str) -> None:
    labels = LABELS[lang]
    assert tuple(labels["use_cases"]) == codes(UseCase)
    assert tuple(labels["offeror_kinds"]) == codes(OfferorKind)
    assert set(labels["measures"]) == {m.key for m in measure_types()}
    assert set(labels["documents"]) == {g.key for g in document_groups()}
    assert labels["sentences"].keys() == LABELS["fr"]["sentences"].keys()
