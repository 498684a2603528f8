"""The app as a whole: small terminals, English, help, command palette, themes, NO_COLOR."""

from __future__ import annotations

from textual.command import CommandPalette
from textual.widgets import Label, Static, Tabs

from ens_consent_tui.messages import AgendaLoaded, MeasuresLoaded, ServicesFound
from ens_consent_tui.screens.data import DataScreen
from ens_consent_tui.screens.data_dialogs import AppointmentDialog, MeasureDialog
from ens_consent_tui.screens.help import HelpScreen
from ens_consent_tui.screens.service_sheet import ServiceSheetScreen
from ens_consent_tui.widgets.space_header import SpaceHeader
from tests.tui.conftest import seen, settle, sign_in_demo, wait_for


def commands(app) -> list[str]:
    return [command.title for command in app.get_system_commands(app.screen)]


async def test_every_screen_renders_at_80_by_24(build_app, messages, tmp_path) -> None:
    """Each screen is fully composed and exported (a render error would raise)."""
    app = build_app()
    async with app.run_test(size=(80, 24), message_hook=messages.append) as pilot:
        await sign_in_demo(pilot, 2)
        app.save_screenshot("home.svg", path=str(tmp_path))
        await pilot.click("#section-store")  # the mouse works too
        await wait_for(pilot, lambda: seen(messages, ServicesFound), "the store")
        await settle(pilot)
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ServiceSheetScreen), "a sheet")
        await settle(pilot)
        app.save_screenshot("sheet.svg", path=str(tmp_path))
        await pilot.press("escape", "d")
        await wait_for(pilot, lambda: seen(messages, MeasuresLoaded)
                       and seen(messages, AgendaLoaded), "my data")
        for key in ("2", "3", "1"):
            await pilot.press(key)
            await settle(pilot)
            app.save_screenshot(f"data-{key}.svg", path=str(tmp_path))
        for key, dialog in (("m", MeasureDialog), ("r", AppointmentDialog)):
            await pilot.press(key)
            await wait_for(pilot, lambda d=dialog: isinstance(app.screen, d), "a dialog")
            app.save_screenshot(f"dialog-{key}.svg", path=str(tmp_path))
            await pilot.press("escape")
            await settle(pilot)
        assert isinstance(app.screen, DataScreen) and app.is_running
        assert app.screen.query_one(SpaceHeader).outer_size.width == 80
        assert len(list(tmp_path.glob("*.svg"))) == 7


async def test_english_on_request(build_app) -> None:
    app = build_app(lang="en")
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: app.screen.server_reachable, "the server check")
        assert str(app.screen.query_one(".pane-title", Label).render()) == \
            "Demo accounts (keys 1 to 5)"
        await sign_in_demo(pilot, 1)
        assert str(app.screen.query_one(SpaceHeader).render()) == "Camille Martin's space"
        tabs = app.screen.query_one("#section-tabs", Tabs)
        labels = [str(tab.label) for tab in tabs.query("Tab")]
        assert labels[:4] == ["Home (a)", "Store (c)", "My data (d)", "My services (s)"]
        body = "\n".join(str(s.render()) for s in app.screen.query(".home-section-body"))
        assert "Weight: " in body and "Laboratory: " in body


async def test_question_mark_opens_the_help_with_the_keys_of_the_screen(build_app) -> None:
    app = build_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await sign_in_demo(pilot, 1)
        await pilot.press("d")
        await settle(pilot)
        await pilot.press("question_mark")
        await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen), "the help")
        text = str(app.screen.query_one("#help-keys", Static).render())
        keys = dict(line.split(None, 1) for line in text.splitlines())
        assert keys["m"] == "Ajouter une mesure" and keys["a"] == "Accueil"
        assert keys["?"] == "Aide" and keys["^p"] == "Commandes"
        assert "Scroll" not in text, "only the app's own keys, in words"
        guide = str(app.screen.query_one("#help-guide", Static).render())
        for part in ("Mes données", "Mes services", "reconnectez le service", "(a, c, d, s, e)"):
            assert part in guide
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, DataScreen)


async def test_the_palette_offers_sections_spaces_themes_and_the_screen_commands(
        build_app, tmp_path) -> None:
    app = build_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await sign_in_demo(pilot, 4)
        await pilot.press("down", "enter")
        await wait_for(pilot, lambda: app.current_mode == "home", "Léo's space")
        await pilot.press("d")
        await settle(pilot)
        titles = commands(app)
        for expected in ("Aller à : Catalogue", "Ouvrir l'espace de Sophie Dubois",
                         "Thème : contraste élevé", "Capture d'écran", "Ajouter une mesure",
                         "Se déconnecter"):
            assert expected in titles
        by_title = {c.title: c.callback for c in app.get_system_commands(app.screen)}
        by_title["Thème : contraste élevé"]()
        by_title["Capture d'écran"]()
        await settle(pilot)
        assert app.theme == "ens-contraste"
        assert list(tmp_path.glob("*.svg"))
        await pilot.press("ctrl+p")
        await wait_for(pilot, lambda: CommandPalette.is_open(app), "the palette")
        await pilot.press("escape")


async def test_no_color_is_honoured(build_app, monkeypatch) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    app = build_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: app.screen.server_reachable, "the server check")
        assert app.no_color
        status = str(app.screen.query_one("#server-status", Static).render())
        assert status.startswith("✓ "), "the state is told by a glyph and words"
