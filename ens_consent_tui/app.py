"""The patient app: one Textual `App`, built by `make_app` for the CLI and the tests alike.

Navigation is by Textual modes: `login`, then one mode per top-level section (`SECTIONS`), each
with its own screen stack. The app holds the session (whose space is shown) as a reactive that
the header and the sections watch; switching space reloads what the sections show.

Where later work plugs in: a section is one more `Section` in `SECTIONS` (its key, its screen);
a home card is one more class in `widgets.home_sections.HOME_SECTIONS`; a server API is one more
attribute of `EnsClient`. The live event feed (`LiveFeed`) starts in `on_signed_in` and stops
in `_leave_sections`; its batches reach every section screen as `EventsReceived`, and a lost
server sets `connection` (the banner under each section's header). What the person does goes to
the journey journal through `journey` (`journal_recorder`, fed by the screens' messages); a
scenario given to `make_app` is guided beside the screens by `guided` (`ens_consent_tui.guided`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual import work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.command import CommandPalette
from textual.reactive import var
from textual.screen import Screen

from ens_consent_tui.client import (
    ClientError,
    EnsClient,
    PendingSignIn,
    ServerUnreachable,
    Session,
    SessionExpired,
    TokenStore,
)
from ens_consent_tui.i18n import Catalogue
from ens_consent_tui.journal_recorder import JourneyRecorder
from ens_consent_tui.messages import (
    ConnectionLost,
    ConnectionRestored,
    EventsReceived,
    SignedIn,
    SignedOut,
)
from ens_consent_tui.problems import describe
from ens_consent_tui.screens.base import AppScreenMixin
from ens_consent_tui.screens.exchanges_feed import LiveFeed
from ens_consent_tui.screens.help import HelpScreen
from ens_consent_tui.screens.login import LoginScreen
from ens_consent_tui.screens.services_commands import ServiceCommands
from ens_consent_tui.screens.space import PasswordDialog, SpaceChoiceDialog
from ens_consent_tui.theme import DEFAULT_THEME, HIGH_CONTRAST, THEMES
from ens_consent_tui.widgets.connection_banner import LostConnection

if TYPE_CHECKING:
    import httpx

    from ens_consent_tui.guided import GuidedMode
    from ens_consent_tui.journal import Journal
    from ens_consent_tui.messages import (
        ExchangeOpened,
        ExchangesExported,
        GrantChanged,
        ServicesFound,
        ServiceSheetLoaded,
    )
    from ens_consent_tui.scenarios.model import Scenario
    from ens_consent_tui.screens.consent import ConsentDialog
    from ens_consent_tui.widgets.permission_switch import PermissionSwitch


@dataclass(frozen=True)
class Section:
    """A top-level section: its mode, its key, its label and the screen it opens on."""

    mode: str
    key: str
    label_key: str
    screen: Callable[[], Screen]


def _home_screen() -> Screen:
    from ens_consent_tui.screens.home import HomeScreen

    return HomeScreen()


def _store_screen() -> Screen:
    from ens_consent_tui.screens.store import StoreScreen

    return StoreScreen()


def _data_screen() -> Screen:
    from ens_consent_tui.screens.data import DataScreen

    return DataScreen()


def _services_screen() -> Screen:
    from ens_consent_tui.screens.services import ServicesScreen

    return ServicesScreen()


def _exchanges_screen() -> Screen:
    from ens_consent_tui.screens.exchanges import ExchangesScreen

    return ExchangesScreen()


# Sections are imported on first visit: the first screen (login) paints without them
# (benchmarks/tui_startup.py).
SECTIONS: tuple[Section, ...] = (
    Section("home", "a", "section.home", _home_screen),
    Section("store", "c", "section.store", _store_screen),
    Section("data", "d", "section.data", _data_screen),
    Section("services", "s", "section.services", _services_screen),
    Section("exchanges", "e", "section.exchanges", _exchanges_screen),
)
"""In tab order."""

LOGIN_MODE = "login"
SCREEN_CSS = sorted((Path(__file__).parent / "screens").glob("*.tcss"))
"""Every screen's style sheet, read with the app's at start: a screen's `CSS_PATH` read at its
first showing would make Textual parse every style sheet again and restyle the whole app."""


class EnsConsentApp(App[None]):
    """Mon espace santé, patient side: log in, browse the store, look at one's data."""

    CSS_PATH: ClassVar = ["app.tcss", *SCREEN_CSS]
    TITLE = "ens-consent"
    MODES: ClassVar = {LOGIN_MODE: LoginScreen, **{s.mode: s.screen for s in SECTIONS}}
    DEFAULT_MODE = LOGIN_MODE
    COMMANDS: ClassVar = {*App.COMMANDS, ServiceCommands}
    HORIZONTAL_BREAKPOINTS: ClassVar = [(0, "-narrow"), (100, "-wide")]
    BINDINGS: ClassVar = [
        *(Binding(s.key, f"go('{s.mode}')", s.label_key, id=f"go-{s.mode}") for s in SECTIONS),
        Binding("question_mark,f1", "help", "key.help", id="help", key_display="?"),
        Binding("p", "switch_space", "key.switch_space", id="switch-space"),
        Binding("x", "sign_out", "key.sign_out", id="sign-out"),
        Binding("q", "quit", "key.quit", id="quit"),
        Binding("ctrl+p", "command_palette", "key.palette", id="command-palette", show=False,
                priority=True),
        # Guided mode only (see check_action).
        Binding("right_square_bracket", "guide_move(1)", "key.guide_next", id="guide-next",
                key_display="]"),
        Binding("left_square_bracket", "guide_move(-1)", "key.guide_previous",
                id="guide-previous", key_display="["),
        Binding("g", "guide_toggle", "key.guide_toggle", id="guide-toggle"),
        Binding("exclamation_mark", "guide_run", "key.guide_run", id="guide-run",
                key_display="!"),
    ]

    session: var[Session | None] = var(None)
    """Who is logged in and whose space is shown; None on the login screen."""

    connection: var[LostConnection | None] = var(None)
    """Set while the live feed cannot reach the server (the sections show a banner)."""

    guide_revision: var[int] = var(0)
    """Moves whenever the guided scenario's state changes (its panels redraw)."""

    guide_shown: var[bool] = var(True)
    """Whether the guide's panel is shown (a key hides it)."""

    def __init__(self, client: EnsClient, catalogue: Catalogue, *,
                 screenshot_dir: Path | None = None, journal: Journal | None = None,
                 scenario: Scenario | None = None, facilitator_token: str | None = None,
                 scenario_id: str | None = None) -> None:
        super().__init__()
        self.client = client
        self.i18n = catalogue
        self.sections = SECTIONS
        self.screenshot_dir = screenshot_dir
        self.export_dir: Path | None = None
        """Where exports are saved (None: the downloads folder, else the current directory)."""
        self.live_feed = LiveFeed(self)
        self.journey = JourneyRecorder(self, journal)
        """What the person does, written to the journey journal (if there is one)."""
        self.guided: GuidedMode | None = None
        """The scenario being guided, if any (`ens-consent --scenario`)."""
        if scenario is not None:
            from ens_consent_tui.guided import GuidedMode

            self.guided = GuidedMode(self, scenario, facilitator_token=facilitator_token,
                                     scenario_id=scenario_id)
        self.register_theme(HIGH_CONTRAST)
        self.theme = DEFAULT_THEME
        for section in SECTIONS:
            self._modes[section.mode] = partial(self._new_screen, section.screen)

    def _new_screen(self, screen: Callable[[], Screen]) -> Screen:
        """A mode's screen, marked as styled with the app's CSS as it is now (which it will be
        when mounted). Textual otherwise treats a new screen as missing the last CSS change and
        parses every style sheet again and restyles the whole app, twice, at its first
        showing; a theme changed later still restyles it as before."""
        new = screen()
        new._css_update_count = self._css_update_count
        return new

    def on_mount(self) -> None:
        self.journey.started()
        self.journey.screen_shown(self.screen)
        # Queued, not at once: what a closing dialog reports comes before the screen after it.
        self.screen_change_signal.subscribe(
            self, lambda screen: self.call_later(self.journey.screen_shown, screen))
        if self.guided is not None:
            self.guided.mounted()

    async def on_unmount(self) -> None:
        self.live_feed.stop()
        self.journey.closed()
        if self.guided is not None:
            await self.guided.unmounted()
        await self.client.aclose()

    # --- session ----------------------------------------------------------------------------

    async def on_signed_in(self, message: SignedIn) -> None:
        previous, self.session = self.session, message.session
        self.journey.signed_in(previous, message.session)
        if self.guided is not None:
            self.guided.signed_in(previous, message.session)
        if previous is None or previous.space != message.session.space:
            self.live_feed.start(message.session.space.patient_id)
        if self.current_mode == LOGIN_MODE:
            await self.switch_mode(SECTIONS[0].mode)
        elif previous is not None and previous.space != message.session.space:
            self.notify(self.i18n("space.now", name=message.session.space.name),
                        title=self.i18n("space.changed.title"))

    def action_sign_out(self) -> None:
        self.sign_out()

    @work(exclusive=True, group="sign-out")
    async def sign_out(self) -> None:
        """Revoke the tokens, then back to the login screen whatever the server said."""
        try:
            await self.client.auth.sign_out()
        except ClientError as error:
            title, message = describe(self.i18n, error)
            self.notify(self.i18n("signout.local_only", message=message), title=title,
                        severity="warning", timeout=10)
        else:
            self.notify(self.i18n("signout.done"), title=self.i18n("signout.title"))
        self.session = None
        self._signed_out(expired=False)
        await self._leave_sections()
        self.post_message(SignedOut())

    @work(group="expiry")
    async def _session_expired(self) -> None:
        self._signed_out(expired=True)
        await self._leave_sections()
        self.post_message(SignedOut(expired=True))

    def _signed_out(self, expired: bool) -> None:
        self.journey.signed_out(expired)
        if self.guided is not None:
            self.guided.signed_out()

    async def _leave_sections(self) -> None:
        """Back to login; the sections start afresh next time (nothing of this space stays)."""
        self.live_feed.stop()
        self.connection = None
        await self.switch_mode(LOGIN_MODE)
        for section in SECTIONS:
            await self.remove_mode(section.mode)
            self.add_mode(section.mode, partial(self._new_screen, section.screen))

    def report_error(self, error: ClientError) -> None:
        """Tell the person what failed, in a titled toast; an expired session goes to login
        (told once, however many calls failed with it)."""
        if isinstance(error, SessionExpired):
            if self.session is None:
                return
            self.session = None
            self._session_expired()
        title, message = describe(self.i18n, error)
        self.notify(message, title=title, severity="error",
                    timeout=12 if isinstance(error, ServerUnreachable) else 8)

    # --- live events ------------------------------------------------------------------------

    def on_events_received(self, message: EventsReceived) -> None:
        if self.session is not None and message.patient_id == self.session.space.patient_id:
            self.live_feed.hand_over(message, (s.mode for s in SECTIONS))
            if self.guided is not None:
                self.guided.check()

    def on_connection_lost(self, message: ConnectionLost) -> None:
        if self.session is not None:
            self.connection = LostConnection.retrying_in(message.retry_in, message.reason)

    def on_connection_restored(self, _message: ConnectionRestored) -> None:
        if self.connection is not None:
            self.connection = None
            self.notify(self.i18n("banner.restored.message"),
                        title=self.i18n("banner.restored.title"))

    # --- the journey journal: what the screens report, by message name (nothing imported) -----

    def on_services_found(self, message: ServicesFound) -> None:
        self.journey.services_found(message)

    def on_service_sheet_loaded(self, message: ServiceSheetLoaded) -> None:
        self.journey.sheet_loaded(message)

    def on_consent_dialog_shown(self, message: ConsentDialog.Shown) -> None:
        self.journey.consent_shown(message.dialog)

    def on_consent_dialog_closed(self, message: ConsentDialog.Closed) -> None:
        self.journey.consent_closed(message.dialog, message.decision)

    def on_permission_switch_changed(self, message: PermissionSwitch.Changed) -> None:
        self.journey.permission_switched(message.permission_switch, message.value)

    def on_grant_changed(self, message: GrantChanged) -> None:
        self.journey.grant_changed(message)

    def on_exchange_opened(self, message: ExchangeOpened) -> None:
        self.journey.exchange_opened(message)

    def on_exchanges_exported(self, message: ExchangesExported) -> None:
        self.journey.exchanges_exported(message)

    # --- spaces -----------------------------------------------------------------------------

    def action_switch_space(self) -> None:
        if self.session is None:
            return
        self.push_screen(SpaceChoiceDialog(self.session.spaces, self.session.space.patient_id),
                         self._space_chosen)

    def _space_chosen(self, patient_id: str | None) -> None:
        if patient_id is not None and self.session is not None \
                and patient_id != self.session.space.patient_id:
            self.switch_space(patient_id)

    @work(exclusive=True, group="space")
    async def switch_space(self, patient_id: str) -> None:
        """Authorize again for another space; the server may ask for the password first."""
        try:
            result = await self.client.auth.switch_space(patient_id)
        except ClientError as error:
            self.report_error(error)
            return
        if isinstance(result, PendingSignIn):
            self.push_screen(PasswordDialog(result), self._password_confirmed)
        else:
            self.post_message(SignedIn(result))

    def _password_confirmed(self, session: Session | None) -> None:
        if session is not None:
            self.post_message(SignedIn(session))

    # --- navigation -------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Sections and session actions only once logged in; space switching for those who
        represent someone."""
        if action in ("go", "sign_out"):
            return self.session is not None
        if action == "switch_space":
            return self.session is not None and self.session.represents_others
        if action in ("guide_move", "guide_toggle"):
            return self.guided is not None
        if action == "guide_run":
            return self.guided is not None and self.guided.guide.by_facilitator
        return True

    def action_go(self, mode: str) -> None:
        if self.session is not None and mode in self._modes and mode != self.current_mode:
            self.switch_mode(mode)

    def action_guide_move(self, delta: int) -> None:
        if self.guided is not None:
            self.guided.move(delta)

    def action_guide_toggle(self) -> None:
        self.guide_shown = not self.guide_shown

    def action_guide_run(self) -> None:
        if self.guided is not None:
            self.guided.run_action()

    def action_help(self) -> None:
        if isinstance(self.screen, HelpScreen):
            return
        screen = self.screen
        bindings = screen.app_bindings() if isinstance(screen, AppScreenMixin) else []
        self.push_screen(HelpScreen(bindings))

    def action_help_quit(self) -> None:
        self.notify(self.i18n("quit.how"), title=self.i18n("quit.title"))

    def action_command_palette(self) -> None:
        if self.use_command_palette and not CommandPalette.is_open(self):
            self.push_screen(CommandPalette(id="--command-palette",
                                            placeholder=self.i18n("palette.placeholder")))

    def action_screenshot(self) -> None:
        path = self.save_screenshot(path=str(self.screenshot_dir) if self.screenshot_dir
                                    else None)
        self.notify(self.i18n("screenshot.saved", path=path),
                    title=self.i18n("screenshot.title"))

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """The palette: sections, spaces, themes, screenshot, help, and the screen's own."""
        t = self.i18n
        if self.session is not None:
            for section in SECTIONS:
                yield SystemCommand(t("command.go", section=t(section.label_key)),
                                    t("command.go.help"), partial(self.action_go, section.mode))
            for space in self.session.spaces:
                if space != self.session.space:
                    yield SystemCommand(t("command.space", name=space.name),
                                        t("command.space.help"),
                                        partial(self.switch_space, space.patient_id))
            yield SystemCommand(t("key.sign_out"), t("command.sign_out.help"),
                                self.action_sign_out)
        for theme in THEMES:
            yield SystemCommand(t("command.theme", theme=t(f"theme.{theme}")),
                                t("command.theme.help"), partial(setattr, self, "theme", theme))
        yield SystemCommand(t("command.screenshot"), t("command.screenshot.help"),
                            self.action_screenshot)
        yield SystemCommand(t("key.help"), t("command.help.help"), self.action_help)
        yield SystemCommand(t("key.quit"), t("command.quit.help"), self.exit)
        if isinstance(screen, AppScreenMixin):
            yield from screen.context_commands()


def make_app(server_url: str, *, lang: str = "fr", token_store: TokenStore,
             screenshot_dir: Path | None = None,
             transport: httpx.AsyncBaseTransport | None = None,
             journal: Journal | None = None, scenario: Scenario | None = None,
             facilitator_token: str | None = None,
             scenario_id: str | None = None) -> EnsConsentApp:
    """The app connected to the platform at `server_url` (what the CLI and the tests run).

    `journal`: where the person's actions are written (None: nowhere, as tests and the
    headless runner want unless they pass one). `scenario`: guided beside the screens, its
    start prepared and its facilitator actions run through the console when the app holds a
    `facilitator_token`; `scenario_id` names it in the journal (default: from its title)."""
    client = EnsClient(server_url, token_store=token_store, transport=transport)
    return EnsConsentApp(client, Catalogue(lang), screenshot_dir=screenshot_dir,
                         journal=journal, scenario=scenario,
                         facilitator_token=facilitator_token, scenario_id=scenario_id)
