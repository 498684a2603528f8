"""Échanges: a service's real exchanges arrive live in the log, told by glyph and word; pause
with a count of new ones, `/` filter, quick filters, detail, marker, exports."""

from __future__ import annotations

import csv
import json
import re

from textual.widgets import Input, OptionList, Select, Static, TextArea

from ens_consent_tui.messages import ExchangeOpened, ExchangesExported, ExchangesLoaded
from ens_consent_tui.screens.exchanges import ExchangesScreen
from ens_consent_tui.screens.exchanges_detail import ExchangeDetailScreen
from ens_consent_tui.widgets.exchange_log import ExchangeLog, LogEntry
from tests.tui.conftest import seen, settle, sign_in_demo, wait_for
from tests.tui.exchanges_support import (
    GLUCOSE_READ,
    GLYCO,
    GLYCO_NAME,
    WEIGHT_READ,
    Services,
)

CSV_HEADER = ["id", "at", "client_id", "service_name", "data_class", "subtype", "direction",
              "interaction", "resource_type", "outcome", "reason", "status", "method", "path",
              "query", "resources", "count"]


def visible_lines(log: ExchangeLog) -> list[str]:
    """The log as the person sees it, line by line."""
    lines = [log.render_line(y).text.rstrip() for y in range(log.scrollable_content_region.height)]
    return [line for line in lines if line]


def status_of(screen: ExchangesScreen) -> str:
    return str(screen.query_one("#exchanges-status", Static).render())


async def open_log(pilot, messages) -> tuple[ExchangesScreen, ExchangeLog]:
    """Karim's space, Échanges open with its first page loaded."""
    await sign_in_demo(pilot, 2)
    await pilot.press("e")
    await wait_for(pilot, lambda: seen(messages, ExchangesLoaded), "the first page")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, ExchangesScreen)
    return screen, screen.query_one(ExchangeLog)


async def glyco_with_three_exchanges(services: Services, pilot, log: ExchangeLog):
    """GlycoPilote, granted glucose and weight reads: reads glucose (allowed), searches
    documents (denied), writes a glucose value (denied: no write granted)."""
    glyco = await services.catalogue(GLYCO, "karim.benali", grant=[GLUCOSE_READ, WEIGHT_READ])
    before = log.entry_count
    assert await glyco.read_glucose() == 200
    assert await glyco.read_documents() == 403
    assert await glyco.write_glucose() == 403
    await wait_for(pilot, lambda: log.entry_count == before + 3, "three exchanges")
    await settle(pilot)
    return glyco


async def test_a_services_exchanges_arrive_live_each_told_by_glyph_and_word(
        build_app, messages, live_server, settings) -> None:
    app = build_app()
    services = Services(live_server, settings)
    async with app.run_test(size=(120, 40), message_hook=messages.append) as pilot:
        glyco = await services.catalogue(GLYCO, "karim.benali",
                                                grant=[GLUCOSE_READ, WEIGHT_READ])
        assert await glyco.read_glucose() == 200  # before the log is open: from the first page
        screen, log = await open_log(pilot, messages)
        await wait_for(pilot, lambda: log.entry_count == 1, "the first page's exchange")
        assert await glyco.read_documents() == 403
        assert await glyco.write_glucose() == 403
        await wait_for(pilot, lambda: log.entry_count == 3, "the live exchanges")
        await settle(pilot)

        lines = visible_lines(log)
        assert len(lines) == 3
        assert re.match(r"26/11 10:30:00 ✓ autorisé GlycoPilote +lecture +mesures · Glycémie "
                        r"+50 *$", lines[0])
        assert "✗ refusé" in lines[1] and "documents · tout" in lines[1]
        assert "Consentement non donné" in lines[1]
        assert "✗ refusé" in lines[2] and "écriture" in lines[2]
        assert log.following and log.cursor == 2, "the log follows the newest entry"
        assert status_of(screen) == "● En direct · 3 échange(s) affiché(s) sur 3"


