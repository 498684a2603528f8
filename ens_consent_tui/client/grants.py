"""The patient's register of access authorisations (`/grants`, the patient's own app token).

One grant per connected service: its permissions (data class × subtype × access, each with the
platform's French sentence), status, validity and history. The patient can only take away
(`remove`, `exclude`), change the validity, or revoke; widening means reconnecting the service.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any, Final, TypeVar

from pydantic import BaseModel, ConfigDict, ValidationError

from ens_consent_tui.client.auth import Authenticator
from ens_consent_tui.client.errors import UnexpectedResponse
from ens_consent_tui.client.fhir import FhirApi
from ens_consent_tui.client.transport import checked, json_body

DURATIONS: Final = ("1m", "6m", "1y", "revocation")
"""The validities a grant may be given (the server's `duration` values), shortest first."""
DATA_CLASSES: Final = ("agenda", "documents", "measures")
"""The three data classes, in the order the app shows them."""
ACCESSES: Final = ("read", "write")
ALL: Final = "all"
"""The subtype that stands for a whole data class."""

_JSON = {"Accept": "application/json"}
M = TypeVar("M", bound=BaseModel)


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="ignore")


class GrantPermission(_Model):
    """One permission of a grant, with the platform's sentence for it."""

    data_class: str
    subtype: str
    access: str
    sentence: str
    scope: str

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.data_class, self.subtype, self.access)

    @property
    def group(self) -> str:
        """The `categorie` granularity's unit this permission belongs to (`measures.read`)."""
        return f"{self.data_class}.{self.access}"

    def as_change(self) -> dict[str, str]:
        return {"data_class": self.data_class, "subtype": self.subtype, "access": self.access}


class GrantService(_Model):
    id: str
    name: str
    kind: str | None = None


class Grant(_Model):
    """What one patient allowed one service, as it stands now."""

    id: str
    service: GrantService
    status: str
    """active, suspended (by the authority), expired or revoked."""
    version: int
    maille: str
    valid_from: datetime
    valid_until: datetime | None
    """None: until the patient revokes it."""
    duration: str | None
    include_earlier: bool
    permissions: tuple[GrantPermission, ...]
    excluded: tuple[str, ...] = ()
    """Documents kept out of the grant (maille `ressource`)."""
    window: dict[str, Any] | None = None
    created_at: datetime
    updated_at: datetime

    @property
    def is_active(self) -> bool:
        """Only an active grant lets the service in, and only it can be narrowed or given
        another validity."""
        return self.status == "active"

    @property
    def can_revoke(self) -> bool:
        """A suspended grant can still be withdrawn; a revoked or expired one is over."""
        return self.status in ("active", "suspended")

    def permissions_of(self, data_class: str, access: str) -> tuple[GrantPermission, ...]:
        return tuple(p for p in self.permissions
                     if p.data_class == data_class and p.access == access)


class GrantVersion(_Model):
    """One entry of a grant's history: who changed what, when, and the grant after it."""

    version: int
    at: datetime
    actor: str
    change: str
    """created, narrowed, duration_changed, revoked, reconnected, expired, suspended or
    reinstated."""
    snapshot: dict[str, Any]

    @property
    def permission_keys(self) -> frozenset[tuple[str, str, str]]:
        """The permissions the grant held after this change."""
        found = self.snapshot.get("permissions") or []
        return frozenset(tuple(p) for p in found if isinstance(p, list) and len(p) == 3)

    @property
    def valid_until(self) -> str | None:
        value = self.snapshot.get("valid_until")
        return value if isinstance(value, str) else None


class GrantDetail(Grant):
    """A grant with its whole history, oldest version first."""

    history: tuple[GrantVersion, ...]


class _GrantList(_Model):
    grants: tuple[Grant, ...]


class GrantsApi:
    """Read and change the register of the space the app shows."""

    def __init__(self, auth: Authenticator, fhir: FhirApi) -> None:
        self.auth = auth
        self.fhir = fhir

    async def grants(self) -> tuple[Grant, ...]:
        """Every grant of the space (whatever its status), oldest first."""
        return (await self._send("GET", "/grants", _GrantList)).grants

    async def grant(self, grant_id: str) -> GrantDetail:
        return await self._send("GET", f"/grants/{grant_id}", GrantDetail)

    async def remove(self, grant_id: str, permissions: Iterable[GrantPermission]) -> Grant:
        """Take permissions away; taking the last one away revokes the grant."""
        return await self._change(grant_id, {"remove": [p.as_change() for p in permissions]})

    async def change_duration(self, grant_id: str, duration: str) -> Grant:
        """A new validity counted from now (one of `DURATIONS`)."""
        return await self._change(grant_id, {"duration": duration})

    async def exclude(self, grant_id: str, document_ids: Iterable[str]) -> Grant:
        """Keep some documents out of the grant (maille `ressource` only)."""
        return await self._change(grant_id, {"exclude": list(document_ids)})

    async def revoke(self, grant_id: str) -> Grant:
        """Withdraw the grant; the service's tokens stop working at once."""
        return await self._send("POST", f"/grants/{grant_id}/revoke", Grant)

    async def server_now(self) -> datetime:
        """The platform's simulated time (`meta.lastUpdated` of a one-line search of the
        register's own FHIR view)."""
        page = await self.fhir.search("Consent", {"_count": "1"})
        if page.server_time is None:
            raise UnexpectedResponse("searchset without meta.lastUpdated")
        return page.server_time

    async def _change(self, grant_id: str, change: dict) -> Grant:
        return await self._send("PATCH", f"/grants/{grant_id}", Grant, json=change)

    async def _send(self, method: str, path: str, shape: type[M], **kwargs: Any) -> M:
        response = checked(await self.auth.authorized(method, path, headers=_JSON, **kwargs))
        try:
            return shape.model_validate(json_body(response))
        except ValidationError as error:
            raise UnexpectedResponse(f"{path}: {error.error_count()} invalid fields") from error
