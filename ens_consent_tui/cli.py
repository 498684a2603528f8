"""`ens-consent`: open the patient app, on the embedded server or on a shared one; its
subcommands (`scenario ...`, `journal ...`) are imported only when named, so opening the app
pays nothing for them.

Every bad argument gets one line saying what is wrong, never a traceback.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import click

from ens_consent_tui.client import KeyringTokenStore, MemoryTokenStore, TokenStore, keyring_usable
from ens_consent_tui.i18n import DEFAULT_LANGUAGE, LANGUAGES, Catalogue

if TYPE_CHECKING:
    from ens_consent_tui.journal import Journal
    from ens_consent_tui.scenarios.model import Scenario

TOKEN_STORES = ("keyring", "memory")
_HELP = Catalogue(DEFAULT_LANGUAGE)
"""Help texts are French: the language option is not parsed yet when they are shown."""


SUBCOMMANDS: dict[str, str] = {
    "scenario": "ens_consent_tui.scenarios.cli:scenario",
    "journal": "ens_consent_tui.journal_cli:journal",
}
"""Subcommand name → `module:attribute` of its click command, imported on use."""


class OneLineErrors(click.Group):
    """The app's command: usage errors are one translated line on stderr (exit code 2), and
    the subcommands of `SUBCOMMANDS` are imported when named."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx),
                       *(name for name, target in SUBCOMMANDS.items()
                         if importlib.util.find_spec(target.partition(":")[0]))})

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name in SUBCOMMANDS and name not in self.commands:
            module, _, attribute = SUBCOMMANDS[name].partition(":")
            self.add_command(getattr(importlib.import_module(module), attribute), name)
        return super().get_command(ctx, name)

    def main(self, args: Sequence[str] | None = None, *extra: Any, **kwargs: Any) -> Any:
        argv = list(sys.argv[1:] if args is None else args)
        t = Catalogue(_language_in(argv))
        kwargs["standalone_mode"] = False
        try:
            return super().main(argv, *extra, **kwargs)
        except click.exceptions.Abort:
            sys.exit(130)
        except click.ClickException as error:
            click.echo(t("cli.error.prefix", message=_message(t, error)), err=True)
            sys.exit(error.exit_code)


def _language_in(argv: list[str]) -> str:
    """The `--lang` value if one was given and known, to word errors before parsing ends."""
    for index, arg in enumerate(argv):
        value = arg.partition("=")[2] if arg.startswith("--lang=") else (
            argv[index + 1] if arg == "--lang" and index + 1 < len(argv) else None)
        if value in LANGUAGES:
            return value
    return DEFAULT_LANGUAGE


def _message(t: Catalogue, error: click.ClickException) -> str:
    if isinstance(error, click.NoSuchOption):
        return t("cli.error.no_such_option", option=error.option_name)
    if isinstance(error, click.BadOptionUsage):
        return t("cli.error.missing_value", option=error.option_name)
    if isinstance(error, click.MissingParameter) and error.param is not None:
        return t("cli.error.missing_argument",
                 name=error.param.human_readable_name.strip("."))
    if isinstance(error, click.UsageError) and not getattr(error, "translated", False):
        return t("cli.error.usage", message=error.format_message())
    return error.format_message()


def _refuse(message: str) -> click.UsageError:
    error = click.UsageError(message)
    error.translated = True  # type: ignore[attr-defined]
    return error


