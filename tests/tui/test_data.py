"""Mes données: documents by group with a viewer, measures (table, trend, chart), agenda, and
what the patient adds herself."""

from __future__ import annotations

from datetime import UTC, datetime

from textual.widgets import DataTable, Input, Label, Select, Static, TabbedContent, Tree

from ens_consent_tui.client import NewMeasure
from ens_consent_tui.client.measures import measure_by_key
from ens_consent_tui.messages import (
    AgendaLoaded,
    AppointmentAdded,
    DocumentOpened,
    DocumentsLoaded,
    MeasureAdded,
    MeasuresLoaded,
)
from ens_consent_tui.screens.data import DataScreen
from ens_consent_tui.screens.data_dialogs import AppointmentDialog, MeasureDialog
from ens_consent_tui.widgets.document_viewer import DocumentViewer
from ens_consent_tui.widgets.measure_chart import MeasureChart
from tests.conftest import FROZEN_NOW
from tests.tui.conftest import seen, settle, sign_in_demo, wait_for


async def open_data(pilot, messages) -> DataScreen:
    await sign_in_demo(pilot, 1)
    await pilot.press("d")
    await wait_for(pilot, lambda: seen(messages, DocumentsLoaded) and seen(messages, AgendaLoaded)
                   and seen(messages, MeasuresLoaded), "my data")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, DataScreen)
    return screen


async def test_documents_are_grouped_like_the_store_and_the_viewer_shows_the_text(
        build_app, messages) -> None:
    app = build_app()
    async with app.run_test(size=(120, 40), message_hook=messages.append) as pilot:
        screen = await open_data(pilot, messages)
        tree = screen.query_one("#document-tree", Tree)
        groups = [str(node.label) for node in tree.root.children]
        assert [g.rsplit(" (", 1)[0] for g in groups] == [
            "Synthèses", "Traitements et soins", "Comptes rendus", "Imagerie médicale",
            "Biologie", "Prévention"]
        documents = seen(messages, DocumentsLoaded)[0].documents
        assert sum(len(node.children) for node in tree.root.children) == len(documents) == 12
        first = next(node for group in tree.root.children for node in group.children)
        tree.select_node(first)
        await wait_for(pilot, lambda: seen(messages, DocumentOpened), "the document")
        await settle(pilot)
        shown = screen.query_one(DocumentViewer).text
        assert first.data.title in shown
        assert "Patiente : Mme Camille MARTIN" in shown


async def test_measures_show_trends_and_a_dated_chart_and_the_agenda_splits_at_server_time(
        build_app, messages) -> None:
    app = build_app()
    async with app.run_test(size=(120, 40), message_hook=messages.append) as pilot:
        screen = await open_data(pilot, messages)
        await pilot.press("2")
        assert screen.query_one("#data-tabs", TabbedContent).active == "measures"
        series = seen(messages, MeasuresLoaded)[0].series
        types = screen.query_one("#measure-types", DataTable)
        assert [str(row.value) for row in types.rows] == list(series)
        assert "body_weight" in series and "blood_pressure" in series
        trend = types.get_cell("body_weight", "trend")
        assert trend and set(trend) <= set("▁▂▃▄▅▆▇█")
        chart = screen.query_one(MeasureChart)
        first_key = next(iter(series))
        assert chart.spec.key == first_key and chart.point_count == len(series[first_key])
        types.move_cursor(row=types.get_row_index("blood_pressure"))
        await settle(pilot)
        assert chart.spec.key == "blood_pressure"
        values = screen.query_one("#measure-values", DataTable)
        assert values.row_count == len(series["blood_pressure"])
        assert values.get_row_at(0)[2].endswith(" mmHg") and "/" in values.get_row_at(0)[2]

        agenda = seen(messages, AgendaLoaded)[0].agenda
        assert agenda.now == FROZEN_NOW
        assert agenda.upcoming and agenda.past
        assert all(a.start >= FROZEN_NOW for a in agenda.upcoming if a.start)
        assert all(a.start < FROZEN_NOW for a in agenda.past)
        upcoming = screen.query_one("#agenda-upcoming", DataTable)
        assert upcoming.row_count == len(agenda.upcoming)
        title = str(screen.query_one("#agenda-upcoming-title", Label).render())
        assert title == f"À venir ({len(agenda.upcoming)})"


