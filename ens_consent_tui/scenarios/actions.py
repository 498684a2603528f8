"""The person's actions of a scenario, done on the real app as someone at the keyboard would:
section keys, typing, arrows and Enter in lists, Space on the consent dialog's switches, the
confirmations; the cursor of a long table is placed on its row as the app's own tests do.

Every action waits for its result by condition (a screen shown and done loading, a message the
app posts when a change is made), looking again and again within `ACTION_TIMEOUT` while the app
runs; it never sleeps a fixed time. An action that cannot be done (a service the store does not
list, a permission the dialog does not show, no grant to narrow, an error the app reports)
raises `StepCannotRun` with the reason in the words of the run.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Iterable, Mapping
from functools import partial
from typing import TYPE_CHECKING, Any

from textual import events
from textual.keys import _character_to_key, key_to_character
from textual.message import Message
from textual.pilot import Pilot
from textual.widget import Widget
from textual.widgets import DataTable, Input, OptionList, Select, Static, Switch

from ens_consent_tui.client.grants import DURATIONS, Grant
from ens_consent_tui.demo_accounts import DEMO_PASSWORD
from ens_consent_tui.i18n import Catalogue
from ens_consent_tui.messages import (
    ConsentRefused,
    GrantChanged,
    ServiceConnected,
    ServicesFound,
    ServiceSheetLoaded,
)
from ens_consent_tui.scenarios.checks import current_grant, notification_log, permission_words
from ens_consent_tui.scenarios.model import (
    ChangeDuration,
    Connect,
    Narrow,
    Open,
    OpenSheet,
    Permission,
    Press,
    RefuseConnection,
    Revoke,
    Search,
    SwitchSpace,
)
from ens_consent_tui.screens.base import SectionScreen
from ens_consent_tui.screens.consent import ConsentDialog, ServicePasswordDialog
from ens_consent_tui.screens.login import LoginScreen
from ens_consent_tui.screens.service_sheet import ServiceSheetScreen
from ens_consent_tui.screens.services_dialogs import (
    DurationDialog,
    GrantDialog,
    PermissionsDialog,
    RevokeDialog,
)
from ens_consent_tui.screens.space import PasswordDialog, PasswordPrompt, SpaceChoiceDialog
from ens_consent_tui.widgets.grant_matrix import GrantMatrix
from ens_consent_tui.widgets.permission_switch import PermissionSwitch

if TYPE_CHECKING:
    from ens_consent_tui.app import EnsConsentApp
    from ens_consent_tui.client import Space
    from ens_consent_tui.screens.services import ServicesScreen
    from ens_consent_tui.screens.store import StoreScreen

ACTION_TIMEOUT = 20.0
"""Seconds an action may take to show its result (a bound, not a wait)."""
POLLS = (0.0, 0.001, 0.002, 0.005, 0.01, 0.02)
"""Seconds between two looks while waiting: soon at first (most results are a few event-loop
turns away), then every `POLLS[-1]`."""
SELF = "self"
"""`switch_space: self` and `for: self`: one's own space."""


