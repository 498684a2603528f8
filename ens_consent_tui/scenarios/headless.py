"""Running scenarios without a person: the real app driven through Textual's pilot against a
platform, every expectation checked, the results gathered for the terminal, JUnit and reports.

Without `server_url`, ONE embedded server on a fresh temporary database serves the whole run;
each scenario (each variant of one) then gets its starting state through the console API
(`setup.prepare`), a new app (`make_app`, in the scenario's language, tokens in memory), the
sign-in of its patient through the login screen, and its steps in order: a marker, the action
(the person's through the screens, the facilitator's through the console), then the
expectations looked at again and again until they all hold or the step's timeout passes.

A step whose expectations do not hold is `failed` and the scenario goes on; a step whose action
cannot be done is `error` and the rest of that scenario is `skipped` (what follows would not
make sense). A scenario that crashes is recorded with the reason; the run goes on.
"""

from __future__ import annotations

import asyncio
import contextlib
import tempfile
import time
import traceback
from collections.abc import Callable, Coroutine, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, TypeVar

from textual.message import Message

from ens_consent_tui.client import ClientError, MemoryTokenStore
from ens_consent_tui.client.console import ConsoleApi
from ens_consent_tui.client.store import StoreApi
from ens_consent_tui.client.transport import Transport
from ens_consent_tui.i18n import DEFAULT_LANGUAGE, Catalogue
from ens_consent_tui.problems import describe
from ens_consent_tui.scenarios import facilitation, setup
from ens_consent_tui.scenarios.actions import Driver, StepCannotRun
from ens_consent_tui.scenarios.checks import AppProbe, CheckResult, all_hold, evaluate, mark
from ens_consent_tui.scenarios.loader import (
    ScenarioError,
    load_scenario,
    problem_line,
    scenario_files,
)
from ens_consent_tui.scenarios.model import Scenario, Step
from ens_consent_tui.scenarios.wording import describe_action, describe_expectation

SCREEN_SIZE = (120, 40)
CHECK_POLLS = (0.005, 0.01, 0.02, 0.05)
"""Seconds between two looks at the expectations of a step: soon at first (a toast, a list
reloaded), then every `CHECK_POLLS[-1]` (each look may ask the platform)."""
StepStatus = Literal["passed", "failed", "skipped", "error"]
T = TypeVar("T")


@dataclass(frozen=True)
class Check:
    """One expectation of a step, described, and what the last look saw."""

    expectation: str
    ok: bool
    detail: str


@dataclass
class StepResult:
    index: int
    """1 for the first step."""
    title: str
    notes: str
    action: str | None
    """The action in words (None: the step only looks)."""
    by_facilitator: bool
    status: StepStatus
    checks: list[Check] = field(default_factory=list)
    reason: str | None = None
    """Why the step was not done (error) or skipped."""
    done: str | None = None
    """What the facilitator's action did, in one line."""
    seconds: float = 0.0
    screenshot: str | None = None
    """The screen at the end of the step, as SVG text."""

    @property
    def failures(self) -> list[Check]:
        return [check for check in self.checks if not check.ok]


@dataclass
class ScenarioResult:
    title: str
    variant: str | None
    file: str
    description: str = ""
    steps: list[StepResult] = field(default_factory=list)
    error: str | None = None
    """Why the scenario could not start or went no further (setup, sign-in, crash)."""
    seconds: float = 0.0

    @property
    def name(self) -> str:
        return f"{self.title} [{self.variant}]" if self.variant else self.title

    @property
    def passed(self) -> bool:
        return self.error is None and all(step.status == "passed" for step in self.steps)

    def count(self, status: StepStatus) -> int:
        return sum(step.status == status for step in self.steps)


@dataclass(frozen=True)
class InvalidFile:
    """A file that could not be run: each line says where and what is wrong."""

    path: str
    lines: tuple[str, ...]


@dataclass
class RunReport:
    scenarios: list[ScenarioResult] = field(default_factory=list)
    invalid: list[InvalidFile] = field(default_factory=list)
    server_seconds: float = 0.0
    """Starting the embedded server (0 with a shared one)."""
    seconds: float = 0.0
    lang: str = DEFAULT_LANGUAGE

    @property
    def passed(self) -> bool:
        """Every file valid, every expectation of every scenario held."""
        return not self.invalid and all(s.passed for s in self.scenarios)


StepCallback = Callable[[ScenarioResult, StepResult], None]
ScenarioCallback = Callable[[ScenarioResult], None]


class _Probe(AppProbe):
    """The app as the checks see it, with the results worded in the run's language (the app
    speaks the scenario's)."""

    def __init__(self, app: Any, catalogue: Catalogue) -> None:
        super().__init__(app)
        self._catalogue = catalogue

    @property
    def catalogue(self) -> Catalogue:
        return self._catalogue


