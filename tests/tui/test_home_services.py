"""Accueil: connected services, what needs attention (a grant ending within 7 days of the
platform's time, a suspended service, denied requests) and the latest exchanges."""

from __future__ import annotations

from textual.widgets import Static

from ens_consent_tui.messages import GrantChanged, HomeSectionLoaded
from ens_consent_tui.screens.home import HomeScreen
from tests.tui.conftest import seen, settle, sign_in_demo, wait_for
from tests.tui.services_support import HEIGHT_READ, connect_directly, facilitator


def card(app, section_id: str) -> str:
    return str(app.screen.query_one(f"#home-{section_id} .home-section-body", Static).render())


async def test_home_shows_connected_services_and_what_needs_attention(
        build_app, messages, live_server) -> None:
    await connect_directly(live_server, "camille.martin", "pesee-claire", off=[HEIGHT_READ],
                           duration="1m")
    await connect_directly(live_server, "camille.martin", "grossesse-sereine")
    jumped = await facilitator(live_server, "POST", "/admin/clock", {"jump": "25d"})
    assert jumped["clock"]["now"].startswith("2026-12-21")
    await facilitator(live_server, "POST", "/admin/services/grossesse-sereine/suspend")
    await facilitator(live_server, "POST", "/admin/services/pesee-claire/misbehave",
                      {"kind": "outside_grant"})
    app = build_app()
    async with app.run_test(size=(120, 40), message_hook=messages.append) as pilot:
        await sign_in_demo(pilot, 1)
        await wait_for(pilot, lambda: {m.section_id for m in seen(messages, HomeSectionLoaded)}
                       >= {"attention", "services", "exchanges"}, "the cards")
        services = card(app, "services")
        assert services.startswith("1 service(s) connecté(s) :")
        assert "Pesée Claire · ● actif · 3 permission(s) · jusqu'au 26/12/2026" in services
        attention = card(app, "attention").splitlines()
        assert attention[0] == "⌛ L'autorisation de Pesée Claire expire le 26/12/2026 " \
                               "(dans 5 jour(s))."
        assert attention[1] == "⏸ Grossesse Sereine est suspendu par l'autorité de " \
                               "référencement."
        assert any(line.startswith("✗ ") and "Pesée Claire : accès refusé" in line
                   for line in attention[2:]), attention
        exchanges = card(app, "exchanges").splitlines()
        assert len(exchanges) == 5
        assert exchanges[0].startswith("✗ refusé · ") and "Pesée Claire" in exchanges[0]
        assert all(line.split(" · ")[0] in ("✓ autorisé", "✗ refusé") for line in exchanges)


async def test_home_follows_a_revocation_made_elsewhere_in_the_app(
        build_app, messages, live_server) -> None:
    await connect_directly(live_server, "camille.martin", "pesee-claire")
    app = build_app()
    async with app.run_test(size=(120, 40), message_hook=messages.append) as pilot:
        await sign_in_demo(pilot, 1)
        assert isinstance(app.screen, HomeScreen)
        await wait_for(pilot, lambda: "Pesée Claire" in card(app, "services"), "the card")
        grant = next(iter(await app.client.grants.grants()))
        changed = await app.client.grants.revoke(grant.id)
        app.screen.post_message(GrantChanged(changed, "revoked"))
        await wait_for(pilot, lambda: card(app, "services").startswith("Aucun service"),
                       "the card after revocation")
        await settle(pilot)
