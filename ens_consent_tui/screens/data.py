"""Mes données: documents by group with a viewer, measures (table, trend, chart), the agenda;
the patient can add a measure and an appointment."""

from __future__ import annotations

from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import DataTable, Label, TabbedContent, TabPane, Tree

from ens_consent_tui.client.measures import MEASURES
from ens_consent_tui.client.records import (
    DOCUMENT_GROUPS,
    Agenda,
    Appointment,
    Document,
    MeasurePoint,
)
from ens_consent_tui.formatting import (
    format_date,
    format_datetime,
    format_time,
    format_values,
    shorten,
    sparkline,
)
from ens_consent_tui.grant_wording import source_label
from ens_consent_tui.messages import (
    AgendaLoaded,
    AppointmentAdded,
    DocumentOpened,
    DocumentsLoaded,
    MeasureAdded,
    MeasuresLoaded,
    ServiceNamesLoaded,
)
from ens_consent_tui.screens.base import SectionScreen
from ens_consent_tui.screens.data_dialogs import AppointmentDialog, MeasureDialog
from ens_consent_tui.widgets.document_viewer import DocumentViewer
from ens_consent_tui.widgets.measure_chart import MeasureChart

TABS = ("documents", "measures", "agenda")
MAIN_WIDGET = {"documents": "#document-tree", "measures": "#measure-types",
               "agenda": "#agenda-upcoming"}
"""What gets the focus when a tab is shown with its key."""
SPARKLINE_WIDTH = 12
WHAT_WIDTH = 40
WHO_WIDTH = 32


