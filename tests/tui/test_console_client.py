"""`ConsoleApi`: the facilitator console from the app's side, against the real server (and once
in process, through an injected transport), with every failure a `ClientError` in words."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

from ens_consent_tui.client.console import ConsoleApi, FacilitatorTokenRefused
from ens_consent_tui.client.errors import ClientError, InvalidInput, NotFound, ServerUnreachable
from tests.conftest import BASE_URL
from tests.live import free_port
from tests.oauth.flows import FACILITATOR_TOKEN

SCALE = "pesee-claire"


@pytest.fixture
async def console(live_server: str) -> AsyncIterator[ConsoleApi]:
    async with ConsoleApi(live_server, FACILITATOR_TOKEN) as api:
        yield api


async def test_the_clock_pauses_runs_resumes_and_jumps(console: ConsoleApi) -> None:
    assert (await console.clock())["paused"] is True
    jumped = await console.jump("1d")
    assert jumped["jump"]["span"] == "1 jour"
    assert jumped["clock"]["now"] == "2026-11-27T09:30:00+00:00"
    assert (await console.set_speed(60))["speed"] == 60
    assert (await console.pause())["paused"] is True
    assert (await console.resume())["speed"] == 60


async def test_the_maille_is_read_and_changed(console: ConsoleApi) -> None:
    assert await console.maille() == "type"
    assert await console.set_maille("categorie") == "categorie"
    assert await console.maille() == "categorie"
    with pytest.raises(InvalidInput) as refused:
        await console.set_maille("fine")
    assert "categorie, type, ressource" in refused.value.reason


async def test_a_prepared_patients_service_acts_misbehaves_and_is_suspended(
    console: ConsoleApi,
) -> None:
    prepared = await console.prepare("camille.martin", None, [
        {"service": SCALE, "refuse": ["measures/body_height/read"], "duration": "1m"}])
    assert prepared["patient"] == "Camille Martin"
    assert [c["service"]["id"] for c in prepared["connections"]] == [SCALE]
    acted = await console.act(SCALE, patient="camille.martin")
    assert acted["runs"][0]["calls"][0]["outcome"] == "allowed"
    misbehaved = await console.misbehave(SCALE, "outside_grant", patient="camille.martin")
    assert misbehaved["runs"][0]["calls"][-1]["status"] == 403
    assert (await console.suspend(SCALE))["suspended"] is True
    with pytest.raises(InvalidInput) as twice:
        await console.suspend(SCALE)
    assert "déjà suspendu" in twice.value.reason
    assert (await console.reinstate(SCALE))["suspended"] is False


async def test_participants_are_added_and_listed(console: ConsoleApi) -> None:
    added = await console.add_participants("camille.martin", 2)
    assert [p["username"] for p in added] == ["camille.martin.2", "camille.martin.3"]
    listed = await console.participants()
    assert {"camille.martin", "camille.martin.2", "camille.martin.3"} <= {
        p["username"] for p in listed}
    prepared = await console.prepare("camille.martin.3")
    assert prepared["patient_id"] == added[1]["patient_id"]


async def test_unknown_names_are_not_found_with_the_valid_ones_in_the_reason(
    console: ConsoleApi,
) -> None:
    with pytest.raises(NotFound) as service:
        await console.act("balance-lunaire")
    assert "balance-lunaire" in service.value.reason and SCALE in service.value.reason
    with pytest.raises(NotFound) as account:
        await console.prepare("camille.dupont")
    assert "camille.martin" in account.value.reason
    with pytest.raises(NotFound) as persona:
        await console.add_participants("leo.dubois")
    assert "sophie.dubois" in persona.value.reason
    with pytest.raises(InvalidInput) as nobody:
        await console.act(SCALE)
    assert "n'est connecté à aucun patient" in nobody.value.reason


async def test_a_wrong_token_is_refused_as_the_facilitator_token(live_server: str) -> None:
    async with ConsoleApi(live_server, "pas-le-bon") as api:
        with pytest.raises(FacilitatorTokenRefused) as refused:
            await api.clock()
    assert "animateur" in refused.value.reason


async def test_a_patients_token_is_refused_too_through_an_injected_transport(
    app, camille_token: str,
) -> None:
    transport = httpx.ASGITransport(app=app)
    async with ConsoleApi(BASE_URL, camille_token, transport=transport) as api:
        with pytest.raises(FacilitatorTokenRefused) as refused:
            await api.maille()
    assert "patient ou d'un service" in refused.value.reason
    async with ConsoleApi(BASE_URL, FACILITATOR_TOKEN, transport=transport) as api:
        assert await api.maille() == "type"


async def test_no_server_is_server_unreachable(tmp_path) -> None:
    api = ConsoleApi(f"http://127.0.0.1:{free_port()}", FACILITATOR_TOKEN)
    with pytest.raises(ServerUnreachable) as failure:
        await api.clock()
    await api.aclose()
    assert isinstance(failure.value, ClientError)
