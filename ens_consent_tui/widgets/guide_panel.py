"""The guided mode's side panel: the scenario, the step shown, the facilitator's notes, what to
do, and each expectation with its live status in words (« ✓ vérifié », « … en attente », « ✗ »
with what the check saw), never by colour alone.

Docked right; below the screen on a narrow terminal; hidden and shown again with a key. It
renders `app.guided.guide` whenever `app.guide_revision` moves (see `ens_consent_tui.guided`).
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Button, Static

if TYPE_CHECKING:
    from ens_consent_tui.app import EnsConsentApp
    from ens_consent_tui.guided import GuidedMode
    from ens_consent_tui.i18n import Catalogue
    from ens_consent_tui.scenarios.guide import Guide
    from ens_consent_tui.scenarios.model import Start

STATUS_STYLES = {"passed": "bold", "pending": "", "failed": "bold"}
"""The words carry the status; the style only underlines it."""


class GuidePanel(VerticalScroll, can_focus=False):
    """The current step of the guided scenario, beside (or below) the screen."""

    SCOPED_CSS = False  # its place depends on the screen's width class
    DEFAULT_CSS = """
    GuidePanel {
        dock: right;
        width: 46;
        max-width: 40%;
        height: 100%;
        margin-bottom: 1;  /* the footer is docked at the bottom too */
        padding: 0 1;
        border-left: tall $primary;
        background: $boost;
    }
    Screen.-narrow GuidePanel {
        dock: bottom;
        width: 100%;
        max-width: 100%;
        height: 14;
        max-height: 45%;
        border-left: none;
        border-top: tall $primary;
    }
    GuidePanel.-hidden {
        display: none;
    }
    GuidePanel .guide-heading {
        text-style: bold;
        margin-top: 1;
    }
    GuidePanel #guide-head {
        text-style: bold;
    }
    GuidePanel #guide-run {
        margin-top: 1;
    }
    GuidePanel #guide-run.-hidden {
        display: none;
    }
    GuidePanel .guide-muted {
        color: $text-muted;
        margin-top: 1;
    }
    """

    def compose(self) -> ComposeResult:
        t = self.t
        yield Static(id="guide-head")
        yield Static(t("guide.notes"), classes="guide-heading")
        yield Static(id="guide-notes")
        yield Static(t("guide.action"), classes="guide-heading")
        yield Static(id="guide-action")
        yield Button(t("guide.run"), id="guide-run", variant="warning", compact=True)
        yield Static(id="guide-action-report")
        yield Static(t("guide.checks"), classes="guide-heading")
        yield Static(id="guide-checks")
        yield Static(t("guide.start"), classes="guide-heading")
        yield Static(id="guide-start")
        yield Static(t("guide.shared"), classes="guide-muted")
        yield Static(id="guide-keys", classes="guide-muted")

    @property
    def ens(self) -> EnsConsentApp:
        return self.app  # type: ignore[return-value]

    @property
    def t(self) -> Catalogue:
        return self.ens.i18n

    @property
    def guided(self) -> GuidedMode:
        guided = self.ens.guided
        assert guided is not None  # the panel is composed only in guided mode
        return guided

    def on_mount(self) -> None:
        self.watch(self.app, "guide_revision", self.show_guide)
        self.watch(self.app, "guide_shown", self._shown)

    def _shown(self, shown: bool) -> None:
        self.set_class(not shown, "-hidden")

    def show_guide(self, _revision: int = 0) -> None:
        """Draw the guide as it is now."""
        guided, t = self.guided, self.t
        guide = guided.guide
        head = Text(t("guide.title", title=guide.scenario.title))
        if guide.scenario.variant:
            head.append("\n" + t("guide.variant", variant=guide.scenario.variant))
        head.append("\n" + t("guide.position", number=guide.number, total=guide.total))
        head.append(f" · {guide.step.title}")
        if guide.current.passed:
            head.append("\n" + t("guide.step.passed"))
        self.query_one("#guide-head", Static).update(head)
        self.query_one("#guide-notes", Static).update(Text(guide.step.notes))
        self._show_action(guided)
        self.query_one("#guide-checks", Static).update(self._checks(guide))
        self.query_one("#guide-start", Static).update(self._start(guided))
        self.query_one("#guide-keys", Static).update(self._keys(guide))

    def _show_action(self, guided: GuidedMode) -> None:
        from ens_consent_tui.scenarios.wording import describe_action

        t, guide = self.t, guided.guide
        action = guide.step.do
        text = Text(describe_action(action, t, guide.names) if action is not None
                    else t("guide.action.none"))
        by_facilitator = guide.by_facilitator
        if by_facilitator:
            key = "guide.action.by_facilitator" if guided.facilitator_token else \
                "guide.action.no_token"
            text.append("\n")
            text.append(t(key), style="italic")
        self.query_one("#guide-action", Static).update(text)
        button = self.query_one("#guide-run", Button)
        button.set_class(not (by_facilitator and guided.facilitator_token), "-hidden")
        button.disabled = guided.action_running
        button.label = t("guide.run.running") if guided.action_running else t("guide.run")
        report = guide.current.action_report if by_facilitator else None
        self.query_one("#guide-action-report", Static).update(Text(report or ""))

    def _checks(self, guide: Guide) -> Text:
        from ens_consent_tui.scenarios.wording import describe_expectation

        t = self.t
        step, progress = guide.step, guide.current
        if not step.expect:
            return Text(t("guide.checks.none"))
        text = Text()
        now = time.monotonic()
        names = guide.names
        for position, expectation in enumerate(step.expect):
            status = guide.status(guide.index, position, now)
            if text:
                text.append("\n")
            text.append(t(f"guide.status.{status}"), style=STATUS_STYLES[status])
            text.append(" — " + describe_expectation(expectation, t, names))
            if position < len(progress.results) and status != "passed":
                text.append("\n   " + progress.results[position].detail, style="italic")
        if self.ens.session is None:
            text.append("\n" + t("guide.checks.waiting"), style="italic")
        return text

    def _start(self, guided: GuidedMode) -> Text:
        t, guide = self.t, guided.guide
        account = guided.account or guide.scenario.start.patient
        if guide.preparation == "manual":
            return Text(t("guide.start.manual", start=describe_start(t, guide.scenario.start,
                                                                     guide.names)))
        if guide.preparation == "failed":
            return Text(t("guide.start.failed", reason=guide.preparation_report or ""))
        return Text(t(f"guide.start.{guide.preparation}", account=account))

    def _keys(self, guide: Guide) -> str:
        app, t = self.app, self.t
        keys = {binding_id: app.get_key_display(binding)
                for binding_id, binding in _bindings(app).items()}
        text = t("guide.keys", next=keys["guide-next"], previous=keys["guide-previous"],
                 toggle=keys["guide-toggle"])
        if guide.by_facilitator:
            text += "\n" + t("guide.keys.run", run=keys["guide-run"])
        return text

    @on(Button.Pressed, "#guide-run")
    def _run(self) -> None:
        self.guided.run_action()


def _bindings(app: Any) -> dict[str, Any]:
    """The app's guide bindings by id (their keys as the footer shows them)."""
    return {binding.id: binding for binding in app.BINDINGS
            if getattr(binding, "id", None) in ("guide-next", "guide-previous", "guide-toggle",
                                                "guide-run")}


def describe_start(t: Catalogue, start: Start, names: dict[str, str]) -> str:
    """What the facilitator must have prepared before step 1, in one sentence."""
    from ens_consent_tui.scenarios.checks import duration_words
    from ens_consent_tui.scenarios.wording import permissions_words

    services = [t("guide.start.service.refusing" if s.refuse else "guide.start.service",
                  service=names.get(s.service, s.service),
                  permissions=permissions_words(t, s.refuse),
                  duration=duration_words(t, s.duration)) for s in start.services]
    clock = start.clock
    clock_words = t("guide.start.clock.paused") if clock.paused else (
        t("guide.start.clock.speed", speed=f"{clock.speed:g}") if clock.speed
        else t("guide.start.clock.running"))
    return t("guide.start.describe", patient=start.patient,
             acting_for=t("guide.start.for", name=start.for_) if start.for_ else "",
             maille=" / ".join(start.mailles), clock=clock_words,
             services=t("guide.start.services", services=", ".join(services)) if services
             else t("guide.start.services.none"))
