"""Guided mode, the app's side: a scenario shown step by step beside the screens, for a workshop
or a demo (`ens-consent --scenario FILE`).

The state lives in `scenarios.guide.Guide`; this drives it from the app: it prepares the start
after sign-in (when the app holds a facilitator token), takes each step's marker, checks the
step's expectations in a worker on every live event batch and every `CHECK_SECONDS`, runs the
facilitator's action through the console on request, and writes step changes and check results
to the journey journal. The panels (`widgets.guide_panel`) redraw when `app.guide_revision`
moves. Imported only when the app guides a scenario.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from functools import partial
from typing import TYPE_CHECKING, Any

from ens_consent_tui.client import ClientError
from ens_consent_tui.scenarios.checks import AppProbe, evaluate, mark
from ens_consent_tui.scenarios.guide import Guide
from ens_consent_tui.widgets.guide_panel import GuidePanel

if TYPE_CHECKING:
    from textual.geometry import Region
    from textual.timer import Timer
    from textual.worker import Worker

    from ens_consent_tui.app import EnsConsentApp
    from ens_consent_tui.client.console import ConsoleApi
    from ens_consent_tui.client.session import Session
    from ens_consent_tui.scenarios.checks import CheckResult
    from ens_consent_tui.scenarios.model import Scenario

CHECK_SECONDS = 1.0
"""How often the live check looks again when no event came."""


class GuidedProbe(AppProbe):
    """What the checks read of the app, without the guide's own panel: the panel names the texts
    the step expects, and must not make `text` hold (nor `no_text` fail) by itself."""

    def hidden_regions(self) -> list[Region]:
        app = self.app
        return [panel.region for screen in [*app._background_screens, app.screen]
                for panel in screen.query(GuidePanel) if panel.display]


class GuidedMode:
    """One scenario guided in one app (see the module docstring)."""

    def __init__(self, app: EnsConsentApp, scenario: Scenario, *,
                 facilitator_token: str | None, scenario_id: str | None = None) -> None:
        self.app = app
        # A file listing several granularities is guided with the first (the headless runner
        # plays them all).
        self.guide = Guide(scenario.variants()[0], scenario_id or "")
        self.facilitator_token = facilitator_token or None
        if self.facilitator_token is None:
            self.guide.preparation = "manual"
        self.account: str | None = None
        """Who the start was prepared for (the person signed in)."""
        self.action_running = False
        self.probe: GuidedProbe | None = None
        self._console: ConsoleApi | None = None
        self._timer: Timer | None = None
        self._check_worker: Worker[None] | None = None

    @property
    def console(self) -> ConsoleApi:
        """The platform's console, as the facilitator (only with a token)."""
        if self._console is None:
            from ens_consent_tui.client.console import ConsoleApi

            assert self.facilitator_token is not None
            self._console = ConsoleApi(self.app.client.base_url, self.facilitator_token)
        return self._console

    # --- the app's life -------------------------------------------------------------------

    def mounted(self) -> None:
        """The app is running: toasts are recorded from now on, step 1 is shown."""
        self.probe = GuidedProbe(self.app)
        self._step_shown()
        self._timer = self.app.set_interval(CHECK_SECONDS, self.check, pause=True)

    async def unmounted(self) -> None:
        if self._console is not None:
            await self._console.aclose()

    def signed_in(self, previous: Session | None, session: Session) -> None:
        """The first sign-in prepares the start (with a token) and starts the checks."""
        if previous is not None:
            return
        if self.guide.preparation == "waiting":
            self.account = session.username
            self.guide.preparation = "running"  # no check before the start is ready
            self._changed()
            self._work(partial(self._prepare, session), "guide-prepare")
        else:
            self.check()
        if self._timer is not None:
            self._timer.resume()

    def signed_out(self) -> None:
        if self._timer is not None:
            self._timer.pause()

    # --- preparing the start --------------------------------------------------------------

    async def _prepare(self, session: Session) -> None:
        """Reset the signed-in person's space to the scenario's start: only theirs, so that
        participants sharing a server each play in their own space."""
        from ens_consent_tui.scenarios.setup import prepare

        t, guide = self.app.i18n, self.guide
        start = guide.scenario.start.model_copy(update={"patient": session.username})
        try:
            await prepare(self.console, start)
        except ClientError as error:
            guide.preparation = "failed"
            guide.preparation_report = error.reason or type(error).__name__
            self.app.notify(t("guide.start.failed", reason=guide.preparation_report),
                            title=t("guide.prepare_failed.title"), severity="error", timeout=15)
        else:
            guide.preparation = "done"
            self.app.notify(t("guide.prepared", account=session.username),
                            title=t("guide.prepared.title"))
        self.app.journey.record("scenario_prepared", ok=guide.preparation == "done",
                                reason=guide.preparation_report)
        self._changed()
        self.check()

    # --- moving between steps -------------------------------------------------------------

    def move(self, delta: int) -> None:
        if self.guide.move(delta):
            self._step_shown()
            self.app.refresh_bindings()
            self.check()

    def show_step(self, number: int) -> None:
        """Show step `number` (from 1), e.g. the one a headless run is playing."""
        self.move(number - self.guide.number)

    def _step_shown(self) -> None:
        guide = self.guide
        self.app.journey.update(scenario=guide.scenario_id, step=guide.number)
        self.app.journey.record("scenario_step", what="shown", title=guide.step.title,
                                total=guide.total, variant=guide.scenario.variant)
        self._changed()

    # --- the live check -------------------------------------------------------------------

    def check(self) -> None:
        """Look again at the step's expectations, in a worker (one look at a time)."""
        running = self._check_worker is not None and not self._check_worker.is_finished
        if running or self.probe is None or self.app.session is None \
                or self.guide.preparation == "running":
            return
        self._check_worker = self._work(partial(self._check, self.guide.index), "guide-check")

    async def _check(self, index: int) -> None:
        await self._mark(index)
        step = self.guide.scenario.steps[index]
        marker = self.guide.progress[index].marker
        if step.expect and marker is not None and self.probe is not None:
            self._results(index, await evaluate(self.probe, step.expect, marker))

    async def _mark(self, index: int) -> None:
        """The step's exchanges and toasts count from its first look (or its action)."""
        if self.guide.progress[index].marker is None and self.probe is not None:
            self.guide.marked(index, await mark(self.probe))

    def _results(self, index: int, results: list[CheckResult]) -> None:
        guide = self.guide
        before = [r.ok for r in guide.progress[index].results]
        passed_now = guide.checked(index, results)
        journey = self.app.journey
        for position, result in enumerate(results):
            if position >= len(before) or before[position] != result.ok:
                journey.record("scenario_check", checked_step=index + 1,
                               expectation=result.expectation.kind, ok=result.ok,
                               detail=result.detail)
        if passed_now:
            journey.record("scenario_step", what="passed", checked_step=index + 1,
                           title=guide.scenario.steps[index].title)
        self._changed()

    # --- the facilitator's action ---------------------------------------------------------

    def run_action(self) -> None:
        """Run the step's facilitator action through the console; refused, in words, without
        a facilitator token or before sign-in."""
        guide, t = self.guide, self.app.i18n
        if not guide.by_facilitator or self.action_running:
            return
        if self.facilitator_token is None:
            self.app.notify(t("guide.run.refused"), title=t("guide.run.refused.title"),
                            severity="warning", timeout=10)
            return
        session = self.app.session
        if session is None:
            self.app.notify(t("guide.run.signed_out"), title=t("guide.run.refused.title"),
                            severity="warning")
            return
        self.action_running = True
        self._changed()
        self._work(partial(self._perform, guide.index, session.username), "guide-action")

    async def _perform(self, index: int, account: str) -> None:
        from ens_consent_tui.scenarios.facilitation import perform

        t = self.app.i18n
        action: Any = self.guide.scenario.steps[index].do
        try:
            await self._mark(index)  # what the action causes counts for this step
            done = await perform(action, self.console, account, t=t, names=self.guide.names)
            report = t("guide.run.done", report=done)
            ok = True
        except ClientError as error:
            report = t("guide.run.failed", reason=error.reason or type(error).__name__)
            ok = False
        finally:
            self.action_running = False
        self.guide.action_ran(index, report, time.monotonic())
        self.app.journey.record("facilitator_action", action=action.kind, ok=ok, report=report)
        self._changed()
        self.check()

    def _work(self, job: Callable[[], Awaitable[None]], group: str) -> Worker[None]:
        """Run `job` in a worker of the app (a callable, not a coroutine: a worker cancelled
        before it starts leaves nothing behind)."""
        return self.app.run_worker(job, group=group)

    def _changed(self) -> None:
        """The panels redraw."""
        self.app.guide_revision += 1
