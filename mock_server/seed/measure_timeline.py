"""Fixed dates of the personas' stories, shared by the measures and the appointments.

They are offsets from the anchor (midnight, Paris, of "today"), not random draws: the persona
summaries ("enceinte de 6 mois", "sorti de l'hôpital la semaine dernière") must stay true whatever
the seed, and a measure series and an appointment must tell the same story (the post-operative
temperature follows the same surgery the physiotherapy sessions follow).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

PARIS = ZoneInfo("Europe/Paris")

HISTORY_DAYS = 200
"""Regular measures start this many days before the anchor (at least 180 are required)."""

AGENDA_PAST_DAYS = 180
AGENDA_AHEAD_DAYS = 90
"""Appointments span roughly this window around the anchor."""

GESTATION_DAYS_AT_ANCHOR = 27 * 7 + 2
"""27 SA + 2 days (weeks since the last menstrual period): the end of the 6th month of pregnancy."""

SURGERY_DAYS_BEFORE = 11
DISCHARGE_DAYS_BEFORE = 7
"""Knee replacement: operated 11 days ago, home for a week."""

FEVER_DAYS_BEFORE = 38
"""The child's fever episode starts this many days before the anchor (a pediatric visit follows)."""

INFECTION_DAYS_BEFORE = 95
"""The elderly patient's urinary infection: three days of fever, the doctor comes on the first."""


def anchor_day(anchor: datetime) -> date:
    """The Paris calendar day the anchor starts."""
    return anchor.astimezone(PARIS).date()


def days_before(anchor: datetime, count: int) -> date:
    return anchor_day(anchor) - timedelta(days=count)


def history_start(anchor: datetime) -> date:
    return days_before(anchor, HISTORY_DAYS)


def last_menstrual_period(anchor: datetime) -> date:
    """Start of the pregnancy as obstetrics counts it (SA, semaines d'aménorrhée)."""
    return days_before(anchor, GESTATION_DAYS_AT_ANCHOR)


def surgery_day(anchor: datetime) -> date:
    return days_before(anchor, SURGERY_DAYS_BEFORE)


def discharge_day(anchor: datetime) -> date:
    return days_before(anchor, DISCHARGE_DAYS_BEFORE)


def fever_start(anchor: datetime) -> date:
    return days_before(anchor, FEVER_DAYS_BEFORE)


def infection_day(anchor: datetime) -> date:
    return days_before(anchor, INFECTION_DAYS_BEFORE)