class StepCannotRun(Exception):
    """The step's action cannot be done; `reason` says why, in the app's language."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _text(widget: Widget) -> str:
    return str(widget.render()).strip() if isinstance(widget, Static) else ""


class Driver:
    """Does a person's actions on the app `pilot` runs. `messages` is the list the app's
    `message_hook` appends to (what the screens post tells when a change is done); `names`
    gives services their names in reasons; `catalogue`, the language of the reasons (the
    app's by default)."""

    def __init__(self, pilot: Pilot, messages: list[Message], *,
                 names: Mapping[str, str] | None = None, password: str = DEMO_PASSWORD,
                 timeout: float = ACTION_TIMEOUT, catalogue: Catalogue | None = None) -> None:
        self.pilot = pilot
        self.catalogue = catalogue
        """The words of the reasons (None: the app's language)."""
        self.messages = messages
        self.names = dict(names or {})
        self.password = password
        self.timeout = timeout
        self.notices = notification_log(self.app)

    @property
    def app(self) -> EnsConsentApp:
        return self.pilot.app  # type: ignore[return-value]

    @property
    def t(self) -> Catalogue:
        return self.catalogue or self.app.i18n

    def name(self, service_id: str) -> str:
        return self.names.get(service_id, service_id)

    # --- keys ---------------------------------------------------------------------------------

    async def press(self, *keys: str) -> None:
        """Press `keys` one after the other, each handled before the next.

        `Pilot.press` also waits, after each key, until the whole process looks idle by CPU
        time, which costs up to a second a key while a server or a render runs beside; here
        each key is posted as the terminal driver posts it (`events.Key` with its character),
        then the screen is given the time to handle it, and the action's own condition says
        when the result is there. A key reaches the app, which hands it to the focused
        widget: two rounds of the screen's messages see it handled."""
        for key in keys:
            self.app.post_message(key_event(key))
            await self.turn()
            await self.turn()

    async def turn(self) -> None:
        """Let the screen handle what is pending: every message queued to the app, the screen
        and its widgets is processed, then the loop turns once.

        `Pilot.pause(0)` does the same and then forces a redraw of the screen; called twice a
        key, those redraws were a tenth of a run. The screen redraws on its own timer, as in a
        terminal; a look at the screen's text brings it up to date first (`AppProbe`)."""
        await self.pilot._wait_for_screen()
        await asyncio.sleep(0)

    async def type_text(self, text: str) -> None:
        """Type `text`: its characters, handled in order by the focused field, are posted at
        once and handled before this returns."""
        for character in text:
            self.app.post_message(key_event(character))
        await self.turn()
        await self.turn()

    async def focus(self, widget: Widget) -> None:
        """Move the focus to `widget` (as Tab or a click would) and wait until it is there."""
        widget.focus()
        await self.until(lambda: widget.has_focus, self.t("runner.wait.focus"))

    async def type_into(self, field: Input, text: str) -> None:
        """Focus the field, empty it, type `text`, and wait until it holds it."""
        await self.focus(field)
        # A key bound to an action (ctrl+u) may be handled after the characters typed next:
        # the field is emptied first, then typed into.
        if field.value:
            await self.press("end", "ctrl+u")
            await self.until(lambda: not field.value, self.t("runner.wait.typing"))
        await self.type_text(text)
        await self.until(lambda: field.value == text, self.t("runner.wait.typing"))

    async def pick(self, options: OptionList, index: int) -> None:
        """Move the highlight of `options` to `index` with the arrow keys, then Enter (each
        move seen before the next key: a binding's action may run after later keys)."""
        await self.turn()  # the list's own start (a highlight on the current choice)
        await self.focus(options)
        for _ in range(options.option_count + 1):
            current = options.highlighted
            if current == index:
                break
            await self.press("down" if current is None or current < index else "up")
            await self.until(lambda current=current: options.highlighted != current,
                             self.t("runner.wait.choice"))
        await self.press("enter")

    # --- waiting ------------------------------------------------------------------------------

    async def until(self, condition: Callable[[], object], what: str, *,
                    errors_from: int | None = None,
                    refusal: Callable[[], str] | None = None) -> None:
        """Let the app run until `condition()` holds. Fails at once when the app shows an error
        toast (from notice `errors_from` on) or `refusal()` says something (a dialog's error
        line); else after `timeout`."""
        deadline = time.monotonic() + self.timeout
        looks = 0
        while not condition():
            if errors_from is not None:
                self._raise_on_error_toast(errors_from)
            said = refusal() if refusal is not None else ""
            if said:
                raise StepCannotRun(self.t("runner.cannot.app_said", message=said))
            if time.monotonic() > deadline:
                raise StepCannotRun(self.t("runner.cannot.timeout", what=what,
                                           seconds=f"{self.timeout:g}"))
            await asyncio.sleep(POLLS[min(looks, len(POLLS) - 1)])
            looks += 1

    def _raise_on_error_toast(self, start: int) -> None:
        for notice in self.notices[start:]:
            if notice.severity == "error":
                raise StepCannotRun(self.t("runner.cannot.app_said", message=" — ".join(
                    part for part in (notice.title, notice.message) if part)))

    def idle(self) -> bool:
        """The screen in front is done: none of its workers runs, nothing shows as loading."""
        screen = self.app.screen
        for worker in self.app.workers:
            node = worker.node
            if not worker.is_finished and (node is screen or screen in node.ancestors):
                return False
        return not any(widget.loading for widget in screen.query("*"))

    async def settled(self, what: str) -> None:
        """Wait until the screen in front has done its work: idle right after handling what
        was pending (a finished worker's result arrives as a message, whose handler may start
        more work)."""
        deadline = time.monotonic() + self.timeout
        while True:
            await self.turn()
            if self.idle():
                return
            await self.until(self.idle, what)
            if time.monotonic() > deadline:
                raise StepCannotRun(self.t("runner.cannot.timeout", what=what,
                                           seconds=f"{self.timeout:g}"))

    def seen(self, kind: type[Message], start: int) -> list[Any]:
        """Messages of `kind` posted since message `start` (each once: messages bubble)."""
        found: list[Any] = []
        for message in self.messages[start:]:
            if isinstance(message, kind) and all(message is not m for m in found):
                found.append(message)
        return found

    # --- one action ---------------------------------------------------------------------------

    async def perform(self, action: Any) -> None:
        """Do `action` (one of the person's) and wait for its result."""
        match action:
            case Open():
                await self.open_section(action.section)
            case Search():
                await self.search(action.text)
            case OpenSheet():
                await self.open_sheet(action.service)
            case Connect():
                await self.connect(action.service, action.refuse, action.duration)
            case RefuseConnection():
                await self.refuse_connection(action.service)
            case Narrow():
                await self.narrow(action.service, action.remove)
            case ChangeDuration():
                await self.change_duration(action.service, action.duration)
            case Revoke():
                await self.revoke(action.service)
            case SwitchSpace():
                await self.switch_space(action.space)
            case Press():
                await self.press(*action.keys)
                await self.settled(self.t("runner.wait.keys"))
            case _:
                raise TypeError(f"not an action of the person: {type(action).__name__}")

    # --- signing in ---------------------------------------------------------------------------

    async def sign_in(self, username: str, space: str | None = None) -> None:
        """Type the identifier and password on the login screen; a representative picks
        `space` (None or `self`: their own; else the represented person's)."""
        t = self.t
        screen = self.app.screen
        if not isinstance(screen, LoginScreen):
            raise StepCannotRun(t("runner.cannot.not_login"))
        await self.until(lambda: screen.server_reachable is not None and self.idle(),
                         t("runner.wait.server"))
        if not screen.server_reachable:
            raise StepCannotRun(t("runner.cannot.server", url=self.app.client.base_url))
        await self.type_into(screen.query_one("#username", Input), username)
        await self.type_into(screen.query_one("#password", Input), self.password)
        await self.press("enter")
        message = screen.query_one("#login-message", Static)
        await self.until(lambda: self.app.session is not None
                         or isinstance(self.app.screen, SpaceChoiceDialog),
                         t("runner.wait.login"), refusal=lambda: _text(message))
        if isinstance(self.app.screen, SpaceChoiceDialog):
            await self._choose_space(self.app.screen, space)
        elif space not in (None, SELF):
            raise StepCannotRun(t("runner.cannot.no_space", patient=username))
        await self.until(lambda: self.app.session is not None and self.app.current_mode == "home",
                         t("runner.wait.login"), errors_from=0)
        await self.settled(t("runner.wait.section", section=t("section.home")))

    async def _choose_space(self, dialog: SpaceChoiceDialog, wanted: str | None) -> None:
        target = _space(dialog.spaces, wanted)
        if target is None:
            raise StepCannotRun(self.t("runner.cannot.no_space", patient=wanted))
        await self.until(lambda: dialog.query("#spaces"), self.t("runner.wait.spaces"))
        await self.pick(dialog.query_one("#spaces", OptionList), list(dialog.spaces).index(target))

    # --- sections and the store ---------------------------------------------------------------

    async def leave_overlays(self) -> None:
        """Escape from sheets, dialogs and the palette back to the section itself."""
        for _ in range(6):
            if len(self.app.screen_stack) <= 1:
                return
            depth = len(self.app.screen_stack)
            await self.press("escape")
            await self.until(lambda depth=depth: len(self.app.screen_stack) < depth,
                             self.t("runner.wait.escape"))

    async def leave_text_field(self) -> None:
        """Tab out of a text field, so that letters are keys again, not typing."""
        await self.turn()  # a focus being given back (a screen closed) lands first
        for _ in range(5):
            focused = self.app.focused
            if not isinstance(focused, Input):
                return
            await self.press("tab")
            await self.until(lambda focused=focused: self.app.focused is not focused,
                             self.t("runner.wait.focus"))

    async def open_section(self, section: str) -> None:
        t = self.t
        if self.app.session is None:
            raise StepCannotRun(t("runner.cannot.signed_out"))
        await self.leave_overlays()
        if self.app.current_mode != section:
            await self.leave_text_field()
            await self.press(next(s.key for s in self.app.sections if s.mode == section))
        what = t("runner.wait.section", section=t(f"section.{section}"))
        await self.until(lambda: self.app.current_mode == section
                         and isinstance(self.app.screen, SectionScreen), what)
        await self.settled(what)

    async def store(self) -> StoreScreen:
        await self.open_section("store")
        screen = self.app.screen
        await self.until(lambda: screen.found is not None, self.t("runner.wait.store"),
                         errors_from=len(self.notices))
        return screen  # type: ignore[return-value]

    async def search(self, text: str) -> None:
        screen = await self.store()
        start = len(self.messages)
        box = screen.query_one("#store-search", Input)
        if not box.has_focus:
            await self.press("slash")
        await self.type_into(box, text)
        await self.until(lambda: any(m.query == text for m in self.seen(ServicesFound, start)),
                         self.t("runner.wait.search", text=text), errors_from=len(self.notices))
        await self.settled(self.t("runner.wait.store"))

    async def open_sheet(self, service: str) -> ServiceSheetScreen:
        screen = self.app.screen
        if isinstance(screen, ServiceSheetScreen) and screen.service_id == service:
            return screen
        store = await self.store()
        table = store.query_one("#store-services", DataTable)
        if service not in _row_keys(table) and store.query_one("#store-search", Input).value:
            await self.search("")
        if service not in _row_keys(table):
            raise StepCannotRun(self.t("runner.cannot.not_in_store", service=service))
        start = len(self.messages)
        await self.focus(table)
        table.move_cursor(row=table.get_row_index(service))
        await self.press("enter")
        what = self.t("runner.wait.sheet", service=self.name(service))
        await self.until(lambda: any(m.sheet.id == service
                                     for m in self.seen(ServiceSheetLoaded, start)),
                         what, errors_from=len(self.notices))
        await self.settled(what)
        self.names.setdefault(service, self.seen(ServiceSheetLoaded, start)[-1].sheet.name)
        return self.app.screen  # type: ignore[return-value]

    # --- connecting ---------------------------------------------------------------------------

    async def consent_dialog(self, service: str) -> ConsentDialog:
        """The service's sheet, Connecter, and the password if the server asks it again."""
        await self.open_sheet(service)
        errors = len(self.notices)
        await self.press("c")
        what = self.t("runner.wait.dialog", service=self.name(service))
        await self.until(lambda: isinstance(self.app.screen, ConsentDialog | PasswordPrompt),
                         what, errors_from=errors)
        if isinstance(self.app.screen, ServicePasswordDialog):
            await self._type_password(self.app.screen)
            await self.until(lambda: isinstance(self.app.screen, ConsentDialog), what,
                             errors_from=errors)
        await self.turn()
        return self.app.screen  # type: ignore[return-value]

    async def _type_password(self, dialog: PasswordPrompt) -> None:
        # The dialog is in front before its form is mounted.
        await self.until(lambda: dialog.query("#confirm-password"), self.t("runner.wait.password"))
        await self.type_into(dialog.query_one("#confirm-password", Input), self.password)
        await self.press("enter")
        message = dialog.query_one("#password-message", Static)
        await self.until(lambda: self.app.screen is not dialog, self.t("runner.wait.password"),
                         refusal=lambda: _text(message))

    async def connect(self, service: str, refuse: Iterable[Permission], duration: str) -> None:
        dialog = await self.consent_dialog(service)
        for permission in refuse:
            await self._switch_off(dialog, permission)
        await self._choose_duration(dialog, duration)
        await self._decide(dialog, "#allow", ServiceConnected, service)

    async def refuse_connection(self, service: str) -> None:
        dialog = await self.consent_dialog(service)
        await self._decide(dialog, "#deny", ConsentRefused, service)

    async def _switch_off(self, dialog: ConsentDialog, permission: Permission) -> None:
        """The lines of the requested scopes that stand for `permission` switched off."""
        request = dialog.request
        if request.maille == "categorie" and not permission.whole_class:
            raise self._categorie_split(permission)
        covers = {p.scope: p.covers for p in request.permissions}
        lines = [line for line in dialog.query(PermissionSwitch)
                 if any(permission.covers(c.data_class, c.subtype, c.access)
                        for c in covers.get(line.key, ()))]
        if not lines:
            raise StepCannotRun(self.t("runner.cannot.not_asked", service=self.name(
                request.client.client_id), permission=permission_words(self.t, permission)))
        await self._switch_lines_off(lines)

    async def _switch_lines_off(self, lines: list[PermissionSwitch]) -> None:
        """Each line still on: focus its switch (as Tab would) and press Space."""
        for line in lines:
            await self.turn()  # lines that follow their group have followed
            if line.value:
                await self.focus(line.query_one(Switch))
                await self.press("space")
                await self.until(lambda line=line: not line.value,
                                 self.t("runner.wait.switch", permission=line.sentence))

    def _categorie_split(self, permission: Permission) -> StepCannotRun:
        whole = Permission(permission.data_class, "*", permission.access)
        return StepCannotRun(self.t("runner.cannot.categorie", permission=str(permission),
                                    whole=str(whole)))

    async def _choose_duration(self, dialog: ConsentDialog, duration: str) -> None:
        """Open the duration list, move to `duration`, Enter."""
        select = dialog.query_one("#consent-duration", Select)
        values = [d.value for d in dialog.request.durations]
        if duration not in values:
            raise StepCannotRun(self.t("runner.cannot.duration", duration=duration))
        if select.value == duration:
            return
        await self.focus(select)
        await self.press("enter")
        await self.until(lambda: select.expanded, self.t("runner.wait.durations"))
        # The open list is an option list (Select's overlay), one option per duration.
        await self.pick(select.query_one("SelectOverlay", OptionList), values.index(duration))
        await self.until(lambda: select.value == duration and not select.expanded,
                         self.t("runner.wait.durations"))

    async def _decide(self, dialog: ConsentDialog, button: str, done: type[Message],
                      service: str) -> None:
        start, errors = len(self.messages), len(self.notices)
        error = dialog.query_one("#consent-error", Static)
        await self.focus(dialog.query_one(button))
        await self.press("enter")
        await self.until(lambda: self.seen(done, start), self.t(
            "runner.wait.decision", service=self.name(service)), errors_from=errors,
            refusal=lambda: _text(error) if self.app.screen is dialog else "")
        await self.settled(self.t("runner.wait.sheet", service=self.name(service)))

    # --- Mes services -------------------------------------------------------------------------

    async def select_grant(self, service: str, usable: Callable[[Grant], bool]
                           ) -> tuple[ServicesScreen, Grant]:
        """Mes services, the cursor on the service's grant (if it can take the change)."""
        await self.open_section("services")
        screen: ServicesScreen = self.app.screen  # type: ignore[assignment]
        grant = current_grant(screen.grants.values(), service)
        if grant is None or not usable(grant):
            raise StepCannotRun(self.t("runner.cannot.no_grant", service=self.name(service)))
        self.names.setdefault(service, grant.service.name)
        matrix = screen.query_one(GrantMatrix)
        await self.focus(matrix)
        matrix.move_cursor(row=matrix.get_row_index(grant.id))
        await self.until(lambda: screen.detail is not None and screen.detail.id == grant.id
                         and self.idle(), self.t("runner.wait.grant", service=self.name(service)))
        return screen, grant

    async def grant_dialog(self, key: str, kind: type[GrantDialog]) -> GrantDialog:
        errors = len(self.notices)
        await self.press(key)
        await self.until(lambda: isinstance(self.app.screen, kind), self.t("runner.wait.change"),
                         errors_from=errors)
        await self.settled(self.t("runner.wait.change"))
        return self.app.screen  # type: ignore[return-value]

    async def narrow(self, service: str, remove: Iterable[Permission]) -> None:
        _, grant = await self.select_grant(service, lambda g: g.is_active)
        dialog = await self.grant_dialog("m", PermissionsDialog)
        granted = [line for line in dialog.query(PermissionSwitch)
                   if not line.has_class("-addition")]
        for permission in remove:
            if grant.maille == "categorie" and not permission.whole_class:
                raise self._categorie_split(permission)
            lines = [line for line in granted if permission.covers(*line.key.split("/"))]
            if not lines:
                raise StepCannotRun(self.t("runner.cannot.not_granted",
                                           service=self.name(service),
                                           permission=permission_words(self.t, permission)))
            await self._switch_lines_off(lines)
        await self._confirm_change(dialog, service)

    async def change_duration(self, service: str, duration: str) -> None:
        await self.select_grant(service, lambda g: g.is_active)
        dialog = await self.grant_dialog("v", DurationDialog)
        await self._change(dialog, service, partial(
            self.pick, dialog.query_one("#durations", OptionList), DURATIONS.index(duration)))

    async def revoke(self, service: str) -> None:
        await self.select_grant(service, lambda g: g.can_revoke)
        dialog = await self.grant_dialog("delete", RevokeDialog)
        await self._confirm_change(dialog, service)

    async def _confirm_change(self, dialog: GrantDialog, service: str) -> None:
        await self.focus(dialog.query_one("#confirm"))
        await self._change(dialog, service, partial(self.press, "enter"))

    async def _change(self, dialog: GrantDialog, service: str,
                      decide: Callable[[], Awaitable[None]]) -> None:
        """`decide` in the dialog; done when the app says the grant changed."""
        start, errors = len(self.messages), len(self.notices)
        error = dialog.query_one("#grant-dialog-error", Static)
        await decide()
        await self.until(lambda: any(m.grant.service.id == service
                                     for m in self.seen(GrantChanged, start)),
                         self.t("runner.wait.change"), errors_from=errors,
                         refusal=lambda: _text(error) if self.app.screen is dialog else "")
        await self.settled(self.t("runner.wait.section", section=self.t("section.services")))

    # --- spaces -------------------------------------------------------------------------------

    async def switch_space(self, wanted: str) -> None:
        t, session = self.t, self.app.session
        if session is None:
            raise StepCannotRun(t("runner.cannot.signed_out"))
        target = _space(session.spaces, wanted)
        if target is None:
            raise StepCannotRun(t("runner.cannot.no_space", patient=session.username))
        if target == session.space:
            return
        await self.leave_overlays()
        await self.leave_text_field()
        await self.press("p")
        what = t("runner.wait.space", name=target.name)
        await self.until(lambda: isinstance(self.app.screen, SpaceChoiceDialog), what)
        dialog: SpaceChoiceDialog = self.app.screen  # type: ignore[assignment]
        errors = len(self.notices)
        await self._choose_space(dialog, wanted)
        await self.until(lambda: _in_space(self.app, target)
                         or isinstance(self.app.screen, PasswordDialog), what,
                         errors_from=errors)
        if isinstance(self.app.screen, PasswordDialog):
            await self._type_password(self.app.screen)
        await self.until(lambda: _in_space(self.app, target)
                         and isinstance(self.app.screen, SectionScreen), what,
                         errors_from=errors)
        await self.settled(what)


def key_event(key: str) -> events.Key:
    """The event a terminal sends for `key`: a key name (`enter`, `ctrl+u`) or one character
    (`é`, `/`, named as Textual's pilot names it)."""
    if len(key) == 1:
        return events.Key(_character_to_key(key), key)
    return events.Key(key, key_to_character(key))


def _row_keys(table: DataTable) -> list[str]:
    return [str(key.value) for key in table.rows]


def _space(spaces: Iterable[Space], wanted: str | None) -> Space | None:
    """One's own space for None or `self`; else the represented person named `wanted` (by
    name or patient id), or the first one represented."""
    spaces = list(spaces)
    if wanted in (None, SELF):
        return next((s for s in spaces if s.is_self), None)
    others = [s for s in spaces if not s.is_self]
    named = [s for s in others if wanted in (s.patient_id, s.name)]
    return (named or others or [None])[0]


def _in_space(app: EnsConsentApp, space: Space) -> bool:
    return app.session is not None and app.session.space.patient_id == space.patient_id
