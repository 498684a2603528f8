"""The live feed on the app's side: one worker follows the space's events, batches them, and
the app turns them into toasts and hands them to the section screens.

Events are gathered as they come and posted as one `EventsReceived` every `BATCH_SECONDS`, so a
service making hundreds of requests a second costs a few messages a second (the toolong pattern).
A batch's toasts are grouped by service: twenty denials of one service are one toast.

The follower is a plain asyncio task rather than a Textual worker: it never ends while someone
is signed in, and workers are what "wait until the app is idle" waits for. The event client (and
httpx-sse) is imported when the feed starts, after sign-in.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from textual.timer import Timer

from ens_consent_tui.client import ClientError
from ens_consent_tui.i18n import Catalogue
from ens_consent_tui.messages import ConnectionLost, ConnectionRestored, EventsReceived

if TYPE_CHECKING:
    from ens_consent_tui.app import EnsConsentApp
    from ens_consent_tui.client.events import Event

BATCH_SECONDS = 0.15
"""Events are handed to the app at most this often (DESIGN §6: every 100–250 ms)."""

Severity = Literal["information", "warning", "error"]


@dataclass(frozen=True)
class Toast:
    """A notification to show: title and message in words."""

    title: str
    message: str
    severity: Severity


class LiveFeed:
    """Follows the events of the space shown, for the app (see the module docstring)."""

    def __init__(self, app: EnsConsentApp) -> None:
        self.app = app
        self.patient_id: str | None = None
        self._pending: list[Event] = []
        self._task: asyncio.Task[None] | None = None
        self._timer: Timer | None = None

    def start(self, patient_id: str) -> None:
        """Follow `patient_id`'s events from now on (instead of any space followed before)."""
        self.stop()
        self.patient_id = patient_id
        self._task = asyncio.create_task(self._follow(), name=f"live-feed-{patient_id}")
        self._task.add_done_callback(self._ended)
        self._timer = self.app.set_interval(BATCH_SECONDS, self._flush)

    def stop(self) -> None:
        """Stop following (sign-out, another space); events not yet handed over are dropped."""
        if self._task is not None:
            self._task.cancel()
        if self._timer is not None:
            self._timer.stop()
        self._task, self._timer = None, None
        self._pending = []
        self.patient_id = None

    async def _follow(self) -> None:
        from ens_consent_tui.client.events import Event, FeedLost, FeedRestored

        try:
            async for item in self.app.client.events.follow():
                if isinstance(item, Event):
                    self._pending.append(item)
                elif isinstance(item, FeedLost):
                    self.app.post_message(ConnectionLost(item.retry_in, item.reason))
                elif isinstance(item, FeedRestored):
                    self.app.post_message(ConnectionRestored())
        except ClientError as error:
            # Only an expired session ends the feed: the app sends the person to the login.
            self.app.report_error(error)

    def _ended(self, task: asyncio.Task[None]) -> None:
        if not task.cancelled() and task.exception() is not None:
            # A bug, not a network failure: the app fails loudly, as with a worker's error.
            self.app.call_later(_reraise, task.exception())

    def _flush(self) -> None:
        if self._pending and self.patient_id is not None:
            batch, self._pending = self._pending, []
            self.app.post_message(EventsReceived(self.patient_id, batch))

    def hand_over(self, message: EventsReceived, modes: Iterable[str]) -> None:
        """Show the toasts of a batch and forward a copy to every screen of `modes`."""
        t = self.app.i18n
        for toast in toasts_for(t, message.events):
            self.app.notify(toast.message, title=toast.title, severity=toast.severity,
                            timeout=8 if toast.severity != "information" else 5)
        for mode in modes:
            try:
                stack = self.app.get_screen_stack(mode)
            except KeyError:
                continue  # a section not opened yet loads everything when it opens
            for screen in stack:
                screen.post_message(EventsReceived(message.patient_id, message.events))


def _reraise(error: BaseException) -> None:
    raise error


def toasts_for(t: Catalogue, events: Iterable[Event]) -> list[Toast]:
    """The toasts of a batch: new data, denied accesses (grouped by service), suspensions."""
    new_data: dict[str, list[Event]] = {}
    denied: dict[str, list[Event]] = {}
    toasts: list[Toast] = []
    for event in events:
        if event.kind == "new_data":
            new_data.setdefault(event.service_name, []).append(event)
        elif event.kind == "exchange" and event.data.get("outcome") == "denied":
            denied.setdefault(event.service_name, []).append(event)
        elif event.kind == "suspension":
            toasts.append(_suspension(t, event))
    for service, found in new_data.items():
        message = (_new_data_message(t, found[0]) if len(found) == 1
                   else t("events.new_data.many", count=len(found), service=service))
        toasts.append(Toast(t("events.new_data.title"), message, "information"))
    for service, found in denied.items():
        reason = str(found[-1].data.get("reason") or t("error.no_reason"))
        message = (t("events.denied.message", service=service, reason=reason) if len(found) == 1
                   else t("events.denied.many", count=len(found), service=service,
                          reason=reason))
        toasts.append(Toast(t("events.denied.title"), message, "warning"))
    return toasts


def _server_sentence(t: Catalogue, event: Event) -> str | None:
    """The platform words its events in French: its own sentence is used in French."""
    message = event.data.get("message")
    return message if t.lang == "fr" and isinstance(message, str) and message else None


def _new_data_message(t: Catalogue, event: Event) -> str:
    data_class = str(event.data.get("data_class") or "other")
    return _server_sentence(t, event) or t(
        "events.new_data.message", what=t(f"exchanges.class.{data_class}"),
        service=event.service_name)


def _suspension(t: Catalogue, event: Event) -> Toast:
    kind = "suspension" if event.data.get("suspended", True) else "reinstated"
    message = _server_sentence(t, event) or t(f"events.{kind}.message",
                                               service=event.service_name)
    return Toast(t(f"events.{kind}.title"), message,
                 "warning" if kind == "suspension" else "information")
