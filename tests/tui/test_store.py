"""Catalogue: search as you type, filters, and the full (read-only) service sheet."""

from __future__ import annotations

from textual.widgets import Button, DataTable, Input, Select, Static

from ens_consent_tui.messages import ServicesFound, ServiceSheetLoaded
from ens_consent_tui.screens.service_sheet import ServiceSheetScreen
from ens_consent_tui.screens.store import StoreScreen
from tests.tui.conftest import seen, settle, sign_in_demo, wait_for


def text_of(widget: Static) -> str:
    return str(widget.render())


async def open_store(pilot, messages) -> StoreScreen:
    await sign_in_demo(pilot, 1)
    await pilot.press("c")
    await wait_for(pilot, lambda: seen(messages, ServicesFound), "the first list")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, StoreScreen)
    return screen


def listed(screen: StoreScreen) -> list[str]:
    table = screen.query_one("#store-services", DataTable)
    return [str(row.value) for row in table.rows]


async def test_search_as_you_type_is_debounced_and_finds_pregnancy_services(
        build_app, messages) -> None:
    app = build_app()
    async with app.run_test(size=(120, 40), message_hook=messages.append) as pilot:
        screen = await open_store(pilot, messages)
        assert len(listed(screen)) == 33
        before = len(seen(messages, ServicesFound))
        await pilot.press("slash", *"grossesse")
        assert screen.query_one("#store-search", Input).has_focus
        await wait_for(pilot, lambda: seen(messages, ServicesFound)[-1].query == "grossesse",
                       "the search")
        await settle(pilot)
        searches = len(seen(messages, ServicesFound)) - before
        assert searches < len("grossesse"), "one search per pause in typing, not per key"
        assert listed(screen) == ["grossesse-sereine", "maternite-glycines", "neuf-lunes",
                                  "sage-femme-visio"]
        count = text_of(screen.query_one("#store-count", Static))
        assert count == "4 service(s) — Entrée pour ouvrir la fiche"


async def test_filters_by_use_case_and_data_class_narrow_the_list(build_app, messages) -> None:
    app = build_app()
    async with app.run_test(size=(120, 40), message_hook=messages.append) as pilot:
        screen = await open_store(pilot, messages)
        screen.query_one("#filter-data-class", Select).value = "agenda"
        await wait_for(pilot, lambda: len(listed(screen)) < 33, "the data class filter")
        await settle(pilot)
        result = seen(messages, ServicesFound)[-1].result
        assert all("agenda" in s.reads + s.writes for s in result.services)
        with_agenda = len(result.services)
        screen.query_one("#filter-use-case", Select).value = "grossesse"
        await wait_for(pilot, lambda: len(listed(screen)) < with_agenda, "the use case filter")
        await settle(pilot)
        result = seen(messages, ServicesFound)[-1].result
        assert result.services and all("grossesse" in s.use_cases and
                                       "agenda" in s.reads + s.writes for s in result.services)


async def test_the_sheet_shows_each_permission_in_words_with_its_reason_hosting_and_status(
        build_app, messages) -> None:
    app = build_app()
    async with app.run_test(size=(120, 40), message_hook=messages.append) as pilot:
        screen = await open_store(pilot, messages)
        table = screen.query_one("#store-services", DataTable)
        table.move_cursor(row=table.get_row_index("grossesse-sereine"))
        await pilot.press("enter")
        await wait_for(pilot, lambda: seen(messages, ServiceSheetLoaded), "the sheet")
        await settle(pilot)
        sheet = app.screen
        assert isinstance(sheet, ServiceSheetScreen)
        permissions = text_of(sheet.query_one("#sheet-permissions", Static))
        assert "◉ Lecture — Lire vos mesures de poids" in permissions
        assert ("   Pourquoi : Afficher l'évolution de votre poids pendant la grossesse"
                in permissions)
        assert "✎ Écriture — Ajouter et modifier des rendez-vous dans votre agenda" in permissions
        status = text_of(sheet.query_one("#sheet-status", Static))
        assert status.startswith("✓ Référencé dans le catalogue depuis le 15/01/2024.")
        everything = "\n".join(text_of(s) for s in sheet.query(Static))
        assert "✓ Hébergeur certifié HDS : Armoric Data Santé SAS" in everything
        assert "dpo@grossesse-sereine.example.fr" in everything
        assert "Règlement (UE) 2016/679" in everything
        assert str(sheet.query_one("#connect", Button).label) == "Connecter ce service (c)"
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is screen

        screen.open_service("classeur-sante")
        await wait_for(pilot, lambda: len(seen(messages, ServiceSheetLoaded)) == 2, "a sheet")
        await settle(pilot)
        status = text_of(app.screen.query_one("#sheet-status", Static))
        assert status.startswith("⚠ Référencement suspendu le "), "suspended, said in words"
        assert len(status) > len("⚠ Référencement suspendu le 01/01/2026 : "), "and why"
