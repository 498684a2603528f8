"""Fixtures of the catalogue tests: the shipped catalogue, raw and validated, and broken copies."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from mock_server.catalog import Catalog, load_catalog
from mock_server.catalog.loader import DEFAULT_CATALOG_PATH


@pytest.fixture(scope="session")
def catalog() -> Catalog:
    return load_catalog()


@pytest.fixture(scope="session")
def shipped_data() -> dict[str, Any]:
    return json.loads(DEFAULT_CATALOG_PATH.read_text(encoding="utf-8"))


@pytest.fixture
def raw_catalog(shipped_data: dict[str, Any]) -> dict[str, Any]:
    """A deep copy of the shipped file's JSON, free to break."""
    return copy.deepcopy(shipped_data)


@pytest.fixture
def write_catalog(tmp_path: Path) -> Callable[[dict[str, Any] | str], Path]:
    """Write JSON data (or raw text) to a fresh file and return its path."""
    counter = iter(range(1_000))

    def write(content: dict[str, Any] | str) -> Path:
        path = tmp_path / f"services-{next(counter)}.json"
        text = content if isinstance(content, str) else json.dumps(content, ensure_ascii=False)
        path.write_text(text, encoding="utf-8")
        return path

    return write
