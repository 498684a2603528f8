"""`ens-consent scenario ...`: check scenario files, print their JSON Schema.

`check` reads each file (structure, with file and line for every fault), then compares the
names it uses with a platform: a shared one (`--server`, the facilitator token to list accounts)
or, by default, an embedded server on a fresh temporary database, so a check never depends on
what a previous workshop left behind. `--offline` checks the structure only. The exit code is 0
only when every file is valid; 2 for a usage error.

The group is meant to grow: another command joins it with `scenario.add_command(...)`.
"""

from __future__ import annotations

import asyncio
import json
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import click

from ens_consent_tui.i18n import DEFAULT_LANGUAGE, LANGUAGES, Catalogue
from ens_consent_tui.scenarios.loader import (
    Problem,
    ScenarioError,
    load_scenario,
    problem_line,
    scenario_files,
)
from ens_consent_tui.scenarios.model import Scenario
from ens_consent_tui.scenarios.run_cli import run

if TYPE_CHECKING:
    from ens_consent_tui.scenarios.names import KnownNames

_HELP = Catalogue(DEFAULT_LANGUAGE)
SCHEMA_URI = "https://json-schema.org/draft/2020-12/schema"


def catalogue(ctx: click.Context) -> Catalogue:
    """The language given to `ens-consent --lang ...` before the subcommand."""
    lang = (ctx.find_root().obj or {}).get("lang", DEFAULT_LANGUAGE)
    if lang not in LANGUAGES:
        raise usage_error(Catalogue(DEFAULT_LANGUAGE)("cli.error.lang", value=lang,
                                                      choices=", ".join(LANGUAGES)))
    return Catalogue(lang)


def usage_error(message: str) -> click.UsageError:
    """A usage error the root command prints as it is (already in words; exit code 2)."""
    error = click.UsageError(message)
    error.translated = True  # type: ignore[attr-defined]
    return error


@click.group(help=_HELP("scenario.cli.help"), add_help_option=False)
@click.help_option("-h", "--help", help=_HELP("cli.option.help"))
def scenario() -> None:
    """`ens-consent scenario`: the commands on scenario files."""


# --- check -------------------------------------------------------------------------------------


@dataclass
class FileResult:
    """One file checked: the scenario when its structure is sound, and every problem found."""

    path: str
    scenario: Scenario | None = None
    problems: list[Problem] = field(default_factory=list)


@scenario.command("check", help=_HELP("scenario.cli.check.help"), add_help_option=False)
@click.help_option("-h", "--help", help=_HELP("cli.option.help"))
@click.argument("files", nargs=-1, required=True, metavar="FILE...")
@click.option("--server", metavar="URL", default=None, help=_HELP("scenario.cli.option.server"))
@click.option("--facilitator-token", metavar="TOKEN", envvar="ENS_FACILITATOR_TOKEN",
              default=None, help=_HELP("scenario.cli.option.facilitator_token"))
@click.option("--offline", is_flag=True, help=_HELP("scenario.cli.option.offline"))
@click.pass_context
def check(ctx: click.Context, files: tuple[str, ...], server: str | None,
          facilitator_token: str | None, offline: bool) -> None:
    t = catalogue(ctx)
    server = server or (ctx.find_root().obj or {}).get("server")
    if offline and server:
        raise usage_error(t("scenario.cli.error.offline_server"))
    if server:
        server = _server_url(t, server)
    lang = t.lang
    results = [_read(path, lang) for path in scenario_files(files)]
    sound = [result for result in results if result.scenario is not None]
    note = None
    if not offline and sound:
        note = _check_names(t, sound, server, facilitator_token)
    for result in results:
        _print(t, result)
    valid = sum(1 for result in results if not result.problems)
    click.echo(t("scenario.cli.summary", valid=valid, invalid=len(results) - valid))
    if note:
        click.echo(note)
    if valid != len(results):
        # Not ctx.exit: the root command runs click without standalone mode and would drop it.
        sys.exit(1)


