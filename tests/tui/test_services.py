"""Mes services: the matrix of what each service may do, and the changes the patient makes
(narrow, duration, revoke with confirmation), each seen in the register and its history."""

from __future__ import annotations

from textual.widgets import OptionList, Static

from ens_consent_tui.messages import GrantChanged, GrantDetailLoaded, GrantsLoaded
from ens_consent_tui.screens.services import ServicesScreen
from ens_consent_tui.screens.services_dialogs import (
    DurationDialog,
    PermissionsDialog,
    RevokeDialog,
)
from ens_consent_tui.widgets.grant_matrix import GrantMatrix
from ens_consent_tui.widgets.permission_switch import PermissionSwitch
from tests.tui.conftest import seen, settle, sign_in_demo, wait_for
from tests.tui.services_support import (
    HEIGHT_READ,
    WEIGHT_READ,
    connect_directly,
    facilitator,
    grants_in,
    palette_texts,
    signed_in_client,
    toasts,
)

BLOOD_PRESSURE_READ = "patient/Observation.rs?code=http://loinc.org|85354-9"


def text_of(widget: Static) -> str:
    return str(widget.render())


async def open_services(pilot, messages) -> ServicesScreen:
    before = len(seen(messages, GrantsLoaded))
    await pilot.press("s")
    await wait_for(pilot, lambda: len(seen(messages, GrantsLoaded)) > before, "the register")
    await wait_for(pilot, lambda: seen(messages, GrantDetailLoaded)
                   or not pilot.app.screen.grants, "the selected grant's history")
    await settle(pilot)
    assert isinstance(pilot.app.screen, ServicesScreen)
    return pilot.app.screen


def row_of(screen: ServicesScreen, service_id: str) -> dict[str, str]:
    matrix = screen.query_one(GrantMatrix)
    grant = next(g for g in screen.grants.values() if g.service.id == service_id)
    cells = matrix.get_row(grant.id)
    keys = [str(column.key.value) for column in matrix.ordered_columns]
    return dict(zip(keys, map(str, cells), strict=True))


async def select(pilot, screen: ServicesScreen, service_id: str) -> None:
    matrix = screen.query_one(GrantMatrix)
    grant = next(g for g in screen.grants.values() if g.service.id == service_id)
    matrix.move_cursor(row=matrix.get_row_index(grant.id))
    matrix.focus()
    await wait_for(pilot, lambda: screen.detail is not None and screen.detail.id == grant.id,
                   "the grant's history")
    await settle(pilot)


async def wait_changed(pilot, messages, count: int = 1) -> GrantChanged:
    await wait_for(pilot, lambda: len(seen(messages, GrantChanged)) >= count, "the change")
    await settle(pilot)
    return seen(messages, GrantChanged)[count - 1]


async def test_the_matrix_says_what_each_service_may_read_and_write_in_words(
        build_app, messages, live_server) -> None:
    await connect_directly(live_server, "camille.martin", "pesee-claire", off=[HEIGHT_READ])
    await connect_directly(live_server, "camille.martin", "grossesse-sereine",
                           off=[BLOOD_PRESSURE_READ], duration="6m")
    app = build_app()
    async with app.run_test(size=(160, 40), message_hook=messages.append) as pilot:
        await sign_in_demo(pilot, 1)
        screen = await open_services(pilot, messages)
        assert text_of(screen.query_one("#services-count", Static)).startswith(
            "2 service(s) actif(s) sur 2")
        scale = row_of(screen, "pesee-claire")
        assert scale["service"] == "Pesée Claire"
        assert scale["status"] == "● actif"
        assert scale["measures.read"] == "✓ IMC, poids"
        assert scale["measures.write"] == "✓ poids"
        assert scale["agenda.read"] == scale["documents.read"] == "—"
        assert scale["validity"] == "jusqu'au 26/11/2027"
        pregnancy = row_of(screen, "grossesse-sereine")
        assert pregnancy["agenda.read"] == pregnancy["agenda.write"] == "✓ tout"
        assert pregnancy["documents.read"] == "✓ biologie"
        assert pregnancy["measures.read"] == "✓ poids"
        assert pregnancy["validity"] == "jusqu'au 26/05/2027"

        await select(pilot, screen, "pesee-claire")
        permissions = text_of(screen.query_one("#grant-permissions", Static))
        assert "◉ Lecture — Lire vos mesures de poids" in permissions
        assert "taille" not in permissions
        history = text_of(screen.query_one("#grant-history", Static))
        assert "v1 · 26/11/2026 10:30 · par vous" in history
        assert "Service connecté, jusqu'au 26/11/2027" in history
        assert "Partagé : mesures · IMC (lecture), mesures · poids (lecture), " \
               "mesures · poids (écriture)" in history


