"""The FHIR API's own server state (rate limiter, exchange listeners), kept on `app.state.fhir`."""

from __future__ import annotations

from dataclasses import dataclass, field

from starlette.applications import Starlette
from starlette.requests import Request

from mock_server.fhir.exchange import ExchangeListener
from mock_server.fhir.ratelimit import RateLimiter


@dataclass
class FhirState:
    limiter: RateLimiter
    exchange_listeners: list[ExchangeListener] = field(default_factory=list)


def fhir_state(request: Request) -> FhirState:
    return request.app.state.fhir


def add_exchange_listener(app: Starlette, listener: ExchangeListener) -> None:
    """Call `listener` with the `Exchange` of every FHIR interaction from now on."""
    app.state.fhir.exchange_listeners.append(listener)
