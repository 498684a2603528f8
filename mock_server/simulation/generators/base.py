"""What every payload generator shares: its context, what it plans to send, how it is declared.

A generator turns the patient's current facts and the occurrence's simulated time into the FHIR
requests a service sends. It is deterministic: everything random comes from `ctx.rng`, a stream
fixed by (seed, service, patient, action, slot).
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict
from sqlalchemy import Connection

from mock_server.catalog import Permission, ServiceSheet
from mock_server.simulation.world import PatientFacts


class NoParams(BaseModel):
    """A generator that takes no parameter."""

    model_config = ConfigDict(frozen=True, extra="forbid")


@dataclass(frozen=True)
class DeviceInfo:
    """The connected object a device maker's service writes its measures from."""

    kind: str
    manufacturer: str
    model: str


@dataclass(frozen=True)
class GeneratorContext:
    """What a generator builds its payload from."""

    conn: Connection
    rng: random.Random
    at: datetime
    """The occurrence's simulated moment (UTC): the time of the measure, document or booking."""
    facts: PatientFacts
    service: ServiceSheet
    device: DeviceInfo | None = None
    identity_key: str = ""
    """Stable per (seed, service, patient): names the device serial, the author drawn..."""


@dataclass(frozen=True)
class PlannedRequest:
    """One FHIR request a service is about to send (path relative to the FHIR base)."""

    method: str
    path: str
    body: dict | None = None
    headers: dict[str, str] = field(default_factory=dict)
    summary: str = ""
    """What it does, in French (shown to the facilitator)."""


Build = Callable[[GeneratorContext, Any], list[PlannedRequest]]


@dataclass(frozen=True)
class Generator:
    """A named payload generator of the behaviours file."""

    name: str
    description: str
    build: Build
    permission: Callable[[Any], Permission]
    """The write permission the generated requests need (checked against the catalogue)."""
    params: type[BaseModel] = NoParams
