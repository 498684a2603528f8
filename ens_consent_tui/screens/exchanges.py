"""Échanges: the live log of every exchange in the space, with filters, pause, marker, detail
and export.

The newest page comes from `/exchanges` when the screen opens (older ones when the person reaches
the top); new exchanges come from the live feed (`EventsReceived`). `/` filters by words or a
regular expression (`!` to exclude), the filter bar by service, data class, direction and
outcome; exports go through the server with the same quick filters.
"""

from __future__ import annotations

import asyncio
from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.timer import Timer
from textual.widgets import Input, Select, Static

from ens_consent_tui.client.exchanges import (
    DATA_CLASSES,
    DIRECTIONS,
    OUTCOMES,
    QuickFilters,
    default_export_dir,
    save_export,
)
from ens_consent_tui.messages import EventsReceived, ExchangesExported, ExchangesLoaded
from ens_consent_tui.screens.base import SectionScreen
from ens_consent_tui.widgets.exchange_log import ExchangeLog, ExchangeLogHeader
from ens_consent_tui.widgets.exchange_log_format import (
    NO_TEXT_FILTER,
    InvalidFilter,
    TextFilter,
    parse_text_filter,
)

FILTER_DEBOUNCE = 0.2
"""Seconds of quiet typing before the `/` filter is applied."""
QUICK_FILTERS = ("service", "class", "direction", "outcome")