class DataScreen(SectionScreen):
    """The patient's own data, in three tabs."""

    SECTION = "data"
    CSS_PATH = "data.tcss"
    AUTO_FOCUS = "#document-tree"
    BINDINGS: ClassVar = [
        *(Binding(str(n), f"show_tab('{tab}')", f"data.tab.{tab}", id=f"tab-{tab}", show=False)
          for n, tab in enumerate(TABS, start=1)),
        Binding("m", "add_measure", "key.add_measure", id="add-measure"),
        Binding("r", "add_appointment", "key.add_appointment", id="add-appointment"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.series: dict[str, list[MeasurePoint]] = {}
        self.documents: list[Document] = []
        self.agenda: Agenda | None = None
        self.service_names: dict[str, str] = {}
        """Client id → name, to say which service wrote each measure."""
        self.measure_shown: str | None = None

    def compose_body(self) -> ComposeResult:
        t = self.t
        with TabbedContent(id="data-tabs"):
            with TabPane(t("data.tab.documents"), id="documents"), \
                    Horizontal(id="documents-pane"):
                yield Tree(t("documents.tree.root"), id="document-tree")
                yield DocumentViewer(id="document-viewer")
            with TabPane(t("data.tab.measures"), id="measures"), \
                    Horizontal(id="measures-pane"):
                yield DataTable(id="measure-types", cursor_type="row")
                with Vertical(id="measure-detail"):
                    yield MeasureChart(id="measure-chart")
                    yield DataTable(id="measure-values", cursor_type="row", zebra_stripes=True)
            with TabPane(t("data.tab.agenda"), id="agenda"), Vertical(id="agenda-pane"):
                yield Label(id="agenda-upcoming-title", classes="agenda-title")
                yield DataTable(id="agenda-upcoming", cursor_type="row", zebra_stripes=True)
                yield Label(id="agenda-past-title", classes="agenda-title")
                yield DataTable(id="agenda-past", cursor_type="row", zebra_stripes=True)

    def on_mount(self) -> None:
        t = self.t
        tree = self.query_one("#document-tree", Tree)
        tree.show_root = False
        types = self.query_one("#measure-types", DataTable)
        for key in ("measure", "trend", "last", "date"):
            types.add_column(t(f"measures.column.{key}"), key=key)
        values = self.query_one("#measure-values", DataTable)
        for key in ("date", "time", "value", "source"):
            values.add_column(t(f"measures.values.{key}"), key=key)
        for table_id in ("#agenda-upcoming", "#agenda-past"):
            table = self.query_one(table_id, DataTable)
            for key in ("date", "time", "what", "with", "status"):
                table.add_column(t(f"agenda.column.{key}"), key=key)

    def load(self) -> None:
        self.load_documents()
        self.load_measures()
        self.load_agenda()
        self.load_service_names()

    def action_show_tab(self, tab: str) -> None:
        self.query_one("#data-tabs", TabbedContent).active = tab
        self.query_one(MAIN_WIDGET[tab]).focus()

    def context_commands(self) -> list[SystemCommand]:
        t = self.t
        return [SystemCommand(t("key.add_measure"), t("command.add_measure.help"),
                              self.action_add_measure),
                SystemCommand(t("key.add_appointment"), t("command.add_appointment.help"),
                              self.action_add_appointment)]

    # --- documents --------------------------------------------------------------------------

    @work(exclusive=True, group="documents")
    async def load_documents(self) -> None:
        with self.busy(self.query_one("#document-tree")):
            documents = await self.attempt(self.client.fhir.documents())
        if documents is not None:
            self.post_message(DocumentsLoaded(documents))

    def on_documents_loaded(self, message: DocumentsLoaded) -> None:
        t = self.t
        self.documents = message.documents
        tree: Tree[Document] = self.query_one("#document-tree", Tree)
        tree.clear()
        for group in DOCUMENT_GROUPS:
            in_group = [d for d in message.documents if d.group == group]
            node = tree.root.add(t("documents.group", group=t(f"group.{group}"),
                                   count=len(in_group)), expand=bool(in_group))
            for document in in_group:
                node.add_leaf(t("documents.leaf", date=format_date(t, document.date),
                                title=document.title), data=document)

    @on(Tree.NodeSelected, "#document-tree")
    def _document_chosen(self, event: Tree.NodeSelected) -> None:
        if isinstance(event.node.data, Document):
            self.open_document(event.node.data)

    @work(exclusive=True, group="document")
    async def open_document(self, document: Document) -> None:
        viewer = self.query_one(DocumentViewer)
        with self.busy(viewer):
            text = await self.attempt(self.client.fhir.document_text(document))
        if text is not None:
            self.post_message(DocumentOpened(document, text))

    def on_document_opened(self, message: DocumentOpened) -> None:
        self.query_one(DocumentViewer).show(message.document, message.text)

    # --- measures ---------------------------------------------------------------------------

    @work(exclusive=True, group="measures")
    async def load_measures(self) -> None:
        with self.busy(self.query_one("#measures-pane")):
            series = await self.attempt(self.client.fhir.all_measure_series())
        if series is not None:
            self.post_message(MeasuresLoaded(series))

    def on_measures_loaded(self, message: MeasuresLoaded) -> None:
        t = self.t
        self.series = message.series
        table = self.query_one("#measure-types", DataTable)
        table.clear()
        for spec in MEASURES:
            points = message.series.get(spec.key)
            if not points:
                continue
            last = points[-1]
            table.add_row(t(f"measure.{spec.key}"),
                          sparkline([p.values[0] for p in points], SPARKLINE_WIDTH),
                          format_values(t, spec, last.values), format_date(t, last.effective),
                          key=spec.key)
        if table.row_count:
            self._show_measure(str(table.coordinate_to_cell_key((0, 0)).row_key.value))
        else:
            self.query_one("#measure-values", DataTable).clear()

    @on(DataTable.RowHighlighted, "#measure-types")
    def _measure_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.row_key.value in self.series:
            self._show_measure(event.row_key.value)

    @work(exclusive=True, group="service-names")
    async def load_service_names(self) -> None:
        names = await self.attempt(self.client.services.names())
        if names is not None:
            self.post_message(ServiceNamesLoaded(names))

    def on_service_names_loaded(self, message: ServiceNamesLoaded) -> None:
        self.service_names = message.names
        if self.measure_shown in self.series:
            self._show_measure(self.measure_shown)

    def _show_measure(self, key: str) -> None:
        t = self.t
        self.measure_shown = key
        points = self.series[key]
        spec = points[0].spec
        self.query_one(MeasureChart).show(spec, points)
        values = self.query_one("#measure-values", DataTable)
        values.clear()
        for point in reversed(points):
            values.add_row(format_date(t, point.effective), format_time(t, point.effective),
                           format_values(t, spec, point.values),
                           source_label(t, point.source, self.service_names))

    def action_add_measure(self) -> None:
        self.app.push_screen(MeasureDialog(self.client.fhir.last_server_time),
                             self._measure_added)

    def _measure_added(self, point: MeasurePoint | None) -> None:
        if point is not None:
            self.post_message(MeasureAdded(point))

    def on_measure_added(self, message: MeasureAdded) -> None:
        t = self.t
        self.notify(t("measures.added", measure=t(f"measure.{message.point.spec.key}"),
                      value=format_values(t, message.point.spec, message.point.values)),
                    title=t("measures.added.title"))
        self.action_show_tab("measures")
        self.load_measures()

    # --- agenda -----------------------------------------------------------------------------

    @work(exclusive=True, group="agenda")
    async def load_agenda(self) -> None:
        with self.busy(self.query_one("#agenda-pane")):
            agenda = await self.attempt(self.client.fhir.agenda())
        if agenda is not None:
            self.post_message(AgendaLoaded(agenda))

    def on_agenda_loaded(self, message: AgendaLoaded) -> None:
        t = self.t
        self.agenda = message.agenda
        for name, appointments in (("upcoming", message.agenda.upcoming),
                                   ("past", message.agenda.past)):
            self.query_one(f"#agenda-{name}-title", Label).update(
                t(f"agenda.{name}", count=len(appointments)))
            table = self.query_one(f"#agenda-{name}", DataTable)
            table.clear()
            for appointment in appointments:
                table.add_row(*self._agenda_row(appointment), key=appointment.id)

    def _agenda_row(self, appointment: Appointment) -> tuple[str, ...]:
        t = self.t
        return (format_date(t, appointment.start), format_time(t, appointment.start),
                shorten(appointment.description or appointment.service or "—", WHAT_WIDTH),
                shorten(appointment.with_whom or "—", WHO_WIDTH),
                t(f"appointment.status.{appointment.status}"))

    def action_add_appointment(self) -> None:
        self.app.push_screen(AppointmentDialog(self.client.fhir.last_server_time),
                             self._appointment_added)

    def _appointment_added(self, appointment: Appointment | None) -> None:
        if appointment is not None:
            self.post_message(AppointmentAdded(appointment))

    def on_appointment_added(self, message: AppointmentAdded) -> None:
        t = self.t
        self.notify(t("agenda.added", when=format_datetime(t, message.appointment.start)),
                    title=t("agenda.added.title"))
        self.action_show_tab("agenda")
        self.load_agenda()