async def test_narrowing_a_permission_shrinks_the_grant_and_the_service_is_then_denied(
        build_app, messages, live_server) -> None:
    await connect_directly(live_server, "camille.martin", "pesee-claire")
    app = build_app()
    async with app.run_test(size=(120, 40), message_hook=messages.append) as pilot:
        await sign_in_demo(pilot, 1)
        screen = await open_services(pilot, messages)
        await select(pilot, screen, "pesee-claire")
        await pilot.press("m")
        await wait_for(pilot, lambda: isinstance(app.screen, PermissionsDialog), "the dialog")
        await pilot.pause()
        dialog = app.screen
        weight = next(line for line in dialog.query(PermissionSwitch) if line.key.startswith(
            "measures/body_weight/read"))
        weight.query_one("Switch").focus()
        await pilot.press("space")
        await pilot.click("#confirm")
        changed = await wait_changed(pilot, messages)

        assert changed.change == "narrowed"
        assert WEIGHT_READ not in {p.scope for p in changed.grant.permissions}
        assert ("Autorisation restreinte", "Pesée Claire : 1 permission(s) retirée(s).") \
            in toasts(app)
        grant = (await grants_in(app.client))["pesee-claire"]
        assert grant.version == 2 and WEIGHT_READ not in {p.scope for p in grant.permissions}
        await wait_for(pilot, lambda: "Retiré : mesures · poids (lecture)"
                       in text_of(screen.query_one("#grant-history", Static)), "the history")
        assert row_of(screen, "pesee-claire")["measures.read"] == "✓ IMC, taille"

        # The service's next read of weights is refused by the platform.
        acted = await facilitator(live_server, "POST", "/admin/services/pesee-claire/act")
        calls = [c for run in acted["runs"] for c in run["calls"]]
        weight_reads = [c for c in calls if c["method"] == "GET" and "29463-7" in c["path"]
                        + str(c.get("detail"))]
        assert weight_reads and all(c["outcome"] == "denied" for c in weight_reads), calls
        assert any(c["outcome"] == "allowed" for c in calls), "writing weights still works"


async def test_revoking_asks_for_confirmation_then_the_service_loses_everything(
        build_app, messages, live_server) -> None:
    await connect_directly(live_server, "camille.martin", "pesee-claire")
    app = build_app()
    async with app.run_test(size=(120, 40), message_hook=messages.append) as pilot:
        await sign_in_demo(pilot, 1)
        screen = await open_services(pilot, messages)
        await select(pilot, screen, "pesee-claire")
        await pilot.press("delete")
        await wait_for(pilot, lambda: isinstance(app.screen, RevokeDialog), "the confirmation")
        await pilot.pause()
        dialog = app.screen
        assert text_of(dialog.query_one(".dialog-title", Static)) == \
            "Révoquer l'autorisation de Pesée Claire ?"
        stops = text_of(dialog.query_one("#revoke-stops", Static))
        assert stops.startswith("Pesée Claire ne pourra plus :")
        assert "Lire vos mesures de poids" in stops
        await pilot.press("enter")  # the focus starts on "Annuler": Enter cancels
        await settle(pilot)
        assert not seen(messages, GrantChanged)
        assert (await grants_in(app.client))["pesee-claire"].status == "active"

        await pilot.press("delete")
        await wait_for(pilot, lambda: isinstance(app.screen, RevokeDialog), "the confirmation")
        await pilot.pause()
        await pilot.click("#confirm")
        changed = await wait_changed(pilot, messages)
        assert changed.change == "revoked" and changed.grant.status == "revoked"
        assert (await grants_in(app.client))["pesee-claire"].status == "revoked"
        await wait_for(pilot, lambda: row_of(screen, "pesee-claire")["status"] == "✗ révoqué",
                       "the matrix")
        await wait_for(pilot, lambda: "Autorisation révoquée"
                       in text_of(screen.query_one("#grant-history", Static)), "the history")
        assert row_of(screen, "pesee-claire")["validity"] == "révoqué le 26/11/2026"
        assert not screen.check_action("narrow", ()), "a revoked grant cannot change"
        acted = await facilitator(live_server, "POST", "/admin/services/pesee-claire/act")
        calls = [c for run in acted["runs"] for c in run["calls"]]
        assert all(c["outcome"] != "allowed" for c in calls), calls


async def test_changing_the_duration_counts_from_today(build_app, messages, live_server) -> None:
    await connect_directly(live_server, "camille.martin", "pesee-claire")
    app = build_app()
    async with app.run_test(size=(120, 40), message_hook=messages.append) as pilot:
        await sign_in_demo(pilot, 1)
        screen = await open_services(pilot, messages)
        await select(pilot, screen, "pesee-claire")
        await pilot.press("v")
        await wait_for(pilot, lambda: isinstance(app.screen, DurationDialog), "the dialog")
        await pilot.pause()
        options = app.screen.query_one("#durations", OptionList)
        assert options.highlighted == 2, "the current duration (1 an) is preselected"
        await pilot.press("home", "enter")
        changed = await wait_changed(pilot, messages)
        assert changed.change == "duration_changed" and changed.grant.duration == "1m"
        assert ("Durée changée", "Pesée Claire : autorisation valable jusqu'au 26/12/2026.") \
            in toasts(app)
        await wait_for(pilot, lambda: row_of(screen, "pesee-claire")["validity"]
                       == "jusqu'au 26/12/2026", "the matrix")