@dataclass
class _Run:
    """What every scenario of one run shares."""

    url: str
    token: str
    console: ConsoleApi
    t: Catalogue
    names: dict[str, str]
    screenshots: bool
    on_step: StepCallback | None
    on_scenario_start: ScenarioCallback | None
    on_scenario_end: ScenarioCallback | None


async def run_files(paths: Sequence[str | Path], *, server_url: str | None = None,
                    facilitator_token: str | None = None, lang: str = DEFAULT_LANGUAGE,
                    screenshots: bool = True, on_step: StepCallback | None = None,
                    on_scenario_start: ScenarioCallback | None = None,
                    on_scenario_end: ScenarioCallback | None = None) -> RunReport:
    """Run every scenario of `paths` (files or folders); invalid files are reported and the
    others still run. With `server_url`, `facilitator_token` is that server's console token."""
    started = time.perf_counter()
    t = Catalogue(lang)
    report = RunReport(lang=lang)
    scenarios = _load(paths, lang, report)
    if server_url is not None:
        await _run_on(server_url, facilitator_token or "", scenarios, report, t, screenshots,
                      on_step, on_scenario_start, on_scenario_end)
    else:
        from ens_consent_tui.launcher import EmbeddedServer

        with tempfile.TemporaryDirectory(prefix="ens-scenario-run-") as folder:
            server = EmbeddedServer(database_url=f"sqlite:///{Path(folder) / 'run.db'}",
                                    fresh=True)
            before = time.perf_counter()
            await asyncio.to_thread(server.start)
            report.server_seconds = time.perf_counter() - before
            try:
                await _run_on(server.url, server.facilitator_token, scenarios, report, t,
                              screenshots, on_step, on_scenario_start, on_scenario_end)
            finally:
                await asyncio.to_thread(server.stop)
    report.seconds = time.perf_counter() - started
    return report


def _load(paths: Sequence[str | Path], lang: str, report: RunReport
          ) -> list[tuple[str, Scenario]]:
    loaded = []
    for path in scenario_files(paths):
        try:
            loaded.append((str(path), load_scenario(path, lang)))
        except ScenarioError as error:
            report.invalid.append(InvalidFile(str(path), tuple(error.lines())))
    return loaded


async def _run_on(url: str, token: str, scenarios: list[tuple[str, Scenario]],
                  report: RunReport, t: Catalogue, screenshots: bool,
                  on_step: StepCallback | None, on_scenario_start: ScenarioCallback | None,
                  on_scenario_end: ScenarioCallback | None) -> None:
    if not scenarios:
        return
    async with ConsoleApi(url, token) as console:
        try:
            names = await _service_names(url)
            runnable = await _check_names(url, token, scenarios, report, t)
        except ClientError as error:
            report.invalid.extend(InvalidFile(path, (_client_error(t, error),))
                                  for path, _ in scenarios)
            return
        run = _Run(url, token, console, t, names, screenshots, on_step, on_scenario_start,
                   on_scenario_end)
        for path, scenario in runnable:
            for variant in scenario.variants():
                report.scenarios.append(await run_scenario(run, path, variant))


async def _service_names(url: str) -> dict[str, str]:
    transport = Transport(url)
    try:
        return {s.id: s.name for s in (await StoreApi(transport).services()).services}
    finally:
        await transport.aclose()


async def _check_names(url: str, token: str, scenarios: list[tuple[str, Scenario]],
                       report: RunReport, t: Catalogue) -> list[tuple[str, Scenario]]:
    """The scenarios whose services and accounts the platform knows; the others are invalid."""
    from ens_consent_tui.scenarios.names import check_names, fetch_known_names

    known = await fetch_known_names(url, token)
    runnable = []
    for path, scenario in scenarios:
        problems = await check_names(scenario, known, t.lang)
        if problems:
            report.invalid.append(InvalidFile(path, tuple(problem_line(path, p, t)
                                                          for p in problems)))
        else:
            runnable.append((path, scenario))
    return runnable


def _client_error(t: Catalogue, error: ClientError) -> str:
    title, message = describe(t, error)
    return t("runner.error.platform", title=title, message=message)


# --- one scenario ------------------------------------------------------------------------------


async def run_scenario(run: _Run, path: str, scenario: Scenario) -> ScenarioResult:
    """One variant of one scenario, from its starting state to its last step; never raises."""
    result = ScenarioResult(scenario.title, scenario.variant, path, scenario.description)
    if run.on_scenario_start:
        run.on_scenario_start(result)
    started = time.perf_counter()
    try:
        await _play(run, scenario, result)
    except Exception as error:  # one scenario's crash never stops the run
        result.error = run.t("runner.error.crash", error=_last_line(error))
        _skip_rest(run, scenario, result, result.error)
    with contextlib.suppress(ClientError):  # the next scenario prepares its own space anyway
        await setup.release(run.console, scenario.start)
    result.seconds = time.perf_counter() - started
    if run.on_scenario_end:
        run.on_scenario_end(result)
    return result


