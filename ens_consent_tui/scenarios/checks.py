"""Checking a step's expectations against the app as it is now, in one look (never sleeps).

The guided panel and the headless runner share this module: both take a `StepMarker` when a step
starts (`mark`), then call `evaluate` as often as they like; each call reads the screen, the toasts
seen so far, the register of the space shown (`client.grants`) and the exchanges recorded since the
marker, and answers one `CheckResult` per expectation with a sentence in the person's language
saying what was expected and what is seen.

The app is read through the small `Probe` protocol (`AppProbe` for `EnsConsentApp`), so the
checks themselves import no Textual; `AppProbe` imports it only when it renders the screen.
"""

from __future__ import annotations

import contextvars
import re
import weakref
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, NamedTuple, Protocol

from ens_consent_tui.client import ClientError, EnsClient
from ens_consent_tui.client.exchanges import ExchangeSummary
from ens_consent_tui.client.grants import ALL, Grant
from ens_consent_tui.client.transport import checked, json_body
from ens_consent_tui.grant_wording import permission_label, status_label
from ens_consent_tui.i18n import Catalogue
from ens_consent_tui.scenarios.model import (
    ExchangeSeen,
    Expectation,
    GrantState,
    NoExchange,
    NotificationShown,
    Permission,
    SectionIs,
    TextAbsent,
    TextShown,
)

if TYPE_CHECKING:
    from textual.geometry import Region
    from textual.strip import Strip

    from ens_consent_tui.app import EnsConsentApp

EXCHANGE_PAGE = 500
"""Exchanges per request (the server's maximum)."""
_JSON = {"Accept": "application/json"}
_SPACES = re.compile(r"\s+")


@dataclass(frozen=True)
class CheckResult:
    """One expectation, whether it holds, and a sentence saying what was expected and seen."""

    expectation: Expectation
    ok: bool
    detail: str


class Probe(Protocol):
    """What the checks read of a running app."""

    @property
    def client(self) -> EnsClient:
        """The app's client: the register and exchanges of the space it shows."""

    @property
    def catalogue(self) -> Catalogue:
        """The app's words (the sentences of the results are in its language)."""

    def section(self) -> str | None:
        """The section shown (`home`, `store`...), `login` before signing in."""

    def screen_text(self) -> str:
        """What the screen shows now, as text."""

    def notifications(self) -> list[tuple[str, str]]:
        """(title, message) of every toast shown so far, oldest first, dismissed ones too."""


@dataclass
class StepMarker:
    """Where a step started: the last exchange of the space and the toasts already shown;
    exchanges and notifications count only after it. `names` maps service ids to names."""

    exchange_id: int
    notification_count: int
    names: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class SeenExchange:
    """One exchange of the space, with its HTTP status (401 tells `unauthorized` apart)."""

    summary: ExchangeSummary
    status: int

    @property
    def outcome(self) -> str:
        """allowed, denied, unauthorized or failed."""
        if self.status == 401:
            return "unauthorized"
        return self.summary.outcome


# --- reading the app ---------------------------------------------------------------------------


class Notice(NamedTuple):
    """One toast as the app asked for it."""

    title: str
    message: str
    severity: str


_notification_logs: weakref.WeakKeyDictionary[Any, list[Notice]] = weakref.WeakKeyDictionary()


def notification_log(app: EnsConsentApp) -> list[Notice]:
    """Every toast the app shows from now on (and those still shown), kept after it disappears.

    Toasts expire and leave `app._notifications`; every one goes through `App.notify` (widgets
    and screens call it too), so the app's own `notify` is wrapped once, whoever asks first."""
    log = _notification_logs.get(app)
    if log is not None:
        return log
    log = [Notice(n.title, n.message, n.severity) for n in app._notifications]
    original = app.notify

    def notify(message: str, *, title: str = "", severity: str = "information",
               **options: Any) -> None:
        log.append(Notice(title, str(message), severity))
        original(message, title=title, severity=severity, **options)

    app.notify = notify  # type: ignore[method-assign]
    _notification_logs[app] = log
    return log


