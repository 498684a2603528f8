"""The journey journal: what a person does in the app, one JSON object a line, for UX research.

One file per app session, `<dir>/<YYYYMMDD-HHMMSS>-<8 hex>.jsonl` (the name is the session id).
Each line is written and flushed at once, so a crash loses nothing already journaled; the first
I/O error turns the journal off (the app then says so once) rather than stopping the app.

This module knows nothing of Textual: the app decides what to journal (`journal_recorder`), the
`journal` command reads the files back (`journal_cli`).
"""

from __future__ import annotations

import contextlib
import json
import secrets
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import IO, Any

import platformdirs

CONTEXT_FIELDS = ("account", "space", "scenario", "step")
"""Who and where, repeated on every line: the account signed in, the patient id of the space
shown, the scenario and step being guided (each None when there is none)."""
BASE_FIELDS = ("at", "session", "seq", *CONTEXT_FIELDS, "event")
"""The fields every line starts with, in this order; an event's own details follow."""
SUFFIX = ".jsonl"


def default_journal_dir() -> Path:
    """Where journals go unless told otherwise: the user's data folder for the app."""
    return platformdirs.user_data_path("ens-consent") / "journal"


def wall_clock() -> datetime:
    """Now, in local time with its UTC offset (what a researcher reads next to their notes)."""
    return datetime.now().astimezone()


def new_session_id(now: datetime) -> str:
    """`YYYYMMDD-HHMMSS-xxxxxxxx`: sorts by start time, unique among sessions started at once."""
    return f"{now:%Y%m%d-%H%M%S}-{secrets.token_hex(4)}"


class Journal:
    """The journal of one app session: `write` appends one event.

    `now` gives the wall time of each line (injectable for tests); `monotonic` measures
    durations (how long a dialog stayed open) that wall-clock changes must not distort.
    """

    def __init__(self, directory: Path, *, now: Callable[[], datetime] = wall_clock,
                 monotonic: Callable[[], float] = time.monotonic) -> None:
        self.directory = directory
        self.now = now
        self.monotonic = monotonic
        self.session = new_session_id(now())
        self.path = directory / f"{self.session}{SUFFIX}"
        self.seq = 0
        self.context: dict[str, Any] = dict.fromkeys(CONTEXT_FIELDS)
        self.failure: OSError | None = None
        """The I/O error that turned the journal off, if one did."""
        self._file: IO[str] | None = None
        self._closed = False

    @property
    def enabled(self) -> bool:
        return self.failure is None and not self._closed

    def update(self, **context: Any) -> None:
        """Change who/where the next lines say (`account`, `space`, `scenario`, `step`)."""
        unknown = context.keys() - set(CONTEXT_FIELDS)
        if unknown:
            raise ValueError(f"not journal context fields: {sorted(unknown)}")
        self.context.update(context)

    def write(self, event: str, **details: Any) -> bool:
        """Append `event` with its details, flushed; False when the journal is off (now or
        already): the first failure is kept in `failure`."""
        if not self.enabled:
            return False
        clash = details.keys() & set(BASE_FIELDS)
        if clash:
            raise ValueError(f"details may not replace journal fields: {sorted(clash)}")
        self.seq += 1
        line = {"at": self.now().isoformat(timespec="milliseconds"), "session": self.session,
                "seq": self.seq, **self.context, "event": event, **details}
        try:
            if self._file is None:
                self.directory.mkdir(parents=True, exist_ok=True)
                self._file = self.path.open("a", encoding="utf-8")
            self._file.write(json.dumps(line, ensure_ascii=False, default=str) + "\n")
            self._file.flush()
        except OSError as error:
            self.failure = error
            self._release()
            return False
        return True

    def close(self) -> None:
        """No more lines (the app closed)."""
        self._closed = True
        self._release()

    def _release(self) -> None:
        if self._file is not None:
            with contextlib.suppress(OSError):  # what could be written was flushed already
                self._file.close()
            self._file = None
