"""The store catalogue (`/store`, no token): search services, read a full service sheet."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TypeVar

from pydantic import BaseModel, ConfigDict, TypeAdapter, ValidationError

from ens_consent_tui.client.errors import UnexpectedResponse
from ens_consent_tui.client.transport import Transport, checked, json_body

_JSON = {"Accept": "application/json"}
T = TypeVar("T")


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="ignore")


class ServiceSummary(_Model):
    """One line of the store list."""

    id: str
    name: str
    editor: str
    offeror_kind: str
    short_description: str
    use_cases: tuple[str, ...]
    pricing: str
    platforms: tuple[str, ...]
    referencing_status: str
    hds_certified: bool
    reads: tuple[str, ...]
    writes: tuple[str, ...]


class ServiceList(_Model):
    total: int
    services: tuple[ServiceSummary, ...]


class Editor(_Model):
    legal_name: str
    country: str
    address: str


class Hosting(_Model):
    provider: str
    hds_certified: bool
    country: str
    note: str | None = None


class Referencing(_Model):
    status: str
    date: dt.date
    note: str | None = None


class DpoContact(_Model):
    email: str
    address: str


class RequestedPermission(_Model):
    """A permission the service asks for, in the patient's words, with its reason."""

    data_class: str
    subtype: str
    access: str
    reason: str
    scope: str
    sentence: str


class ServiceSheet(_Model):
    """Everything a patient reads before consenting (DESIGN §1)."""

    id: str
    name: str
    editor: Editor
    offeror_kind: str
    short_description: str
    description: str
    use_cases: tuple[str, ...]
    purposes: tuple[str, ...]
    permissions: tuple[RequestedPermission, ...]
    hosting: Hosting
    referencing: Referencing
    pricing: str
    price_note: str | None = None
    platforms: tuple[str, ...]
    dpo_contact: DpoContact
    recourse: str
    applicable_texts: tuple[str, ...]
    privacy_policy_url: str | None = None
    terms_url: str | None = None


class CodeLabel(_Model):
    code: str
    label: str


class StoreApi:
    """Read-only access to the store (public: no token needed)."""

    def __init__(self, transport: Transport) -> None:
        self.transport = transport

    async def services(self, query: str = "", *, use_cases: Iterable[str] = (),
                       data_classes: Iterable[str] = ()) -> ServiceList:
        """Services matching words of `query` (accents and case ignored) and every filter."""
        params: list[tuple[str, str]] = []
        if query.strip():
            params.append(("q", query.strip()))
        params.extend(("use_case", v) for v in use_cases)
        params.extend(("data_class", v) for v in data_classes)
        return await self._get("/store/services", ServiceList, params)

    async def service(self, service_id: str, lang: str = "fr") -> ServiceSheet:
        return await self._get(f"/store/services/{service_id}", ServiceSheet, [("lang", lang)])

    async def use_cases(self, lang: str = "fr") -> list[CodeLabel]:
        return await self._get("/store/use-cases", list[CodeLabel], [("lang", lang)])

    async def offeror_kinds(self, lang: str = "fr") -> list[CodeLabel]:
        return await self._get("/store/offeror-kinds", list[CodeLabel], [("lang", lang)])

    async def _get(self, path: str, shape: type[T], params: list[tuple[str, str]]) -> T:
        response = checked(await self.transport.send("GET", path, params=params, headers=_JSON))
        try:
            return TypeAdapter(shape).validate_python(json_body(response))
        except ValidationError as error:
            raise UnexpectedResponse(f"{path}: {error.error_count()} invalid fields") from error