class AppProbe:
    """`Probe` of a running `EnsConsentApp`. Build it before the steps start (the toasts of the
    app are recorded from then on)."""

    def __init__(self, app: EnsConsentApp) -> None:
        self.app = app
        self._log = notification_log(app)

    @property
    def client(self) -> EnsClient:
        return self.app.client

    @property
    def catalogue(self) -> Catalogue:
        return self.app.i18n

    def section(self) -> str | None:
        return self.app.current_mode

    def notifications(self) -> list[tuple[str, str]]:
        return [(notice.title, notice.message) for notice in self._log]

    def screen_text(self) -> str:
        """The screen as the terminal shows it, dialogs over what is behind them.

        Textual renders a screenshot by a full update, which also clears the regions waiting to
        be drawn; the strips are read here without that, so looking never changes the display.
        A translucent dialog draws the screens behind it from a context variable Textual sets
        just before rendering; it is set the same way, in a copied context."""
        from textual._context import visible_screen_stack
        from textual.strip import Strip

        app = self.app
        # What is waiting for the screen's next refresh (a layout after widgets were mounted or
        # removed) is done first, as the terminal would show it.
        app.screen._on_timer_update()
        hidden = self.hidden_regions()

        def render() -> list[Strip]:
            visible_screen_stack.set(list(app._background_screens))
            return list(app.screen._compositor.render_strips())

        lines = []
        for y, strip in enumerate(contextvars.copy_context().run(render)):
            for region in hidden:
                if region.y <= y < region.bottom:
                    strip = Strip.join([strip.crop(0, region.x),
                                        strip.crop(region.right, strip.cell_length)])
            lines.append(strip.text.rstrip())
        return "\n".join(lines)

    def hidden_regions(self) -> list[Region]:
        """Parts of the screen the checks do not read (none here)."""
        return []


# --- the platform's side -----------------------------------------------------------------------


async def latest_exchange_id(client: EnsClient) -> int:
    """The id of the newest exchange of the space shown (0 when there is none)."""
    body = await _get(client, [("order", "desc"), ("limit", 1)])
    return int(body.get("latest") or 0)


async def exchanges_after(client: EnsClient, after: int) -> list[SeenExchange]:
    """Every exchange of the space shown recorded after exchange `after`, oldest first."""
    found: list[SeenExchange] = []
    while True:
        body = await _get(client, [("after", after), ("order", "asc"),
                                   ("limit", EXCHANGE_PAGE)])
        items = body.get("items")
        if not isinstance(items, list):
            return found
        found.extend(SeenExchange(ExchangeSummary.from_json(item), int(item.get("status") or 0))
                     for item in items)
        if len(items) < EXCHANGE_PAGE:
            return found
        after = found[-1].summary.id


async def _get(client: EnsClient, params: list[tuple[str, str | int]]) -> dict:
    response = checked(await client.auth.authorized("GET", "/exchanges", params=params,
                                                    headers=_JSON))
    body = json_body(response)
    return body if isinstance(body, dict) else {}


_store_names: weakref.WeakKeyDictionary[EnsClient, dict[str, str]] = \
    weakref.WeakKeyDictionary()


async def service_names(client: EnsClient) -> dict[str, str]:
    """Service id → name (the store's, read once per client, and the register's)."""
    names = _store_names.get(client)
    if names is None:
        names = {s.id: s.name for s in (await client.store.services()).services}
        _store_names[client] = names
    return dict(names)


async def mark(probe: Probe) -> StepMarker:
    """Where a step starts (call it before the step's action)."""
    names: dict[str, str] = {}
    try:
        exchange_id = await latest_exchange_id(probe.client)
        names = await service_names(probe.client)
    except ClientError:
        exchange_id = 0  # nothing readable yet: every exchange will count
    return StepMarker(exchange_id, len(probe.notifications()), names)


# --- evaluating --------------------------------------------------------------------------------


@dataclass
class _Look:
    """What one evaluation read, each part fetched once and only if an expectation needs it."""

    probe: Probe
    marker: StepMarker
    grants: tuple[Grant, ...] | None = None
    exchanges: list[SeenExchange] | None = None
    screen: str | None = None
    failure: str | None = None

    @property
    def t(self) -> Catalogue:
        return self.probe.catalogue

    def name(self, service_id: str) -> str:
        for grant in self.grants or ():
            if grant.service.id == service_id:
                return grant.service.name
        for exchange in self.exchanges or ():
            if exchange.summary.client_id == service_id:
                return exchange.summary.service_name
        return self.marker.names.get(service_id, service_id)


