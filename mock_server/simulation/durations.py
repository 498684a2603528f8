"""Durations as people write them: `7d`, `12h`, `20m`, `1w`, or ISO 8601 (`P7D`, `PT12H`).

Shared by the behaviours file (schedules, jitter, read windows) and the facilitator console
(clock jumps), so that a workshop writes time spans the same way everywhere.
"""

from __future__ import annotations

import re
from datetime import timedelta

_SHORT = re.compile(r"(\d{1,6})\s*(s|sec|m|min|h|d|j|w|sem)", re.IGNORECASE)
_UNITS = {
    "s": "seconds", "sec": "seconds", "m": "minutes", "min": "minutes", "h": "hours",
    "d": "days", "j": "days", "w": "weeks", "sem": "weeks",
}
_ISO = re.compile(
    r"P(?:(?P<weeks>\d{1,6})W)?(?:(?P<days>\d{1,6})D)?"
    r"(?:T(?:(?P<hours>\d{1,6})H)?(?:(?P<minutes>\d{1,6})M)?(?:(?P<seconds>\d{1,6})S)?)?",
    re.IGNORECASE,
)
EXAMPLES = "« 7d », « 12h », « 20m », « 1w » ou ISO 8601 comme « P7D », « PT12H »"


class DurationError(ValueError):
    """A duration that cannot be read, with a French reason."""


def parse_duration(text: object) -> timedelta:
    """The time span `text` names; `DurationError` when it names none (or zero)."""
    if not isinstance(text, str) or not text.strip():
        raise DurationError(f"durée attendue, par exemple {EXAMPLES}.")
    value = text.strip()
    delta = _parse_short(value) if not value.upper().startswith("P") else _parse_iso(value)
    if delta is None:
        raise DurationError(f"« {value[:40]} » n'est pas une durée ; écrivez par exemple "
                            f"{EXAMPLES}.")
    if delta <= timedelta(0):
        raise DurationError(f"« {value[:40]} » : la durée doit être positive.")
    return delta


def _parse_short(value: str) -> timedelta | None:
    match = _SHORT.fullmatch(value)
    if match is None:
        return None
    return timedelta(**{_UNITS[match[2].lower()]: int(match[1])})


def _parse_iso(value: str) -> timedelta | None:
    match = _ISO.fullmatch(value)
    if match is None or not any(match.groupdict().values()) or value.upper().endswith("T"):
        return None
    return timedelta(**{name: int(part) for name, part in match.groupdict().items() if part})


def french_duration(delta: timedelta) -> str:
    """« 7 jours », « 12 h », « 1 jour 6 h 30 min »: how the console names a span."""
    seconds = int(delta.total_seconds())
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, seconds = divmod(rest, 60)
    parts = []
    if days:
        parts.append(f"{days} jour{'s' if days > 1 else ''}")
    if hours:
        parts.append(f"{hours} h")
    if minutes:
        parts.append(f"{minutes} min")
    if seconds or not parts:
        parts.append(f"{seconds} s")
    return " ".join(parts)
