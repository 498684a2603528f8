"""Connecting a service: the consent dialog, the password the server may ask first, and the
flow that runs them (from a service's sheet or from the command palette).

`connect_service(app, service_id)` starts the service's real authorization flow (see
`client.services`), shows what the server asks, posts the decision and reports the end: a
toast and `ServiceConnected` or `ConsentRefused`, posted to the screen in front (they bubble up
to the app). Escape on a dialog stops there: nothing is decided, nothing is posted.
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.await_complete import AwaitComplete
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.widgets import Button, Checkbox, Label, Select, Static

from ens_consent_tui.client import ClientError, SessionExpired
from ens_consent_tui.client.services import (
    Connection,
    ConnectStep,
    ConsentRequest,
    Decision,
    PasswordNeeded,
)
from ens_consent_tui.messages import ConsentRefused, ServiceConnected
from ens_consent_tui.problems import describe
from ens_consent_tui.screens.base import EnsModal
from ens_consent_tui.screens.space import PasswordPrompt
from ens_consent_tui.widgets.permission_switch import PermissionSwitch

if TYPE_CHECKING:
    from ens_consent_tui.app import EnsConsentApp

CONNECT_GROUP = "connect-service"
"""The worker group of a connection in progress (one at a time)."""


class ServicePasswordDialog(PasswordPrompt[ConnectStep]):
    """The login session expired: the password again, then the flow goes on."""

    HELP_KEY = "consent.password.help"

    def __init__(self, pending: PasswordNeeded) -> None:
        super().__init__(pending.username)
        self.pending = pending

    async def answer(self, password: str) -> ConnectStep:
        return await self.client.services.sign_in(self.pending, password)


class ConsentDialog(EnsModal[Connection | None]):
    """What the service asks, line by line; each line can be switched off. Answers the
    `Connection` once the decision is posted and the service has its answer."""

    AUTO_FOCUS = "#consent-body"
    """Who asks comes first on screen; Tab then goes from line to line."""
    CSS_PATH = "consent.tcss"

    class Shown(Message):
        """The dialog is on screen, for the journey journal (how long it stays there)."""

        def __init__(self, dialog: ConsentDialog) -> None:
            super().__init__()
            self.dialog = dialog

    class Closed(Message):
        """The dialog closed, for the journey journal: `decision` is the one the server took,
        None when the person left without deciding (Escape, or the session ended)."""

        def __init__(self, dialog: ConsentDialog, decision: Decision | None) -> None:
            super().__init__()
            self.dialog = dialog
            self.decision = decision

    def __init__(self, request: ConsentRequest) -> None:
        super().__init__()
        self.request = request
        self.decided: Decision | None = None

    # --- what the dialog shows --------------------------------------------------------------

    def compose(self) -> ComposeResult:
        t, request = self.t, self.request
        with Vertical(classes="dialog", id="consent-dialog"):
            yield Label(t("consent.title", service=request.service_name), classes="dialog-title")
            with VerticalScroll(id="consent-body"):
                yield Static(self._who(), id="consent-service")
                if request.service and request.service.purposes:
                    yield Label(t("consent.purposes"), classes="consent-heading")
                    yield Static(Text("\n".join(f"• {p}" for p in request.service.purposes)),
                                 id="consent-purposes")
                yield Label(t("consent.permissions"), classes="consent-heading")
                yield Static(t("consent.permissions.help"), classes="dialog-help")
                yield from self._permission_lines()
                yield Label(t("consent.duration"), classes="consent-heading")
                yield Select[str]([(self._duration_label(d.value, d.label), d.value)
                                   for d in request.durations],
                                  value=request.default_duration, allow_blank=False,
                                  id="consent-duration")
                yield Checkbox(t("consent.include_earlier"), request.include_earlier,
                               id="consent-include-earlier")
            yield Static(request.error_description or "", id="consent-error",
                         classes="dialog-error")
            with Horizontal(classes="dialog-buttons"):
                yield Button(t("consent.allow"), id="allow", variant="success")
                yield Button(t("consent.deny"), id="deny", variant="error")

    def on_mount(self) -> None:
        self.app.post_message(self.Shown(self))

    def _duration_label(self, value: str, server_label: str) -> str:
        """The app's words for a duration it knows (in its language), else the server's."""
        key = f"duration.{value}"
        return self.t(key) if key in self.t else server_label

    def _who(self) -> Text:
        """The editor, the host (certified or not, in words) and whose space it is."""
        t, request = self.t, self.request
        text = Text()
        service = request.service
        if service is not None:
            text.append(t("consent.editor", editor=service.editor.legal_name,
                          country=service.editor.country))
            key = "sheet.hosting.hds" if service.hosting.hds_certified else \
                "sheet.hosting.not_hds"
            text.append("\n")
            text.append(t(key, provider=service.hosting.provider,
                          country=service.hosting.country),
                        style="" if service.hosting.hds_certified else "bold")
        else:
            text.append(t("consent.outside_client", client=request.client.name))
        if request.acting_for is not None:
            text.append("\n")
            text.append(t("consent.acting_for", name=request.acting_for.name), style="bold")
        return text

    def _permission_lines(self) -> ComposeResult:
        """One switch per requested scope; in maille `categorie`, under their group's title."""
        t, request = self.t, self.request
        lines = {p.scope: p for p in request.permissions}
        groups = request.groups or ()
        grouped = {scope for g in groups for scope in g.scopes}
        for group in groups:
            yield Label(t("consent.group", label=group.label), classes="consent-group")
            for scope in group.scopes:
                if scope in lines:
                    yield self._switch(scope, group.key)
        for permission in request.permissions:
            if permission.scope not in grouped:
                yield self._switch(permission.scope, None)

    def _switch(self, scope: str, group: str | None) -> PermissionSwitch:
        permission = next(p for p in self.request.permissions if p.scope == scope)
        return PermissionSwitch(scope, permission.sentence, permission.access, permission.reason,
                                group=group)

    # --- what the person does ---------------------------------------------------------------

    @on(PermissionSwitch.Changed)
    def _switched(self, event: PermissionSwitch.Changed) -> None:
        """In maille `categorie` a group goes as a whole: its other lines follow."""
        together = set(self.request.scopes_with(event.permission_switch.key))
        for line in self.query(PermissionSwitch):
            if line is not event.permission_switch and line.key in together:
                line.set_value(event.value)
        self._say("")

    def kept_scopes(self) -> tuple[str, ...]:
        return tuple(line.key for line in self.query(PermissionSwitch) if line.value)

    @on(Button.Pressed, "#allow")
    def _allow(self) -> None:
        scopes = self.kept_scopes()
        if not scopes:
            self._say(self.t("consent.error.nothing"))
            return
        duration = self.query_one("#consent-duration", Select).value
        self.decide(Decision(
            allow=True, scopes=scopes,
            duration=duration if isinstance(duration, str) else None,
            include_earlier=self.query_one("#consent-include-earlier", Checkbox).value))

    @on(Button.Pressed, "#deny")
    def _deny(self) -> None:
        self.decide(Decision(allow=False))

    @work(exclusive=True)
    async def decide(self, decision: Decision) -> None:
        """Post the decision; the server's refusal or a failure is told in the dialog."""
        self._say("")
        try:
            with self.busy(self.query_one("#consent-dialog")):
                step = await self.client.services.decide(self.request, decision)
        except SessionExpired as error:
            self.ens.report_error(error)
            self.dismiss(None)
            return
        except ClientError as error:
            self._say(describe(self.t, error)[1])
            return
        if isinstance(step, Connection):
            self.decided = decision
            self.dismiss(step)
        else:
            self.request = step
            self._say(step.error_description or self.t("consent.error.refused"))

    def _say(self, text: str) -> None:
        self.query_one("#consent-error", Static).update(text)

    def dismiss(self, result: Connection | None = None) -> AwaitComplete:
        self.app.post_message(self.Closed(self, self.decided if result is not None else None))
        return super().dismiss(result)


