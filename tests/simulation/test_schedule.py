"""Occurrences of a schedule: in order, at their times of day, jittered the same way every
time, only after the connection."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from itertools import islice

from mock_server.seed.measure_timeline import PARIS
from mock_server.simulation.schedule import Schedule, occurrences

CONNECTED = datetime(2026, 11, 26, 9, 30, tzinfo=UTC)  # a Thursday, 10:30 in Paris


def key(slot: datetime) -> str:
    return f"2026|pesee-claire|patient|0|{slot.isoformat()}"


def take(schedule: Schedule, count: int) -> list:
    return list(islice(occurrences(schedule, CONNECTED, key), count))


def test_daily_times_come_in_order_after_the_connection_within_their_jitter() -> None:
    schedule = Schedule("repeat", every=timedelta(days=1), at=(time(7), time(20, 30)),
                        jitter=timedelta(minutes=15))
    found = take(schedule, 6)
    assert [o.at for o in found] == sorted(o.at for o in found)
    assert found[0].slot.astimezone(PARIS).time() == time(20, 30)  # 07:00 today is past
    for occurrence in found:
        assert occurrence.at > CONNECTED
        assert abs(occurrence.at - occurrence.slot) <= timedelta(minutes=15)
    assert [o.index for o in found] == list(range(6))


def test_the_same_key_gives_the_same_moments() -> None:
    schedule = Schedule("repeat", every=timedelta(days=1), at=(time(7),),
                        jitter=timedelta(minutes=20))
    assert take(schedule, 5) == take(schedule, 5)
    other = list(islice(occurrences(schedule, CONNECTED, lambda s: f"autre|{s}"), 5))
    assert [o.at for o in other] != [o.at for o in take(schedule, 5)]


def test_weekly_schedules_fall_on_their_days() -> None:
    schedule = Schedule("repeat", every=timedelta(days=7), on=(0, 3), at=(time(9),))
    days = [o.slot.astimezone(PARIS).strftime("%a %d") for o in take(schedule, 4)]
    assert days == ["Mon 30", "Thu 03", "Mon 07", "Thu 10"]


def test_once_after_and_on_connect_happen_once() -> None:
    once = take(Schedule("once", after=timedelta(days=3), at=(time(16),)), 5)
    assert [o.slot.astimezone(PARIS).isoformat() for o in once] == ["2026-11-29T16:00:00+01:00"]
    assert take(Schedule("on_connect"), 5)[0].at == CONNECTED
    every_six_hours = take(Schedule("repeat", every=timedelta(hours=6)), 2)
    assert [o.at - CONNECTED for o in every_six_hours] == [timedelta(hours=6),
                                                           timedelta(hours=12)]
