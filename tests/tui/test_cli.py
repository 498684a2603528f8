"""`ens-consent`: bad arguments are one readable line, and a missing keyring is one sentence."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from keyring.backends import fail

from ens_consent_tui.cli import command


def run(*args: str):
    return CliRunner().invoke(command, list(args))


def one_line(result) -> str:
    assert "Traceback" not in result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1, result.output
    return lines[0]


@pytest.mark.parametrize(("args", "expected"), [
    (["--nope"], "ens-consent : option inconnue : --nope (voir --help)."),
    (["--lang", "de"], "ens-consent : langue « de » inconnue ; langues possibles : fr, en."),
    (["--token-store", "fichier"],
     "ens-consent : stockage « fichier » inconnu ; possibles : keyring, memory."),
    (["--server"], "ens-consent : l'option --server attend une valeur."),
    (["--server", "ftp://serveur"], "ens-consent : « ftp://serveur » n'est pas une adresse de "
                                    "serveur (attendu : http://hôte:port ou https://hôte)."),
    (["--server", "http://127.0.0.1:8765", "--fresh"],
     "ens-consent : --fresh ne concerne que le serveur intégré : retirez-le ou retirez "
     "--server."),
])
def test_a_bad_argument_is_one_line_without_traceback(args, expected) -> None:
    result = run(*args)
    assert result.exit_code == 2
    assert one_line(result) == expected


def test_errors_follow_the_chosen_language() -> None:
    result = run("--lang", "en", "--token-store", "file")
    assert one_line(result) == ("ens-consent: unknown token store “file”; possible: keyring, "
                                "memory.")


def test_without_a_keyring_the_app_says_so_in_one_sentence_and_offers_memory() -> None:
    import keyring

    keyring.set_keyring(fail.Keyring())  # the autouse fixture restores the previous one
    result = run("--server", "http://127.0.0.1:9")
    assert result.exit_code == 1
    line = one_line(result)
    assert line == ("ens-consent : Aucun trousseau de clés sécurisé n'est disponible sur cette "
                    "machine : relancez avec --token-store memory pour garder les jetons en "
                    "mémoire le temps de la session.")
    assert line.count(". ") == 0 and line.endswith(".")


def test_a_broken_embedded_server_is_reported_with_its_own_words() -> None:
    result = run("--token-store", "memory", "--database-url", "nosuchdb://x")
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert "le serveur intégré n'a pas pu démarrer" in result.output
    assert "URL de base de données invalide" in result.output


def test_help_is_in_french() -> None:
    result = run("--help")
    assert result.exit_code == 0
    assert "Adresse d'un serveur partagé" in result.output


# --- journal and guided mode options ------------------------------------------------------------

GOOD_SCENARIO = """\
format: 1
title: Ouvrir le catalogue
start:
  patient: camille.martin
steps:
  - title: Ouvrir le catalogue
    notes: Laissez-la chercher.
    do: {open: store}
    expect:
      - section: store
"""


class AppRun:
    """What the command built the app with (the app itself cannot run under CliRunner)."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, dict]] = []

    def make_app(self, url: str, **options):
        self.calls.append((url, options))
        return self

    def run(self) -> None:
        pass


@pytest.fixture
def app_run(monkeypatch) -> AppRun:
    import ens_consent_tui.app

    built = AppRun()
    monkeypatch.setattr(ens_consent_tui.app, "make_app", built.make_app)
    return built


def test_a_malformed_scenario_exits_2_with_its_file_and_line_before_the_app_opens(
        tmp_path, app_run) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(GOOD_SCENARIO.replace("{open: store}", "{opne: store}"), encoding="utf-8")
    result = run("--server", "http://127.0.0.1:9", "--token-store", "memory",
                 "--scenario", str(bad))
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    assert f"{bad}, ligne 8" in result.output and "opne" in result.output
    assert app_run.calls == [], "the app did not open"


def test_a_missing_scenario_file_is_one_line(tmp_path, app_run) -> None:
    result = run("--server", "http://127.0.0.1:9", "--scenario", str(tmp_path / "nope.yaml"))
    assert result.exit_code == 2
    assert str(tmp_path / "nope.yaml") in one_line(result)


def test_journal_dir_and_no_journal_together_are_refused() -> None:
    result = run("--server", "http://127.0.0.1:9", "--journal-dir", "x", "--no-journal")
    assert result.exit_code == 2
    assert one_line(result) == ("ens-consent : --journal-dir et --no-journal se contredisent : "
                                "gardez l'un des deux.")


def test_the_app_gets_the_journal_the_scenario_and_the_facilitator_token(
        tmp_path, app_run, monkeypatch) -> None:
    path = tmp_path / "ouvrir-catalogue.yaml"
    path.write_text(GOOD_SCENARIO, encoding="utf-8")
    result = run("--server", "http://127.0.0.1:9", "--token-store", "memory",
                 "--journal-dir", str(tmp_path / "j"), "--scenario", str(path),
                 "--facilitator-token", "secret")
    assert result.exit_code == 0, result.output
    ((url, options),) = app_run.calls
    assert url == "http://127.0.0.1:9"
    assert options["journal"].directory == tmp_path / "j"
    assert options["scenario"].title == "Ouvrir le catalogue"
    assert options["scenario_id"] == "ouvrir-catalogue"
    assert options["facilitator_token"] == "secret"

    monkeypatch.setenv("ENS_FACILITATOR_TOKEN", "from-the-environment")
    assert run("--server", "http://127.0.0.1:9", "--token-store", "memory",
               "--no-journal").exit_code == 0
    _, options = app_run.calls[-1]
    assert options["facilitator_token"] == "from-the-environment"
    assert options["journal"] is None and options["scenario"] is None


def test_the_journal_goes_to_the_user_data_folder_by_default(app_run, monkeypatch,
                                                            tmp_path) -> None:
    import platformdirs

    monkeypatch.setattr(platformdirs, "user_data_path", lambda name: tmp_path / name)
    assert run("--server", "http://127.0.0.1:9", "--token-store", "memory").exit_code == 0
    _, options = app_run.calls[-1]
    assert options["journal"].directory == tmp_path / "ens-consent" / "journal"


def test_a_missing_argument_of_a_subcommand_is_one_translated_line() -> None:
    result = run("scenario", "check")
    assert result.exit_code == 2
    assert "il manque l'argument FILE" in result.output
    assert "Missing argument" not in result.output
