"""`ens-consent journal ...`: read the journey journals back, for the researcher.

`journal export` flattens every event into one CSV row with fixed columns (what a spreadsheet or
a notebook wants); `journal list` shows one line per session. A line that cannot be read is
skipped and reported on stderr with its file and line: one damaged line never costs the rest.
"""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import IO, Any

import click

from ens_consent_tui.i18n import DEFAULT_LANGUAGE, LANGUAGES, Catalogue
from ens_consent_tui.journal import BASE_FIELDS, SUFFIX, default_journal_dir

DETAIL_COLUMNS = ("screen", "service", "permission", "value", "decision", "seconds_on_dialog")
"""Event details common enough to get their own column; the others go to `details`."""
EXPORT_COLUMNS = ("session", "seq", "at", "elapsed_s", "account", "space", "scenario", "step",
                  "event", *DETAIL_COLUMNS, "details")
REQUIRED = ("at", "session", "seq", "event")
_HELP = Catalogue(DEFAULT_LANGUAGE)


# --- reading journals ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Entry:
    """One journal line, read back; `at` parsed."""

    path: Path
    line: int
    at: datetime
    fields: dict[str, Any]


@dataclass(frozen=True)
class Unreadable:
    """A line that is not a journal event (cut short by a crash, edited by hand...)."""

    path: Path
    line: int


@dataclass
class SessionSummary:
    session: str
    path: Path
    start: datetime
    account: str | None = None
    events: int = 0
    scenarios: set[str] = field(default_factory=set)


def journal_files(inputs: Sequence[Path]) -> list[Path]:
    """The journal files named, a folder standing for the `.jsonl` files it holds (by name,
    hence by start time); no input means the default folder."""
    files: list[Path] = []
    for given in inputs or (default_journal_dir(),):
        if given.is_dir():
            files.extend(sorted(given.glob(f"*{SUFFIX}")))
        elif given.exists():
            files.append(given)
    return list(dict.fromkeys(files))


def read_lines(path: Path) -> Iterator[Entry | Unreadable]:
    """Each line of `path` as an entry, or as unreadable."""
    with path.open(encoding="utf-8", errors="replace") as lines:
        for number, text in enumerate(lines, start=1):
            if not text.strip():
                continue
            entry = _parse(path, number, text)
            yield entry if entry is not None else Unreadable(path, number)


def _parse(path: Path, number: int, text: str) -> Entry | None:
    try:
        fields = json.loads(text)
    except ValueError:
        return None
    if not isinstance(fields, dict) or any(k not in fields for k in REQUIRED) \
            or not isinstance(fields["at"], str) or not isinstance(fields["seq"], int):
        return None
    try:
        at = datetime.fromisoformat(fields["at"])
    except ValueError:
        return None
    return Entry(path, number, at, fields)


def export_rows(files: Iterable[Path], since: date | None,
                unreadable: list[Unreadable]) -> Iterator[dict[str, Any]]:
    """One row per event (from `since` on), with the seconds since its session started;
    lines that cannot be read are added to `unreadable`."""
    starts: dict[str, datetime] = {}
    for path in files:
        for item in read_lines(path):
            if isinstance(item, Unreadable):
                unreadable.append(item)
                continue
            start = starts.setdefault(item.fields["session"], item.at)
            if since is not None and item.at.date() < since:
                continue
            yield _row(item, start)


def _row(entry: Entry, start: datetime) -> dict[str, Any]:
    fields = entry.fields
    row = {name: fields.get(name) for name in EXPORT_COLUMNS}
    row["elapsed_s"] = round(_seconds_between(start, entry.at), 3)
    rest = {k: v for k, v in fields.items() if k not in BASE_FIELDS and k not in DETAIL_COLUMNS}
    row["details"] = json.dumps(rest, ensure_ascii=False, separators=(",", ":")) if rest else ""
    return row


def _seconds_between(start: datetime, at: datetime) -> float:
    try:
        return (at - start).total_seconds()
    except TypeError:  # one time with an offset, the other without: compare as written
        return (at.replace(tzinfo=None) - start.replace(tzinfo=None)).total_seconds()


