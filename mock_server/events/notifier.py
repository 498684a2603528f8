"""Wakes waiting readers as soon as new events are committed, from any thread of this process."""

from __future__ import annotations

import asyncio
import threading


class Notifier:
    """Subscribers wait on an asyncio.Event; `notify` sets them all, thread-safely."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._waiters: set[tuple[asyncio.AbstractEventLoop, asyncio.Event]] = set()

    def subscribe(self) -> tuple[asyncio.AbstractEventLoop, asyncio.Event]:
        """Register the calling coroutine's loop; pass the result to `wait` and `unsubscribe`."""
        waiter = (asyncio.get_running_loop(), asyncio.Event())
        with self._lock:
            self._waiters.add(waiter)
        return waiter

    def unsubscribe(self, waiter: tuple[asyncio.AbstractEventLoop, asyncio.Event]) -> None:
        with self._lock:
            self._waiters.discard(waiter)

    async def wait(self, waiter: tuple[asyncio.AbstractEventLoop, asyncio.Event],
                   timeout: float) -> bool:
        """Wait for a notification or the timeout; True when notified."""
        event = waiter[1]
        try:
            await asyncio.wait_for(event.wait(), timeout)
        except TimeoutError:
            return False
        event.clear()
        return True

    def notify(self) -> None:
        """Call after committing events."""
        with self._lock:
            waiters = list(self._waiters)
        for loop, event in waiters:
            if loop.is_closed():
                continue
            try:
                loop.call_soon_threadsafe(event.set)
            except RuntimeError:  # loop closed between the check and the call
                continue
