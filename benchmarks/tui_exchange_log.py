"""The exchange log widget with 100,000 entries: ingest, memory, filters, a screenful drawn.

The widget runs in a headless Textual app of the given size. Entries are synthetic
`ExchangeSummary`s (three services, every fifth one denied, the strings shared as the client
layer shares them), handed over in batches of 500 like the live feed's. Measured:

- ingest: all batches appended, then the first frame after them;
- memory: Python allocations held by the entries plus the log's buffer (tracemalloc), and the
  process's peak resident size;
- filters: a text filter applied the first time (search texts built then), another one, a quick
  filter by service, and back to no filter;
- drawing: one screenful of lines drawn from nothing (cold cache) at a few places in the log.

    python benchmarks/tui_exchange_log.py [--entries 100000] [--size 120x40]
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import resource
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from textual.app import App, ComposeResult

from ens_consent_tui.client.exchanges import ExchangeSummary, QuickFilters
from ens_consent_tui.i18n import Catalogue
from ens_consent_tui.widgets.exchange_log import ExchangeLog
from ens_consent_tui.widgets.exchange_log_format import NO_TEXT_FILTER, parse_text_filter

BATCH = 500
SERVICES = (("glyco-pilote", "GlycoPilote"), ("pesee-claire", "Pesée Claire"),
            ("chu-belles-rives", "Mon Parcours CHU des Belles-Rives"))
REASON = ("Consentement non donné : le patient n'a pas autorisé cette application à rechercher "
          "les ressources DocumentReference.")
START = datetime(2026, 11, 26, 9, 30, tzinfo=UTC)


def synthetic(count: int) -> list[ExchangeSummary]:
    exchanges = []
    for n in range(1, count + 1):
        client_id, name = SERVICES[n % 3]
        denied = n % 5 == 0
        exchanges.append(ExchangeSummary(
            id=n, at=START + timedelta(seconds=n), client_id=client_id, service_name=name,
            data_class="measures" if n % 2 else "documents",
            subtype="glucose" if n % 2 else "biologie", direction="read" if n % 4 else "write",
            interaction="search", outcome="denied" if denied else "allowed",
            reason=REASON if denied else None, count=n % 50))
    return exchanges


class LogApp(App[None]):
    def compose(self) -> ComposeResult:
        yield ExchangeLog(Catalogue("fr"), id="log")


def timed(action: Callable[[], object]) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def draw_screenful(log: ExchangeLog) -> None:
    log.notify_style_update()  # an empty line cache: every line drawn anew
    for y in range(log.scrollable_content_region.height):
        log.render_line(y)


async def measure(entries: int, size: tuple[int, int]) -> list[str]:
    app = LogApp()
    report = []
    async with app.run_test(size=size) as pilot:
        log = app.query_one(ExchangeLog)
        exchanges = synthetic(entries)
        start = time.perf_counter()
        for first in range(0, entries, BATCH):
            log.append(exchanges[first:first + BATCH])
        appended = time.perf_counter() - start
        await pilot.pause()
        ingest = time.perf_counter() - start
        report.append(f"ingest {entries:,} entries in batches of {BATCH}: "
                      f"{appended * 1e3:.0f} ms appended, {ingest * 1e3:.0f} ms to the next "
                      f"frame ({entries / ingest:,.0f} entries/s)")
        # Memory, measured on a second ingest (tracemalloc slows everything it watches).
        log.clear()
        del exchanges
        gc.collect()
        tracemalloc.start()
        before = tracemalloc.get_traced_memory()[0]
        exchanges = synthetic(entries)
        made = tracemalloc.get_traced_memory()[0]
        for first in range(0, entries, BATCH):
            log.append(exchanges[first:first + BATCH])
        held = tracemalloc.get_traced_memory()[0]
        tracemalloc.stop()
        del exchanges
        await pilot.pause()
        report.append(f"memory: entries {(made - before) / 2**20:.1f} MiB + log buffer "
                      f"{(held - made) / 2**20:.1f} MiB = {(held - before) / entries:.0f} "
                      f"bytes per entry; peak RSS "
                      f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")
        for label, text, quick in (
            ("text filter 'refusé' (first: search texts built)", "refusé", QuickFilters()),
            ("text filter '!Glyco' (exclusion)", "!Glyco", QuickFilters()),
            ("regex 'Glyc.*écriture'", "Glyc.*écriture", QuickFilters()),
            ("quick filter service + outcome", "",
             QuickFilters(services=frozenset({"pesee-claire"}),
                          outcomes=frozenset({"denied"}))),
            ("no filter", "", QuickFilters()),
        ):
            text_filter = parse_text_filter(text) if text else NO_TEXT_FILTER
            seconds = timed(lambda t=text_filter, q=quick: log.set_filters(t, q))
            await pilot.pause()
            report.append(f"{label:<50} {seconds * 1e3:7.1f} ms  ({log.shown_count:,} shown)")
        draws = []
        for y in (0, entries // 4, entries // 2, entries - 1):
            log.scroll_to(y=y, animate=False, immediate=True, force=True)
            await pilot.pause()
            draws.append(timed(lambda: draw_screenful(log)))
        height = log.scrollable_content_region.height
        report.append(f"one screenful ({height} lines) drawn from nothing: median "
                      f"{statistics.median(draws) * 1e3:.2f} ms, max {max(draws) * 1e3:.2f} ms")
    return report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=100_000)
    parser.add_argument("--size", default="120x40")
    args = parser.parse_args()
    size = tuple(int(part) for part in args.size.split("x"))
    print(f"ExchangeLog, {args.entries:,} entries, terminal {args.size}, "
          f"Python {sys.version.split()[0]}")
    for line in asyncio.run(measure(args.entries, size)):
        print(line)


if __name__ == "__main__":
    main()
