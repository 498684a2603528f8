"""The guided mode's state without Textual: moving between steps, markers, when a step passes
and what status each expectation shows."""

from __future__ import annotations

from ens_consent_tui.scenarios.checks import CheckResult, StepMarker
from ens_consent_tui.scenarios.guide import Guide, scenario_id
from ens_consent_tui.scenarios.loader import load_text

SCENARIO = """\
format: 1
title: Première connexion d'une application
start:
  patient: camille.martin
  maille: [type, categorie]
steps:
  - title: Ouvrir le catalogue
    notes: Laissez-la chercher seule.
    do: {open: store}
    expect:
      - section: store
      - no_text: Pesée Claire
  - title: Le service travaille
    notes: Animateur, faites travailler le service.
    do: {act: pesee-claire}
    expect:
      - exchange: {service: pesee-claire}
    timeout: 10
  - title: Observer
    notes: Rien à faire.
"""


def guide() -> Guide:
    return Guide(load_text(SCENARIO).variants()[0])


def results(guide: Guide, index: int, *oks: bool) -> list[CheckResult]:
    expectations = guide.scenario.steps[index].expect
    return [CheckResult(e, ok, f"detail {n}") for n, (e, ok) in
            enumerate(zip(expectations, oks, strict=True))]


def test_moving_stays_within_the_steps() -> None:
    g = guide()
    assert (g.number, g.total, g.step.title) == (1, 3, "Ouvrir le catalogue")
    assert not g.move(-1) and g.number == 1
    assert g.move(1) and g.number == 2 and g.by_facilitator
    assert g.move(1) and g.number == 3 and not g.by_facilitator
    assert not g.move(1) and g.number == 3


def test_a_step_passes_once_all_its_expectations_hold_together_and_stays_passed() -> None:
    g = guide()
    assert not g.checked(0, results(g, 0, True, False))
    assert [g.status(0, n, now=0) for n in (0, 1)] == ["passed", "failed"], \
        "a broken no_text cannot be fixed by waiting"
    assert g.checked(0, results(g, 0, True, True)), "passes now"
    assert not g.checked(0, results(g, 0, True, True)), "told once"
    assert not g.checked(0, results(g, 0, False, True))
    assert g.progress[0].passed and g.passed_steps == [1]
    assert g.status(0, 0, now=0) == "pending", "the live status follows the last look"


def test_an_expectation_waits_until_the_facilitator_action_had_its_timeout() -> None:
    g = guide()
    assert g.status(1, 0, now=0) == "pending", "not checked yet"
    g.checked(1, results(g, 1, False))
    assert g.status(1, 0, now=1000) == "pending", "the participant may still be at it"
    g.action_ran(1, "✓ done", now=100.0)
    assert g.progress[1].action_report == "✓ done"
    assert g.status(1, 0, now=109.9) == "pending"
    assert g.status(1, 0, now=110.0) == "failed", "the step's timeout (10 s) has passed"


def test_a_step_keeps_the_marker_of_its_first_look() -> None:
    g = guide()
    first, later = StepMarker(5, 0), StepMarker(9, 2)
    g.marked(0, first)
    g.marked(0, later)
    assert g.progress[0].marker is first
    assert g.progress[1].marker is None


def test_the_first_granularity_of_a_list_is_guided_and_the_id_comes_from_the_title() -> None:
    g = guide()
    assert g.scenario.start.maille == "type" and g.scenario.variant == "maille=type"
    assert g.scenario_id == "premiere-connexion-d-une-application"
    assert scenario_id("«  »") == "scenario"
    assert Guide(g.scenario, "from-the-file").scenario_id == "from-the-file"
