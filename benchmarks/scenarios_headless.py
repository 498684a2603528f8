"""Headless scenario runs: seconds per scenario of the built-in library, against a bare Textual
app pressing as many keys.

The whole library (`scenarios/*.yaml`, every variant) runs `--rounds` times through
`run_files`, exactly as `ens-consent scenario run` runs it, against ONE embedded server started
once (its start is timed on its own). A scenario's time is its `ScenarioResult.seconds`: the
starting state prepared through the console, a new app in a headless terminal of 120x40, the
sign-in through the login screen, every step (actions through the screens, facilitator actions
through the console, expectations looked at until they hold), the app closed. The keys the run
presses are counted per scenario; the baseline, measured in the same run, is a bare Textual app
(one input field) started with `run_test` in the same terminal size, pressed as many keys by the
same code (`Driver.press`), then closed.

    python benchmarks/scenarios_headless.py [--rounds 3] [--screenshots]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
from collections import defaultdict
from pathlib import Path

from textual.app import App, ComposeResult
from textual.widgets import Input

from ens_consent_tui.scenarios import headless
from ens_consent_tui.scenarios.actions import Driver
from ens_consent_tui.scenarios.headless import SCREEN_SIZE, ScenarioResult, run_files

LIBRARY = Path(__file__).resolve().parents[1] / "scenarios"
TARGET = 2.0
"""Seconds per scenario, on average."""


class CountingDriver(Driver):
    """The runner's driver, counting the keys it presses."""

    keys = 0

    async def press(self, *keys: str) -> None:
        CountingDriver.keys += len(keys)
        await super().press(*keys)

    async def type_text(self, text: str) -> None:
        CountingDriver.keys += len(text)
        await super().type_text(text)


class Bare(App[None]):
    def compose(self) -> ComposeResult:
        yield Input()


async def bare_run(keys: int) -> float:
    """Seconds for a bare app: start, `keys` letters pressed, closed."""
    start = time.perf_counter()
    app = Bare()
    async with app.run_test(size=SCREEN_SIZE) as pilot:
        await Driver(pilot, []).press(*["a"] * keys)
    return time.perf_counter() - start


async def rounds(url: str, token: str, count: int, screenshots: bool
                 ) -> tuple[dict[str, list[float]], dict[str, int], list[float], bool]:
    """Seconds of each scenario in each round, its keys, the baseline runs, and whether every
    run passed."""
    headless.Driver = CountingDriver  # type: ignore[misc]
    seconds: dict[str, list[float]] = defaultdict(list)
    keys: dict[str, int] = {}
    baseline: list[float] = []
    passed = True

    def started(_scenario: ScenarioResult) -> None:
        CountingDriver.keys = 0

    def ended(scenario: ScenarioResult) -> None:
        name = Path(scenario.file).stem + (f" [{scenario.variant}]" if scenario.variant else "")
        seconds[name].append(scenario.seconds)
        keys[name] = CountingDriver.keys

    for _ in range(count):
        report = await run_files([LIBRARY], server_url=url, facilitator_token=token,
                                 screenshots=screenshots, on_scenario_start=started,
                                 on_scenario_end=ended)
        passed = passed and report.passed
        for name in keys:
            baseline.append(await bare_run(keys[name]))
    return seconds, keys, baseline, passed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--screenshots", action="store_true",
                        help="take the SVG screenshots a report needs")
    args = parser.parse_args()
    from ens_consent_tui.launcher import EmbeddedServer

    with tempfile.TemporaryDirectory() as folder:
        server = EmbeddedServer(database_url=f"sqlite:///{Path(folder) / 'bench.db'}",
                                fresh=True)
        start = time.perf_counter()
        server.start()
        server_seconds = time.perf_counter() - start
        try:
            seconds, keys, baseline, passed = asyncio.run(
                rounds(server.url, server.facilitator_token, args.rounds, args.screenshots))
        finally:
            server.stop()
    every = [value for series in seconds.values() for value in series]
    files = len(list(LIBRARY.glob("*.yaml")))
    print(f"built-in library: {files} files, {len(seconds)} scenario runs a round, "
          f"{args.rounds} round(s), terminal {SCREEN_SIZE[0]}x{SCREEN_SIZE[1]}, screenshots "
          f"{'on' if args.screenshots else 'off'}, every expectation held: {passed}")
    print(f"embedded server start (fresh database, once): {server_seconds:.2f} s")
    print(f"{'scenario (seconds)':<48} {'keys':>5} {'mean':>6} {'median':>7} {'max':>6}")
    for name, series in seconds.items():
        print(f"{name:<48} {keys[name]:>5} {statistics.mean(series):6.2f} "
              f"{statistics.median(series):7.2f} {max(series):6.2f}")
    mean = statistics.mean(every)
    print(f"{'every scenario':<48} {'':>5} {mean:6.2f} {statistics.median(every):7.2f} "
          f"{max(every):6.2f}")
    base = statistics.mean(baseline)
    print(f"baseline, bare Textual app run_test + the same keys: mean {base:.2f} s, "
          f"median {statistics.median(baseline):.2f} s")
    print(f"ratio scenario / baseline (means): {mean / base:.1f}")
    print(f"mean seconds per scenario: {mean:.2f}  (target < {TARGET})")


if __name__ == "__main__":
    main()
