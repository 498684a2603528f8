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
