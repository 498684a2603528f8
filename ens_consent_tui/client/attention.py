"""What needs the patient's attention: grants about to end, services the authority suspended,
the latest requests that were denied. Dates are the platform's simulated ones."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Final

from ens_consent_tui.client.auth import Authenticator
from ens_consent_tui.client.errors import UnexpectedResponse
from ens_consent_tui.client.exchanges import ExchangeSummary
from ens_consent_tui.client.grants import Grant, GrantsApi
from ens_consent_tui.client.transport import checked, json_body

EXPIRY_WINDOW: Final = timedelta(days=7)
"""A grant ending within this span of the platform's now is worth a word."""
DENIED_SHOWN: Final = 5

_JSON = {"Accept": "application/json"}


@dataclass(frozen=True)
class Attention:
    now: datetime
    """The platform's simulated time when this was read."""
    expiring: tuple[Grant, ...]
    """Active grants ending within `EXPIRY_WINDOW`, soonest first."""
    suspended: tuple[Grant, ...]
    denied: tuple[ExchangeSummary, ...]
    """The latest denied exchanges, newest first."""

    @property
    def empty(self) -> bool:
        return not (self.expiring or self.suspended or self.denied)


async def attention(auth: Authenticator, grants: GrantsApi) -> Attention:
    """Read the register, the denied exchanges and the platform's time together."""
    found, denied, now = await asyncio.gather(grants.grants(), denied_exchanges(auth),
                                              grants.server_now())
    return Attention(now, expiring_soon(found, now), tuple(g for g in found
                                                           if g.status == "suspended"), denied)


def expiring_soon(found: tuple[Grant, ...], now: datetime,
                  window: timedelta = EXPIRY_WINDOW) -> tuple[Grant, ...]:
    ending = [g for g in found if g.is_active and g.valid_until is not None
              and now <= g.valid_until <= now + window]
    return tuple(sorted(ending, key=lambda g: g.valid_until or now))


async def denied_exchanges(auth: Authenticator,
                           limit: int = DENIED_SHOWN) -> tuple[ExchangeSummary, ...]:
    """The latest exchanges the platform refused, newest first."""
    response = checked(await auth.authorized(
        "GET", "/exchanges", params={"outcome": "denied", "order": "desc", "limit": limit},
        headers=_JSON))
    body = json_body(response)
    items = body.get("items") if isinstance(body, dict) else None
    if not isinstance(items, list):
        raise UnexpectedResponse("/exchanges: no items")
    return tuple(ExchangeSummary.from_json(item) for item in items)