async def test_widening_is_not_offered_here_the_dialog_says_to_reconnect(
        build_app, messages, live_server) -> None:
    await connect_directly(live_server, "camille.martin", "pesee-claire", off=[HEIGHT_READ])
    app = build_app()
    async with app.run_test(size=(120, 40), message_hook=messages.append) as pilot:
        await sign_in_demo(pilot, 1)
        screen = await open_services(pilot, messages)
        await select(pilot, screen, "pesee-claire")
        await pilot.press("m")
        await wait_for(pilot, lambda: isinstance(app.screen, PermissionsDialog), "the dialog")
        dialog = app.screen
        await wait_for(pilot, lambda: dialog.query(".-addition"), "what was not shared")
        await pilot.pause()
        height = dialog.query_one(".-addition", PermissionSwitch)
        assert height.sentence == "Lire vos mesures de taille" and not height.value
        height.query_one("Switch").focus()
        await pilot.press("space")
        await pilot.pause()
        warning = text_of(dialog.query_one("#permissions-warning", Static))
        assert "reconnectez le service" in warning and "Lire vos mesures de taille" in warning
        assert dialog.query_one("#reconnect").display
        await pilot.click("#confirm")
        await pilot.pause()
        assert app.screen is dialog, "nothing is sent"
        assert (await grants_in(app.client))["pesee-claire"].version == 1


async def revoke_from_another_session(server: str, username: str, service_id: str) -> None:
    """The same person revokes the grant from another app session (another client)."""
    other = await signed_in_client(server, username)
    try:
        grant = (await grants_in(other))[service_id]
        await other.grants.revoke(grant.id)
    finally:
        await other.aclose()


async def test_a_change_made_in_another_session_shows_when_the_screen_comes_back(
        build_app, messages, live_server) -> None:
    await connect_directly(live_server, "camille.martin", "pesee-claire")
    app = build_app()
    async with app.run_test(size=(120, 40), message_hook=messages.append) as pilot:
        await sign_in_demo(pilot, 1)
        screen = await open_services(pilot, messages)
        await revoke_from_another_session(live_server, "camille.martin", "pesee-claire")
        await pilot.press("a")
        await settle(pilot)
        await pilot.press("s")
        await wait_for(pilot, lambda: row_of(screen, "pesee-claire")["status"] == "✗ révoqué",
                       "the refreshed matrix")


async def test_mes_services_fits_80_by_24(build_app, messages, live_server) -> None:
    await connect_directly(live_server, "camille.martin", "pesee-claire")
    await connect_directly(live_server, "camille.martin", "grossesse-sereine")
    app = build_app()
    async with app.run_test(size=(80, 24), message_hook=messages.append) as pilot:
        await sign_in_demo(pilot, 1)
        screen = await open_services(pilot, messages)
        region = screen.region
        matrix = screen.query_one(GrantMatrix)
        assert matrix.row_count == 2
        assert region.contains_region(matrix.region)
        detail = screen.query_one("#grant-detail")
        assert detail.region.height >= 5 and region.contains_region(detail.region)
        await pilot.press("m")
        await wait_for(pilot, lambda: isinstance(app.screen, PermissionsDialog), "the dialog")
        await pilot.pause()
        assert app.screen.region.contains_region(app.screen.query_one("#confirm").region)


async def test_a_revocation_from_another_session_arrives_live_on_the_open_screen(
        build_app, messages, live_server) -> None:
    await connect_directly(live_server, "camille.martin", "pesee-claire")
    app = build_app()
    async with app.run_test(size=(120, 40), message_hook=messages.append) as pilot:
        await sign_in_demo(pilot, 1)
        screen = await open_services(pilot, messages)
        await revoke_from_another_session(live_server, "camille.martin", "pesee-claire")
        await wait_for(pilot, lambda: row_of(screen, "pesee-claire")["status"] == "✗ révoqué",
                       "the live refresh")
        assert app.screen is screen


async def test_revoke_from_the_palette_confirms_then_revokes(
        build_app, messages, live_server) -> None:
    await connect_directly(live_server, "camille.martin", "pesee-claire")
    app = build_app()
    async with app.run_test(size=(120, 40), message_hook=messages.append) as pilot:
        await sign_in_demo(pilot, 1)
        await pilot.press("ctrl+p")
        await pilot.press(*"Révoquer Pesée")
        await wait_for(pilot, lambda: "Révoquer Pesée Claire" in palette_texts(app),
                       "the command")
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, RevokeDialog), "the confirmation")
        await pilot.pause()
        await pilot.click("#confirm")
        changed = await wait_changed(pilot, messages)
        assert changed.grant.service.id == "pesee-claire" and changed.change == "revoked"
        assert (await grants_in(app.client))["pesee-claire"].status == "revoked"
