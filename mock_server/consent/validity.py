"""How long a grant lasts: the durations the consent step offers, and dates in the patient's words.

Durations are calendar months counted from the moment they are chosen (the 31st plus one month is
the last day of the next month); `revocation` means no end date.
"""

from __future__ import annotations

import calendar
from datetime import UTC, date, datetime, timedelta
from typing import Final

DURATION_MONTHS: Final[dict[str, int | None]] = {"1m": 1, "6m": 6, "1y": 12, "revocation": None}
"""Duration code -> months (None: until the patient revokes). The consent step offers these."""


def add_months(moment: datetime, months: int) -> datetime:
    """`moment` plus whole calendar months, the day clamped to the target month's length."""
    index = moment.month - 1 + months
    year, month = moment.year + index // 12, index % 12 + 1
    day = min(moment.day, calendar.monthrange(year, month)[1])
    return moment.replace(year=year, month=month, day=day)


def valid_until(duration: str, start: datetime) -> datetime | None:
    """The end of a grant of `duration` starting at `start` (None: until revoked)."""
    months = DURATION_MONTHS[duration]
    return None if months is None else add_months(start, months)


def parse_moment(text: str, *, end_of_day: bool) -> datetime:
    """An ISO date or dateTime with a zone (a bare date is midnight UTC, or the next midnight
    when `end_of_day`); `ValueError` otherwise."""
    if len(text) == 10:
        day = date.fromisoformat(text)
        start = datetime(day.year, day.month, day.day, tzinfo=UTC)
        return start + timedelta(days=1) if end_of_day else start
    moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    if moment.tzinfo is None:
        raise ValueError("naive datetime")
    return moment.astimezone(UTC)


def french_date(moment: datetime) -> str:
    """« 26/11/2026 à 09:30 (UTC) »: how refusals and pages name a moment."""
    return moment.astimezone(UTC).strftime("%d/%m/%Y à %H:%M (UTC)")


def iso(moment: datetime | None) -> str | None:
    """The API's form of a moment: ISO 8601 UTC with a `Z`."""
    if moment is None:
        return None
    return moment.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")
