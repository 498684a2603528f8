"""Connexion, spaces of a legal representative, logout and lost server, against the live server."""

from __future__ import annotations

import httpx
from textual.widgets import Input, OptionList, Static

from ens_consent_tui.client import MemoryTokenStore
from ens_consent_tui.messages import LoginRefused, ServerChecked, SignedIn, SignedOut
from ens_consent_tui.screens.login import LoginScreen
from ens_consent_tui.screens.space import SpaceChoiceDialog
from ens_consent_tui.widgets.space_header import SpaceHeader
from tests.live import free_port
from tests.tui.conftest import seen, settle, sign_in_demo, wait_for


def header(app) -> str:
    return str(app.screen.query_one(SpaceHeader).render())


async def test_demo_account_logs_in_with_one_key_and_the_header_names_the_space(
        build_app, messages) -> None:
    app = build_app()
    async with app.run_test(size=(120, 40), message_hook=messages.append) as pilot:
        await sign_in_demo(pilot, 1)
        assert app.current_mode == "home"
        assert app.session is not None and app.session.username == "camille.martin"
        assert header(app) == "Espace de Camille Martin"
        assert len(seen(messages, SignedIn)) == 1


async def test_wrong_password_is_said_under_the_form_and_the_app_stays_on_login(
        build_app, messages) -> None:
    app = build_app()
    async with app.run_test(size=(120, 40), message_hook=messages.append) as pilot:
        await wait_for(pilot, lambda: app.screen.server_reachable, "server check")
        app.screen.query_one("#username", Input).value = "camille.martin"
        app.screen.query_one("#password", Input).value = "pas-le-bon"
        await pilot.click("#sign-in")
        await wait_for(pilot, lambda: seen(messages, LoginRefused), "the refusal")
        await settle(pilot)
        message = str(app.screen.query_one("#login-message", Static).render())
        assert message == "✗ Identifiant ou mot de passe incorrect."
        assert app.screen.query_one("#password", Input).value == ""
        assert isinstance(app.screen, LoginScreen) and app.session is None


async def test_a_legal_representative_chooses_whose_space_and_the_header_always_says_it(
        build_app, messages) -> None:
    app = build_app()
    async with app.run_test(size=(120, 40), message_hook=messages.append) as pilot:
        await sign_in_demo(pilot, 4)
        dialog = app.screen
        assert isinstance(dialog, SpaceChoiceDialog)
        options = dialog.query_one("#spaces", OptionList)
        labels = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
        assert labels == ["Mon espace (Sophie Dubois)", "Espace de Léo Dubois"]
        await pilot.press("down", "enter")
        await wait_for(pilot, lambda: app.current_mode == "home", "the home screen")
        await settle(pilot)
        assert header(app) == "Espace de Léo Dubois — géré par Sophie Dubois"

        # Back to her own space: she logged in once, no password is asked again.
        await pilot.press("p")
        await wait_for(pilot, lambda: isinstance(app.screen, SpaceChoiceDialog), "the choice")
        await pilot.press("up", "enter")
        await wait_for(pilot, lambda: app.session.space.is_self, "Sophie's own space")
        await settle(pilot)
        assert header(app) == "Espace de Sophie Dubois"
        assert app.current_mode == "home"
        assert [m.session.space.name for m in seen(messages, SignedIn)] == [
            "Léo Dubois", "Sophie Dubois"]


async def test_logout_revokes_the_tokens_and_returns_to_login(build_app, live_server,
                                                               messages) -> None:
    store = MemoryTokenStore()
    app = build_app(token_store=store)
    async with app.run_test(size=(120, 40), message_hook=messages.append) as pilot:
        await sign_in_demo(pilot, 2)
        old_token = app.client.auth.access_token
        assert store.last_username(live_server) == "karim.benali"
        await pilot.press("x")
        await wait_for(pilot, lambda: seen(messages, SignedOut), "the logout")
        await settle(pilot)
        assert app.current_mode == "login" and app.session is None
        assert store.last_username(live_server) is None
    async with httpx.AsyncClient() as outside:
        response = await outside.get(f"{live_server}/fhir/Patient/x",
                                     headers={"Authorization": f"Bearer {old_token}"})
    assert response.status_code == 401


async def test_a_closed_port_is_told_as_unreachable_and_login_stays_possible_later(
        build_app, messages) -> None:
    url = f"http://127.0.0.1:{free_port()}"
    app = build_app(server=url)
    async with app.run_test(size=(80, 24), message_hook=messages.append) as pilot:
        await wait_for(pilot, lambda: seen(messages, ServerChecked), "the server check")
        await settle(pilot)
        status = str(app.screen.query_one("#server-status", Static).render())
        assert status == f"✗ Serveur injoignable à {url} (Ctrl+R pour réessayer)"
        await pilot.press("1")
        await settle(pilot)
        message = str(app.screen.query_one("#login-message", Static).render())
        assert message.startswith(f"Impossible de joindre le serveur à {url}.")
        assert app.session is None and app.is_running


async def test_the_next_start_resumes_the_session_kept_in_the_token_store(build_app) -> None:
    store = MemoryTokenStore()
    first = build_app(token_store=store)
    async with first.run_test(size=(120, 40)) as pilot:
        await sign_in_demo(pilot, 5)
    second = build_app(token_store=store)
    async with second.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: second.current_mode == "home", "the resumed session")
        await settle(pilot)
        assert second.session.username == "thomas.girard"
        assert header(second) == "Espace de Thomas Girard"


async def test_a_session_revoked_elsewhere_sends_back_to_login_with_a_message(
        build_app, live_server, messages) -> None:
    app = build_app()
    async with app.run_test(size=(120, 40), message_hook=messages.append) as pilot:
        await sign_in_demo(pilot, 1)
        async with httpx.AsyncClient() as outside:
            for token in (app.client.auth._tokens.refresh_token, app.client.auth.access_token):
                await outside.post(f"{live_server}/oauth/revoke",
                                   data={"token": token, "client_id": "ens-consent-app"})
        await pilot.press("d")
        await wait_for(pilot, lambda: seen(messages, SignedOut), "the end of the session")
        await settle(pilot)
        assert app.current_mode == "login"
        assert seen(messages, SignedOut)[0].expired
        assert any(n.title == "Session expirée" for n in app._notifications)
