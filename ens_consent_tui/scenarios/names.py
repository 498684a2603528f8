"""Checking a scenario's names against a platform: its services (and the permissions each asks
for) and its accounts (and whom each represents).

The structure of a file is the loader's business; here a well-formed scenario is compared with
what a given platform really offers, so that a misspelt service or a permission the consent
dialog will never show is found before a workshop, not during it. `KnownNames` is plain data:
`fetch_known_names` builds it over HTTP (the public store API for services, the facilitator
console for accounts), tests may build it by hand.
"""

from __future__ import annotations

import asyncio
import difflib
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ens_consent_tui.client.console import ConsoleApi
from ens_consent_tui.client.store import StoreApi
from ens_consent_tui.client.transport import Transport
from ens_consent_tui.i18n import DEFAULT_LANGUAGE, Catalogue
from ens_consent_tui.scenarios.loader import Problem
from ens_consent_tui.scenarios.model import (
    Connect,
    GrantState,
    Narrow,
    Permission,
    Scenario,
    SwitchSpace,
)

if TYPE_CHECKING:
    import httpx

SHORT_LIST = 12
"""Up to this many names, an unknown one is answered with the whole list; beyond, with the
closest few (a person reads five suggestions, not thirty)."""
CLOSEST = 5


@dataclass(frozen=True)
class Account:
    """An account that can sign in, and the spaces it may act in besides its own."""

    username: str
    name: str = ""
    represents: tuple[str, ...] = ()
    """`for` values this account may use (`child`): whom it represents."""


@dataclass(frozen=True)
class KnownNames:
    """What a platform offers: service id → the permissions it asks for; username → account.
    `accounts` is `None` when they could not be listed (no facilitator token): then accounts
    are not checked."""

    services: Mapping[str, tuple[Permission, ...]]
    accounts: Mapping[str, Account] | None = field(default=None)


async def check_names(scenario: Scenario, catalogue: KnownNames,
                      lang: str = DEFAULT_LANGUAGE) -> list[Problem]:
    """Every name of `scenario` the platform does not know, each placed in the file."""
    checker = _Checker(scenario, catalogue, Catalogue(lang))
    checker.start()
    for index in range(len(scenario.steps)):
        checker.step(index)
    return checker.problems