async def evaluate(probe: Probe, expectations: Sequence[Expectation],
                   marker: StepMarker) -> list[CheckResult]:
    """One look at the app: a result per expectation, in order. A failure to read the platform
    is a result that does not hold (with the reason), never an exception."""
    look = _Look(probe, marker)
    try:
        if any(isinstance(e, GrantState) for e in expectations):
            look.grants = await probe.client.grants.grants()
        if any(isinstance(e, ExchangeSeen | NoExchange) for e in expectations):
            look.exchanges = await exchanges_after(probe.client, marker.exchange_id)
    except ClientError as error:
        look.failure = error.reason or type(error).__name__
    if any(isinstance(e, TextShown | TextAbsent) for e in expectations):
        look.screen = _normalized(probe.screen_text())
    return [_check(look, expectation) for expectation in expectations]


def _check(look: _Look, expectation: Expectation) -> CheckResult:
    for kind, check in _CHECKS:
        if isinstance(expectation, kind):
            if look.failure is not None and kind in (GrantState, ExchangeSeen, NoExchange):
                return CheckResult(expectation, False,
                                   look.t("runner.check.unreadable", reason=look.failure))
            ok, detail = check(look, expectation)
            return CheckResult(expectation, ok, detail)
    raise TypeError(f"unknown expectation {type(expectation).__name__}")


def _normalized(text: str) -> str:
    """Case and spacing do not matter (a sentence may wrap on screen)."""
    return _SPACES.sub(" ", text).strip().casefold()


def section_label(t: Catalogue, section: str | None) -> str:
    key = f"section.{section}"
    if key in t:
        return t(key)
    return t("runner.section.login") if section in (None, "login") else str(section)


def _section(look: _Look, expectation: SectionIs) -> tuple[bool, str]:
    t, shown = look.t, look.probe.section()
    ok = shown == expectation.section
    return ok, t("runner.check.section", expected=section_label(t, expectation.section),
                 seen=section_label(t, shown))


def _text(look: _Look, expectation: TextShown) -> tuple[bool, str]:
    ok = _normalized(expectation.text) in (look.screen or "")
    seen = look.t("runner.check.present" if ok else "runner.check.absent")
    return ok, look.t("runner.check.text", text=expectation.text, seen=seen)


def _no_text(look: _Look, expectation: TextAbsent) -> tuple[bool, str]:
    present = _normalized(expectation.text) in (look.screen or "")
    seen = look.t("runner.check.present" if present else "runner.check.absent")
    return not present, look.t("runner.check.no_text", text=expectation.text, seen=seen)


def _notification(look: _Look, expectation: NotificationShown) -> tuple[bool, str]:
    t = look.t
    wanted = _normalized(expectation.text)
    new = look.probe.notifications()[look.marker.notification_count:]
    ok = any(wanted in _normalized(f"{title} {message}") for title, message in new)
    if ok:
        seen = t("runner.check.notification.seen")
    elif not new:
        seen = t("runner.check.notification.none")
    else:
        title, message = new[-1]
        seen = t("runner.check.notification.other", count=len(new),
                 last=" — ".join(part for part in (title, message) if part))
    return ok, t("runner.check.notification", text=expectation.text, seen=seen)


# --- grants ---


def permission_words(t: Catalogue, permission: Permission) -> str:
    """`mesures · taille (lecture)`; `mesures (lecture)` for every permission of a class."""
    subtype = ALL if permission.whole_class else permission.subtype
    return permission_label(t, permission.data_class, subtype, permission.access)


def current_grant(grants: Iterable[Grant], service_id: str) -> Grant | None:
    """The service's grant as it stands (the newest, should there be several)."""
    mine = [g for g in grants if g.service.id == service_id]
    return max(mine, key=lambda g: (g.updated_at, g.version)) if mine else None


def grant_allows(grant: Grant, permission: Permission) -> bool:
    """Whether the grant holds the permission, whatever its status: a held `all` covers each
    subtype; `class/*/access` is held when any permission of that class and access is."""
    return any(permission.covers(*held.key)
               or (held.subtype == ALL and permission.covers(held.data_class,
                                                             permission.subtype, held.access))
               for held in grant.permissions)


