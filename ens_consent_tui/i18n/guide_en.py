"""English messages: guide."""

from __future__ import annotations

MESSAGES: dict[str, str] = {
    # --- the app's options ---
    "cli.option.scenario": "Guide a scenario (YAML file): a panel shows each step, its notes "
                           "and a live check.",
    "cli.option.facilitator_token": "Facilitator token of the server's console: the app then "
                                    "prepares the scenario's start and runs the facilitator's "
                                    "actions (shared server; the embedded server gives the app its "
                                    "own).",
    # --- keys ---
    "key.guide_next": "Next step",
    "key.guide_previous": "Previous step",
    "key.guide_toggle": "Guide panel",
    "key.guide_run": "Run (facilitator)",
    # --- the panel ---
    "guide.title": "Scenario: {title}",
    "guide.variant": "Variant: {variant}",
    "guide.position": "Step {number} / {total}",
    "guide.step.passed": "✓ step passed",
    "guide.notes": "Notes for the facilitator",
    "guide.action": "To do",
    "guide.action.none": "No action: watch the person.",
    "guide.action.by_facilitator": "For the facilitator to do",
    "guide.action.no_token": "For the facilitator to do (console /admin): the app holds no "
                             "facilitator token.",
    "guide.run": "Run (facilitator)",
    "guide.run.running": "… facilitator action running",
    "guide.run.done": "✓ {report}",
    "guide.run.failed": "✗ The action could not be done: {reason}",
    "guide.run.refused.title": "Facilitator action",
    "guide.run.refused": "The app holds no facilitator token: do this action in the console, "
                         "or start again with --facilitator-token.",
    "guide.run.signed_out": "Sign in first: the action is about the signed-in person's space.",
    "guide.checks": "Checks",
    "guide.checks.none": "Nothing to check: go to the next step whenever you like.",
    "guide.checks.waiting": "Checks start after sign-in.",
    "guide.status.passed": "✓ verified",
    "guide.status.pending": "… waiting",
    "guide.status.failed": "✗",
    "guide.check.line": "{status} — {what}",
    "guide.start": "Start",
    "guide.start.waiting": "Once someone signs in, the app prepares their space for this "
                           "scenario.",
    "guide.start.running": "Preparing the space of {account}…",
    "guide.start.done": "✓ Space of {account} prepared for the scenario.",
    "guide.start.failed": "✗ Preparing failed: {reason}",
    "guide.start.manual": "For the facilitator to prepare: {start}.",
    "guide.start.describe": "account {patient}{acting_for}, granularity {maille}, clock "
                            "{clock}, {services}",
    "guide.start.for": " (acting for: {name})",
    "guide.start.clock.paused": "paused",
    "guide.start.clock.running": "running",
    "guide.start.clock.speed": "running ×{speed}",
    "guide.start.services.none": "no service connected",
    "guide.start.services": "connected services: {services}",
    "guide.start.service": "{service} ({duration})",
    "guide.start.service.refusing": "{service} (without {permissions}; {duration})",
    "guide.prepared.title": "Scenario ready",
    "guide.prepared": "Space of {account} prepared: the scenario can start.",
    "guide.prepare_failed.title": "Cannot prepare",
    "guide.shared": "Shared server: clock jumps and service suspensions apply to every "
                    "participant.",
    "guide.keys": "{next} next step · {previous} previous step · {toggle} hide or show this "
                  "panel",
    "guide.keys.run": "{run} run the facilitator's action",
}
