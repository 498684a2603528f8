"""French working days: Monday to Friday, except the public holidays of metropolitan France."""

from __future__ import annotations

from datetime import date, timedelta
from functools import cache


def easter_sunday(year: int) -> date:
    """Gregorian Easter (the anonymous Meeus/Jones/Butcher computus)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = b // 4, b % 4
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = c // 4, c % 4
    leap = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * leap) // 451
    month, day = divmod(h + leap - 7 * m + 114, 31)
    return date(year, month, day + 1)


@cache
def public_holidays(year: int) -> frozenset[date]:
    """Jours fériés: fixed dates plus Easter Monday, Ascension Thursday and Whit Monday."""
    easter = easter_sunday(year)
    fixed = ((1, 1), (5, 1), (5, 8), (7, 14), (8, 15), (11, 1), (11, 11), (12, 25))
    moving = (easter + timedelta(days=n) for n in (1, 39, 50))
    return frozenset([*(date(year, m, d) for m, d in fixed), *moving])


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in public_holidays(day.year)
