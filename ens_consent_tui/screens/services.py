"""Mes services: the register of the space shown, as a matrix service × data class × read/write,
with the selected grant's permissions and history; change, narrow, exclude, revoke.

The register may change elsewhere (another session, the authority, the clock): the screen reads
it again whenever it comes back in front, when the live feed reports a `grant` or `suspension`
event of this space, and on `r`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.widgets import DataTable, Label, Static

from ens_consent_tui.client.grants import Grant, GrantDetail
from ens_consent_tui.grant_wording import grant_summary, history_entries
from ens_consent_tui.messages import (
    EventsReceived,
    GrantChanged,
    GrantDetailLoaded,
    GrantsLoaded,
    ServiceConnected,
)
from ens_consent_tui.screens.base import SectionScreen
from ens_consent_tui.screens.services_actions import (
    change_grant_duration,
    exclude_documents,
    narrow_grant,
    revoke_grant,
)
from ens_consent_tui.widgets.grant_history import GrantHistory
from ens_consent_tui.widgets.grant_matrix import GrantMatrix
from ens_consent_tui.widgets.permission_switch import ACCESS_GLYPHS

if TYPE_CHECKING:
    from ens_consent_tui.app import EnsConsentApp

REFRESHING_EVENTS = frozenset({"grant", "suspension"})
"""Live events after which the register is read again."""
GrantAction = Callable[["EnsConsentApp", Grant], None]


class ServicesScreen(SectionScreen):
    """The services connected to this space and what each may do."""

    SECTION = "services"
    CSS_PATH = "services.tcss"
    AUTO_FOCUS = "#grant-matrix"
    BINDINGS: ClassVar = [
        Binding("m", "narrow", "key.narrow", id="narrow-grant"),
        Binding("v", "change_duration", "key.change_duration", id="change-duration"),
        Binding("b", "exclude", "key.exclude", id="exclude-documents"),
        Binding("delete", "revoke", "key.revoke", id="revoke-grant", key_display="Suppr"),
        Binding("r", "reload", "key.reload", id="reload-grants"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.grants: dict[str, Grant] = {}
        self.detail: GrantDetail | None = None

    def compose_body(self) -> ComposeResult:
        with Vertical(id="services-body"):
            yield Static(id="services-count")
            yield GrantMatrix(id="grant-matrix")
            with VerticalScroll(id="grant-detail"):
                yield Static(id="grant-summary")
                yield Label(self.t("services.detail.permissions"), classes="services-heading")
                yield Static(id="grant-permissions")
                yield Label(self.t("services.detail.history"), classes="services-heading")
                yield GrantHistory(id="grant-history")

    # --- reading the register ---------------------------------------------------------------

    def load(self) -> None:
        self.load_grants()

    @work(exclusive=True, group="grants")
    async def load_grants(self) -> None:
        session = self.ens.session
        if session is None:
            return
        with self.busy(self.query_one(GrantMatrix)):
            grants = await self.attempt(self.client.grants.grants())
        if grants is not None:
            self.post_message(GrantsLoaded(session.space.patient_id, grants))

    def on_grants_loaded(self, message: GrantsLoaded) -> None:
        session = self.ens.session
        if session is None or message.patient_id != session.space.patient_id:
            return  # an answer about a space no longer shown
        self.grants = {g.id: g for g in message.grants}
        matrix = self.query_one(GrantMatrix)
        matrix.show(message.grants)
        active = sum(g.is_active for g in message.grants)
        self.query_one("#services-count", Static).update(
            self.t("services.count", active=active, total=len(message.grants))
            if message.grants else self.t("services.none"))
        self._select(matrix.selected_id)

    @on(DataTable.RowHighlighted, "#grant-matrix")
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._select(event.row_key.value)

    def _select(self, grant_id: str | None) -> None:
        """Show what is known of the grant at once, its history when it arrives."""
        grant = self.grants.get(grant_id) if grant_id else None
        self.refresh_bindings()
        if grant is None:
            self.detail = None
            for widget_id in ("#grant-summary", "#grant-permissions", "#grant-history"):
                self.query_one(widget_id, Static).update("")
            return
        self._show_grant(grant)
        if self.detail is None or self.detail.id != grant.id \
                or self.detail.version != grant.version:
            self.load_detail(grant.id)

    @work(exclusive=True, group="grant-detail")
    async def load_detail(self, grant_id: str) -> None:
        with self.busy(self.query_one("#grant-history")):
            detail = await self.attempt(self.client.grants.grant(grant_id))
        if detail is not None:
            self.post_message(GrantDetailLoaded(detail))

    def on_grant_detail_loaded(self, message: GrantDetailLoaded) -> None:
        if message.detail.id != self.query_one(GrantMatrix).selected_id:
            return
        self.detail = message.detail
        session = self.ens.session
        self.query_one(GrantHistory).show(history_entries(
            self.t, message.detail.history, session.username if session else None))

    def _show_grant(self, grant: Grant) -> None:
        t = self.t
        summary = Text(grant.service.name, style="bold")
        summary.append(f" · {grant_summary(t, grant)}")
        earlier = "services.detail.earlier" if grant.include_earlier \
            else "services.detail.not_earlier"
        summary.append("\n" + t(earlier))
        if grant.excluded:
            summary.append("\n" + t("services.detail.excluded", count=len(grant.excluded)))
        self.query_one("#grant-summary", Static).update(summary)
        lines = Text()
        for permission in grant.permissions:
            if lines:
                lines.append("\n")
            lines.append(f"{ACCESS_GLYPHS.get(permission.access, '•')} ")
            lines.append(t(f"permission.access.{permission.access}"), style="bold")
            lines.append(f" — {permission.sentence}")
        self.query_one("#grant-permissions", Static).update(
            lines or t("services.detail.no_permission"))

    # --- staying up to date -----------------------------------------------------------------

    def on_screen_resume(self) -> None:
        if self.came_back() and self.ens.session is not None:
            self.load_grants()

    def on_grant_changed(self, message: GrantChanged) -> None:
        self.load_grants()

    def on_service_connected(self, message: ServiceConnected) -> None:
        self.load_grants()

    def on_events_received(self, message: EventsReceived) -> None:
        session = self.ens.session
        if session is not None and message.patient_id == session.space.patient_id \
                and any(event.kind in REFRESHING_EVENTS for event in message.events):
            self.load_grants()

    def action_reload(self) -> None:
        self.load_grants()

    # --- changing the selected grant --------------------------------------------------------

    @property
    def selected(self) -> Grant | None:
        grant_id = self.query_one(GrantMatrix).selected_id
        return self.grants.get(grant_id) if grant_id else None

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Changes are offered only where the server would accept them."""
        grant = self.selected if self.is_mounted else None
        if action in ("narrow", "change_duration"):
            return grant is not None and grant.is_active
        if action == "exclude":
            return grant is not None and grant.is_active and grant.maille == "ressource"
        if action == "revoke":
            return grant is not None and grant.can_revoke
        return True

    def _on_selected(self, action: GrantAction) -> None:
        grant = self.selected
        if grant is not None:
            action(self.ens, grant)

    def action_narrow(self) -> None:
        self._on_selected(narrow_grant)

    def action_change_duration(self) -> None:
        self._on_selected(change_grant_duration)

    def action_exclude(self) -> None:
        self._on_selected(exclude_documents)

    def action_revoke(self) -> None:
        self._on_selected(revoke_grant)

    def context_commands(self) -> list[SystemCommand]:
        grant = self.selected
        if grant is None:
            return []
        t, name = self.t, grant.service.name
        offered = [("narrow", narrow_grant), ("change_duration", change_grant_duration),
                   ("exclude", exclude_documents)]
        return [SystemCommand(t(f"command.{key}", service=name), t(f"command.{key}.help"),
                              lambda action=action: action(self.ens, grant))
                for key, action in offered if self.check_action(key, ())]
