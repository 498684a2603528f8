"""Helpers for the FHIR API tests: tokens with a chosen scope, valid payloads, direct inserts."""

from __future__ import annotations

import base64
from collections.abc import Callable
from datetime import datetime

import pytest
from sqlalchemy import Engine

from mock_server.reference import (
    DOCUMENT_GROUP_SYSTEM,
    LOINC,
    OBSERVATION_CATEGORY_SYSTEM,
    UCUM,
    document_types,
    measure_by_key,
)
from mock_server.simulation.clock import Clock
from mock_server.storage.resources import insert_records, record_for
from tests.conftest import mint_patient_token

FHIR_JSON = "application/fhir+json"


def auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def write_headers(token: str) -> dict[str, str]:
    return {**auth(token), "Content-Type": FHIR_JSON}


def measure(key: str, value: float, when: str = "2026-11-26T08:00:00+01:00", **extra) -> dict:
    """A valid Observation for one of the single-value measures."""
    m = measure_by_key()[key]
    return {
        "resourceType": "Observation",
        "meta": {"profile": [m.profile_url]},
        "status": "final",
        "category": [{"coding": [{"system": OBSERVATION_CATEGORY_SYSTEM, "code": "vital-signs"}]}],
        "code": {"coding": [{"system": LOINC, "code": m.loinc_code, "display": m.loinc_display}]},
        "effectiveDateTime": when,
        "valueQuantity": {"value": value, "unit": m.ucum_unit, "system": UCUM, "code": m.ucum_code},
        **extra,
    }


def blood_pressure(
    systolic: float, diastolic: float, when: str = "2026-11-26T08:00:00+01:00"
) -> dict:
    m = measure_by_key()["blood_pressure"]
    resource = measure("body_weight", 1, when)
    del resource["valueQuantity"]
    resource["meta"] = {"profile": [m.profile_url]}
    resource["code"] = {"coding": [{"system": LOINC, "code": m.loinc_code}]}
    resource["component"] = [
        {
            "code": {"coding": [{"system": LOINC, "code": c.loinc_code}]},
            "valueQuantity": {"value": v, "unit": c.ucum_unit, "system": UCUM, "code": c.ucum_code},
        }
        for c, v in zip(m.components, (systolic, diastolic), strict=True)
    ]
    return resource


def document(
    content: bytes = b"Compte rendu de consultation du 20/11/2026.",
    *,
    type_index: int = 0,
    content_type: str = "text/plain",
) -> dict:
    """A valid DocumentReference with its content inline (base64)."""
    doc_type = document_types()[type_index]
    return {
        "resourceType": "DocumentReference",
        "status": "current",
        "type": {"coding": [{"system": doc_type.type_system, "code": doc_type.type_code}]},
        "description": "Document de test",
        "content": [
            {
                "attachment": {
                    "contentType": content_type,
                    "data": base64.b64encode(content).decode(),
                }
            }
        ],
    }


def appointment(
    start: str = "2026-12-03T10:00:00+01:00",
    end: str = "2026-12-03T10:30:00+01:00",
    status: str = "booked",
    **extra,
) -> dict:
    return {
        "resourceType": "Appointment",
        "status": status,
        "description": "Consultation de suivi",
        "start": start,
        "end": end,
        "participant": [{"actor": {"display": "Dr Claire Bernard"}, "status": "accepted"}],
        **extra,
    }


def group_token(key: str) -> str:
    return f"{DOCUMENT_GROUP_SYSTEM}|{key}"


@pytest.fixture
def token_for(engine: Engine, clock: Clock) -> Callable[..., str]:
    """Mint a token with any scope (default user: Camille, default client: ens-consent-app)."""

    def mint(
        scope: str, username: str = "camille.martin", client_id: str = "ens-consent-app"
    ) -> str:
        return mint_patient_token(
            engine, clock, username, scope=f"openid fhirUser {scope}", client_id=client_id
        )

    return mint


@pytest.fixture
def insert(engine: Engine, clock: Clock) -> Callable[..., str]:
    """Insert a resource directly in storage (as the seed does); returns its id."""

    def put(resource: dict, patient_id: str, last_updated: datetime | None = None) -> str:
        with engine.begin() as conn:
            insert_records(
                conn,
                [
                    record_for(
                        resource, patient_id=patient_id, last_updated=last_updated or clock.now()
                    )
                ],
            )
        return resource["id"]

    return put
