"""Dialogs about spaces: whose space to open (legal representative), and the password the
server may ask again before switching."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar, TypeVar

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Button, Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from ens_consent_tui.client import (
    ClientError,
    LoginFailed,
    PendingSignIn,
    Session,
    Space,
)
from ens_consent_tui.problems import describe
from ens_consent_tui.screens.base import EnsModal

R = TypeVar("R")


class SpaceChoiceDialog(EnsModal[str | None]):
    """Whose space to open: one's own, or that of a person one represents. Answers a patient
    id, or None when closed."""

    AUTO_FOCUS = "#spaces"

    def __init__(self, spaces: Sequence[Space], current: str | None) -> None:
        super().__init__()
        self.spaces = tuple(spaces)
        self.current = current

    def compose(self) -> ComposeResult:
        t = self.t
        with Vertical(classes="dialog", id="space-dialog"):
            yield Label(t("space.choose.title"), classes="dialog-title")
            yield Static(t("space.choose.help"), classes="dialog-help")
            yield OptionList(*(Option(self._label(space), id=space.patient_id)
                               for space in self.spaces), id="spaces")

    def _label(self, space: Space) -> str:
        t = self.t
        key = "space.option.self" if space.is_self else "space.option.other"
        label = t(key, name=space.name)
        return t("space.option.current", label=label) if space.patient_id == self.current \
            else label

    def on_mount(self) -> None:
        ids = [s.patient_id for s in self.spaces]
        if self.current in ids:
            self.query_one("#spaces", OptionList).highlighted = ids.index(self.current)

    @on(OptionList.OptionSelected, "#spaces")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)


class PasswordPrompt(EnsModal[R]):
    """The server asks for the password again: `answer` sends it and says what comes next
    (None: keep the dialog open). A wrong password is told under the field."""

    AUTO_FOCUS = "#confirm-password"
    HELP_KEY: ClassVar[str]

    def __init__(self, username: str) -> None:
        super().__init__()
        self.username = username

    def compose(self) -> ComposeResult:
        t = self.t
        with Vertical(classes="dialog", id="password-dialog"):
            yield Label(t("space.password.title"), classes="dialog-title")
            yield Static(t(self.HELP_KEY, username=self.username), classes="dialog-help")
            yield Input(placeholder=t("login.password"), password=True, id="confirm-password")
            yield Static(id="password-message", classes="dialog-error")
            yield Button(t("space.password.submit"), id="confirm", variant="primary")

    @on(Input.Submitted, "#confirm-password")
    @on(Button.Pressed, "#confirm")
    def _submit(self) -> None:
        password = self.query_one("#confirm-password", Input).value
        if password:
            self.confirm(password)

    async def answer(self, password: str) -> R | None:
        raise NotImplementedError

    @work(exclusive=True)
    async def confirm(self, password: str) -> None:
        message = self.query_one("#password-message", Static)
        message.update("")
        try:
            with self.busy(self.query_one("#password-dialog")):
                result = await self.answer(password)
        except LoginFailed:
            message.update(self.t("login.refused"))
            self.query_one("#confirm-password", Input).value = ""
            return
        except ClientError as error:
            message.update(describe(self.t, error)[1])
            return
        if result is not None:
            self.dismiss(result)


class PasswordDialog(PasswordPrompt[Session | None]):
    """The server asks for the password again before opening another space."""

    HELP_KEY = "space.password.help"

    def __init__(self, pending: PendingSignIn) -> None:
        super().__init__(pending.username or "")
        self.pending = pending

    async def answer(self, password: str) -> Session | None:
        result = await self.client.auth.confirm_password(self.pending, password)
        if isinstance(result, Session):
            return result
        self.pending = result
        return None
