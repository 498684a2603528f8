"""What every screen of the app shares: translated key bindings, error reporting around network
calls, and (for the top-level sections) the header, section tabs and footer."""

from __future__ import annotations

from collections.abc import Awaitable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from typing import TYPE_CHECKING, ClassVar, TypeVar, cast

from textual.app import ComposeResult, SystemCommand
from textual.binding import ActiveBinding, Binding
from textual.screen import ModalScreen, Screen
from textual.widget import Widget

from ens_consent_tui.client import ClientError, EnsClient, Session
from ens_consent_tui.i18n import Catalogue
from ens_consent_tui.widgets.connection_banner import ConnectionBanner
from ens_consent_tui.widgets.footer import KeysFooter
from ens_consent_tui.widgets.section_tabs import SectionTabs
from ens_consent_tui.widgets.space_header import SpaceHeader

if TYPE_CHECKING:
    from ens_consent_tui.app import EnsConsentApp

T = TypeVar("T")
R = TypeVar("R")


class AppScreenMixin:
    """Access to the app's client and words, bindings described in the app's language, and a
    safe way to await a network call."""

    @property
    def ens(self) -> EnsConsentApp:
        return cast("EnsConsentApp", self.app)  # type: ignore[attr-defined]

    @property
    def t(self) -> Catalogue:
        return self.ens.i18n

    @property
    def client(self) -> EnsClient:
        return self.ens.client

    @property
    def active_bindings(self) -> dict[str, ActiveBinding]:
        """The screen's bindings with their descriptions (catalogue keys) in words."""
        t = self.t
        return {
            key: active._replace(binding=replace(
                active.binding, description=t.maybe(active.binding.description),
                tooltip=t.maybe(active.binding.tooltip)))
            for key, active in super().active_bindings.items()  # type: ignore[misc]
        }

    def app_bindings(self) -> list[tuple[str, str]]:
        """(key, description in words) of the app's own enabled bindings on this screen, for
        the help (the widgets' built-in bindings are left out)."""
        t = self.t
        return [(self.app.get_key_display(active.binding), t(active.binding.description))
                for active in super().active_bindings.values()  # type: ignore[misc]
                if active.enabled and active.binding.description in t]

    async def attempt(self, call: Awaitable[T]) -> T | None:
        """The result of a network call, or None once its failure was told to the person."""
        try:
            return await call
        except ClientError as error:
            self.ens.report_error(error)
            return None

    @contextmanager
    def busy(self, *widgets: Widget) -> Iterator[None]:
        """Show the loading indicator over `widgets` while a call runs."""
        for widget in widgets:
            widget.loading = True
        try:
            yield
        finally:
            for widget in widgets:
                # A cancelled call may end after its screen left (logout, exit).
                if widget.is_attached:
                    widget.loading = False

    def context_commands(self) -> Iterable[SystemCommand]:
        """Commands this screen adds to the palette (none by default)."""
        return ()

    def compose_guide(self) -> ComposeResult:
        """The guided scenario's side panel, when the app guides one (nothing otherwise)."""
        if self.ens.guided is not None:
            from ens_consent_tui.widgets.guide_panel import GuidePanel

            yield GuidePanel()


class EnsScreen(AppScreenMixin, Screen[None]):
    """A full screen of the app."""


class EnsModal(AppScreenMixin, ModalScreen[R]):
    """A dialog of the app: Escape closes it without an answer."""

    BINDINGS: ClassVar = [Binding("escape", "dismiss_dialog", "key.cancel", id="cancel")]

    def action_dismiss_dialog(self) -> None:
        self.dismiss(None)


class SectionScreen(EnsScreen):
    """A top-level section: header with whose space it is, the banner of a lost server, section
    tabs, body, footer.

    Subclasses give `SECTION` (their mode name), compose their body in `compose_body`, and
    fetch their data in `load`, which runs when the screen appears and again whenever the
    person switches to another space.
    """

    SECTION: ClassVar[str]
    _left = False
    """Set when the screen goes behind another (see `came_back`)."""

    def compose(self) -> ComposeResult:
        yield SpaceHeader(id="space-header")
        yield ConnectionBanner()
        yield SectionTabs([(s.mode, self.t("section.tab", key=s.key, label=self.t(s.label_key)))
                           for s in self.ens.sections], self.SECTION)
        yield from self.compose_body()
        yield from self.compose_guide()
        yield KeysFooter()

    def compose_body(self) -> ComposeResult:
        raise NotImplementedError

    def on_mount(self) -> None:
        self.watch(self.app, "session", self._session_changed, init=False)
        if self.ens.session is not None:
            self.load()

    def on_screen_suspend(self) -> None:
        self._left = True

    def came_back(self) -> bool:
        """Whether the screen resumes after it was left (a section, a dialog over it), not at
        its first showing, whose data `on_mount` has just started loading: Textual resumes a
        new mode's screen twice as it is first shown, and loading again each time meant
        every card and list fetched and drawn three times."""
        back, self._left = self._left, False
        return back

    def _session_changed(self, old: Session | None, new: Session | None) -> None:
        if new is not None and (old is None or old.space != new.space):
            self.load()

    def load(self) -> None:
        """Start fetching what the section shows (in workers)."""

    def on_section_tabs_section_chosen(self, event: SectionTabs.SectionChosen) -> None:
        self.ens.action_go(event.mode)