# --- the flow -------------------------------------------------------------------------------


def connect_service(app: EnsConsentApp, service_id: str) -> None:
    """Start connecting `service_id` in the space the app shows.

    Ignored while a connection dialog is in front; otherwise a new connection replaces one
    left waiting (a dialog dropped with its section at logout never answers)."""
    if app.session is None or isinstance(app.screen, ConsentDialog | ServicePasswordDialog):
        return
    app.run_worker(partial(_connect, app, service_id), group=CONNECT_GROUP, exclusive=True)


async def _connect(app: EnsConsentApp, service_id: str) -> None:
    try:
        step: ConnectStep | None = await app.client.services.start(service_id)
    except ClientError as error:
        app.report_error(error)
        return
    if isinstance(step, PasswordNeeded):
        step = await app.push_screen_wait(ServicePasswordDialog(step))
    if isinstance(step, ConsentRequest):
        step = await app.push_screen_wait(ConsentDialog(step))
    if isinstance(step, Connection):
        report_connection(app, step)


def report_connection(app: EnsConsentApp, connection: Connection) -> None:
    """Tell the person how it ended, and the screen in front what changed."""
    t, result = app.i18n, connection.result
    name = result.service.name
    if result.connected:
        granted, requested = len(connection.granted), len(connection.requested)
        key = "consent.connected.one" if granted == 1 else "consent.connected.many"
        app.notify(t(key, service=name, granted=granted, requested=requested),
                   title=t("consent.connected.title"))
        app.screen.post_message(ServiceConnected(connection))
    else:
        app.notify(t("consent.refused", service=name), title=t("consent.refused.title"))
        app.screen.post_message(ConsentRefused(result.service.id, name))
