"""`ens-consent scenario run`: a line per step as it goes, files written on request, and exit
codes a script can rely on (0 every expectation held, 1 otherwise, 2 a usage error)."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from ens_consent_tui.cli import command

ROOT = Path(__file__).resolve().parents[2]
GOOD = ROOT / "scenarios" / "demande-hors-autorisation.yaml"
BROKEN = Path(__file__).parent / "data" / "etape-3-fausse.yaml"
TOKEN = "facilitator-test-token"
BAD_STRUCTURE = """\
format: 1
title: Mal écrit
start:
  patient: camille.martin
steps:
  - title: a
    notes: b
    do: {conect: x}
"""


def run(*args: str) -> Result:
    return CliRunner().invoke(command, ["scenario", "run", *args], catch_exceptions=False)


def test_every_expectation_held_is_exit_code_0_with_a_line_per_step(
        live_server: str, tmp_path: Path) -> None:
    junit = tmp_path / "resultats" / "out.xml"  # its folder is made
    result = run(str(GOOD), "--server", live_server, "--facilitator-token", TOKEN,
                 "--junit", str(junit))
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == f"▶ Une application demande plus que ce qu'on lui a accordé — {GOOD}"
    assert sum(line.startswith("  ✓ réussi · ") for line in lines) == 6
    assert "  ✓ réussi · 1. Ouvrir le journal des échanges (" in result.output
    assert lines[-1].startswith("1 scénario(s) réussi(s), 0 échoué(s), 0 fichier(s) "
                                "invalide(s) — 6 étape(s) en ")
    assert ET.parse(junit).getroot().get("tests") == "6"


def test_a_failed_expectation_or_an_invalid_file_is_exit_code_1_and_the_rest_runs(
        live_server: str, tmp_path: Path) -> None:
    folder = tmp_path / "lot"
    folder.mkdir()
    (folder / "mal.yaml").write_text(BAD_STRUCTURE, encoding="utf-8")
    (folder / "faux.yaml").write_text(BROKEN.read_text(encoding="utf-8"), encoding="utf-8")
    report = tmp_path / "rapport.html"
    result = run(str(folder), "--server", live_server, "--facilitator-token", TOKEN,
                 "--report", str(report), "--lang", "en")
    assert result.exit_code == 1, result.output
    assert "  ✗ failed · 3. Attente fausse — la pesée passerait (" in result.output
    assert "      ✗ Expected allowed exchange of Pesée Claire (write, measures · weight): 0 " \
           "seen since the step began" in result.output
    assert "  ✓ passed · 4. Voir le refus dans les échanges (" in result.output
    assert f"✗ {folder / 'mal.yaml'}: invalid file, not played" in result.output
    assert "steps[0].do" in result.output
    assert "0 scenario(s) passed, 1 failed, 1 invalid file(s)" in result.output
    assert report.read_text(encoding="utf-8").count("<svg") == 4


@pytest.mark.parametrize(("args", "message"), [
    (["--report", "rapport.pdf"], "« rapport.pdf » : le rapport est un fichier .md ou .html."),
    (["--server", "http://127.0.0.1:1"], "--server demande --facilitator-token"),
    (["--server", "pas une adresse"], "pas une adresse"),
    (["--lang", "de"], "de"),
])
def test_a_usage_error_is_exit_code_2_with_one_line(args: list[str], message: str,
                                                     monkeypatch) -> None:
    monkeypatch.delenv("ENS_FACILITATOR_TOKEN", raising=False)
    result = run(str(GOOD), *args)
    assert result.exit_code == 2, result.output
    assert message in result.output
    assert "Traceback" not in result.output
