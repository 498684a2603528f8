"""A grant as the code sees it: the row of `grants`, its state at a given moment, its snapshot."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Final

from sqlalchemy import Row

from mock_server.catalog import Permission
from mock_server.consent.permissions import load_permissions
from mock_server.consent.validity import iso

GRANTED_KINDS: Final = frozenset({"service", "outside"})
"""Client kinds whose access is the token scope ∩ the grant; the patient's own app has none."""

CHANGES: Final = ("created", "narrowed", "duration_changed", "revoked", "reconnected", "expired",
                  "suspended", "reinstated")

ACTOR_PLATFORM: Final = "plateforme"
"""Who records what the clock decides (expiry)."""
ACTOR_AUTHORITY: Final = "autorite"
"""Who suspends and reinstates a service (the referencing authority)."""


class GrantError(Exception):
    """A change the register refuses, with an HTTP status and a French reason."""

    def __init__(self, status: int, detail: str) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail


@dataclass(frozen=True)
class Grant:
    """The access authorisation one patient gave one client, as it is stored now."""

    id: str
    patient_id: str
    client_id: str
    status: str
    version: int
    maille: str
    valid_from: datetime
    valid_until: datetime | None
    duration: str | None
    include_earlier: bool
    permissions: tuple[Permission, ...]
    excluded: tuple[str, ...]
    window_start: datetime | None
    window_end: datetime | None
    created_at: datetime
    updated_at: datetime

    @classmethod
    def from_row(cls, row: Row) -> Grant:
        return cls(
            id=row.id,
            patient_id=row.patient_id,
            client_id=row.client_id,
            status=row.status,
            version=row.version,
            maille=row.maille,
            valid_from=row.valid_from,
            valid_until=row.valid_until,
            duration=row.duration,
            include_earlier=row.include_earlier,
            permissions=load_permissions(row.permissions),
            excluded=tuple(json.loads(row.excluded)),
            window_start=row.window_start,
            window_end=row.window_end,
            created_at=row.created_at,
            updated_at=row.updated_at,
        )

    def is_due_to_expire(self, now: datetime) -> bool:
        """Active in storage although its end date has passed (expiry not recorded yet)."""
        return self.status == "active" and self.valid_until is not None and self.valid_until <= now

    def status_at(self, now: datetime) -> str:
        """The status the clock gives it: an active grant past its end date is expired."""
        return "expired" if self.is_due_to_expire(now) else self.status

    def snapshot(self) -> dict:
        """What the grant says, for its history (JSON-ready)."""
        return {
            "status": self.status,
            "maille": self.maille,
            "valid_from": iso(self.valid_from),
            "valid_until": iso(self.valid_until),
            "duration": self.duration,
            "include_earlier": self.include_earlier,
            "permissions": [[p.data_class, p.subtype, p.access] for p in self.permissions],
            "excluded": list(self.excluded),
            "window": self.window_json(),
        }

    def window_json(self) -> dict | None:
        if self.window_start is None and self.window_end is None:
            return None
        return {"start": iso(self.window_start), "end": iso(self.window_end)}
