"""A service's sheet on its own screen (Escape goes back to the list, c connects it)."""

from __future__ import annotations

from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import Button

from ens_consent_tui.messages import ServiceSheetLoaded
from ens_consent_tui.screens.base import EnsScreen
from ens_consent_tui.screens.consent import connect_service
from ens_consent_tui.widgets.footer import KeysFooter
from ens_consent_tui.widgets.service_sheet import ServiceSheet
from ens_consent_tui.widgets.space_header import SpaceHeader


class ServiceSheetScreen(EnsScreen):
    """Everything about one service, and the way to connect it."""

    CSS_PATH = "service_sheet.tcss"
    AUTO_FOCUS = "#service-sheet"
    BINDINGS: ClassVar = [
        Binding("escape", "back", "key.back", id="back"),
        # On a sheet, "c" (the store's own key, already open) means connecting this service.
        Binding("c", "connect", "key.connect", id="connect-service"),
    ]

    def __init__(self, service_id: str, labels: dict[str, dict[str, str]]) -> None:
        super().__init__()
        self.service_id = service_id
        self.labels = labels

    def compose(self) -> ComposeResult:
        yield SpaceHeader(id="space-header")
        yield ServiceSheet(id="service-sheet")
        with Horizontal(id="sheet-actions"):
            yield Button(self.t("sheet.connect"), id="connect", variant="primary")
        yield from self.compose_guide()
        yield KeysFooter()

    def on_mount(self) -> None:
        self.load_sheet()

    @work(exclusive=True)
    async def load_sheet(self) -> None:
        sheet_widget = self.query_one(ServiceSheet)
        with self.busy(sheet_widget):
            sheet = await self.attempt(self.client.store.service(self.service_id, self.t.lang))
        if sheet is not None:
            self.post_message(ServiceSheetLoaded(sheet))

    def on_service_sheet_loaded(self, message: ServiceSheetLoaded) -> None:
        self.query_one(ServiceSheet).show(message.sheet, self.labels)

    def action_back(self) -> None:
        self.dismiss()

    @on(Button.Pressed, "#connect")
    def action_connect(self) -> None:
        connect_service(self.ens, self.service_id)
