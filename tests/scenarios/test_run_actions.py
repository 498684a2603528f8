"""The person's actions done on the real app through the pilot: each ends when its result is on
screen and in the register; what cannot be done stops with the reason in words."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import pytest
from textual.message import Message

from ens_consent_tui.app import make_app
from ens_consent_tui.client import MemoryTokenStore
from ens_consent_tui.scenarios.actions import Driver, StepCannotRun
from ens_consent_tui.scenarios.checks import current_grant
from ens_consent_tui.scenarios.model import (
    ChangeDuration,
    Connect,
    Narrow,
    Open,
    OpenSheet,
    Press,
    RefuseConnection,
    Revoke,
    Search,
    SwitchSpace,
)
from ens_consent_tui.screens.service_sheet import ServiceSheetScreen
from tests.tui.services_support import connect_directly


@asynccontextmanager
async def driving(server: str, username: str = "camille.martin",
                  space: str | None = None) -> AsyncIterator[Driver]:
    messages: list[Message] = []
    app = make_app(server, token_store=MemoryTokenStore())
    async with app.run_test(size=(120, 40), message_hook=messages.append) as pilot:
        driver = Driver(pilot, messages, timeout=10)
        await driver.sign_in(username, space)
        yield driver


async def grant_of(driver: Driver, service: str):
    return current_grant(await driver.app.client.grants.grants(), service)


async def test_connect_switches_off_what_is_refused_and_picks_the_duration(live_server) -> None:
    async with driving(live_server) as driver:
        await driver.perform(Connect(service="pesee-claire",
                                     refuse=["measures/body_height/read"], duration="1m"))
        grant = await grant_of(driver, "pesee-claire")
        assert grant.status == "active" and grant.duration == "1m"
        assert ("measures", "body_height", "read") not in {p.key for p in grant.permissions}
        assert ("measures", "body_weight", "read") in {p.key for p in grant.permissions}
        assert isinstance(driver.app.screen, ServiceSheetScreen)


async def test_a_whole_class_goes_off_line_by_line(live_server) -> None:
    async with driving(live_server) as driver:
        await driver.perform(Connect(service="pesee-claire", refuse=["measures/*/read"]))
        grant = await grant_of(driver, "pesee-claire")
        assert not grant.permissions_of("measures", "read")
        assert grant.permissions_of("measures", "write")


async def test_refusing_leaves_no_grant(live_server) -> None:
    async with driving(live_server) as driver:
        await driver.perform(RefuseConnection(service="pesee-claire"))
        assert await grant_of(driver, "pesee-claire") is None


async def test_search_then_open_sheet_and_sections(live_server) -> None:
    async with driving(live_server) as driver:
        await driver.perform(Search(text="grossesse"))
        assert driver.app.screen.query_one("#store-search").value == "grossesse"
        await driver.perform(OpenSheet(service="pesee-claire"))  # not in that list: cleared
        assert driver.app.screen.service_id == "pesee-claire"
        for section in ("services", "data", "exchanges", "home", "store"):
            await driver.perform(Open(section=section))
            assert driver.app.current_mode == section
        await driver.perform(Press(keys=["s"]))
        assert driver.app.current_mode == "services"


async def test_narrow_change_duration_and_revoke_in_mes_services(live_server) -> None:
    await connect_directly(live_server, "camille.martin", "pesee-claire")
    async with driving(live_server) as driver:
        await driver.perform(Narrow(service="pesee-claire",
                                    remove=["measures/body_weight/read", "measures/bmi/read"]))
        grant = await grant_of(driver, "pesee-claire")
        assert {p.key for p in grant.permissions_of("measures", "read")} == {
            ("measures", "body_height", "read")}
        await driver.perform(ChangeDuration(service="pesee-claire", duration="revocation"))
        assert (await grant_of(driver, "pesee-claire")).duration == "revocation"
        await driver.perform(Revoke(service="pesee-claire"))
        assert (await grant_of(driver, "pesee-claire")).status == "revoked"
        with pytest.raises(StepCannotRun) as cannot:
            await driver.perform(Narrow(service="pesee-claire",
                                        remove=["measures/body_height/read"]))
        assert cannot.value.reason == ("Mes services n'a aucune autorisation de Pesée Claire "
                                       "qui puisse changer ainsi")


async def test_what_cannot_be_done_says_why(live_server) -> None:
    async with driving(live_server) as driver:
        with pytest.raises(StepCannotRun) as cannot:
            await driver.perform(OpenSheet(service="pas-un-service"))
        assert cannot.value.reason == "le catalogue ne liste pas le service « pas-un-service »"
        with pytest.raises(StepCannotRun) as cannot:
            await driver.perform(Connect(service="pesee-claire",
                                         refuse=["agenda/all/write"]))
        assert cannot.value.reason == ("le dialogue de consentement de Pesée Claire ne demande "
                                       "pas « agenda (écriture) »")
        with pytest.raises(StepCannotRun) as cannot:
            await driver.perform(SwitchSpace(space="child"))
        assert "ne représente personne" in cannot.value.reason


async def test_a_representative_signs_in_for_the_child_and_switches_back(live_server) -> None:
    async with driving(live_server, "sophie.dubois", "child") as driver:
        assert driver.app.session.space.name == "Léo Dubois"
        await driver.perform(SwitchSpace(space="self"))
        assert driver.app.session.space.is_self
        await driver.perform(SwitchSpace(space="child"))
        assert not driver.app.session.space.is_self