def _last_line(error: BaseException) -> str:
    return traceback.format_exception_only(error)[-1].strip()


async def _play(run: _Run, scenario: Scenario, result: ScenarioResult) -> None:
    from ens_consent_tui.app import make_app

    t = run.t
    try:
        prepared = await setup.prepare(run.console, scenario.start)
    except ClientError as error:
        result.error = t("runner.error.setup", reason=_client_error(t, error))
        _skip_rest(run, scenario, result, result.error)
        return
    messages: list[Message] = []
    app = make_app(run.url, lang=scenario.lang, token_store=MemoryTokenStore())
    async with app.run_test(size=SCREEN_SIZE, message_hook=messages.append) as pilot:
        probe = _Probe(app, t)
        driver = Driver(pilot, messages, names=run.names, catalogue=t)
        try:
            await driver.sign_in(scenario.start.patient, scenario.start.for_)
        except StepCannotRun as cannot:
            result.error = t("runner.error.sign_in", patient=scenario.start.patient,
                             reason=cannot.reason)
            _skip_rest(run, scenario, result, result.error)
            return
        for step in scenario.steps:
            step_result = await _step(run, len(result.steps) + 1, step, driver, probe,
                                      prepared.patient_id)
            _record(run, result, step_result)
            if step_result.status == "error":
                _skip_rest(run, scenario, result,
                           t("runner.skipped.after", index=step_result.index))
                return


def _record(run: _Run, result: ScenarioResult, step: StepResult) -> None:
    result.steps.append(step)
    if run.on_step:
        run.on_step(result, step)


def _skip_rest(run: _Run, scenario: Scenario, result: ScenarioResult, reason: str) -> None:
    for step in scenario.steps[len(result.steps):]:
        _record(run, result, _described(run, len(result.steps) + 1, step, "skipped",
                                        reason=reason))


def _described(run: _Run, index: int, step: Step, status: StepStatus, **values: Any
               ) -> StepResult:
    t, names = run.t, run.names
    return StepResult(index=index, title=step.title, notes=step.notes,
                      action=describe_action(step.do, t, names) if step.do else None,
                      by_facilitator=bool(step.do and step.do.by_facilitator), status=status,
                      **values)


async def _step(run: _Run, index: int, step: Step, driver: Driver, probe: _Probe,
                patient_id: str) -> StepResult:
    started = time.perf_counter()
    marker = await mark(probe)
    done: str | None = None
    try:
        if step.do is not None and step.do.by_facilitator:
            done = _between_two_looks(_facilitate(run, step.do, patient_id))
        elif step.do is not None:
            await driver.perform(step.do)
    except (StepCannotRun, ClientError) as error:
        reason = error.reason if isinstance(error, StepCannotRun) else \
            _client_error(run.t, error)
        return _finished(run, index, step, "error", started, driver, reason=reason)
    results = await _look(driver, probe, step, marker)
    status: StepStatus = "passed" if all_hold(results) else "failed"
    checks = [Check(describe_expectation(r.expectation, run.t, run.names), r.ok, r.detail)
              for r in results]
    return _finished(run, index, step, status, started, driver, checks=checks, done=done)


def _between_two_looks(work: Coroutine[Any, Any, T]) -> T:
    """Run `work` to its end while the app waits.

    A clock jump moves the simulated clock step by step, running each service action at its
    own time: a month passes in a second. An app looking meanwhile sees tokens of one simulated
    hour expire between a refresh and the next request, and a state that is neither the one
    before nor the one after. The facilitator's action is therefore run on a loop of its own,
    in another thread, while the app's loop (this one) waits: the app sees the platform before
    and after the action, as the step's expectations do, and the run stays deterministic."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, work).result()


async def _facilitate(run: _Run, action: Any, patient_id: str) -> str:
    async with ConsoleApi(run.url, run.token) as console:
        return await facilitation.perform(action, console, patient_id, t=run.t,
                                          names=run.names)


async def _look(driver: Driver, probe: _Probe, step: Step, marker: Any) -> list[CheckResult]:
    """The expectations looked at until they all hold, or the step's timeout has passed."""
    deadline = time.monotonic() + step.timeout
    looks = 0
    while True:
        results = await evaluate(probe, step.expect, marker)
        if all_hold(results) or time.monotonic() >= deadline:
            return results
        await asyncio.sleep(CHECK_POLLS[min(looks, len(CHECK_POLLS) - 1)])
        looks += 1


def _finished(run: _Run, index: int, step: Step, status: StepStatus, started: float,
              driver: Driver, **values: Any) -> StepResult:
    shot = None
    if run.screenshots and (step.expect or status == "error"):
        shot = driver.app.export_screenshot(title=step.title)
    return _described(run, index, step, status, seconds=time.perf_counter() - started,
                      screenshot=shot, **values)
