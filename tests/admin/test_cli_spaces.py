"""`ens-mock-server admin maille | prepare | participants` against the real server over HTTP."""

from __future__ import annotations

import json

from tests.admin.test_cli_admin import run
from tests.simulation.helpers import LiveServer


def test_maille_shows_and_changes_the_granularity(live: LiveServer) -> None:
    shown = run(live.url, "maille")
    assert shown.exit_code == 0 and "Maille de consentement : type" in shown.output
    changed = run(live.url, "maille", "ressource")
    assert changed.exit_code == 0, changed.output
    assert "ressource (avant : type)" in changed.output
    assert live.app.state.platform.settings.maille == "ressource"
    refused = run(live.url, "maille", "fine")
    assert refused.exit_code == 1 and "categorie, type, ressource" in refused.output


def test_prepare_reads_each_connect_option_as_service_refusals_and_duration(
    live: LiveServer,
) -> None:
    result = run(live.url, "--json", "prepare", "camille.martin", "--connect",
                 "grossesse-sereine:measures/blood_pressure/read,documents/*/read@1y",
                 "--connect", "pesee-claire")
    assert result.exit_code == 0, result.output
    body = json.loads(result.output)
    assert [c["service"]["id"] for c in body["connections"]] == ["grossesse-sereine",
                                                                 "pesee-claire"]
    scope = " ".join(body["connections"][0]["scope"])
    assert "DocumentReference" not in scope and "85354-9" not in scope
    again = run(live.url, "prepare", "sophie.dubois", "--for", "child", "--connect",
                "thermo-famille@revocation")
    assert again.exit_code == 0, again.output
    assert "Espace de Léo Dubois préparé (sophie.dubois)" in again.output
    assert "connecté : ThermoFamille" in again.output


def test_prepare_errors_are_one_line_with_the_servers_reason(live: LiveServer) -> None:
    unknown = run(live.url, "prepare", "camille.dupont")
    assert unknown.exit_code == 1 and "Compte introuvable (404)" in unknown.output
    assert "camille.martin" in unknown.output
    empty = run(live.url, "prepare", "camille.martin", "--connect", ":measures/all/read")
    assert empty.exit_code == 2 and "le service manque" in empty.output


def test_participants_add_then_list(live: LiveServer) -> None:
    added = run(live.url, "participants", "add", "sophie.dubois", "--count", "2")
    assert added.exit_code == 0, added.output
    assert "2 comptes créés" in added.output
    assert "sophie.dubois.3" in added.output and "représente Léo Dubois (child)" in added.output
    listed = run(live.url, "participants", "list")
    assert listed.exit_code == 0
    lines = listed.output.splitlines()
    assert [line.split()[0] for line in lines][-3:] == ["sophie.dubois.2", "sophie.dubois.3",
                                                        "thomas.girard"]
    assert "copie de sophie.dubois" in lines[-2]
    too_many = run(live.url, "participants", "add", "camille.martin", "--count", "50")
    assert too_many.exit_code == 1 and "entre 1 et 30" in too_many.output
