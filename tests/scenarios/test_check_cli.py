"""`ens-consent scenario check` and `ens-consent scenario schema`: what they print, and exit
codes a script can rely on (0 all valid, 1 a file is not, 2 a usage error)."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from ens_consent_tui.cli import command

ROOT = Path(__file__).resolve().parents[2]
LIBRARY = ROOT / "scenarios"
SCHEMA = LIBRARY / "scenario.schema.json"
TOKEN = "facilitator-test-token"
VALID = LIBRARY / "balance-ecriture-revoquee.yaml"

UNKNOWN_NAMES = """\
format: 1
title: Des noms qui n'existent pas
start:
  patient: camile.martin
steps:
  - title: Connecter
    notes: Un service mal orthographié.
    do: {connect: pesee-clair}
"""
BAD_STRUCTURE = """\
format: 1
title: Mal écrit
start:
  patient: camille.martin
steps:
  - title: a
    do: {conect: x}
"""


def run(*args: str, env: dict[str, str] | None = None) -> Result:
    return CliRunner().invoke(command, list(args), env=env, catch_exceptions=False)


@pytest.fixture
def unknown_names(tmp_path: Path) -> Path:
    path = tmp_path / "noms.yaml"
    path.write_text(UNKNOWN_NAMES, encoding="utf-8")
    return path


@pytest.fixture
def bad_structure(tmp_path: Path) -> Path:
    path = tmp_path / "mal.yaml"
    path.write_text(BAD_STRUCTURE, encoding="utf-8")
    return path


# --- schema ------------------------------------------------------------------------------------


def test_the_schema_file_in_the_library_is_what_the_command_prints() -> None:
    result = run("scenario", "schema")
    assert result.exit_code == 0, result.output
    assert result.stdout == SCHEMA.read_text(encoding="utf-8"), (
        "scenarios/scenario.schema.json is stale: run `ens-consent scenario schema -o "
        "scenarios/scenario.schema.json`")


def test_the_schema_is_written_to_a_file_on_request(tmp_path: Path) -> None:
    target = tmp_path / "schema.json"
    result = run("scenario", "schema", "-o", str(target))
    assert result.exit_code == 0, result.output
    assert target.read_text(encoding="utf-8") == SCHEMA.read_text(encoding="utf-8")
    assert f"Schéma écrit dans {target}." in result.stderr


def test_a_schema_that_cannot_be_written_is_one_line(tmp_path: Path) -> None:
    result = run("scenario", "schema", "-o", str(tmp_path / "absent" / "schema.json"))
    assert result.exit_code == 1
    assert result.stderr.startswith("ens-consent : impossible d'écrire ")
    assert "Traceback" not in result.output


# --- structure only ----------------------------------------------------------------------------


def test_offline_a_valid_file_is_one_line_and_exit_0() -> None:
    result = run("scenario", "check", "--offline", str(VALID))
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        f"✓ valide : {VALID} — Une balance connectée perd le droit d'écrire (5 étapes)",
        "1 fichier(s) valide(s), 0 invalide(s).",
    ]


def test_offline_an_invalid_file_lists_its_problems_and_exits_1(bad_structure: Path) -> None:
    result = run("scenario", "check", "--offline", str(VALID), str(bad_structure))
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines[1] == f"✗ invalide : {bad_structure} (2 problème(s)) :"
    assert lines[2] == (f"    {bad_structure}, ligne 6 : steps[0].notes : champ obligatoire "
                        "« notes » absent")
    assert lines[3].startswith(f"    {bad_structure}, ligne 7 : steps[0].do : action "
                               "« conect » inconnue")
    assert lines[-1] == "1 fichier(s) valide(s), 1 invalide(s)."


def test_a_folder_stands_for_its_scenario_files(tmp_path: Path, bad_structure: Path) -> None:
    result = run("scenario", "check", "--offline", str(bad_structure.parent), str(tmp_path / "x"))
    assert result.exit_code == 1
    assert f"✗ invalide : {bad_structure} (2 problème(s)) :" in result.stdout
    assert f"{tmp_path / 'x'} : " in result.stdout, "an empty or absent folder is said, not skipped"


def test_a_missing_file_is_invalid_not_a_crash(tmp_path: Path) -> None:
    result = run("scenario", "check", "--offline", str(tmp_path / "absent.yaml"))
    assert result.exit_code == 1
    assert f"{tmp_path / 'absent.yaml'} : fichier introuvable" in result.stdout


def test_the_language_given_before_the_subcommand_words_the_report(bad_structure: Path
                                                                   ) -> None:
    result = run("--lang", "en", "scenario", "check", "--offline", str(bad_structure))
    assert result.exit_code == 1
    assert f"✗ invalid: {bad_structure} (2 problem(s)):" in result.stdout
    assert f"{bad_structure}, line 6: steps[0].notes: required field" in result.stdout


# --- names against a platform ------------------------------------------------------------------


def test_the_library_is_valid_against_a_platform(live_server: str) -> None:
    files = sorted(str(path) for path in LIBRARY.glob("*.yaml"))
    result = run("scenario", "check", "--server", live_server, "--facilitator-token", TOKEN,
                 *files)
    assert result.exit_code == 0, result.output
    assert result.stdout.count("✓ valide : ") == len(files)
    assert "Comptes non vérifiés" not in result.stdout


def test_unknown_names_make_the_file_invalid(live_server: str, unknown_names: Path) -> None:
    result = run("scenario", "check", "--server", live_server, str(unknown_names),
                 env={"ENS_FACILITATOR_TOKEN": TOKEN})
    assert result.exit_code == 1
    assert (f"    {unknown_names}, ligne 4 : start.patient : compte « camile.martin » inconnu "
            "de la plateforme ; comptes : camille.martin, ") in result.stdout
    assert (f"    {unknown_names}, ligne 8 : steps[0].do.connect : service « pesee-clair » "
            "inconnu de la plateforme ; services : pesee-claire, ") in result.stdout


def test_the_server_given_before_the_subcommand_is_used(live_server: str,
                                                        unknown_names: Path) -> None:
    result = run("--server", live_server, "scenario", "check", "--facilitator-token", TOKEN,
                 str(unknown_names))
    assert result.exit_code == 1
    assert "service « pesee-clair » inconnu" in result.stdout


def test_without_a_token_accounts_are_said_to_be_unchecked(live_server: str,
                                                           unknown_names: Path) -> None:
    result = run("scenario", "check", "--server", live_server, str(unknown_names),
                 env={"ENS_FACILITATOR_TOKEN": ""})
    assert result.exit_code == 1
    assert "camile.martin" not in result.stdout
    assert "service « pesee-clair » inconnu" in result.stdout
    assert result.stdout.splitlines()[-1] == ("Comptes non vérifiés : donnez "
                                              "--facilitator-token (ou ENS_FACILITATOR_TOKEN) "
                                              "pour les vérifier.")


def test_a_refused_token_is_one_line_saying_so(live_server: str) -> None:
    result = run("scenario", "check", "--server", live_server, "--facilitator-token", "faux",
                 str(VALID))
    assert result.exit_code == 1
    assert result.stderr == ("ens-consent : le jeton animateur est refusé par la plateforme : "
                             "vérifiez --facilitator-token (ou ENS_FACILITATOR_TOKEN).\n")


def test_an_unreachable_platform_is_one_line(unused_port_url: str) -> None:
    result = run("scenario", "check", "--server", unused_port_url, str(VALID))
    assert result.exit_code == 1
    assert result.stderr.startswith("ens-consent : impossible de vérifier les noms : Serveur "
                                    "injoignable.")
    assert "Traceback" not in result.output


def test_by_default_names_are_checked_on_an_embedded_server(unknown_names: Path) -> None:
    result = run("scenario", "check", str(VALID), str(unknown_names))
    assert result.exit_code == 1, result.output
    assert f"✓ valide : {VALID}" in result.stdout
    assert "compte « camile.martin » inconnu" in result.stdout
    assert "service « pesee-clair » inconnu" in result.stdout


# --- usage errors ------------------------------------------------------------------------------


@pytest.mark.parametrize(("args", "fragment"), [
    pytest.param(["scenario", "check"], "FILE", id="no-file"),
    pytest.param(["scenario", "check", "--offline", "--server", "http://127.0.0.1:1", "x.yaml"],
                 "--offline et --server s'excluent", id="offline-and-server"),
    pytest.param(["scenario", "check", "--server", "ftp://x", "x.yaml"],
                 "n'est pas une adresse de serveur", id="bad-server-url"),
    pytest.param(["--lang", "de", "scenario", "check", "--offline", "x.yaml"],
                 "langue « de » inconnue", id="bad-language"),
    pytest.param(["scenario", "check", "--colour", "x.yaml"], "option inconnue : --colour",
                 id="unknown-option"),
])
def test_usage_errors_are_one_line_and_exit_2(args: list[str], fragment: str) -> None:
    result = run(*args)
    assert result.exit_code == 2, result.output
    assert len(result.stderr.splitlines()) == 1 and fragment in result.stderr


def test_the_group_lists_its_commands() -> None:
    result = run("scenario", "--help")
    assert result.exit_code == 0
    assert "check" in result.stdout and "schema" in result.stdout


@pytest.fixture
def unused_port_url() -> str:
    from ens_consent_tui.launcher import free_port

    return f"http://127.0.0.1:{free_port()}"
