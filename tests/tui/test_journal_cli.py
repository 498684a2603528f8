"""`ens-consent journal export|list`: journals back as CSV rows with fixed columns, one line per
session; a damaged line is skipped and reported, never the end of the export."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from click.testing import CliRunner

from ens_consent_tui.cli import command
from ens_consent_tui.journal import Journal
from ens_consent_tui.journal_cli import EXPORT_COLUMNS

PARIS = timezone(timedelta(hours=1))


def ticking(start: datetime, step: timedelta = timedelta(seconds=2)) -> Iterator[datetime]:
    now = start
    while True:
        yield now
        now += step


def journal_of(directory: Path, start: datetime, account: str) -> Journal:
    """A short session: start, sign-in, a consent decided, close."""
    clock = ticking(start)
    journal = Journal(directory, now=lambda: next(clock))
    journal.write("app_started", lang="fr", server="http://127.0.0.1:8765")
    journal.update(account=account, space="pat-1")
    journal.write("signed_in", space_name="Camille Martin", own_space=True)
    journal.update(scenario="grossesse", step=3)
    journal.write("permission_switched", dialog="consent", service="pesee-claire",
                  permission="measures/body_height/read", value="off")
    journal.write("consent_decided", service="pesee-claire", decision="allow",
                  granted=["measures/body_weight/read"], refused=["measures/body_height/read"],
                  duration="6m", seconds_on_dialog=12.5)
    journal.close()
    return journal


def run(*args: str):
    return CliRunner().invoke(command, list(args))


def rows_of(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


@pytest.fixture
def journals(tmp_path: Path) -> tuple[Journal, Journal]:
    first = journal_of(tmp_path, datetime(2026, 11, 25, 14, 0, tzinfo=PARIS), "camille.martin")
    second = journal_of(tmp_path, datetime(2026, 11, 26, 9, 30, tzinfo=PARIS), "karim.benali")
    return first, second


def test_export_writes_one_row_per_event_with_fixed_columns(journals, tmp_path) -> None:
    first, _ = journals
    result = run("journal", "export", str(tmp_path))
    assert result.exit_code == 0, result.output
    header, *_ = result.stdout.splitlines()
    assert header.split(",") == list(EXPORT_COLUMNS)
    rows = rows_of(result.stdout)
    assert len(rows) == 8
    assert [r["event"] for r in rows[:4]] == ["app_started", "signed_in",
                                             "permission_switched", "consent_decided"]
    started, signed, switched, decided = rows[:4]
    assert started["session"] == first.session and started["seq"] == "1"
    assert started["at"] == "2026-11-25T14:00:02.000+01:00"  # the id took 14:00:00
    assert started["elapsed_s"] == "0.0" and decided["elapsed_s"] == "6.0"
    assert started["account"] == "" and signed["account"] == "camille.martin"
    assert json.loads(started["details"]) == {"lang": "fr", "server": "http://127.0.0.1:8765"}
    assert (switched["service"], switched["permission"], switched["value"]) == (
        "pesee-claire", "measures/body_height/read", "off")
    assert (switched["scenario"], switched["step"]) == ("grossesse", "3")
    assert (decided["decision"], decided["seconds_on_dialog"]) == ("allow", "12.5")
    assert json.loads(decided["details"]) == {
        "granted": ["measures/body_weight/read"], "refused": ["measures/body_height/read"],
        "duration": "6m"}
    assert rows[4]["account"] == "" and rows[5]["account"] == "karim.benali"


def test_a_corrupt_line_is_skipped_and_counted_on_stderr(journals, tmp_path) -> None:
    first, _ = journals
    with first.path.open("a", encoding="utf-8") as damaged:
        damaged.write('{"at": "2026-11-25T14:00:09+01:00", "sess\n')  # cut short by a crash
        damaged.write("[1, 2]\n")
    result = run("journal", "export", str(first.path))
    assert result.exit_code == 0
    assert len(rows_of(result.stdout)) == 4
    assert f"{first.path}:5 : ligne illisible, ignorée." in result.stderr
    assert f"{first.path}:6 : ligne illisible, ignorée." in result.stderr
    assert "2 ligne(s) illisible(s) ignorée(s)." in result.stderr


def test_since_keeps_the_events_of_that_day_and_after(journals, tmp_path) -> None:
    _, second = journals
    result = run("journal", "export", str(tmp_path), "--since", "2026-11-26")
    rows = rows_of(result.stdout)
    assert len(rows) == 4 and {r["session"] for r in rows} == {second.session}
    refused = run("journal", "export", str(tmp_path), "--since", "26/11/2026")
    assert refused.exit_code == 2
    assert "date « 26/11/2026 » invalide (attendu : AAAA-MM-JJ" in refused.output


def test_export_to_a_file_and_list_the_sessions(journals, tmp_path) -> None:
    first, second = journals
    out = tmp_path / "out" / "journal.csv"
    out.parent.mkdir()
    result = run("journal", "export", str(first.path), str(second.path), "-o", str(out))
    assert result.exit_code == 0
    assert f"Export enregistré : {out}" in result.stderr
    assert len(rows_of(out.read_text(encoding="utf-8"))) == 8
    listed = run("--lang", "en", "journal", "list", str(tmp_path))
    assert listed.exit_code == 0
    assert listed.stdout.splitlines() == [
        f"{first.session}  started 2026-11-25 14:00:02  camille.martin  4 event(s)  "
        "scenario(s): grossesse",
        f"{second.session}  started 2026-11-26 09:30:02  karim.benali  4 event(s)  "
        "scenario(s): grossesse"]


def test_a_missing_input_is_one_line(tmp_path) -> None:
    result = run("journal", "export", str(tmp_path / "nope"))
    assert result.exit_code == 2
    assert result.output.strip() == (
        f"ens-consent : « {tmp_path / 'nope'} » n'existe pas (attendu : un dossier de journaux "
        "ou des fichiers .jsonl).")


def test_without_input_the_default_folder_is_read(tmp_path, monkeypatch) -> None:
    import platformdirs

    monkeypatch.setattr(platformdirs, "user_data_path", lambda name: tmp_path / name)
    journal_of(tmp_path / "ens-consent" / "journal", datetime(2026, 11, 25, 14, 0,
                                                              tzinfo=PARIS), "camille.martin")
    result = run("journal", "export")
    assert result.exit_code == 0
    assert len(rows_of(result.stdout)) == 4