async def test_pause_holds_new_exchanges_and_counts_them_until_resumed(
        build_app, messages, live_server, settings) -> None:
    app = build_app()
    services = Services(live_server, settings)
    async with app.run_test(size=(120, 40), message_hook=messages.append) as pilot:
        screen, log = await open_log(pilot, messages)
        await pilot.press("space")
        assert log.paused
        assert status_of(screen) == "⏸ En pause · 0 nouveau(x) (Espace pour reprendre)"
        await glyco_with_no_wait(services)
        await wait_for(pilot, lambda: log.held_count == 3, "three held exchanges")
        await settle(pilot)
        assert log.entry_count == 0 and visible_lines(log) == []
        assert status_of(screen) == "⏸ En pause · 3 nouveau(x) (Espace pour reprendre)"

        await pilot.press("space")
        await settle(pilot)
        assert not log.paused and log.entry_count == 3 and len(visible_lines(log)) == 3
        assert status_of(screen).startswith("● En direct · 3 ")


async def glyco_with_no_wait(services: Services) -> None:
    glyco = await services.catalogue(GLYCO, "karim.benali", grant=[GLUCOSE_READ, WEIGHT_READ])
    await glyco.read_glucose()
    await glyco.read_documents()
    await glyco.write_glucose()


async def test_moving_up_stops_following_and_counts_what_arrives_below(
        build_app, messages, live_server, settings) -> None:
    app = build_app()
    services = Services(live_server, settings)
    async with app.run_test(size=(120, 40), message_hook=messages.append) as pilot:
        screen, log = await open_log(pilot, messages)
        glyco = await glyco_with_three_exchanges(services, pilot, log)
        await pilot.press("up")
        assert not log.following and log.cursor == 1
        assert await glyco.read_glucose() == 200
        await wait_for(pilot, lambda: log.entry_count == 4, "a new exchange")
        await settle(pilot)
        assert log.cursor == 1, "the cursor stays where the person put it"
        assert status_of(screen).startswith("↓ 1 nouveau(x) plus bas (Fin pour suivre)")
        await pilot.press("end")
        assert log.following and log.cursor == 3
        assert status_of(screen).startswith("● En direct")


async def test_slash_filter_takes_words_regex_and_exclusion_and_survives_a_bad_expression(
        build_app, messages, live_server, settings) -> None:
    app = build_app()
    services = Services(live_server, settings)
    async with app.run_test(size=(120, 40), message_hook=messages.append) as pilot:
        screen, log = await open_log(pilot, messages)
        await glyco_with_three_exchanges(services, pilot, log)

        async def filter_by(text: str) -> list[str]:
            await pilot.press("slash")
            field = screen.query_one("#exchange-filter", Input)
            assert field.has_focus
            field.value = text
            await pilot.press("enter")
            await settle(pilot)
            assert log.has_focus, "Enter goes back to the log"
            return visible_lines(log)

        await pilot.press("slash", *"docu")  # typed: applied once typing pauses
        await wait_for(pilot, lambda: log.shown_count == 1, "the filter while typing")
        assert all("documents" in line for line in await filter_by("docu"))
        lines = await filter_by("refus.*(écriture|documents)")
        assert len(lines) == 2 and all("✗ refusé" in line for line in lines)
        lines = await filter_by("!refusé")
        assert len(lines) == 1 and "✓ autorisé" in lines[0]

        assert await filter_by("[glyc") == lines, "the last valid filter stays"
        assert status_of(screen).startswith("✗ Filtre invalide (")
        assert screen.query_one("#exchange-filter", Input).has_class("-bad-filter")
        assert app.is_running

        assert len(await filter_by("")) == 3
        assert status_of(screen).startswith("● En direct · 3 ")
        await pilot.press("slash", "escape")
        assert log.has_focus, "Escape leaves the filter for the log"


