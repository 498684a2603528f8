"""What the app writes to the journey journal: the app hands over what happened (a screen shown,
a message the screens posted), this turns it into journal events with their details.

The app passes its messages by name (`on_services_found`...), and this module reads them by
their attributes: nothing here imports a screen, so journaling costs the app's start nothing.
Without a journal (`make_app(journal=None)`, tests, the headless runner) every call does nothing.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from textual.screen import Screen

    from ens_consent_tui.app import EnsConsentApp
    from ens_consent_tui.client.services import ConsentRequest, Decision
    from ens_consent_tui.client.session import Session
    from ens_consent_tui.journal import Journal
    from ens_consent_tui.messages import (
        ExchangeOpened,
        ExchangesExported,
        GrantChanged,
        ServicesFound,
        ServiceSheetLoaded,
    )
    from ens_consent_tui.screens.consent import ConsentDialog
    from ens_consent_tui.widgets.permission_switch import PermissionSwitch

_WORD = re.compile(r"(?<!^)(?=[A-Z])")
_SUFFIXES = ("Screen", "Dialog")


def screen_name(screen: Screen) -> str:
    """What the journal calls a screen: a section's name (`store`), else its class in
    snake case without `Screen`/`Dialog` (`service_sheet`, `consent`, `help`)."""
    section = getattr(screen, "SECTION", None)
    if isinstance(section, str):
        return section
    name = type(screen).__name__
    for suffix in _SUFFIXES:
        if name.endswith(suffix) and name != suffix:
            name = name[: -len(suffix)]
    return _WORD.sub("_", name).lower()


def permission_keys(request: ConsentRequest, scope: str) -> list[str]:
    """A requested scope as the register's permissions (`measures/body_weight/read`), the
    form scenarios use; the scope itself when the server did not say what it covers."""
    for permission in request.permissions:
        if permission.scope == scope and permission.covers:
            return [f"{c.data_class}/{c.subtype}/{c.access}" for c in permission.covers]
    return [scope]


def _service_of(request: ConsentRequest) -> str:
    return request.service.id if request.service is not None else request.client.client_id


class JourneyRecorder:
    """Writes the journey of one app session (see the module docstring)."""

    def __init__(self, app: EnsConsentApp, journal: Journal | None) -> None:
        self.app = app
        self.journal = journal
        self._dialog: tuple[ConsentDialog, float] | None = None
        self._last_search = ""

    def record(self, event: str, **details: Any) -> None:
        """Append one event; the first failure to write is told once, then nothing more is
        written (the session goes on)."""
        journal = self.journal
        if journal is None or not journal.enabled:
            return
        if not journal.write(event, **details):
            t = self.app.i18n
            reason = journal.failure.strerror if journal.failure else None
            self.app.notify(t("journal.failed", directory=journal.directory,
                              reason=reason or journal.failure),
                            title=t("journal.failed.title"), severity="warning", timeout=10)

    def update(self, **context: Any) -> None:
        if self.journal is not None:
            self.journal.update(**context)

    # --- the app's life -------------------------------------------------------------------

    def started(self) -> None:
        self.record("app_started", lang=self.app.i18n.lang, server=self.app.client.base_url)

    def closed(self) -> None:
        self.record("app_closed")
        if self.journal is not None:
            self.journal.close()

    def screen_shown(self, screen: Screen) -> None:
        details: dict[str, Any] = {"screen": screen_name(screen)}
        service_id = getattr(screen, "service_id", None)
        if isinstance(service_id, str):
            details["service"] = service_id
        self.record("screen", **details)

    def signed_in(self, previous: Session | None, session: Session) -> None:
        self.update(account=session.username, space=session.space.patient_id)
        self._last_search = ""
        if previous is None:
            self.record("signed_in", space_name=session.space.name,
                        own_space=session.space.is_self)
        elif previous.space != session.space:
            self.record("space_switched", space_name=session.space.name,
                        own_space=session.space.is_self, previous_space=previous.space.patient_id)

    def signed_out(self, expired: bool) -> None:
        self.record("signed_out", expired=expired)
        self.update(account=None, space=None)

    # --- the store ------------------------------------------------------------------------

    def services_found(self, message: ServicesFound) -> None:
        """The search box's text once the store searched it (debounced: the final text)."""
        if message.query != self._last_search:
            self._last_search = message.query
            self.record("search", text=message.query, results=message.result.total)

    def sheet_loaded(self, message: ServiceSheetLoaded) -> None:
        self.record("sheet_opened", service=message.sheet.id, service_name=message.sheet.name)

    # --- consent --------------------------------------------------------------------------

    def consent_shown(self, dialog: ConsentDialog) -> None:
        request = dialog.request
        self._dialog = (dialog, self._now())
        self.record("consent_shown", service=_service_of(request),
                    service_name=request.service_name, maille=request.maille,
                    permissions=[k for p in request.permissions
                                 for k in permission_keys(request, p.scope)],
                    default_duration=request.default_duration)

    def consent_closed(self, dialog: ConsentDialog, decision: Decision | None) -> None:
        """`decision`: the one the server took, None when the person left without deciding."""
        request = dialog.request
        opened = self._dialog[1] if self._dialog and self._dialog[0] is dialog else None
        self._dialog = None
        asked = [k for p in request.permissions for k in permission_keys(request, p.scope)]
        details: dict[str, Any] = {"service": _service_of(request)}
        if decision is None:
            details["decision"] = "cancel"
        elif decision.allow:
            granted = [k for s in decision.scopes for k in permission_keys(request, s)]
            details.update(decision="allow", granted=granted,
                           refused=[k for k in asked if k not in granted],
                           duration=decision.duration or request.default_duration,
                           include_earlier=decision.include_earlier)
        else:
            details.update(decision="deny", granted=[], refused=asked)
        if opened is not None:
            details["seconds_on_dialog"] = round(self._now() - opened, 3)
        self.record("consent_decided", **details)

    def permission_switched(self, switch: PermissionSwitch, value: bool) -> None:
        """A switch of the consent dialog or of Mes services' permissions dialog."""
        screen = switch.screen
        request = getattr(screen, "request", None)
        grant = getattr(screen, "grant", None)
        details: dict[str, Any] = {"dialog": screen_name(screen)}
        if request is not None:
            details.update(service=_service_of(request),
                           permission=",".join(permission_keys(request, switch.key)))
        else:
            details["permission"] = switch.key
            if grant is not None:
                details["service"] = grant.service.id
        self.record("permission_switched", **details, value="on" if value else "off")

    # --- Mes services, exchanges ----------------------------------------------------------

    def grant_changed(self, message: GrantChanged) -> None:
        """`narrowed`, `duration_changed`, `excluded` or `revoked`, with the grant as it is."""
        grant = message.grant
        self.record(message.change, service=grant.service.id, status=grant.status,
                    permissions=["/".join(p.key) for p in grant.permissions],
                    duration=grant.duration,
                    valid_until=grant.valid_until.isoformat() if grant.valid_until else None)

    def exchange_opened(self, message: ExchangeOpened) -> None:
        summary = message.detail.summary
        self.record("exchange_inspected", exchange=summary.id, service=summary.client_id,
                    service_name=summary.service_name, outcome=summary.outcome,
                    data_class=summary.data_class, direction=summary.direction)

    def exchanges_exported(self, message: ExchangesExported) -> None:
        self.record("export_saved", format=message.fmt, path=str(message.path))

    def _now(self) -> float:
        return self.journal.monotonic() if self.journal is not None else 0.0
