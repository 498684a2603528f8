"""Guided mode: a side panel shows the scenario's step, its notes, what to do and a live check of
each expectation; keys move between steps; the facilitator's action runs through the console
only when the app holds the facilitator token."""

from __future__ import annotations

import json
from pathlib import Path

from textual.widgets import Button, Static

from ens_consent_tui.app import EnsConsentApp, make_app
from ens_consent_tui.client import MemoryTokenStore
from ens_consent_tui.journal import Journal
from ens_consent_tui.messages import ServicesFound
from ens_consent_tui.scenarios.loader import load_text
from ens_consent_tui.widgets.guide_panel import GuidePanel
from tests.tui.conftest import seen, settle, sign_in_demo, wait_for
from tests.tui.services_support import toasts

SCENARIO = """\
format: 1
title: Essai du mode guidé
start:
  patient: camille.martin
  services:
    - service: pesee-claire
      refuse: [measures/body_height/read]
steps:
  - title: Ouvrir le catalogue
    notes: Laissez-la chercher seule ; notez où elle hésite.
    do: {open: store}
    expect:
      - section: store
      - no_text: notez où elle hésite
  - title: L'autorité suspend la balance
    notes: Animateur, suspendez Pesée Claire.
    do: {suspend: pesee-claire}
    expect:
      - grant: {service: pesee-claire, status: suspended}
    timeout: 10
  - title: Observer
    notes: Rien à faire, regardez.
"""


def guided_app(server: str, *, lang: str = "fr", token: str | None = None,
               journal: Journal | None = None) -> EnsConsentApp:
    return make_app(server, lang=lang, token_store=MemoryTokenStore(),
                    scenario=load_text(SCENARIO), facilitator_token=token, journal=journal,
                    scenario_id="essai")


def panel_text(app: EnsConsentApp, part: str) -> str:
    return str(app.screen.query_one(GuidePanel).query_one(f"#guide-{part}", Static).render())


async def server_checked(pilot) -> None:
    await wait_for(pilot, lambda: getattr(pilot.app.screen, "server_reachable", None),
                   "the server check")
    await pilot.pause()


async def test_the_panel_shows_step_one_with_its_notes_from_the_login_screen(
        live_server) -> None:
    app = guided_app(live_server)
    async with app.run_test(size=(140, 45)) as pilot:
        await server_checked(pilot)
        assert app.current_mode == "login"
        panel = app.screen.query_one(GuidePanel)
        assert panel.display and panel.region.right == 140, "docked right"
        assert panel_text(app, "head").splitlines() == [
            "Scénario : Essai du mode guidé", "Étape 1 / 3 · Ouvrir le catalogue"]
        assert panel_text(app, "notes") == "Laissez-la chercher seule ; notez où elle hésite."
        assert panel_text(app, "action") == "Ouvrez le catalogue"
        checks = panel_text(app, "checks")
        assert "… en attente — " in checks
        assert "Les vérifications commencent après la connexion." in checks
        start = panel_text(app, "start")
        assert start.startswith("À préparer par l'animateur : compte camille.martin")
        assert "Pesée Claire" in start or "pesee-claire" in start
        keys = panel_text(app, "keys")
        assert "] étape suivante" in keys and "[ étape précédente" in keys


async def test_a_check_turns_to_verified_when_its_expectation_becomes_true(
        live_server, messages) -> None:
    app = guided_app(live_server)
    async with app.run_test(size=(140, 45), message_hook=messages.append) as pilot:
        await sign_in_demo(pilot, 1)
        assert panel_text(app, "checks").startswith("… en attente — "), \
            "on the home screen the store is not shown yet"
        await pilot.press("c")
        await wait_for(pilot, lambda: seen(messages, ServicesFound), "the store")
        await wait_for(pilot, lambda: app.guided.guide.current.passed, "the check")
        await settle(pilot)
        lines = panel_text(app, "checks").splitlines()
        assert lines[0].startswith("✓ vérifié — ") and "Catalogue" in lines[0]
        assert lines[1].startswith("✓ vérifié — "), \
            "the notes shown in the panel are not text of the screen"
        assert "✓ étape réussie" in panel_text(app, "head")
        from tests.tui.services_support import open_sheet

        await open_sheet(pilot, messages, "pesee-claire")
        assert "Étape 1 / 3" in panel_text(app, "head"), "the sheet shows the panel too"


async def test_next_and_previous_keys_move_between_steps_and_the_journal_follows(
        live_server, tmp_path) -> None:
    journal = Journal(tmp_path)
    app = guided_app(live_server, journal=journal)
    async with app.run_test(size=(140, 45)) as pilot:
        await server_checked(pilot)
        await pilot.press("right_square_bracket")
        await pilot.pause()
        assert "Étape 2 / 3 · L'autorité suspend la balance" in panel_text(app, "head")
        assert panel_text(app, "notes") == "Animateur, suspendez Pesée Claire."
        await pilot.press("right_square_bracket", "right_square_bracket")
        await pilot.pause()
        assert "Étape 3 / 3" in panel_text(app, "head"), "the last step stays"
        assert panel_text(app, "checks") == \
            "Rien à vérifier : passez à l'étape suivante quand vous voulez."
        await pilot.press("left_square_bracket")
        await pilot.pause()
        assert "Étape 2 / 3" in panel_text(app, "head")
    steps = [line for line in map(json.loads, journal.path.read_text().splitlines())
             if line["event"] == "scenario_step"]
    assert [(s["step"], s["what"]) for s in steps] == [
        (1, "shown"), (2, "shown"), (3, "shown"), (2, "shown")]
    assert {s["scenario"] for s in steps} == {"essai"}


