"""The guided mode's state, without Textual: which step is shown, where each step started
(`StepMarker`), the last check results, which steps passed, how the start was prepared.

The app's guided mode (`ens_consent_tui.guided`) changes it and the side panel
(`widgets.guide_panel`) renders it; tests drive it directly.

A step *passes* the first time all its expectations hold together; it stays passed (the
participant may go on doing things). An expectation's status is:

- « vérifié » (`passed`) when the last check found it true;
- « ✗ » (`failed`) when it is false and cannot become true by waiting: a `no_text` or
  `no_exchange` that was broken, or anything still false `timeout` seconds after the
  facilitator's action ran (the only moment the app knows the action happened);
- « en attente » (`pending`) otherwise: not checked yet, or the participant has not done it yet.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Literal

from ens_consent_tui.scenarios.checks import CheckResult, StepMarker
from ens_consent_tui.scenarios.model import NoExchange, Scenario, Step, TextAbsent

Status = Literal["passed", "pending", "failed"]
Preparation = Literal["waiting", "running", "done", "failed", "manual"]
"""How the start is prepared: after sign-in (`waiting`), by the app holding a facilitator
token (`running`, then `done` or `failed`), or by the facilitator by hand (`manual`: no token)."""
BREAKABLE = (TextAbsent, NoExchange)
"""Expectations true at the start that an action can break for good."""


def scenario_id(title: str) -> str:
    """An id for a scenario known only by its title: `premiere-connexion-d-une-application`."""
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_title.lower()).strip("-") or "scenario"


@dataclass
class StepProgress:
    """What is known of one step."""

    marker: StepMarker | None = None
    """Where the step started (taken the first time it is shown)."""
    results: tuple[CheckResult, ...] = ()
    """The last check's results, one per expectation (empty before the first check)."""
    passed: bool = False
    deadline: float | None = None
    """Monotonic time after which a false expectation is failed (set when the facilitator's
    action ran)."""
    action_report: str | None = None
    """What the facilitator's action did (or why it could not), in words."""


@dataclass
class Guide:
    """One scenario being guided, step by step."""

    scenario: Scenario
    scenario_id: str = ""
    index: int = 0
    progress: list[StepProgress] = field(default_factory=list)
    preparation: Preparation = "waiting"
    preparation_report: str | None = None
    """What preparing the start did, or why it failed, in words."""

    def __post_init__(self) -> None:
        if not self.scenario_id:
            self.scenario_id = scenario_id(self.scenario.title)
        if not self.progress:
            self.progress = [StepProgress() for _ in self.scenario.steps]

    # --- where we are ---------------------------------------------------------------------

    @property
    def total(self) -> int:
        return len(self.scenario.steps)

    @property
    def number(self) -> int:
        """The step shown, counted from 1 (what the panel and the journal say)."""
        return self.index + 1

    @property
    def step(self) -> Step:
        return self.scenario.steps[self.index]

    @property
    def current(self) -> StepProgress:
        return self.progress[self.index]

    @property
    def passed_steps(self) -> list[int]:
        """Numbers (from 1) of the steps that passed."""
        return [n for n, progress in enumerate(self.progress, start=1) if progress.passed]

    def move(self, delta: int) -> bool:
        """Go `delta` steps forward (or back); False at either end (nothing changes)."""
        index = self.index + delta
        if not 0 <= index < self.total:
            return False
        self.index = index
        return True

    @property
    def names(self) -> dict[str, str]:
        """Service id → name, as the store gave them when a step started (empty before)."""
        return next((p.marker.names for p in self.progress if p.marker is not None), {})

    @property
    def by_facilitator(self) -> bool:
        """Whether the step's action is the facilitator's (console), not the participant's."""
        action = self.step.do
        return action is not None and action.by_facilitator

    # --- checking -------------------------------------------------------------------------

    def marked(self, index: int, marker: StepMarker) -> None:
        """Step `index` starts counting exchanges and toasts from `marker` (first time only)."""
        if self.progress[index].marker is None:
            self.progress[index].marker = marker

    def checked(self, index: int, results: list[CheckResult]) -> bool:
        """Keep the results of a check of step `index`; True when the step passes now for the
        first time (the journal says so once)."""
        progress = self.progress[index]
        progress.results = tuple(results)
        if progress.passed or not results or not all(r.ok for r in results):
            return False
        progress.passed = True
        return True

    def action_ran(self, index: int, report: str, now: float) -> None:
        """The facilitator's action of step `index` ran at `now` (monotonic): its
        expectations have the step's `timeout` from then on."""
        progress = self.progress[index]
        progress.action_report = report
        progress.deadline = now + self.scenario.steps[index].timeout

    def status(self, index: int, position: int, now: float) -> Status:
        """The status of expectation `position` of step `index` (see the module docstring)."""
        progress = self.progress[index]
        if position >= len(progress.results):
            return "pending"
        result = progress.results[position]
        if result.ok:
            return "passed"
        if isinstance(result.expectation, BREAKABLE):
            return "failed"
        if progress.deadline is not None and now >= progress.deadline:
            return "failed"
        return "pending"
