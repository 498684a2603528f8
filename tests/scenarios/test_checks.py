"""Checks: each expectation kind holds or not, in one look, with a sentence saying what was
expected and what is seen. Grants and exchanges are read from the real platform (live server);
what the screen shows comes from a probe set by the test, or from the real app (`AppProbe`)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass, field

import pytest
from textual.widgets import Static

from ens_consent_tui.app import make_app
from ens_consent_tui.client import EnsClient, MemoryTokenStore
from ens_consent_tui.i18n import Catalogue
from ens_consent_tui.scenarios.checks import AppProbe, CheckResult, evaluate, mark
from ens_consent_tui.scenarios.model import (
    ExchangeSeen,
    GrantState,
    NoExchange,
    NotificationShown,
    SectionIs,
    TextAbsent,
    TextShown,
)
from tests.tui.conftest import sign_in_demo, wait_for
from tests.tui.services_support import (
    HEIGHT_READ,
    connect_directly,
    facilitator,
    signed_in_client,
)


@dataclass
class SetProbe:
    """The screen side set by the test; the platform side real."""

    client: EnsClient
    catalogue: Catalogue
    shown: str | None = "home"
    text: str = ""
    toasts: list[tuple[str, str]] = field(default_factory=list)

    def section(self) -> str | None:
        return self.shown

    def screen_text(self) -> str:
        return self.text

    def notifications(self) -> list[tuple[str, str]]:
        return list(self.toasts)


@pytest.fixture
async def camille(live_server: str) -> AsyncIterator[EnsClient]:
    client = await signed_in_client(live_server, "camille.martin")
    yield client
    await client.aclose()


@pytest.fixture
def probe(camille: EnsClient) -> SetProbe:
    return SetProbe(camille, Catalogue("fr"))


async def one(probe, expectation) -> CheckResult:
    (result,) = await evaluate(probe, [expectation], await mark(probe))
    return result


async def test_section_holds_only_for_the_section_shown(probe) -> None:
    assert (await one(probe, SectionIs(section="home"))).ok
    probe.shown = "services"
    result = await one(probe, SectionIs(section="store"))
    assert not result.ok
    assert result.detail == "Section « Catalogue » attendue : « Mes services » affichée"


async def test_text_is_found_whatever_its_case_and_line_breaks(probe) -> None:
    probe.text = "│ Pesée Claire est\n│ CONNECTÉ │"
    assert (await one(probe, TextShown(text="pesée claire"))).ok
    shown = await one(probe, TextShown(text="Grossesse Sereine"))
    assert not shown.ok
    assert shown.detail == "Texte « Grossesse Sereine » attendu à l'écran : absent de l'écran"
    absent = await one(probe, TextAbsent(text="Pesée Claire"))
    assert not absent.ok
    assert absent.detail == "Texte « Pesée Claire » attendu absent : présent à l'écran"
    assert (await one(probe, TextAbsent(text="Grossesse"))).ok


async def test_a_notification_counts_only_when_shown_after_the_step_began(probe) -> None:
    probe.toasts = [("Service connecté", "Pesée Claire est connecté.")]
    marker = await mark(probe)
    wanted = [NotificationShown(text="pesée claire est connecté")]
    (before,) = await evaluate(probe, wanted, marker)
    assert not before.ok
    assert before.detail == ("Notification « pesée claire est connecté » attendue : aucune "
                             "notification depuis le début de l'étape")
    probe.toasts.append(("Durée changée", "Pesée Claire : jusqu'au 26/12/2026."))
    (other,) = await evaluate(probe, wanted, marker)
    assert not other.ok and "1 notification(s) depuis le début de l'étape" in other.detail
    assert "Durée changée — Pesée Claire : jusqu'au 26/12/2026." in other.detail
    probe.toasts.append(("Service connecté", "Pesée Claire est connecté (3 sur 4)."))
    (seen,) = await evaluate(probe, wanted, marker)
    assert seen.ok and seen.detail.endswith(": vue")


async def test_a_grant_is_checked_permission_by_permission(probe, live_server) -> None:
    await connect_directly(live_server, "camille.martin", "pesee-claire", off=[HEIGHT_READ],
                           duration="6m")
    held = await one(probe, GrantState(
        service="pesee-claire", status="active", allows=["measures/body_weight/read"],
        denies=["measures/body_height/read"], duration="6m"))
    assert held.ok, held.detail
    assert held.detail == (
        "Autorisation de Pesée Claire : état « ● actif » attendu, ● actif vu ; "
        "« mesures · poids (lecture) » partagé attendu, partagé ; "
        "« mesures · taille (lecture) » non partagé attendu, non partagé ; "
        "durée « 6 mois » attendue, « 6 mois » vue")
    wrong = await one(probe, GrantState(service="pesee-claire",
                                        allows=["measures/body_height/read"],
                                        denies=["measures/*/write"]))
    assert not wrong.ok
    assert wrong.detail == (
        "Autorisation de Pesée Claire : « mesures · taille (lecture) » partagé attendu, "
        "non partagé ; « mesures (écriture) » non partagé attendu, partagé")


async def test_no_grant_is_status_none(probe) -> None:
    assert (await one(probe, GrantState(service="grossesse-sereine", status="none"))).ok
    result = await one(probe, GrantState(service="grossesse-sereine", status="active"))
    assert not result.ok
    assert result.detail == ("Autorisation de Grossesse Sereine : état « ● actif » attendu, "
                             "aucune autorisation vu")


async def test_exchanges_count_from_the_marker_by_outcome_access_and_data(
        probe, live_server) -> None:
    await connect_directly(live_server, "camille.martin", "pesee-claire", off=[HEIGHT_READ])
    await facilitator(live_server, "POST", "/admin/services/pesee-claire/act")
    marker = await mark(probe)
    expectations = [ExchangeSeen(service="pesee-claire", outcome="allowed"),
                    NoExchange(service="pesee-claire")]
    before = await evaluate(probe, expectations, marker)
    assert [r.ok for r in before] == [False, True], "what came before the step does not count"
    assert before[0].detail == ("Un échange autorisé de Pesée Claire attendu : 0 vu depuis le "
                                "début de l'étape")

    await facilitator(live_server, "POST", "/admin/services/pesee-claire/act")
    await facilitator(live_server, "POST", "/admin/services/pesee-claire/misbehave",
                      {"kind": "outside_grant"})
    after = await evaluate(probe, [
        ExchangeSeen(service="pesee-claire", outcome="allowed", access="write",
                     data="measures/body_weight"),
        ExchangeSeen(service="pesee-claire", outcome="denied", access="read", data="measures"),
        ExchangeSeen(service="pesee-claire", outcome="allowed", count=50),
        NoExchange(service="pesee-claire", outcome="denied"),
        NoExchange(service="grossesse-sereine"),
    ], marker)
    assert [r.ok for r in after] == [True, True, False, False, True], [r.detail for r in after]
    assert after[2].detail.startswith(
        "Un échange autorisé de Pesée Claire attendu au moins 50 fois : ")
    assert after[3].detail.startswith("Aucun échange refusé de Pesée Claire attendu : 1 vu(s)")


async def test_a_call_with_a_replaced_token_is_unauthorized_not_denied(probe,
                                                                       live_server) -> None:
    await connect_directly(live_server, "camille.martin", "pesee-claire")
    marker = await mark(probe)
    await facilitator(live_server, "POST", "/admin/services/pesee-claire/misbehave",
                      {"kind": "expired_token"})
    results = await evaluate(probe, [
        ExchangeSeen(service="pesee-claire", outcome="unauthorized"),
        NoExchange(service="pesee-claire", outcome="denied")], marker)
    assert [r.ok for r in results] == [True, True], [r.detail for r in results]


async def test_english_sentences_when_the_app_speaks_english(probe) -> None:
    probe.catalogue = Catalogue("en")
    result = await one(probe, GrantState(service="pesee-claire", status="active"))
    assert result.detail == "Grant of Pesée Claire: status “● active” expected, no grant seen"


async def test_the_app_probe_reads_the_screen_the_section_and_every_toast(
        live_server) -> None:
    app = make_app(live_server, token_store=MemoryTokenStore())
    async with app.run_test(size=(120, 40)) as pilot:
        probe = AppProbe(app)
        assert probe.section() == "login"
        await sign_in_demo(pilot, 1)
        assert probe.section() == "home"
        assert "Camille Martin" in probe.screen_text()
        app.notify("Premier message", title="Un")
        app.query_one(Static).notify("Second message", title="Deux")
        await pilot.pause()
        app.clear_notifications()  # gone from the screen, not from what the probe saw
        assert probe.notifications()[-2:] == [("Un", "Premier message"),
                                              ("Deux", "Second message")]
        assert AppProbe(app).notifications() == probe.notifications(), "recorded once"
        await pilot.press("c")
        await wait_for(pilot, lambda: probe.section() == "store", "the store")
        results = await evaluate(probe, [SectionIs(section="store"),
                                         TextShown(text="Catalogue")], await mark(probe))
        assert all(r.ok for r in results), [r.detail for r in results]
