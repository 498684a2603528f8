"""How one exchange reads in the log: its columns in words, the layout of the columns at a given
width, and the text the `/` filter searches.

Pure functions of the catalogue (no widget): the log, its header and the detail view share them.
The outcome is always a glyph and a word (`✓ autorisé`, `✗ refusé`, `⚠ échec`), never a colour
alone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache

from rich.cells import cell_len, set_cell_size

from ens_consent_tui.client.exchanges import ExchangeSummary
from ens_consent_tui.formatting import local
from ens_consent_tui.i18n import Catalogue

WIDE = 100
"""From this width on, times carry the date and the text columns are wider."""
ALL_SUBTYPES = "all"


@dataclass(frozen=True)
class Column:
    """A column of the log: its name (`exchanges.column.<name>`) and width (0: the rest)."""

    name: str
    width: int


def layout(width: int) -> tuple[Column, ...]:
    """The columns at `width` cells, each with the space that follows it; the reason takes
    what is left."""
    wide = width >= WIDE
    return (
        Column("time", 15 if wide else 9),
        Column("outcome", 11),
        Column("service", 23 if wide else 15),
        Column("direction", 9),
        Column("what", 27 if wide else 17),
        Column("count", 6 if wide else 5),
        Column("reason", 0),
    )


def fit(text: str, width: int) -> str:
    """`text` in exactly `width` cells: cut with an ellipsis, or padded with spaces."""
    if width <= 0:
        return ""
    if cell_len(text) > width:
        text = set_cell_size(text, width - 1) + "…"
    return set_cell_size(text, width)


def fit_columns(values: list[str], columns: tuple[Column, ...], width: int) -> list[str]:
    """Each value fitted to its column, a space after each, the last column filling up to
    `width` (nothing when no room is left)."""
    fitted: list[str] = []
    used = 0
    for value, column in zip(values, columns, strict=True):
        size = column.width or max(width - used, 0)
        if size == 0:
            fitted.append("")
            continue
        cell = fit(value, size - 1) + " " if column.width else fit(value, size)
        fitted.append(cell)
        used += cell_len(cell)
    return fitted


class ExchangeWords:
    """The words of an exchange in one language (labels cached: a log has few distinct ones)."""

    def __init__(self, t: Catalogue) -> None:
        self.t = t
        self._what = lru_cache(maxsize=1024)(self._what_uncached)

    def outcome(self, outcome: str) -> str:
        return self.t(f"exchanges.outcome.{outcome}")

    def direction(self, direction: str) -> str:
        return self.t(f"exchanges.direction.{direction}")

    def data_class(self, data_class: str) -> str:
        return self.t(f"exchanges.class.{data_class}")

    def subtype(self, data_class: str, subtype: str | None) -> str:
        """'Glycémie', 'Biologie', 'tout', several joined by commas, '' when unknown."""
        if not subtype:
            return ""
        return ", ".join(self._subtype_label(data_class, key) for key in subtype.split(","))

    def _subtype_label(self, data_class: str, key: str) -> str:
        if key == ALL_SUBTYPES:
            return self.t("exchanges.subtype.all")
        prefix = {"measures": "measure", "documents": "group"}.get(data_class)
        label_key = f"{prefix}.{key}"
        return self.t(label_key) if prefix and label_key in self.t else key

    def what(self, data_class: str, subtype: str | None) -> str:
        """'mesures · Glycémie'."""
        return self._what(data_class, subtype)

    def _what_uncached(self, data_class: str, subtype: str | None) -> str:
        label = self.subtype(data_class, subtype)
        name = self.data_class(data_class)
        return self.t("exchanges.what", data_class=name, subtype=label) if label else name

    def time(self, moment: datetime, *, wide: bool) -> str:
        return local(moment).strftime(self.t("exchanges.format.time_wide" if wide
                                             else "exchanges.format.time"))

    def values(self, exchange: ExchangeSummary, *, wide: bool) -> list[str]:
        """The columns of `layout`, in order."""
        return [
            self.time(exchange.at, wide=wide),
            self.outcome(exchange.outcome),
            exchange.service_name,
            self.direction(exchange.direction),
            self.what(exchange.data_class, exchange.subtype),
            str(exchange.count),
            exchange.reason or "",
        ]

    def search_text(self, exchange: ExchangeSummary) -> str:
        """What the `/` filter looks into: every column in words, plus the client id and the
        interaction."""
        return " ".join((*self.values(exchange, wide=True), exchange.client_id,
                         exchange.interaction))


@dataclass(frozen=True)
class TextFilter:
    """The `/` filter: a case-insensitive regular expression (plain words are one); with a
    leading `!`, lines that match are left out instead."""

    source: str
    pattern: re.Pattern[str] | None
    exclude: bool

    @property
    def active(self) -> bool:
        return self.pattern is not None

    def keeps(self, text: str) -> bool:
        if self.pattern is None:
            return True
        return (self.pattern.search(text) is None) is self.exclude


NO_TEXT_FILTER = TextFilter("", None, False)


class InvalidFilter(ValueError):
    """The filter is not a valid regular expression (`reason`: what Python said)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def parse_text_filter(text: str) -> TextFilter:
    """The filter typed after `/`; `InvalidFilter` when it is not a valid expression."""
    exclude = text.startswith("!")
    body = text[1:] if exclude else text
    if not body.strip():
        return NO_TEXT_FILTER
    try:
        pattern = re.compile(body, re.IGNORECASE)
    except re.error as error:
        raise InvalidFilter(str(error)) from error
    return TextFilter(text, pattern, exclude)
