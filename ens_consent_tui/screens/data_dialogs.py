"""The two things a patient adds herself: a measure, an appointment (dialogs that send them)."""

from __future__ import annotations

from datetime import datetime

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Button, Input, Label, Select, Static

from ens_consent_tui.client import (
    ClientError,
    InvalidInput,
    NewAppointment,
    NewMeasure,
    SessionExpired,
)
from ens_consent_tui.client.measures import measure_by_key, writable_measures
from ens_consent_tui.client.records import Appointment, MeasurePoint
from ens_consent_tui.formatting import format_datetime, format_number
from ens_consent_tui.forms import check_appointment, check_measure, component_label
from ens_consent_tui.problems import describe
from ens_consent_tui.screens.base import EnsModal

DURATIONS = (15, 20, 30, 45, 60, 90)
_NUMBER = r"[0-9 ,.\-]*"


class _SendingDialog(EnsModal):
    """A form that sends what it checked, and shows any refusal right under the form."""

    ERROR_ID = "form-error"

    def say(self, text: str) -> None:
        self.query_one(f"#{self.ERROR_ID}", Static).update(text)

    def refusal(self, error: ClientError) -> None:
        """A refusal in words under the form; an expired session leaves for the login."""
        if isinstance(error, SessionExpired):
            self.ens.report_error(error)
            self.dismiss(None)
        elif isinstance(error, InvalidInput):
            self.say(self.t("form.error.server", reason=error.reason))
        else:
            self.say(describe(self.t, error)[1])

    def compose_buttons(self) -> ComposeResult:
        with Horizontal(classes="dialog-buttons"):
            yield Button(self.t("form.save"), id="save", variant="primary")
            yield Button(self.t("form.cancel"), id="cancel")

    @on(Button.Pressed, "#cancel")
    def _cancel(self) -> None:
        self.dismiss(None)


class MeasureDialog(_SendingDialog):
    """Add a measure: its type, its value(s), when it was taken."""

    AUTO_FOCUS = "#measure-type"

    def __init__(self, now: datetime | None) -> None:
        super().__init__()
        self.now = now

    def compose(self) -> ComposeResult:
        t = self.t
        specs = writable_measures()
        with VerticalScroll(classes="dialog", id="measure-dialog"):
            yield Label(t("measure.form.title"), classes="dialog-title")
            yield Label(t("measure.form.type"))
            yield Select[str]([(t(f"measure.{m.key}"), m.key) for m in specs],
                              value=specs[0].key, allow_blank=False, id="measure-type")
            for index in range(2):
                yield Label(id=f"value-label-{index}")
                yield Input(restrict=_NUMBER, id=f"value-{index}")
            yield Label(t("form.when", example=t("form.date_example")))
            yield Input(format_datetime(t, self.now) if self.now else "", id="measure-when")
            yield Static(id=self.ERROR_ID, classes="dialog-error")
            yield from self.compose_buttons()

    def on_mount(self) -> None:
        self._show_fields(str(self.query_one("#measure-type", Select).value))

    @on(Select.Changed, "#measure-type")
    def _type_changed(self, event: Select.Changed) -> None:
        self._show_fields(str(event.value))

    def _show_fields(self, key: str) -> None:
        t = self.t
        spec = measure_by_key()[key]
        for index in range(2):
            shown = index < len(spec.components)
            label = self.query_one(f"#value-label-{index}", Label)
            label.display = self.query_one(f"#value-{index}", Input).display = shown
            if shown:
                component = spec.components[index]
                label.update(t("measure.form.value", field=component_label(t, spec, index),
                               unit=t(f"unit.{spec.key}"),
                               minimum=format_number(t, component.minimum, spec.decimals),
                               maximum=format_number(t, component.maximum, spec.decimals)))
        self.say("")

    @on(Input.Submitted)
    @on(Button.Pressed, "#save")
    def _save(self) -> None:
        spec = measure_by_key()[str(self.query_one("#measure-type", Select).value)]
        typed = [self.query_one(f"#value-{i}", Input).value for i in range(2)]
        checked = check_measure(self.t, spec, typed, self.query_one("#measure-when", Input).value,
                                self.now)
        if isinstance(checked, str):
            self.say(checked)
        else:
            self.send(checked)

    @work(exclusive=True)
    async def send(self, measure: NewMeasure) -> None:
        self.say("")
        try:
            with self.busy(self.query_one("#measure-dialog")):
                point: MeasurePoint = await self.client.fhir.add_measure(measure)
        except ClientError as error:
            self.refusal(error)
            return
        self.dismiss(point)


class AppointmentDialog(_SendingDialog):
    """Add an appointment: what, with whom, when, how long, confirmed or to be confirmed."""

    AUTO_FOCUS = "#appointment-what"

    def __init__(self, now: datetime | None) -> None:
        super().__init__()
        self.now = now

    def compose(self) -> ComposeResult:
        t = self.t
        with VerticalScroll(classes="dialog", id="appointment-dialog"):
            yield Label(t("agenda.form.title"), classes="dialog-title")
            yield Label(t("agenda.form.what"))
            yield Input(id="appointment-what")
            yield Label(t("agenda.form.with"))
            yield Input(id="appointment-with")
            yield Label(t("form.when", example=t("form.date_example")))
            yield Input(format_datetime(t, self.now) if self.now else "", id="appointment-when")
            yield Label(t("agenda.form.duration"))
            yield Select[int]([(t("agenda.form.minutes", minutes=m), m) for m in DURATIONS],
                              value=30, allow_blank=False, id="appointment-duration")
            yield Label(t("agenda.form.status"))
            yield Select[str]([(t("agenda.form.booked"), "booked"),
                               (t("agenda.form.proposed"), "proposed")],
                              value="booked", allow_blank=False, id="appointment-status")
            yield Static(id=self.ERROR_ID, classes="dialog-error")
            yield from self.compose_buttons()

    @on(Input.Submitted)
    @on(Button.Pressed, "#save")
    def _save(self) -> None:
        duration = self.query_one("#appointment-duration", Select).value
        checked = check_appointment(
            self.t, self.query_one("#appointment-what", Input).value,
            self.query_one("#appointment-with", Input).value,
            self.query_one("#appointment-when", Input).value,
            duration if isinstance(duration, int) else 30,
            self.query_one("#appointment-status", Select).value == "booked")
        if isinstance(checked, str):
            self.say(checked)
        else:
            self.send(checked)

    @work(exclusive=True)
    async def send(self, appointment: NewAppointment) -> None:
        self.say("")
        try:
            with self.busy(self.query_one("#appointment-dialog")):
                created: Appointment = await self.client.fhir.add_appointment(appointment)
        except ClientError as error:
            self.refusal(error)
            return
        self.dismiss(created)
