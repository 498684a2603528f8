"""What a scope stands for in the register, and how long a duration lasts."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from mock_server.catalog import Permission
from mock_server.consent.permissions import covers, scope_permissions
from mock_server.consent.validity import add_months, valid_until
from mock_server.reference import DOCUMENT_GROUP_SYSTEM


def _triples(scope: str) -> set[tuple[str, str, str]]:
    return {(p.data_class, p.subtype, p.access) for p in scope_permissions(scope)}


@pytest.mark.parametrize(("scope", "expected"), [
    ("patient/Observation.rs?code=http://loinc.org|29463-7", {("measures", "body_weight", "read")}),
    ("patient/Observation.r", {("measures", "all", "read")}),
    ("patient/Observation.cruds", {("measures", "all", "read"), ("measures", "all", "write")}),
    ("patient/*.rs", {("measures", "all", "read"), ("documents", "all", "read"),
                      ("agenda", "all", "read")}),
    (f"patient/DocumentReference.s?category={DOCUMENT_GROUP_SYSTEM}|imagerie",
     {("documents", "imagerie", "read")}),
    ("patient/DocumentReference.rs?category=urn:oid:1.2.250.1.213.1.1.4.1|11",
     {("documents", "all", "read")}),
    ("patient/Observation.rs?category=vital-signs", {("measures", "all", "read")}),
    ("patient/Appointment.cu", {("agenda", "all", "write")}),
    ("patient/Binary.r", {("documents", "all", "read")}),
    ("patient/Observation.c?code=http://loinc.org|39156-5", set()),  # BMI: nobody writes it
    ("patient/Patient.r", set()),
    ("system/Observation.rs", set()),
])
def test_scope_stands_for_the_permissions_it_touches(scope, expected):
    assert _triples(scope) == expected


def test_a_permission_on_all_covers_every_subtype_and_write_never_covers_read():
    granted = [Permission(data_class="measures", subtype="all", access="write"),
               Permission(data_class="documents", subtype="biologie", access="read")]
    assert covers(granted, "measures", "write", "glucose")
    assert not covers(granted, "measures", "read", "glucose")
    assert covers(granted, "documents", "read")
    assert not covers(granted, "documents", "read", "imagerie")
    assert not covers(granted, "documents", "read", "all")


def test_months_are_calendar_months_clamped_to_the_month_length():
    assert add_months(datetime(2027, 1, 31, 8, tzinfo=UTC), 1) == datetime(2027, 2, 28, 8,
                                                                           tzinfo=UTC)
    assert add_months(datetime(2026, 11, 26, tzinfo=UTC), 12) == datetime(2027, 11, 26,
                                                                          tzinfo=UTC)
    assert valid_until("revocation", datetime(2026, 11, 26, tzinfo=UTC)) is None
