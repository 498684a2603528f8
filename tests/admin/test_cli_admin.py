"""`ens-mock-server admin …` against the real server over HTTP, and its one-line errors."""

from __future__ import annotations

import json

from click.testing import CliRunner

from mock_server.cli import main
from tests.live import free_port
from tests.oauth.flows import FACILITATOR_TOKEN
from tests.simulation.helpers import LiveServer


def run(live_url: str, *args: str, token: str = FACILITATOR_TOKEN):
    return CliRunner().invoke(main, ["admin", "--server", live_url, "--token", token, *args])


def test_clock_shows_and_jumps_the_simulated_clock(live: LiveServer) -> None:
    shown = run(live.url, "clock")
    assert shown.exit_code == 0, shown.output
    assert "Heure simulée : 26/11/2026 10:30 (Paris), en pause" in shown.output
    jumped = run(live.url, "clock", "--jump", "1d")
    assert jumped.exit_code == 0, jumped.output
    assert "Saut de 1 jour" in jumped.output and "27/11/2026 10:30" in jumped.output


def test_reset_to_a_workshop_state_then_connections_act_suspend_and_reinstate(
    live: LiveServer,
) -> None:
    reset = run(live.url, "reset", "atelier-grossesse")
    assert reset.exit_code == 0, reset.output
    assert "connecté : Grossesse Sereine" in reset.output
    seen = run(live.url, "--json", "connections")
    agents = {a["service_id"]: a for a in json.loads(seen.output)["agents"]}
    assert set(agents) == {"pesee-claire", "grossesse-sereine"}
    acted = run(live.url, "act", "pesee-claire", "--patient", "camille.martin")
    assert acted.exit_code == 0 and "✓ 200 POST /fhir" in acted.output
    suspended = run(live.url, "suspend", "pesee-claire")
    assert "suspendu ; patients prévenus : 1" in suspended.output
    denied = run(live.url, "act", "pesee-claire")
    assert "✗ 403" in denied.output
    assert run(live.url, "reinstate", "pesee-claire").exit_code == 0
    misbehaved = run(live.url, "misbehave", "grossesse-sereine", "--kind", "outside_grant")
    assert "✗ 403 GET /fhir/Observation" in misbehaved.output


def test_register_client_prints_the_servers_answer(live: LiveServer) -> None:
    result = run(live.url, "register-client", "--name", "Appli testeur", "--redirect-uri",
                 "https://testeur.example.fr/cb")
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["client_secret"]


def test_errors_are_one_readable_line(live: LiveServer) -> None:
    checks = [
        (run(live.url, "clock", token="mauvais"), "Jeton animateur refusé (401)"),
        (run(live.url, "reset", "atelier-lune"), "atelier-grossesse"),
        (run(live.url, "clock", "--jump", "90d"), "Saut trop grand"),
        (run(live.url, "act", "inconnu"), "Aucun service « inconnu »"),
        (run(f"http://127.0.0.1:{free_port()}", "clock"), "Serveur injoignable"),
        (run(live.url, "clock", token=""), "Jeton animateur manquant"),
    ]
    for result, words in checks:
        assert result.exit_code != 0
        assert words in result.output, result.output
        assert "Traceback" not in result.output
