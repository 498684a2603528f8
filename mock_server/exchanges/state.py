"""The exchange log's server state, kept on `app.state.exchanges`."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import TYPE_CHECKING, Final

from starlette.applications import Starlette

if TYPE_CHECKING:
    # Only for the annotation: the FHIR routes import this module while the recorder imports
    # the FHIR package.
    from mock_server.exchanges.recorder import ExchangeRecorder

MAX_STREAMS_PER_PATIENT: Final = 10
KEEPALIVE_SECONDS: Final = 15.0
POLL_SECONDS: Final = 1.0
"""How often an open stream re-reads the table without a wake-up (writes by another process)."""


class StreamSlots:
    """Open event streams per patient, at most `per_patient` each."""

    def __init__(self, per_patient: int) -> None:
        self.per_patient = per_patient
        self._lock = threading.Lock()
        self._open: dict[str, int] = {}

    def acquire(self, patient_id: str) -> bool:
        """Take a slot for one more stream; False when the patient has none left."""
        with self._lock:
            count = self._open.get(patient_id, 0)
            if count >= self.per_patient:
                return False
            self._open[patient_id] = count + 1
            return True

    def release(self, patient_id: str) -> None:
        with self._lock:
            count = self._open.get(patient_id, 0) - 1
            if count > 0:
                self._open[patient_id] = count
            else:
                self._open.pop(patient_id, None)

    def open_streams(self, patient_id: str) -> int:
        with self._lock:
            return self._open.get(patient_id, 0)


@dataclass
class ExchangeLog:
    """The recorder and the live-stream settings of one app (tests may shorten the delays)."""

    recorder: ExchangeRecorder
    streams: StreamSlots
    keepalive_seconds: float = KEEPALIVE_SECONDS
    poll_seconds: float = POLL_SECONDS


def exchange_log(app: Starlette) -> ExchangeLog:
    return app.state.exchanges
