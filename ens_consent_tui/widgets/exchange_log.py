"""ExchangeLog: the live exchange log, a Line-API view over a bounded buffer (the toolong pattern).

The buffer holds at most `max_entries` lines, oldest dropped first (in chunks, so that dropping
stays cheap). The view is the list of lines that pass the filters; `render_line(y)` draws one
line of it from a cache, so 200,000 entries cost what one screenful costs. New entries come in
batches (`append`), older pages at the top (`prepend`). The log follows new entries (tail mode)
until the person moves up or scrolls, and follows again at the bottom; a pause holds new entries
aside and counts them. Markers are lines of their own that every filter keeps.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from typing import ClassVar

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.cache import LRUCache
from textual.geometry import Size
from textual.message import Message
from textual.reactive import var
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.widgets import Static

from ens_consent_tui.client.exchanges import ExchangeSummary, QuickFilters
from ens_consent_tui.formatting import DISPLAY_TZ
from ens_consent_tui.i18n import Catalogue
from ens_consent_tui.widgets.exchange_log_format import (
    NO_TEXT_FILTER,
    WIDE,
    ExchangeWords,
    TextFilter,
    fit_columns,
    layout,
)

MAX_ENTRIES = 200_000
TRIM_CHUNK = 10_000
"""Lines dropped beyond the bound at once when the buffer is full (dropping is then rare)."""
CACHE_LINES = 2_000

Key = tuple[int, int]
"""Where a line sits: (exchange id, 0) for an exchange, (last exchange id, n) for marker n."""


class LogEntry:
    """An exchange in the buffer, with its search text computed on first need."""

    __slots__ = ("exchange", "search")

    def __init__(self, exchange: ExchangeSummary) -> None:
        self.exchange = exchange
        self.search: str | None = None

    @property
    def key(self) -> Key:
        # Built when asked rather than stored: a tuple per entry would double the buffer.
        return (self.exchange.id, 0)


class LogMarker:
    """A marker the person placed (`m`), with the time it was placed."""

    __slots__ = ("at", "key", "number")

    def __init__(self, key: Key, number: int, at: datetime) -> None:
        self.key = key
        self.number = number
        self.at = at


Line = LogEntry | LogMarker


def _key(line: Line) -> Key:
    return line.key


class ExchangeLog(ScrollView, can_focus=True):
    """Every exchange of the space, newest at the bottom, one line each."""

    DEFAULT_CSS = """
    ExchangeLog {
        height: 1fr;
        overflow-x: hidden;
        scrollbar-size-vertical: 1;
        background: $surface;
    }
    ExchangeLog > .exchange-log--time { color: $text-muted; }
    ExchangeLog > .exchange-log--allowed { color: $text-success; }
    ExchangeLog > .exchange-log--denied { color: $text-error; text-style: bold; }
    ExchangeLog > .exchange-log--failed { color: $text-warning; text-style: bold; }
    ExchangeLog > .exchange-log--service { text-style: bold; }
    ExchangeLog > .exchange-log--reason { color: $text-muted; }
    ExchangeLog > .exchange-log--marker { color: $text-accent; text-style: bold; }
    ExchangeLog > .exchange-log--cursor {
        background: $block-cursor-blurred-background;
        text-style: $block-cursor-blurred-text-style;
    }
    ExchangeLog:focus > .exchange-log--cursor {
        background: $block-cursor-background;
        color: $block-cursor-foreground;
        text-style: $block-cursor-text-style;
    }
    """

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "exchange-log--time", "exchange-log--allowed", "exchange-log--denied",
        "exchange-log--failed", "exchange-log--service", "exchange-log--reason",
        "exchange-log--marker", "exchange-log--cursor",
    }

    BINDINGS: ClassVar = [
        Binding("enter", "open", "exchanges.key.detail", id="open-exchange"),
        Binding("up", "move(-1)", show=False),
        Binding("down", "move(1)", show=False),
        Binding("pageup", "page(-1)", show=False),
        Binding("pagedown", "page(1)", show=False),
        Binding("home", "first", show=False),
        Binding("end", "last", show=False),
    ]

    class Selected(Message):
        """The person asked for the detail of an exchange (Enter or double click)."""

        def __init__(self, exchange: ExchangeSummary) -> None:
            super().__init__()
            self.exchange = exchange

    class StateChanged(Message):
        """Counts, tail mode or pause changed (only the latest one matters)."""

        def can_replace(self, message: Message) -> bool:
            return isinstance(message, ExchangeLog.StateChanged)

    class OlderWanted(Message):
        """The person reached the top: the page before `before` may be loaded."""

        def __init__(self, before: int) -> None:
            super().__init__()
            self.before = before

        def can_replace(self, message: Message) -> bool:
            return isinstance(message, ExchangeLog.OlderWanted)

    paused: var[bool] = var(False)
    """New entries are held aside (and counted) instead of shown."""

    def __init__(self, t: Catalogue, *, max_entries: int = MAX_ENTRIES,
                 now: Callable[[], datetime] = lambda: datetime.now(DISPLAY_TZ),
                 id: str | None = None) -> None:
        super().__init__(id=id)
        self.words = ExchangeWords(t)
        self.t = t
        self.max_entries = max_entries
        self._now = now
        self._lines: list[Line] = []
        self._view: list[Line] = []
        self._held: list[ExchangeSummary] = []
        self._markers = 0
        self._marker_numbers = 0
        self._cache: LRUCache[tuple[Key, int], Strip] = LRUCache(CACHE_LINES)
        self.text_filter: TextFilter = NO_TEXT_FILTER
        self.quick_filters = QuickFilters()
        self.cursor = -1
        self.following = True
        self.unseen = 0
        """Entries that arrived since the person stopped following (or paused)."""
        self.has_older = False
        """The server has exchanges older than the oldest one here (see `OlderWanted`)."""
        self._older_asked: int | None = None
        self.services: dict[str, str] = {}
        """client id -> service name, for every service met (in the order met)."""

    # --- what the screen asks -----------------------------------------------------------------

    @property
    def entry_count(self) -> int:
        """Exchanges in the buffer."""
        return len(self._lines) - self._markers

    @property
    def shown_count(self) -> int:
        """Exchanges that pass the filters."""
        return len(self._view) - self._markers

    @property
    def held_count(self) -> int:
        return len(self._held)

    @property
    def newest_id(self) -> int:
        return self._lines[-1].key[0] if self._lines else 0

    @property
    def oldest_id(self) -> int | None:
        entry = next((line for line in self._lines if isinstance(line, LogEntry)), None)
        return entry.key[0] if entry else None

    @property
    def selected(self) -> Line | None:
        return self._view[self.cursor] if 0 <= self.cursor < len(self._view) else None

    def shown(self) -> Sequence[Line]:
        """The lines that pass the filters, oldest first (read-only)."""
        return tuple(self._view)

    def append(self, exchanges: Iterable[ExchangeSummary]) -> None:
        """New exchanges (any order); those already here are skipped. Held while paused."""
        newest = self.newest_id
        fresh = sorted((e for e in exchanges if e.id > newest), key=lambda e: e.id)
        if self.paused:
            self._hold(fresh)
            return
        self._extend(fresh)

    def prepend(self, exchanges: Iterable[ExchangeSummary], *, has_older: bool) -> None:
        """Exchanges older than the oldest one here (a page loaded at the top)."""
        oldest = self.oldest_id
        older = sorted((e for e in exchanges if oldest is None or e.id < oldest),
                       key=lambda e: e.id)
        room = self.max_entries - len(self._lines)
        self.has_older = has_older and room > len(older)
        older = older[max(len(older) - room, 0):]
        if not older:
            self._changed()
            return
        self._remember_services(older)
        lines: list[Line] = [LogEntry(e) for e in older]
        self._lines[:0] = lines
        visible = [line for line in lines if self._keeps(line)]
        self._view[:0] = visible
        self._resized()
        if self.following:
            self._follow()
        else:
            # The lines in sight stay in sight: everything moved down by what came on top.
            self.cursor += len(visible)
            self._scroll_to_line(self.scroll_y + len(visible))

    def add_marker(self) -> LogMarker:
        """A marker line after the newest entry, with the time it was placed."""
        self._marker_numbers += 1
        marker = LogMarker((self.newest_id, self._marker_numbers), self._marker_numbers,
                           self._now())
        self._lines.append(marker)
        self._view.append(marker)
        self._markers += 1
        if self.following:
            self.cursor = len(self._view) - 1
        self._resized()
        return marker

    def set_filters(self, text_filter: TextFilter, quick_filters: QuickFilters) -> None:
        """Show only the lines that pass both filters (markers always pass)."""
        anchor = self.selected
        self.text_filter, self.quick_filters = text_filter, quick_filters
        self._view = [line for line in self._lines if self._keeps(line)]
        if self.following or anchor is None:
            self.cursor = len(self._view) - 1
        else:
            index = bisect_left(self._view, anchor.key, key=_key)
            self.cursor = min(index, len(self._view) - 1)
        self._cache.clear()
        self._resized()
        self._show_cursor()

    def clear(self) -> None:
        """Forget every line (another space is shown)."""
        self._lines, self._view, self._held = [], [], []
        self._markers = self._marker_numbers = 0
        self.services = {}
        self.cursor, self.following, self.unseen, self.has_older = -1, True, 0, False
        self._older_asked = None
        self._cache.clear()
        self._resized()

    def watch_paused(self, paused: bool) -> None:
        if paused:
            self.following = False
            self._changed()
            return
        held, self._held = self._held, []
        self.following = True
        self.unseen = 0
        self._extend(held)
        self._follow()

    # --- the buffer ---------------------------------------------------------------------------

    def _hold(self, fresh: list[ExchangeSummary]) -> None:
        newest = self._held[-1].id if self._held else 0
        fresh = [e for e in fresh if e.id > newest]
        self._held.extend(fresh)
        if len(self._held) > self.max_entries:
            del self._held[:len(self._held) - self.max_entries]
        self.unseen += len(fresh)
        self._changed()

    def _extend(self, fresh: list[ExchangeSummary]) -> None:
        if not fresh:
            return
        self._remember_services(fresh)
        lines = [LogEntry(e) for e in fresh]
        self._lines.extend(lines)
        visible = [line for line in lines if self._keeps(line)]
        self._view.extend(visible)
        if not self.following:
            self.unseen += len(visible)
        gone = self._trim()
        self._resized()
        if self.following:
            self._follow()
        elif gone:
            # The lines in sight stay in sight: everything moved up by what was dropped.
            self.cursor = max(self.cursor - gone, 0)
            self._scroll_to_line(max(self.scroll_y - gone, 0))

    def _trim(self) -> int:
        """Drop the oldest lines beyond the bound; how many shown lines went."""
        excess = len(self._lines) - self.max_entries
        if excess <= 0:
            return 0
        drop = min(len(self._lines), excess + min(TRIM_CHUNK, self.max_entries // 10))
        last_dropped = self._lines[drop - 1].key
        self._markers -= sum(isinstance(line, LogMarker) for line in self._lines[:drop])
        del self._lines[:drop]
        gone = bisect_right(self._view, last_dropped, key=_key)
        del self._view[:gone]
        self.has_older = False  # what was dropped is not loaded again
        return gone

    def _keeps(self, line: Line) -> bool:
        if isinstance(line, LogMarker):
            return True
        if not self.quick_filters.matches(line.exchange):
            return False
        if not self.text_filter.active:
            return True
        if line.search is None:
            line.search = self.words.search_text(line.exchange)
        return self.text_filter.keeps(line.search)

    def _remember_services(self, exchanges: Sequence[ExchangeSummary]) -> None:
        for exchange in exchanges:
            if exchange.client_id not in self.services:
                self.services[exchange.client_id] = exchange.service_name

    def _resized(self) -> None:
        self.virtual_size = Size(self.scrollable_content_region.width, len(self._view))
        self.refresh()
        self._changed()

    def _changed(self) -> None:
        self.post_message(self.StateChanged())

    # --- moving -------------------------------------------------------------------------------

    def _follow(self) -> None:
        self.cursor = len(self._view) - 1
        self.scroll_end(animate=False, immediate=True, force=True)

    def _scroll_to_line(self, y: float) -> None:
        # Forced: right after the view grows, the scrollbar may not be enabled yet.
        self.scroll_to(y=y, animate=False, immediate=True, force=True)

    def _show_cursor(self) -> None:
        """Scroll just enough for the cursor line to be in sight."""
        height = self.scrollable_content_region.height
        if self.cursor < 0 or height <= 0:
            return
        if self.cursor < self.scroll_y:
            self._scroll_to_line(self.cursor)
        elif self.cursor >= self.scroll_y + height:
            self._scroll_to_line(self.cursor - height + 1)

    def _move_to(self, index: int) -> None:
        if not self._view:
            return
        self.cursor = max(0, min(index, len(self._view) - 1))
        at_end = self.cursor == len(self._view) - 1
        if at_end != self.following and not self.paused:
            self.following = at_end
            if at_end:
                self.unseen = 0
            self._changed()
        self._show_cursor()
        self.refresh()
        if self.cursor == 0:
            self._want_older()

    def _want_older(self) -> None:
        oldest = self.oldest_id
        if self.has_older and oldest is not None and oldest != self._older_asked:
            self._older_asked = oldest
            self.post_message(self.OlderWanted(oldest))

    def action_move(self, delta: int) -> None:
        self._move_to(self.cursor + delta)

    def action_page(self, direction: int) -> None:
        self._move_to(self.cursor + direction * max(self.scrollable_content_region.height - 1,
                                                    1))

    def action_first(self) -> None:
        self._move_to(0)

    def action_last(self) -> None:
        self._move_to(len(self._view) - 1)

    def action_open(self) -> None:
        line = self.selected
        if isinstance(line, LogEntry):
            self.post_message(self.Selected(line.exchange))

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        """Scrolling (wheel, scrollbar) away from the bottom stops following; back at the
        bottom, the log follows again; at the top, older entries may be loaded."""
        super().watch_scroll_y(old_value, new_value)
        if round(old_value) == round(new_value) or self.paused:
            return
        at_bottom = new_value >= self.max_scroll_y
        if at_bottom != self.following:
            self.following = at_bottom
            if at_bottom:
                self.unseen = 0
                self.cursor = len(self._view) - 1
            self._changed()
        if new_value == 0 and old_value > 0:
            self._want_older()

    def on_click(self, event: events.Click) -> None:
        index = int(self.scroll_y) + event.y
        if 0 <= index < len(self._view):
            self._move_to(index)
            if event.chain >= 2:
                self.action_open()

    def on_resize(self) -> None:
        self._cache.clear()
        self.virtual_size = Size(self.scrollable_content_region.width, len(self._view))
        if self.following:
            self._follow()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._cache.clear()

    # --- drawing ------------------------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        index = int(self.scroll_y) + y
        if not 0 <= index < len(self._view):
            return Strip.blank(width, self.rich_style)
        line = self._view[index]
        if index == self.cursor:
            return self._render(line, width, self._style("cursor"))
        cache_key = (line.key, width)
        strip = self._cache.get(cache_key)
        if strip is None:
            strip = self._render(line, width, None)
            self._cache[cache_key] = strip
        return strip

    def _style(self, name: str) -> Style:
        return self.get_component_rich_style(f"exchange-log--{name}", partial=True)

    def _render(self, line: Line, width: int, cursor: Style | None) -> Strip:
        base = self.rich_style + cursor if cursor else self.rich_style
        if isinstance(line, LogMarker):
            text = self.t("exchanges.marker", number=line.number,
                          time=line.at.strftime(self.t("exchanges.format.clock")))
            style = base + self._style("marker")
            if cursor:
                style += cursor
            return Strip([Segment(f" {text} ".center(width, "─"), style)]).crop(0, width)
        exchange = line.exchange
        # The columns follow the widget's width (as the header's do), the scrollbar aside.
        columns = layout(self.size.width)
        cells = fit_columns(self.words.values(exchange, wide=self.size.width >= WIDE), columns,
                            width)
        styles = ("time", exchange.outcome, "service", None, None, None, "reason")
        segments = []
        for cell, name in zip(cells, styles, strict=True):
            if cell:
                style = base + self._style(name) if name else base
                segments.append(Segment(cell, style + cursor if cursor else style))
        return Strip(segments).adjust_cell_length(width, base)


class ExchangeLogHeader(Static):
    """The column titles above an `ExchangeLog` of the same width."""

    DEFAULT_CSS = """
    ExchangeLogHeader {
        height: 1;
        width: 1fr;
        background: $panel;
        color: $text-muted;
        text-style: bold;
    }
    """

    def __init__(self, t: Catalogue, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.t = t

    def on_resize(self, event: events.Resize) -> None:
        self.update(Text(header_text(self.t, event.size.width)))


def header_text(t: Catalogue, width: int) -> str:
    """The column titles, aligned like the log's lines at `width`."""
    columns = layout(width)
    return "".join(fit_columns([t(f"exchanges.column.{c.name}") for c in columns], columns,
                               width))
