"""Every error under /fhir is an OperationOutcome with the right status (checks 46-48, 50)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx
import pytest

from mock_server.app import create_app
from tests.conftest import BASE_URL
from tests.fhir.conftest import FHIR_JSON, auth, measure, write_headers

SMALL_LIMIT = 2048


@asynccontextmanager
async def client_with(settings, clock, **changes) -> AsyncIterator[httpx.AsyncClient]:
    """A client of an app on the test's database, built with changed settings."""
    application = create_app(settings.model_copy(update=changes), clock=clock)
    transport = httpx.ASGITransport(app=application)
    try:
        async with httpx.AsyncClient(transport=transport, base_url=BASE_URL) as c:
            yield c
    finally:
        application.state.platform.engine.dispose()


def _outcome(response, status: int, code: str | tuple[str, ...]) -> dict:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/fhir+json; charset=utf-8"
    issue = response.json()["issue"][0]
    assert issue["severity"] == "error"
    assert issue["code"] in ((code,) if isinstance(code, str) else code)
    assert "Traceback" not in response.text
    return issue


async def test_check_46_oversized_body_is_413_too_costly(client, camille_token, settings):
    huge = measure("heart_rate", 70, note=[{"text": "x" * (settings.max_body_bytes + 1)}])
    response = await client.post(
        "/fhir/Observation", json=huge, headers=write_headers(camille_token)
    )
    _outcome(response, 413, "too-costly")


async def test_check_46_chunked_body_without_length_is_cut_at_the_limit(
    settings, clock, camille_token
):
    async def chunks() -> AsyncIterator[bytes]:
        for _ in range(100):
            yield b" " * 1000

    async with client_with(settings, clock, max_body_bytes=SMALL_LIMIT) as small:
        response = await small.post(
            "/fhir/Observation", content=chunks(), headers=write_headers(camille_token)
        )
    _outcome(response, 413, "too-costly")


async def test_check_46_lying_content_length_cannot_make_the_server_read_more(app, camille_token):
    """Raw ASGI: Content-Length says 10, the client keeps sending; reading stops past the limit."""
    limit = app.state.platform.settings.max_body_bytes
    chunk, sent, status = 64 * 1024, 0, 0

    async def receive() -> dict:
        nonlocal sent
        sent += chunk
        return {"type": "http.request", "body": b" " * chunk, "more_body": sent < limit * 4}

    async def send(message: dict) -> None:
        nonlocal status
        if message["type"] == "http.response.start":
            status = message["status"]

    headers = [
        (b"host", b"localhost"),
        (b"authorization", f"Bearer {camille_token}".encode()),
        (b"content-type", FHIR_JSON.encode()),
        (b"content-length", b"10"),
    ]
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": "/fhir/Observation",
        "raw_path": b"/fhir/Observation",
        "query_string": b"",
        "root_path": "",
        "headers": headers,
        "server": ("localhost", 80),
        "client": ("127.0.0.1", 1234),
    }
    await app(scope, receive, send)
    assert status == 413
    assert sent <= limit + chunk


async def test_check_47_malformed_json_is_400_structure(client, camille_token):
    response = await client.post(
        "/fhir/Observation",
        content=b'{"resourceType": "Observation",',
        headers=write_headers(camille_token),
    )
    issue = _outcome(response, 400, "structure")
    assert "ligne" in issue["diagnostics"]


@pytest.mark.parametrize(
    "body", [b"", b"[1, 2]", b'"text"', b"\xff\xfe", b'{"value": NaN}', b"[" * 100_000]
)
async def test_check_47_bodies_that_are_not_a_resource_are_400(client, camille_token, body):
    response = await client.post(
        "/fhir/Observation", content=body, headers=write_headers(camille_token)
    )
    _outcome(response, 400, "structure")


async def test_check_47_wrong_resource_type_is_400(client, camille_token):
    payload = measure("heart_rate", 70) | {"resourceType": "Patient"}
    response = await client.post(
        "/fhir/Observation", json=payload, headers=write_headers(camille_token)
    )
    issue = _outcome(response, 400, "structure")
    assert "Observation" in issue["diagnostics"]


async def test_check_47_schema_invalid_resource_is_422(client, camille_token):
    payload = measure("heart_rate", 70, valueQuantity=[1])
    response = await client.post(
        "/fhir/Observation", json=payload, headers=write_headers(camille_token)
    )
    _outcome(response, 422, ("structure", "invalid", "required"))


@pytest.mark.parametrize(
    "content_type",
    [None, "text/plain", "application/xml", "application/fhir+json; charset=latin-1"],
)
async def test_check_47_unsupported_content_type_is_415(client, camille_token, content_type):
    headers = auth(camille_token) | ({"Content-Type": content_type} if content_type else {})
    response = await client.post("/fhir/Observation", content=b"{}", headers=headers)
    _outcome(response, 415, "not-supported")


@pytest.mark.parametrize("accept", ["application/fhir+xml", "text/html", "application/json;q=0"])
async def test_check_47_unsupported_accept_is_406(client, camille_token, accept):
    response = await client.get(
        "/fhir/Observation", headers=auth(camille_token) | {"Accept": accept}
    )
    _outcome(response, 406, "not-supported")


@pytest.mark.parametrize(
    "accept",
    [
        "application/fhir+json",
        "application/json",
        "*/*",
        "text/html, application/fhir+json;q=0.9",
        "",
    ],
)
async def test_json_accept_headers_are_served(client, camille_token, accept):
    response = await client.get(
        "/fhir/Observation", headers=auth(camille_token) | {"Accept": accept}
    )
    assert response.status_code == 200


async def test_format_parameter_overrides_accept(client, camille_token):
    response = await client.get(
        "/fhir/Observation",
        params={"_format": "json"},
        headers=auth(camille_token) | {"Accept": "text/html"},
    )
    assert response.status_code == 200
    refused = await client.get(
        "/fhir/Observation", params={"_format": "xml"}, headers=auth(camille_token)
    )
    _outcome(refused, 406, "not-supported")


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("DELETE", "/fhir/Observation/1"),
        ("PATCH", "/fhir/Observation/1"),
        ("PUT", "/fhir/Observation/1"),
        ("DELETE", "/fhir/Appointment/1"),
        ("GET", "/fhir"),
    ],
)
async def test_unused_verbs_are_405(client, camille_token, method, path):
    response = await client.request(method, path, headers=auth(camille_token))
    _outcome(response, 405, "not-supported")
    assert "allow" in response.headers


async def test_check_48_burst_over_the_rate_limit_is_429_with_retry_after(
    settings, clock, camille_token, token_for
):
    other_client = token_for("patient/*.rs", client_id="other-app")
    async with client_with(
        settings, clock, fhir_rate_limit_per_second=0.001, fhir_rate_limit_burst=3
    ) as limited:
        statuses = [
            (await limited.get("/fhir/Observation", headers=auth(camille_token))).status_code
            for _ in range(3)
        ]
        refused = await limited.get("/fhir/Observation", headers=auth(camille_token))
        other = await limited.get("/fhir/Observation", headers=auth(other_client))
    assert statuses == [200, 200, 200]
    _outcome(refused, 429, "throttled")
    assert int(refused.headers["retry-after"]) >= 1
    assert other.status_code == 200


async def test_rate_limit_zero_turns_it_off(settings, clock, camille_token):
    async with client_with(
        settings, clock, fhir_rate_limit_per_second=0, fhir_rate_limit_burst=1
    ) as unlimited:
        for _ in range(20):
            response = await unlimited.get("/fhir/Patient/x", headers=auth(camille_token))
            assert response.status_code == 404