async def add_measure_dialog(pilot) -> MeasureDialog:
    await pilot.press("m")
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, MeasureDialog), "the dialog")
    await settle(pilot)
    return pilot.app.screen


async def test_a_measure_typed_by_the_patient_is_saved_and_shown(build_app, messages) -> None:
    app = build_app()
    async with app.run_test(size=(120, 40), message_hook=messages.append) as pilot:
        await open_data(pilot, messages)
        dialog = await add_measure_dialog(pilot)
        assert dialog.query_one("#measure-when", Input).value == "26/11/2026 10:30"
        dialog.query_one("#value-0", Input).value = "64,5"
        await pilot.click("#save")
        await wait_for(pilot, lambda: seen(messages, MeasureAdded), "the saved measure")
        await wait_for(pilot, lambda: len(seen(messages, MeasuresLoaded)) == 2, "the reload")
        await settle(pilot)
        assert seen(messages, MeasureAdded)[0].point.values == (64.5,)
        weights = seen(messages, MeasuresLoaded)[-1].series["body_weight"]
        assert weights[-1].values == (64.5,)
        assert weights[-1].effective == datetime(2026, 11, 26, 9, 30, tzinfo=UTC)
        assert any(n.title == "Mesure enregistrée" for n in app._notifications)


async def test_absurd_values_are_refused_before_sending_and_a_server_refusal_is_told(
        build_app, messages) -> None:
    app = build_app()
    async with app.run_test(size=(120, 40), message_hook=messages.append) as pilot:
        await open_data(pilot, messages)
        dialog = await add_measure_dialog(pilot)

        def error() -> str:
            return str(dialog.query_one("#form-error", Static).render())

        dialog.query_one("#value-0", Input).value = "640"
        await pilot.click("#save")
        await settle(pilot)
        assert error() == ("✗ Poids : une valeur réelle est comprise entre 1,0 et 300,0 kg. "
                           "Vérifiez la saisie.")
        assert not [w for w in app.workers if w.name == "send"], "nothing was sent"

        dialog.query_one("#measure-type", Select).value = "blood_pressure"
        await settle(pilot)
        assert dialog.query_one("#value-1", Input).display
        dialog.query_one("#value-0", Input).value = "80"
        dialog.query_one("#value-1", Input).value = "120"
        await pilot.click("#save")
        await settle(pilot)
        assert error() == "✗ La pression systolique doit être plus élevée que la diastolique."

        # What the form would refuse, sent anyway: the server's own words come back.
        dialog.send(NewMeasure(measure_by_key()["body_weight"], (900.0,), FROZEN_NOW))
        await settle(pilot)
        assert error().startswith("✗ Le serveur a refusé l'enregistrement : ")
        assert "hors des valeurs plausibles (1 à 300)" in error()
        assert app.screen is dialog and not seen(messages, MeasureAdded)


async def test_an_appointment_added_by_the_patient_appears_in_the_agenda(build_app,
                                                                        messages) -> None:
    app = build_app()
    async with app.run_test(size=(120, 40), message_hook=messages.append) as pilot:
        await open_data(pilot, messages)
        await pilot.press("r")
        await wait_for(pilot, lambda: isinstance(app.screen, AppointmentDialog), "the dialog")
        dialog = app.screen
        dialog.query_one("#appointment-what", Input).value = "Cours de yoga prénatal"
        dialog.query_one("#appointment-with", Input).value = "Mme Aline Roux, sage-femme"
        dialog.query_one("#appointment-when", Input).value = "15/12/2026 10:30"
        dialog.query_one("#appointment-status", Select).value = "proposed"
        await pilot.click("#save")
        await wait_for(pilot, lambda: seen(messages, AppointmentAdded), "the appointment")
        await wait_for(pilot, lambda: len(seen(messages, AgendaLoaded)) == 2, "the reload")
        await settle(pilot)
        added = seen(messages, AppointmentAdded)[0].appointment
        assert added.status == "proposed" and added.with_whom == "Mme Aline Roux, sage-femme"
        upcoming = seen(messages, AgendaLoaded)[-1].agenda.upcoming
        assert added.id in [a.id for a in upcoming]
        table = app.screen.query_one("#agenda-upcoming", DataTable)
        row = table.get_row(added.id)
        assert row[:3] == ["15/12/2026", "10:30", "Cours de yoga prénatal"]
        assert row[4] == "demande à confirmer"
