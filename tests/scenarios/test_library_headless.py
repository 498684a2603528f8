"""Every built-in scenario (each variant) passes headless against the real server; the broken
one fails at the step that is wrong, and the files run beside it still pass."""

from __future__ import annotations

from pathlib import Path

import pytest

from ens_consent_tui.scenarios.headless import RunReport, run_files

ROOT = Path(__file__).resolve().parents[2]
LIBRARY_FILES = sorted((ROOT / "scenarios").glob("*.yaml"))
BROKEN = Path(__file__).parent / "data" / "etape-3-fausse.yaml"
FACILITATOR_TOKEN = "facilitator-test-token"


def not_passed(report: RunReport) -> list[tuple]:
    """(scenario, step, status, reason, failed checks) of every step that did not pass."""
    return [(scenario.name, step.index, step.status, step.reason,
             [check.detail for check in step.failures])
            for scenario in report.scenarios for step in scenario.steps
            if step.status != "passed"]


async def run(paths: list[Path], server: str) -> RunReport:
    return await run_files(paths, server_url=server, facilitator_token=FACILITATOR_TOKEN,
                           screenshots=False)


@pytest.mark.parametrize("path", LIBRARY_FILES, ids=lambda path: path.stem)
async def test_the_built_in_scenario_passes_headless(path: Path, live_server: str) -> None:
    report = await run([path], live_server)
    assert not report.invalid, report.invalid
    assert report.scenarios and all(s.error is None for s in report.scenarios), \
        [s.error for s in report.scenarios]
    assert not_passed(report) == []
    assert report.passed


async def test_the_broken_scenario_fails_at_its_third_step_and_the_others_still_pass(
        live_server: str) -> None:
    good = ROOT / "scenarios" / "demande-hors-autorisation.yaml"
    report = await run([BROKEN, good], live_server)
    assert not report.passed
    broken, other = report.scenarios
    assert [step.status for step in broken.steps] == ["passed", "passed", "failed", "passed"]
    third = broken.steps[2]
    assert third.title == "Attente fausse — la pesée passerait"
    assert [check.detail for check in third.failures] == [
        "Un échange autorisé de Pesée Claire (écriture, mesures · poids) attendu : 0 vu "
        "depuis le début de l'étape"]
    assert third.seconds >= 3, "the expectation was looked at until its timeout"
    assert other.passed and other.file == str(good)
