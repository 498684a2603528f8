"""Maille `categorie`: a data class × access goes as a whole, in the consent dialog and when
narrowing in Mes services."""

from __future__ import annotations

import pytest

from ens_consent_tui.client.services import ConsentRequest, Decision
from ens_consent_tui.messages import GrantChanged, ServiceConnected
from ens_consent_tui.screens.services_dialogs import PermissionsDialog
from ens_consent_tui.widgets.permission_switch import PermissionSwitch
from mock_server.settings import Settings
from tests.tui.conftest import seen, settle, sign_in_demo, wait_for
from tests.tui.services_support import (
    consent_dialog,
    grants_in,
    open_sheet,
    signed_in_client,
)

WEIGHT_READ = "patient/Observation.rs?code=http://loinc.org|29463-7"
BLOOD_PRESSURE_READ = "patient/Observation.rs?code=http://loinc.org|85354-9"


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return settings.model_copy(update={"maille": "categorie"})


async def test_lines_of_a_group_switch_together_and_the_whole_group_stays_out(
        build_app, messages) -> None:
    app = build_app()
    async with app.run_test(size=(120, 40), message_hook=messages.append) as pilot:
        await sign_in_demo(pilot, 1)
        await open_sheet(pilot, messages, "grossesse-sereine")
        await pilot.press("c")
        dialog = await consent_dialog(pilot)
        assert dialog.request.maille == "categorie" and dialog.request.groups
        lines = {line.key: line for line in dialog.query(PermissionSwitch)}
        assert lines[WEIGHT_READ].group == lines[BLOOD_PRESSURE_READ].group == "measures.read"
        lines[BLOOD_PRESSURE_READ].query_one("Switch").focus()
        await pilot.press("space")
        await pilot.pause()
        assert not lines[BLOOD_PRESSURE_READ].value and not lines[WEIGHT_READ].value
        others = [line for line in lines.values() if line.group != "measures.read"]
        assert others and all(line.value for line in others)
        await pilot.click("#allow")
        await wait_for(pilot, lambda: seen(messages, ServiceConnected), "the connection")
        await settle(pilot)
        grant = (await grants_in(app.client))["grossesse-sereine"]
        assert grant.maille == "categorie"
        assert not grant.permissions_of("measures", "read")
        assert grant.permissions_of("agenda", "read") and grant.permissions_of("documents",
                                                                               "read")


async def test_narrowing_in_categorie_takes_the_whole_group_away(build_app, messages) -> None:
    app = build_app()
    async with app.run_test(size=(120, 40), message_hook=messages.append) as pilot:
        await sign_in_demo(pilot, 1)
        await open_sheet(pilot, messages, "grossesse-sereine")
        await pilot.press("c")
        await consent_dialog(pilot)
        await pilot.click("#allow")
        await wait_for(pilot, lambda: seen(messages, ServiceConnected), "the connection")
        await settle(pilot)
        await pilot.press("escape", "s")
        await wait_for(pilot, lambda: getattr(app.screen, "grants", None), "the register")
        await settle(pilot)
        await pilot.press("m")
        await wait_for(pilot, lambda: isinstance(app.screen, PermissionsDialog), "the dialog")
        await pilot.pause()
        lines = [line for line in app.screen.query(PermissionSwitch)
                 if line.group == "measures.read"]
        assert len(lines) == 2
        lines[0].query_one("Switch").focus()
        await pilot.press("space")
        await pilot.pause()
        assert not any(line.value for line in lines)
        await pilot.click("#confirm")
        await wait_for(pilot, lambda: seen(messages, GrantChanged), "the change")
        grant = seen(messages, GrantChanged)[0].grant
        assert grant.status == "active" and not grant.permissions_of("measures", "read")


async def test_a_split_group_comes_back_as_the_consent_step_with_the_servers_reason(
        live_server) -> None:
    client = await signed_in_client(live_server, "camille.martin")
    try:
        step = await client.services.start("grossesse-sereine")
        assert isinstance(step, ConsentRequest)
        split = tuple(p.scope for p in step.permissions if p.scope != BLOOD_PRESSURE_READ)
        again = await client.services.decide(step, Decision(True, split))
        assert isinstance(again, ConsentRequest)
        assert again.error == "invalid_consent"
        assert "s'accepte ou se refuse en entier" in (again.error_description or "")
        assert "grossesse-sereine" not in await grants_in(client)
    finally:
        await client.aclose()
