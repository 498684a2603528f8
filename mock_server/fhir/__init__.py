"""FHIR R4 resource server at /fhir (fhir.resources R4B models, `application/fhir+json`).

Patients' documents (DocumentReference + Binary), measures (Observation, Device in transactions)
and agenda (Appointment), read and written by store services with SMART bearer tokens. Every
answer under /fhir, errors included, is FHIR JSON.
"""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.exception_handlers import http_exception_handler
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from mock_server.fhir.errors import error_response, route_error
from mock_server.fhir.ratelimit import RateLimiter
from mock_server.fhir.routes import router
from mock_server.fhir.state import FhirState, add_exchange_listener

__all__ = ["add_exchange_listener", "install"]


def _is_fhir_path(path: str) -> bool:
    return path == "/fhir" or path.startswith("/fhir/")


def install(app: FastAPI) -> None:
    """Mount the FHIR routes, their state, and the OperationOutcome answer for unknown /fhir paths
    and wrong methods (other paths keep the handler installed before this one)."""
    settings = app.state.platform.settings
    app.state.fhir = FhirState(
        limiter=RateLimiter(settings.fhir_rate_limit_per_second, settings.fhir_rate_limit_burst)
    )
    app.include_router(router)
    previous = app.exception_handlers.get(HTTPException, http_exception_handler)

    async def handle_http_exception(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, HTTPException)
        if _is_fhir_path(request.url.path):
            return error_response(route_error(request, exc.status_code, exc.headers))
        return await previous(request, exc)

    app.add_exception_handler(HTTPException, handle_http_exception)