class ExchangesScreen(SectionScreen):
    """The exchange log of the space shown."""

    SECTION = "exchanges"
    CSS_PATH = "exchanges.tcss"
    AUTO_FOCUS = "#exchange-log"
    BINDINGS: ClassVar = [
        Binding("space", "toggle_pause", "exchanges.key.pause", id="pause-log"),
        Binding("slash", "focus_filter", "exchanges.key.filter", id="filter-log",
                key_display="/"),
        Binding("f", "focus_quick_filters", "exchanges.key.quick_filters", id="quick-filters"),
        Binding("r", "denied_only", "exchanges.key.denied_only", id="denied-only"),
        Binding("m", "add_marker", "exchanges.key.marker", id="add-marker"),
        Binding("v", "export('csv')", "exchanges.key.export_csv", id="export-csv"),
        Binding("j", "export('json')", "exchanges.key.export_json", id="export-json"),
        Binding("escape", "back_to_log", "exchanges.key.back", id="back-to-log", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.text_filter: TextFilter = NO_TEXT_FILTER
        self.filter_error: str | None = None
        self._debounce: Timer | None = None
        self._known_services = 0

    def compose_body(self) -> ComposeResult:
        t = self.t
        with Vertical(id="exchanges-body"):
            yield Input(placeholder=t("exchanges.filter.placeholder"), id="exchange-filter",
                        compact=True)
            with Horizontal(id="exchanges-quick"):
                yield Select[str]([], prompt=t("exchanges.filter.service.all"),
                                  id="quick-service", compact=True)
                yield Select[str]([(t(f"exchanges.class.{c}"), c) for c in DATA_CLASSES],
                                  prompt=t("exchanges.filter.class.all"), id="quick-class",
                                  compact=True)
                yield Select[str]([(t(f"exchanges.direction.{d}"), d) for d in DIRECTIONS],
                                  prompt=t("exchanges.filter.direction.all"),
                                  id="quick-direction", compact=True)
                yield Select[str]([(t(f"exchanges.outcome.{o}"), o) for o in OUTCOMES],
                                  prompt=t("exchanges.filter.outcome.all"), id="quick-outcome",
                                  compact=True)
            yield ExchangeLogHeader(t, id="exchange-columns")
            yield ExchangeLog(t, id="exchange-log")
            yield Static(id="exchanges-status")

    @property
    def log_widget(self) -> ExchangeLog:
        return self.query_one("#exchange-log", ExchangeLog)

    # --- loading ------------------------------------------------------------------------------

    def load(self) -> None:
        """The newest page of the space shown (another space: the log starts afresh)."""
        self.log_widget.clear()
        self._known_services = 0
        self.query_one("#quick-service", Select).set_options([])
        self.load_page(None)

    @work(exclusive=True, group="exchanges-page")
    async def load_page(self, before: int | None) -> None:
        session = self.ens.session
        if session is None:
            return
        log = self.log_widget
        with self.busy(log):
            page = await self.attempt(self.client.exchanges.page(before=before))
        if page is not None:
            self.post_message(ExchangesLoaded(session.space.patient_id, page,
                                              older=before is not None))

    def _is_current(self, patient_id: str) -> bool:
        session = self.ens.session
        return session is not None and session.space.patient_id == patient_id

    def on_exchanges_loaded(self, message: ExchangesLoaded) -> None:
        if self._is_current(message.patient_id):
            self.log_widget.prepend(message.page.items,
                                    has_older=message.page.next_before is not None)

    def on_events_received(self, message: EventsReceived) -> None:
        if not self._is_current(message.patient_id):
            return
        exchanges = [e for e in (event.exchange() for event in message.events) if e]
        if exchanges:
            self.log_widget.append(exchanges)

    @on(ExchangeLog.OlderWanted)
    def _older_wanted(self, message: ExchangeLog.OlderWanted) -> None:
        self.load_page(message.before)

    @on(ExchangeLog.StateChanged)
    def _log_changed(self) -> None:
        self._offer_services()
        self._show_status()

    def _offer_services(self) -> None:
        services = self.log_widget.services
        if len(services) == self._known_services:
            return
        self._known_services = len(services)
        select = self.query_one("#quick-service", Select)
        chosen = select.value
        with self.prevent(Select.Changed):
            select.set_options(sorted(((name, client_id) for client_id, name in
                                       services.items()), key=lambda option: option[0]))
            if isinstance(chosen, str) and chosen in services:
                select.value = chosen

    def _show_status(self) -> None:
        t, log = self.t, self.log_widget
        if self.filter_error is not None:
            text = t("exchanges.filter.invalid", reason=self.filter_error)
        elif log.paused:
            text = t("exchanges.status.paused", count=log.held_count)
        elif log.entry_count == 0:
            text = t("exchanges.status.empty")
        elif not log.following:
            text = t("exchanges.status.scrolled", count=log.unseen, shown=log.shown_count,
                     total=log.entry_count)
        else:
            text = t("exchanges.status.live", shown=log.shown_count, total=log.entry_count)
        status = self.query_one("#exchanges-status", Static)
        status.update(Text(text))
        status.set_class(self.filter_error is not None, "-error")
        status.set_class(log.paused, "-paused")

    # --- filters ------------------------------------------------------------------------------

    def action_focus_filter(self) -> None:
        self.query_one("#exchange-filter", Input).focus()

    def action_focus_quick_filters(self) -> None:
        self.query_one("#quick-service", Select).focus()

    def action_back_to_log(self) -> None:
        self.log_widget.focus()

    @on(Input.Changed, "#exchange-filter")
    def _filter_typed(self) -> None:
        if self._debounce is not None:
            self._debounce.stop()
        self._debounce = self.set_timer(FILTER_DEBOUNCE, self.apply_filters)

    @on(Input.Submitted, "#exchange-filter")
    def _filter_submitted(self) -> None:
        self.apply_filters()
        self.log_widget.focus()

    @on(Select.Changed)
    def _quick_filter_chosen(self) -> None:
        self.apply_filters()

    def quick_filters(self) -> QuickFilters:
        """What the filter bar keeps."""
        values = {}
        for name in QUICK_FILTERS:
            value = self.query_one(f"#quick-{name}", Select).value
            values[name] = frozenset({value}) if isinstance(value, str) else frozenset()
        return QuickFilters(services=values["service"], data_classes=values["class"],
                            directions=values["direction"], outcomes=values["outcome"])

    def apply_filters(self) -> None:
        """Apply the `/` filter and the filter bar now; an invalid expression is told in the
        status line and the last valid filter stays."""
        if self._debounce is not None:
            self._debounce.stop()
            self._debounce = None
        try:
            self.text_filter = parse_text_filter(self.query_one("#exchange-filter", Input).value)
            self.filter_error = None
        except InvalidFilter as error:
            self.filter_error = error.reason
        self.query_one("#exchange-filter", Input).set_class(self.filter_error is not None,
                                                             "-bad-filter")
        self.log_widget.set_filters(self.text_filter, self.quick_filters())
        self._show_status()

    def action_denied_only(self) -> None:
        select = self.query_one("#quick-outcome", Select)
        if select.value == "denied":
            select.clear()
        else:
            select.value = "denied"

    def action_clear_filters(self) -> None:
        self.query_one("#exchange-filter", Input).value = ""
        for name in QUICK_FILTERS:
            self.query_one(f"#quick-{name}", Select).clear()
        self.apply_filters()

    # --- pause, marker, detail ----------------------------------------------------------------

    def action_toggle_pause(self) -> None:
        log = self.log_widget
        log.paused = not log.paused

    def action_add_marker(self) -> None:
        self.log_widget.add_marker()

    @on(ExchangeLog.Selected)
    def _open(self, message: ExchangeLog.Selected) -> None:
        # Imported when first needed: its text area is not part of the app's cold start.
        from ens_consent_tui.screens.exchanges_detail import ExchangeDetailScreen

        self.app.push_screen(ExchangeDetailScreen(message.exchange))

    # --- export -------------------------------------------------------------------------------

    def action_export(self, fmt: str) -> None:
        self.export(fmt)

    @work(group="export")
    async def export(self, fmt: str) -> None:
        """Ask the server for the log in `fmt` with the quick filters, save it, say where."""
        export = await self.attempt(self.client.exchanges.export(fmt, self.quick_filters()))
        if export is None:
            return
        directory = self.ens.export_dir or default_export_dir()
        try:
            path = await asyncio.to_thread(save_export, export, directory)
        except OSError as error:
            self.notify(self.t("exchanges.export.failed", directory=directory,
                               reason=error.strerror or error),
                        title=self.t("exchanges.export.failed.title"), severity="error")
            return
        self.post_message(ExchangesExported(path, fmt))

    def on_exchanges_exported(self, message: ExchangesExported) -> None:
        key = ("exchanges.export.text_filter_ignored" if self.text_filter.active
               else "exchanges.export.saved")
        self.notify(self.t(key, format=message.fmt.upper(), path=message.path),
                    title=self.t("exchanges.export.title"), timeout=10)

    def context_commands(self) -> list[SystemCommand]:
        t = self.t
        return [
            SystemCommand(t("exchanges.key.export_csv"), t("exchanges.command.export_csv.help"),
                          lambda: self.export("csv")),
            SystemCommand(t("exchanges.key.export_json"),
                          t("exchanges.command.export_json.help"), lambda: self.export("json")),
            SystemCommand(t("exchanges.key.marker"), t("exchanges.command.marker.help"),
                          self.action_add_marker),
            SystemCommand(t("exchanges.key.denied_only"),
                          t("exchanges.command.denied_only.help"), self.action_denied_only),
            SystemCommand(t("exchanges.key.clear_filters"),
                          t("exchanges.command.clear_filters.help"),
                          self.action_clear_filters),
        ]
