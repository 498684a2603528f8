"""Dates, numbers and small text charts the way the person reads them (their language, Paris
time: the platform is French and every demo happens in its time zone)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from zoneinfo import ZoneInfo

from ens_consent_tui.client.measures import MeasureSpec
from ens_consent_tui.i18n import Catalogue

DISPLAY_TZ = ZoneInfo("Europe/Paris")
_BARS = "▁▂▃▄▅▆▇█"


def local(moment: datetime) -> datetime:
    return moment.astimezone(DISPLAY_TZ)


def format_date(t: Catalogue, moment: datetime | None) -> str:
    return local(moment).strftime(t("format.date")) if moment else t("format.no_date")


def format_datetime(t: Catalogue, moment: datetime | None) -> str:
    return local(moment).strftime(t("format.datetime")) if moment else t("format.no_date")


def format_time(t: Catalogue, moment: datetime | None) -> str:
    return local(moment).strftime(t("format.time")) if moment else ""


def parse_datetime(t: Catalogue, text: str) -> datetime | None:
    """A date and time typed in the `format.datetime` pattern, in Paris time; None if invalid."""
    try:
        return datetime.strptime(text.strip(), t("format.datetime")).replace(tzinfo=DISPLAY_TZ)
    except ValueError:
        return None


def parse_number(text: str) -> float | None:
    """A number typed with a comma or a point as decimal separator; None if it is not one."""
    cleaned = text.strip().replace("\u202f", "").replace(" ", "").replace(",", ".")
    try:
        value = float(cleaned)
    except ValueError:
        return None
    return value if value == value and abs(value) != float("inf") else None


def format_number(t: Catalogue, value: float, decimals: int) -> str:
    text = f"{value:.{decimals}f}"
    return text.replace(".", t("format.decimal_separator"))


def format_values(t: Catalogue, spec: MeasureSpec, values: Sequence[float]) -> str:
    """'72,4 kg', or '125/80 mmHg' for blood pressure."""
    numbers = "/".join(format_number(t, v, spec.decimals) for v in values)
    return f"{numbers} {t(f'unit.{spec.key}')}"


def sparkline(values: Sequence[float], width: int = 12) -> str:
    """The last `width` values as block characters (the shape of a trend, not its scale)."""
    recent = list(values)[-width:]
    if not recent:
        return ""
    low, high = min(recent), max(recent)
    if high == low:
        return _BARS[3] * len(recent)
    span = high - low
    return "".join(_BARS[round((v - low) / span * (len(_BARS) - 1))] for v in recent)


def format_date_only(t: Catalogue, day: date) -> str:
    return day.strftime(t("format.date"))


def shorten(text: str, width: int) -> str:
    """`text` cut to `width` characters, with an ellipsis when something was cut."""
    return text if len(text) <= width else f"{text[:width - 1].rstrip()}…"