async def test_quick_filters_narrow_by_outcome_direction_class_and_service(
        build_app, messages, live_server, settings) -> None:
    app = build_app()
    services = Services(live_server, settings)
    async with app.run_test(size=(120, 40), message_hook=messages.append) as pilot:
        screen, log = await open_log(pilot, messages)
        await glyco_with_three_exchanges(services, pilot, log)
        other = await services.outside("Carnet Test", "karim.benali")
        assert await other.read_glucose() == 200
        await wait_for(pilot, lambda: log.entry_count == 4, "the other service's exchange")
        await settle(pilot)

        async def choose(name: str, value: str | None) -> list[str]:
            select = screen.query_one(f"#quick-{name}", Select)
            if value is None:
                select.clear()
            else:
                select.value = value
            await settle(pilot)
            return visible_lines(log)

        await pilot.press("r")
        await settle(pilot)
        lines = visible_lines(log)
        assert len(lines) == 2 and all("✗ refusé" in line for line in lines)
        assert status_of(screen).endswith("2 échange(s) affiché(s) sur 4")
        assert [len(await choose("direction", "write"))] == [1]
        await pilot.press("r")  # again: every outcome
        await choose("direction", None)
        assert len(await choose("class", "documents")) == 1
        await choose("class", None)
        offered = screen.query_one("#quick-service", Select).query_one(OptionList)
        assert [str(offered.get_option_at_index(i).prompt)
                for i in range(1, offered.option_count)] == ["Carnet Test", GLYCO_NAME]
        lines = await choose("service", other.client_id)
        assert len(lines) == 1 and "Carnet Test" in lines[0]


async def test_enter_opens_the_request_the_answer_and_the_fhir_payload_written(
        build_app, messages, live_server, settings) -> None:
    app = build_app()
    services = Services(live_server, settings)
    async with app.run_test(size=(120, 40), message_hook=messages.append) as pilot:
        screen, log = await open_log(pilot, messages)
        await glyco_with_three_exchanges(services, pilot, log)
        await pilot.press("up", "enter")  # the denied document search
        await wait_for(pilot, lambda: seen(messages, ExchangeOpened), "the detail")
        await settle(pilot)
        detail = app.screen
        assert isinstance(detail, ExchangeDetailScreen)
        request = str(detail.query_one("#detail-request", Static).render()).splitlines()
        assert request[0] == "GET /fhir/DocumentReference"
        assert request[1] == "Réponse du serveur : HTTP 403"
        assert request[2] == f"Service : {GLYCO_NAME} (client {GLYCO})"
        assert request[3] == "Quand : 26/11/2026 10:30:00 (heure simulée du serveur)"
        assert request[4] == "Données : documents · tout · lecture (search)"
        assert any(line.startswith("Motif : Consentement non donné") for line in request)
        payload = detail.query_one("#detail-payload", TextArea).text
        assert payload.startswith("Rien n'a été écrit")
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is screen

        clinic = await services.outside("CHU des Belles Rives", "karim.benali")
        assert await clinic.write_document() == 201
        await wait_for(pilot, lambda: log.entry_count == 4, "the written document")
        await settle(pilot)
        await pilot.press("end", "enter")
        await wait_for(pilot, lambda: len(seen(messages, ExchangeOpened)) == 2, "its detail")
        await settle(pilot)
        request = str(app.screen.query_one("#detail-request", Static).render()).splitlines()
        assert request[:2] == ["POST /fhir/DocumentReference", "Réponse du serveur : HTTP 201"]
        written = json.loads(app.screen.query_one("#detail-payload", TextArea).text)
        assert [r["resourceType"] for r in written] == ["DocumentReference"]
        assert written[0]["description"] == "Document de test"


