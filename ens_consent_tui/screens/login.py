"""Connexion: pick a demo account with one key, or type an identifier and a password.

On arrival the screen checks that the server answers and resumes the last session kept in the
token store, if any. A legal representative then chooses whose space to open.
"""

from __future__ import annotations

from collections.abc import Awaitable
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from ens_consent_tui.client import (
    ClientError,
    LoginFailed,
    PendingSignIn,
    ServerUnreachable,
    SignInResult,
)
from ens_consent_tui.demo_accounts import DEMO_ACCOUNTS, DEMO_PASSWORD
from ens_consent_tui.messages import LoginRefused, ServerChecked, SignedIn
from ens_consent_tui.problems import describe
from ens_consent_tui.screens.base import EnsScreen
from ens_consent_tui.screens.space import SpaceChoiceDialog
from ens_consent_tui.widgets.footer import KeysFooter
from ens_consent_tui.widgets.space_header import SpaceHeader


class LoginScreen(EnsScreen):
    """The first screen: who are you?"""

    CSS_PATH = "login.tcss"
    AUTO_FOCUS = "#demo-accounts"
    BINDINGS: ClassVar = [
        *(Binding(str(n), f"demo_login({n - 1})", "key.demo_login", id=f"demo-login-{n}",
                  show=False) for n in range(1, len(DEMO_ACCOUNTS) + 1)),
        Binding("ctrl+r", "check_server", "key.retry", id="retry-server"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.server_reachable: bool | None = None

    def compose(self) -> ComposeResult:
        t = self.t
        yield SpaceHeader(id="space-header")
        with Horizontal(id="login-body"):
            with Vertical(id="demo-pane"):
                yield Label(t("login.demo.title"), classes="pane-title")
                yield OptionList(*(
                    Option(t("login.demo.option", number=n, name=a.name, age=a.age,
                             story=t(a.story_key), username=a.username), id=a.username)
                    for n, a in enumerate(DEMO_ACCOUNTS, start=1)), id="demo-accounts")
            with Vertical(id="form-pane"):
                yield Label(t("login.form.title"), classes="pane-title")
                yield Input(placeholder=t("login.username"), id="username")
                yield Input(placeholder=t("login.password"), password=True, id="password")
                yield Button(t("login.submit"), id="sign-in", variant="primary")
                yield Static(id="login-message")
        with Horizontal(id="server-row"):
            yield Static(t("login.server.checking", url=self.client.base_url), id="server-status")
            yield Button(t("login.server.retry"), id="retry", classes="-hidden", compact=True)
        yield from self.compose_guide()
        yield KeysFooter()

    def on_mount(self) -> None:
        # Once the first frame is laid out: the first request builds the HTTP client.
        self.call_after_refresh(self.action_check_server)

    def on_screen_resume(self) -> None:
        """Back from a session: nothing of it stays in the form."""
        self.query_one("#password", Input).value = ""
        self.query_one("#login-message", Static).update("")
        self.query_one("#form-pane").loading = False

    # --- the server -------------------------------------------------------------------------

    def action_check_server(self) -> None:
        self.check_server()

    @work(exclusive=True, group="server")
    async def check_server(self) -> None:
        """Is the server there? Then resume the last session if the token store has one."""
        status = self.query_one("#server-status", Static)
        status.update(self.t("login.server.checking", url=self.client.base_url))
        try:
            await self.client.auth.discovery()
        except ServerUnreachable:
            self.post_message(ServerChecked(reachable=False))
            return
        self.post_message(ServerChecked(reachable=True))
        with self.busy(self.query_one("#login-body")):
            session = await self.attempt(self.client.auth.resume())
        if session is not None:
            self.post_message(SignedIn(session))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Retrying is offered only when the server did not answer."""
        if action == "check_server":
            return self.server_reachable is False
        return True

    def on_server_checked(self, message: ServerChecked) -> None:
        self.server_reachable = message.reachable
        self.refresh_bindings()
        key = "login.server.ok" if message.reachable else "login.server.unreachable"
        self.query_one("#server-status", Static).update(self.t(key, url=self.client.base_url))
        self.query_one("#retry").set_class(message.reachable, "-hidden")
        self.query_one("#server-row").set_class(not message.reachable, "-unreachable")

    @on(Button.Pressed, "#retry")
    def _retry(self) -> None:
        self.action_check_server()

    # --- signing in -------------------------------------------------------------------------

    def action_demo_login(self, index: int) -> None:
        account = DEMO_ACCOUNTS[index]
        self.query_one("#username", Input).value = account.username
        self.query_one("#password", Input).value = DEMO_PASSWORD
        self.sign_in(account.username, DEMO_PASSWORD)

    @on(OptionList.OptionSelected, "#demo-accounts")
    def _demo_selected(self, event: OptionList.OptionSelected) -> None:
        self.action_demo_login(event.option_index)

    @on(Input.Submitted, "#username")
    def _to_password(self) -> None:
        self.query_one("#password", Input).focus()

    @on(Input.Submitted, "#password")
    @on(Button.Pressed, "#sign-in")
    def _submit(self) -> None:
        username = self.query_one("#username", Input).value.strip()
        password = self.query_one("#password", Input).value
        if not username or not password:
            self._say(self.t("login.missing"))
            return
        self.sign_in(username, password)

    @work(exclusive=True, group="sign-in")
    async def sign_in(self, username: str, password: str) -> None:
        self._say("")
        with self.busy(self.query_one("#form-pane")):
            result = await self._attempt_sign_in(self.client.auth.sign_in(username, password))
        if isinstance(result, PendingSignIn):
            self.app.push_screen(SpaceChoiceDialog(result.spaces, None),
                                 lambda patient_id: self._space_chosen(result, patient_id))
        elif result is not None:
            self.post_message(SignedIn(result))

    def _space_chosen(self, pending: PendingSignIn, patient_id: str | None) -> None:
        if patient_id is not None:
            self.choose_space(pending, patient_id)

    @work(exclusive=True, group="sign-in")
    async def choose_space(self, pending: PendingSignIn, patient_id: str) -> None:
        with self.busy(self.query_one("#form-pane")):
            result = await self._attempt_sign_in(self.client.auth.choose_space(pending,
                                                                               patient_id))
        if result is not None and not isinstance(result, PendingSignIn):
            self.post_message(SignedIn(result))

    async def _attempt_sign_in(self, call: Awaitable[SignInResult]) -> SignInResult | None:
        """Failures are told under the form, where the person is looking."""
        try:
            return await call
        except LoginFailed as error:
            self.post_message(LoginRefused(error.reason))
        except ClientError as error:
            if isinstance(error, ServerUnreachable):
                self.post_message(ServerChecked(reachable=False))
            self._say(describe(self.t, error)[1])
        return None

    def on_login_refused(self, message: LoginRefused) -> None:
        self._say(self.t("login.refused"))
        password = self.query_one("#password", Input)
        password.value = ""
        password.focus()

    def _say(self, text: str) -> None:
        self.query_one("#login-message", Static).update(text)
