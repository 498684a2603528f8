"""Rooms with clear doors: the client never imports Textual, the app never imports the server
(only the launcher names it, to run it as a separate process)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "ens_consent_tui"


def imported_after(module: str, probe: str) -> bool:
    code = f"import sys, {module}; print({probe!r} in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                            text=True, check=True)
    return result.stdout.strip() == "True"


def test_the_client_imports_without_textual() -> None:
    assert not imported_after("ens_consent_tui.client", "textual")


@pytest.mark.parametrize("module", ["ens_consent_tui.app", "ens_consent_tui.cli"])
def test_the_app_and_cli_import_without_the_server(module: str) -> None:
    assert not imported_after(module, "mock_server")


def test_only_the_launcher_names_the_server_package() -> None:
    naming = sorted(str(path.relative_to(PACKAGE)) for path in PACKAGE.rglob("*.py")
                    if "mock_server" in path.read_text(encoding="utf-8"))
    assert naming == ["launcher.py"]
