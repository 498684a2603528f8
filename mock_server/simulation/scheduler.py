"""The one scheduler of the simulation: every planned occurrence of every agent, run in time order
on the server's simulated clock.

A background task sleeps until the next occurrence is due (its simulated distance divided by the
clock's speed; never more than `POLL_SECONDS`, so a clock moved by other means is noticed), runs
it, and plans the action's next occurrence. A jump freezes the clock, steps through every
occurrence inside the span in order, moving the clock to each one's time before running it (so
data, exchanges, token and grant expiry all carry the right simulated time), then lands on the
target and gives the clock its speed back. One lock makes runs and jumps take turns.
"""

from __future__ import annotations

import asyncio
import heapq
import logging
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from itertools import count
from typing import Final

from mock_server.simulation.clock import Clock
from mock_server.simulation.schedule import Occurrence

logger = logging.getLogger(__name__)

POLL_SECONDS: Final = 1.0
AgentKey = tuple[str, str]
"""(service id, patient id)."""

Runner = Callable[[AgentKey, int, Occurrence], Awaitable[int]]
"""Runs one occurrence of an agent's action; returns how many requests it sent."""
Fresh = Callable[[], Iterator[Occurrence]]


@dataclass(order=True)
class _Entry:
    at: datetime
    seq: int
    key: AgentKey = field(compare=False)
    action: int = field(compare=False)
    occurrence: Occurrence = field(compare=False)
    pending: Iterator[Occurrence] = field(compare=False)
    fresh: Fresh = field(compare=False)
    generation: int = field(compare=False)


@dataclass(frozen=True)
class JumpReport:
    """What a jump did."""

    start: datetime
    end: datetime
    occurrences: int
    requests: int
    by_service: dict[str, int]


class JumpTooBig(Exception):
    """A jump would run more occurrences than allowed."""

    def __init__(self, due: int, limit: int) -> None:
        super().__init__(f"{due} > {limit}")
        self.due = due
        self.limit = limit


class Scheduler:
    """Planned occurrences of every agent, and the task that runs them."""

    def __init__(self, clock: Clock, run: Runner, active: Callable[[AgentKey], bool]) -> None:
        self.clock = clock
        self._run = run
        self._active = active
        self._heap: list[_Entry] = []
        self._seq = count()
        self._generations: dict[AgentKey, int] = {}
        self._wake = asyncio.Event()
        self.lock = asyncio.Lock()

    # --- planning --------------------------------------------------------------------------------

    def plan(self, key: AgentKey, action: int, fresh: Fresh) -> None:
        """Plan every occurrence `fresh()` yields for one action of an agent."""
        self._push(key, action, fresh(), fresh, self._generations.setdefault(key, 0))
        self._wake.set()

    def forget(self, key: AgentKey) -> None:
        """Drop an agent's planned occurrences (its entries are skipped from now on)."""
        self._generations[key] = self._generations.get(key, 0) + 1

    def clear(self) -> None:
        self._heap.clear()
        self._generations.clear()

    def wake(self) -> None:
        """Re-read the clock and the plan now (after a clock change or a new agent)."""
        self._wake.set()

    def next_due(self) -> datetime | None:
        entry = self._peek()
        return entry.at if entry else None

    def _push(self, key: AgentKey, action: int, pending: Iterator[Occurrence], fresh: Fresh,
              generation: int) -> None:
        occurrence = next(pending, None)
        if occurrence is not None:
            heapq.heappush(self._heap, _Entry(occurrence.at, next(self._seq), key, action,
                                              occurrence, pending, fresh, generation))

    def _live(self, entry: _Entry) -> bool:
        return self._generations.get(entry.key) == entry.generation

    def _peek(self) -> _Entry | None:
        while self._heap and not self._live(self._heap[0]):
            heapq.heappop(self._heap)
        return self._heap[0] if self._heap else None

    def _pop_due(self, until: datetime) -> _Entry | None:
        entry = self._peek()
        if entry is None or entry.at > until:
            return None
        heapq.heappop(self._heap)
        self._push(entry.key, entry.action, entry.pending, entry.fresh, entry.generation)
        return entry

    # --- running ---------------------------------------------------------------------------------

    async def run_forever(self) -> None:
        """Run occurrences as they fall due, until cancelled."""
        while True:
            entry = self._peek()
            now = self.clock.now()
            if entry is not None and entry.at <= now:
                async with self.lock:
                    due = self._pop_due(self.clock.now())
                    if due is not None:
                        await self._execute(due)
                continue
            self._wake.clear()
            await self._sleep(self._wait_seconds(entry, now))

    async def _sleep(self, seconds: float) -> None:
        """Wait `seconds` or until woken. Not `asyncio.wait_for`: on Python 3.11 a timeout
        and a cancellation landing together can swallow the cancellation (gh-86296)."""
        woken = asyncio.ensure_future(self._wake.wait())
        try:
            await asyncio.wait({woken}, timeout=seconds)
        finally:
            woken.cancel()

    def _wait_seconds(self, entry: _Entry | None, now: datetime) -> float:
        speed = self.clock.speed
        if entry is None or speed <= 0:
            return POLL_SECONDS
        return max(0.0, min(POLL_SECONDS, (entry.at - now).total_seconds() / speed))

    async def _execute(self, entry: _Entry) -> int:
        try:
            return await self._run(entry.key, entry.action, entry.occurrence)
        except Exception:
            # One broken occurrence must not stop the whole simulation.
            logger.exception("occurrence of %s action %s failed", entry.key, entry.action)
            return 0

    async def run_now(self, work: Callable[[], Awaitable]) -> object:
        """Run `work` between two occurrences (never during one, never during a jump)."""
        async with self.lock:
            return await work()

    # --- jumping ---------------------------------------------------------------------------------

    def count_due(self, until: datetime) -> int:
        """How many occurrences of active agents fall at or before `until`."""
        total = 0
        for entry in self._heap:
            if not self._live(entry) or not self._active(entry.key) or entry.at > until:
                continue
            for occurrence in entry.fresh():
                if occurrence.at > until:
                    break
                if occurrence.index >= entry.occurrence.index:
                    total += 1
        return total

    async def jump(self, delta: timedelta, limit: int) -> JumpReport:
        """Move the clock `delta` forward through every occurrence on the way (at most `limit`
        of active agents: `JumpTooBig` otherwise, and nothing moves)."""
        async with self.lock:
            speed = self.clock.speed
            self.clock.set_speed(0)
            try:
                return await self._jump(delta, limit)
            finally:
                self.clock.set_speed(speed)
                self._wake.set()

    async def _jump(self, delta: timedelta, limit: int) -> JumpReport:
        start = self.clock.now()
        end = start + delta
        due = self.count_due(end)
        if due > limit:
            raise JumpTooBig(due, limit)
        ran, requests, by_service = 0, 0, {}
        while (entry := self._pop_due(end)) is not None:
            if entry.at > self.clock.now():
                self.clock.advance(entry.at - self.clock.now())
            sent = await self._execute(entry)
            if sent:
                ran += 1
                requests += sent
                by_service[entry.key[0]] = by_service.get(entry.key[0], 0) + 1
        if end > self.clock.now():
            self.clock.advance(end - self.clock.now())
        return JumpReport(start, self.clock.now(), ran, requests, by_service)