def _server_url(t: Catalogue, value: str) -> str:
    parts = urlsplit(value.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise _refuse(t("cli.error.server_url", value=value))
    try:
        parts.port  # noqa: B018 - raises ValueError on a bad port
    except ValueError:
        raise _refuse(t("cli.error.server_url", value=value)) from None
    return value.strip().rstrip("/")


def token_store_for(t: Catalogue, name: str) -> TokenStore:
    """The chosen store; the OS keyring only if one really exists (never a plaintext file)."""
    if name == "memory":
        return MemoryTokenStore()
    if not keyring_usable():
        raise click.ClickException(t("cli.error.no_keyring"))
    return KeyringTokenStore()


@click.group(cls=OneLineErrors, help=_HELP("cli.help"), add_help_option=False,
             invoke_without_command=True)
@click.pass_context
@click.help_option("-h", "--help", help=_HELP("cli.option.help"))
@click.option("--server", metavar="URL", default=None, help=_HELP("cli.option.server"))
@click.option("--lang", metavar="fr|en", default=DEFAULT_LANGUAGE, help=_HELP("cli.option.lang"))
@click.option("--token-store", metavar="keyring|memory", default="keyring",
              help=_HELP("cli.option.token_store"))
@click.option("--fresh", is_flag=True, help=_HELP("cli.option.fresh"))
@click.option("--database-url", metavar="URL", default=None,
              help=_HELP("cli.option.database_url"))
@click.option("--journal-dir", metavar="DIR", default=None, help=_HELP("cli.option.journal_dir"))
@click.option("--no-journal", is_flag=True, help=_HELP("cli.option.no_journal"))
@click.option("--scenario", "scenario_path", metavar="FILE", default=None,
              help=_HELP("cli.option.scenario"))
@click.option("--facilitator-token", metavar="TOKEN", default=None,
              envvar="ENS_FACILITATOR_TOKEN", show_envvar=True,
              help=_HELP("cli.option.facilitator_token"))
def command(ctx: click.Context, server: str | None, lang: str, token_store: str, fresh: bool,
            database_url: str | None, journal_dir: str | None, no_journal: bool,
            scenario_path: str | None, facilitator_token: str | None) -> None:
    if ctx.invoked_subcommand is not None:
        ctx.obj = {"server": server, "lang": lang, "token_store": token_store}
        return
    t = Catalogue(lang if lang in LANGUAGES else DEFAULT_LANGUAGE)
    if lang not in LANGUAGES:
        raise _refuse(t("cli.error.lang", value=lang, choices=", ".join(LANGUAGES)))
    if token_store not in TOKEN_STORES:
        raise _refuse(t("cli.error.token_store", value=token_store))
    if server is not None:
        for option, given in (("--fresh", fresh), ("--database-url", database_url)):
            if given:
                raise _refuse(t("cli.error.embedded_only", option=option))
        server = _server_url(t, server)
    if no_journal and journal_dir is not None:
        raise _refuse(t("cli.error.journal_both"))
    scenario = _scenario(t, scenario_path) if scenario_path is not None else None
    scenario_id = Path(scenario_path).stem if scenario_path is not None else None
    store = token_store_for(t, token_store)
    journal = None if no_journal else _journal(journal_dir)
    if server is not None:
        _run(server, lang, store, journal=journal, scenario=scenario,
             facilitator_token=facilitator_token, scenario_id=scenario_id)
        return
    from ens_consent_tui.launcher import EmbeddedServer, EmbeddedServerError

    click.echo(t("cli.starting"), err=True)
    embedded = EmbeddedServer(database_url=database_url, fresh=fresh)
    try:
        with embedded as url:
            # The embedded server knows only the token it was started with.
            _run(url, lang, store, journal=journal, scenario=scenario,
                 facilitator_token=embedded.facilitator_token, scenario_id=scenario_id)
    except EmbeddedServerError as error:
        raise click.ClickException(t("cli.error.server_start", reason=error)) from None


def _scenario(t: Catalogue, path: str) -> Scenario:
    """The scenario to guide; a faulty file is told line by line (exit code 2) before the
    app or the embedded server starts."""
    from ens_consent_tui.scenarios.loader import ScenarioError, load_scenario

    try:
        return load_scenario(path, t.lang)
    except ScenarioError as error:
        for line in error.lines(t):
            click.echo(line, err=True)
        sys.exit(2)


def _journal(directory: str | None) -> Journal:
    from ens_consent_tui.journal import Journal, default_journal_dir

    return Journal(Path(directory) if directory is not None else default_journal_dir())


def _run(url: str, lang: str, store: TokenStore, *, journal: Journal | None,
         scenario: Scenario | None, facilitator_token: str | None,
         scenario_id: str | None = None) -> None:
    from ens_consent_tui.app import make_app

    make_app(url, lang=lang, token_store=store, journal=journal, scenario=scenario,
             facilitator_token=facilitator_token, scenario_id=scenario_id).run()


def main() -> None:
    """Console script entry point; a subcommand's exit code is the process's."""
    raise SystemExit(command.main(prog_name="ens-consent"))
