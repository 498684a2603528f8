"""Dialogs that change one grant: take permissions away, change its validity, exclude
documents, revoke it (with confirmation). Each sends its change itself, shows a refusal under
its buttons, and answers the grant as the server now has it (None when closed)."""

from __future__ import annotations

from collections.abc import Awaitable
from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, Label, OptionList, SelectionList, Static
from textual.widgets.option_list import Option

from ens_consent_tui.client import ClientError, NotFound, SessionExpired
from ens_consent_tui.client.grants import ALL, DURATIONS, Grant, GrantPermission
from ens_consent_tui.client.records import Document
from ens_consent_tui.client.store import ServiceSheet
from ens_consent_tui.formatting import format_date
from ens_consent_tui.grant_wording import validity_label
from ens_consent_tui.problems import describe
from ens_consent_tui.screens.base import EnsModal
from ens_consent_tui.widgets.permission_switch import PermissionSwitch


class GrantDialog(EnsModal[Grant | None]):
    """A dialog about `grant` that sends one change and answers the changed grant."""

    CSS_PATH = "services_dialogs.tcss"
    DIALOG_ID: ClassVar[str]

    def __init__(self, grant: Grant) -> None:
        super().__init__()
        self.grant = grant

    def compose_buttons(self, confirm_key: str, *, danger: bool = False) -> ComposeResult:
        yield Static(id="grant-dialog-error", classes="dialog-error")
        with Horizontal(classes="dialog-buttons"):
            yield Button(self.t(confirm_key), id="confirm",
                         variant="error" if danger else "primary")
            yield Button(self.t("form.cancel"), id="cancel")

    @on(Button.Pressed, "#cancel")
    def _cancel(self) -> None:
        self.dismiss(None)

    def say(self, text: str) -> None:
        self.query_one("#grant-dialog-error", Static).update(text)

    @work(exclusive=True, group="grant-change")
    async def send(self, change: Awaitable[Grant]) -> None:
        """Send the change; a refusal stays in the dialog, an expired session leaves."""
        self.say("")
        try:
            with self.busy(self.query_one(f"#{self.DIALOG_ID}")):
                grant = await change
        except SessionExpired as error:
            self.ens.report_error(error)
            self.dismiss(None)
            return
        except ClientError as error:
            self.say(describe(self.t, error)[1])
            return
        self.dismiss(grant)


class PermissionsDialog(GrantDialog):
    """The grant's permissions, each with a switch: switched off means taken away. What the
    service asks but was not given is listed too; sharing it means reconnecting the service."""

    DIALOG_ID = "permissions-dialog"
    AUTO_FOCUS = "PermissionSwitch > Switch"

    def __init__(self, grant: Grant) -> None:
        super().__init__(grant)
        self.reconnect_wanted = False

    def compose(self) -> ComposeResult:
        t, grant = self.t, self.grant
        with Vertical(classes="dialog -grant", id=self.DIALOG_ID):
            yield Label(t("services.permissions.title", service=grant.service.name),
                        classes="dialog-title")
            with VerticalScroll(classes="grant-dialog-body", id="permissions-body"):
                yield Static(t("services.permissions.help"), classes="dialog-help")
                for permission in grant.permissions:
                    yield PermissionSwitch(_key(permission), permission.sentence,
                                           permission.access, group=permission.group)
            yield Static(id="permissions-warning", classes="dialog-help")
            yield from self.compose_buttons("services.permissions.save")
            with Horizontal(classes="dialog-buttons"):
                yield Button(t("services.reconnect"), id="reconnect", classes="-hidden")

    def on_mount(self) -> None:
        self.load_requested()

    @work(exclusive=True, group="requested")
    async def load_requested(self) -> None:
        """What the service asks for, from its store sheet (outside clients have none)."""
        try:
            sheet = await self.client.store.service(self.grant.service.id, self.t.lang)
        except NotFound:
            return
        except ClientError as error:
            self.ens.report_error(error)
            return
        self._show_not_granted(sheet)

    def _show_not_granted(self, sheet: ServiceSheet) -> None:
        granted = {p.key for p in self.grant.permissions}
        missing = [p for p in sheet.permissions
                   if (p.data_class, p.subtype, p.access) not in granted]
        if not missing:
            return
        body = self.query_one("#permissions-body")
        body.mount(Label(self.t("services.permissions.not_granted"), classes="consent-heading"))
        body.mount_all(PermissionSwitch(f"{p.data_class}/{p.subtype}/{p.access}", p.sentence,
                                        p.access, p.reason, value=False, classes="-addition")
                       for p in missing)

    @on(PermissionSwitch.Changed)
    def _switched(self, event: PermissionSwitch.Changed) -> None:
        line = event.permission_switch
        if self.grant.maille == "categorie" and not line.has_class("-addition"):
            for other in self._granted_lines():
                if other is not line and other.group == line.group:
                    other.set_value(event.value)
        self._explain()

    def _granted_lines(self) -> list[PermissionSwitch]:
        return [line for line in self.query(PermissionSwitch) if not line.has_class("-addition")]

    def _additions(self) -> list[PermissionSwitch]:
        return [line for line in self.query(PermissionSwitch)
                if line.has_class("-addition") and line.value]

    def _explain(self) -> None:
        """Say what saving would do: adding needs a reconnection; removing all revokes."""
        t = self.t
        additions = self._additions()
        self.query_one("#reconnect").set_class(not additions, "-hidden")
        if additions:
            text = t("services.permissions.widen", permissions=", ".join(
                f"« {line.sentence} »" for line in additions))
        elif not any(line.value for line in self._granted_lines()):
            text = t("services.permissions.all_off")
        else:
            text = ""
        self.query_one("#permissions-warning", Static).update(text)
        self.say("")

    @on(Button.Pressed, "#confirm")
    def _save(self) -> None:
        if self._additions():
            self._explain()
            return
        by_key = {_key(p): p for p in self.grant.permissions}
        removed = [by_key[line.key] for line in self._granted_lines() if not line.value]
        if not removed:
            self.say(self.t("services.permissions.unchanged"))
            return
        self.send(self.client.grants.remove(self.grant.id, removed))

    @on(Button.Pressed, "#reconnect")
    def _reconnect(self) -> None:
        self.reconnect_wanted = True
        self.dismiss(None)


