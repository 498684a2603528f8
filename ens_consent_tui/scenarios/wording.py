"""A scenario's actions and expectations as the sentences a participant or a tester reads
(« Ouvrez le catalogue », « Connectez Pesée Claire sans : mesures · taille (lecture) »).

Services are named by their name when `names` (service id → name) knows them, else by their id.
No Textual: the guided panel, the headless runner's output and the reports share these words.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import timedelta
from typing import Any

from ens_consent_tui.i18n import Catalogue
from ens_consent_tui.scenarios.checks import (
    describe_exchange,
    duration_words,
    permission_words,
    section_label,
    status_words,
)
from ens_consent_tui.scenarios.model import (
    Act,
    AdvanceClock,
    ChangeDuration,
    Connect,
    ExchangeSeen,
    GrantState,
    Misbehave,
    Narrow,
    NoExchange,
    NotificationShown,
    Open,
    OpenSheet,
    Permission,
    Press,
    RefuseConnection,
    Reinstate,
    Revoke,
    Search,
    SectionIs,
    Suspend,
    SwitchSpace,
    TextAbsent,
    TextShown,
)

Names = Mapping[str, str]


def _namer(names: Names | None) -> Callable[[str], str]:
    return lambda service_id: (names or {}).get(service_id, service_id)


def permissions_words(t: Catalogue, permissions: Iterable[Permission]) -> str:
    return ", ".join(permission_words(t, p) for p in permissions)


def span_words(t: Catalogue, span: timedelta) -> str:
    """`7 j`, `1 j 12 h`, `20 min` (`7 d`... in English)."""
    days, rest = span.days, span.seconds
    hours, minutes, seconds = rest // 3600, rest % 3600 // 60, rest % 60
    parts = [t(f"runner.span.{unit}", count=count)
             for unit, count in (("days", days), ("hours", hours), ("minutes", minutes),
                                 ("seconds", seconds)) if count]
    return " ".join(parts) or t("runner.span.seconds", count=0)


def describe_action(action: Any, t: Catalogue, names: Names | None = None) -> str:
    """What to do, in one imperative sentence."""
    name = _namer(names)
    match action:
        case Open():
            return t(f"runner.do.open.{action.section}")
        case Search():
            return t("runner.do.search", text=action.text)
        case OpenSheet():
            return t("runner.do.open_sheet", service=name(action.service))
        case Connect():
            key = "runner.do.connect.refusing" if action.refuse else "runner.do.connect"
            return t(key, service=name(action.service),
                     permissions=permissions_words(t, action.refuse),
                     duration=duration_words(t, action.duration))
        case RefuseConnection():
            return t("runner.do.refuse_connection", service=name(action.service))
        case Narrow():
            return t("runner.do.narrow", service=name(action.service),
                     permissions=permissions_words(t, action.remove))
        case ChangeDuration():
            return t("runner.do.change_duration", service=name(action.service),
                     duration=duration_words(t, action.duration))
        case Revoke():
            return t("runner.do.revoke", service=name(action.service))
        case SwitchSpace():
            return t(f"runner.do.switch_space.{action.space}")
        case Press():
            return t("runner.do.press", keys=", ".join(action.keys))
        case AdvanceClock():
            return t("runner.do.advance_clock", span=span_words(t, action.span))
        case Act():
            return t("runner.do.act", service=name(action.service))
        case Misbehave():
            return t(f"runner.do.misbehave.{action.misbehaviour}", service=name(action.service))
        case Suspend():
            return t("runner.do.suspend", service=name(action.service))
        case Reinstate():
            return t("runner.do.reinstate", service=name(action.service))
    raise TypeError(f"unknown action {type(action).__name__}")


def describe_expectation(expectation: Any, t: Catalogue, names: Names | None = None) -> str:
    """What must then be true, in one sentence."""
    name = _namer(names)
    match expectation:
        case SectionIs():
            return t("runner.expect.section", section=section_label(t, expectation.section))
        case TextShown():
            return t("runner.expect.text", text=expectation.text)
        case TextAbsent():
            return t("runner.expect.no_text", text=expectation.text)
        case NotificationShown():
            return t("runner.expect.notification", text=expectation.text)
        case GrantState():
            return _grant(expectation, t, name(expectation.service))
        case ExchangeSeen():
            what = describe_exchange(t, expectation, name)
            if expectation.count == 1:
                return t("runner.expect.exchange", what=what)
            return t("runner.expect.exchanges", what=what, count=expectation.count)
        case NoExchange():
            return t("runner.expect.no_exchange", what=describe_exchange(t, expectation, name))
    raise TypeError(f"unknown expectation {type(expectation).__name__}")


def _grant(expectation: GrantState, t: Catalogue, service: str) -> str:
    if expectation.status == "none":
        return t("runner.expect.grant.none", service=service)
    clauses = []
    if expectation.status is not None:
        clauses.append(t("runner.expect.grant.status", status=status_words(t,
                                                                           expectation.status)))
    if expectation.allows:
        clauses.append(t("runner.expect.grant.allows",
                         permissions=permissions_words(t, expectation.allows)))
    if expectation.denies:
        clauses.append(t("runner.expect.grant.denies",
                         permissions=permissions_words(t, expectation.denies)))
    if expectation.duration is not None:
        clauses.append(t("runner.expect.grant.duration",
                         duration=duration_words(t, expectation.duration)))
    return t("runner.expect.grant", service=service,
             clauses=t("runner.check.separator").join(clauses))
