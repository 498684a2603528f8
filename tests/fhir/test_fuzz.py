"""Fuzzing the query string and bodies: client input never gets a 500."""

from __future__ import annotations

import asyncio

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mock_server.app import create_app
from tests.conftest import BASE_URL, mint_patient_token
from tests.fhir.conftest import appointment, blood_pressure, document, measure, write_headers

NAMES = st.sampled_from(
    [
        "code",
        "date",
        "patient",
        "subject",
        "category",
        "type",
        "status",
        "_count",
        "_offset",
        "_sort",
        "_format",
        "_include",
        "foo",
        "code:text",
    ]
)
VALUES = st.one_of(
    st.text(max_size=40),
    st.sampled_from(
        [
            "ge2026-01-01",
            "lt2026",
            "eq2026-13-45",
            "2026-11-26T10:00:00+01:00",
            "9999-12-31",
            "0000-01-01",
            "http://loinc.org|",
            "|29463-7",
            "-1",
            "1e9",
            "100",
            "99999999999999999999",
            "date",
            "-date",
            ",,",
            "Patient/x",
        ]
    ),
)
PARAMS = st.lists(st.tuples(NAMES, VALUES), max_size=6)
TYPES = st.sampled_from(["Observation", "DocumentReference", "Appointment"])
SCALARS = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=10)
)
JSON = st.recursive(
    SCALARS,
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=12), children, max_size=4)
    ),
    max_leaves=12,
)
FIELDS = st.sampled_from(
    [
        "status",
        "code",
        "subject",
        "valueQuantity",
        "component",
        "category",
        "meta",
        "effectiveDateTime",
        "device",
        "contained",
        "participant",
        "start",
        "content",
        "type",
        "id",
    ]
)


@pytest.fixture
def fuzz_app(settings, clock, engine):
    """The app without rate limit (fuzzing sends many requests) and a full-access token."""
    application = create_app(
        settings.model_copy(update={"fhir_rate_limit_per_second": 0}), clock=clock
    )
    yield application, mint_patient_token(engine, clock, "camille.martin")
    application.state.platform.engine.dispose()


def _status(app, method: str, path: str, **kwargs) -> int:
    async def go() -> int:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url=BASE_URL) as client:
            return (await client.request(method, path, **kwargs)).status_code

    return asyncio.run(go())


def test_search_parameters_never_cause_a_server_error(fuzz_app):
    app, token = fuzz_app

    @settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(resource_type=TYPES, params=PARAMS)
    def check(resource_type: str, params: list[tuple[str, str]]) -> None:
        status = _status(
            app,
            "GET",
            f"/fhir/{resource_type}",
            params=params,
            headers={"Authorization": f"Bearer {token}"},
        )
        assert status in (200, 400, 406), (resource_type, params, status)

    check()


def test_resource_bodies_never_cause_a_server_error(fuzz_app):
    app, token = fuzz_app

    @settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(resource_type=TYPES, fields=st.dictionaries(FIELDS, JSON, max_size=5))
    def check(resource_type: str, fields: dict) -> None:
        status = _status(
            app,
            "POST",
            f"/fhir/{resource_type}",
            json={"resourceType": resource_type, **fields},
            headers=write_headers(token),
        )
        assert status in (201, 400, 403, 422), (resource_type, fields, status)

    check()


ENTRY = st.fixed_dictionaries(
    {},
    optional={
        "fullUrl": st.sampled_from(["urn:uuid:1", "x", ""]),
        "resource": st.one_of(
            JSON,
            st.fixed_dictionaries(
                {"resourceType": st.sampled_from(["Observation", "Device", "Consent", "Nope"])},
                optional={"device": JSON, "identifier": JSON, "patient": JSON},
            ),
        ),
        "request": st.one_of(
            JSON,
            st.fixed_dictionaries(
                {
                    "method": st.sampled_from(["POST", "PUT", "GET"]),
                    "url": st.sampled_from(["Observation", "Device", "Consent"]),
                },
                optional={"ifNoneExist": st.text(max_size=30)},
            ),
        ),
    },
)


def test_transaction_bundles_never_cause_a_server_error(fuzz_app):
    app, token = fuzz_app

    @settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(
        kind=st.sampled_from(["transaction", "batch", None]), entries=st.lists(ENTRY, max_size=3)
    )
    def check(kind: str | None, entries: list[dict]) -> None:
        status = _status(
            app,
            "POST",
            "/fhir",
            json={"resourceType": "Bundle", "type": kind, "entry": entries},
            headers=write_headers(token),
        )
        assert status in (200, 400, 403, 422), (kind, entries, status)

    check()


VALID = {
    "Observation": lambda: measure("body_weight", 70.0),
    "BloodPressure": lambda: blood_pressure(120, 80),
    "DocumentReference": document,
    "Appointment": appointment,
}
PATHS = st.sampled_from(
    [
        ("meta",),
        ("meta", "profile"),
        ("code", "coding"),
        ("category",),
        ("subject",),
        ("subject", "reference"),
        ("valueQuantity",),
        ("valueQuantity", "value"),
        ("valueQuantity", "code"),
        ("component",),
        ("effectiveDateTime",),
        ("device",),
        ("status",),
        ("type",),
        ("content",),
        ("date",),
        ("start",),
        ("end",),
        ("participant",),
    ]
)


def _mutated(payload: dict, path: tuple[str, ...], value) -> dict:
    target = payload
    for key in path[:-1]:
        target = target.setdefault(key, {}) if isinstance(target.get(key), dict | None) else {}
    target[path[-1]] = value
    return payload


def test_mutated_valid_resources_never_cause_a_server_error(fuzz_app):
    app, token = fuzz_app

    @settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(kind=st.sampled_from(sorted(VALID)), path=PATHS, value=JSON)
    def check(kind: str, path: tuple[str, ...], value) -> None:
        payload = _mutated(VALID[kind](), path, value)
        status = _status(
            app,
            "POST",
            f"/fhir/{payload['resourceType']}",
            json=payload,
            headers=write_headers(token),
        )
        assert status in (201, 400, 403, 422), (kind, path, value, status)

    check()
