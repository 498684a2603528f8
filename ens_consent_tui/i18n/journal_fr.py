"""Messages en français: journal."""

from __future__ import annotations

MESSAGES: dict[str, str] = {
    # --- the app's options ---
    "cli.option.journal_dir": "Dossier du journal de parcours (un fichier JSON lines par "
                              "session ; par défaut le dossier de données de l'application).",
    "cli.option.no_journal": "Ne pas tenir de journal de parcours pour cette session.",
    "cli.error.journal_both": "--journal-dir et --no-journal se contredisent : gardez l'un des "
                              "deux.",
    # --- in the app ---
    "journal.failed.title": "Journal arrêté",
    "journal.failed": "Le journal de parcours ne peut pas être écrit dans {directory} "
                      "({reason}) : la session continue sans journal.",
    # --- ens-consent journal ---
    "journal.help": "Relire les journaux de parcours (une ligne JSON par action, pour les "
                    "études d'usage).",
    "journal.export.help": "Exporter les évènements en CSV (une ligne par évènement). Sans "
                           "chemin : le dossier du journal par défaut.",
    "journal.list.help": "Lister les sessions : début, compte, nombre d'évènements, scénarios.",
    "journal.option.output": "Fichier CSV à écrire (par défaut la sortie standard).",
    "journal.option.since": "Seulement les évènements de ce jour et des suivants.",
    "journal.error.missing": "« {path} » n'existe pas (attendu : un dossier de journaux ou "
                             "des fichiers .jsonl).",
    "journal.error.since": "date « {value} » invalide (attendu : AAAA-MM-JJ, ex. 2026-11-26).",
    "journal.error.output": "impossible d'écrire {path} : {reason}",
    "journal.none": "Aucun journal dans {path}.",
    "journal.export.saved": "Export enregistré : {path}",
    "journal.unreadable.line": "{path}:{line} : ligne illisible, ignorée.",
    "journal.unreadable.count": "{count} ligne(s) illisible(s) ignorée(s).",
    "journal.list.line": "{session}  début {start}  {account}  {count} évènement(s)  "
                         "scénario(s) : {scenarios}",
    "journal.list.no_account": "(pas de connexion)",
}
