"""Connecting a service: the consent dialog drives the service's real OAuth flow; what is
switched off is absent from the service's token and from the grant."""

from __future__ import annotations

from textual.command import CommandPalette
from textual.widgets import Button, Checkbox, Select, Static, Switch

from ens_consent_tui.messages import ConsentRefused, ServiceConnected
from ens_consent_tui.screens.consent import ConsentDialog, ServicePasswordDialog
from ens_consent_tui.screens.services_commands import ServiceCommands
from ens_consent_tui.widgets.permission_switch import PermissionSwitch
from tests.tui.conftest import seen, settle, sign_in_demo, wait_for
from tests.tui.services_support import (
    BMI_READ,
    HEIGHT_READ,
    WEIGHT_READ,
    WEIGHT_WRITE,
    consent_dialog,
    facilitator,
    grants_in,
    open_sheet,
    palette_texts,
    signed_in_client,
    toasts,
)


def text_of(widget: Static) -> str:
    return str(widget.render())


async def test_connect_from_the_sheet_with_one_permission_off_the_token_and_grant_lack_it(
        build_app, messages, live_server) -> None:
    app = build_app()
    async with app.run_test(size=(120, 40), message_hook=messages.append) as pilot:
        await sign_in_demo(pilot, 1)
        await open_sheet(pilot, messages, "pesee-claire")
        await pilot.press("c")
        dialog = await consent_dialog(pilot)
        lines = {line.key: line for line in dialog.query(PermissionSwitch)}
        assert set(lines) == {WEIGHT_WRITE, WEIGHT_READ, HEIGHT_READ, BMI_READ}
        assert all(line.value for line in lines.values()), "everything asked starts switched on"
        assert dialog.query_one("#consent-duration", Select).value == "1y"
        assert dialog.query_one("#consent-include-earlier", Checkbox).value is True
        # Keyboard only: the dialog opens on who asks; Tab to the height line, Space.
        order = list(lines)
        for _ in range(order.index(HEIGHT_READ) + 1):
            await pilot.press("tab")
        assert lines[HEIGHT_READ].query_one(Switch).has_focus
        await pilot.press("space")
        assert not lines[HEIGHT_READ].value
        await pilot.click("#allow")
        await wait_for(pilot, lambda: seen(messages, ServiceConnected), "the connection")
        await settle(pilot)

        connection = seen(messages, ServiceConnected)[0].connection
        assert connection.result.connected
        assert HEIGHT_READ not in connection.result.scope
        assert {WEIGHT_WRITE, WEIGHT_READ, BMI_READ} <= set(connection.result.scope)
        assert ("Service connecté", "Pesée Claire est connecté (3 autorisations sur 4).") \
            in toasts(app)
        grant = (await grants_in(app.client))["pesee-claire"]
        assert grant.status == "active"
        assert {p.scope for p in grant.permissions} == {WEIGHT_WRITE, WEIGHT_READ, BMI_READ}

        # The service's agent now acts with that token: what it was given works.
        acted = await facilitator(live_server, "POST", "/admin/services/pesee-claire/act")
        calls = [c for run in acted["runs"] for c in run["calls"]]
        assert calls and all(c["outcome"] == "allowed" for c in calls), calls


async def test_the_dialog_names_the_service_its_host_in_words_and_each_reason(
        build_app, messages) -> None:
    app = build_app()
    async with app.run_test(size=(120, 40), message_hook=messages.append) as pilot:
        await sign_in_demo(pilot, 1)
        await open_sheet(pilot, messages, "pesee-claire")
        await pilot.click("#connect")
        dialog = await consent_dialog(pilot)
        who = text_of(dialog.query_one("#consent-service", Static))
        assert "Éditeur : Ondalys Objets de Santé SAS (FR)" in who
        assert "✓ Hébergeur certifié HDS : Armoric Data Santé SAS" in who
        assert "Enregistrer automatiquement vos pesées" in text_of(
            dialog.query_one("#consent-purposes", Static))
        line = next(x for x in dialog.query(PermissionSwitch) if x.key == WEIGHT_WRITE)
        words = text_of(line.query_one(".permission-text", Static))
        assert "✓ partagé  ✎ Écriture — Ajouter des mesures de poids" in words
        assert "Pourquoi : Enregistrer dans Mon espace santé chaque pesée" in words
        await pilot.press("tab", "space")
        assert "✗ non partagé" in text_of(line.query_one(".permission-text", Static))