def sessions(files: Iterable[Path], unreadable: list[Unreadable]) -> list[SessionSummary]:
    """One summary per session, in order of start."""
    found: dict[str, SessionSummary] = {}
    for path in files:
        for item in read_lines(path):
            if isinstance(item, Unreadable):
                unreadable.append(item)
                continue
            summary = found.setdefault(item.fields["session"],
                                       SessionSummary(item.fields["session"], path, item.at))
            summary.events += 1
            summary.account = summary.account or item.fields.get("account")
            if item.fields.get("scenario"):
                summary.scenarios.add(str(item.fields["scenario"]))
    return sorted(found.values(), key=lambda s: (s.start.replace(tzinfo=None), s.session))


# --- the commands ------------------------------------------------------------------------------


def _catalogue(ctx: click.Context) -> Catalogue:
    """The language given to `ens-consent --lang ...` before the subcommand."""
    lang = (ctx.find_root().obj or {}).get("lang", DEFAULT_LANGUAGE)
    return Catalogue(lang if lang in LANGUAGES else DEFAULT_LANGUAGE)


def _refuse(message: str) -> click.UsageError:
    error = click.UsageError(message)
    error.translated = True  # type: ignore[attr-defined]
    return error


def _inputs(t: Catalogue, paths: tuple[str, ...]) -> list[Path]:
    missing = [p for p in paths if not Path(p).exists()]
    if missing:
        raise _refuse(t("journal.error.missing", path=missing[0]))
    return journal_files([Path(p) for p in paths])


def _tell_unreadable(t: Catalogue, unreadable: list[Unreadable]) -> None:
    for item in unreadable:
        click.echo(t("journal.unreadable.line", path=item.path, line=item.line), err=True)
    if unreadable:
        click.echo(t("journal.unreadable.count", count=len(unreadable)), err=True)


@click.group(help=_HELP("journal.help"), add_help_option=False)
@click.help_option("-h", "--help", help=_HELP("cli.option.help"))
def journal() -> None:
    pass


@journal.command("export", help=_HELP("journal.export.help"), add_help_option=False)
@click.help_option("-h", "--help", help=_HELP("cli.option.help"))
@click.argument("paths", nargs=-1, metavar="[DIR_OR_FILES]...")
@click.option("-o", "--output", metavar="FILE.csv", default=None,
              help=_HELP("journal.option.output"))
@click.option("--since", metavar="YYYY-MM-DD", default=None, help=_HELP("journal.option.since"))
@click.pass_context
def export(ctx: click.Context, paths: tuple[str, ...], output: str | None,
           since: str | None) -> None:
    t = _catalogue(ctx)
    first_day = _since(t, since)
    files = _inputs(t, paths)
    if not files:
        click.echo(t("journal.none", path=", ".join(paths) or default_journal_dir()), err=True)
    unreadable: list[Unreadable] = []
    rows = export_rows(files, first_day, unreadable)
    if output is None:
        _write_csv(rows, sys.stdout)
    else:
        try:
            with open(output, "w", encoding="utf-8", newline="") as stream:
                _write_csv(rows, stream)
        except OSError as error:
            raise click.ClickException(t("journal.error.output", path=output,
                                         reason=error.strerror or error)) from None
        click.echo(t("journal.export.saved", path=output), err=True)
    _tell_unreadable(t, unreadable)


def _since(t: Catalogue, since: str | None) -> date | None:
    if since is None:
        return None
    try:
        return date.fromisoformat(since)
    except ValueError:
        raise _refuse(t("journal.error.since", value=since)) from None


def _write_csv(rows: Iterable[dict[str, Any]], stream: IO[str]) -> None:
    writer = csv.DictWriter(stream, fieldnames=EXPORT_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: "" if v is None else v for k, v in row.items()})


@journal.command("list", help=_HELP("journal.list.help"), add_help_option=False)
@click.help_option("-h", "--help", help=_HELP("cli.option.help"))
@click.argument("paths", nargs=-1, metavar="[DIR_OR_FILES]...")
@click.pass_context
def list_sessions(ctx: click.Context, paths: tuple[str, ...]) -> None:
    t = _catalogue(ctx)
    files = _inputs(t, paths)
    unreadable: list[Unreadable] = []
    found = sessions(files, unreadable)
    if not found:
        click.echo(t("journal.none", path=", ".join(paths) or default_journal_dir()))
    for summary in found:
        click.echo(t("journal.list.line", session=summary.session,
                     start=summary.start.strftime("%Y-%m-%d %H:%M:%S"),
                     account=summary.account or t("journal.list.no_account"),
                     count=summary.events,
                     scenarios=", ".join(sorted(summary.scenarios)) or "—"))
    _tell_unreadable(t, unreadable)
