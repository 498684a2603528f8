"""One simulated clock for the whole server.

Simulated time = an anchor plus the real time elapsed since then, times a speed factor. Speed 0
freezes it (what tests use); `advance` jumps forward. Everything time-dependent in the server (data
timestamps, token and code expiry, grant expiry) asks this object, never `datetime.now()`.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta


class Clock:
    """The server's simulated clock (thread-safe)."""

    def __init__(
        self,
        start: datetime | None = None,
        *,
        speed: float = 1.0,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        if start is not None and start.tzinfo is None:
            raise ValueError("the clock needs an aware start time")
        if speed < 0:
            raise ValueError("the clock speed cannot be negative")
        self._monotonic = monotonic
        self._lock = threading.Lock()
        self._anchor_sim = (start or datetime.now(UTC)).astimezone(UTC)
        self._anchor_real = monotonic()
        self._speed = speed

    @classmethod
    def frozen(cls, at: datetime) -> Clock:
        """A clock that only moves when told to (for tests and scripted runs)."""
        return cls(at, speed=0.0)

    @property
    def speed(self) -> float:
        return self._speed

    def now(self) -> datetime:
        """The current simulated time (aware, UTC)."""
        with self._lock:
            return self._now_locked()

    def _now_locked(self) -> datetime:
        elapsed = (self._monotonic() - self._anchor_real) * self._speed
        return self._anchor_sim + timedelta(seconds=elapsed)

    def set_speed(self, speed: float) -> None:
        """Change the speed factor from now on (0 pauses)."""
        if speed < 0:
            raise ValueError("the clock speed cannot be negative")
        with self._lock:
            self._anchor_sim = self._now_locked()
            self._anchor_real = self._monotonic()
            self._speed = speed

    def advance(self, delta: timedelta) -> datetime:
        """Jump forward by `delta` (never backwards); returns the new time."""
        if delta < timedelta(0):
            raise ValueError("the clock never goes backwards")
        with self._lock:
            self._anchor_sim = self._now_locked() + delta
            self._anchor_real = self._monotonic()
            return self._anchor_sim
