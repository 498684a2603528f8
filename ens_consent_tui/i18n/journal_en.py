"""English messages: journal."""

from __future__ import annotations

MESSAGES: dict[str, str] = {
    # --- the app's options ---
    "cli.option.journal_dir": "Folder of the journey journal (one JSON lines file per session; "
                              "default: the app's data folder).",
    "cli.option.no_journal": "Keep no journey journal for this session.",
    "cli.error.journal_both": "--journal-dir and --no-journal contradict each other: keep one "
                              "of them.",
    # --- in the app ---
    "journal.failed.title": "Journal stopped",
    "journal.failed": "The journey journal cannot be written in {directory} ({reason}): the "
                      "session goes on without a journal.",
    # --- ens-consent journal ---
    "journal.help": "Read the journey journals back (one JSON line per action, for usability "
                    "research).",
    "journal.export.help": "Export the events as CSV (one row per event). Without a path: the "
                           "default journal folder.",
    "journal.list.help": "List the sessions: start, account, number of events, scenarios.",
    "journal.option.output": "CSV file to write (default: standard output).",
    "journal.option.since": "Only the events of that day and after.",
    "journal.error.missing": "“{path}” does not exist (expected a journal folder or .jsonl "
                             "files).",
    "journal.error.since": "invalid date “{value}” (expected YYYY-MM-DD, e.g. 2026-11-26).",
    "journal.error.output": "cannot write {path}: {reason}",
    "journal.none": "No journal in {path}.",
    "journal.export.saved": "Export saved: {path}",
    "journal.unreadable.line": "{path}:{line}: unreadable line, skipped.",
    "journal.unreadable.count": "{count} unreadable line(s) skipped.",
    "journal.list.line": "{session}  started {start}  {account}  {count} event(s)  "
                         "scenario(s): {scenarios}",
    "journal.list.no_account": "(no sign-in)",
}
