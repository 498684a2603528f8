"""The line at the top of every screen that says whose space is shown, and for whom."""

from __future__ import annotations

from textual.widgets import Static

from ens_consent_tui.client.session import Session
from ens_consent_tui.i18n import Catalogue


class SpaceHeader(Static):
    """"Espace de Léo Dubois — géré par Sophie Dubois": always in sight, never ambiguous."""

    DEFAULT_CSS = """
    SpaceHeader {
        dock: top;
        width: 1fr;
        height: 1;
        padding: 0 1;
        background: $primary;
        color: $text;
        text-style: bold;
    }
    """

    def on_mount(self) -> None:
        self.watch(self.app, "session", self._show_session)

    def _show_session(self, session: Session | None) -> None:
        self.update(header_text(self.app.i18n, session))


def header_text(t: Catalogue, session: Session | None) -> str:
    """The header sentence for a session (or for nobody logged in)."""
    if session is None:
        return t("header.signed_out")
    if session.acts_for_someone_else:
        return t("header.represented", patient=session.space.name, manager=session.display_name)
    return t("header.own", patient=session.space.name)