class DurationDialog(GrantDialog):
    """A new validity, counted from today."""

    DIALOG_ID = "duration-dialog"
    AUTO_FOCUS = "#durations"

    def compose(self) -> ComposeResult:
        t, grant = self.t, self.grant
        with Vertical(classes="dialog -grant", id=self.DIALOG_ID):
            yield Label(t("services.duration.title", service=grant.service.name),
                        classes="dialog-title")
            yield Static(t("services.duration.help",
                           validity=validity_label(t, grant.valid_until)),
                         classes="dialog-help")
            yield OptionList(*(Option(t(f"duration.{d}"), id=d) for d in DURATIONS),
                             id="durations")
            yield from self.compose_buttons("services.duration.save")

    def on_mount(self) -> None:
        if self.grant.duration in DURATIONS:
            self.query_one("#durations", OptionList).highlighted = \
                DURATIONS.index(self.grant.duration)

    @on(OptionList.OptionSelected, "#durations")
    @on(Button.Pressed, "#confirm")
    def _save(self) -> None:
        options = self.query_one("#durations", OptionList)
        if options.highlighted is None:
            self.say(self.t("services.duration.choose"))
            return
        duration = DURATIONS[options.highlighted]
        self.send(self.client.grants.change_duration(self.grant.id, duration))


class RevokeDialog(GrantDialog):
    """Are you sure? Names the service and everything that stops."""

    DIALOG_ID = "revoke-dialog"
    AUTO_FOCUS = "#cancel"

    def compose(self) -> ComposeResult:
        t, grant = self.t, self.grant
        name = grant.service.name
        stops = Text(t("services.revoke.stops", service=name))
        for permission in grant.permissions:
            stops.append(f"\n • {permission.sentence}")
        with Vertical(classes="dialog -grant", id=self.DIALOG_ID):
            yield Label(t("services.revoke.title", service=name), classes="dialog-title")
            with VerticalScroll(classes="grant-dialog-body"):
                yield Static(stops, id="revoke-stops")
                yield Static(t("services.revoke.tokens", service=name), classes="dialog-help")
            yield from self.compose_buttons("services.revoke.confirm", danger=True)

    @on(Button.Pressed, "#confirm")
    def _revoke(self) -> None:
        self.send(self.client.grants.revoke(self.grant.id))


class ExcludeDialog(GrantDialog):
    """Maille `ressource`: pick documents the service may no longer read."""

    DIALOG_ID = "exclude-dialog"
    AUTO_FOCUS = "#exclude-documents"

    def compose(self) -> ComposeResult:
        t, grant = self.t, self.grant
        with Vertical(classes="dialog -grant", id=self.DIALOG_ID):
            yield Label(t("services.exclude.title", service=grant.service.name),
                        classes="dialog-title")
            yield Static(t("services.exclude.help"), classes="dialog-help")
            yield SelectionList[str](id="exclude-documents", classes="grant-dialog-body")
            yield from self.compose_buttons("services.exclude.save")

    def on_mount(self) -> None:
        self.load_documents()

    @work(exclusive=True, group="documents")
    async def load_documents(self) -> None:
        documents_list = self.query_one("#exclude-documents", SelectionList)
        try:
            with self.busy(documents_list):
                documents = await self.client.fhir.documents()
        except ClientError as error:
            self.say(describe(self.t, error)[1])
            return
        self._show(excludable(self.grant, documents))

    def _show(self, documents: list[Document]) -> None:
        t = self.t
        if not documents:
            self.say(t("services.exclude.none"))
            return
        choices = self.query_one("#exclude-documents", SelectionList)
        choices.add_options(
            (t("services.exclude.document", date=format_date(t, d.date), title=d.title,
               group=t(f"group.{d.group}")), d.id) for d in documents)
        choices.highlighted = 0

    @on(Button.Pressed, "#confirm")
    def _save(self) -> None:
        chosen = list(self.query_one("#exclude-documents", SelectionList).selected)
        if not chosen:
            self.say(self.t("services.exclude.choose"))
            return
        self.send(self.client.grants.exclude(self.grant.id, chosen))


def excludable(grant: Grant, documents: list[Document]) -> list[Document]:
    """The documents the grant lets the service read and that are not excluded yet."""
    groups = {p.subtype for p in grant.permissions_of("documents", "read")}
    return [d for d in documents if d.group is not None and d.id not in grant.excluded
            and (ALL in groups or d.group in groups)]


def _key(permission: GrantPermission) -> str:
    return "/".join(permission.key)
