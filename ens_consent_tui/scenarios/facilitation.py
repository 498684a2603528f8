"""The facilitator's actions of a scenario, done through the console API (`/admin/*`): move the
clock, make a service act or misbehave for the patient, suspend or reinstate a service.

Each returns one line saying what happened (in the catalogue's language; the spans the server
words stay French). A refusal of the console is raised as the client's error type
(`FacilitatorTokenRefused`, `NotFound`, `InvalidInput`...) with the server's sentence in `reason`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from typing import Any

from ens_consent_tui.client.console import ConsoleApi
from ens_consent_tui.i18n import Catalogue
from ens_consent_tui.scenarios.model import Act, AdvanceClock, Misbehave, Reinstate, Suspend
from ens_consent_tui.scenarios.wording import span_words

CALL_OUTCOMES = ("allowed", "denied", "unauthorized", "failed", "skipped", "error")
"""What the console says of each request a service made (`<call>.outcome`)."""


async def perform(action: Any, console: ConsoleApi, patient_account: str, *,
                  t: Catalogue | None = None, names: Mapping[str, str] | None = None) -> str:
    """Do a facilitator's `action` for `patient_account` (a username, or the patient id of the
    space the scenario acts in) and say what happened."""
    t = t or Catalogue()
    name = (names or {}).get(getattr(action, "service", ""), getattr(action, "service", ""))
    match action:
        case AdvanceClock():
            answer = await console.jump(action.jump)
            jump = answer.get("jump") or {}
            return t("runner.done.advance_clock", span=span_words(t, action.span),
                     requests=jump.get("requests", 0), now=_clock_now(answer.get("clock")))
        case Act():
            answer = await console.act(action.service, patient_account)
            return t("runner.done.act", service=name, calls=_calls(t, answer))
        case Misbehave():
            answer = await console.misbehave(action.service, action.misbehaviour,
                                             patient_account)
            return t("runner.done.misbehave", service=name, calls=_calls(t, answer))
        case Suspend():
            answer = await console.suspend(action.service)
            return t("runner.done.suspend", service=_service_name(answer, name),
                     count=len(answer.get("patients_told") or ()))
        case Reinstate():
            answer = await console.reinstate(action.service)
            return t("runner.done.reinstate", service=_service_name(answer, name),
                     count=len(answer.get("patients_told") or ()))
    raise TypeError(f"not an action of the facilitator: {type(action).__name__}")


def _calls(t: Catalogue, answer: dict) -> str:
    """« 3 requête(s) : 2 autorisée(s), 1 refusée(s) »."""
    outcomes = Counter(call.get("outcome") for run in answer.get("runs") or ()
                       for call in run.get("calls") or ())
    total = sum(outcomes.values())
    if not total:
        return t("runner.done.calls.none")
    parts = ", ".join(t(f"runner.done.calls.{outcome}", count=outcomes[outcome])
                      for outcome in CALL_OUTCOMES if outcomes[outcome])
    return t("runner.done.calls", count=total, outcomes=parts)


def _clock_now(clock: object) -> str:
    now = clock.get("now") if isinstance(clock, dict) else None
    return str(now)[:16].replace("T", " ") if now else "?"


def _service_name(answer: dict, fallback: str) -> str:
    service = answer.get("service")
    return str(service.get("name") or fallback) if isinstance(service, dict) else fallback
