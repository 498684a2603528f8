"""Exchanges: the outcome of each FHIR interaction, reported to listeners (DESIGN §6).

The interaction runner builds one `Exchange` per request it answers (allowed or refused) and hands
it to every listener registered with `add_exchange_listener`; the exchange log plugs in there.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

Outcome = Literal["allowed", "denied", "failed"]


@dataclass(frozen=True)
class Exchange:
    """Who did what on whose data, when (simulated time), and how it ended."""

    at: datetime
    client_id: str | None
    patient_id: str | None
    resource_type: str
    interaction: str
    """`read`, `search`, `create`, `update`, `transaction` or `capabilities`."""
    method: str
    path: str
    query: str
    status: int
    outcome: Outcome
    reason: str | None
    """The OperationOutcome diagnostics when refused or failed."""
    resource_ids: tuple[str, ...]
    count: int
    """Resources returned or written."""


ExchangeListener = Callable[[Exchange], None]


def outcome_of(status: int) -> Outcome:
    """`denied` for authentication, consent and rate refusals; `failed` for other errors."""
    if status < 400:
        return "allowed"
    return "denied" if status in (401, 403, 429) else "failed"
