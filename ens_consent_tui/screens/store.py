"""Catalogue: search as you type, filter by use case and data class, open a service's sheet."""

from __future__ import annotations

import asyncio
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import DataTable, Input, Select, Static

from ens_consent_tui.client.store import CodeLabel, ServiceList, ServiceSummary
from ens_consent_tui.messages import ServicesFound, VocabularyLoaded
from ens_consent_tui.screens.base import SectionScreen
from ens_consent_tui.screens.service_sheet import ServiceSheetScreen

SEARCH_DEBOUNCE = 0.25
"""Seconds of quiet typing before the search is sent."""
DATA_CLASSES = ("agenda", "documents", "measures")


class StoreScreen(SectionScreen):
    """The store: every referenced service, found by words and filters."""

    SECTION = "store"
    CSS_PATH = "store.tcss"
    AUTO_FOCUS = "#store-services"
    BINDINGS: ClassVar = [
        Binding("slash", "focus_search", "key.search", id="focus-search", key_display="/"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.labels: dict[str, dict[str, str]] = {"use_cases": {}, "offeror_kinds": {}}
        self.found: ServiceList | None = None

    def compose_body(self) -> ComposeResult:
        t = self.t
        with Vertical(id="store-body"):
            yield Input(placeholder=t("store.search.placeholder"), id="store-search")
            with Horizontal(id="store-filters"):
                yield Select[str]([], prompt=t("store.filter.use_case.all"),
                                  id="filter-use-case", compact=True)
                yield Select[str]([(t(f"data_class.{c}"), c) for c in DATA_CLASSES],
                                  prompt=t("store.filter.data_class.all"),
                                  id="filter-data-class", compact=True)
            yield Static(id="store-count")
            yield DataTable(id="store-services", cursor_type="row", zebra_stripes=True)

    def on_mount(self) -> None:
        table = self.query_one("#store-services", DataTable)
        t = self.t
        for key in ("name", "reads", "writes", "status", "pricing", "editor"):
            table.add_column(t(f"store.column.{key}"), key=key)

    def load(self) -> None:
        self.load_vocabulary()
        self.search(debounce=False)

    @work(exclusive=True, group="vocabulary")
    async def load_vocabulary(self) -> None:
        lang = self.t.lang
        store = self.client.store
        found = await self.attempt(asyncio.gather(store.use_cases(lang),
                                                  store.offeror_kinds(lang)))
        if found is not None:
            self.post_message(VocabularyLoaded(*found))

    def on_vocabulary_loaded(self, message: VocabularyLoaded) -> None:
        self.labels = {"use_cases": _as_dict(message.use_cases),
                       "offeror_kinds": _as_dict(message.offeror_kinds)}
        select = self.query_one("#filter-use-case", Select)
        select.set_options((c.label, c.code) for c in message.use_cases)

    # --- searching --------------------------------------------------------------------------

    def action_focus_search(self) -> None:
        self.query_one("#store-search", Input).focus()

    @on(Input.Submitted, "#store-search")
    def _search_done(self) -> None:
        self.query_one("#store-services", DataTable).focus()

    @on(Input.Changed, "#store-search")
    @on(Select.Changed)
    def _criteria_changed(self) -> None:
        self.search()

    @work(exclusive=True, group="search")
    async def search(self, debounce: bool = True) -> None:
        """Send the search once typing pauses (a newer keystroke cancels this worker)."""
        if debounce:
            await asyncio.sleep(SEARCH_DEBOUNCE)
        query = self.query_one("#store-search", Input).value
        use_case = self.query_one("#filter-use-case", Select).value
        data_class = self.query_one("#filter-data-class", Select).value
        table = self.query_one("#store-services", DataTable)
        with self.busy(table):
            result = await self.attempt(self.client.store.services(
                query,
                use_cases=[use_case] if isinstance(use_case, str) else [],
                data_classes=[data_class] if isinstance(data_class, str) else []))
        if result is not None:
            self.post_message(ServicesFound(query, result))

    def on_services_found(self, message: ServicesFound) -> None:
        self.found = message.result
        t = self.t
        table = self.query_one("#store-services", DataTable)
        table.clear()
        for service in message.result.services:
            table.add_row(*self._row(service), key=service.id)
        count = message.result.total
        self.query_one("#store-count", Static).update(
            t("store.count.none") if count == 0 else t("store.count", count=count))

    def _row(self, service: ServiceSummary) -> tuple[str, ...]:
        t = self.t

        def classes(values: tuple[str, ...]) -> str:
            return ", ".join(t(f"data_class.{v}") for v in values) or t("store.nothing")

        return (service.name, classes(service.reads), classes(service.writes),
                t(f"referencing.{service.referencing_status}"), t(f"pricing.{service.pricing}"),
                service.editor)

    # --- opening a sheet --------------------------------------------------------------------

    @on(DataTable.RowSelected, "#store-services")
    def _open(self, event: DataTable.RowSelected) -> None:
        if event.row_key.value is not None:
            self.open_service(event.row_key.value)

    def open_service(self, service_id: str) -> None:
        self.app.push_screen(ServiceSheetScreen(service_id, self.labels))


def _as_dict(labels: list[CodeLabel]) -> dict[str, str]:
    return {c.code: c.label for c in labels}
