"""ExchangeLog on its own: 100,000 entries render, filter and scroll; the buffer stays bounded;
older pages come in at the top without moving what the person looks at."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from textual.app import App, ComposeResult
from textual.message import Message

from ens_consent_tui.client.exchanges import (
    DATA_CLASSES,
    DIRECTIONS,
    OUTCOMES,
    ExchangeSummary,
    QuickFilters,
)
from ens_consent_tui.i18n import LANGUAGES, Catalogue
from ens_consent_tui.widgets.exchange_log import ExchangeLog, ExchangeLogHeader, LogEntry
from ens_consent_tui.widgets.exchange_log_format import NO_TEXT_FILTER, layout, parse_text_filter

SERVICES = (("glyco-pilote", "GlycoPilote"), ("pesee-claire", "Pesée Claire"),
            ("chu-belles-rives", "Mon Parcours CHU des Belles-Rives"))
START = datetime(2026, 11, 26, 9, 30, tzinfo=UTC)


def synthetic(first: int, count: int) -> list[ExchangeSummary]:
    """`count` exchanges from id `first`: three services, every fifth one denied."""
    exchanges = []
    for n in range(first, first + count):
        client_id, name = SERVICES[n % 3]
        denied = n % 5 == 0
        exchanges.append(ExchangeSummary(
            id=n, at=START + timedelta(seconds=n), client_id=client_id, service_name=name,
            data_class="measures" if n % 2 else "documents",
            subtype="glucose" if n % 2 else "biologie", direction="read" if n % 4 else "write",
            interaction="search", outcome="denied" if denied else "allowed",
            reason="Consentement non donné" if denied else None, count=n % 50))
    return exchanges


class LogApp(App[None]):
    def __init__(self, max_entries: int = 200_000) -> None:
        super().__init__()
        self.max_entries = max_entries

    def compose(self) -> ComposeResult:
        t = Catalogue("fr")
        yield ExchangeLogHeader(t, id="columns")
        yield ExchangeLog(t, max_entries=self.max_entries, id="log")


def screen_lines(log: ExchangeLog) -> list[str]:
    return [log.render_line(y).text for y in range(log.scrollable_content_region.height)]


async def test_a_hundred_thousand_entries_render_filter_and_scroll() -> None:
    app = LogApp()
    async with app.run_test(size=(80, 24)) as pilot:
        log = app.query_one(ExchangeLog)
        for first in range(1, 100_001, 5_000):  # batches, as the feed delivers them
            log.append(synthetic(first, 5_000))
        await pilot.pause()
        assert log.entry_count == 100_000 and log.shown_count == 100_000
        lines = screen_lines(log)
        assert len(lines) == 23 and all(len(line) == 79 for line in lines)
        assert "✗ refusé" in lines[-1], "the newest (n° 100,000, denied) at the bottom"
        assert log.following

        log.set_filters(parse_text_filter("refusé"), QuickFilters())
        await pilot.pause()
        assert log.shown_count == 20_000
        assert all("✗ refusé" in line for line in screen_lines(log))

        log.set_filters(NO_TEXT_FILTER, QuickFilters(services=frozenset({"pesee-claire"}),
                                                     directions=frozenset({"write"})))
        await pilot.pause()
        assert log.shown_count == len([e for e in synthetic(1, 100_000)
                                       if e.client_id == "pesee-claire" and e.id % 4 == 0])
        assert all("Pesée Claire" in line and "écriture" in line for line in screen_lines(log))

        log.set_filters(NO_TEXT_FILTER, QuickFilters())
        log.focus()
        await pilot.press("home")
        assert log.scroll_y == 0 and not log.following
        first = log.selected
        assert isinstance(first, LogEntry) and first.exchange.id == 1
        await pilot.press("pagedown", "pagedown")
        assert log.cursor == 2 * 22 and log.scroll_y > 0
        log.scroll_to(y=50_000, animate=False, immediate=True)
        await pilot.pause()
        assert screen_lines(log)[0].startswith("00:23:21 ")  # n° 50,001: 09:30 UTC + 50,001 s
        await pilot.press("end")
        assert log.following and log.cursor == 99_999


async def test_the_buffer_drops_the_oldest_entries_beyond_its_bound() -> None:
    app = LogApp(max_entries=1_000)
    async with app.run_test(size=(80, 24)) as pilot:
        log = app.query_one(ExchangeLog)
        log.append(synthetic(1, 900))
        log.append(synthetic(901, 300))
        await pilot.pause()
        assert log.entry_count <= 1_000
        ids = [line.exchange.id for line in log.shown() if isinstance(line, LogEntry)]
        assert ids[-1] == 1_200 and ids == sorted(ids) and ids[0] > 200
        log.append(synthetic(1_100, 200))  # already there up to 1,200: only the new ones
        await pilot.pause()
        assert log.newest_id == 1_299 and log.entry_count <= 1_000


async def test_reaching_the_top_asks_for_the_older_page_which_comes_in_without_moving_the_view(
        ) -> None:
    app = LogApp()
    wanted: list[int] = []

    def hook(message: Message) -> None:
        if isinstance(message, ExchangeLog.OlderWanted) and message.before not in wanted:
            wanted.append(message.before)  # (the hook sees it at each node it bubbles to)

    async with app.run_test(size=(80, 24), message_hook=hook) as pilot:
        log = app.query_one(ExchangeLog)
        log.prepend(synthetic(501, 500), has_older=True)  # the newest page comes first
        log.focus()
        await pilot.press("home")
        await pilot.pause()
        assert wanted == [501] and log.cursor == 0
        in_sight = screen_lines(log)
        log.prepend(synthetic(1, 500), has_older=False)
        await pilot.pause()
        assert [line.exchange.id for line in log.shown()[:2]] == [1, 2]
        assert log.cursor == 500 and screen_lines(log) == in_sight
        assert not log.has_older


def test_every_word_the_log_and_its_toasts_build_is_in_both_catalogues() -> None:
    built = {
        *(f"exchanges.outcome.{o}" for o in OUTCOMES),
        *(f"exchanges.direction.{d}" for d in DIRECTIONS),
        *(f"exchanges.class.{c}" for c in DATA_CLASSES),
        *(f"exchanges.column.{c.name}" for c in layout(80)),
        *(f"events.{kind}.{part}" for kind in ("suspension", "reinstated")
          for part in ("title", "message")),
    }
    for lang in ("fr", "en"):
        assert built <= set(LANGUAGES[lang]), lang