def _grant(look: _Look, expectation: GrantState) -> tuple[bool, str]:
    t = look.t
    grant = current_grant(look.grants or (), expectation.service)
    status = grant.status if grant is not None else "none"
    clauses: list[tuple[bool, str]] = []
    if expectation.status is not None:
        clauses.append((status == expectation.status, t(
            "runner.check.grant.status", expected=status_words(t, expectation.status),
            seen=status_words(t, status))))
    for permission, wanted in [(p, True) for p in expectation.allows] + \
            [(p, False) for p in expectation.denies]:
        held = grant is not None and grant_allows(grant, permission)
        clauses.append((held == wanted, t(
            "runner.check.grant.allows" if wanted else "runner.check.grant.denies",
            permission=permission_words(t, permission),
            seen=t("runner.check.shared" if held else "runner.check.unshared"))))
    if expectation.duration is not None:
        duration = grant.duration if grant is not None else None
        clauses.append((duration == expectation.duration, t(
            "runner.check.grant.duration", expected=duration_words(t, expectation.duration),
            seen=duration_words(t, duration))))
    ok = all(holds for holds, _ in clauses)
    return ok, t("runner.check.grant", service=look.name(expectation.service),
                 clauses=t("runner.check.separator").join(words for _, words in clauses))


def status_words(t: Catalogue, status: str | None) -> str:
    if status in (None, "none"):
        return t("runner.check.grant.none")
    return status_label(t, status)


def duration_words(t: Catalogue, duration: str | None) -> str:
    if duration is None:
        return t("runner.check.grant.no_duration")
    key = f"duration.{duration}"
    return t(key) if key in t else duration


# --- exchanges ---


def exchange_matches(exchange: SeenExchange, spec: ExchangeSeen | NoExchange) -> bool:
    """Whether the exchange is of the kind `spec` names. An exchange may touch several
    subtypes (`body_weight,bmi`), each counts; one on a whole class (`all`) touches each."""
    summary = exchange.summary
    touched: list[str | None] = [s for s in (summary.subtype or "").split(",") if s] or [None]
    wanted = spec.data.subtype if spec.data is not None else None
    if ALL in touched and wanted is not None:
        touched.append(wanted)
    return any(spec.matches(summary.client_id, exchange.outcome, summary.direction,
                            summary.data_class, subtype) for subtype in touched)


def describe_exchange(t: Catalogue, spec: ExchangeSeen | NoExchange,
                      name: Callable[[str], str]) -> str:
    """« échange autorisé de Pesée Claire (lecture, mesures · poids) »."""
    details = []
    if spec.access is not None:
        details.append(t(f"grant.access.{spec.access}"))
    if spec.data is not None:
        details.append(data_words(t, spec.data.data_class, spec.data.subtype))
    return t("runner.exchange", outcome=t(f"runner.outcome.{spec.outcome}"),
             service=name(spec.service),
             details=t("runner.exchange.details", details=", ".join(details)) if details else "")


def data_words(t: Catalogue, data_class: str, subtype: str | None) -> str:
    """`mesures · poids` for `measures/body_weight`, `mesures` for `measures`."""
    label = t(f"data_class.{data_class}") if f"data_class.{data_class}" in t else data_class
    if not subtype or subtype == ALL:
        return label
    key = f"subtype.{subtype}"
    return t("grant.permission.what", data_class=label, subtype=t(key) if key in t else subtype)


def _exchange(look: _Look, expectation: ExchangeSeen) -> tuple[bool, str]:
    t = look.t
    seen = sum(exchange_matches(e, expectation) for e in look.exchanges or ())
    wanted = expectation.count
    key = "runner.check.exchange" if wanted == 1 else "runner.check.exchanges"
    return seen >= wanted, t(key, what=describe_exchange(t, expectation, look.name),
                             count=wanted, seen=seen)


def _no_exchange(look: _Look, expectation: NoExchange) -> tuple[bool, str]:
    t = look.t
    seen = sum(exchange_matches(e, expectation) for e in look.exchanges or ())
    return seen == 0, t("runner.check.no_exchange",
                        what=describe_exchange(t, expectation, look.name), seen=seen)


_CHECKS: tuple[tuple[type, Callable[[_Look, Any], tuple[bool, str]]], ...] = (
    (SectionIs, _section),
    (TextShown, _text),
    (TextAbsent, _no_text),
    (NotificationShown, _notification),
    (GrantState, _grant),
    (ExchangeSeen, _exchange),
    (NoExchange, _no_exchange),
)


def all_hold(results: Iterable[CheckResult]) -> bool:
    return all(result.ok for result in results)

