"""Per-client token bucket for the FHIR API, on real monotonic time (not the simulated clock:
fast-forwarding a workshop must not hand out a burst of requests)."""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable


class RateLimiter:
    """Each client may spend `burst` requests at once, refilled at `rate` per second.

    A rate of 0 (or less) turns the limit off.
    """

    def __init__(
        self, rate: float, burst: int, monotonic: Callable[[], float] = time.monotonic
    ) -> None:
        self.rate = rate
        self.burst = max(burst, 1)
        self._monotonic = monotonic
        self._lock = threading.Lock()
        self._buckets: dict[str, tuple[float, float]] = {}

    def retry_after(self, client_id: str) -> int | None:
        """Take one request from the client's bucket; None if allowed, else seconds to wait."""
        if self.rate <= 0:
            return None
        now = self._monotonic()
        with self._lock:
            tokens, last = self._buckets.get(client_id, (float(self.burst), now))
            tokens = min(float(self.burst), tokens + (now - last) * self.rate)
            if tokens >= 1:
                self._buckets[client_id] = (tokens - 1, now)
                return None
            self._buckets[client_id] = (tokens, now)
            return max(1, math.ceil((1 - tokens) / self.rate))
