"""When a service acts: the occurrences of one action's schedule, in time order.

Three kinds of schedule (see `behaviours.yaml`): `on_connect` (once, at the connection), `after`
(once, that long after the connection, optionally at a time of day), and `every` (repeated: every
N days at the `at` times of day, Paris wall-clock time, optionally only on some weekdays; or every
span from the connection when no time of day is given). A jitter moves each occurrence by a
deterministic offset (people are not clocks), drawn from the occurrence's own key, so the same
seed, service, patient and slot always give the same moment.
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from itertools import count, pairwise
from typing import Literal

from mock_server.seed.measure_timeline import PARIS


@dataclass(frozen=True)
class Schedule:
    """When one action happens, relative to the moment its service was connected."""

    kind: Literal["on_connect", "once", "repeat"]
    after: timedelta | None = None
    every: timedelta | None = None
    on: tuple[int, ...] = ()
    """Weekdays (Monday = 0) of a weekly schedule; empty = every `every` days."""
    at: tuple[time, ...] = ()
    """Paris times of day; empty = counted from the connection moment."""
    jitter: timedelta = timedelta(0)

    def min_gap(self) -> timedelta | None:
        """The shortest span between two consecutive slots (None for a single occurrence)."""
        if self.kind != "repeat":
            return None
        assert self.every is not None
        if not self.at:
            return self.every
        minutes = sorted(t.hour * 60 + t.minute for t in self.at)
        gaps = [b - a for a, b in pairwise(minutes)]
        gaps.append(24 * 60 - (minutes[-1] - minutes[0]))
        return timedelta(minutes=min(gaps))


@dataclass(frozen=True)
class Occurrence:
    """One planned run of an action: when (UTC), its unjittered slot, its rank since connection."""

    at: datetime
    slot: datetime
    index: int


KeyFunction = Callable[[datetime], str]
"""The stable key of a slot (seed, service, patient, action and the slot itself)."""


def stable_random(key: str) -> random.Random:
    """A random stream fixed by `key` (independent of Python's hash randomisation)."""
    return random.Random(int.from_bytes(hashlib.sha256(key.encode()).digest()[:8], "big"))


def _jittered(slot: datetime, jitter: timedelta, key: KeyFunction) -> datetime:
    if not jitter:
        return slot
    seconds = jitter.total_seconds()
    offset = stable_random(key(slot)).uniform(-seconds, seconds)
    return slot + timedelta(seconds=round(offset))


def _local(day, moment: time) -> datetime:
    return datetime.combine(day, moment, tzinfo=PARIS)


def _slots(schedule: Schedule, origin: datetime) -> Iterator[datetime]:
    """The unjittered slots of a schedule, in order (endless for `repeat`)."""
    origin_day = origin.astimezone(PARIS).date()
    if schedule.kind == "on_connect":
        yield origin
        return
    if schedule.kind == "once":
        assert schedule.after is not None
        if schedule.at:
            yield _local(origin_day + timedelta(days=schedule.after.days), schedule.at[0])
        else:
            yield origin + schedule.after
        return
    assert schedule.every is not None
    if not schedule.at:
        for step in count(1):
            yield origin + step * schedule.every
    period = max(1, schedule.every.days)
    for offset in count(0):
        day = origin_day + timedelta(days=offset)
        if schedule.on and day.weekday() not in schedule.on:
            continue
        if not schedule.on and offset % period:
            continue
        for moment in sorted(schedule.at):
            yield _local(day, moment)


def occurrences(schedule: Schedule, origin: datetime, key: KeyFunction) -> Iterator[Occurrence]:
    """The occurrences after `origin` (the connection), in time order, numbered from 0.

    An `on_connect` occurrence happens at `origin` itself; every other one strictly after it.
    """
    index = 0
    for slot in _slots(schedule, origin):
        moment = _jittered(slot, schedule.jitter, key).astimezone(UTC)
        if schedule.kind != "on_connect" and moment <= origin:
            continue
        yield Occurrence(moment, slot, index)
        index += 1