async def test_a_marker_is_a_timed_line_of_its_own_that_every_filter_keeps(
        build_app, messages, live_server, settings) -> None:
    app = build_app()
    services = Services(live_server, settings)
    async with app.run_test(size=(120, 40), message_hook=messages.append) as pilot:
        screen, log = await open_log(pilot, messages)
        glyco = await glyco_with_three_exchanges(services, pilot, log)
        await pilot.press("m")
        assert await glyco.read_glucose() == 200
        await wait_for(pilot, lambda: log.entry_count == 4, "one more exchange")
        await settle(pilot)
        lines = visible_lines(log)
        assert re.fullmatch(r"─+ Repère 1 · \d\d:\d\d:\d\d ─+", lines[3])
        assert "✓ autorisé" in lines[4], "what came after the marker is under it"
        assert status_of(screen).startswith("● En direct · 4 "), "a marker is no exchange"
        await pilot.press("slash")
        screen.query_one("#exchange-filter", Input).value = "nothing-matches"
        await pilot.press("enter")
        await settle(pilot)
        assert [line.strip("─ ") for line in visible_lines(log)] == [lines[3].strip("─ ")]


async def test_exports_save_the_servers_csv_and_json_with_the_quick_filters(
        build_app, messages, live_server, settings, tmp_path) -> None:
    app = build_app()
    services = Services(live_server, settings)
    app.export_dir = tmp_path
    async with app.run_test(size=(120, 40), message_hook=messages.append) as pilot:
        _, log = await open_log(pilot, messages)
        await glyco_with_three_exchanges(services, pilot, log)
        await pilot.press("v")
        await wait_for(pilot, lambda: seen(messages, ExchangesExported), "the CSV export")
        csv_path = seen(messages, ExchangesExported)[0].path
        assert csv_path.parent == tmp_path and csv_path.suffix == ".csv"
        rows = list(csv.reader(csv_path.read_text(encoding="utf-8").splitlines()))
        assert rows[0] == CSV_HEADER
        assert [row[9] for row in rows[1:]] == ["allowed", "denied", "denied"]
        toast = list(app._notifications)[-1]
        assert toast.title == "Export enregistré" and str(csv_path) in toast.message

        await pilot.press("r", "j")
        await wait_for(pilot, lambda: len(seen(messages, ExchangesExported)) == 2, "the JSON")
        json_path = seen(messages, ExchangesExported)[1].path
        exported = json.loads(json_path.read_text(encoding="utf-8"))
        assert isinstance(exported, list) and len(exported) == 2
        assert {item["outcome"] for item in exported} == {"denied"}
        assert all(isinstance(line, LogEntry) for line in log.shown())


async def test_the_log_shows_the_space_open_and_starts_afresh_in_another_space(
        build_app, messages, live_server, settings) -> None:
    app = build_app()
    services = Services(live_server, settings)
    async with app.run_test(size=(120, 40), message_hook=messages.append) as pilot:
        await sign_in_demo(pilot, 4)  # Sophie Dubois, legal representative of her son Léo
        await pilot.press("down", "enter")
        await wait_for(pilot, lambda: app.current_mode == "home", "Léo's space")
        leo = app.session.space
        await pilot.press("e")
        await wait_for(pilot, lambda: seen(messages, ExchangesLoaded), "Léo's log")
        log = app.screen.query_one(ExchangeLog)
        school = await services.outside("Infirmerie scolaire", "sophie.dubois",
                                        patient_id=leo.patient_id)
        assert await school.read_documents() == 200
        await wait_for(pilot, lambda: log.entry_count == 1, "Léo's exchange")

        app.switch_space(app.session.own_patient_id)
        await wait_for(pilot, lambda: app.session.space.is_self, "Sophie's own space")
        await wait_for(pilot, lambda: len(seen(messages, ExchangesLoaded)) == 2, "her log")
        await settle(pilot)
        assert log.entry_count == 0, "nothing of Léo's space stays"
        assert await school.read_documents() == 200  # still Léo's: not shown here
        own = await services.outside("Pharmacie Test", "sophie.dubois",
                                     patient_id=app.session.own_patient_id)
        assert await own.read_glucose() == 200
        await wait_for(pilot, lambda: log.entry_count == 1, "Sophie's exchange")
        await settle(pilot)
        assert [line.exchange.service_name for line in log.shown()] == ["Pharmacie Test"]
