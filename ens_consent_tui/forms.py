"""Checking what the patient typed before anything is sent: a new measure, a new appointment.

Each check answers the thing to send, or the sentence saying what is wrong (from the catalogue).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from ens_consent_tui.client import NewAppointment, NewMeasure
from ens_consent_tui.client.measures import Implausible, MeasureSpec, plausibility_issue
from ens_consent_tui.formatting import format_number, parse_datetime, parse_number
from ens_consent_tui.i18n import Catalogue

FUTURE_TOLERANCE = timedelta(minutes=5)
"""A measure may be dated a little after the server's clock (clocks drift), not more."""


def component_label(t: Catalogue, spec: MeasureSpec, index: int) -> str:
    """'Poids' for a single value, 'Systolique' / 'Diastolique' for blood pressure."""
    if spec.has_components:
        return t(f"component.{spec.components[index].key}")
    return t(f"measure.{spec.key}")


def check_measure(t: Catalogue, spec: MeasureSpec, typed_values: Sequence[str], typed_when: str,
                  now: datetime | None) -> NewMeasure | str:
    """The measure to send, or why it cannot be a real one."""
    values: list[float] = []
    for index, text in enumerate(typed_values[:len(spec.components)]):
        value = parse_number(text)
        if value is None:
            return t("measure.error.not_a_number", field=component_label(t, spec, index))
        values.append(value)
    issue = plausibility_issue(spec, tuple(values))
    if issue is not None and issue.kind is Implausible.OUT_OF_RANGE:
        index = spec.components.index(issue.component)
        return t("measure.error.range", field=component_label(t, spec, index),
                 minimum=format_number(t, issue.component.minimum, spec.decimals),
                 maximum=format_number(t, issue.component.maximum, spec.decimals),
                 unit=t(f"unit.{spec.key}"))
    if issue is not None:
        return t("measure.error.bp_order")
    when = parse_datetime(t, typed_when)
    if when is None:
        return t("form.error.date", example=t("form.date_example"))
    if now is not None and when > now + FUTURE_TOLERANCE:
        return t("measure.error.future")
    return NewMeasure(spec, tuple(values), when)


def check_appointment(t: Catalogue, what: str, with_whom: str, typed_when: str, minutes: int,
                      confirmed: bool) -> NewAppointment | str:
    """The appointment to send, or what is missing."""
    if not what.strip():
        return t("agenda.error.what")
    when = parse_datetime(t, typed_when)
    if when is None:
        return t("form.error.date", example=t("form.date_example"))
    return NewAppointment(what.strip(), with_whom.strip(), when, minutes, confirmed)
