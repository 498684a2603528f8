"""`ens-consent scenario run PATH...`: play scenarios headless and say, step by step, what held.

A directory stands for its `*.yaml`. Invalid files are listed with the loader's lines and count
as failures; the others still run. Without `--server`, one embedded server on a fresh temporary
database serves the whole run. `--junit FILE` writes JUnit XML, `--report FILE.md|FILE.html` a
report for people. Exit code: 0 only if every expectation of every scenario held, 1 otherwise,
2 for a usage error.
"""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from ens_consent_tui.i18n import DEFAULT_LANGUAGE, LANGUAGES, Catalogue

if TYPE_CHECKING:
    from ens_consent_tui.scenarios.headless import RunReport, ScenarioResult, StepResult

_HELP = Catalogue(DEFAULT_LANGUAGE)


@click.command("run", help=_HELP("runner.cli.help"), add_help_option=False)
@click.help_option("-h", "--help", help=_HELP("cli.option.help"))
@click.argument("paths", nargs=-1, required=True, metavar="PATH...")
@click.option("--junit", metavar="FILE", default=None, help=_HELP("runner.cli.option.junit"))
@click.option("--report", "report_path", metavar="FILE.md|FILE.html", default=None,
              help=_HELP("runner.cli.option.report"))
@click.option("--server", metavar="URL", default=None, help=_HELP("runner.cli.option.server"))
@click.option("--facilitator-token", metavar="TOKEN", envvar="ENS_FACILITATOR_TOKEN",
              default=None, help=_HELP("runner.cli.option.facilitator_token"))
@click.option("--lang", metavar="fr|en", default=None, help=_HELP("runner.cli.option.lang"))
@click.option("--no-screenshots", is_flag=True, help=_HELP("runner.cli.option.no_screenshots"))
@click.pass_context
def run(ctx: click.Context, paths: tuple[str, ...], junit: str | None,
        report_path: str | None, server: str | None, facilitator_token: str | None,
        lang: str | None, no_screenshots: bool) -> None:
    from ens_consent_tui.scenarios.cli import _server_url, catalogue, usage_error

    t = catalogue(ctx)
    if lang is not None:
        if lang not in LANGUAGES:
            raise usage_error(t("cli.error.lang", value=lang, choices=", ".join(LANGUAGES)))
        t = Catalogue(lang)
    server = server or (ctx.find_root().obj or {}).get("server")
    if server is not None:
        server = _server_url(t, server)
        if not facilitator_token:
            raise usage_error(t("runner.cli.error.token"))
    if report_path is not None and Path(report_path).suffix.lower() not in (".md", ".html"):
        raise usage_error(t("runner.cli.error.report_suffix", path=report_path))
    from ens_consent_tui.scenarios.headless import run_files

    printer = Printer(t)
    if server is None:
        click.echo(t("cli.starting"), err=True)
    report = asyncio.run(run_files(
        paths, server_url=server, facilitator_token=facilitator_token, lang=t.lang,
        screenshots=not no_screenshots and report_path is not None,
        on_step=printer.step, on_scenario_start=printer.start,
        on_scenario_end=printer.end))
    printer.invalid(report)
    _write(t, report, junit, report_path)
    click.echo(printer.summary(report))
    if not report.passed:
        # Not ctx.exit: the root command runs click without standalone mode and would drop it.
        sys.exit(1)


def _write(t: Catalogue, report: RunReport, junit: str | None, report_path: str | None) -> None:
    from ens_consent_tui.scenarios.report import junit_xml, write_report

    for path, write in ((junit, lambda p: p.write_text(junit_xml(report, t), encoding="utf-8")),
                        (report_path, lambda p: write_report(report, p, t))):
        if path is None:
            continue
        try:
            Path(path).parent.mkdir(parents=True, exist_ok=True)
            write(Path(path))
        except OSError as error:
            raise click.ClickException(t("runner.cli.error.write", path=path,
                                         reason=error.strerror)) from None
        click.echo(t("runner.cli.written", path=path))


class Printer:
    """The run told as it goes: each scenario, each step (✓/✗ and a word), what failed."""

    def __init__(self, t: Catalogue) -> None:
        self.t = t
        # Taken now: while an app runs, Textual puts its own object in `sys.stdout`.
        self.out = sys.stdout

    def echo(self, line: str) -> None:
        click.echo(line, file=self.out)

    def start(self, scenario: ScenarioResult) -> None:
        self.echo(self.t("runner.cli.scenario", name=scenario.name, file=scenario.file))

    def step(self, scenario: ScenarioResult, step: StepResult) -> None:
        from ens_consent_tui.scenarios.report import status_words

        t = self.t
        self.echo(t("runner.cli.step", index=step.index, title=step.title,
                     status=status_words(t, step.status), seconds=f"{step.seconds:.2f}"))
        if step.status == "error" and step.reason:
            self.echo(f"      ⚠ {step.reason}")
        for check in step.failures:
            self.echo(f"      ✗ {check.detail}")

    def end(self, scenario: ScenarioResult) -> None:
        from ens_consent_tui.scenarios.report import status_words

        t = self.t
        if scenario.error:
            self.echo(f"    ⚠ {scenario.error}")
        status = "passed" if scenario.passed else "failed"
        self.echo(t("runner.cli.scenario_end", status=status_words(t, status),
                     seconds=f"{scenario.seconds:.1f}"))

    def invalid(self, report: RunReport) -> None:
        for invalid in report.invalid:
            self.echo(self.t("runner.cli.invalid", path=invalid.path))
            for line in invalid.lines:
                self.echo(f"    {line}")

    def summary(self, report: RunReport) -> str:
        from ens_consent_tui.scenarios.report import summary_line

        return summary_line(report, self.t)
