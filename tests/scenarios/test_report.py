"""The run written down: JUnit XML that parses with the right counts, a Markdown report with its
screens beside it, a self-contained HTML report; a step that cannot be done is an error and the
rest of its scenario is skipped."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from ens_consent_tui.i18n import Catalogue
from ens_consent_tui.scenarios.headless import RunReport, run_files
from ens_consent_tui.scenarios.report import (
    captures_dir,
    html_report,
    junit_xml,
    write_report,
)

BROKEN = Path(__file__).parent / "data" / "etape-3-fausse.yaml"
FACILITATOR_TOKEN = "facilitator-test-token"
EXTERNAL = re.compile(r"""url\(\s*["']?https?:|(src|href)=["']https?:""")
"""An asset fetched from elsewhere (a web font, an image, a style sheet)."""
CANNOT_NARROW = """\
format: 1
title: Restreindre un service jamais connecté
start:
  patient: camille.martin
steps:
  - title: Ouvrir Mes services
    notes: Rien n'est connecté.
    do: {open: services}
    expect:
      - section: services
  - title: Restreindre la balance
    notes: Il n'y a rien à restreindre.
    do: {narrow: pesee-claire, remove: [measures/body_weight/read]}
  - title: Voir le catalogue
    notes: Non jouée.
    do: {open: store}
    expect:
      - section: store
"""


@pytest.fixture
async def report(live_server: str, tmp_path: Path) -> RunReport:
    cannot = tmp_path / "restreindre-sans-autorisation.yaml"
    cannot.write_text(CANNOT_NARROW, encoding="utf-8")
    missing = tmp_path / "absent.yaml"
    return await run_files([BROKEN, cannot, missing], server_url=live_server,
                           facilitator_token=FACILITATOR_TOKEN)


async def test_junit_counts_failures_errors_skips_and_invalid_files(report) -> None:
    root = ET.fromstring(junit_xml(report, Catalogue("fr")))
    assert root.tag == "testsuites"
    assert {k: root.get(k) for k in ("tests", "failures", "errors", "skipped")} == {
        "tests": "8", "failures": "2", "errors": "1", "skipped": "1"}
    missing, broken, cannot = root.findall("testsuite")
    assert missing.get("failures") == "1"
    assert "fichier introuvable" in missing.find("testcase/failure").get("message")
    assert {k: broken.get(k) for k in ("tests", "failures", "errors", "skipped")} == {
        "tests": "4", "failures": "1", "errors": "0", "skipped": "0"}
    failed = [case for case in broken.findall("testcase") if case.find("failure") is not None]
    assert [case.get("name") for case in failed] == ["03. Attente fausse — la pesée passerait"]
    assert failed[0].find("failure").get("message").startswith(
        "Un échange autorisé de Pesée Claire (écriture, mesures · poids) attendu : 0 vu")
    statuses = [next((child.tag for child in case if child.tag != "system-out"), "passed")
                for case in cannot.findall("testcase")]
    assert statuses == ["passed", "error", "skipped"]
    error = cannot.find("testcase/error")
    assert error.get("message") == ("Mes services n'a aucune autorisation de Pesée Claire qui "
                                    "puisse changer ainsi")


async def test_the_markdown_report_lists_every_step_and_links_its_screens(
        report, tmp_path: Path) -> None:
    path = tmp_path / "rapport.md"
    written = write_report(report, path, Catalogue("fr"))
    text = path.read_text(encoding="utf-8")
    folder = captures_dir(path)
    assert folder.name == "rapport_captures"
    svgs = sorted(folder.glob("*.svg"))
    assert written == [path, *sorted(written[1:])] and set(written[1:]) == set(svgs)
    assert "### ✗ échoué — 3. Attente fausse — la pesée passerait" in text
    assert "### ⚠ non faite — 2. Restreindre la balance" in text
    assert "### – non jouée — 3. Voir le catalogue" in text
    assert "Notes pour l'animateur : La balance peut lire et écrire le poids." in text
    assert "## Fichiers invalides" in text
    for svg in svgs:
        assert f"](rapport_captures/{svg.name})" in text
        content = svg.read_text(encoding="utf-8")
        assert content.lstrip().startswith("<svg") and not EXTERNAL.search(content)
    assert len(svgs) == 6, "one screen per step with expectations, and the step not done"


async def test_the_html_report_is_one_readable_page_with_its_screens_inside(report) -> None:
    page = html_report(report, Catalogue("en"))
    assert page.startswith("<!DOCTYPE html>") and '<html lang="en">' in page
    assert page.count("<svg") == 6
    assert not EXTERNAL.search(page) and "<script" not in page and "<link" not in page
    assert "✗ failed</span> — 3. Attente fausse — la pesée passerait" in page
    assert "Un échange autorisé de Pesée Claire (écriture, mesures · poids) attendu : 0 vu" \
        in page, "the checks stay in the language of the run"
    assert "⚠ not done" in page and "– not played" in page
