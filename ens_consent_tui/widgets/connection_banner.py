"""The banner that says the server is unreachable and when the app tries again.

The app holds the state (`connection`: a `LostConnection`, or None while all is well); every
section screen shows this banner under its header, so the person sees it wherever they are and
goes on using what is already loaded.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

from textual.timer import Timer
from textual.widgets import Static

COUNTDOWN_SECONDS = 0.5
"""How often the seconds left are recounted while the banner shows."""


@dataclass(frozen=True)
class LostConnection:
    """The server stopped answering; the next try is at `retry_at` (`time.monotonic()`)."""

    retry_at: float
    reason: str

    @classmethod
    def retrying_in(cls, seconds: float, reason: str) -> LostConnection:
        return cls(time.monotonic() + seconds, reason)

    def seconds_left(self) -> int:
        return max(math.ceil(self.retry_at - time.monotonic()), 0)


class ConnectionBanner(Static):
    """"⚠ Serveur injoignable — nouvelle tentative dans 5 s…", hidden while the server answers."""

    DEFAULT_CSS = """
    ConnectionBanner {
        display: none;
        width: 1fr;
        height: 1;
        padding: 0 1;
        background: $error;
        color: $text;
        text-style: bold;
    }
    ConnectionBanner.-lost {
        display: block;
    }
    """

    def __init__(self) -> None:
        super().__init__(id="connection-banner")
        self._lost: LostConnection | None = None
        self._countdown: Timer | None = None

    def on_mount(self) -> None:
        self.watch(self.app, "connection", self._show)

    def _show(self, lost: LostConnection | None) -> None:
        self._lost = lost
        self.set_class(lost is not None, "-lost")
        if lost is None:
            if self._countdown is not None:
                self._countdown.stop()
                self._countdown = None
            return
        if self._countdown is None:
            self._countdown = self.set_interval(COUNTDOWN_SECONDS, self._count)
        self._count()

    def _count(self) -> None:
        if self._lost is None:
            return
        t = self.app.i18n
        seconds = self._lost.seconds_left()
        self.update(t("banner.lost", seconds=seconds) if seconds else t("banner.retrying"))