async def test_without_a_token_the_facilitator_action_is_refused_in_words(live_server) -> None:
    app = guided_app(live_server)
    async with app.run_test(size=(140, 45)) as pilot:
        await sign_in_demo(pilot, 1)
        await pilot.press("right_square_bracket")
        await pilot.pause()
        action = panel_text(app, "action")
        assert "Pesée Claire" in action.splitlines()[0]
        assert "À faire par l'animateur (console /admin)" in action
        assert not app.screen.query_one("#guide-run", Button).display
        await pilot.press("exclamation_mark")
        await pilot.pause()
        assert ("Action de l'animateur", "L'application n'a pas de jeton animateur : faites "
                "cette action dans la console, ou relancez avec --facilitator-token.") \
            in toasts(app)
        assert app.guided.guide.current.action_report is None


async def test_the_panel_hides_and_shows_with_a_key_and_goes_below_on_a_narrow_screen(
        live_server) -> None:
    app = guided_app(live_server)
    async with app.run_test(size=(90, 40)) as pilot:
        await server_checked(pilot)
        panel = app.screen.query_one(GuidePanel)
        assert panel.region.x == 0 and panel.region.width == 90, "below, full width"
        assert panel.region.bottom <= 39, "above the footer"
        await pilot.press("g")
        await pilot.pause()
        assert not panel.display
        await pilot.press("g")
        await pilot.pause()
        assert panel.display


async def test_the_panel_speaks_english_with_lang_en(live_server) -> None:
    app = guided_app(live_server, lang="en")
    async with app.run_test(size=(140, 45)) as pilot:
        await server_checked(pilot)
        assert panel_text(app, "head").splitlines()[1] == "Step 1 / 3 · Ouvrir le catalogue"
        assert panel_text(app, "action") == "Open the store"
        assert "… waiting — " in panel_text(app, "checks")
        assert panel_text(app, "start").startswith("For the facilitator to prepare: account "
                                                    "camille.martin")
        assert "] next step" in panel_text(app, "keys")


def test_the_panel_module_is_not_loaded_without_a_scenario(tmp_path: Path) -> None:
    import subprocess
    import sys

    code = ("import sys; from ens_consent_tui.app import make_app; "
            "from ens_consent_tui.client import MemoryTokenStore; "
            "make_app('http://127.0.0.1:9', token_store=MemoryTokenStore()); "
            "print(any(m.startswith(('ens_consent_tui.guided', 'ens_consent_tui.scenarios')) "
            "for m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True, cwd=Path(__file__).resolve().parents[2])
    assert result.stdout.strip() == "False"


async def test_with_the_token_the_start_is_prepared_and_the_facilitator_action_runs(
        live_server, messages, tmp_path) -> None:
    from tests.tui.services_support import grants_in

    journal = Journal(tmp_path)
    app = guided_app(live_server, token="facilitator-test-token", journal=journal)
    async with app.run_test(size=(140, 45), message_hook=messages.append) as pilot:
        await server_checked(pilot)
        assert panel_text(app, "start").startswith("Dès la connexion, l'application préparera")
        await sign_in_demo(pilot, 1)
        await wait_for(pilot, lambda: app.guided.guide.preparation == "done", "the start")
        await settle(pilot)
        assert ("Scénario prêt", "Espace de camille.martin préparé : le scénario peut "
                "commencer.") in toasts(app)
        assert panel_text(app, "start") == \
            "✓ Espace de camille.martin préparé pour le scénario."
        grant = (await grants_in(app.client))["pesee-claire"]
        assert grant.status == "active"
        assert ("measures", "body_height", "read") not in {p.key for p in grant.permissions}

        await pilot.press("right_square_bracket")
        await pilot.pause()
        run = app.screen.query_one("#guide-run", Button)
        assert run.display and str(run.label) == "Exécuter (animateur)"
        assert "À faire par l'animateur" in panel_text(app, "action")
        await pilot.press("exclamation_mark")
        await wait_for(pilot, lambda: app.guided.guide.current.passed, "the suspension seen")
        await settle(pilot)
        assert panel_text(app, "action-report").startswith("✓ ")
        assert panel_text(app, "checks").startswith("✓ vérifié — ")
        assert (await grants_in(app.client))["pesee-claire"].status == "suspended"
    lines = [json.loads(line) for line in journal.path.read_text().splitlines()]
    events = [(line["event"], line.get("what")) for line in lines]
    assert ("scenario_prepared", None) in events
    ran = next(line for line in lines if line["event"] == "facilitator_action")
    assert ran["action"] == "suspend" and ran["ok"] is True and ran["step"] == 2
    passed = [line for line in lines if line["event"] == "scenario_step"
              and line["what"] == "passed"]
    assert [line["checked_step"] for line in passed] == [2]


async def test_a_refused_token_is_told_in_the_panel_and_nothing_is_prepared(
        live_server, messages) -> None:
    app = guided_app(live_server, token="not-the-token")
    async with app.run_test(size=(140, 45), message_hook=messages.append) as pilot:
        await sign_in_demo(pilot, 1)
        await wait_for(pilot, lambda: app.guided.guide.preparation == "failed", "the refusal")
        await settle(pilot)
        start = panel_text(app, "start")
        assert start.startswith("✗ La préparation a échoué : ")
        assert [title for title, _ in toasts(app)].count("Préparation impossible") == 1
        assert app.current_mode == "home", "the app goes on"
