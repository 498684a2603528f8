"""Cold start of the patient app to its first screen, against a Textual hello-world app.

Each start is a new process in a pseudo-terminal (the real terminal driver, as a person runs
it). In that process, before anything else, `App.on_ready` is set to leave a mark and exit:
Textual sends `Ready` once the first frame is on the terminal. The time measured is from the
spawn of the process to the mark: interpreter start, imports, app construction, first compose
and paint. The patient app runs its real command line, `ens-consent --server URL --token-store
memory` (the login screen), on the bundled server started once beforehand with the embedded
launcher; the baseline is a Textual app showing "Hello, world". Runs alternate between the two,
same machine, same run.

    python benchmarks/tui_startup.py [--runs 9] [--size 80x24]
"""

from __future__ import annotations

import argparse
import contextlib
import fcntl
import os
import pty
import select
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import time
from pathlib import Path

TIMEOUT = 60.0
TARGET = 2.0
MARK = "ENS_BENCH_READY"
"""Environment variable naming the file a child creates when its first screen is painted."""


def child(which: str, server: str | None) -> None:
    """The measured process: mark the first `Ready`, then run the app as a person would."""
    from textual.app import App

    def ready(app: App) -> None:
        Path(os.environ[MARK]).touch()
        app.exit()

    App.on_ready = ready  # type: ignore[attr-defined]
    if which == "hello":
        from textual.widgets import Static

        class Hello(App[None]):
            def compose(self):
                yield Static("Hello, world")

        Hello().run()
        return
    from ens_consent_tui.cli import main as ens_consent

    sys.argv = ["ens-consent", "--server", server or "", "--token-store", "memory"]
    ens_consent()


def time_to_first_screen(command: list[str], folder: Path, size: tuple[int, int]) -> float:
    """Seconds from spawning `command` in a terminal of `size` to its first painted screen."""
    shot = folder / "first-screen"
    shot.unlink(missing_ok=True)
    env = {**os.environ, MARK: str(shot)}
    master, slave = pty.openpty()
    columns, rows = size
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
    start = time.perf_counter()
    process = subprocess.Popen(command, stdin=slave, stdout=slave, stderr=slave, env=env,
                               close_fds=True)
    os.close(slave)
    try:
        while not shot.exists():
            ended = process.poll() is not None and not shot.exists()
            if ended or time.perf_counter() - start > TIMEOUT:
                raise RuntimeError(f"no first screen from {command}")
            # Drain the terminal so the app never blocks writing to it.
            if select.select([master], [], [], 0.002)[0]:
                with contextlib.suppress(OSError):
                    os.read(master, 65536)
        elapsed = time.perf_counter() - start
        process.wait(timeout=TIMEOUT)
        return elapsed
    finally:
        if process.poll() is None:
            process.kill()
        os.close(master)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--size", default="80x24")
    parser.add_argument("--child", choices=("hello", "ens"), help=argparse.SUPPRESS)
    parser.add_argument("--server", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.server)
        return
    size = tuple(int(part) for part in args.size.split("x"))
    # Imported here, not at the top: the measured children import only what they run.
    from ens_consent_tui.launcher import EmbeddedServer

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        me = [sys.executable, str(Path(__file__).resolve())]
        with EmbeddedServer(database_url=f"sqlite:///{folder / 'ens.db'}") as url:
            commands = {
                "textual hello-world": [*me, "--child", "hello"],
                "ens-consent --server": [*me, "--child", "ens", "--server", url],
            }
            for command in commands.values():  # warm the OS file cache, not measured
                time_to_first_screen(command, folder, size)
            times: dict[str, list[float]] = {name: [] for name in commands}
            for _ in range(args.runs):
                for name, command in commands.items():
                    times[name].append(time_to_first_screen(command, folder, size))
    print(f"cold start to first screen, {args.runs} runs each, terminal {args.size}")
    for name, series in times.items():
        print(f"{name:<24} median {statistics.median(series) * 1e3:7.0f} ms   "
              f"min {min(series) * 1e3:7.0f} ms   max {max(series) * 1e3:7.0f} ms")
    ratio = statistics.median(times["ens-consent --server"]) / statistics.median(
        times["textual hello-world"])
    print(f"ratio ens-consent / hello-world (medians): {ratio:.2f}  (target <= {TARGET})")


if __name__ == "__main__":
    main()