def _server_url(t: Catalogue, value: str) -> str:
    parts = urlsplit(value.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise usage_error(t("cli.error.server_url", value=value))
    return value.strip().rstrip("/")


def _read(path: str, lang: str) -> FileResult:
    try:
        return FileResult(path, scenario=load_scenario(path, lang))
    except ScenarioError as error:
        return FileResult(path, problems=error.problems)


def _print(t: Catalogue, result: FileResult) -> None:
    if result.problems:
        click.echo(t("scenario.cli.invalid", path=result.path, count=len(result.problems)))
        for problem in result.problems:
            click.echo(f"    {problem_line(result.path, problem, t)}")
        return
    assert result.scenario is not None
    details = [t("scenario.cli.steps", count=len(result.scenario.steps))]
    variants = len(result.scenario.variants())
    if variants > 1:
        details.append(t("scenario.cli.variants", count=variants))
    click.echo(t("scenario.cli.valid", path=result.path, title=result.scenario.title,
                 details=", ".join(details)))


def _check_names(t: Catalogue, results: list[FileResult], server: str | None,
                 token: str | None) -> str | None:
    """Adds the name problems of each sound file; the returned note says what was not checked
    (accounts without a facilitator token)."""
    from ens_consent_tui.client.errors import ClientError

    try:
        known = (asyncio.run(_fetch(server, token)) if server is not None
                 else _fetch_embedded(t))
    except ClientError as error:
        raise click.ClickException(_platform_error(t, error)) from None
    from ens_consent_tui.scenarios.names import check_names

    for result in results:
        assert result.scenario is not None
        result.problems += asyncio.run(check_names(result.scenario, known, t.lang))
    return t("scenario.cli.accounts_unchecked") if known.accounts is None else None


async def _fetch(url: str, token: str | None) -> KnownNames:
    from ens_consent_tui.scenarios.names import fetch_known_names

    return await fetch_known_names(url, token)


def _fetch_embedded(t: Catalogue) -> KnownNames:
    from ens_consent_tui.launcher import EmbeddedServer, EmbeddedServerError

    click.echo(t("cli.starting"), err=True)
    with tempfile.TemporaryDirectory(prefix="ens-scenario-check-") as folder:
        embedded = EmbeddedServer(database_url=f"sqlite:///{Path(folder) / 'check.db'}",
                                  fresh=True)
        try:
            with embedded as url:
                return asyncio.run(_fetch(url, embedded.facilitator_token))
        except EmbeddedServerError as error:
            raise click.ClickException(t("cli.error.server_start", reason=error)) from None


def _platform_error(t: Catalogue, error: Exception) -> str:
    from ens_consent_tui.client.errors import Forbidden, SessionExpired
    from ens_consent_tui.problems import describe

    if isinstance(error, SessionExpired | Forbidden):
        return t("scenario.cli.error.token")
    title, message = describe(t, error)  # type: ignore[arg-type]
    return t("scenario.cli.error.platform", title=title, message=message)


# --- schema ------------------------------------------------------------------------------------


def schema_text() -> str:
    """The JSON Schema of the format, as `scenarios/scenario.schema.json` holds it."""
    schema = {"$schema": SCHEMA_URI, **Scenario.model_json_schema(by_alias=True)}
    schema["title"] = "Scénario ENS consent (format 1)"
    return json.dumps(schema, ensure_ascii=False, indent=2) + "\n"


@scenario.command("schema", help=_HELP("scenario.cli.schema.help"), add_help_option=False)
@click.help_option("-h", "--help", help=_HELP("cli.option.help"))
@click.option("-o", "--output", metavar="FILE", default=None,
              help=_HELP("scenario.cli.option.output"))
@click.pass_context
def schema(ctx: click.Context, output: str | None) -> None:
    t = catalogue(ctx)
    text = schema_text()
    if output is None:
        click.echo(text, nl=False)
        return
    try:
        Path(output).write_text(text, encoding="utf-8")
    except OSError as error:
        raise click.ClickException(t("scenario.cli.error.write", path=output,
                                     reason=error.strerror)) from None
    click.echo(t("scenario.cli.schema.written", path=output), err=True)


scenario.add_command(run)
