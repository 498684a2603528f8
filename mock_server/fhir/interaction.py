"""The interaction runner: every FHIR route answers through `run_interaction`.

One place computes each request's outcome, in a fixed order: bearer token (401), rate limit (429),
Accept (406), Content-Type (415), body size (413), JSON syntax (400), then the interaction itself
(authorization 403, validation 422, storage). Whatever happens, one `Exchange` is reported.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Connection
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from mock_server.fhir.access import AccessContext, authorize
from mock_server.fhir.bearer import RefusedToken, authenticate
from mock_server.fhir.errors import FhirError, error_response, internal_error
from mock_server.fhir.exchange import Exchange, outcome_of
from mock_server.fhir.negotiation import (
    parse_json,
    read_body,
    require_fhir_content_type,
    require_fhir_json,
)
from mock_server.fhir.state import FhirState, fhir_state
from mock_server.platform import Platform, get_platform

logger = logging.getLogger(__name__)


@dataclass
class FhirCall:
    """One FHIR request being answered: what the action needs, and what its exchange records."""

    request: Request
    platform: Platform
    now: datetime
    ctx: AccessContext | None = None
    body: Any = None
    resource_ids: list[str] = field(default_factory=list)
    count: int = 0

    @property
    def access(self) -> AccessContext:
        """The caller's access context (every non-public interaction has one)."""
        assert self.ctx is not None, "public interactions have no access context"
        return self.ctx

    @property
    def fhir_base(self) -> str:
        return self.platform.settings.fhir_base_url

    def record(self, resource_ids: list[str]) -> None:
        """Note the resources this interaction returned or wrote (for its exchange)."""
        self.resource_ids.extend(resource_ids)
        self.count += len(resource_ids)


Action = Callable[[FhirCall, Connection], Response]
"""The interaction's work, given the call and a connection (in a transaction for writes)."""


def _throttle(state: FhirState, client_id: str) -> None:
    wait = state.limiter.retry_after(client_id)
    if wait is not None:
        raise FhirError(
            429,
            "throttled",
            f"Trop de requêtes de ce client : réessayez dans {wait} seconde(s).",
            headers={"Retry-After": str(wait)},
        )


@dataclass(frozen=True)
class Interaction:
    """What a route does: for the exchange, and the checks to run before the body is read."""

    resource_type: str
    name: str
    """`read`, `search`, `create`, `update`, `transaction` or `capabilities`."""
    requires: str | None = None
    """SMART letter the token needs on `resource_type` at least (finer checks in the action)."""
    public: bool = False
    with_body: bool = False
    negotiate: bool = True
    """False when the action negotiates the response format itself (Binary)."""


def _admit(call: FhirCall, state: FhirState, interaction: Interaction, conn: Connection) -> None:
    """The checks before any body is read: token, rate, type-level scope, Accept."""
    if not interaction.public:
        call.ctx = authenticate(conn, call.request, call.now)
        _throttle(state, call.ctx.client_id)
        if interaction.requires:
            authorize(call.ctx, interaction.resource_type, interaction.requires)
    if interaction.negotiate:
        require_fhir_json(call.request)


async def _answer(
    call: FhirCall, state: FhirState, interaction: Interaction, action: Action
) -> Response:
    engine = call.platform.engine
    if not interaction.with_body:
        # One connection (one consistent read) for the token check and the action.
        with engine.connect() as conn:
            _admit(call, state, interaction, conn)
            return action(call, conn)
    with engine.connect() as conn:
        _admit(call, state, interaction, conn)
    require_fhir_content_type(call.request)
    limit = call.platform.settings.max_body_bytes
    call.body = parse_json(await read_body(call.request, limit))
    # Writes wait on SQLite's write lock and fsync: off the event loop, so they never stall it.
    # Reads stay inline (WAL readers never wait, and a thread hop would cost more than the query).
    return await run_in_threadpool(_write, call, action)


def _write(call: FhirCall, action: Action) -> Response:
    with call.platform.engine.begin() as conn:
        return action(call, conn)


async def run_interaction(request: Request, interaction: Interaction, action: Action) -> Response:
    """Answer one FHIR interaction and report its exchange; every error is an OperationOutcome."""
    platform = get_platform(request)
    state = fhir_state(request)
    call = FhirCall(request=request, platform=platform, now=platform.clock.now())
    reason: str | None = None
    holder = None
    try:
        response = await _answer(call, state, interaction, action)
    except RefusedToken as error:
        response, reason, holder = error_response(error), error.diagnostics, error.token
    except FhirError as error:
        response, reason = error_response(error), error.diagnostics
    except Exception:
        # Never a stack trace to the client: log it here, answer a plain OperationOutcome.
        logger.exception("FHIR %s %s failed", request.method, request.url.path)
        error = internal_error()
        response, reason = error_response(error), error.diagnostics
    exchange = Exchange(
        at=call.now,
        client_id=call.ctx.client_id if call.ctx else holder and holder.client_id,
        patient_id=call.ctx.patient_id if call.ctx else holder and holder.patient_id,
        resource_type=interaction.resource_type,
        interaction=interaction.name,
        method=request.method,
        path=request.url.path,
        query=request.url.query,
        status=response.status_code,
        outcome=outcome_of(response.status_code),
        reason=reason,
        resource_ids=tuple(call.resource_ids),
        count=call.count,
    )
    for listener in state.exchange_listeners:
        listener(exchange)
    return response
