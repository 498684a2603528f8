"""The patient's exchange log (`/exchanges`): newest pages first, one exchange in detail, exports.

An exchange is one request a service made about the patient (who, what, read or write, allowed
or denied and why, when in simulated time). Lists carry `ExchangeSummary`s, the same shape the
live feed's `exchange` events carry, so the app's log holds one kind of entry whatever brought
it. The categorical strings are interned: a log of 100,000 entries shares them instead of
keeping 100,000 copies of each service name.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, Final

import platformdirs

from ens_consent_tui.client.auth import Authenticator
from ens_consent_tui.client.errors import UnexpectedResponse
from ens_consent_tui.client.records import parse_instant
from ens_consent_tui.client.transport import checked, json_body

DATA_CLASSES: Final = ("measures", "documents", "agenda", "other")
DIRECTIONS: Final = ("read", "write")
OUTCOMES: Final = ("allowed", "denied", "failed")
EXPORT_FORMATS: Final = ("csv", "json")
PAGE_LIMIT: Final = 500
"""Exchanges per page (the server's maximum)."""

_JSON = {"Accept": "application/json"}
_FILENAME = re.compile(r'filename="?([^";]+)"?')
_SAFE_NAME = re.compile(r"[^A-Za-z0-9._-]")


def _text(value: object) -> str:
    return sys.intern(str(value)) if value is not None else ""


def _optional_text(value: object) -> str | None:
    return sys.intern(str(value)) if value is not None else None


@dataclass(frozen=True, slots=True)
class ExchangeSummary:
    """One exchange as the log lists it."""

    id: int
    at: datetime
    client_id: str
    service_name: str
    data_class: str
    subtype: str | None
    """A measure key or document group, several joined by commas, `all`, or None."""
    direction: str
    interaction: str
    outcome: str
    reason: str | None
    count: int

    @classmethod
    def from_json(cls, data: Mapping[str, Any], *, id_key: str = "id") -> ExchangeSummary:
        """From a `/exchanges` item (`id_key="id"`) or an `exchange` event
        (`id_key="exchange_id"`)."""
        at = parse_instant(data.get("at"))
        try:
            if at is None:
                raise ValueError("at")
            return cls(
                id=int(data[id_key]), at=at, client_id=_text(data["client_id"]),
                service_name=_text(data.get("service_name") or data["client_id"]),
                data_class=_text(data["data_class"]), subtype=_optional_text(data.get("subtype")),
                direction=_text(data["direction"]), interaction=_text(data.get("interaction")),
                outcome=_text(data["outcome"]), reason=_optional_text(data.get("reason")),
                count=int(data.get("count") or 0),
            )
        except (KeyError, TypeError, ValueError) as error:
            raise UnexpectedResponse(f"exchange: {error}") from error


@dataclass(frozen=True)
class ExchangeDetail:
    """One exchange with the request it was and what it wrote (`payload`, FHIR resources)."""

    summary: ExchangeSummary
    method: str
    path: str
    query: str
    status: int
    resource_type: str
    resources: tuple[str, ...]
    payload: list[dict] | None
    payload_bytes: int | None
    payload_omitted: bool

    @classmethod
    def from_json(cls, data: Any) -> ExchangeDetail:
        if not isinstance(data, dict):
            raise UnexpectedResponse("exchange: not a JSON object")
        payload = data.get("payload")
        try:
            return cls(
                summary=ExchangeSummary.from_json(data), method=str(data["method"]),
                path=str(data["path"]), query=str(data.get("query") or ""),
                status=int(data["status"]), resource_type=str(data.get("resource_type") or ""),
                resources=tuple(str(r) for r in data.get("resources") or ()),
                payload=payload if isinstance(payload, list) else None,
                payload_bytes=data.get("payload_bytes"),
                payload_omitted=bool(data.get("payload_omitted")),
            )
        except (KeyError, TypeError, ValueError) as error:
            raise UnexpectedResponse(f"exchange: {error}") from error


@dataclass(frozen=True)
class ExchangePage:
    """Exchanges newest first; `next_before` is the cursor of the next (older) page, None
    when this page was the last one."""

    items: tuple[ExchangeSummary, ...]
    next_before: int | None
    latest: int


@dataclass(frozen=True)
class QuickFilters:
    """Which exchanges to keep by service (client id), data class, direction and outcome; an
    empty set keeps all. The server applies the same filters to exports."""

    services: frozenset[str] = field(default_factory=frozenset)
    data_classes: frozenset[str] = field(default_factory=frozenset)
    directions: frozenset[str] = field(default_factory=frozenset)
    outcomes: frozenset[str] = field(default_factory=frozenset)

    @property
    def active(self) -> bool:
        return bool(self.services or self.data_classes or self.directions or self.outcomes)

    def matches(self, exchange: ExchangeSummary) -> bool:
        return ((not self.services or exchange.client_id in self.services)
                and (not self.data_classes or exchange.data_class in self.data_classes)
                and (not self.directions or exchange.direction in self.directions)
                and (not self.outcomes or exchange.outcome in self.outcomes))

    def params(self) -> list[tuple[str, str]]:
        """The query parameters of the server's filters."""
        return [(name, value) for name, values in (
            ("service", self.services), ("data_class", self.data_classes),
            ("direction", self.directions), ("outcome", self.outcomes))
            for value in sorted(values)]


@dataclass(frozen=True)
class ExportFile:
    """An export as the server named and sent it."""

    filename: str
    content: bytes


class ExchangesApi:
    """The logged-in space's exchange log, with automatic token refresh."""

    def __init__(self, auth: Authenticator) -> None:
        self.auth = auth

    async def page(self, *, before: int | None = None, limit: int = PAGE_LIMIT) -> ExchangePage:
        """The newest exchanges (older than `before` when given)."""
        params: list[tuple[str, str | int]] = [("order", "desc"), ("limit", limit)]
        if before is not None:
            params.append(("before", before))
        body = await self._get("/exchanges", params)
        items = body.get("items")
        if not isinstance(items, list):
            raise UnexpectedResponse("/exchanges: no items")
        summaries = tuple(ExchangeSummary.from_json(item) for item in items)
        return ExchangePage(summaries,
                            summaries[-1].id if len(summaries) == limit else None,
                            int(body.get("latest") or 0))

    async def detail(self, exchange_id: int) -> ExchangeDetail:
        return ExchangeDetail.from_json(await self._get(f"/exchanges/{exchange_id}", []))

    async def export(self, fmt: str, filters: QuickFilters) -> ExportFile:
        """The whole log in `fmt` (csv or json), narrowed by `filters`."""
        if fmt not in EXPORT_FORMATS:
            raise ValueError(fmt)
        response = checked(await self.auth.authorized(
            "GET", "/exchanges/export", params=[("format", fmt), *filters.params()]))
        found = _FILENAME.search(response.headers.get("content-disposition", ""))
        name = _SAFE_NAME.sub("_", Path(found.group(1)).name) if found else f"echanges.{fmt}"
        return ExportFile(name, response.content)

    async def _get(self, path: str, params: Iterable[tuple[str, str | int]]) -> dict:
        response = checked(await self.auth.authorized("GET", path, params=list(params),
                                                      headers=_JSON))
        body = json_body(response)
        if not isinstance(body, dict):
            raise UnexpectedResponse(f"{path}: not a JSON object")
        return body


def default_export_dir() -> Path:
    """The person's downloads folder when there is one, else the current directory."""
    downloads = Path(platformdirs.user_downloads_dir())
    return downloads if downloads.is_dir() else Path.cwd()


def save_export(export: ExportFile, directory: Path) -> Path:
    """Write `export` in `directory` under its own name, never over an existing file."""
    stem, suffix = Path(export.filename).stem, Path(export.filename).suffix
    path = directory / export.filename
    number = 1
    while path.exists():
        path = directory / f"{stem}-{number}{suffix}"
        number += 1
    path.write_bytes(export.content)
    return path