async def test_refusing_shares_nothing(build_app, messages) -> None:
    app = build_app()
    async with app.run_test(size=(120, 40), message_hook=messages.append) as pilot:
        await sign_in_demo(pilot, 1)
        await open_sheet(pilot, messages, "pesee-claire")
        await pilot.press("c")
        await consent_dialog(pilot)
        await pilot.click("#deny")
        await wait_for(pilot, lambda: seen(messages, ConsentRefused), "the refusal")
        await settle(pilot)
        assert seen(messages, ConsentRefused)[0].service_name == "Pesée Claire"
        assert ("Connexion refusée",
                "Vous avez refusé la connexion de Pesée Claire : rien n'est partagé.") \
            in toasts(app)
        assert "pesee-claire" not in await grants_in(app.client)
        assert not seen(messages, ServiceConnected)


async def test_escape_closes_the_dialog_without_deciding(build_app, messages) -> None:
    app = build_app()
    async with app.run_test(size=(120, 40), message_hook=messages.append) as pilot:
        await sign_in_demo(pilot, 1)
        await open_sheet(pilot, messages, "pesee-claire")
        await pilot.press("c")
        await consent_dialog(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert not isinstance(app.screen, ConsentDialog)
        assert not seen(messages, ServiceConnected) and not seen(messages, ConsentRefused)
        assert "pesee-claire" not in await grants_in(app.client)


async def test_allowing_with_everything_switched_off_is_explained_in_the_dialog(
        build_app, messages) -> None:
    app = build_app()
    async with app.run_test(size=(120, 40), message_hook=messages.append) as pilot:
        await sign_in_demo(pilot, 1)
        await open_sheet(pilot, messages, "pesee-claire")
        await pilot.press("c")
        dialog = await consent_dialog(pilot)
        for line in dialog.query(PermissionSwitch):
            line.set_value(False)
        await pilot.click("#allow")
        await pilot.pause()
        assert app.screen is dialog
        assert text_of(dialog.query_one("#consent-error", Static)) == \
            "✗ Activez au moins une autorisation, ou refusez."
        assert "pesee-claire" not in await grants_in(app.client)


async def test_an_expired_login_session_asks_the_password_then_goes_on(
        build_app, messages) -> None:
    app = build_app()
    async with app.run_test(size=(120, 40), message_hook=messages.append) as pilot:
        await sign_in_demo(pilot, 1)
        app.client.transport.forget_cookies()  # the server's login session is gone
        await open_sheet(pilot, messages, "pesee-claire")
        await pilot.press("c")
        await wait_for(pilot, lambda: isinstance(app.screen, ServicePasswordDialog),
                       "the password")
        await pilot.pause()
        assert "connecter ce service" in text_of(app.screen.query_one(".dialog-help", Static))
        await pilot.press(*"mauvais", "enter")
        await wait_for(pilot, lambda: text_of(app.screen.query_one("#password-message", Static)),
                       "the refusal")
        assert text_of(app.screen.query_one("#password-message", Static)) == \
            "✗ Identifiant ou mot de passe incorrect."
        await pilot.press(*"demo2026", "enter")
        await consent_dialog(pilot)
        await pilot.click("#allow")
        await wait_for(pilot, lambda: seen(messages, ServiceConnected), "the connection")
        assert len(seen(messages, ServiceConnected)[0].connection.granted) == 4


async def test_a_suspended_service_cannot_be_connected_and_the_app_says_why(
        build_app, messages, live_server) -> None:
    await facilitator(live_server, "POST", "/admin/services/pesee-claire/suspend")
    app = build_app()
    async with app.run_test(size=(120, 40), message_hook=messages.append) as pilot:
        await sign_in_demo(pilot, 1)
        await open_sheet(pilot, messages, "pesee-claire")
        await pilot.press("c")
        await wait_for(pilot, lambda: any(title == "Accès refusé" for title, _ in toasts(app)),
                       "the refusal toast")
        message = next(m for title, m in toasts(app) if title == "Accès refusé")
        assert "suspendu" in message
        assert not isinstance(app.screen, ConsentDialog)


async def test_the_palette_offers_connect_revoke_and_go_to_for_services(
        build_app, messages, live_server) -> None:
    app = build_app()
    async with app.run_test(size=(120, 40), message_hook=messages.append) as pilot:
        await sign_in_demo(pilot, 1)
        await pilot.press("ctrl+p")
        await wait_for(pilot, lambda: CommandPalette.is_open(app), "the palette")
        await pilot.press(*"Connecter Pesée")
        await wait_for(pilot, lambda: "Connecter Pesée Claire" in palette_texts(app),
                       "the connect command")
        await pilot.press("enter")
        await consent_dialog(pilot)
        await pilot.click("#allow")
        await wait_for(pilot, lambda: seen(messages, ServiceConnected), "the connection")
        await settle(pilot)
        provider = ServiceCommands(app.screen)
        await provider.startup()
        names = {command.name for command in provider.commands}
        assert {"Connecter Pesée Claire", "Révoquer Pesée Claire",
                "Aller au service Pesée Claire"} <= names
        assert "Révoquer Grossesse Sereine" not in names, "only what is granted can be revoked"


async def test_the_dialog_fits_80_by_24_with_its_buttons_in_sight(build_app, messages) -> None:
    app = build_app()
    async with app.run_test(size=(80, 24), message_hook=messages.append) as pilot:
        await sign_in_demo(pilot, 1)
        await open_sheet(pilot, messages, "grossesse-sereine")
        await pilot.press("c")
        dialog = await consent_dialog(pilot)
        screen_region = app.screen.region
        for button_id in ("#allow", "#deny"):
            button = dialog.query_one(button_id, Button)
            assert screen_region.contains_region(button.region), button_id
        assert len(dialog.query(PermissionSwitch)) >= 5
        assert dialog.query_one("#consent-body").max_scroll_y > 0, "the questions scroll"


async def test_a_parent_connects_a_service_in_the_childs_space_and_the_grant_is_his(
        build_app, messages, live_server) -> None:
    app = build_app()
    async with app.run_test(size=(120, 40), message_hook=messages.append) as pilot:
        await sign_in_demo(pilot, 4)
        await pilot.press("down", "enter")  # the space choice: Léo's
        await wait_for(pilot, lambda: app.current_mode == "home", "Léo's space")
        await settle(pilot)
        assert app.session.space.name == "Léo Dubois" and not app.session.space.is_self
        leo = app.session.space.patient_id
        await open_sheet(pilot, messages, "souffle-junior")
        await pilot.press("c")
        dialog = await consent_dialog(pilot)
        assert "Vous agissez pour Léo Dubois" in text_of(
            dialog.query_one("#consent-service", Static))
        await pilot.click("#allow")
        await wait_for(pilot, lambda: seen(messages, ServiceConnected), "the connection")
        await settle(pilot)
        assert seen(messages, ServiceConnected)[0].connection.result.patient_id == leo
        assert (await grants_in(app.client))["souffle-junior"].status == "active"

    sophie = await signed_in_client(live_server, "sophie.dubois")
    try:
        assert sophie.auth.session.space.is_self
        assert "souffle-junior" not in await grants_in(sophie)
    finally:
        await sophie.aclose()
