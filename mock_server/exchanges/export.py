"""Exports of the exchange log: CSV (one header row, then one row per exchange) or a JSON array.

Both use the English keys of `ITEM_KEYS` (the same as the JSON API), so a file can be read back
by the same code. Bodies are produced in chunks of rows, never the whole log in memory. In CSV,
a text cell that a spreadsheet would run as a formula (=, +, -, @ first) is prefixed with `'`:
service names and query strings come from third parties (OWASP "CSV injection").
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator

from sqlalchemy import Row

from mock_server.exchanges.store import ITEM_KEYS, exchange_item

CHUNK_ROWS = 500
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: object) -> object:
    if isinstance(value, list):
        value = " ".join(value)
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def _chunks(rows: Iterable[Row]) -> Iterator[list[Row]]:
    chunk: list[Row] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) == CHUNK_ROWS:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def csv_body(rows: Iterable[Row]) -> Iterator[str]:
    """The CSV text, a header row first (`resources` are space-separated `Type/id`)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(ITEM_KEYS)
    yield buffer.getvalue()
    for chunk in _chunks(rows):
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        for row in chunk:
            item = exchange_item(row)
            writer.writerow([_cell(item[key]) for key in ITEM_KEYS])
        yield buffer.getvalue()


def json_body(rows: Iterable[Row]) -> Iterator[str]:
    """A JSON array of exchanges as `GET /exchanges` lists them."""
    yield "["
    first = True
    for chunk in _chunks(rows):
        text = ",".join(json.dumps(exchange_item(row), ensure_ascii=False) for row in chunk)
        yield text if first else "," + text
        first = False
    yield "]"
