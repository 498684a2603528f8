"""The embedded platform: the bundled mock server as a child process on a free loopback port.

The only place the app refers to `mock_server`, and only by running it (`python -m mock_server
serve`): the app itself still talks to it over HTTP, exactly as to a shared server. The process
is stopped on exit, even after an error (context manager; terminate, then kill after a delay).

Each start gets a new facilitator token (`facilitator_token`), given to the process through
`ENS_FACILITATOR_TOKEN`: the app (a guided scenario, the headless runner) holds it to use the
console API of its own server, and nobody else knows it.
"""

from __future__ import annotations

import os
import secrets
import socket
import subprocess
import sys
import tempfile
import time
from types import TracebackType
from typing import IO

import httpx

SERVER_MODULE = "mock_server"
STARTUP_TIMEOUT = 90.0
"""Seconds to wait for the first answer (a first start seeds the database: a few seconds)."""
STOP_TIMEOUT = 5.0
POLL_INTERVAL = 0.1
LOG_LINES = 8


class EmbeddedServerError(RuntimeError):
    """The embedded server did not start; the message ends with its last output lines."""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class EmbeddedServer:
    """`with EmbeddedServer(...) as url:` runs the mock server for the duration of the block."""

    def __init__(self, *, database_url: str | None = None, fresh: bool = False,
                 startup_timeout: float = STARTUP_TIMEOUT, maille: str | None = None) -> None:
        self.database_url = database_url
        self.fresh = fresh
        self.startup_timeout = startup_timeout
        self.maille = maille
        """Consent granularity to start with (`categorie`, `type`, `ressource`); None: the
        server's default."""
        self.facilitator_token = ""
        """The console API's bearer token of the running process (new at each start)."""
        self.port = 0
        self.process: subprocess.Popen[bytes] | None = None
        self._log: IO[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> str:
        self.start()
        return self.url

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        self.stop()

    def command(self) -> list[str]:
        command = [sys.executable, "-m", SERVER_MODULE, "serve", "--host", "127.0.0.1",
                   "--port", str(self.port)]
        if self.database_url:
            command += ["--database-url", self.database_url]
        if self.fresh:
            command.append("--fresh")
        if self.maille:
            command += ["--maille", self.maille]
        return command

    def start(self) -> None:
        """Start the process and wait until `GET /fhir/metadata` answers."""
        self.port = free_port()
        # Output goes to a file, not a pipe nobody reads (a full pipe would block the server).
        self._log = tempfile.TemporaryFile()  # noqa: SIM115 - closed by stop()
        self.facilitator_token = secrets.token_urlsafe(24)
        environment = {k: v for k, v in os.environ.items() if k != "ENS_PUBLIC_URL"}
        environment["ENS_FACILITATOR_TOKEN"] = self.facilitator_token
        self.process = subprocess.Popen(self.command(), stdin=subprocess.DEVNULL,
                                        stdout=self._log, stderr=subprocess.STDOUT,
                                        env=environment)
        try:
            self._wait_until_ready()
        except BaseException:
            self.stop()
            raise

    def _wait_until_ready(self) -> None:
        assert self.process is not None
        deadline = time.monotonic() + self.startup_timeout
        with httpx.Client(timeout=2.0) as probe:
            while time.monotonic() < deadline:
                if self.process.poll() is not None:
                    raise EmbeddedServerError(
                        f"exit code {self.process.returncode}\n{self.last_output()}")
                try:
                    if probe.get(f"{self.url}/fhir/metadata").status_code == 200:
                        return
                except httpx.TransportError:
                    pass
                time.sleep(POLL_INTERVAL)
        raise EmbeddedServerError(f"no answer after {self.startup_timeout:.0f} s\n"
                                  f"{self.last_output()}")

    def last_output(self, lines: int = LOG_LINES) -> str:
        """The last lines the server wrote (its explanation when it fails)."""
        if self._log is None or self._log.closed:
            return ""
        self._log.seek(0)
        text = self._log.read().decode("utf-8", errors="replace")
        return "\n".join(text.strip().splitlines()[-lines:])

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def stop(self) -> None:
        """Terminate the process (kill it if it lingers) and drop its output."""
        process, self.process = self.process, None
        if process is not None and process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=STOP_TIMEOUT)
        if self._log is not None:
            self._log.close()
            self._log = None