class _Checker:
    def __init__(self, scenario: Scenario, known: KnownNames, t: Catalogue) -> None:
        self.scenario = scenario
        self.known = known
        self.t = t
        self.problems: list[Problem] = []

    def report(self, where: str, message: str, fallback: int | None = None) -> None:
        line = self.scenario.line_of(where)
        self.problems.append(Problem(line if line is not None else fallback, where, message))

    def start(self) -> None:
        start = self.scenario.start
        account = self.account("start.patient", start.patient)
        if start.for_ is not None and account is not None:
            self.represented("start.for", account, start.for_)
        for index, item in enumerate(start.services):
            where = f"start.services[{index}]"
            if self.service(f"{where}.service", item.service):
                self.permissions(f"{where}.refuse", item.service, item.refuse)

    def step(self, index: int) -> None:
        step = self.scenario.steps[index]
        where = f"steps[{index}]"
        action = step.do
        service = getattr(action, "service", None)
        if service is not None and self.service(f"{where}.do.{action.kind}", service,
                                                step.line):
            if isinstance(action, Connect):
                self.permissions(f"{where}.do.refuse", service, action.refuse, step.line)
            if isinstance(action, Narrow):
                self.permissions(f"{where}.do.remove", service, action.remove, step.line)
        if isinstance(action, SwitchSpace) and action.space != "self":
            account = self.account(f"{where}.do.switch_space", self.scenario.start.patient,
                                   step.line, quiet=True)
            if account is not None:
                self.represented(f"{where}.do.switch_space", account, action.space, step.line)
        for number, expectation in enumerate(step.expect):
            service = getattr(expectation, "service", None)
            place = f"{where}.expect[{number}].{expectation.kind}"
            if service is None or not self.service(f"{place}.service", service, step.line):
                continue
            if isinstance(expectation, GrantState):
                self.permissions(f"{place}.allows", service, expectation.allows, step.line)
                self.permissions(f"{place}.denies", service, expectation.denies, step.line)

    def service(self, where: str, service: str, line: int | None = None) -> bool:
        if service in self.known.services:
            return True
        self.report(where, self.t("scenario.names.unknown_service", service=service,
                                  choices=_choices(self.t, service, self.known.services)), line)
        return False

    def account(self, where: str, username: str, line: int | None = None,
                quiet: bool = False) -> Account | None:
        accounts = self.known.accounts
        if accounts is None:
            return None
        if username in accounts:
            return accounts[username]
        if not quiet:
            self.report(where, self.t("scenario.names.unknown_account", account=username,
                                      choices=_choices(self.t, username, accounts)), line)
        return None

    def represented(self, where: str, account: Account, who: str,
                    line: int | None = None) -> None:
        if who in account.represents:
            return
        if account.represents:
            message = self.t("scenario.names.not_represented", account=account.username,
                             who=who, choices=", ".join(account.represents))
        else:
            message = self.t("scenario.names.represents_nobody", account=account.username,
                             who=who)
        self.report(where, message, line)

    def permissions(self, where: str, service: str, permissions: Sequence[Permission],
                    line: int | None = None) -> None:
        asked = self.known.services[service]
        for index, permission in enumerate(permissions):
            if permission.whole_class:
                found = any(permission.covers(p.data_class, p.subtype, p.access) for p in asked)
                key = "scenario.names.whole_class_nothing"
            else:
                found = permission in asked
                key = "scenario.names.not_asked"
            if not found:
                self.report(f"{where}[{index}]", self.t(
                    key, service=service, permission=permission, data_class=permission.data_class,
                    access=permission.access, choices=", ".join(map(str, asked)) or "—"), line)


def _choices(t: Catalogue, name: str, known: Mapping[str, object]) -> str:
    """All names when they are few; else the closest ones and how many others there are."""
    names = sorted(known)
    if len(names) <= SHORT_LIST:
        return ", ".join(names)
    closest = difflib.get_close_matches(name, names, n=CLOSEST, cutoff=0.0)
    return t("scenario.names.closest", names=", ".join(closest),
             others=len(names) - len(closest))


# --- from a platform ---------------------------------------------------------------------------


async def fetch_known_names(base_url: str, facilitator_token: str | None, *,
                            transport: httpx.AsyncBaseTransport | None = None) -> KnownNames:
    """Services from the public store; accounts from the facilitator console when a token is
    given (`accounts` is `None` otherwise). Client errors (`ClientError`) propagate: the caller
    words them (`FacilitatorTokenRefused` for a token the console refuses)."""
    store_transport = Transport(base_url, transport=transport)
    try:
        store = StoreApi(store_transport)
        listing = await store.services()
        sheets = await asyncio.gather(*(store.service(s.id) for s in listing.services))
    finally:
        await store_transport.aclose()
    services = {sheet.id: tuple(Permission(p.data_class, p.subtype, p.access)
                                for p in sheet.permissions) for sheet in sheets}
    if not facilitator_token:
        return KnownNames(services=services)
    async with ConsoleApi(base_url, facilitator_token, transport=transport) as console:
        rows = await console.participants()
    accounts = {account.username: account for account in _accounts(rows)}
    return KnownNames(services=services, accounts=accounts)


def _accounts(rows: list[dict]) -> Iterator[Account]:
    """`GET /admin/participants` rows → accounts, each with the `for` values it may use."""
    for row in rows:
        if isinstance(row, dict) and isinstance(row.get("username"), str):
            represents = tuple(str(person["for"]) for person in row.get("represents") or ()
                               if isinstance(person, dict) and person.get("for"))
            yield Account(username=row["username"], name=str(row.get("name") or ""),
                          represents=represents)
