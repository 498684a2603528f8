"""Small building blocks for plausible measure series: local times, slow drifts, bounded noise."""

from __future__ import annotations

import math
import random
from collections.abc import Iterator
from datetime import date, datetime, time, timedelta

from mock_server.seed.measure_timeline import PARIS


def local_time(day: date, hour: int, minute: int = 0) -> datetime:
    """`day` at hour:minute, Paris wall-clock time."""
    return datetime.combine(day, time(hour, minute), tzinfo=PARIS)


def around(rng: random.Random, day: date, hour: int, minute: int, spread: int) -> datetime:
    """A time on `day` between hour:minute and `spread` minutes later (people are not clocks)."""
    start = hour * 60 + minute + rng.randrange(spread)
    return local_time(day, start // 60, start % 60)


def each_day(first: date, last: date) -> Iterator[date]:
    """Every day from `first` to `last`, both included."""
    for offset in range((last - first).days + 1):
        yield first + timedelta(days=offset)


def bounded(value: float, low: float, high: float) -> float:
    return min(high, max(low, value))


def jitter(rng: random.Random, spread: float) -> float:
    """A factor around 1 (log-normal, cut at two deviations): noise for counts, like steps, that
    cannot go negative and should not explode."""
    return math.exp(bounded(rng.gauss(0.0, spread), -2 * spread, 2 * spread))


def is_weekend(day: date) -> bool:
    return day.weekday() >= 5


class Drift:
    """A slow random drift (AR(1) process): good and bad weeks rather than daily noise alone."""

    def __init__(self, rng: random.Random, step: float, keep: float = 0.9) -> None:
        self._rng = rng
        self._step = step
        self._keep = keep
        self.value = 0.0

    def next(self) -> float:
        self.value = self._keep * self.value + self._rng.gauss(0.0, self._step)
        return self.value
